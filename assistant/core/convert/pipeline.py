"""Convert a Hugging Face model folder (safetensors) to GGUF, optionally quantizing it with llama.cpp.

    convert_model(src_dir, outtype="auto", quant="Q4_K_M", progress=cb, cancel=event) -> Path

Pipeline: :func:`plan_conversion` reads config.json, the safetensors headers and the tokenizer and
refuses anything unsupported before a byte is written; :func:`convert_to_gguf` writes the GGUF header
with gguf-py's ``GGUFWriter`` and then streams each tensor through a memory map in chunks of a few MiB
(pages already written are dropped from the process with ``madvise``), so peak memory is a small
constant, not the model's size; :func:`assistant.core.convert.quantize.quantize_gguf` quantizes the master.

Types: ``auto`` keeps the checkpoint's own precision (bf16 stays BF16, f16 stays F16, f32 stays F32),
so nothing is lost and the master is the best source for quantization. An explicit ``f16`` from bf16
or f32 weights is checked: a value outside float16's range is an error, never a silent ``inf``.
1-D tensors (norms, biases) are always F32, as llama.cpp expects.

Every output goes to a hidden ``.NAME.partial`` file in the destination folder and is renamed when
complete; errors and cancel remove it. Free disk space is checked first. No torch anywhere.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import logging
import math
import mmap
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from assistant.core.convert.encoder import (
    EncoderFacts,
    encoder_architecture,
    plan_encoder_tensors,
    read_encoder_spec,
    write_encoder_metadata,
)
from assistant.core.convert.encoder_vocab import EncoderVocab, build_encoder_vocab
from assistant.core.convert.hf import (
    SUPPORTED_ARCHITECTURES,
    ConversionError,
    ModelSpec,
    PlannedTensor,
    UnsupportedArchitectureError,
    index_checkpoint,
    permutation_rows,
    plan_tensors,
    read_spec,
)
from assistant.core.convert.quantize import QUANT_TYPES, estimate_quantized_bytes, quant_type, quantize_gguf
from assistant.core.convert.tokenizer import VocabInfo, build_vocab, write_vocab
from assistant.core.disk import check_free_space
from assistant.core.errors import AssistantError, CancelledError, DiskFullError
from assistant.core.progress import ProgressCallback, scaled, stage_reporter
from assistant.core.settings import DEFAULT_N_CTX
from assistant.core.units import GiB

__all__ = [
    "OUTTYPES",
    "QUANT_TYPES",
    "SUPPORTED_ARCHITECTURES",
    "ConversionError",
    "ConversionPlan",
    "UnsupportedArchitectureError",
    "convert_model",
    "convert_to_gguf",
    "plan_conversion",
    "quantize_gguf",
]

log = logging.getLogger(__name__)

OUTTYPES = ("auto", "bf16", "f16", "f32")
CHUNK_BYTES = 16 * 1024 * 1024  # source bytes per step: bounds memory and the cancel latency
_QUANT_SHARE = 0.6  # share of the progress bar given to quantization when both steps run


@dataclass
class ConversionPlan:
    """Everything decided before writing: what the output will be, and how big."""

    src: Path
    spec: ModelSpec
    tensors: list[PlannedTensor]
    vocab: VocabInfo | EncoderVocab
    source_type: str  # "BF16" | "F16" | "F32": the checkpoint's matrices
    outtype: str  # "bf16" | "f16" | "f32": the master's matrices
    quant: str | None
    name: str
    source_bytes: int
    n_params: int
    meta_bytes: int  # tokenizer and other metadata in the GGUF header
    encoder: EncoderFacts | None = None  # BERT / XLM-R embedding models (encoder.py)

    @property
    def master_filename(self) -> str:
        return f"{self.name}-{self.outtype.upper()}.gguf"

    @property
    def filename(self) -> str:
        return f"{self.name}-{self.quant}.gguf" if self.quant else self.master_filename

    @property
    def master_bytes(self) -> int:
        per = {"f32": 4, "f16": 2, "bf16": 2}[self.outtype]
        data = sum(_padded(t.n_elements * (per if t.is_matrix and t.source is not None else 4)) for t in self.tensors)
        return data + self.meta_bytes + 64 * 1024

    @property
    def quant_bytes(self) -> int:
        if not self.quant:
            return 0
        # llama.cpp quantizes a tied embedding like an output matrix (it serves as both).
        output = "token_embd.weight" if self.spec.tie_embeddings else "output.weight"
        parts = [(t.n_elements, t.shape[-1],
                  "vector" if not t.is_matrix else "output" if t.gguf_name == output else "matrix")
                 for t in self.tensors]
        return estimate_quantized_bytes(parts, self.quant) + self.meta_bytes + 64 * 1024

    @property
    def output_bytes(self) -> int:
        return self.quant_bytes if self.quant else self.master_bytes

    @property
    def disk_bytes(self) -> int:
        """Free space needed while converting: the master (temporary when quantizing) plus the result."""
        return self.master_bytes + self.quant_bytes

    def ram_bytes(self, n_ctx: int = DEFAULT_N_CTX) -> int:
        """Memory to chat with the result: weights, KV cache for ``n_ctx`` tokens, compute buffers."""
        return self.output_bytes + self.spec.kv_bytes_per_token * n_ctx + 300 * 1024 * 1024

    def retarget(self, *, outtype: str | None = None, quant: str | bool | None = False) -> ConversionPlan:
        """The same model with another output type and/or quantization (no re-reading).
        ``quant=False`` keeps the current one; ``None`` means no quantization."""
        ot = self.outtype if outtype is None else _resolve_outtype(outtype, self._by_type())
        q = self.quant if quant is False else (quant_type(str(quant)).name if quant else None)
        return dataclasses.replace(self, outtype=ot, quant=q)

    def _by_type(self) -> dict[str, int]:
        by_type: dict[str, int] = {}
        for t in self.tensors:
            if t.is_matrix and t.source is not None:
                by_type[t.source.dtype] = by_type.get(t.source.dtype, 0) + t.n_elements
        return by_type


def model_name(src: Path) -> str:
    """A file-name-safe model name; a Hugging Face cache snapshot gets the repository's name."""
    src = src.resolve()
    for parent in (src, *src.parents[:3]):
        if parent.name.startswith("models--"):
            return _safe(parent.name.split("--")[-1])
    return _safe(src.name) or "model"


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_.+" else "-" for c in name).strip("-.")


def plan_conversion(src_dir: Path, *, outtype: str = "auto", quant: str | None = None) -> ConversionPlan:
    """Read and check everything; raises a user-facing error for any unsupported or damaged input."""
    src = Path(src_dir).expanduser()
    q = quant_type(quant).name if quant else None
    if (outtype or "auto").lower() not in OUTTYPES:
        raise ConversionError(f"Unknown output type {outtype!r}.", hint="Use one of: " + ", ".join(OUTTYPES) + ".")
    facts: EncoderFacts | None = None
    vocab: VocabInfo | EncoderVocab
    if encoder_architecture(src):
        spec, facts = read_encoder_spec(src)
        tensors = plan_encoder_tensors(spec, facts, index_checkpoint(src))
        vocab = build_encoder_vocab(spec)
    else:
        spec = read_spec(src)
        tensors = plan_tensors(spec, index_checkpoint(src))
        vocab = build_vocab(spec)
    plan = ConversionPlan(
        src=src, spec=spec, tensors=tensors, vocab=vocab, source_type="F32", outtype="f32", quant=q,
        name=model_name(src), source_bytes=sum(t.source.nbytes for t in tensors if t.source is not None),
        n_params=sum(t.n_elements for t in tensors),
        meta_bytes=sum(len(s.encode("utf-8")) + 12 for s in vocab.tokens)
        + sum(len(m) + 8 for m in vocab.special.merges) + len(vocab.chat_template or ""),
        encoder=facts,
    )
    by_type = plan._by_type()
    plan.source_type = max(by_type, key=lambda k: by_type[k]) if by_type else "F32"
    plan.outtype = _resolve_outtype(outtype, by_type)
    return plan


def _resolve_outtype(outtype: str, by_type: dict[str, int]) -> str:
    outtype = (outtype or "auto").lower()
    if outtype not in OUTTYPES:
        raise ConversionError(f"Unknown output type {outtype!r}.", hint="Use one of: " + ", ".join(OUTTYPES) + ".")
    if outtype != "auto":
        return outtype
    # Keep what the checkpoint has: bf16 -> BF16 keeps bf16's range (f16 would overflow above 65504)
    # and is exact. A mix (rare) takes the widest type present.
    if "F32" in by_type or not by_type:
        return "f32"
    return "bf16" if "BF16" in by_type else "f16"


def _padded(n: int, align: int = 32) -> int:
    return (n + align - 1) // align * align


def convert_model(
    src_dir: Path,
    *,
    outtype: str = "auto",
    quant: str | None = None,
    out_dir: Path | None = None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """Convert ``src_dir`` to a GGUF in ``out_dir`` (default: the app's models folder); with ``quant``,
    convert to the master type, quantize it with llama.cpp, delete the master and return the quantized
    file. ``progress`` gets :class:`Progress` reports with the overall fraction 0..1; ``cancel`` stops at the next
    chunk and leaves nothing behind (a :class:`CancelledError` is raised).
    """
    from assistant.core.paths import app_paths

    cancel = cancel or threading.Event()
    report = stage_reporter(progress)
    report("Checking the model folder", 0.0)
    plan = plan_conversion(Path(src_dir), outtype=outtype, quant=quant)
    out = Path(out_dir) if out_dir is not None else app_paths().models_dir
    out.mkdir(parents=True, exist_ok=True)
    final = out / plan.filename
    if final.exists():
        raise ConversionError(f"{final.name} already exists in {out}.",
                              hint="Delete it first (model manager), or choose another folder or type.")
    check_free_space(out, plan.disk_bytes, f"Converting {plan.name}")
    if plan.quant is None:
        return convert_to_gguf(plan, final, progress=progress, cancel=cancel)

    share = 1.0 - _QUANT_SHARE
    # The master is an intermediate here: a hidden name, so the model manager never lists it.
    master = out / f".{plan.master_filename}.master"
    master.unlink(missing_ok=True)  # left by a run that was killed (an ordinary failure removes it)
    try:
        convert_to_gguf(plan, master, progress=scaled(progress, 0.0, share), cancel=cancel)
        # An encoder's token_embd is only looked up, never an output: keep it in the chosen 32-block type.
        embd_type = plan.quant if plan.encoder is not None and plan.quant in ("Q4_0", "Q4_1", "Q5_0", "Q5_1",
                                                                              "Q8_0") else None
        quantize_gguf(master, final, plan.quant, progress=scaled(progress, share, _QUANT_SHARE), cancel=cancel,
                      token_embedding_type=embd_type)
    finally:
        with contextlib.suppress(FileNotFoundError):
            master.unlink()
    report(f"Done: {final.name}", 1.0)
    return final


def convert_to_gguf(
    plan_or_src: ConversionPlan | Path,
    dst: Path,
    *,
    outtype: str = "auto",
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """Write the master GGUF (F32/F16/BF16) to exactly ``dst``, through a temporary file."""
    import gguf

    plan = plan_or_src if isinstance(plan_or_src, ConversionPlan) else plan_conversion(plan_or_src, outtype=outtype)
    dst = Path(dst)
    if dst.exists():
        raise ConversionError(f"{dst} already exists.", hint="Delete it first, or choose another folder.")
    dst.parent.mkdir(parents=True, exist_ok=True)
    check_free_space(dst.parent, plan.master_bytes, f"Converting {plan.name}")
    cancel = cancel or threading.Event()
    report = stage_reporter(progress)
    qtype = {"f32": gguf.GGMLQuantizationType.F32, "f16": gguf.GGMLQuantizationType.F16,
             "bf16": gguf.GGMLQuantizationType.BF16}[plan.outtype]
    spec = plan.spec
    writer = gguf.GGUFWriter(path=None, arch=spec.arch)
    _write_metadata(writer, plan)
    types: list[Any] = []
    for t in plan.tensors:
        tt = qtype if t.is_matrix and t.source is not None else gguf.GGMLQuantizationType.F32
        types.append(tt)
        itemsize = 4 if tt == gguf.GGMLQuantizationType.F32 else 2
        np_dtype = {gguf.GGMLQuantizationType.F32: np.float32, gguf.GGMLQuantizationType.F16: np.float16,
                    gguf.GGMLQuantizationType.BF16: np.uint16}[tt]
        writer.add_tensor_info(t.gguf_name, t.shape, np.dtype(np_dtype), t.n_elements * itemsize,
                               raw_dtype=tt if tt == gguf.GGMLQuantizationType.BF16 else None)
    total = max(1, sum(t.source.nbytes for t in plan.tensors if t.source is not None))
    done = 0
    last_report = 0.0
    with gguf_output(writer, dst, ConversionError) as fout:
        for i, (t, tt) in enumerate(zip(plan.tensors, types)):
            label = f"Converting {t.gguf_name} ({i + 1}/{len(plan.tensors)})"

            def advance(nbytes: int, label: str = label) -> None:
                nonlocal done, last_report
                done += nbytes
                now = time.monotonic()
                if now - last_report > 0.1:
                    last_report = now
                    report(label, min(1.0, done / total))

            if cancel.is_set():
                raise CancelledError("Conversion cancelled.")
            nbytes = _write_tensor(fout, t, tt, cancel, advance)
            writer.write_padding(fout, nbytes)
    report(f"Converted {plan.name} to {plan.outtype.upper()}", 1.0)
    return dst


def _write_metadata(w: Any, plan: ConversionPlan) -> None:
    import gguf

    s = plan.spec
    file_type = {"f32": gguf.LlamaFileType.ALL_F32, "f16": gguf.LlamaFileType.MOSTLY_F16,
                 "bf16": gguf.LlamaFileType.MOSTLY_BF16}[plan.outtype]
    if plan.encoder is not None and isinstance(plan.vocab, EncoderVocab):
        write_encoder_metadata(w, s, plan.encoder, plan.name, file_type)
        plan.vocab.write(w)
        return
    w.add_type("model")
    w.add_name(plan.name)
    w.add_file_type(file_type)
    w.add_quantization_version(gguf.GGML_QUANT_VERSION)
    w.add_context_length(s.n_ctx_train)
    w.add_embedding_length(s.n_embd)
    w.add_feed_forward_length(s.n_ff)
    w.add_block_count(s.n_layers)
    w.add_head_count(s.n_head)
    w.add_head_count_kv(s.n_head_kv)
    w.add_rope_freq_base(s.rope_theta)
    w.add_layer_norm_rms_eps(s.rms_eps)
    w.add_vocab_size(s.vocab_size)
    w.add_rope_dimension_count(s.head_dim)
    if s.head_dim_explicit:
        w.add_key_length(s.head_dim)
        w.add_value_length(s.head_dim)
    rs = s.rope_scaling
    kind = rs.get("rope_type")
    if kind == "linear":
        w.add_rope_scaling_type(gguf.RopeScalingType.LINEAR)
        w.add_rope_scaling_factor(float(rs["factor"]))
    elif kind == "yarn":
        w.add_rope_scaling_type(gguf.RopeScalingType.YARN)
        w.add_rope_scaling_factor(float(rs["factor"]))
        w.add_rope_scaling_orig_ctx_len(int(rs.get("original_max_position_embeddings") or s.n_ctx_train))
        # The YaRN details llama.cpp's converter writes when the config has them (DeepSeek-R1-0528-Qwen3-8B
        # sets attn_factor).
        for key, add in (("extrapolation_factor", w.add_rope_scaling_yarn_ext_factor),
                         ("attention_factor", w.add_rope_scaling_yarn_attn_factor),
                         ("attn_factor", w.add_rope_scaling_yarn_attn_factor),
                         ("beta_fast", w.add_rope_scaling_yarn_beta_fast),
                         ("beta_slow", w.add_rope_scaling_yarn_beta_slow)):
            if rs.get(key) is not None and not (key == "attn_factor" and rs.get("attention_factor") is not None):
                add(float(rs[key]))
    assert isinstance(plan.vocab, VocabInfo)
    write_vocab(w, plan.vocab)


# ---------------------------------------------------------------------------------------------------
# tensor data


def _write_tensor(fout: BinaryIO, t: PlannedTensor, tt: Any, cancel: threading.Event,
                  advance: Callable[[int], None]) -> int:
    """Stream one tensor into ``fout``; returns the bytes written."""
    if t.source is None:
        assert t.data is not None
        data = np.ascontiguousarray(t.data, dtype=np.float32)
        fout.write(data.tobytes())
        return data.nbytes
    ref = t.source
    if ref.nbytes == 0:
        return 0
    rows = ref.shape[0] if ref.shape else 1
    row_elems = ref.n_elements // rows
    row_bytes = row_elems * ref.np_dtype.itemsize
    rows_per_chunk = max(1, CHUNK_BYTES // max(1, row_bytes))
    perm = permutation_rows(rows, t.permute_heads) if t.permute_heads else None
    gran = mmap.ALLOCATIONGRANULARITY
    base = ref.offset - ref.offset % gran
    delta = ref.offset - base
    written = 0
    with open(ref.file, "rb") as fh:
        mm = mmap.mmap(fh.fileno(), delta + ref.nbytes, offset=base, access=mmap.ACCESS_READ)
    try:
        for r0 in range(0, rows, rows_per_chunk):
            if cancel.is_set():
                raise CancelledError("Conversion cancelled.")
            r1 = min(rows, r0 + rows_per_chunk)
            if perm is None:
                src = np.frombuffer(mm, dtype=ref.np_dtype, count=(r1 - r0) * row_elems, offset=delta + r0 * row_bytes)
            else:
                whole = np.frombuffer(mm, dtype=ref.np_dtype, count=ref.n_elements, offset=delta)
                src = whole.reshape(rows, row_elems)[perm[r0:r1]].reshape(-1)
                del whole
            out = _cast(src, ref.dtype, tt, t.gguf_name, ref.file)
            fout.write(np.ascontiguousarray(out).data)
            written += out.nbytes
            del src, out
            _drop_pages(mm, delta + r1 * row_bytes if perm is None else len(mm))
            advance((r1 - r0) * row_bytes)
    finally:
        try:
            mm.close()
        except BufferError:  # a view survived (traceback frame); the GC unmaps it later
            pass
    return written


def _drop_pages(mm: mmap.mmap, upto: int) -> None:
    """Tell the OS we are done with the mapped pages so they stop counting as our memory (RSS).

    The file stays in the page cache; only this process's mapping of it is released.
    """
    advice = getattr(mmap, "MADV_DONTNEED", None)
    if advice is None:
        return  # no madvise (Windows): pages are released when the tensor's mapping is closed
    length = upto - upto % mmap.PAGESIZE
    if length > 0:
        with contextlib.suppress(OSError, ValueError):
            mm.madvise(advice, 0, length)


def _widen(src: np.ndarray, dtype: str) -> np.ndarray:
    if dtype == "BF16":
        return (src.astype(np.uint32) << 16).view(np.float32)
    if dtype == "F16":
        return src.astype(np.float32)
    return src


def f32_to_bf16(x: np.ndarray) -> np.ndarray:
    """float32 -> bfloat16 bits, round to nearest even, NaN kept quiet: the same bits as ggml's
    ggml_compute_fp32_to_bf16 (and gguf-py's, which is ~10x slower on uint64)."""
    n = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32)
    with np.errstate(over="ignore"):
        out = ((n + (np.uint32(0x7FFF) + ((n >> np.uint32(16)) & np.uint32(1)))) >> np.uint32(16)).astype(np.uint16)
    nan = np.isnan(x)
    if nan.any():
        out[nan] = ((n[nan] >> np.uint32(16)) | np.uint32(0x40)).astype(np.uint16)
    return out


def _cast(src: np.ndarray, dtype: str, tt: Any, name: str, file: Path) -> np.ndarray:
    import gguf

    T = gguf.GGMLQuantizationType
    if (dtype, tt) in (("F32", T.F32), ("F16", T.F16), ("BF16", T.BF16)):
        return src  # same type: the bytes are copied unchanged
    f32 = _widen(src, dtype)
    if tt == T.F32:
        return f32
    if tt == T.F16:
        with np.errstate(over="ignore"):  # overflow is detected just below, with a clear error
            f16 = f32.astype(np.float16)
        # Overflow shows up as infinities that were finite before (cheaper than a range test on f32).
        inf = np.isinf(f16)
        if inf.any():
            overflow = inf & np.isfinite(f32)
            if overflow.any():
                worst = float(np.max(np.abs(f32[overflow])))
                raise ConversionError(
                    f"{name} has values up to {worst:.4g}, beyond float16's range (±65504); an f16 file would "
                    "turn them into infinity.",
                    hint="Convert with output type bf16 or f32 (the default 'auto' keeps the checkpoint's type).",
                )
        return f16
    if tt == T.BF16:
        return f32_to_bf16(f32)
    raise ConversionError(f"Cannot write {name} as {tt!r}.")


def describe_plan(plan: ConversionPlan, n_ctx: int = DEFAULT_N_CTX) -> str:
    """One paragraph for the CLI and the wizard."""
    lines = [
        f"{plan.name}: {plan.spec.hf_arch} ({plan.spec.arch}), {plan.n_params / 1e9:.2f} B parameters, "
        f"{plan.spec.n_layers} layers, vocabulary {plan.spec.vocab_size}, pre-tokenizer {plan.vocab.pre}",
        f"weights: {plan.source_type}, {plan.source_bytes / GiB:.2f} GiB -> master {plan.outtype.upper()} "
        f"{plan.master_bytes / GiB:.2f} GiB",
    ]
    if plan.quant:
        lines.append(f"quantized {plan.quant}: about {plan.quant_bytes / GiB:.2f} GiB "
                     f"({8 * (plan.quant_bytes - plan.meta_bytes) / max(1, plan.n_params):.2f} bits per weight)")
    ram = math.ceil(plan.ram_bytes(n_ctx) / GiB * 10) / 10
    lines.append(f"disk needed while converting: {plan.disk_bytes / GiB:.2f} GiB; "
                 f"RAM to chat ({n_ctx} tokens of context): about {ram} GiB")
    return "\n".join(lines)


@contextlib.contextmanager
def gguf_output(writer: Any, dst: Path, error: type[AssistantError],
                verify: Callable[[Path], None] | None = None) -> Iterator[BinaryIO]:
    """A GGUF written atomically: ``writer``'s header, metadata and tensor infos go to a hidden ``.partial``
    file beside ``dst``, the body writes the tensor data into the file it is given, then the file is flushed,
    synced, closed, checked by ``verify`` and renamed into place (never over a file that appeared
    meanwhile). Any failure removes the partial file; a failed write says whether the disk was full."""
    tmp = dst.with_name(f".{dst.name}.partial")
    ok = False
    try:
        writer.write_header_to_file(tmp)
        writer.write_kv_data_to_file()
        writer.write_ti_data_to_file()
        assert writer.fout is not None
        fout = writer.fout[0]
        writer.write_padding(fout, fout.tell())
        yield fout
        fout.flush()
        os.fsync(fout.fileno())
        writer.close()
        if verify is not None:
            verify(tmp)
        if dst.exists():
            raise error(f"{dst} appeared while converting; not overwriting it.")
        os.replace(tmp, dst)
        ok = True
    except OSError as exc:
        raise write_failure(exc, dst, error) from exc
    finally:
        with contextlib.suppress(Exception):
            writer.close()
        if not ok:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()


def write_failure(exc: OSError, dst: Path, error: type[AssistantError]) -> AssistantError:
    """What a failed write of an output file tells the user: a full disk, or the error itself."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFullError(f"The disk filled up while writing {dst.name}.",
                             hint="Free some disk space and try again; nothing was kept.")
    return error(f"Writing {dst.name} failed: {exc.strerror or exc}")
