"""Validate a GGUF file before llama.cpp sees it: header, metadata, tensor table, sizes, support.

Why a reader of our own instead of ``gguf.GGUFReader``: the reader in gguf-py builds one numpy
array per metadata element (6 s for the 98 MB bundled model on the reference machine), trusts
counts from the file (an array length of 2**62 becomes an endless loop or a huge allocation), and
raises bare ``IndexError``/``ValueError`` on truncation. This one walks the header once over a
read-only ``mmap``, bounds every count and length by the bytes that are actually left in the file,
never materialises big arrays (it only steps over the vocabulary strings), and turns every defect
into :class:`InvalidModelError` or :class:`UnsupportedModelError` with a sentence a user can act on.
Tensor type sizes come from the bundled ggml itself (gguf-py's table as a fallback).

The rules follow llama.cpp's own loader (ggml ``gguf.cpp``): version 2 or 3, tensor names shorter
than 64 bytes, at most 4 dimensions, known tensor types, rows a whole number of blocks, tensors
stored back to back in the data section at the file's alignment, and all of that inside the file.
"""

from __future__ import annotations

import mmap
import os
import struct
import threading
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.core.errors import InvalidModelError, ModelNotFoundError, UnsupportedModelError
from assistant.core.gguf_file import GGUF_MAGIC, file_type_names

SUPPORTED_VERSIONS = (2, 3)
MAX_NAME = 64  # GGML_MAX_NAME: names must be shorter (room for the NUL)
MAX_DIMS = 4  # GGML_MAX_DIMS
DEFAULT_ALIGNMENT = 32
MIN_TENSOR_INFO = 8 + 1 + 4 + 8 + 4 + 8  # name length, 1-byte name, n_dims, one dim, type, offset
MIN_KV = 8 + 1 + 4 + 1  # key length, 1-byte key, type, smallest value

# Architectures the bundled llama.cpp (llama-cpp-python 0.3.36) knows: LLM_ARCH_NAMES in its
# llama-arch.cpp. tests/core/test_gguf_check.py checks every name against the shared library.
_ARCHITECTURES = """
clip llama llama4 deci falcon grok gpt2 gptj gptneox mpt baichuan starcoder refact bert modern-bert
nomic-bert nomic-bert-moe neo-bert jina-bert-v2 jina-bert-v3 eurobert bloom stablelm qwen qwen2
qwen2moe qwen2vl qwen3 qwen3moe qwen3next qwen3vl qwen3vlmoe qwen35 qwen35moe qwen4exp phi2 phi3
phimoe plamo plamo2 plamo3 codeshell orion internlm2 minicpm minicpm3 gemma gemma2 gemma3 gemma3n
gemma4 gemma4-assistant gemma-embedding starcoder2 mamba mamba2 maple jamba falcon-h1 xverse
command-r cohere2 cohere2moe dbrx olmo olmo2 olmoe muse-glimmer openelm arctic deepseek deepseek2
deepseek2-ocr deepseek32 deepseek4 chatglm glm4 glm4moe glm-dsa bitnet t5 t5encoder jais jais2
nemotron nemotron_h nemotron_h_moe exaone exaone4 exaone-moe rwkv6 rwkv6qwen2 rwkv7 arwkv7 granite
granitemoe granitehybrid graniteswitch granite_swa chameleon wavtokenizer-dec plm bailingmoe
bailingmoe2 bailingmoe3 dots1 dots3note arcee afmoe laguna ernie4_5 ernie4_5-moe hunyuan-moe
hunyuan-dense hunyuan_vl hy_v3 hy_v4 smollm3 gpt-oss lfm2 lfm2moe dream smallthinker llada llada-moe
seed_oss grovemoe apertus minimax-01 hrm_text minimax-m2 minimax-m3 cogvlm rnd1 pangu-embedded
mistral3 eagle3 dflash mistral4 paddleocr mimo2 step35 spark2_5 llama-embed maincoder kimi-linear
kimi-k3 glm5-next talkie mellum nanbeige qwen3tts pockettts
"""
SUPPORTED_ARCHITECTURES = frozenset(_ARCHITECTURES.split())

# Known to llama.cpp but not chat models: vision projectors, embedders, speech and draft heads.
_NOT_CHAT = """
clip bert modern-bert nomic-bert nomic-bert-moe neo-bert jina-bert-v2 jina-bert-v3 eurobert
t5encoder wavtokenizer-dec gemma-embedding llama-embed qwen3tts pockettts eagle3 dflash
"""
NOT_CHAT_ARCHITECTURES = frozenset(_NOT_CHAT.split())
# Text-embedding encoders among them (llama.cpp's embedding mode); a GGUF of another architecture that
# declares a pooling type (Qwen3-Embedding: qwen3 + last-token pooling) is an embedding model too.
EMBEDDING_ARCHITECTURES = frozenset({"bert", "modern-bert", "nomic-bert", "nomic-bert-moe", "neo-bert", "jina-bert-v2",
                                     "jina-bert-v3", "eurobert", "gemma-embedding", "llama-embed", "t5encoder"})

KNOWN_TOKENIZERS = frozenset({"llama", "gpt2", "bert", "t5", "rwkv", "ugm", "plamo2", "no_vocab", "none"})

# GGUF metadata value types: id -> (name, fixed size in bytes; 0 for string/array).
_VALUE_TYPES: dict[int, tuple[str, int, str]] = {
    0: ("uint8", 1, "<B"), 1: ("int8", 1, "<b"), 2: ("uint16", 2, "<H"), 3: ("int16", 2, "<h"),
    4: ("uint32", 4, "<I"), 5: ("int32", 4, "<i"), 6: ("float32", 4, "<f"), 7: ("bool", 1, "<?"),
    8: ("string", 0, ""), 9: ("array", 0, ""), 10: ("uint64", 8, "<Q"), 11: ("int64", 8, "<q"),
    12: ("float64", 8, "<d"),
}
_STRING, _ARRAY = 8, 9
_Arrays = dict[str, tuple[int, int, int]]  # key -> (element type, count, offset of the first element)
_U32, _U64 = struct.Struct("<I"), struct.Struct("<Q")


@dataclass
class TensorInfo:
    name: str
    shape: tuple[int, ...]
    type_name: str
    offset: int  # from the start of the data section
    n_bytes: int


@dataclass
class GGUFInfo:
    """What the header says, in the terms the model manager and the fit estimate need."""

    path: str
    file_size: int
    version: int
    n_tensors: int
    n_kv: int
    architecture: str
    name: str = ""
    quantization: str = ""  # from general.file_type, or the commonest tensor type
    parameters: int = 0  # sum of tensor elements
    context_length: int = 0
    block_count: int = 0
    embedding_length: int = 0
    head_count: int = 0
    head_count_kv: int = 0
    key_length: int = 0
    value_length: int = 0
    vocab_size: int = 0
    tokenizer_model: str = ""
    tokenizer_pre: str = ""
    chat_template: str = ""
    family: str = "plain"  # prompt template family (assistant.core.chat.prompting)
    alignment: int = DEFAULT_ALIGNMENT
    data_offset: int = 0
    tensor_types: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    pooling_type: int = -1  # {arch}.pooling_type when the file has it (embedding models): 1 mean, 2 CLS, 3 last

    @property
    def is_embedding(self) -> bool:
        return self.architecture in EMBEDDING_ARCHITECTURES or self.pooling_type > 0

    @property
    def kv_bytes_per_token(self) -> int:
        """KV cache bytes per token of context with llama.cpp's default f16 cache."""
        if not (self.block_count and self.head_count):
            return 0
        head_dim = self.embedding_length // self.head_count if self.embedding_length else 0
        k = self.key_length or head_dim
        v = self.value_length or head_dim
        kv_heads = self.head_count_kv or self.head_count
        return self.block_count * kv_heads * (k + v) * 2

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["kv_bytes_per_token"] = self.kv_bytes_per_token
        d["chat_template"] = (self.chat_template[:200] + "…") if len(self.chat_template) > 200 else self.chat_template
        return d


class _Bad(Exception):
    """A defect found while reading; becomes InvalidModelError with the path attached."""

    def __init__(self, reason: str, *, unsupported: bool = False, hint: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.unsupported = unsupported
        self.hint = hint


class _Cursor:
    """Bounded reads over the mapped file: running past the end is a clear "truncated" error."""

    def __init__(self, buf: mmap.mmap | bytes, size: int) -> None:
        self.buf = buf
        self.size = size
        self.pos = 0

    def need(self, n: int, what: str) -> None:
        if n < 0 or self.pos + n > self.size:
            raise _Bad(f"the file ends inside the {what} (truncated or corrupt header)")

    def u32(self, what: str) -> int:
        self.need(4, what)
        v = _U32.unpack_from(self.buf, self.pos)[0]
        self.pos += 4
        return int(v)

    def u64(self, what: str) -> int:
        self.need(8, what)
        v = _U64.unpack_from(self.buf, self.pos)[0]
        self.pos += 8
        return int(v)

    def string(self, what: str, limit: int | None = None) -> bytes:
        n = self.u64(f"{what} length")
        if limit is not None and n > limit:
            raise _Bad(f"the {what} is {n:,} bytes long, which no valid file has (corrupt header)")
        self.need(n, what)
        s = bytes(self.buf[self.pos:self.pos + n])
        self.pos += n
        return s

    def scalar(self, vtype: int, what: str) -> Any:
        _, size, fmt = _VALUE_TYPES[vtype]
        self.need(size, what)
        v = struct.unpack_from(fmt, self.buf, self.pos)[0]
        self.pos += size
        return v


# Keys whose values we keep; big arrays are only counted.
_KEEP_STRINGS = ("general.architecture", "general.name", "tokenizer.ggml.model", "tokenizer.ggml.pre",
                 "tokenizer.chat_template")


def _read_value(cur: _Cursor, key: str, vtype: int, meta: dict[str, Any], arrays: _Arrays) -> None:
    if vtype not in _VALUE_TYPES:
        raise _Bad(f"metadata key {key!r} has unknown value type {vtype} (corrupt header)")
    if vtype == _STRING:
        raw = cur.string(f"value of {key!r}")
        if key in _KEEP_STRINGS or key.startswith("general."):
            meta[key] = raw.decode("utf-8", errors="replace")
        return
    if vtype != _ARRAY:
        meta[key] = cur.scalar(vtype, f"value of {key!r}")
        return
    itype = cur.u32(f"element type of {key!r}")
    count = cur.u64(f"length of {key!r}")
    start = cur.pos
    if itype == _ARRAY:
        raise _Bad(f"metadata key {key!r} holds nested arrays, which llama.cpp does not read")
    if itype not in _VALUE_TYPES:
        raise _Bad(f"metadata key {key!r} has unknown element type {itype} (corrupt header)")
    remaining = cur.size - cur.pos
    if itype == _STRING:
        if count * 8 > remaining:
            raise _Bad(f"metadata array {key!r} claims {count:,} strings, more than the file can hold")
        # Tight loop (this runs once per vocabulary entry): a length past the end ends it below.
        buf, pos, end, unpack = cur.buf, cur.pos, cur.size, _U64.unpack_from
        for _ in range(count):
            if pos + 8 > end:
                break
            pos += 8 + unpack(buf, pos)[0]
        else:
            if pos <= end:
                cur.pos = pos
                arrays[key] = (itype, count, start)
                return
        raise _Bad(f"the file ends inside the metadata array {key!r} (truncated or corrupt header)")
    else:
        size = _VALUE_TYPES[itype][1]
        if count * size > remaining:
            raise _Bad(f"metadata array {key!r} claims {count:,} values, more than the file can hold")
        if count <= 16:  # small arrays are kept (some models store per-layer head counts as arrays)
            fmt = _VALUE_TYPES[itype][2]
            meta[key] = [struct.unpack_from(fmt, cur.buf, cur.pos + i * size)[0] for i in range(count)]
        cur.pos += count * size
    arrays[key] = (itype, count, start)


@lru_cache(maxsize=1)
def _quant_tables() -> tuple[dict[int, tuple[str, int, int]], dict[int, str]]:
    """tensor type id -> (name, block size, bytes per block); file_type id -> name.

    Asked of the bundled ggml itself (it knows exactly the types this llama.cpp can load, including
    ones newer than gguf-py's table); gguf-py's table when llama-cpp-python is not importable.
    """
    try:
        import ctypes

        from llama_cpp._ggml import libggml

        from assistant.core.runtime.llama import llama_cpp_module

        lc = llama_cpp_module().llama_cpp

        blck, size, name = libggml.ggml_blck_size, libggml.ggml_type_size, libggml.ggml_type_name
        blck.restype, size.restype, name.restype = ctypes.c_int64, ctypes.c_size_t, ctypes.c_char_p
        blck.argtypes = size.argtypes = name.argtypes = [ctypes.c_int]
        types = {}
        for t in range(int(lc.GGML_TYPE_COUNT)):  # never past the count: the tables have no bound checks
            bs, ts = int(blck(t)), int(size(t))
            if bs > 0 and ts > 0:
                types[t] = ((name(t) or b"?").decode().upper(), bs, ts)
        return types, file_type_names()
    except Exception:  # pragma: no cover - llama-cpp-python is a hard dependency of the app
        from gguf.constants import GGML_QUANT_SIZES

        types = {int(t): (t.name, int(bs), int(ts)) for t, (bs, ts) in GGML_QUANT_SIZES.items()}
        return types, file_type_names()


def _scalar_int(meta: dict[str, Any], key: str) -> int:
    v = meta.get(key)
    if isinstance(v, list):  # per-layer arrays: the first layer is representative for estimates
        v = v[0] if v else 0
    try:
        return int(v) if v is not None else 0
    except (TypeError, ValueError):
        return 0


def _parse(path: Path, buf: mmap.mmap | bytes, size: int) -> GGUFInfo:
    cur = _Cursor(buf, size)
    cur.need(4, "file signature")
    magic = bytes(buf[0:4])
    if magic != GGUF_MAGIC:
        head = bytes(buf[:64]).lstrip().lower()
        if head.startswith((b"<!doctype", b"<html", b"<?xml")):
            raise _Bad("it is a web page (HTML), not a GGUF model — the download probably went wrong",
                       hint="Download the file again; if it keeps happening, check the endpoint setting.")
        if head.startswith(b"version https://git-lfs"):
            raise _Bad("it is a Git LFS pointer file, not the model itself",
                       hint="Download the real file (for example with `assistant models download`).")
        if head.startswith(b"{"):
            raise _Bad("it is a JSON text file, not a GGUF model")
        if magic[:2] == b"PK":
            raise _Bad("it is a zip archive, not a GGUF model", hint="Unpack it first and import the .gguf inside.")
        if magic in (b"ggml", b"ggmf", b"ggjt", b"lmgg", b"fmgg", b"tjgg"):
            raise _Bad("it is an old GGML/GGJT model from before GGUF", unsupported=True,
                       hint="Download a GGUF version of this model, or convert it with llama.cpp's tools.")
        raise _Bad("it is not a GGUF model file (the signature is wrong)",
                   hint="Choose a .gguf file, or import a Hugging Face folder to convert it.")
    cur.pos = 4
    version = cur.u32("version")
    if version not in SUPPORTED_VERSIONS:
        if version and version & 0xFFFF == 0:
            raise _Bad("it is a big-endian GGUF file, which this build of llama.cpp cannot read", unsupported=True)
        if version == 1:
            raise _Bad("it is a GGUF version 1 file, which llama.cpp no longer reads", unsupported=True,
                       hint="Download a newer conversion of this model.")
        raise _Bad(f"it says GGUF version {version}, and llama.cpp reads versions 2 and 3 (corrupt or too new)")
    n_tensors = cur.u64("tensor count")
    n_kv = cur.u64("metadata count")
    if n_tensors > (size - cur.pos) // MIN_TENSOR_INFO:
        raise _Bad(f"it claims {n_tensors:,} tensors, more than a file of {size:,} bytes can describe (corrupt header)")
    if n_kv > (size - cur.pos) // MIN_KV:
        raise _Bad(f"it claims {n_kv:,} metadata entries, more than the file can hold (corrupt header)")

    meta: dict[str, Any] = {}
    arrays: _Arrays = {}
    for i in range(n_kv):
        raw_key = cur.string(f"name of metadata entry {i}", limit=65535)
        try:
            key = raw_key.decode("utf-8")
        except UnicodeDecodeError:
            raise _Bad(f"metadata entry {i} has a name that is not text (corrupt header)") from None
        if key in meta or key in arrays:
            raise _Bad(f"metadata key {key!r} appears twice (corrupt header)")
        vtype = cur.u32(f"type of {key!r}")
        _read_value(cur, key, vtype, meta, arrays)

    alignment = meta.get("general.alignment", DEFAULT_ALIGNMENT)
    if not isinstance(alignment, int) or isinstance(alignment, bool) or alignment <= 0 or alignment & (alignment - 1):
        raise _Bad(f"general.alignment is {alignment!r}; it must be a power of two")

    types, ftypes = _quant_tables()
    tensors: list[TensorInfo] = []
    names: set[str] = set()
    for i in range(n_tensors):
        raw_name = cur.string(f"name of tensor {i}", limit=1 << 16)
        if len(raw_name) >= MAX_NAME:
            raise _Bad(f"tensor {i} has a name of {len(raw_name)} bytes; llama.cpp allows at most {MAX_NAME - 1}")
        tname = raw_name.decode("utf-8", errors="replace")
        if tname in names:
            raise _Bad(f"tensor {tname!r} appears twice (corrupt tensor table)")
        names.add(tname)
        n_dims = cur.u32(f"dimension count of {tname!r}")
        if not 1 <= n_dims <= MAX_DIMS:
            raise _Bad(f"tensor {tname!r} has {n_dims} dimensions; llama.cpp allows 1 to {MAX_DIMS}")
        dims = tuple(cur.u64(f"shape of {tname!r}") for _ in range(n_dims))
        if any(d >= 1 << 62 for d in dims):
            raise _Bad(f"tensor {tname!r} has an impossible shape {dims} (corrupt tensor table)")
        ttype = cur.u32(f"type of {tname!r}")
        if ttype not in types:
            raise _Bad(f"tensor {tname!r} uses tensor type {ttype}, which this llama.cpp does not know",
                       unsupported=ttype < 64, hint="The file may need a newer app, or it is damaged.")
        type_name, block, type_size = types[ttype]
        if dims[0] % block:
            raise _Bad(f"tensor {tname!r} has rows of {dims[0]} values, not a whole number of {type_name} "
                       f"blocks of {block} (corrupt tensor table)")
        n_elems = 1
        for d in dims:
            n_elems *= d
        n_bytes = n_elems // block * type_size
        offset = cur.u64(f"data offset of {tname!r}")
        tensors.append(TensorInfo(tname, dims, type_name, offset, n_bytes))

    data_offset = -(-cur.pos // alignment) * alignment
    expected = 0
    for t in tensors:
        if t.offset != expected:
            raise _Bad(f"tensor {t.name!r} starts at offset {t.offset:,} of the data section, but the tensor "
                       f"table says {expected:,} (corrupt tensor table)")
        expected += -(-t.n_bytes // alignment) * alignment
    data_end = data_offset + (tensors[-1].offset + tensors[-1].n_bytes if tensors else 0)
    if data_end > size:
        missing = data_end - size
        raise _Bad(f"the file is {size:,} bytes but its tensors need {data_end:,}: {missing:,} bytes are missing "
                   "(incomplete download or truncated copy)",
                   hint="Download or copy the file again; an interrupted download resumes where it stopped.")

    return _info(path, buf, size, version, n_tensors, n_kv, meta, arrays, tensors, alignment, data_offset, ftypes)


def _info(path: Path, buf: mmap.mmap | bytes, size: int, version: int, n_tensors: int, n_kv: int, meta: dict[str, Any],
          arrays: _Arrays, tensors: list[TensorInfo], alignment: int, data_offset: int,
          ftypes: dict[int, str]) -> GGUFInfo:
    arch = meta.get("general.architecture")
    if not isinstance(arch, str) or not arch:
        raise _Bad("it has no general.architecture entry, so llama.cpp cannot tell what model it is")
    if not tensors:
        raise _Bad("it contains no weights (a vocabulary-only or empty GGUF file)")
    if arch not in SUPPORTED_ARCHITECTURES:
        raise _Bad(f"its architecture {arch!r} is not supported by the bundled llama.cpp", unsupported=True,
                   hint="Choose a model of a supported family (Llama, Qwen, Mistral, Gemma, Phi, DeepSeek…), "
                   "or update the app.")
    block_count = _scalar_int(meta, f"{arch}.block_count")
    if block_count <= 0:
        raise _Bad(f"it has no {arch}.block_count entry (incomplete metadata)")

    heads = meta.get(f"{arch}.attention.head_count")
    kv_heads = meta.get(f"{arch}.attention.head_count_kv")
    if isinstance(heads, int) and isinstance(kv_heads, int) and heads > 0:
        # ggml asserts (aborts the process) on impossible attention shapes, e.g. more KV heads than heads.
        if kv_heads <= 0 or kv_heads > heads or heads % kv_heads:
            raise _Bad(f"its attention head counts are impossible ({heads} heads, {kv_heads} key/value heads)")
        embd = meta.get(f"{arch}.embedding_length")
        if isinstance(embd, int) and heads > embd:
            raise _Bad(f"it has {heads} attention heads for an embedding of {embd} (corrupt metadata)")
    tok_model = meta.get("tokenizer.ggml.model")
    if not isinstance(tok_model, str):
        raise _Bad("it has no tokenizer (tokenizer.ggml.model is missing)",
                   hint="Convert the model again with its tokenizer files present.")
    if tok_model not in KNOWN_TOKENIZERS:
        raise _Bad(f"its tokenizer type {tok_model!r} is unknown to llama.cpp", unsupported=True)
    n_vocab = 0
    if tok_model not in ("none", "no_vocab"):
        if "tokenizer.ggml.tokens" not in arrays:
            raise _Bad("its tokenizer has no token list (tokenizer.ggml.tokens is missing)")
        itype, n_vocab, tokens_at = arrays["tokenizer.ggml.tokens"]
        if itype != _STRING or n_vocab == 0:
            raise _Bad("its token list is empty or not made of strings (corrupt tokenizer)")
        # llama.cpp indexes these parallel arrays with the token id without checking their lengths.
        for key in ("tokenizer.ggml.scores", "tokenizer.ggml.token_type"):
            if key in arrays and arrays[key][1] != n_vocab:
                raise _Bad(f"{key} has {arrays[key][1]:,} entries for {n_vocab:,} tokens (corrupt tokenizer)")
        if tok_model == "gpt2" and "tokenizer.ggml.merges" not in arrays:
            raise _Bad("its BPE tokenizer has no merges (tokenizer.ggml.merges is missing)")
        if tok_model in ("llama", "ugm") and not _has_byte_tokens(buf, tokens_at, n_vocab):
            # llama.cpp's SentencePiece path falls back to <0xNN> tokens for characters outside the
            # vocabulary and aborts the whole process when they are missing (seen: SIGABRT on "中文").
            raise _Bad("its SentencePiece tokenizer has no byte tokens (<0x00>…<0xFF>); llama.cpp crashes on "
                       "any character outside its vocabulary", unsupported=True,
                       hint="Convert the model again with a complete tokenizer.")
    if "token_embd.weight" not in {t.name for t in tensors}:
        raise _Bad("it has no token embedding tensor (token_embd.weight), so it is not a complete model")

    counts: dict[str, int] = {}
    for t in tensors:
        counts[t.type_name] = counts.get(t.type_name, 0) + 1
    ftype = meta.get("general.file_type")
    quant = ftypes.get(int(ftype), f"type {ftype}") if isinstance(ftype, int) else ""
    if not quant:
        big = [t for t in tensors if len(t.shape) > 1]
        quant = max(counts_for(big).items(), key=lambda kv: kv[1])[0] if big else ""
    template = meta.get("tokenizer.chat_template", "")
    from assistant.core.chat.prompting import detect_family

    name = str(meta.get("general.name", "") or path.stem)
    family = detect_family(template or None, arch, name)
    warnings = []
    if not template:
        warnings.append("no chat template in the file: a plain prompt format will be used")
    elif isinstance(template, str):
        _check_template(template)
    for key in ("bos", "eos", "unknown", "padding", "eot", "sep"):
        tid = meta.get(f"tokenizer.ggml.{key}_token_id")
        if n_vocab and isinstance(tid, int) and not isinstance(tid, bool) and n_vocab <= tid < 0xFFFFFFFF:
            # llama.cpp ignores such ids with a warning and keeps its default.
            warnings.append(f"{key} token id {tid} is outside the vocabulary of {n_vocab:,} tokens")
    return GGUFInfo(
        path=str(path), file_size=size, version=version, n_tensors=n_tensors, n_kv=n_kv, architecture=arch,
        name=name, quantization=quant, parameters=sum(_n_elems(t.shape) for t in tensors),
        context_length=_scalar_int(meta, f"{arch}.context_length"), block_count=block_count,
        embedding_length=_scalar_int(meta, f"{arch}.embedding_length"),
        head_count=_scalar_int(meta, f"{arch}.attention.head_count"),
        head_count_kv=_scalar_int(meta, f"{arch}.attention.head_count_kv"),
        key_length=_scalar_int(meta, f"{arch}.attention.key_length"),
        value_length=_scalar_int(meta, f"{arch}.attention.value_length"),
        pooling_type=_scalar_int(meta, f"{arch}.pooling_type") if f"{arch}.pooling_type" in meta else -1,
        vocab_size=n_vocab, tokenizer_model=tok_model, tokenizer_pre=str(meta.get("tokenizer.ggml.pre", "")),
        chat_template=template if isinstance(template, str) else "", family=family, alignment=alignment,
        data_offset=data_offset, tensor_types=counts, warnings=warnings,
    )


_BYTE_TOKENS = tuple(f"<0x{b:02X}>".encode() for b in range(256))  # index = byte value


def _has_byte_tokens(buf: mmap.mmap | bytes, pos: int, count: int) -> bool:
    """Whether a token list (already bounds-checked) can encode any byte, as llama.cpp's byte_to_token
    needs: each byte as "<0xHH>" (upper-case hex, exactly), or else as a one-byte token."""
    found: set[bytes] = set()
    unpack = _U64.unpack_from
    for _ in range(count):
        n = unpack(buf, pos)[0]
        if n == 6 or n == 1:
            found.add(bytes(buf[pos + 8:pos + 8 + n]))
        pos += 8 + n
    return all(tok in found or bytes([b]) in found for b, tok in enumerate(_BYTE_TOKENS))


def _check_template(template: str) -> None:
    """llama-cpp-python compiles the chat template with Jinja when it loads a model; a syntax error there
    escapes as a Python exception, so refuse the file here with the reason."""
    try:
        from jinja2 import TemplateSyntaxError
        from jinja2.sandbox import ImmutableSandboxedEnvironment
    except ImportError:  # pragma: no cover - jinja2 comes with llama-cpp-python
        return
    try:
        ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True).parse(template)
    except TemplateSyntaxError as exc:
        raise _Bad(f"its chat template is broken (line {exc.lineno}: {exc.message})",
                   hint="Use another conversion of this model, or fix tokenizer.chat_template.") from None


def counts_for(tensors: list[TensorInfo]) -> dict[str, int]:
    out: dict[str, int] = {}
    for t in tensors:
        out[t.type_name] = out.get(t.type_name, 0) + _n_elems(t.shape)
    return out


def _n_elems(shape: tuple[int, ...]) -> int:
    n = 1
    for d in shape:
        n *= d
    return n


_cache: dict[tuple[str, int, int], GGUFInfo] = {}
_cache_lock = threading.Lock()


def validate(path: str | os.PathLike[str], *, purpose: str = "chat") -> GGUFInfo:
    """Read and check the GGUF header of ``path``; raise a clear error for anything llama.cpp would trip on,
    or for a model that is not for ``purpose`` ("chat": text generation; "embedding": llama.cpp's
    embedding mode; "any").

    Results are cached by path, size and modification time, so asking again is free.
    """
    info = _validate(path)
    if purpose == "chat" and (info.architecture in NOT_CHAT_ARCHITECTURES or info.is_embedding):
        what = "an embedding" if info.is_embedding else "a vision-projector or helper"
        raise UnsupportedModelError(Path(path), f"it is a {info.architecture!r} model ({what} model), not a chat model",
                                    hint="Choose a text-generation (chat) model.")
    if purpose == "embedding" and not info.is_embedding:
        raise UnsupportedModelError(Path(path), f"it is a {info.architecture!r} model without a pooling type, "
                                                "not an embedding model",
                                    hint="Choose an embedding model (e.g. multilingual-e5, bge-m3, all-MiniLM).")
    return info


def _validate(path: str | os.PathLike[str]) -> GGUFInfo:
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise ModelNotFoundError(p) from None
    except OSError as exc:
        raise InvalidModelError(p, f"it cannot be read ({exc.strerror or exc})") from exc
    if p.is_dir():
        raise InvalidModelError(p, "it is a folder, not a .gguf file",
                                hint="Import the folder in the model manager to convert it to GGUF.")
    key = (str(p.resolve()), st.st_size, st.st_mtime_ns)
    with _cache_lock:
        hit = _cache.get(key)
    if hit is not None:
        return hit
    if st.st_size == 0:
        raise InvalidModelError(p, "the file is empty (0 bytes)",
                                hint="The download or copy did not finish. Download or import it again.")
    try:
        with open(p, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            info = _parse(p, mm, st.st_size)
    except _Bad as bad:
        cls = UnsupportedModelError if bad.unsupported else InvalidModelError
        raise cls(p, bad.reason, hint=bad.hint) from None
    except (OSError, ValueError) as exc:
        raise InvalidModelError(p, f"it cannot be read ({getattr(exc, 'strerror', None) or exc})") from exc
    with _cache_lock:
        if len(_cache) > 256:
            _cache.clear()
        _cache[key] = info
    return info


def read_context_length(path: str | os.PathLike[str]) -> int:
    """The trained context length from the header (0 when the file cannot be read)."""
    try:
        return validate(path).context_length
    except Exception:
        return 0
