"""Answers with sources, the R1 way: the retrieved passages go into the user turn, numbered, with the instruction
to cite them as [1], [2] (no system prompt, which R1 models are told not to get).

The turn's text is the prompt *as sent*; the caller keeps it as the user message the model sees (the history
stores it beside what the user typed, ``extra["documents"]["prompt"]``), so the next question of the same
conversation renders the same prefix and the KV cache (and the kept states) reuse it: passages already in the
context are never evaluated again. A follow-up question keeps the numbering going: a passage already given is
referred to by its number, only new ones are written out, numbered after the last.

When no passage is relevant the turn says so, and asks the model to say that the documents do not cover the
question rather than invent a source. The chat layer knows nothing of documents: it receives a user text.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.core.chat.prompting import is_maths_question, question_language
from assistant.core.chat.turn import TurnOptions
from assistant.core.docs.embedding import TextEmbedder
from assistant.core.docs.library import shared_collection
from assistant.core.docs.retrieval import TOP_K, Passage, SearchResult, search

PASSAGE_CHARS = 1500  # a passage is at most this long in the prompt (chunks are ~256 tokens, so rarely cut)

TEXTS = {
    "en": {
        "intro": "Answer the question using the numbered passages from my documents below. Cite each passage you "
                 "use by its number in square brackets, like [1] or [2]. If the passages do not contain the "
                 "answer, say so.",
        "again": "Passages given above also apply to this question: {numbers}.",
        "only_again": "The passages given above answer this question: {numbers}. Cite them by number.",
        "none": "I searched my documents ({collections}) and found no passage relevant to this question. Say that "
                "my documents do not cover it. If you answer from general knowledge, say so and cite no passage.",
        "question": "Question: ",
        "page": ", page {page}",
    },
    "zh": {
        "intro": "请根据下面我的文档中编号的片段回答问题，并在用到的片段后用方括号注明编号，例如 [1]、[2]。"
                 "如果这些片段中没有答案，请直接说明。",
        "again": "上文的片段 {numbers} 也与这个问题相关。",
        "only_again": "上文的片段 {numbers} 与这个问题相关，请按编号引用。",
        "none": "我在我的文档（{collections}）中没有找到与这个问题相关的片段。请说明我的文档中没有相关内容；"
                "如果根据常识回答，请说明这一点，不要引用任何片段编号。",
        "question": "问题：",
        "page": "，第 {page} 页",
    },
}
_CITATION = re.compile(r"[\[【［]\s*(\d{1,3}(?:\s*[,，、-]\s*\d{1,3})*)\s*[\]】］]")


@dataclass
class Grounding:
    """A question with its passages: ``prompt`` is the user turn to send; ``sources`` every passage the
    conversation has been given so far that this question found relevant (old ones keep their numbers);
    ``new_sources`` those written into this turn."""

    question: str
    prompt: str
    collections: list[str]
    sources: list[dict[str, Any]] = field(default_factory=list)
    new_sources: list[dict[str, Any]] = field(default_factory=list)
    result: SearchResult | None = None

    @property
    def found(self) -> bool:
        return bool(self.sources)

    def cited(self, answer: str) -> list[dict[str, Any]]:
        """The sources the answer cites ([1], [2, 3], 【1】...), in the order of their numbers."""
        numbers = cited_numbers(answer)
        return [s for s in self.sources if s["n"] in numbers]

    def record(self) -> dict[str, Any]:
        """What the history keeps with the user message (``extra["documents"]``)."""
        return {"collections": self.collections, "prompt": self.prompt, "sources": self.new_sources,
                "relevant": [s["n"] for s in self.sources]}


def cited_numbers(answer: str) -> set[int]:
    out: set[int] = set()
    for m in _CITATION.finditer(answer):
        for part in re.split(r"\s*[,，、]\s*", m.group(1)):
            if "-" in part:
                a, _, b = part.partition("-")
                if a.strip().isdigit() and b.strip().isdigit() and int(b) - int(a) < 20:
                    out.update(range(int(a), int(b) + 1))
            elif part.strip().isdigit():
                out.add(int(part))
    return out


def source_record(n: int, p: Passage) -> dict[str, Any]:
    h = p.hit
    return {"n": n, "collection": h.collection, "path": h.path, "page": h.page, "start": h.start, "end": h.end,
            "heading": h.heading, "text": h.text, "format": h.format, "score": round(p.score, 5),
            "cosine": round(p.cosine, 4)}


def _label(src: dict[str, Any], lang: str) -> str:
    name = str(src["path"]).replace("\\", "/").rsplit("/", 1)[-1]
    page = TEXTS[lang]["page"].format(page=src["page"]) if src.get("page") else ""
    heading = f" — {src['heading']}" if src.get("heading") else ""
    return f"[{src['n']}] {name}{page}{heading}"


def _numbers(sources: Iterable[dict[str, Any]], lang: str) -> str:
    marks = [f"[{s['n']}]" for s in sources]
    return ("、" if lang == "zh" else ", ").join(marks)


def compose(question: str, collections: Sequence[str], result: SearchResult,
            previous: Sequence[dict[str, Any]] = ()) -> Grounding:
    """The user turn for ``question`` from a search result; ``previous``: the sources the conversation was
    given before (their ``n`` are kept)."""
    lang = question_language(question)
    t = TEXTS[lang]
    known = {(s["collection"], s["path"], s["start"]): s for s in previous}
    next_n = max((int(s["n"]) for s in previous), default=0) + 1
    again: list[dict[str, Any]] = []
    new: list[dict[str, Any]] = []
    for p in result.relevant:
        old = known.get(p.key)
        if old is not None:
            again.append(old)
        else:
            new.append(source_record(next_n, p))
            next_n += 1
    names = ("、" if lang == "zh" else ", ").join(collections)
    if not again and not new:
        prompt = f"{t['none'].format(collections=names)}\n\n{t['question']}{question}"
    elif not new:
        prompt = f"{t['only_again'].format(numbers=_numbers(again, lang))}\n\n{t['question']}{question}"
    else:
        blocks = [t["intro"]]
        blocks += [f"{_label(s, lang)}\n{_clip(s['text'])}" for s in new]
        if again:
            blocks.append(t["again"].format(numbers=_numbers(again, lang)))
        blocks.append(f"{t['question']}{question}")
        prompt = "\n\n".join(blocks)
    sources = sorted(again + new, key=lambda s: int(s["n"]))
    return Grounding(question, prompt, list(collections), sources, new, result)


def _clip(text: str) -> str:
    return text if len(text) <= PASSAGE_CHARS else text[:PASSAGE_CHARS].rstrip() + "…"


def ground(question: str, collections: Sequence[str], embedder: TextEmbedder | None, *,
           previous: Sequence[dict[str, Any]] = (), top_k: int = TOP_K, mode: str = "hybrid") -> Grounding:
    """Search the named collections for ``question`` and write the user turn (the one call front ends make)."""
    opened = [shared_collection(name) for name in collections]
    result = search(opened, question, embedder, top_k=top_k, mode=mode)
    return compose(question, [c.name for c in opened], result, previous)


def question_options(options: TurnOptions, question: str) -> TurnOptions:
    """The turn options for a documents question: maths mode "auto" is decided on the question alone, since the
    passages' numbers and dates must not make a documents question a maths one."""
    if options.prompt.maths is not None:
        return options
    return dataclasses.replace(options, prompt=dataclasses.replace(options.prompt, maths=is_maths_question(question)))


def previous_sources(extras: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sources a conversation has been given, from its user messages' ``extra`` (oldest first)."""
    out: list[dict[str, Any]] = []
    for extra in extras:
        docs = extra.get("documents") if isinstance(extra, dict) else None
        if isinstance(docs, dict):
            out += [s for s in docs.get("sources", []) if isinstance(s, dict) and "n" in s]
    return out
