"""Text extraction: every format to contiguous segments, encodings, pages, structure."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core.docs.extract import Document, document_text, file_format
from assistant.core.docs.segments import FileProblem
from assistant.core.docs.textfile import detect_encoding, read_text
from tests.docs.conftest import make_docx, make_pdf, write

ZH = "长城是中国古代的军事防御工程。它的总长度超过两万公里！你去过长城吗？\n\n第二段：明长城东起虎山。\n"


def segments(path: Path) -> list:
    return list(Document(path).segments())


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "big5"])
def test_text_in_common_encodings_reads_back_exactly(tmp_path: Path, encoding: str) -> None:
    text = ZH * 40 + ("繁體中文測試。" if encoding == "big5" else "")
    if encoding == "big5":
        text = "長城是中國古代的軍事防禦工程。它的總長度超過兩萬公里！\n\n" * 40
    path = write(tmp_path / f"doc-{encoding}.txt", text, encoding)
    doc = Document(path)
    segs = list(doc.segments())
    assert "".join(s.text for s in segs) == text  # offsets point into the decoded file itself
    assert all(segs[i].end == segs[i + 1].start for i in range(len(segs) - 1))
    if encoding in ("gbk", "gb18030"):
        assert doc.encoding == "gb18030"


def test_gb18030_only_characters(tmp_path: Path) -> None:
    text = "生僻字𠀀与欧元符号€在GB18030中都能编码。" * 50
    path = write(tmp_path / "rare.txt", text, "gb18030")
    assert detect_encoding(path.read_bytes()[:65536]) == "gb18030"
    assert read_text(path)[0] == text


def test_binary_named_txt_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(bytes(range(256)) * 100)
    with pytest.raises(FileProblem, match="not a text file"):
        segments(path)


def test_markdown_structure(tmp_path: Path) -> None:
    md = ("# Title\n\nIntro.\n\n## Install\n\n- one\n- two\n  continued\n\n```sh\npip install x\n\nrun\n```\n\n"
          "| a | b |\n|---|---|\n| 1 | 2 |\n\nEnd.\n")
    segs = segments(write(tmp_path / "a.md", md))
    assert [s.kind for s in segs] == ["heading", "paragraph", "heading", "list", "code", "table", "paragraph"]
    assert [s.level for s in segs if s.kind == "heading"] == [1, 2]
    assert "pip install x\n\nrun" in segs[4].text  # a blank line inside a fence stays in the code block


def test_code_is_split_at_blank_lines(tmp_path: Path) -> None:
    src = "import os\n\n\ndef f():\n    return 1\n\n\nclass A:\n    pass\n"
    segs = segments(write(tmp_path / "m.py", src))
    assert file_format(tmp_path / "m.py") == "code"
    assert {s.kind for s in segs} == {"code"} and len(segs) == 3
    assert "".join(s.text for s in segs) == src


def test_html_text_without_scripts_or_navigation(tmp_path: Path) -> None:
    html = ("<html><head><title>T</title><style>p{}</style><script>var x=1;</script></head><body><nav>Home | About"
            "</nav><h1>Heading</h1><p>First &amp; second.</p><ul><li>alpha</li><li>beta</li></ul>"
            "<pre>code\n  indented</pre><table><tr><td>k</td><td>v</td></tr></table></body></html>")
    text = document_text(write(tmp_path / "p.html", html))
    assert "var x" not in text and "Home | About" not in text and "p{}" not in text
    assert "# Heading" in text and "First & second." in text and "- alpha" in text
    assert "code\n  indented" in text and "| k | v |" in text


def test_pdf_pages_are_kept(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "two.pdf", ["First page about apples.", "第二页讲的是香蕉和芒果。"])
    doc = Document(path)
    segs = list(doc.segments())
    assert doc.pages == 2
    assert {s.page for s in segs} == {1, 2}
    page2 = "".join(s.text for s in segs if s.page == 2)
    assert "香蕉" in page2 and "apples" not in page2


def test_docx_headings_lists_tables(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "d.docx", [("h1", "手册"), ("p", "第一段。"), ("li", "要点一"),
                                            ("h2", "Section"), ("table", "name|value;port|8443")])
    segs = segments(path)
    kinds = [(s.kind, s.level) for s in segs]
    assert ("heading", 1) in kinds and ("heading", 2) in kinds and ("list", 0) in kinds
    text = "".join(s.text for s in segs)
    assert "- 要点一" in text and "| port | 8443 |" in text


def test_encrypted_pdf_with_password_is_said(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "secret.pdf", ["hidden"], password="s3cret")
    with pytest.raises(FileProblem, match=r"password|encrypted"):
        segments(path)


def test_pdf_with_empty_user_password_opens(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "perm.pdf", ["Readable text behind an owner password."], password="")
    assert "Readable text" in document_text(path)


def test_truncated_and_garbage_pdfs(tmp_path: Path) -> None:
    good = make_pdf(tmp_path / "good.pdf", ["Some text on a page."] * 3).read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(good[: len(good) // 3])
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 500)
    for path in (cut, junk):
        try:
            text = document_text(path)
        except FileProblem as exc:
            assert str(exc)  # a sentence, not a traceback
        else:  # pypdf may recover part of a damaged file: then what it gives is text
            assert isinstance(text, str)


def test_docx_zip_bomb_is_refused(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(b"<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'><w:body>")
            block = b"<w:p><w:r><w:t>" + b"A" * 4000 + b"</w:t></w:r></w:p>"
            for _ in range(12_000):  # ~48 MB of XML in ~100 KB: unpacks 400 times its size
                fh.write(block)
            fh.write(b"</w:body></w:document>")
    assert path.stat().st_size < 10 * 2**20
    with pytest.raises(FileProblem, match="zip bomb"):
        segments(path)


def test_not_a_docx(tmp_path: Path) -> None:
    path = write(tmp_path / "fake.docx", "just text")
    with pytest.raises(FileProblem, match="not a valid DOCX"):
        segments(path)
