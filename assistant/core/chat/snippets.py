"""Search-result text: Markdown reduced to plain text, a window around the first match, matched spans.

A search result shows a line of the message it found. Messages are Markdown written by a model (``**``,
headings, code fences, links, ``\\boxed{}``, stray ``<think>`` tags); shown raw, that markup is noise,
so a snippet is cut from the plain text instead. Pure functions, no Qt: the sidebar adds the markup of
its highlight around the spans :func:`match_spans` finds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Order matters: fences and code first (their contents are kept verbatim), links before tags (an
# autolink ``<https://…>`` looks like a tag), emphasis last.
_FENCE = re.compile(r"^[ \t]*(```|~~~)[^\n]*$", re.MULTILINE)
_INLINE_CODE = re.compile(r"`+([^`\n]*)`+")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.MULTILINE)
_QUOTE = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+", re.MULTILINE)
_LIST = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?", re.MULTILINE)
_RULE = re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$", re.MULTILINE)
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$", re.MULTILINE)
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
# Single ``*``/``_`` emphasis only between word boundaries, so ``2 * 3 * 4`` and snake_case survive.
_EM_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")
_EM_UNDERSCORE = re.compile(r"(?<![\w_])_(?=[^\s_])([^_\n]+?)(?<=[^\s_])_(?![\w_])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_FRAC = re.compile(r"\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}")
_TEXT = re.compile(r"\\(?:text|mathrm|textbf|mathbf)\{([^{}]*)\}")
_MATH_DELIMITERS = re.compile(r"\\[()\[\]]|\$\$")
_INLINE_MATH = re.compile(r"(?<![\\$])\$(?=\S)([^$\n]+?)(?<=\S)\$(?!\$)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~$])")
_ESCAPED = re.compile("[\ue000-\ue07f]")  # a backslash-escaped character, hidden from the emphasis rules
_SPACE = re.compile(r"\s+")
_BOXED = "\\boxed{"


def _unbox(text: str) -> str:
    r"""``\boxed{x}`` → ``x``, braces inside ``x`` balanced (``\boxed{\frac{1}{2}}``)."""
    out: list[str] = []
    pos = 0
    while (i := text.find(_BOXED, pos)) >= 0:
        depth, j = 1, i + len(_BOXED)
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        inner_end = j - 1 if depth == 0 else j
        out += [text[pos:i], text[i + len(_BOXED):inner_end]]
        pos = j
    out.append(text[pos:])
    return "".join(out)


def plain_text(markdown: str) -> str:
    """The text a reader sees in rendered Markdown, on one line (whitespace runs become one space)."""
    t = _FENCE.sub("", markdown)
    t = _INLINE_CODE.sub(r"\1", t)
    t = _IMAGE.sub(r"\1", t)
    t = _LINK.sub(r"\1", t)
    t = _REF_LINK.sub(r"\1", t)
    t = _AUTOLINK.sub(r"\1", t)
    t = _TAG.sub(" ", t)
    t = _unbox(t)
    t = _FRAC.sub(r"\1/\2", t)
    t = _TEXT.sub(r"\1", t)
    t = _MATH_DELIMITERS.sub(" ", t)
    t = _INLINE_MATH.sub(r"\1", t)
    t = _ESCAPE.sub(lambda m: chr(0xE000 + ord(m[1])), t)
    t = _TABLE_RULE.sub("", t)
    t = _RULE.sub("", t)
    t = _HEADING.sub("", t)
    t = _QUOTE.sub("", t)
    t = _LIST.sub("", t)
    t = t.replace("|", " ")
    t = _STRONG.sub(r"\2", t)
    t = _EM_STAR.sub(r"\1", t)
    t = _EM_UNDERSCORE.sub(r"\1", t)
    t = _STRIKE.sub(r"\1", t)
    t = _ESCAPED.sub(lambda m: chr(ord(m[0]) - 0xE000), t)
    return _SPACE.sub(" ", t).strip()


def match_spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of every term, case-insensitive, sorted, overlaps merged."""
    spans = sorted(
        (m.start(), m.end())
        for term in terms if term
        for m in re.finditer(re.escape(term), text, re.IGNORECASE)
    )
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet(markdown: str, terms: Sequence[str], width: int = 80) -> str:
    """About ``width`` characters of the plain text around the first match, "…" where text was cut."""
    cut_before = cut_after = False
    first = re.search("|".join(re.escape(t) for t in terms if t), markdown, re.IGNORECASE) \
        if any(terms) else None
    if first is not None and len(markdown) > 8 * width:
        # Only the whole lines near the match: stripping a long reply costs ~1 ms per 2 KB, and a search
        # shows up to 50 of them. Inline Markdown does not span lines, so cutting at a line keeps it whole.
        lo = markdown.rfind("\n", 0, max(0, first.start() - 2 * width)) + 1
        hi = markdown.find("\n", first.end() + 2 * width)
        hi = len(markdown) if hi < 0 else hi
        lo, hi = max(lo, first.start() - 8 * width), min(hi, first.end() + 8 * width)  # one endless line
        cut_before, cut_after = lo > 0, hi < len(markdown)
        markdown = markdown[lo:hi]
    text = plain_text(markdown)
    spans = match_spans(text, terms)
    start = max(0, spans[0][0] - width // 3) if spans else 0
    if start:
        # Start on a word where there is one near (English); Chinese has no spaces and is cut anywhere.
        space = text.rfind(" ", max(0, start - 12), start + 1)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    return ("…" if start or cut_before else "") + text[start:end].strip() + \
        ("…" if end < len(text) or cut_after else "")


__all__ = ["match_spans", "plain_text", "snippet"]
