"""Words for the BM25 index, in Chinese and English alike.

FTS5's ``trigram`` tokenizer (what the history search uses) cannot match a 2-character Chinese word, and most
Chinese words have two characters; its substring matches also make English BM25 noisy ("the" matches
"other"). The index therefore stores its own terms in a column read by FTS5's ``porter unicode61`` tokenizer:
Latin words lowercased (Porter stems them), and every run of Chinese/Japanese/Korean characters as its
overlapping character bigrams (the classic CJK indexing of Lucene's CJKAnalyzer), a lone character as
itself. A question is cut the same way, so "长城有多长" finds "长城" and "长度" alike, with BM25's weights.
Whitespace between two CJK characters (a line wrap in a PDF) is dropped first so wrapped words still pair.
"""

from __future__ import annotations

import re

_CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK_CHARS}]+")
_WORD = re.compile(f"[{_CJK_CHARS}]+|[^\\W_{_CJK_CHARS}]+")
_CJK_GAP = re.compile(f"(?<=[{_CJK_CHARS}])\\s+(?=[{_CJK_CHARS}])")

# Function words that carry no topic. English: the usual short list. Chinese: a bigram that holds a particle,
# or is made only of question/function characters (什么, 多少, 哪些, 是否...), is left out of a query.
_EN_STOP = frozenset((
    "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for", "with", "from",
    "as", "is", "are", "was", "were", "be", "been", "being", "do", "does", "did", "done", "have", "has", "had",
    "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "this", "that", "these", "those",
    "it", "its", "it's", "i", "you", "he", "she", "we", "they", "me", "him", "her", "us", "them", "my", "your",
    "our", "their", "not", "no", "yes", "can", "could", "should", "would", "will", "shall", "may", "might",
    "must", "than", "then", "there", "here", "about", "into", "over", "under", "again", "further", "once",
    "all", "any", "both", "each", "few", "more", "most", "other", "some", "such", "only", "own", "same", "so",
    "too", "very", "just", "also", "please", "tell", "give", "show", "explain", "describe", "according",
    "document", "documents", "text",
))
_ZH_PARTICLES = frozenset("的了吗呢吧啊么嘛呀哦")
_ZH_FUNCTION = frozenset("什么多少哪些个谁怎样为何几是否有没在和与及或这那其之于以请问如按照根据中里上下对该此")


def cjk_bigrams(run: str) -> list[str]:
    return [run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)]


def terms(text: str) -> list[str]:
    """The terms of a text, in order (with repeats), as the index stores them."""
    out: list[str] = []
    for m in _WORD.finditer(_CJK_GAP.sub("", text)):
        word = m.group()
        if _CJK_RUN.fullmatch(word):
            out += cjk_bigrams(word)
        else:
            out.append(word.lower())
    return out


def index_text(text: str) -> str:
    """What goes into the FTS column for a chunk."""
    return " ".join(terms(text))


def _useful(term: str) -> bool:
    if _CJK_RUN.fullmatch(term):
        if any(ch in _ZH_PARTICLES for ch in term):
            return False
        return not all(ch in _ZH_FUNCTION for ch in term)
    return term not in _EN_STOP


def stem(term: str) -> str:
    """A light English stem for comparing words (tomatoes ~ tomato, watered ~ water); CJK terms unchanged."""
    if len(term) > 4 and term.isascii():
        for suffix in ("ing", "ies", "es", "ed", "s"):
            if term.endswith(suffix) and not term.endswith("ss"):
                return term[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return term


def query_terms(question: str) -> list[str]:
    """The distinct useful terms of a question (all of them if every one is a stop word)."""
    seen: dict[str, None] = {}
    every: dict[str, None] = {}
    for t in terms(question):
        every.setdefault(t)
        if _useful(t):
            seen.setdefault(t)
    return list(seen or every)


def fts_query(question: str) -> str:
    """An FTS5 MATCH expression: any of the terms (BM25 ranks the chunks that have more and rarer ones)."""
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in query_terms(question))
