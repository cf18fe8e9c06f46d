"""Fixtures for the documents tests: a lexical embedder for the fast tests of indexing, the real bundled
embedding model for the tests of retrieval quality and the CLI, and documents made on the spot."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from assistant.core.docs.terms import terms


class LexicalEmbedder:
    """Hashed bag of terms (CJK bigrams, Latin words), L2-normalised: a real, deterministic embedding with no
    model behind it. It lets the indexing tests (sync, crash, bad files) run in milliseconds; what depends on
    meaning is tested with the real model (``embedder`` fixture)."""

    name = "lexical-test"
    dim = 128
    passage_budget = 500

    def __init__(self) -> None:
        self.calls = 0

    def count_tokens(self, text: str) -> int:
        return max(1, len(terms(text)))

    def embed(self, texts: Sequence[str], *, query: bool = False) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), self.dim), np.float32)
        for i, text in enumerate(texts):
            for t in terms(text):
                out[i, int.from_bytes(hashlib.md5(t.encode()).digest()[:4], "little") % self.dim] += 1.0
            norm = float(np.linalg.norm(out[i]))
            out[i] /= norm if norm else 1.0
        return out


@pytest.fixture
def lexical() -> LexicalEmbedder:
    return LexicalEmbedder()


@pytest.fixture(scope="session")
def embedder() -> Iterator[object]:
    """The bundled multilingual embedding model through llama.cpp (loaded once for the session)."""
    from assistant.core.docs.embedding import close_embedder, open_embedder

    e = open_embedder()
    yield e
    close_embedder(e)


@pytest.fixture(scope="session")
def suite_index(embedder: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The doc-QA suite's documents indexed once with the real model, for the tests that only read it."""
    from assistant.core.eval.docs_suite import build_index

    c = build_index(tmp_path_factory.mktemp("suite") / "suite.sqlite3", embedder)  # type: ignore[arg-type]
    yield c
    c.close()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def make_pdf(path: Path, pages: list[str], *, password: str | None = None) -> Path:
    """A real PDF (fpdf2, CJK font) with one string per page."""
    from fpdf import FPDF

    pdf = FPDF()
    for font in ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
                 "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"):
        if Path(font).is_file():
            pdf.add_font("cjk", "", font)
            break
    else:  # pragma: no cover - bootstrap installs the fonts
        pytest.fail("no CJK font: run packaging/bootstrap.sh test")
    if password is not None:
        pdf.set_encryption(owner_password="owner", user_password=password)
    for text in pages:
        pdf.add_page()
        pdf.set_font("cjk", size=12)
        pdf.multi_cell(0, 8, text)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def make_docx(path: Path, blocks: list[tuple[str, str]]) -> Path:
    """A real DOCX (python-docx): ("h1"|"h2"|"p"|"li", text) blocks, and ("table", "a|b;c|d")."""
    import docx

    d = docx.Document()
    for kind, text in blocks:
        if kind.startswith("h"):
            d.add_heading(text, level=int(kind[1:]))
        elif kind == "li":
            d.add_paragraph(text, style="List Bullet")
        elif kind == "table":
            rows = [r.split("|") for r in text.split(";")]
            table = d.add_table(rows=len(rows), cols=len(rows[0]))
            for i, row in enumerate(rows):
                for j, cell in enumerate(row):
                    table.cell(i, j).text = cell
        else:
            d.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    d.save(str(path))
    return path
