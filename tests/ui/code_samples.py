"""The article's code task, one quicksort shared by the Run tests, the code-run benchmark and the screenshots:
a docstring, comments, a list of numbers sorted and a line of Chinese output."""

QUICKSORT = '''def quicksort(items):
    """Return a new list with the items in ascending order."""
    # Zero or one item: already sorted.
    if len(items) <= 1:
        return items
    pivot = items[len(items) // 2]  # the middle item as the pivot
    # Split into the items smaller than, equal to and larger than the pivot; sort the outer parts.
    smaller = [x for x in items if x < pivot]
    equal = [x for x in items if x == pivot]
    larger = [x for x in items if x > pivot]
    return quicksort(smaller) + equal + quicksort(larger)


print(quicksort([3, 6, 8, 10, 1, 2, 1]))  # [1, 1, 2, 3, 6, 8, 10]
print("排序完成")
'''
