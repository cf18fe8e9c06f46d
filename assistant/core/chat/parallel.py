"""A turn's samples decoded together, with the vote decided as early as it can be.

The backend decodes N sequences of one prompt in one batch (``backend.parallel``); pieces arrive tagged
with their sample, interleaved. Each sample keeps its own :class:`SampleStream` (reasoning split, thinking
budget, loops), so a reasoning closed at its budget gets its wrap-up fed into that sequence alone, and a
loop takes that sequence alone back to where the loop began (its KV cells past that point are dropped),
then either closes it there or resamples it with another seed, as one sample on its own would. When
a sample ends, the vote so far is counted: once no unfinished sample can change the winner (3 of 5
agree), the rest are stopped, if the turn asks for it (``early_vote``).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from assistant.core.chat.postprocess import normalise_answer, vote_key
from assistant.core.chat.protocol import GenerationRequest, GenerationStats
from assistant.core.chat.sample_stream import ANSWER_LOOP, SampleResult, SampleStream, TurnEvent, resample_sampling


def decided(answers: Sequence[str | None], unfinished: int) -> bool:
    """Whether no unfinished sample can change the winner: the leader is ahead by more than they hold."""
    counts = Counter(normalise_answer(a) for a in answers if a and a.strip())
    if not counts:
        return False
    ranked = counts.most_common(2)
    lead = ranked[0][1]
    second = ranked[1][1] if len(ranked) > 1 else 0
    return lead > second + unfinished


def run_parallel(turn: Any, requests: Sequence[GenerationRequest], notices: list[str],
                 save: Callable[[], None]) -> Iterator[TurnEvent]:
    """Stream every sample of ``turn`` (a ChatTurn) from one batched decode; fills ``turn.samples``."""
    n = len(requests)
    max_tokens = requests[0].sampling.max_tokens
    streams = [SampleStream(i, SampleResult(), turn.family, turn.thinking_control(max_tokens), raw=turn.prefill)
               for i in range(n)]
    run = turn.backend.parallel(requests)  # sized and checked first: too big raises before anything starts
    turn.samples.extend(st.sample for st in streams)
    for i in range(n):
        yield TurnEvent("sample_start", sample=i)
    used = [0] * n
    stats: list[GenerationStats | None] = [None] * n
    ended = [False] * n
    for chunk in run:
        i = chunk.seq
        st = streams[i]
        if chunk.notice:
            notices.append(chunk.notice)
            yield TurnEvent("notice", chunk.notice)
            continue
        if not chunk.done:
            used[i] += chunk.tokens or 1
            events, action = st.feed(chunk)
            yield from events
            if action == "answer_loop":
                notices.append(ANSWER_LOOP)
                yield TurnEvent("notice", ANSWER_LOOP, i)
                run.finish(i, "stop")
            elif action and used[i] >= max_tokens:
                run.finish(i, "length")  # the reasoning took the whole reply (no answer reserve)
            elif action:
                events, wrap = st.close_reasoning(action, turn.user_text, cut_to=_cut_to(run, i, len(turn.prefill)))
                yield from events
                if st.ctl.end:  # closed: the wrap-up goes into this sequence
                    run.inject(i, wrap, max_tokens - used[i])
                else:  # a loop resampled from where it began
                    run.reseed(i, resample_sampling(requests[i].sampling, st.ctl.resamples))
            save()
            continue
        stats[i] = chunk.stats
        finish = chunk.stats.finish_reason if chunk.stats else "stop"
        if finish == "stop" and st.ended_inside_reasoning() and not turn.cancel.is_set() and used[i] < max_tokens:
            events, wrap = st.close_reasoning("unclosed", turn.user_text)
            yield from events
            run.inject(i, wrap, max_tokens - used[i])
            continue
        ended[i] = True
        yield from _end(turn, st, stats[i], finish)
        if turn.options.early_vote and not all(ended):
            answers = [vote_key(s.sample.answer) if ended[k] and s.sample.answer else None
                       for k, s in enumerate(streams)]
            if decided(answers, ended.count(False)):
                # No notice: the stopped samples end "decided", and the vote says it was decided early
                # (Vote.decided_early), which each front end words in its user's language.
                for k in range(n):
                    if not ended[k]:
                        run.finish(k, "decided")


def _cut_to(run: Any, seq: int, prefill: int) -> Callable[[int], int]:
    """Takes one sequence back to an offset of its raw text (the last token boundary at or before it), and
    says where it went. The prefill (a continued reply) is part of the prompt: it stays."""
    return lambda cut: prefill + run.rewind(seq, max(0, cut - prefill))


def _end(turn: Any, st: SampleStream, stats: GenerationStats | None, finish: str) -> Iterator[TurnEvent]:
    yield from st.finish(turn.cancel.is_set())
    sample = st.sample
    sample.stats = dataclasses.replace(stats) if stats is not None else GenerationStats()
    sample.stats.finish_reason = "cancelled" if turn.cancel.is_set() else finish
    yield TurnEvent("sample_end", sample=st.index)
