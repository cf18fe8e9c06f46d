"""Probe-load a model in a child process, so a file that crashes llama.cpp cannot take the app down.

Header validation (:mod:`gguf_check`) catches malformed files; a file can still be well-formed and
make llama.cpp abort (seen here: a SentencePiece vocabulary without byte tokens aborts with
``std::out_of_range`` as soon as a Chinese character is tokenized). The probe loads the model with
the real llama.cpp in ``python -m assistant.core.models.probe PATH``, tokenizes English and Chinese text,
evaluates a few tokens and reports JSON on stdout. A signal, a non-zero exit or a timeout in the
child becomes a :class:`ModelLoadError` that says what happened.

Results are cached per file (path, size, modification time) under the cache directory, so each
version of a file is probed once. The bundled model, verified against its catalog checksum, is
trusted without a probe (it is tested with every release) so start-up stays fast.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from assistant.core.errors import InvalidModelError, ModelLoadError
from assistant.core.paths import app_paths

log = logging.getLogger(__name__)

PROBE_FLAG = "--assistant-probe-model"
PROBE_TEXT = "Hello, world! 你好，世界。Grüße — 2+2=4"
DEFAULT_TIMEOUT = 180.0
_lock = threading.Lock()


@dataclass
class ProbeResult:
    ok: bool
    seconds: float = 0.0
    error: str = ""
    n_vocab: int = 0
    n_params: int = 0
    n_tokens: int = 0  # tokens of PROBE_TEXT

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def _cache_file() -> Path:
    return app_paths().cache_dir / "probe-results.json"


def _key(path: Path) -> tuple[str, str]:
    st = path.stat()
    return str(path.resolve()), f"{st.st_size}:{st.st_mtime_ns}"


def _load_cache() -> dict[str, dict[str, object]]:
    try:
        data = json.loads(_cache_file().read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def cached_result(path: Path) -> ProbeResult | None:
    """The stored probe result for this exact version of the file, if any."""
    name, stamp = _key(path)
    entry = _load_cache().get(name)
    if not isinstance(entry, dict) or entry.get("stamp") != stamp:
        return None
    fields = {k: v for k, v in entry.items() if k in ProbeResult.__dataclass_fields__}
    try:
        return ProbeResult(**fields)  # type: ignore[arg-type]
    except TypeError:
        return None


def _store(path: Path, result: ProbeResult) -> None:
    name, stamp = _key(path)
    with _lock:
        data = _load_cache()
        data[name] = {"stamp": stamp, **result.to_dict()}
        target = _cache_file()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
            os.replace(tmp, target)
        except OSError as exc:  # a read-only cache only costs a repeat probe later
            log.warning("cannot store probe result: %s", exc)


def _signal_name(code: int) -> str:
    try:
        return signal.Signals(-code).name
    except ValueError:
        return f"signal {-code}"


def _reason_from_log(stderr: str) -> str:
    """llama.cpp's own explanation, from the child's log: its last error lines, not the metadata dump."""
    keys = ("what():", "terminate called", "error", "failed", "ggml_assert", "exception", "abort")
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    skip = ("Model metadata", "print_info", "llama_model_loader: -", "set_abort_callback")
    picked = [ln for ln in lines if not ln.startswith(skip)
              and any(k in ln.lower() for k in keys)]
    return " / ".join(dict.fromkeys(picked[-3:]))[:400]


def probe_load(path: str | os.PathLike[str], *, timeout: float = DEFAULT_TIMEOUT, n_ctx: int = 256) -> ProbeResult:
    """Load the model in a child process and report; never raises for a bad model (see ``ok``/``error``)."""
    p = Path(path)
    if getattr(sys, "frozen", False):  # a PyInstaller build has no `-m`: its entry point calls probe_main()
        cmd = [sys.executable, PROBE_FLAG, str(p), str(n_ctx)]
    else:
        cmd = [sys.executable, "-m", "assistant.core.models.probe", str(p), str(n_ctx)]
    env = dict(os.environ)
    # The child must import this same package, wherever it comes from (source tree, install).
    pkg_root = str(Path(__file__).resolve().parents[3])
    env["PYTHONPATH"] = pkg_root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["HF_HUB_OFFLINE"] = "1"
    env["GGML_NO_BACKTRACE"] = "1"  # ggml would otherwise attach gdb to print a backtrace on abort
    t0 = time.monotonic()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env,
                              encoding="utf-8", errors="replace")
    except subprocess.TimeoutExpired:
        return ProbeResult(False, time.monotonic() - t0, f"loading did not finish within {timeout:.0f} s")
    except OSError as exc:
        return ProbeResult(False, time.monotonic() - t0, f"the test process could not start ({exc})")
    seconds = time.monotonic() - t0
    last = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    report: dict[str, object] = {}
    with contextlib.suppress(ValueError):
        report = json.loads(last) if last.startswith("{") else {}
    if proc.returncode == 0 and report.get("ok"):
        return ProbeResult(True, seconds, "", int(report.get("n_vocab", 0) or 0),  # type: ignore[call-overload]
                           int(report.get("n_params", 0) or 0),  # type: ignore[call-overload]
                           int(report.get("n_tokens", 0) or 0))  # type: ignore[call-overload]
    why = _reason_from_log(proc.stderr)
    if proc.returncode < 0:
        error = f"llama.cpp crashed ({_signal_name(proc.returncode)}) while loading or running it"
    elif report.get("error"):
        error = f"llama.cpp refused it: {report['error']}"
    else:
        error = f"the test load failed (exit code {proc.returncode})"
    if why:
        error += f" — {why}"
    return ProbeResult(False, seconds, error)


def is_trusted(path: Path) -> bool:
    """The bundled model, byte-identical to its catalog entry, needs no probe."""
    from assistant.core.models.catalog import DEFAULT_MODEL_ID, get_entry, verify_file

    entry = get_entry(DEFAULT_MODEL_ID)
    if entry is None or not entry.bundled or path.name != entry.bundled.get("file"):
        return False
    try:
        verify_file(path, entry.bundled.get("size"), entry.bundled.get("sha256"))
    except InvalidModelError:
        return False
    return True


def ensure_probed(path: str | os.PathLike[str], *, timeout: float = DEFAULT_TIMEOUT) -> ProbeResult | None:
    """Raise :class:`ModelLoadError` if this file crashed or failed a probe; probe it first if never done.

    Returns None for trusted files, else the (cached or fresh) result. ``ASSISTANT_PROBE=0`` turns
    probing off (for debugging llama.cpp itself).
    """
    p = Path(path)
    if os.environ.get("ASSISTANT_PROBE", "1") == "0" or is_trusted(p):
        return None
    result = cached_result(p)
    if result is None:
        log.info("probe-loading %s in a child process", p)
        result = probe_load(p, timeout=timeout)
        if "did not finish" not in result.error and "could not start" not in result.error:
            _store(p, result)
    if not result.ok:
        raise ModelLoadError(
            f"{p.name} cannot be used: {result.error}",
            hint="The file passed the format checks but llama.cpp cannot run it. Try another download or "
            "conversion of this model; the app itself is unaffected.",
        )
    return result


def forget(path: str | os.PathLike[str]) -> None:
    """Drop the cached result for a path (after it was removed or replaced)."""
    name = str(Path(path).resolve())
    with _lock:
        data = _load_cache()
        if data.pop(name, None) is not None:
            with contextlib.suppress(OSError):
                _cache_file().write_text(json.dumps(data, indent=1), encoding="utf-8")


def _child(path: str, n_ctx: int) -> int:
    """Runs in the child: load, tokenize, evaluate; print one JSON line."""
    result: dict[str, object]
    try:
        from assistant.core.runtime.llama import llama_cpp_module

        llama_cpp = llama_cpp_module()
        llm = llama_cpp.Llama(model_path=path, n_ctx=n_ctx, n_batch=min(64, n_ctx), n_threads=1,
                              n_gpu_layers=0, verbose=True)
        tokens = llm.tokenize(PROBE_TEXT.encode("utf-8"), add_bos=True, special=False)
        llm.eval(tokens[: min(len(tokens), 8)])
        result = {"ok": True, "n_vocab": llm.n_vocab(), "n_tokens": len(tokens),
                  "n_params": int(llama_cpp.llama_model_n_params(llm._model.model))}
        llm.close()
    except Exception as exc:  # the parent turns this into a user-facing error
        result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    print(json.dumps(result), flush=True)
    return 0 if result["ok"] else 3


def probe_main(argv: list[str]) -> int | None:
    """For frozen builds: call first thing in the executable's entry point; returns an exit code when
    this process was started as a probe (``exe --assistant-probe-model PATH N_CTX``), else None."""
    if len(argv) >= 3 and argv[1] == PROBE_FLAG:
        return _child(argv[2], int(argv[3]) if len(argv) > 3 else 256)
    return None


if __name__ == "__main__":  # pragma: no cover - runs in the child process
    sys.exit(_child(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 256))
