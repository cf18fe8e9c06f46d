"""The UI tests' fake backend: the one in assistant.core.backends.fake (fast; each feature is also proven
with the real model elsewhere). Its defaults are what these tests expect: "Hello there." in three
pieces, the chatml family, a 4096-token context, a model named "Fake model"."""

from __future__ import annotations

from assistant.core.backends.fake import FakeBackend

__all__ = ["FakeBackend"]
