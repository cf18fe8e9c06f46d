"""`assistant lora import PATH [--base MODEL] [--name NAME]`, `assistant lora list`, `assistant lora remove NAME`:
LoRA adapters in the library (issue 17). Use one with `assistant ask/chat --lora NAME[:SCALE]`.

Thin over :mod:`assistant.core.models.lora`: a PEFT folder is checked against its base model and converted
to a GGUF LoRA; a GGUF LoRA file is checked and copied. Errors name what does not fit.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser("lora", help="LoRA adapters: import, list, remove (use with --lora NAME[:SCALE])")
    sub = p.add_subparsers(dest="lora_command", required=True)
    imp = sub.add_parser("import", help="import a PEFT adapter folder or a GGUF LoRA file")
    imp.add_argument("path", type=Path, help="folder with adapter_config.json + adapter_model.safetensors, or .gguf")
    imp.add_argument("--base", help="the base model (catalog id, file name or path; default: the one the "
                                    "adapter names, if it is on this machine)")
    imp.add_argument("--name", help="the adapter's name in the library (default: the folder or file name)")
    imp.set_defaults(func=cmd_import)
    ls = sub.add_parser("list", help="adapters in the library")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_list)
    rm = sub.add_parser("remove", help="remove an adapter from the library")
    rm.add_argument("name")
    rm.set_defaults(func=cmd_remove)


def cmd_import(args: argparse.Namespace) -> int:
    from assistant.core.models.lora import import_adapter

    a = import_adapter(args.path, base=args.base, name=args.name)
    print(f"Imported {a.name}: LoRA rank {a.rank}, alpha {a.alpha:g}, on {', '.join(a.targets)}, for {a.base} "
          f"({a.size / 1e6:.1f} MB)", file=sys.stderr)
    print(a.path)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from assistant.core.models.lora import list_adapters

    adapters = list_adapters()
    if args.json:
        json.dump([a.to_dict() for a in adapters], sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    if not adapters:
        print("No adapters. Import one with `assistant lora import PATH --base MODEL`.", file=sys.stderr)
        return 0
    for a in adapters:
        print(f"{a.name:<24} rank {a.rank:<4} {a.arch:<6} base {a.base or a.base_model_name or '?'}  "
              f"{', '.join(a.targets)}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from assistant.core.models.lora import remove_adapter

    print(f"Removed {remove_adapter(args.name)}", file=sys.stderr)
    return 0
