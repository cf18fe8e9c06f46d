"""Opening a GGUF with llama.cpp: the checks before loading, the context size it can run, clear load errors.

Split from :mod:`assistant.core.backends.llama_cpp` (the running model) so that the part that decides
*whether and how* a file loads is read on its own.
"""

from __future__ import annotations

import re
from pathlib import Path

from assistant.core.errors import ConfigError, InvalidModelError, ModelLoadError, ModelNotFoundError
from assistant.core.gguf_file import GGUF_MAGIC


def check_gguf_file(path: Path) -> None:
    """Cheap checks before llama.cpp sees the file (the model manager does the thorough ones)."""
    if not path.exists():
        raise ModelNotFoundError(path)
    if path.is_dir():
        raise InvalidModelError(path, "it is a folder, not a .gguf file",
                                hint="Import the folder in the model manager to convert it to GGUF.")
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise InvalidModelError(path, f"it cannot be read ({exc.strerror or exc})") from exc
    if len(head) < 8:
        raise InvalidModelError(path, "the file is empty or truncated")
    if head[:4] != GGUF_MAGIC:
        raise InvalidModelError(path, "it is not a GGUF model file",
                                hint="Choose a .gguf file, or convert a Hugging Face model first.")
    try:
        from assistant.core.models import gguf_check, probe
    except ImportError:
        return
    gguf_check.validate(path)  # header, tensor table, sizes, architecture, tokenizer (fast, cached)
    probe.ensure_probed(path)  # once per file version: a load in a child process, so a crash cannot kill us


def default_system_from_template(template: str) -> str | None:
    m = re.search(r"<\|im_start\|>system\\n(.+?)<\|im_end\|>", template)
    return m.group(1) if m else None


GPU_LOAD_FAILED = "The GPU could not take this model, so it runs on the CPU (slower). The log has the details."
GPU_RUN_FAILED = "The GPU failed while writing this reply; the CPU took over where it stopped. The log has the details."


def check_context(path: Path, n_ctx: int) -> None:
    """A context size llama.cpp can run, refused before loading: too small to hold a prompt, or needing more
    memory (weights + KV cache) than this computer has."""
    from assistant.core.models.gguf_check import validate
    from assistant.core.runtime.hardware import estimate_memory, total_ram_bytes
    from assistant.core.settings import MIN_N_CTX
    from assistant.core.units import GiB

    if n_ctx < MIN_N_CTX:
        raise ConfigError(f"The context size must be at least {MIN_N_CTX} tokens, not {n_ctx}.",
                          hint="Use 0 for the model's own context size.")
    info = validate(path)
    need = estimate_memory(info.file_size, info.kv_bytes_per_token, n_ctx, info.vocab_size)
    total = total_ram_bytes()
    if total and need > 0.9 * total:
        from assistant.core.errors import OutOfMemoryError

        raise OutOfMemoryError(
            f"A context of {n_ctx:,} tokens needs about {need / GiB:.1f} GiB of memory for {path.name} "
            f"(the KV cache alone: {info.kv_bytes_per_token * n_ctx / GiB:.1f} GiB); this computer has "
            f"{total / GiB:.1f} GiB.",
            hint="Choose a smaller context size (0: the model's own).")


def read_ctx_train(path: Path) -> int:
    """The trained context length from the GGUF metadata (0 if it cannot be read cheaply)."""
    from assistant.core.models.gguf_check import read_context_length

    return read_context_length(path)


def load_error(path: Path, exc: BaseException, n_ctx: int) -> Exception:
    size = path.stat().st_size if path.exists() else 0
    from assistant.core.runtime.hardware import available_ram_bytes

    avail = available_ram_bytes()
    if avail and size > 0.9 * avail:
        from assistant.core.errors import OutOfMemoryError

        return OutOfMemoryError(
            f"{path.name} ({size / 2**30:.1f} GiB) does not fit in the free memory ({avail / 2**30:.1f} GiB).",
            hint="Close other programs, or choose a smaller quantization of the model.",
        )
    return ModelLoadError(
        f"llama.cpp could not load {path.name}: {exc}",
        hint="The file may be damaged, or made for a newer llama.cpp. Try downloading it again, or choose "
        f"a smaller context size (now {n_ctx}).",
    )
