"""Which embedding model: the bundled one, catalog ids, files; and how each wants its texts prefixed.

The bundled embedding model (multilingual-e5-small, Q4_0) lies beside the bundled chat model
(``models/`` in a checkout, the frozen app's ``models/``), put there by ``packaging/fetch_default_model.py``
and verified against the catalog's size and sha256 like the chat model.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from assistant.core.errors import ModelNotFoundError, UnknownModelError
from assistant.core.models.catalog import (
    CatalogEntry,
    ResolvedModel,
    close_matches,
    entry_for_file,
    find_bundled_model,
    get_entry,
    verify_file,
)
from assistant.core.paths import app_paths, bundled_dirs

EMBEDDING_MODEL_ID = "multilingual-e5-small"  # catalog id of the embedding model inside the app

# Instructions the model families were trained with (their model cards), for files that do not carry
# sentence-transformers' prompts themselves. bge v1.5: the query instruction only; passages plain.
_E5 = ("query: ", "passage: ")
_BGE_ZH = ("为这个句子生成表示以用于检索相关文章：", "")
_BGE_EN = ("Represent this sentence for searching relevant passages: ", "")


@dataclass(frozen=True)
class Prefixes:
    query: str = ""
    passage: str = ""


def bundled_embedding_model() -> Path:
    """The GGUF of the bundled embedding model, verified by size and sha256 (a stamp makes re-checks free)."""
    entry = get_entry(EMBEDDING_MODEL_ID)
    if entry is None or entry.bundled is None:  # pragma: no cover - the catalog ships with the app
        raise ModelNotFoundError(EMBEDDING_MODEL_ID, hint="The catalog has no bundled embedding model.")
    path = find_bundled_model(entry)
    verify_file(path, entry.bundled.get("size"), entry.bundled.get("sha256"))
    return path


def resolve_embedding_model(spec: str | os.PathLike[str] | None = None) -> ResolvedModel:
    """None -> the bundled model; a catalog id of kind "embedding"; a .gguf path; a file in the models folder."""
    if spec is None or str(spec) in ("", EMBEDDING_MODEL_ID):
        return ResolvedModel(bundled_embedding_model(), get_entry(EMBEDDING_MODEL_ID))
    entry = get_entry(str(spec))
    if entry is not None:
        if not entry.is_embedding:
            from assistant.core.errors import UnsupportedModelError

            raise UnsupportedModelError(str(spec), "it is a chat model, not an embedding model",
                                        hint=f"Choose an embedding model, e.g. {EMBEDDING_MODEL_ID}.")
        for quant in entry.gguf_files().values():
            for d in (app_paths().models_dir, *bundled_dirs()):
                if (d / quant["file"]).is_file():
                    return ResolvedModel(d / quant["file"], entry)
        raise ModelNotFoundError(app_paths().models_dir / f"{entry.id}.gguf",
                                 hint=f"{entry.name} is not downloaded yet "
                                      f"(`assistant models download {entry.id}`).")
    path = Path(spec).expanduser()
    if not path.is_absolute() and not path.exists():
        for d in (app_paths().models_dir, *bundled_dirs()):
            if (d / path).is_file():
                path = d / path
                break
    if not path.exists():
        if path.suffix.lower() != ".gguf" and len(path.parts) == 1:
            raise UnknownModelError(str(spec), close_matches(str(spec)))
        raise ModelNotFoundError(path)
    return ResolvedModel(path, entry_for_file(path))


def prefixes_for(metadata: dict[str, str], entry: CatalogEntry | None, name: str) -> Prefixes:
    """The query/passage prefixes: the file's own (our converter writes sentence-transformers' prompts),
    else the catalog's, else what the model family is known to need, else none."""
    q = metadata.get("sentence_transformers.prompts.query")
    p = metadata.get("sentence_transformers.prompts.passage", metadata.get("sentence_transformers.prompts.document"))
    if q is not None or p is not None:
        return Prefixes(q or "", p or "")
    prompts = entry.raw.get("prompts") if entry is not None else None
    if isinstance(prompts, dict):
        return Prefixes(str(prompts.get("query", "")), str(prompts.get("passage", "")))
    low = name.lower()
    if re.search(r"(^|[^a-z0-9])e5([^a-z0-9]|$)", low):  # multilingual-e5-small, e5-base-v2, …
        return Prefixes(*_E5)
    if "bge" in low and ("zh" in low or "chinese" in low):
        return Prefixes(*_BGE_ZH)
    if "bge" in low and "en" in low and "m3" not in low:
        return Prefixes(*_BGE_EN)
    return Prefixes()
