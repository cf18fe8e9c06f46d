"""`assistant doctor`: what runs on this machine and why (CPU code chosen by test, skipped variants, GPU, the
code sandbox)."""

from __future__ import annotations

import argparse
import json
from typing import Any


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "doctor", help="report the CPU, the llama.cpp code chosen for it and why, GPUs and memory",
        description="Which llama.cpp CPU variant this machine runs (each one was tested in a child process "
        "on first start), which were skipped and why, the Vulkan GPU verdict, memory, and whether code from "
        "answers can run in the sandbox (bubblewrap).")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--reprobe", action="store_true", help="test the CPU variants and the GPU again now")
    p.set_defaults(func=cmd_doctor)


def cmd_doctor(args: argparse.Namespace) -> int:
    from assistant.core.runtime.diagnostics import format_report, report

    data = report(reprobe=args.reprobe)
    data["sandbox"] = sandbox_report()
    data["embedding"] = embedding_report()
    text = "\n".join([format_report(data), format_sandbox(data["sandbox"]), format_embedding(data["embedding"])])
    print(json.dumps(data, indent=1, ensure_ascii=False) if args.json else text)
    return 1 if data["llama"].get("error") else 0


def sandbox_report() -> dict[str, Any]:
    """Whether code from answers (eval's code tasks, Run) can run here: a real sandboxed run, once."""
    from dataclasses import asdict

    from assistant.core.sandbox import status

    return asdict(status())


def format_sandbox(s: dict[str, Any]) -> str:
    if s["available"]:
        return f"Code sandbox: {s['message']}\n  limits: {s['limits']}"
    return f"Code sandbox: NOT AVAILABLE: {s['message']}\n  {s['hint']}"


def embedding_report() -> dict[str, Any]:
    """The bundled embedding model (documents): present, loads, ranks a Chinese and an English passage right."""
    from assistant.core.embed import self_test
    from assistant.core.errors import AssistantError

    try:
        return {"ok": True, "message": self_test(), "hint": ""}
    except AssistantError as exc:
        return {"ok": False, "message": exc.message, "hint": exc.hint or ""}


def format_embedding(e: dict[str, Any]) -> str:
    return f"Documents: {e['message']}" if e["ok"] else f"Documents: NOT AVAILABLE: {e['message']}\n  {e['hint']}"
