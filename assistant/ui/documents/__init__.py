"""Documents (issue 24): the collections panel, indexing jobs, the source viewer."""
