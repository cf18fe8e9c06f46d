"""The bundled embedding model's check for ``--self-test``: it loads, and ranks the right passage first in
Chinese and in English."""

from __future__ import annotations

import time

import numpy as np

from assistant.core.errors import AssistantError

PASSAGES = (
    "北京是中华人民共和国的首都，也是全国的政治和文化中心。",
    "Photosynthesis converts light energy into chemical energy stored in glucose.",
    "长江是中国最长的河流，全长约六千三百公里。",
    "The Eiffel Tower was completed in 1889 for the World's Fair in Paris.",
)
QUERIES = (("中国最长的河是哪条？", 2), ("When was the Eiffel Tower built?", 3))


def self_test() -> str:
    """One line on success; raises AssistantError (message + hint) when the model is missing or wrong."""
    from assistant.core.embed.embedder import Embedder

    t0 = time.monotonic()
    with Embedder(n_gpu_layers=0) as emb:
        p = emb.embed(list(PASSAGES))
        q = emb.embed([text for text, _ in QUERIES], query=True)
        for (text, want), row in zip(QUERIES, q @ p.T):
            got = int(np.argmax(row))
            if got != want:
                raise AssistantError(f"The embedding model ranked the wrong passage first for {text!r}.",
                                     hint="The bundled embedding model may be damaged; reinstall the app.")
        desc = emb.describe()
    return f"embedding model ok ({desc}; {time.monotonic() - t0:.1f} s)"
