"""Quantize a GGUF with llama.cpp's own quantizer (``llama_cpp.llama_model_quantize``).

``llama_model_quantize`` is one blocking C call with no progress callback and no way to stop it. So
it runs in a child process (``python -m assistant.core.convert.quantize``): the child installs a llama.cpp log
callback, turns the quantizer's per-tensor lines (``[  12/ 339] blk.1.attn_q.weight ...``) into
progress lines on stdout, and the parent reads them from a thread. Cancel kills the child. The output
goes to a hidden temporary file next to the destination and is renamed only when llama.cpp reports
success, so a cancelled or failed run leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import queue
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from assistant.core.disk import free_bytes
from assistant.core.errors import CancelledError, ConversionError, DiskFullError, InvalidModelError, ModelNotFoundError
from assistant.core.gguf_file import GGUF_MAGIC, MASTER_FILE_TYPES, file_type_name, read_header_value
from assistant.core.progress import ProgressCallback, stage_reporter
from assistant.core.units import MiB

log = logging.getLogger(__name__)



@dataclass(frozen=True)
class QuantType:
    name: str
    ftype: int  # llama_ftype
    bpw: float  # bits per weight of the main matrices (llama.cpp's mix for _S/_M/_L types)
    description: str


# The types llama.cpp can make without an importance matrix. bpw: ggml block sizes; for the K-quant
# mixes (some tensors kept at higher precision) the typical average llama.cpp reports.
QUANT_TYPES: dict[str, QuantType] = {q.name: q for q in (
    QuantType("Q2_K", 10, 3.35, "smallest, clearly worse answers"),
    QuantType("Q3_K_S", 11, 3.5, "very small, noticeably worse"),
    QuantType("Q3_K_M", 12, 3.91, "very small"),
    QuantType("Q3_K_L", 13, 4.27, "small"),
    QuantType("Q4_0", 2, 4.5, "legacy 4-bit"),
    QuantType("Q4_1", 3, 5.0, "legacy 4-bit"),
    QuantType("Q4_K_S", 14, 4.58, "small, good"),
    QuantType("Q4_K_M", 15, 4.85, "recommended: small and good"),
    QuantType("Q5_0", 8, 5.5, "legacy 5-bit"),
    QuantType("Q5_1", 9, 6.0, "legacy 5-bit"),
    QuantType("Q5_K_S", 16, 5.54, "very good"),
    QuantType("Q5_K_M", 17, 5.69, "very good, a bit larger"),
    QuantType("Q6_K", 18, 6.5625, "near lossless"),
    QuantType("Q8_0", 7, 8.5, "practically lossless, large"),
)}

_PROGRESS = "@@progress "
_DONE = "@@done "
_LOG = "@@log "


def quant_type(name: str) -> QuantType:
    q = QUANT_TYPES.get(name.upper())
    if q is None:
        raise ConversionError(
            f"Unknown quantization type {name!r}.",
            hint="Choose one of: " + ", ".join(QUANT_TYPES) + ".",
        )
    return q


# llama.cpp's replacement when a row is not a multiple of the 256-wide K-quant block (bits per weight)
_K_FALLBACK_BPW = {"Q2_K": 4.5, "Q3_K": 4.5, "Q4_K": 5.5, "Q5_K": 6.0, "Q6_K": 8.5}


def estimate_quantized_bytes(tensors: list[tuple[int, int, str]], qtype: str) -> int:
    """Rough size of a quantized file's tensors, for disk and RAM estimates before anything is written.

    ``tensors``: (elements, row width, role) with role "matrix", "output" or "vector". llama.cpp keeps
    vectors in f32, puts the output matrix at >= Q6_K for K-quant types, and falls back to 32-wide
    types for rows that are not a multiple of 256.
    """
    q = quant_type(qtype)
    bits = 0.0
    for n, width, role in tensors:
        if role == "vector":
            bits += 32 * n
            continue
        bpw = max(q.bpw, 6.5625) if role == "output" and "_K" in q.name else q.bpw
        if "_K" in q.name and width % 256:
            base = "Q6_K" if bpw >= 6.5 else q.name[:4]
            bpw = _K_FALLBACK_BPW.get(base, bpw)
        bits += bpw * n
    return int(bits / 8)


def _master_type(path: Path) -> str:
    """F32/F16/BF16 of a master GGUF; anything already quantized is refused (no re-quantizing)."""
    try:
        ftype = read_header_value(path, "general.file_type")
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise InvalidModelError(path, f"it is not a readable GGUF file ({exc})") from exc
    name = file_type_name(ftype) if ftype in MASTER_FILE_TYPES else None
    if name is None:
        raise ConversionError(
            f"{path.name} is already quantized (file type {ftype}); quantizing it again would lose quality.",
            hint="Quantize from the F32/F16/BF16 master: convert the Hugging Face folder again.",
        )
    return name


def quantize_gguf(
    src: Path,
    dst: Path,
    qtype: str,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    *,
    n_threads: int = 0,
    token_embedding_type: str | None = None,
) -> Path:
    """Quantize ``src`` (an F32/F16/BF16 GGUF) to ``dst`` with llama.cpp. Blocking; call it off the GUI
    thread. ``progress`` gets :class:`Progress` reports; setting ``cancel`` stops the child and removes the output.
    ``token_embedding_type`` (a ggml type name, e.g. "Q4_0") overrides llama.cpp's choice for token_embd: a model
    without an output matrix (an embedding model) otherwise gets it at Q8_0, as if it were a tied output.
    """
    src, dst = Path(src), Path(dst)
    q = quant_type(qtype)
    if not src.is_file():
        raise ModelNotFoundError(src)
    _master_type(src)
    if dst.exists():
        raise ConversionError(f"{dst} already exists.", hint="Delete it first, or choose another folder.")
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(f".{dst.name}.partial")
    cancel = cancel or threading.Event()
    report = stage_reporter(progress)
    report(f"Quantizing to {q.name}", 0.0)

    pkg_root = str(Path(__file__).resolve().parents[3])
    env = dict(os.environ)
    env["PYTHONPATH"] = pkg_root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    cmd = [sys.executable, "-m", "assistant.core.convert.quantize", str(src), str(tmp), str(q.ftype), str(n_threads)]
    if token_embedding_type:
        import gguf

        cmd.append(str(int(gguf.GGMLQuantizationType[token_embedding_type.upper()])))
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            env=env, text=True, encoding="utf-8", errors="replace", bufsize=1)
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    reader = threading.Thread(target=pump, name="quantize-output", daemon=True)
    reader.start()
    tail: list[str] = []
    rc_reported: int | None = None
    ok = False
    try:
        finished = False
        while not finished:
            if cancel.is_set():
                raise CancelledError("Quantization cancelled.")
            try:
                line = lines.get(timeout=0.1)
            except queue.Empty:
                continue
            if line is None:
                finished = True
            elif line.startswith(_PROGRESS):
                i, n = (int(x) for x in line[len(_PROGRESS):].split())
                report(f"Quantizing to {q.name} ({i}/{n} tensors)", min(1.0, i / max(n, 1)))
            elif line.startswith(_DONE):
                rc_reported = int(line[len(_DONE):])
            else:
                tail.append(line[len(_LOG):] if line.startswith(_LOG) else line)
                del tail[:-20]
        rc = proc.wait()
        if rc != 0 or rc_reported != 0 or not tmp.is_file():
            detail = "\n".join(t for t in tail if t.strip())[-1500:]
            if "No space left" in detail or _disk_full(tmp):
                raise DiskFullError(f"The disk filled up while quantizing {src.name}.",
                                    hint="Free some disk space and try again.")
            raise ConversionError(f"llama.cpp could not quantize {src.name} to {q.name} (exit {rc}).\n{detail}",
                                  hint="The master file may be damaged; convert the model again.")
        with open(tmp, "rb") as fh:
            if fh.read(4) != GGUF_MAGIC:
                raise ConversionError(f"llama.cpp wrote an invalid file while quantizing {src.name}.")
        if dst.exists():
            raise ConversionError(f"{dst} appeared while quantizing; not overwriting it.")
        os.replace(tmp, dst)
        ok = True
    finally:
        if proc.poll() is None:
            proc.kill()
        with contextlib.suppress(Exception):
            proc.wait(timeout=10)
        if proc.stdout is not None:
            with contextlib.suppress(Exception):
                proc.stdout.close()
        if not ok:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
    report(f"Quantized to {q.name}", 1.0)
    return dst


def _disk_full(path: Path) -> bool:
    try:
        return free_bytes(path.parent) < MiB
    except OSError as exc:
        return exc.errno == errno.ENOSPC


# ---------------------------------------------------------------------------------------------------
# child process


def _child(argv: list[str]) -> int:
    src, dst, ftype, n_threads = argv[0], argv[1], int(argv[2]), int(argv[3])
    import ctypes

    from assistant.core.runtime.llama import llama_cpp_module

    llama_cpp = llama_cpp_module()

    pattern = re.compile(rb"\[\s*(\d+)/\s*(\d+)\]")
    last = [0.0]

    @llama_cpp.llama_log_callback  # type: ignore[misc]
    def on_log(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
        m = pattern.search(text or b"")
        if m:
            now = time.monotonic()
            if now - last[0] > 0.05 or m[1] == m[2]:
                last[0] = now
                print(f"{_PROGRESS}{int(m[1])} {int(m[2])}", flush=True)
        elif level in (2, 3):  # warnings and errors: shown if the run fails
            print(_LOG + (text or b"").decode("utf-8", "replace").rstrip(), flush=True)

    llama_cpp.llama_log_set(on_log, ctypes.c_void_p(0))
    llama_cpp.llama_backend_init()
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = ftype
    params.nthread = n_threads
    if len(argv) > 4:
        params.token_embedding_type = int(argv[4])
    rc = llama_cpp.llama_model_quantize(src.encode(), dst.encode(), ctypes.byref(params))
    print(f"{_DONE}{rc}", flush=True)
    return 0 if rc == 0 else 1


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
