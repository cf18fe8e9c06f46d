"""Builds the written part of the loop corpus: ``written_loops.json`` and ``legit.json``.

Run ``python tests/core/loop_corpus/build.py`` after changing a text below; the JSON files are what the
tests read (reviewable, stable). The model's own loops are generated separately (``generate.py``, with
the bundled model) into ``model_loops.json``.

Every entry: ``id``, ``category``, ``mode`` ("reasoning" or "answer": which detector reads it), ``text``
and, for a loop, ``loop_from`` (the offset where its repetition begins: a rewind must not cut earlier
text than that, give or take the first copy).
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
Entry = dict[str, Any]


def loop(id: str, category: str, intro: str, body: str, mode: str = "reasoning") -> Entry:
    return {"id": id, "category": category, "mode": mode, "text": intro + body, "loop_from": len(intro)}


def legit(id: str, category: str, text: str, mode: str = "reasoning") -> Entry:
    return {"id": id, "category": category, "mode": mode, "text": text}


# ---------------------------------------------------------------------------------------------------
# Loops


def counters() -> list[Entry]:
    out = [
        loop("counter-zh-tebiexing", "counter", "我们来分析这个问题的特别性。\n\n",
             "".join(f"特别性：1.1.1.{i}: " for i in range(1, 40))),
        loop("counter-zh-lines", "counter", "首先列出所有的情况。\n",
             "".join(f"特别性：1.{i // 10}.{i % 10}：这个性质需要进一步验证。\n" for i in range(10, 60))),
        loop("counter-en-section", "counter", "Let me organise the proof into sections.\n",
             "".join(f"Section 1.1.1.{i}: Properties of the function. " for i in range(1, 40))),
        loop("counter-en-step", "counter", "We start from the given equation and simplify it.\n",
             "".join(f"Step {i}: check again whether the result holds for this case. " for i in range(1, 30))),
        loop("counter-ru", "counter", "Разберём задачу по пунктам.\n",
             "".join(f"Пункт 2.3.{i}: свойства функции и её производной. " for i in range(1, 40))),
        loop("counter-zh-check", "counter", "我们需要检查答案。\n",
             "".join(f"第{i}次检查：结果正确吗？我们再检查一次。" for i in range(1, 30))),
    ]
    return out


def filler_cycles(rng: random.Random) -> list[Entry]:
    en = ["I think the total is the sum of the two parts, so I should add them again.",
          "Then the remainder must be divided by three to get the final count of boxes.",
          "So each box holds the same number of apples as the other boxes."]
    en_v = [s.replace("must be", "should be").replace("the same", "exactly the same") for s in en]
    zh = ["我觉得总数应该是两部分的和，所以我要再把它们加起来。",
          "然后把余数除以三，就得到盒子的最终数量。",
          "所以每个盒子里的苹果数量和其他盒子一样。"]
    zh_v = [s.replace("应该是", "就是").replace("最终", "最后") for s in zh]
    ru = ["Я думаю, что сумма равна двум частям, поэтому нужно сложить их ещё раз.",
          "Потом остаток нужно разделить на три, чтобы получить число коробок.",
          "Значит, в каждой коробке столько же яблок, сколько в других коробках."]
    ru_v = [s.replace("нужно", "надо") for s in ru]

    def cycle(base: list[str], var: list[str], fillers: list[str], copies: int, sep: str = " ") -> str:
        parts = []
        for _ in range(copies):
            sents = [var[i] if rng.random() < 0.4 else base[i] for i in range(len(base))]
            parts.append(sep.join(sents) + sep + rng.choice(fillers))
        return sep.join(parts) + sep

    return [
        loop("filler-en-hmm", "filler_cycle", "Let me figure out how many apples are in each box. ",
             cycle(en, en_v, ["Hmm."], 8)),
        loop("filler-en-wait", "filler_cycle", "We have 27 apples and some boxes. ",
             cycle(en, en_v, ["Wait.", "Hmm.", "Okay."], 8)),
        loop("filler-en-lines", "filler_cycle", "The problem asks about boxes.\n",
             cycle(en, en_v, ["Hmm.", "Wait, wait."], 8, sep="\n")),
        loop("filler-zh-en", "filler_cycle", "我们来计算每个盒子里有多少个苹果。",
             cycle(zh, zh_v, ["嗯。"], 8, sep="")),
        loop("filler-zh-haode", "filler_cycle", "题目给了二十七个苹果。\n",
             cycle(zh, zh_v, ["嗯。", "好的。", "等等。"], 8, sep="\n")),
        loop("filler-ru", "filler_cycle", "Давайте посчитаем яблоки в коробках. ",
             cycle(ru, ru_v, ["Хм.", "Так."], 8)),
    ]


LONG_EN = [
    "First I write down what the problem gives us: a rectangle whose perimeter is thirty centimetres.",
    "The length is three centimetres more than the width, and we want the area of the rectangle.",
    "Let the width be w, so the length is w plus three, and the perimeter is twice their sum.",
    "That gives two times the quantity two w plus three, which must equal thirty.",
    "Dividing both sides by two, two w plus three equals fifteen, so two w equals twelve.",
    "Therefore the width is six centimetres and the length is nine centimetres.",
    "The area is the product of the length and the width, which is fifty four square centimetres.",
    "Before I answer, I want to make sure that I have not misread the question in any way.",
    "The question says the perimeter, not the semi-perimeter, so the factor of two is right.",
    "It also says the length exceeds the width by three, not that it is three times the width.",
    "If it had said three times, the width would be fifteen over four, which is not a whole number.",
    "Whole numbers are not required, but the wording clearly says more than, so addition is right.",
    "Another way to check: a six by nine rectangle has sides adding to fifteen, half of thirty.",
    "And nine minus six is three, which matches the difference the problem states.",
    "So both conditions hold, and the area follows directly from the two sides.",
    "Maybe I should also think about units, since the answer must be in square centimetres.",
    "Centimetres times centimetres give square centimetres, so the unit is consistent.",
    "I could also solve it with two unknowns, calling the length l and the width w.",
    "Then l minus w equals three and l plus w equals fifteen, from the perimeter.",
    "Adding the equations gives two l equals eighteen, so l is nine, and w is six again.",
    "Both methods agree, which gives me more confidence in the result.",
    "Some students confuse area and perimeter, so it is worth saying which is which.",
    "The perimeter is the distance around the shape, measured in centimetres.",
    "The area is the space inside the shape, measured in square centimetres.",
    "Here the perimeter is given and the area is asked for, so we convert one into the other.",
    "There is no unique rectangle for a given perimeter unless another condition is added.",
    "The difference of three between the sides is exactly that extra condition.",
    "Without it, the area could be anything up to the square case, which would be fifty six and a quarter.",
    "Our answer of fifty four is a little less than that maximum, which makes sense.",
    "A rectangle that is close to a square has an area close to the maximum.",
    "Six and nine are not far apart, so the area is close to the maximum, as expected.",
    "I am fairly sure now, but let me look at the arithmetic one final time.",
    "Two times six plus two times nine is twelve plus eighteen, which is thirty.",
    "Six times nine is fifty four, since six times ten is sixty and we subtract six.",
    "Everything is consistent, so the final answer is fifty four square centimetres.",
]

LONG_ZH = ("首先整理题目给出的条件：一个长方形的周长是三十厘米，长比宽多三厘米，要求它的面积。"
           "设宽为x厘米，那么长就是x加三厘米，周长等于长与宽之和的两倍。"
           "所以两倍的二x加三等于三十，两边同时除以二，得到二x加三等于十五。"
           "于是二x等于十二，宽是六厘米，长是九厘米。"
           "面积等于长乘以宽，也就是五十四平方厘米。"
           "在给出答案之前，我想确认自己没有读错题目。"
           "题目说的是周长而不是半周长，所以乘以二是对的。"
           "题目还说长比宽多三厘米，而不是长是宽的三倍，所以应该用加法。"
           "如果是三倍，宽就会是四分之十五，不是整数，虽然题目并没有要求整数。"
           "换一种方法检验：六和九的和是十五，正好是周长的一半。"
           "九减六等于三，和题目给出的差一致。"
           "也可以设两个未知数，长为a，宽为b，那么a减b等于三，a加b等于十五。"
           "两式相加得到二a等于十八，所以a等于九，b等于六，结果相同。"
           "两种方法的结论一致，我对结果更有信心了。"
           "很多同学会把面积和周长弄混，这里再区分一下。"
           "周长是图形一圈的长度，单位是厘米；面积是图形内部的大小，单位是平方厘米。"
           "如果没有长比宽多三这个条件，周长相同的长方形可以有很多种。"
           "其中正方形的面积最大，是五十六又四分之一平方厘米。"
           "我们的答案五十四比这个最大值略小，这是合理的，因为六和九相差不大。"
           "最后再算一遍：二乘六加二乘九等于十二加十八，正好是三十。"
           "六乘九等于五十四。所有条件都满足，最终答案是五十四平方厘米。")

LONG_RU = ("Сначала запишем условие: периметр прямоугольника равен тридцати сантиметрам. "
           "Длина на три сантиметра больше ширины, и нужно найти площадь. "
           "Обозначим ширину через x, тогда длина равна x плюс три. "
           "Периметр равен удвоенной сумме сторон, то есть два раза по два x плюс три. "
           "Разделив обе части на два, получаем два x плюс три равно пятнадцати. "
           "Отсюда два x равно двенадцати, ширина шесть сантиметров, длина девять. "
           "Площадь равна произведению сторон, то есть пятьдесят четыре квадратных сантиметра. "
           "Проверим: шесть плюс девять даёт пятнадцать, половину периметра. "
           "Девять минус шесть равно трём, как и сказано в условии. "
           "Если бы длина была в три раза больше ширины, ширина оказалась бы дробной. "
           "Но в условии сказано «больше на три», поэтому мы складываем, а не умножаем. "
           "Можно решить и системой уравнений с двумя неизвестными, ответ будет тем же. "
           "Квадрат с тем же периметром имел бы площадь пятьдесят шесть с четвертью. "
           "Наш ответ чуть меньше, что разумно для почти квадратного прямоугольника. ")


def long_periods() -> list[Entry]:
    period_en = " ".join(LONG_EN) + " "
    words = len(period_en.split())
    assert words > 400, words
    period_zh = LONG_ZH + "回头再看一遍整个推理过程，" + LONG_ZH[:120]
    assert len(period_zh) > 600
    period_ru = LONG_RU + LONG_RU.replace("Сначала запишем", "Ещё раз запишем")
    assert len(period_ru.split()) > 200
    mixed = " ".join(f"{s} ({i * 7 % 11})" for i, s in enumerate(LONG_EN)) + " "
    return [
        loop("long-en-440", "long_period", "Okay, so I need to find the area of a rectangle. ", period_en * 3),
        loop("long-zh-800", "long_period", "好，我们来解这道题。", period_zh * 3),
        loop("long-ru-400", "long_period", "Итак, нужно найти площадь. ", period_ru * 3),
        loop("long-en-numbers", "long_period", "Let me work through it. ", mixed * 3),
    ]


PARAPHRASES = {
    "en-add": ["Maybe I should add the numbers again to be sure.",
               "Perhaps adding the numbers once more would make it certain.",
               "Let me sum these numbers again so that I am certain."],
    "en-area": ["So the area must be the length times the width of the garden.",
                "Therefore the garden's area is its width multiplied by its length.",
                "That means we multiply the length by the width to get the area."],
    "en-prime": ["I wonder whether this number is prime or whether it has a divisor.",
                 "Is it possible that the number has a factor other than one and itself?",
                 "Let me think about whether some divisor splits this number evenly."],
    "zh-add": ["也许我应该再把这些数加一遍，确认一下。",
               "为了保险起见，我再把这些数字相加一次。",
               "让我重新计算这几个数的和，确保没有算错。"],
    "zh-area": ["所以花园的面积就是长乘以宽。",
                "因此，用长和宽相乘就能得到花园的面积。",
                "也就是说，面积等于花园的长与宽的乘积。"],
    "ru-add": ["Может быть, стоит ещё раз сложить эти числа для уверенности.",
               "Пожалуй, сложу числа ещё раз, чтобы точно не ошибиться.",
               "Давай пересчитаю сумму этих чисел, чтобы быть уверенным."],
}


def paraphrase_mixes(rng: random.Random) -> list[Entry]:
    out = []
    for name, options in PARAPHRASES.items():
        sep = "" if name.startswith("zh") else " "
        picks = [rng.choice(options) for _ in range(45)]
        intro = {"en": "We have the numbers 12, 15 and 27 and need their total. ",
                 "zh": "我们有十二、十五和二十七这三个数，需要求它们的和。",
                 "ru": "У нас есть числа 12, 15 и 27, нужна их сумма. "}[name[:2]]
        out.append(loop(f"paraphrase-{name}", "paraphrase_mix", intro, sep.join(picks) + sep))
    return out


def exact_short() -> list[Entry]:
    return [
        loop("exact-en", "exact", "We need the sum of the first ten odd numbers. ",
             "Let me check the sum again: 1 + 3 + 5 gives 9, and so on. " * 12),
        loop("exact-zh", "exact", "我们需要求前十个奇数的和。",
             "让我再检查一下这个和：一加三加五等于九，依此类推。" * 12),
        loop("exact-ru", "exact", "Нужно найти сумму первых десяти нечётных чисел. ",
             "Проверим сумму ещё раз: один плюс три плюс пять даёт девять, и так далее. " * 12),
        loop("exact-el", "exact", "Πρέπει να βρούμε το άθροισμα των δέκα πρώτων περιττών αριθμών. ",
             "Ας ελέγξω ξανά το άθροισμα: ένα συν τρία συν πέντε κάνει εννέα, και ούτω καθεξής. " * 12),
        loop("exact-mixed", "exact", "计算 sum of squares。", "所以 x 的值是 5，then we square it 得到 25。" * 16),
    ]


def near_verbatim(rng: random.Random) -> list[Entry]:
    cycles = {
        "en": (["Wait, maybe I should recompute the total of all these numbers once more.",
                "Then I compare it with the target value and see if they match.",
                "If they do not match, I must have made a mistake somewhere before."],
               [("these", "the"), ("once more", "again"), ("somewhere", ""), ("see if", "check if")]),
        "en-2": (["The train leaves at nine and travels at sixty kilometres per hour.",
                  "The second train leaves an hour later and goes eighty kilometres per hour."],
                 [("nine", "9"), ("an hour later", "one hour later"), ("goes", "travels at")]),
        "zh": (["等一下，也许我应该再重新计算一遍所有这些数的总和。",
                "然后把它和目标值比较，看看是否相等。",
                "如果不相等，说明前面某个地方一定算错了。"],
               [("所有这些", "这些"), ("看看", "看"), ("一定", "")]),
        "ru": (["Подожди, может быть, стоит ещё раз пересчитать сумму всех этих чисел.",
                "Потом сравню её с нужным значением и посмотрю, совпадают ли они.",
                "Если не совпадают, значит, где-то раньше была ошибка."],
               [("всех этих", "этих"), ("посмотрю", "проверю"), ("где-то", "")]),
    }
    out = []
    for name, (sents, swaps) in cycles.items():
        sep = "" if name == "zh" else " "
        parts = []
        for _ in range(8):
            for s in sents:
                a, b = rng.choice(swaps)
                parts.append(s.replace(a, b) if rng.random() < 0.5 else s)
        intro = "Let me read the problem again carefully.\n" if sep else "让我再仔细读一遍题目。\n"
        out.append(loop(f"near-{name}", "near_verbatim", intro, sep.join(parts) + sep))
    return out


def degenerate_answers() -> list[Entry]:
    return [
        loop("answer-code-line", "degenerate_answer", "Here is the code:\n\n```python\n",
             "print('hello world')\n" * 300, mode="answer"),
        loop("answer-sentence", "degenerate_answer", "The answer is as follows. ",
             "The capital of France is Paris. " * 40, mode="answer"),
        loop("answer-zeros", "degenerate_answer", "The list is:\n[", "0, " * 1000, mode="answer"),
        loop("answer-table-row", "degenerate_answer", "| a | b |\n| --- | --- |\n", "| 1 | 1 |\n" * 300,
             mode="answer"),
        loop("answer-zh-line", "degenerate_answer", "答案如下：\n", "北京是中国的首都。\n" * 60, mode="answer"),
    ]


# ---------------------------------------------------------------------------------------------------
# Legitimate repetitive texts

BOARD = "\n".join(". " * 8 for _ in range(8))
ZEROS = "zeros = [\n" + "".join("    0,\n" for _ in range(30)) + "]"


def legit_texts() -> list[Entry]:
    cn = "一二三四五六七八九十"
    steps_issue = "".join(f"第{cn[i]}步，我们把这个数乘以{cn[i + 1]}，然后再检查结果是否正确。" for i in range(4))
    steps_long = "".join(f"第{cn[i]}步，我们把这个数乘以{cn[i + 1]}，然后再仔细检查一下结果是否正确，"
                         "并把它记录在表格里。" for i in range(9))
    steps_digits = "\n".join(f"第{i}步：把上一步的结果乘以{i + 1}，得到{720 // (i + 1)}。" for i in range(1, 8))
    en_steps = "\n".join(f"Step {i}: multiply the previous result by {i + 1} and write down the product."
                         for i in range(1, 9))
    recipe = ("第一步，把面粉倒进碗里。第二步，加入两个鸡蛋和一杯牛奶。第三步，用筷子搅拌均匀。"
              "第四步，把面糊静置十分钟。第五步，锅里刷一层油，用小火加热。第六步，倒入一勺面糊，摊成薄饼。"
              "第七步，一面煎熟后翻面再煎一分钟。第八步，出锅装盘，趁热吃。")
    ru4 = ("Сегодня утром мы пошли в парк и долго гуляли вдоль реки. "
           "Потом мы зашли в маленькое кафе и выпили горячего чая с пирогом. "
           "Вечером друзья пригласили нас в театр на новую пьесу. "
           "Домой мы вернулись поздно, уставшие, но очень довольные.")
    # long enough that their letter sets overlap (a reader that takes each Cyrillic letter for a word saw a loop)
    ru4_long = ("Вечером друзья пригласили нас в театр на новую пьесу, а домой мы вернулись поздно, уставшие, но "
                "очень довольные. Учитель объяснил новую тему, и все ученики внимательно слушали его, а после уроков "
                "мы играли в футбол на школьном стадионе до самого вечера. Сегодня утром мы пошли в парк и долго "
                "гуляли вдоль реки, а потом мы зашли в маленькое кафе и выпили горячего чая с пирогом. Мы нашли "
                "ответ, проверили его и записали результат в тетрадь, а затем мы решили следующую задачу, которая "
                "оказалась намного сложнее.")
    el = ("Σήμερα το πρωί πήγαμε στη θάλασσα και κολυμπήσαμε για πολλή ώρα. "
          "Μετά φάγαμε ψάρι σε μια μικρή ταβέρνα δίπλα στο λιμάνι. "
          "Το απόγευμα διαβάσαμε βιβλία κάτω από ένα μεγάλο δέντρο. "
          "Το βράδυ γυρίσαμε στο σπίτι κουρασμένοι αλλά χαρούμενοι.")
    poem_en = ("The river runs beneath the hill,\nThe mill wheel turns, the night is still.\n"
               "Come home, come home, the lanterns burn.\n\n"
               "The sparrow sleeps inside the eaves,\nThe wind goes whispering through the leaves.\n"
               "Come home, come home, the lanterns burn.\n\n"
               "The road is long, the stars are few,\nAnd every window waits for you.\n"
               "Come home, come home, the lanterns burn.\n\n"
               "Come home, come home, the lanterns burn,\nCome home, come home, the lanterns burn.")
    poem_zh = ("春风吹过小河边，\n柳枝轻轻摆向天。\n归来吧，归来吧，灯火正明亮。\n\n"
               "夏雨落在屋檐下，\n蛙声一片满池塘。\n归来吧，归来吧，灯火正明亮。\n\n"
               "秋叶飘飘染山岗，\n大雁南飞排成行。\n归来吧，归来吧，灯火正明亮。\n\n"
               "冬雪覆盖老村庄，\n炉火温暖旧门窗。\n归来吧，归来吧，灯火正明亮。")
    poem_ru = ("Над рекою тихий вечер,\nВ поле гаснет синий свет.\nВозвращайся, ветер, ветер,\n\n"
               "Мы оставим свечи в окнах,\nЧтоб ты видел путь домой.\nВозвращайся, ветер, ветер,\n\n"
               "Снег ложится на дороги,\nСпит под снегом старый сад.\nВозвращайся, ветер, ветер,")
    song = ("Verse 1:\nWe walked along the shore at dawn, the sand was cold and grey.\n"
            "Chorus:\nSing it loud, sing it clear, the morning light is here,\n"
            "Sing it loud, sing it clear, the morning light is here.\n"
            "Verse 2:\nThe boats came in with silver fish, the gulls were calling out.\n"
            "Chorus:\nSing it loud, sing it clear, the morning light is here,\n"
            "Sing it loud, sing it clear, the morning light is here.\n"
            "Verse 3:\nAnd when the sun was high at last we headed home for bread.\n"
            "Chorus:\nSing it loud, sing it clear, the morning light is here,\n"
            "Sing it loud, sing it clear, the morning light is here.")
    code_zeros = "Here is a listing of thirty zeros:\n\n```python\n" + ZEROS + "\n```\n"
    code_unrolled = ("The unrolled loop looks like this:\n\n```c\n" + "".join(
        "    acc += buf[i++];\n" for _ in range(32)) + "```\nEach line adds one element.")
    code_switch = ("```c\nswitch (op) {\n" + "".join(
        f"case {i}:\n    result = apply(op, a, b);\n    break;\n" for i in range(24)) + "}\n```")
    code_init = ("```python\n" + "".join(f"grid[{r}][{c}] = 0\n" for r in range(6) for c in range(6)) + "```")
    board_plain = "Here is the empty board:\n\n" + BOARD + "\n\nEvery square is empty."
    board_fenced = "```\n" + BOARD + "\n```"
    chess = ("The position:\n\n```\n" + "\n".join(
        ["r n b q k b n r", "p p p p p p p p"] + [". . . . . . . ."] * 4 + ["P P P P P P P P", "R N B Q K B N R"])
        + "\n```")
    ttt = "The board so far:\n\n X | O | X\n---+---+---\n O | X | O\n---+---+---\n   |   |  \n\nIt is O's turn."
    rule = "+-------+-------+-------+"
    sudoku = "\n".join([rule, *(["| . . . | . . . | . . . |"] * 3 + [rule]) * 3])
    pmatrix = ("$$\nA = \\begin{pmatrix}\n" + "".join("1 & 1 & 1 & 1 \\\\\n" for _ in range(6))
               + "\\end{pmatrix}\n$$\nThe matrix has rank one because every row is the same.")
    plain_matrix = "The matrix is:\n\n" + "\n".join(" ".join(["2"] * 8) for _ in range(8)) + "\n\nIts rank is 1."
    identity = "\\[\nI = \\begin{bmatrix}\n" + "".join(
        " & ".join("1" if r == c else "0" for c in range(10)) + " \\\\\n" for r in range(10)) + "\\end{bmatrix}\n\\]"
    ones_md = "$$\\begin{bmatrix} a & a & a \\\\ a & a & a \\\\ a & a & a \\end{bmatrix}$$ has every entry equal to a."
    table_eq = ("| item | price | in stock |\n| --- | --- | --- |\n" + "".join(
        "| pencil | 1.00 | yes |\n" for _ in range(25)))
    times = ("| × | " + " | ".join(str(i) for i in range(1, 10)) + " |\n|" + "---|" * 10 + "\n" + "".join(
        f"| {r} | " + " | ".join(str(r * c) for c in range(1, 10)) + " |\n" for r in range(1, 10)))
    schedule = ("| day | morning | afternoon |\n|---|---|---|\n" + "".join(
        f"| {d} | maths | free study |\n" for d in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")))
    json_zeros = "```json\n{\"weights\": [" + ", ".join(["0"] * 64) + "]}\n```"
    json_objs = "[\n" + ",\n".join('  {"name": "item", "count": 1, "tags": ["a", "b"]}' for _ in range(20)) + "\n]"
    json_strs = '["yes", "yes", "yes", "no", "yes", "yes", "yes", "yes", "no", "yes", "yes", "yes", "yes", "yes"]'
    self_check_en = (
        "We need 17 × 23. 17 × 20 = 340 and 17 × 3 = 51, so the product is 391. "
        "Wait, let me check that again. 17 × 23: 10 × 23 = 230, 7 × 23 = 161, and 230 + 161 = 391. Yes. "
        "Hmm, let me verify once more with another split. 23 × 17 = 23 × 10 + 23 × 7 = 230 + 161 = 391. Yes. "
        "Wait, is 23 × 7 really 161? 20 × 7 = 140 and 3 × 7 = 21, and 140 + 21 = 161. Yes, that's right. "
        "So the answer is 391. Let me check it one last time by division: 391 ÷ 17 = 23, since 17 × 23 = 391. "
        "Yes. The product is 391.")
    self_check_en2 = (
        "The equation is 3x + 5 = 20. Subtract 5: 3x = 15. Divide by 3: x = 5. "
        "Wait, let me check: 3 × 5 + 5 = 15 + 5 = 20. Yes. "
        "But wait, did I copy the equation correctly? The problem says 3x + 5 = 20. Yes. "
        "Let me check again by plugging in: left side 3(5) + 5 = 20, right side 20. Yes, it matches. "
        "Hmm, what if x were 6? Then 3 × 6 + 5 = 23, which is too big. And x = 4 gives 17, too small. "
        "So x = 5 is the only solution. Wait, let me make sure there is no other solution: the equation is "
        "linear, so there is exactly one. Yes. Final answer: x = 5.")
    self_check_zh = (
        "我们要算 17 乘以 23。17 乘 20 等于 340，17 乘 3 等于 51，所以结果是 391。"
        "等等，让我再检查一下。10 乘 23 等于 230，7 乘 23 等于 161，230 加 161 等于 391。对。"
        "嗯，再换一种方法验证：23 乘 17 等于 23 乘 10 加 23 乘 7，也就是 230 加 161，等于 391。对。"
        "等一下，23 乘 7 真的是 161 吗？20 乘 7 是 140，3 乘 7 是 21，140 加 21 是 161。没错。"
        "所以答案是 391。最后用除法检查：391 除以 17 等于 23。对，乘积是 391。")
    self_check_zh2 = (
        "方程是 2x + 7 = 19。两边减 7，得到 2x = 12，再除以 2，x = 6。"
        "等等，我检查一下：2 × 6 + 7 = 12 + 7 = 19。对。"
        "再确认一下题目有没有抄错：题目确实是 2x + 7 = 19。对。"
        "如果 x 等于 5，那么 2 × 5 + 7 = 17，太小；x 等于 7，得到 21，太大。"
        "所以 x = 6 是唯一的解。这是一次方程，只有一个解。对，答案是 x = 6。")
    self_check_r1 = (
        "Okay, so I need to find how many positive divisors 360 has. First, factor it: 360 = 2^3 × 3^2 × 5. "
        "The number of divisors is (3+1)(2+1)(1+1) = 4 × 3 × 2 = 24. Wait, let me make sure the factorisation "
        "is right. 2^3 = 8, 3^2 = 9, 8 × 9 = 72, 72 × 5 = 360. Yes. So 24 divisors. Hmm, let me double-check "
        "by listing a few: 1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 18, 20, 24, 30, 36, 40, 45, 60, 72, 90, 120, 180, "
        "360. That's 24. Yes. Wait, did I miss any? Between 1 and 360 the pairs are (1,360), (2,180), (3,120), "
        "(4,90), (5,72), (6,60), (8,45), (9,40), (10,36), (12,30), (15,24), (18,20). Twelve pairs, 24 divisors. "
        "Yes, the answer is 24.")
    counting = ("Let me list the multiples of 3 up to 150: " + ", ".join(str(3 * i) for i in range(1, 51))
                + ". That is 50 numbers, so there are 50 multiples.")
    times_prose = ("Let me write out the seven times table to be sure.\n" + "\n".join(
        f"7 times {i} is {7 * i}." for i in range(1, 13)) + "\nSo 7 times 12 is 84.")
    brute = ("Let me test each n from 1 to 12 to see when n^2 + n + 41 is prime.\n" + "\n".join(
        f"n = {n}: {n * n + n + 41}, which is prime." for n in range(1, 13))
        + "\nAll of them are prime, so the pattern holds for these values.")
    faq = "\n\n".join(f"**Question {i}.** {q}\n**Answer.** {a}" for i, (q, a) in enumerate([
        ("How do I reset my password?", "Open the settings page and choose the reset option."),
        ("How do I change my email address?", "Open the account page and edit the email field."),
        ("How do I delete my account?", "Write to support; they will delete it within a week."),
        ("How do I export my data?", "Use the export button on the data page."),
        ("How do I contact support?", "Use the form on the help page or send an email."),
    ], 1))
    return [
        legit("zh-steps-issue", "zh_steps", steps_issue),
        legit("zh-steps-issue-answer", "zh_steps", steps_issue, mode="answer"),
        legit("zh-steps-long", "zh_steps", steps_long),
        legit("zh-steps-digits", "zh_steps", steps_digits),
        legit("zh-recipe", "zh_steps", recipe, mode="answer"),
        legit("en-steps", "numbered_steps", en_steps),
        legit("ru-four-sentences", "ru_el_sentences", ru4),
        legit("ru-four-sentences-answer", "ru_el_sentences", ru4, mode="answer"),
        legit("ru-four-long-sentences", "ru_el_sentences", ru4_long),
        legit("ru-reasoning", "ru_el_sentences", LONG_RU),
        legit("el-four-sentences", "ru_el_sentences", el),
        legit("poem-en-refrain", "poem", poem_en, mode="answer"),
        legit("poem-zh-refrain", "poem", poem_zh, mode="answer"),
        legit("poem-ru-refrain", "poem", poem_ru, mode="answer"),
        legit("song-chorus", "poem", song, mode="answer"),
        legit("code-30-zeros", "code", code_zeros, mode="answer"),
        legit("code-30-zeros-reasoning", "code", code_zeros),
        legit("code-unrolled", "code", code_unrolled, mode="answer"),
        legit("code-switch", "code", code_switch, mode="answer"),
        legit("code-grid-init", "code", code_init, mode="answer"),
        legit("board-plain", "board", board_plain, mode="answer"),
        legit("board-plain-reasoning", "board", board_plain),
        legit("board-fenced", "board", board_fenced, mode="answer"),
        legit("board-chess", "board", chess, mode="answer"),
        legit("board-tictactoe", "board", ttt, mode="answer"),
        legit("board-sudoku", "board", sudoku, mode="answer"),
        legit("matrix-pmatrix", "matrix", pmatrix, mode="answer"),
        legit("matrix-plain", "matrix", plain_matrix, mode="answer"),
        legit("matrix-plain-reasoning", "matrix", plain_matrix),
        legit("matrix-identity", "matrix", identity, mode="answer"),
        legit("matrix-inline", "matrix", ones_md, mode="answer"),
        legit("table-equal-rows", "table", table_eq, mode="answer"),
        legit("table-times", "table", times, mode="answer"),
        legit("table-schedule", "table", schedule, mode="answer"),
        legit("json-zeros", "json", json_zeros, mode="answer"),
        legit("json-objects", "json", json_objs, mode="answer"),
        legit("json-strings", "json", json_strs, mode="answer"),
        legit("selfcheck-en", "self_check", self_check_en),
        legit("selfcheck-en-2", "self_check", self_check_en2),
        legit("selfcheck-zh", "self_check", self_check_zh),
        legit("selfcheck-zh-2", "self_check", self_check_zh2),
        legit("selfcheck-r1-divisors", "self_check", self_check_r1),
        legit("counting-multiples", "enumeration", counting),
        legit("times-table-prose", "enumeration", times_prose),
        legit("brute-force-checks", "enumeration", brute),
        legit("faq", "enumeration", faq, mode="answer"),
        legit("long-reasoning-en", "long_reasoning", " ".join(LONG_EN)),
        legit("long-reasoning-zh", "long_reasoning", LONG_ZH),
    ]


def main() -> None:
    rng = random.Random(22)
    loops = (counters() + filler_cycles(rng) + long_periods() + paraphrase_mixes(rng) + exact_short()
             + near_verbatim(rng) + degenerate_answers())
    for name, entries in (("written_loops.json", loops), ("legit.json", legit_texts())):
        ids = [e["id"] for e in entries]
        assert len(ids) == len(set(ids)), "ids must be unique"
        (HERE / name).write_text(json.dumps(entries, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{name}: {len(entries)} entries")


if __name__ == "__main__":
    main()
