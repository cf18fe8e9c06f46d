"""`assistant convert HF_DIR [--outtype ...] [--quant ...] [--out DIR]`: Hugging Face folder -> GGUF.

Thin over :mod:`assistant.core.convert.pipeline`. Progress goes to stderr (a bar on a terminal, plain lines
otherwise); the final path is printed on stdout so scripts can use it. Ctrl+C sets the cancel event:
the converter stops at the next chunk, removes its partial files and the command exits with 130.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path
from typing import Any, TextIO

from assistant.core.errors import CancelledError
from assistant.core.progress import Progress


def add_parser(subparsers: Any) -> None:
    from assistant.core.convert.pipeline import OUTTYPES
    from assistant.core.convert.quantize import QUANT_TYPES

    p = subparsers.add_parser(
        "convert",
        help="convert a Hugging Face model folder (safetensors) to GGUF, optionally quantized",
        description="Convert a Hugging Face model folder (config.json, tokenizer.json, *.safetensors) to a "
        "GGUF file for llama.cpp. Supported: Llama (SmolLM2, DeepSeek-R1-Distill-Llama) and Qwen2 "
        "(Qwen2.5, DeepSeek-R1-Distill-Qwen).",
    )
    p.add_argument("hf_dir", metavar="HF_DIR", type=Path, help="the model folder")
    p.add_argument("--outtype", choices=OUTTYPES, default="auto",
                   help="precision of the converted master (default auto: keep the checkpoint's bf16/f16/f32)")
    p.add_argument("--quant", metavar="TYPE", type=str.upper,
                   help="quantize with llama.cpp after converting: " + ", ".join(QUANT_TYPES)
                   + " (Q4_K_M is a good default)")
    p.add_argument("--out", type=Path, help="destination folder (default: the app's models folder)")
    p.add_argument("--dry-run", action="store_true", help="only check the folder and print sizes")
    p.set_defaults(func=cmd_convert)


class ProgressPrinter:
    """A one-line bar on a terminal; a line per stage change elsewhere (logs, pipes)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.last = 0.0
        self.stage = ""
        self.t0 = time.monotonic()

    def __call__(self, p: Progress) -> None:
        message, fraction = p.stage, p.fraction or 0.0
        now = time.monotonic()
        stage = message.split(" (")[0]
        if self.tty:
            if now - self.last < 0.1 and fraction < 1.0:
                return
            width = 30
            filled = int(width * fraction)
            bar = "█" * filled + "░" * (width - filled)
            self.stream.write(f"\r{bar} {fraction * 100:5.1f}%  {message[:60]:<60}")
            self.stream.flush()
        elif stage != self.stage or now - self.last > 5:
            self.stream.write(f"[{fraction * 100:5.1f}%] {message}\n")
            self.stream.flush()
        else:
            return
        self.stage = stage
        self.last = now

    def end(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def cmd_convert(args: argparse.Namespace) -> int:
    from assistant.commands.signals import sigint_cancels
    from assistant.core.convert.pipeline import convert_model, describe_plan, plan_conversion

    plan = plan_conversion(args.hf_dir, outtype=args.outtype, quant=args.quant)
    print(describe_plan(plan), file=sys.stderr)
    if args.dry_run:
        return 0
    cancel = threading.Event()
    printer = ProgressPrinter(sys.stderr)
    t0 = time.monotonic()
    try:
        with sigint_cancels(cancel):
            path = convert_model(args.hf_dir, outtype=args.outtype, quant=args.quant, out_dir=args.out,
                                 progress=printer, cancel=cancel)
    except CancelledError:
        printer.end()
        print("Cancelled; no files were kept.", file=sys.stderr)
        return 130
    printer.end()
    size = path.stat().st_size
    print(f"Wrote {path.name} ({size / 2**30:.2f} GiB) in {time.monotonic() - t0:.1f} s", file=sys.stderr)
    print(path)
    return 0
