"""Random operations on a conversation tree, shared by the property test and the kill -9 child.

Run as ``python -m tests.core.history_ops DB SEED``: performs seeded operations on the history at DB forever,
printing the number of operations committed after each one (the parent kills it with SIGKILL mid-write).
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field

from assistant.core.chat.history import History

OPS = ("send", "edit_user", "regenerate", "edit_reply", "switch", "show", "cut", "branch")
WORDS = ["长方形", "周长", "30", "answer", "the", "宽", "x", "\\boxed{6}", "edit", "再试"]


def text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6)))


def apply(h: History, cid: int, op: str, pick: int, words: str) -> int | None:
    """One user action on conversation ``cid``; ``pick`` chooses its target. Returns a new conversation's id
    (branch from here), else None."""
    path = h.messages(cid)
    if op == "send" or not path:
        user = h.add_message(cid, "user", words)
        h.add_message(cid, "assistant", words[::-1], parent_id=user)
        return None
    m = path[pick % len(path)]
    if op == "edit_user" and m.role == "user":
        user = h.edit_message(m.id, words)
        h.add_message(cid, "assistant", words.upper(), parent_id=user)
    elif op == "regenerate" and m.role == "assistant":
        h.add_message(cid, "assistant", words, parent_id=m.parent_id)
    elif op == "edit_reply" and m.role == "assistant":
        h.edit_message(m.id, words)
    elif op == "switch":
        sibs = h.siblings(m.id)
        h.show(sibs[pick % len(sibs)])
    elif op == "show":
        every = h.messages(cid, include_superseded=True)
        h.show(every[pick % len(every)].id)
    elif op == "cut":
        h.supersede_from(m.id)
    elif op == "branch":
        return h.branch_from(m.id).id
    return None


@dataclass
class Driver:
    """Seeded operations over the conversations of one history (a branch adds a conversation to work on)."""

    seed: int
    conversations: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def step(self, h: History) -> None:
        if not self.conversations:
            self.conversations.append(h.create_conversation("t").id)
        rng = self.rng
        cid = self.conversations[rng.randrange(len(self.conversations))]
        new = apply(h, cid, rng.choice(OPS), rng.randrange(1 << 30), text(rng))
        if new is not None:
            self.conversations.append(new)


def dump(h: History) -> dict[int, object]:
    """Everything the tree is: each conversation's messages (id, parent, role, text, chosen child) and path."""
    conn = h._conn()
    out: dict[int, object] = {}
    for c in h.list_conversations(include_deleted=True):
        rows = conn.execute("SELECT id, parent_id, role, content, chosen_child_id FROM messages "
                            "WHERE conversation_id=? ORDER BY id", (c.id,)).fetchall()
        out[c.id] = ([tuple(r) for r in rows], [m.id for m in h.messages(c.id)])
    return out


WRITES = ("create_conversation", "add_message", "edit_message", "show", "supersede_from", "branch_from")


class EveryWrite:
    """A History whose writes each leave a snapshot (``dump``) behind: one user action is several transactions
    (a message sent is the question, then its reply), and a kill can land between any two of them."""

    def __init__(self, h: History) -> None:
        self.h = h
        self.snapshots: list[dict[int, object]] = []

    def __getattr__(self, name: str) -> object:
        attr = getattr(self.h, name)
        if name not in WRITES:
            return attr

        def write(*args: object, **kwargs: object) -> object:
            out = attr(*args, **kwargs)
            self.snapshots.append(dump(self.h))
            return out

        return write


def main() -> None:
    path, seed = sys.argv[1], int(sys.argv[2])
    h = History(path)
    driver = Driver(seed)
    done = 0
    while True:
        driver.step(h)
        done += 1
        print(done, flush=True)


if __name__ == "__main__":
    main()
