"""`assistant models list | download | import | remove | info | verify | bench | hardware`."""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from assistant.core.errors import AssistantError, CancelledError, ConfigError
from assistant.core.progress import Progress
from assistant.core.units import human_bytes, human_duration


class ProgressBar:
    """A one-line terminal bar (bytes, percent, speed, time left); plain lines when not a terminal."""

    def __init__(self, out: TextIO = sys.stderr, width: int = 28) -> None:
        self.out, self.width = out, width
        self.tty = out.isatty()
        self._last_pct = -10.0
        self._stage = ""

    def __call__(self, p: Progress) -> None:
        if not p.transfer:  # a stage of a conversion (after a download, or a folder import)
            self._stage_line(p)
            return
        total, done = p.total, p.downloaded
        pct = 100.0 * done / total if total else 0.0
        label = {"download": "", "verify": "verifying ", "done": "done "}.get(p.stage, "")
        if p.stage != self._stage and self._stage and self.tty:
            self.out.write("\n")
        self._stage = p.stage
        if total:
            filled = int(self.width * min(done, total) / total)
            bar = "#" * filled + "-" * (self.width - filled)
            text = (f"{label}{p.filename} [{bar}] {pct:5.1f}% {human_bytes(done)}/{human_bytes(total)}"
                    f" {human_bytes(p.speed)}/s {human_duration(p.eta)} left" if p.stage == "download"
                    else f"{label}{p.filename} [{bar}] {pct:5.1f}%")
        else:
            text = f"{label}{p.filename} {human_bytes(done)} {human_bytes(p.speed)}/s"
        if self.tty:
            self.out.write("\r\x1b[2K" + text)
            if p.stage == "done":
                self.out.write("\n")
            self.out.flush()
        elif p.stage == "done" or pct - self._last_pct >= 10 or (p.stage != "download" and pct == 0):
            self._last_pct = pct
            self.out.write(text + "\n")
            self.out.flush()


    def _stage_line(self, p: Progress) -> None:
        if self._stage and self._stage != p.stage and self.tty:
            self.out.write("\n")
        self._stage = p.stage
        pct = (p.fraction or 0.0) * 100
        if self.tty:
            self.out.write(f"\r\x1b[2Kconverting: {p.stage} {pct:5.1f}%")
            self.out.flush()
        elif pct - self._last_pct >= 10 or pct >= 100:
            self._last_pct = pct
            self.out.write(f"converting: {p.stage} {pct:5.1f}%\n")


def _settings() -> Any:
    from assistant.core.settings import Settings

    return Settings.load()


def _cached_speed() -> Any:
    """The quick benchmark's stored result for this machine and settings (None if never measured)."""
    from assistant.core.eval.speed import cached

    try:
        return cached(_settings())
    except AssistantError:
        return None


def _typical() -> str:
    from assistant.core.models.cost import TYPICAL_ANSWER, TYPICAL_PROMPT, TYPICAL_REASONING

    return f"{TYPICAL_PROMPT} prompt + {TYPICAL_REASONING:,} reasoning + {TYPICAL_ANSWER} answer tokens"


def cmd_bench(args: argparse.Namespace) -> int:
    from assistant.core.eval.speed import quick_bench
    from assistant.core.models.cost import predict_row, short_text
    from assistant.core.models.library import catalog_rows

    settings = _settings()
    cancel = threading.Event()
    if not args.cached:
        print("Measuring the bundled model (about 20 s)…", file=sys.stderr)
    with _interruptible(cancel):
        speed = quick_bench(settings, refresh=not args.cached, cancel=cancel)
    rows = catalog_rows()
    preds = {f"{r['id']}:{r['quant']}": predict_row(r, speed) for r in rows}
    if args.json:
        json.dump({"measured": speed.to_dict(), "predicted": {k: None if p is None else {
            "decode_tps": p.decode_tps, "prompt_tps": p.prompt_tps, "typical_answer_s": p.answer_seconds}
            for k, p in preds.items()}}, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    memory = f"memory read {speed.read_gbps:.1f} GB/s, " if speed.read_gbps else ""
    print(f"Bundled model ({speed.model}): prompt {speed.prompt_tps:.1f} tok/s, decode {speed.decode_tps:.1f} tok/s "
          f"({speed.cpu_variant or 'CPU'}, {speed.n_threads} threads, {speed.n_gpu_layers} GPU layers, {memory}"
          f"{'from the cache' if speed.source == 'cache' else f'measured in {speed.seconds:.1f} s'})")
    print(f"Predicted here ({_typical()}):")
    for r in rows:
        p = preds[f"{r['id']}:{r['quant']}"]
        print(f"  {r['id']:32} {r['quant']:7} {short_text(p) if p else '?'}")
    return 0


def _print_embedding_models(n_ctx: int | None) -> None:
    """Embedding models (for documents) on their own: they are never offered as chat models."""
    from assistant.core.models.library import catalog_rows, list_local

    print("\nEmbedding models (documents; not for chat):")
    for r in catalog_rows(n_ctx, kind="embedding"):
        status = "bundled" if r["bundled"] else ("downloaded" if r["downloaded"] else "")
        approx = "" if r["size_exact"] else "~"
        print(f"  {r['id']:32} {r['quant']:7} {approx + human_bytes(r['size']):>10}  {status}")
    for m in list_local(kind="embedding"):
        if m.source != "bundled":
            print(f"  {m.name:48} {human_bytes(m.size):>10}  {m.source}  {m.info.architecture if m.info else ''}")


def cmd_list(args: argparse.Namespace) -> int:
    from assistant.core.models.cost import predict_row, short_text
    from assistant.core.models.downloads import partials
    from assistant.core.models.library import catalog_rows, list_local
    from assistant.core.runtime.hardware import detect

    rows = catalog_rows(args.ctx)
    local = list_local()
    parts = partials()
    if args.json:
        from assistant.core.models.cost import predict_row

        speed = _cached_speed()
        for r in rows:
            pred = predict_row(r, speed)
            r["speed_here"] = None if pred is None else {"decode_tps": pred.decode_tps, "prompt_tps": pred.prompt_tps,
                                                         "typical_answer_s": pred.answer_seconds}
        json.dump({"catalog": rows, "local": [m.to_dict() for m in local],
                   "embedding_catalog": catalog_rows(args.ctx, kind="embedding"),
                   "embedding_local": [m.to_dict() for m in list_local(kind="embedding")],
                   "partial_downloads": [{"file": p.path.name, "bytes": p.size, **p.meta} for p in parts]},
                  sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    print(f"This machine: {detect().summary()}")
    speed = _cached_speed()
    print("\nCatalog (memory at the default context; fit on this machine; speed here: decode tokens/s and a "
          f"typical answer with reasoning, {_typical()}):")
    print(f"  {'id':32} {'quant':7} {'size':>10} {'memory':>9}  {'fit':10} {'speed here':28} status")
    for r in rows:
        status = "bundled" if r["bundled"] else ("downloaded" if r["downloaded"] else "")
        approx = "" if r["size_exact"] else "~"
        pred = predict_row(r, speed)
        here = short_text(pred) if pred else "not measured"
        print(f"  {r['id']:32} {r['quant']:7} {approx + human_bytes(r['size']):>10} {human_bytes(r['memory']):>9}  "
              f"{r['fit']:10} {here:28} {status}")
    if speed is None:
        print("  (speed here: run `assistant models bench` once, about 20 s; the app does it on its first start)")
    else:
        print(f"  (speed measured on the bundled model: prompt {speed.prompt_tps:.0f} tok/s, decode "
              f"{speed.decode_tps:.0f} tok/s, {speed.cpu_variant or 'CPU'}, {speed.n_threads} threads)")
    _print_embedding_models(args.ctx)
    print("\nOn this machine:")
    for m in local:
        where = " (in place)" if m.in_place else ""
        state = f"{m.info.architecture} {m.quantization}" if m.info else f"UNUSABLE: {m.error}"
        print(f"  {m.name:48} {human_bytes(m.size):>10}  {m.source}{where}  {state}")
    if not local:
        print("  (none)")
    if parts:
        print("\nInterrupted downloads (run the same download again to resume):")
        for p in parts:
            total = p.meta.get("size")
            print(f"  {p.meta.get('filename', p.path.name):48} {human_bytes(p.size)} of {human_bytes(total)}")
    return 0


def cmd_download(args: argparse.Namespace) -> int:
    from assistant.core.errors import UnknownModelError
    from assistant.core.models.catalog import close_matches, get_entry
    from assistant.core.models.library import download_model, fetch_and_convert

    settings = _settings()
    cancel = threading.Event()
    bar = ProgressBar()
    if args.repo or args.file:
        if not (args.repo and args.file):
            raise ConfigError("--repo and --file go together (a repository and a .gguf file in it).")
        from assistant.core.models.downloads import hub_settings
        from assistant.core.models.library import download_file

        ep, tok = hub_settings(settings, args.endpoint, args.token)
        try:
            with _interruptible(cancel):
                result = download_file(args.repo, args.file, revision=args.revision, endpoint=ep, token=tok,
                                       progress=bar, cancel=cancel)
        except CancelledError as exc:
            print(f"\n{exc.message}", file=sys.stderr)
            return 130
        _report(result)
        return _use(settings, str(result.path)) if args.use else 0
    entry = get_entry(args.id or "")
    if entry is None:
        raise UnknownModelError(args.id or "?", close_matches(args.id or ""))
    try:
        with _interruptible(cancel):
            if args.source == "safetensors" and args.convert is None:  # only the original weights
                from assistant.core.models.downloads import download_source

                folder = download_source(entry, settings=settings, endpoint=args.endpoint, token=args.token,
                                         progress=bar, cancel=cancel)
                print(f"Original weights in {folder}")
                return 0
            if args.source == "safetensors":
                model = fetch_and_convert(entry, args.convert or None, settings=settings, endpoint=args.endpoint,
                                          token=args.token, progress=bar, cancel=cancel)
                print(f"Converted: {model.path}")
                path = str(model.path)
            else:
                result = download_model(entry, args.quant, settings=settings, endpoint=args.endpoint,
                                        token=args.token, progress=bar, cancel=cancel)
                _report(result)
                path = entry.id
    except CancelledError as exc:
        print(f"\n{exc.message}", file=sys.stderr)
        return 130
    return _use(settings, path) if args.use else 0


def _report(result: Any) -> None:
    how = {"existing": "already downloaded", "hf-cache": "reused from the Hugging Face cache"}
    resumed = f", resumed at {human_bytes(result.resumed_from)}" if result.resumed_from else ""
    print(f"{result.path} ({human_bytes(result.size)}, {how.get(result.reused, 'downloaded')}{resumed}; "
          f"verified by {result.verified_by})")


def _use(settings: Any, model: str) -> int:
    settings.model = model
    settings.save()
    print(f"Now using {model}.")
    return 0


@contextlib.contextmanager
def _interruptible(cancel: threading.Event) -> Iterator[None]:
    """First Ctrl+C: stop cleanly at the next block (bytes so far are kept for a resume).
    Second Ctrl+C: stop at once (a stalled connection may not deliver the next block for a while)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()
        print("\nCancelling… (Ctrl+C again to stop at once; the download resumes next time)", file=sys.stderr)

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def cmd_import(args: argparse.Namespace) -> int:
    from assistant.core.models.library import import_path

    cancel = threading.Event()
    progress = ProgressBar()  # bytes for a file copy, stages for a folder's conversion
    try:
        with _interruptible(cancel):
            model = import_path(args.path, copy=not args.in_place, probe=not args.no_probe, quant=args.quant,
                                progress=progress, cancel=cancel)
    except CancelledError as exc:
        print(f"\n{exc.message}", file=sys.stderr)
        return 130
    if Path(args.path).expanduser().is_dir() and sys.stderr.isatty():
        print(file=sys.stderr)  # end the conversion's progress line
    where = "registered in place" if model.in_place else "copied to the models folder"
    info = model.info
    print(f"Imported {model.name}: {info.architecture if info else '?'} {model.quantization}, "
          f"{human_bytes(model.size)}, {where}.\nUse it with: assistant chat -m {model.spec}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from assistant.core.models.catalog import DEFAULT_MODEL_ID
    from assistant.core.models.library import remove_model, remove_partial

    if args.partial:
        path = remove_partial(args.spec)
        print(f"Removed the interrupted download {path.name}.")
        return 0
    path = remove_model(args.spec)
    print(f"Removed {path}.")
    settings = _settings()
    if settings.model in (args.spec, str(path), path.name):
        settings.model = DEFAULT_MODEL_ID
        settings.save()
        print(f"The default model is now {DEFAULT_MODEL_ID}.")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    from assistant.core.models.library import model_details

    details = model_details(args.spec, args.ctx)
    if args.json:
        json.dump(details, sys.stdout, indent=2, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
        return 0
    for key, value in details.items():
        if key == "quantizations":
            for q, d in value.items():
                print(f"  {q:8} size {human_bytes(d['size'])}, needs {human_bytes(d['memory'])} "
                      f"at {details['n_ctx']} tokens: {d['fit']}")
        elif key in ("memory", "size", "file_size"):
            print(f"{key:20} {human_bytes(value)}")
        elif key not in ("sources",):
            print(f"{key:20} {value}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from assistant.core.models.library import verify_model

    t0 = time.monotonic()
    report = verify_model(args.spec, probe=not args.no_probe)
    if args.json:
        json.dump(report.to_dict(), sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0 if report.ok else 1
    print(f"{report.path}")
    print(f"  header:   {'ok' if report.header_ok else 'BAD'}")
    if report.expected_sha256:
        same = report.sha256 == report.expected_sha256
        print(f"  sha256:   {'ok' if same else 'MISMATCH'} ({report.sha256}, from the {report.checksum_source})")
    else:
        print(f"  sha256:   {report.sha256} (no reference checksum known)")
    if report.probe_ok is not None:
        print(f"  test load: {'ok' if report.probe_ok else 'FAILED: ' + report.probe_error} "
              f"({report.probe_seconds:.1f} s)")
    elif report.probe_error:
        print(f"  problem:  {report.probe_error}")
    print(f"{'OK' if report.ok else 'NOT OK'} ({time.monotonic() - t0:.1f} s)")
    return 0 if report.ok else 1


def cmd_hardware(args: argparse.Namespace) -> int:
    from assistant.core.runtime.hardware import detect

    hw = detect()
    if args.json:
        json.dump(hw.to_dict(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(hw.summary())
        print(f"CPU: {hw.cpu_model} · features: {' '.join(hw.cpu_features) or '?'}")
        print(f"llama.cpp build: {' '.join(hw.llama_features) or '?'}; GPU offload "
              f"{'available' if hw.llama_gpu_offload else 'not built in'}")
    return 0


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser("models", help="list, download, import, remove, inspect and verify models")
    sub = p.add_subparsers(dest="models_command", metavar="ACTION", required=True)

    q = sub.add_parser("list", help="the catalog (with fit on this machine) and the models on disk")
    q.add_argument("--ctx", type=int, help="context size for the memory estimate (default: each model's)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_list)

    q = sub.add_parser("download", help="download a catalog model (Ctrl+C cancels; run again to resume)")
    q.add_argument("id", nargs="?", help="catalog id, e.g. deepseek-r1-distill-qwen-1.5b")
    q.add_argument("--repo", help="instead of a catalog id: any Hugging Face repository (owner/name)...")
    q.add_argument("--file", help="...and the .gguf file in it to download")
    q.add_argument("--revision", default="main", help="with --repo: branch, tag or commit (default main)")
    q.add_argument("--quant", help="quantization, e.g. Q4_K_M or Q8_0 (default: the recommended one)")
    q.add_argument("--source", choices=("gguf", "safetensors"), default="gguf",
                   help="a ready GGUF (default) or the original weights to convert")
    q.add_argument("--convert", nargs="?", const="", metavar="QUANT",
                   help="with --source safetensors: convert to GGUF afterwards (optionally quantized)")
    q.add_argument("--endpoint", help="Hugging Face endpoint or mirror (default: settings, HF_ENDPOINT)")
    q.add_argument("--token", help="Hugging Face token for gated or private repositories")
    q.add_argument("--use", action="store_true", help="make it the default model when done")
    q.set_defaults(func=cmd_download)

    q = sub.add_parser("import", help="import a .gguf file or a Hugging Face model folder")
    q.add_argument("path")
    q.add_argument("--in-place", action="store_true", help="register the .gguf where it is instead of copying")
    q.add_argument("--quant", help="for a folder: quantization of the converted GGUF")
    q.add_argument("--no-probe", action="store_true", help="skip the test load in a separate process")
    q.set_defaults(func=cmd_import)

    q = sub.add_parser("remove", help="delete a downloaded/imported model (in-place imports are only unlisted)")
    q.add_argument("spec", help="file name, path or catalog id")
    q.add_argument("--partial", action="store_true", help="discard an interrupted download instead")
    q.set_defaults(func=cmd_remove)

    q = sub.add_parser("info", help="architecture, size, memory estimate and fit of a model")
    q.add_argument("spec", help="file name, path or catalog id")
    q.add_argument("--ctx", type=int, help="context size for the estimate")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_info)

    q = sub.add_parser("verify", help="check header and checksum, and test-load in a separate process")
    q.add_argument("spec", help="file name, path or catalog id")
    q.add_argument("--no-probe", action="store_true")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_verify)

    q = sub.add_parser("bench", help="measure this machine's speed on the bundled model (about 20 s) and "
                       "predict every catalog model's speed here")
    q.add_argument("--cached", action="store_true", help="show the stored measurement; measure only if none")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_bench)

    q = sub.add_parser("hardware", help="cores, CPU features, memory and GPUs as the app sees them")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_hardware)
