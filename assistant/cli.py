"""`assistant` command line: chat, ask, and the subcommands other modules register.

Thin over ``assistant.core``: options map onto the same settings, prompt layer and ChatTurn as the GUI.
Errors a user should see (``AssistantError``) are caught once, in :func:`main`.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import importlib
import json
import logging
import os
import sys
import threading
import time
from collections.abc import Sequence
from typing import Any, TextIO

from assistant.commands.signals import sigint_cancels
from assistant.core.chat.prompting import PRESETS, Message
from assistant.core.errors import AssistantError, ConfigError
from assistant.core.settings import Settings

log = logging.getLogger(__name__)

# Modules that add subcommands: each has add_parser(subparsers). Missing ones are skipped.
EXTENSIONS = ("assistant.commands.models", "assistant.commands.convert", "assistant.commands.serve",
              "assistant.commands.doctor", "assistant.commands.eval", "assistant.commands.lora",
              "assistant.commands.docs")

DIM, BOLD, RESET, GREEN = "\x1b[2m", "\x1b[1m", "\x1b[0m", "\x1b[32m"


# ---------------------------------------------------------------------------------------------------
# Options shared by chat and ask


def add_generation_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("model and sampling")
    g.add_argument("-m", "--model", help="catalog id or path to a .gguf file (default: the last used)")
    g.add_argument("--temperature", "-t", type=float, help="sampling temperature (default 0.6)")
    g.add_argument("--top-p", type=float, help="nucleus sampling (default 0.95)")
    g.add_argument("--max-tokens", type=int,
                   help="most tokens in a reply, reasoning included (default: 4096 for reasoning models, 1024 else)")
    g.add_argument("--think-budget", type=thinking_budget_arg, metavar="N|auto|none",
                   help="most tokens of reasoning before the model must answer (default auto: by task and model)")
    g.add_argument("--force-thinking", action="store_true", default=None,
                   help="start the reply inside <think> (for models that skip their reasoning)")
    g.add_argument("--think", dest="thinking", action="store_true", default=None,
                   help="models with a thinking switch (Qwen3): reason before answering (their default)")
    g.add_argument("--no-think", dest="thinking", action="store_false",
                   help="models with a thinking switch (Qwen3): answer at once, without reasoning")
    g.add_argument("--on-loop", choices=("answer", "resample", "off"),
                   help="when the reasoning repeats itself: close it and answer (default), resample, or let it run")
    g.add_argument("--seed", type=int, help="sampling seed, for repeatable replies")
    g.add_argument("--maths", choices=("auto", "on", "off"), help="append the step-by-step + \\boxed{} directive")
    g.add_argument("--samples", "-n", type=int, help="samples per question; several are put to a majority vote")
    g.add_argument("--preset", choices=sorted(PRESETS), help="role preset written into the user turn")
    g.add_argument("--system", help="system prompt (folded into the user turn for R1 models)")
    g.add_argument("--ctx", type=int, help="context size in tokens (default: from the catalog)")
    g.add_argument("--threads", type=int, help="CPU threads (default: physical cores)")
    g.add_argument("--gpu-layers", type=int, help="layers to offload to the GPU")
    g.add_argument("--context-policy", choices=("drop_oldest", "error"),
                   help="when the conversation no longer fits: leave out the oldest messages, or refuse")
    g.add_argument("--backend", choices=("llama.cpp", "openai", "vllm"), help="where the model runs")
    g.add_argument("--server-url", help="OpenAI-compatible server URL for --backend openai")
    g.add_argument("--lora", action="append", default=[], metavar="NAME[:SCALE]",
                   help="apply a LoRA adapter (see `assistant lora list`), scale 1 by default; repeatable")


def thinking_budget_arg(text: str) -> int:
    if text.lower() == "auto":
        return -1
    if text.lower() in ("none", "off", "unlimited"):
        return 0
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of tokens, 'auto' or 'none'") from None
    if value < 1:
        raise argparse.ArgumentTypeError("a thinking budget is at least 1 token ('none' for no limit)")
    return value


def meter(thinking: dict[str, Any] | None, live_seconds: float | None = None) -> str:
    """The thinking meter: tokens used / budget, time, and why the reasoning ended."""
    if not thinking:
        return ""
    budget, tokens = thinking.get("budget"), int(thinking["tokens"])  # type: ignore[call-overload]
    if live_seconds is not None:
        return f"Thinking… {tokens:,}" + (f"/{budget:,}" if budget else "") + f" tokens · {live_seconds:.0f} s"
    why = {"budget": f"budget {budget or thinking.get('cap')} reached", "loop": "loop stopped",
           "unclosed": "closed for the answer", "stopped": "stopped",
           "length": "cut at max tokens"}.get(str(thinking.get("end")), "")
    return f"Thought for {float(thinking.get('seconds') or 0):.0f} s · {tokens:,} tokens" + (f" ({why})" if why else "")


def settings_from_args(args: argparse.Namespace) -> Settings:
    settings = Settings.load()
    s = settings.sampling
    for attr, target, name in (
        ("temperature", s, "temperature"), ("top_p", s, "top_p"), ("max_tokens", s, "max_tokens"),
        ("seed", s, "seed"), ("maths", settings, "maths_mode"), ("samples", settings, "samples"),
        ("preset", settings, "preset"), ("ctx", settings, "n_ctx"), ("threads", settings, "n_threads"),
        ("gpu_layers", settings, "n_gpu_layers"), ("context_policy", settings, "context_policy"),
        ("model", settings, "model"), ("backend", settings, "backend"), ("server_url", settings, "server_url"),
        ("think_budget", settings, "thinking_budget"), ("force_thinking", settings, "force_thinking"),
        ("on_loop", settings, "loop_action"),
    ):
        value = getattr(args, attr, None)
        if value is not None:
            setattr(target, name, value)
    settings.validate()
    return settings


class Printer:
    """Streams turn events to the terminal: reasoning dimmed (or to stderr, or hidden), answer plain."""

    def __init__(self, out: TextIO, reasoning: str = "show", colour: bool | None = None,
                 turn: Any = None) -> None:
        self.out = out
        self.mode = reasoning
        self.colour = out.isatty() if colour is None else colour
        self._where: str | None = None
        self.turn = turn  # the ChatTurn being printed: its thinking meter
        self._live = sys.stderr.isatty()
        self._t0 = time.monotonic()
        # Samples decoded together arrive interleaved: each is held and printed whole when it ends.
        self._held: dict[int, list[Any]] = {}
        self._ended = 0
        self._sample: int | None = None

    def _current(self) -> Any:
        if self.turn is None or not self.turn.samples:
            return None
        return self.turn.samples[self._sample] if self._sample is not None else self.turn.current

    def _style(self, code: str) -> str:
        return code if self.colour else ""

    def event(self, ev: Any, n_samples: int) -> None:
        if n_samples > 1 and ev.kind != "notice" and self._sample is None:
            self._held.setdefault(ev.sample, []).append(ev)
            if ev.kind != "sample_end":
                return
            self._ended += 1
            if self._live:
                sys.stderr.write("\r\x1b[K")
            self._sample = ev.sample
            try:
                for held in self._held.pop(ev.sample):
                    self.event(held, n_samples)
            finally:
                self._sample = None
            if self._live and self._ended < n_samples:
                sys.stderr.write(f"{self._ended}/{n_samples} samples done…")
                sys.stderr.flush()
            return
        if ev.kind == "notice":
            self._switch(None)
            print(f"{self._style(DIM)}[{ev.text}]{self._style(RESET)}", file=sys.stderr)
        elif ev.kind == "sample_start" and n_samples > 1:
            self._switch(None)
            self.out.write(f"{self._style(BOLD)}── sample {ev.sample + 1}/{n_samples} ──{self._style(RESET)}\n")
        elif ev.kind == "rewind" and self.mode != "hide":
            self._switch(None)
            print(f"{self._style(DIM)}[the reasoning went round in a loop: cut where it began]{self._style(RESET)}",
                  file=sys.stderr)
        elif ev.kind == "reasoning":
            if self._where != "reasoning":
                self._t0 = time.monotonic()
            if self.mode == "hide":
                self._where = "reasoning"
                if self._live and self._current() is not None and self._sample is None:
                    line = meter(self._current().thinking, time.monotonic() - self._t0)
                    sys.stderr.write(f"\r{line}\x1b[K")
                    sys.stderr.flush()
                return
            stream = sys.stderr if self.mode == "stderr" else self.out
            if self._where != "reasoning":
                self._switch("reasoning")
                if stream is self.out:
                    stream.write(self._style(DIM) + "Thinking…\n")
            stream.write(ev.text)
            stream.flush()
        elif ev.kind == "answer":
            if self._where != "answer":
                self._switch("answer")
            self.out.write(ev.text)
            self.out.flush()
        elif ev.kind == "sample_end":
            self._switch(None)

    def _switch(self, where: str | None) -> None:
        if self._where == "reasoning":
            sample = self._current()
            summary = meter(sample.thinking, None) if sample is not None else ""
            if sample is not None and not sample.seconds_thinking:
                summary = summary.replace("Thought for 0 s", f"Thought for {time.monotonic() - self._t0:.0f} s")
            if self.mode == "show":
                self.out.write(self._style(RESET) + "\n")
            if self.mode == "hide" and self._live:
                sys.stderr.write("\r\x1b[K")
            if summary:
                sys.stderr.write(f"{self._style(DIM)}[{summary}]{self._style(RESET)}\n")
            if self.mode == "show":
                self.out.write("\n")
            elif self.mode == "stderr":
                sys.stderr.write("\n")
        elif self._where == "answer":
            self.out.write("\n")
        self.out.flush()
        self._where = where


# ---------------------------------------------------------------------------------------------------
# Commands


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.commands.docs import DocsSession
    from assistant.core.backends import open_backend
    from assistant.core.chat.turn import ChatTurn

    question = sys.stdin.read() if args.question == "-" else args.question
    if not question.strip():
        raise ConfigError("The question is empty.", hint='Give the question as an argument, or pipe it in with `-`: '
                          'echo "What is 2+3?" | assistant ask -')
    settings = settings_from_args(args)
    docs = DocsSession(args)  # --docs: the question goes with its passages
    backend = open_backend(settings)
    try:
        cap_max_tokens(settings, backend.info.n_ctx)
        cancel = threading.Event()
        from assistant.commands.json_schema import check_answer, with_schema

        options = with_schema(args, docs.options(turn_options(args, settings, backend), question))
        turn = ChatTurn(backend, [], docs.prompt(question), options, cancel=cancel)
        printer = None if args.json else Printer(sys.stdout, args.reasoning, turn=turn)
        with sigint_cancels(cancel):
            for ev in turn.events():
                if printer is not None:
                    printer.event(ev, settings.samples)
        result = turn.result
        assert result is not None
        if args.json:
            data = result.to_dict()
            data["model"] = backend.info.name
            data["backend"] = backend.name
            data["adapters"] = [{"name": a.name, "scale": a.scale} for a in turn.options.adapters]
            if docs.names:
                data["sources"] = docs.cited(result.answer)
            json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        else:
            if result.vote is not None:
                from assistant.commands.words import vote_line

                print(vote_line(result.vote))
            if result.boxed is not None:
                print(f"{printer._style(BOLD + GREEN) if printer else ''}Final answer: {result.boxed}"
                      f"{printer._style(RESET) if printer else ''}")
            if result.stopped:
                print("[stopped]", file=sys.stderr)
            docs.print_sources(result.answer)
        return 130 if result.stopped else check_answer(args, result.answer, result.best.stats.finish_reason)
    finally:
        backend.close()
        docs.close()


def turn_options(args: argparse.Namespace, settings: Settings, backend: Any) -> Any:
    """The turn's options from the settings, with the --lora adapters (checked against a local model)."""
    from assistant.core.chat.turn import TurnOptions
    from assistant.core.models.lora import resolve_adapters

    options = TurnOptions.from_settings(settings, system=args.system, thinking=getattr(args, "thinking", None))
    lora = list(getattr(args, "lora", None) or [])
    if not lora:
        return options
    path = getattr(backend, "path", None)
    adapters = resolve_adapters(lora, path if path is not None and str(path).endswith(".gguf") else None)
    return dataclasses.replace(options, adapters=adapters)


def cap_max_tokens(settings: Settings, n_ctx: int) -> None:
    """A reply can never be longer than the context: a larger --max-tokens is capped there, with a note."""
    if n_ctx and settings.sampling.max_tokens > n_ctx:
        print(f"[max tokens {settings.sampling.max_tokens:,} is more than the context holds: capped at {n_ctx:,}]",
              file=sys.stderr)
        settings.sampling.max_tokens = n_ctx


def cmd_chat(args: argparse.Namespace) -> int:
    from assistant.commands.chat_tree import ChatTree
    from assistant.commands.docs import DocsSession
    from assistant.core.backends import open_backend
    from assistant.core.chat.turn import ChatTurn, usable_reply

    settings = settings_from_args(args)
    docs = DocsSession(args)  # --docs: every question goes with its passages; follow-ups reuse the earlier ones
    print(f"Loading {settings.model}…", file=sys.stderr)
    backend = open_backend(settings)
    cap_max_tokens(settings, backend.info.n_ctx)
    tree = ChatTree()  # /retry and /edit add versions beside the old ones (a tree, as in the window)
    print(
        f"{backend.info.name} on {backend.name} · context {backend.info.n_ctx} tokens.\n"
        "Type a message. Ctrl+C stops a reply; /retry, /edit; /new starts over; /exit or Ctrl+D quits.",
        file=sys.stderr,
    )
    printer = Printer(sys.stdout, args.reasoning)
    warm = Prewarm(backend)
    options = turn_options(args, settings, backend)
    if options.adapters:
        print("Adapters: " + ", ".join(f"{a.name} ×{a.scale:g}" for a in options.adapters), file=sys.stderr)

    def reply(user_id: int, question: str, prompt: str) -> None:
        """A reply to the user message ``user_id`` (the path before it is the history), kept if usable."""
        cancel = threading.Event()
        turn = ChatTurn(backend, tree.messages(before=user_id), prompt, docs.options(options, question),
                        cancel=cancel)
        printer.turn = turn
        try:
            with sigint_cancels(cancel):
                for ev in turn.events():
                    printer.event(ev, settings.samples)
        except AssistantError as exc:
            print(f"Error: {exc.user_text()}", file=sys.stderr)
            return
        result = turn.result
        assert result is not None
        if result.vote is not None:
            from assistant.commands.words import vote_line

            print(f"[{vote_line(result.vote)}]", file=sys.stderr)
        if result.stopped:
            print("[stopped]", file=sys.stderr)
        docs.print_sources(result.answer)
        if usable_reply(result.answer):
            n, m = tree.version(tree.answer(user_id, result.answer))
            if m > 1:
                print(f"[reply {n}/{m}]", file=sys.stderr)
            warm.start(tree.messages(), options)

    try:
        while True:
            try:
                line = input(">>> " if sys.stdin.isatty() else "")
                warm.stop()
            except EOFError:
                print(file=sys.stderr)
                return 0
            except KeyboardInterrupt:
                print("\n(use /exit or Ctrl+D to quit)", file=sys.stderr)
                continue
            text = line.strip()
            if not text:
                continue
            if text in ("/exit", "/quit"):
                return 0
            if text == "/new":
                tree.new()
                docs.previous.clear()
                print("[new conversation]", file=sys.stderr)
                continue
            if text == "/help":
                print("/retry  a new reply beside the last one · /edit TEXT  a new version of your last message · "
                      "/new  start over · /exit  quit · Ctrl+C  stop the reply", file=sys.stderr)
                continue
            last = tree.last_user()
            if text == "/retry":
                if last is None:
                    print("[nothing to retry yet]", file=sys.stderr)
                    continue
                sent = (last.extra.get("documents") or {}).get("prompt") or last.content
                reply(last.id, last.content, sent)
                continue
            if text == "/edit" or text.startswith("/edit "):
                question = text[len("/edit"):].strip() or edited_line(last.content if last else "")
                if last is None or not question:
                    print("[/edit TEXT: a new version of your last message]", file=sys.stderr)
                    continue
                prompt = docs.prompt(question)
                user_id = tree.edit(last, question, prompt)
                n, m = tree.version(user_id)
                print(f"[message {n}/{m}]", file=sys.stderr)
                reply(user_id, question, prompt)
                continue
            prompt = docs.prompt(text)
            reply(tree.ask(text, prompt), text, prompt)  # the message is kept, as in the window, if the reply fails
    finally:
        warm.stop()
        backend.close()
        docs.close()
        tree.close()


def edited_line(text: str) -> str:
    """On a terminal, /edit alone puts the last message on the input line to change (readline); "" elsewhere."""
    if not text or not sys.stdin.isatty():
        return ""
    try:
        import readline
    except ImportError:
        return ""
    readline.set_startup_hook(lambda: readline.insert_text(text))
    try:
        return input("edit> ").strip()
    except (EOFError, KeyboardInterrupt):
        return ""
    finally:
        readline.set_startup_hook(None)


class Prewarm:
    """While the user types, the backend's cache is brought to the conversation as the next turn will send
    it (an R1 reply goes back without its reasoning); a new message stops it at once."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self.cancel = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self, history: list[Message], options: Any) -> None:
        from assistant.core.chat.turn import next_prefix

        if not hasattr(self.backend, "prewarm"):
            return
        self.cancel = threading.Event()
        messages = next_prefix(history, options, self.backend.family)
        self.thread = threading.Thread(target=self.backend.prewarm, args=(messages, None, self.cancel),
                                       name="prewarm", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.cancel.set()
        if self.thread is not None:
            self.thread.join()
            self.thread = None


def cmd_info(args: argparse.Namespace) -> int:
    from assistant.core.models.catalog import load_catalog
    from assistant.core.paths import app_paths
    from assistant.core.runtime.hardware import physical_cores, total_ram_bytes

    paths = app_paths()
    info = {
        "paths": {k: str(v) for k, v in paths.__dict__.items()},
        "physical_cores": physical_cores(),
        "ram_gib": round(total_ram_bytes() / 2**30, 1),
        "catalog": sorted(load_catalog()),
    }
    print(json.dumps(info, indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description="Offline assistant for local reasoning models.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log to the terminal too")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    from assistant.commands.docs import add_docs_option

    p = sub.add_parser("chat", help="interactive chat in the terminal")
    add_generation_options(p)
    add_docs_option(p)
    p.add_argument("--reasoning", choices=("show", "hide", "stderr"), default="show",
                   help="how to show the model's reasoning (default: dimmed)")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("ask", help="ask one question and print the reply")
    p.add_argument("question", help='the question; "-" reads it from standard input (long prompts, pipes)')
    add_generation_options(p)
    add_docs_option(p)
    p.add_argument("--json", action="store_true", help="print reasoning, answer, boxed answer, counts as JSON")
    p.add_argument("--reasoning", choices=("show", "hide", "stderr"), default="show")
    from assistant.commands.json_schema import add_json_schema_option

    add_json_schema_option(p)
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("info", help="paths, hardware and catalog")
    p.set_defaults(func=cmd_info)

    for name in EXTENSIONS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue
            raise
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from assistant.core.logs import setup_logging

    parser = build_parser()
    args = parser.parse_args(argv)
    log_file = setup_logging(console=args.verbose)
    if not getattr(args, "func", None):
        args = parser.parse_args(["chat", *(argv or [])])
    try:
        return int(args.func(args) or 0)
    except AssistantError as exc:
        print(f"Error: {exc.title}: {exc.user_text()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `assistant ask ... | head`
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception:
        log.exception("unexpected error")
        print(f"Unexpected error; the details are in {log_file}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
