"""schemathesis hooks (loaded through SCHEMATHESIS_HOOKS by test_fuzz.py).

JSON Schema cannot say "the conversation ends with the user's message", so without help nearly every
generated conversation ends with another role and is refused before reaching the model. This turns a
final *valid* non-user role into "user"; invalid roles stay invalid, so negative cases stay negative.
"""

from __future__ import annotations

from typing import Any

import schemathesis

_OTHER_ROLES = ("system", "developer", "assistant", "tool")


@schemathesis.hook
def map_body(context: Any, body: Any) -> Any:
    op = getattr(context, "operation", None)
    if op is None or getattr(op, "path", "") not in ("/v1/chat/completions", "/api/chat") or not isinstance(body, dict):
        return body
    messages = body.get("messages")
    if isinstance(messages, list) and messages and isinstance(messages[-1], dict) \
            and messages[-1].get("role") in _OTHER_ROLES:
        messages[-1] = {**messages[-1], "role": "user"}
    return body
