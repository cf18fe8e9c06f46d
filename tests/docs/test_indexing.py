"""Collections kept in step with their files; bad input reported per file, never fatal."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from assistant.core.docs.indexing import FAILED, INDEXED, REMOVED, UNCHANGED, Indexer, add_paths, sync_collection
from assistant.core.docs.library import collection_names, open_collection, remove_collection
from assistant.core.docs.retrieval import search
from assistant.core.errors import DocumentsError
from tests.docs.conftest import LexicalEmbedder, make_docx, make_pdf, write


def statuses(report) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {Path(f.path).name: f.status for f in report.files}


def test_folder_sync_notices_new_changed_removed(tmp_path: Path, lexical: LexicalEmbedder) -> None:
    folder = tmp_path / "notes"
    write(folder / "a.md", "# Apples\n\nApples grow on trees in the orchard.\n")
    write(folder / "sub" / "b.txt", "香蕉是一种热带水果。")
    write(folder / "ignored.bin", "x")
    write(folder / ".hidden.md", "secret")
    c = open_collection("notes", create=True)
    r = add_paths(c, [folder], lexical)
    assert statuses(r) == {"a.md": INDEXED, "b.txt": INDEXED}
    assert statuses(sync_collection(c, lexical)) == {"a.md": UNCHANGED, "b.txt": UNCHANGED}

    calls = lexical.calls
    os.utime(folder / "a.md", ns=(1, 1))  # touched, same bytes: hashed, not re-indexed
    assert statuses(sync_collection(c, lexical))["a.md"] == UNCHANGED and lexical.calls == calls

    write(folder / "a.md", "# Apples\n\nApples are picked in October.\n")
    write(folder / "c.md", "Cherries are red.")
    (folder / "sub" / "b.txt").unlink()
    r = sync_collection(c, lexical)
    assert statuses(r) == {"a.md": INDEXED, "c.md": INDEXED, "b.txt": REMOVED}
    assert c.integrity() == {"sqlite": "ok", "chunks": 2, "fts_rows": 2, "files_mismatched": 0}
    hits = search([c], "When are apples picked?", lexical).passages
    assert "October" in hits[0].hit.text
    c.close()
    assert collection_names() == ["notes"]


def test_missing_folder_keeps_its_documents(tmp_path: Path, lexical: LexicalEmbedder) -> None:
    folder = tmp_path / "usb"
    write(folder / "a.md", "Some text about rivers.")
    c = open_collection("usb", create=True)
    add_paths(c, [folder], lexical)
    folder.rename(tmp_path / "elsewhere")
    r = sync_collection(c, lexical)
    assert r.files == [] and "not there" in r.notes[0]
    assert c.stats()["chunks"] == 1


def test_bad_files_are_reported_and_the_rest_indexed(tmp_path: Path, lexical: LexicalEmbedder) -> None:
    folder = tmp_path / "mixed"
    write(folder / "good.md", "# Good\n\nThe good file talks about copper wire.")
    (folder / "binary.txt").write_bytes(os.urandom(4096) + b"\x00" * 100)
    make_pdf(folder / "locked.pdf", ["secret"], password="pw")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    (folder / "empty.docx").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    make_docx(folder / "ok.docx", [("h1", "Docx"), ("p", "A paragraph about silver.")])
    with open(folder / "huge.txt", "wb") as fh:  # 1 GB, sparse: nothing is written to disk
        fh.truncate(2**30)
    (folder / "loop.md").symlink_to(folder / "loop.md")
    (folder / "dangling.md").symlink_to(folder / "nowhere.md")
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to(folder)  # a folder loop
    os.mkfifo(folder / "pipe.txt")
    c = open_collection("mixed", create=True)
    r = add_paths(c, [folder], lexical)
    by = {Path(f.path).name: f for f in r.files}
    assert by["good.md"].status == INDEXED and by["ok.docx"].status == INDEXED
    messages = {name: f.message for name, f in by.items() if f.status == FAILED}
    assert "not a text file" in messages["binary.txt"]
    assert "password" in messages["locked.pdf"]
    assert "PDF" in messages["broken.pdf"]
    assert "DOCX" in messages["empty.docx"] or "Word" in messages["empty.docx"]
    assert "too large" in messages["huge.txt"]
    assert "loops" in messages["loop.md"]
    assert "does not exist" in messages["dangling.md"]
    assert "not a regular file" in messages["pipe.txt"]
    assert set(by) == {"good.md", "ok.docx", "binary.txt", "locked.pdf", "broken.pdf", "empty.docx", "huge.txt",
                       "loop.md", "dangling.md", "pipe.txt"}  # the folder loop is walked once
    assert c.integrity()["files_mismatched"] == 0
    assert {f.path.rsplit("/", 1)[-1] for f in c.files() if f.problem} == set(messages)


def test_unreadable_file(tmp_path: Path) -> None:
    """chmod 000 means nothing to root (CI runs as root): there the indexer runs in a child without the
    capabilities that let root read any file (setpriv), so the permission check is the real one."""
    folder = tmp_path / "perm"
    write(folder / "open.md", "Readable text about tin.")
    write(folder / "closed.md", "Hidden text.").chmod(0)
    script = (
        "import sys\n"
        "sys.path[:0] = [sys.argv[2]]\n"
        "from tests.docs.conftest import LexicalEmbedder\n"
        "from assistant.core.docs.library import open_collection\n"
        "from assistant.core.docs.indexing import add_paths\n"
        "r = add_paths(open_collection('perm', create=True), [sys.argv[1]], LexicalEmbedder())\n"
        "for f in r.files: print(f.path.rsplit('/', 1)[-1], f.status, f.message)\n")
    repo = str(Path(__file__).resolve().parents[2])
    command = [sys.executable, "-c", script, str(folder), repo]
    if os.geteuid() == 0:
        command = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", *command]
    out = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ), timeout=120)
    assert out.returncode == 0, out.stderr
    assert "open.md indexed" in out.stdout
    assert "closed.md failed It cannot be read: permission denied." in out.stdout


def test_file_changing_while_read(tmp_path: Path, lexical: LexicalEmbedder) -> None:
    path = write(tmp_path / "live.txt", "\n\n".join(f"Paragraph {i} about the weather." for i in range(6000)))
    c = open_collection("live", create=True)
    changed = threading.Event()

    def progress(p: object) -> None:  # called between batches, while the file is being read
        if not changed.is_set() and getattr(p, "downloaded", 0) > 0:
            changed.set()
            with open(path, "a") as fh:
                fh.write("\n\nA late paragraph.")

    r = add_paths(c, [path], lexical, progress=progress)
    assert changed.is_set()
    assert r.files[0].status == FAILED and "changed while it was being read" in r.files[0].message
    assert c.integrity()["chunks"] == 0
    assert sync_collection(c, lexical).files[0].status == INDEXED  # taken at the next sync


def test_cancel_rolls_back_the_file_in_hand(tmp_path: Path, lexical: LexicalEmbedder) -> None:
    write(tmp_path / "big.md", "\n\n".join(f"Sentence number {i} is here." for i in range(2000)))
    c = open_collection("cancel", create=True)
    cancel = threading.Event()
    r = add_paths(c, [tmp_path / "big.md"], lexical, cancel=cancel, progress=lambda p: cancel.set())
    assert r.cancelled and c.integrity()["chunks"] == 0
    assert sync_collection(c, lexical).files[0].status == INDEXED


def test_another_model_reembeds(tmp_path: Path, lexical: LexicalEmbedder) -> None:
    write(tmp_path / "a.md", "Copper and tin make bronze.")
    c = open_collection("models", create=True)
    add_paths(c, [tmp_path / "a.md"], lexical)

    class Other(LexicalEmbedder):
        name = "other-test"
        dim = 64

    other = Other()
    assert search([c], "bronze", other).notes  # vectors of another model are not compared
    Indexer(c, other).sync()
    assert c.embedder_name == "other-test" and c.vectors()[1].shape == (1, 64)
    assert not search([c], "bronze", other).notes


def test_names_and_removal(tmp_path: Path, lexical: LexicalEmbedder) -> None:
    write(tmp_path / "a.md", "text")
    for name in ("手册", "a/b", ""):
        if name in ("a/b", ""):
            with pytest.raises(DocumentsError):
                open_collection(name, create=True)
    c = open_collection("手册", create=True)
    add_paths(c, [tmp_path / "a.md"], lexical)
    c.close()
    with pytest.raises(DocumentsError, match="no collection called 'other'"):
        open_collection("other")
    remove_collection("手册")
    assert collection_names() == [] and (tmp_path / "a.md").exists()


CRASH_SCRIPT = """
import sys, time
sys.path[:0] = [sys.argv[2]]
from tests.docs.conftest import LexicalEmbedder
from assistant.core.docs.library import open_collection
from assistant.core.docs.indexing import add_paths

class Slow(LexicalEmbedder):
    def embed(self, texts, *, query=False):
        time.sleep(0.02)
        return super().embed(texts, query=query)

def said(fr):
    print(fr.status, fr.path, flush=True)

add_paths(open_collection("crash", create=True), [sys.argv[1]], Slow(), on_file=said)
print("finished", flush=True)
"""


@pytest.mark.slow
def test_kill_during_indexing_leaves_a_consistent_index_that_resumes(tmp_path: Path,
                                                                      lexical: LexicalEmbedder) -> None:
    folder = tmp_path / "many"
    for i in range(30):
        write(folder / f"doc{i:02}.md", "\n\n".join(f"Document {i} paragraph {j} on topic {i * j}." for j in
                                                     range(120)))
    repo = str(Path(__file__).resolve().parents[2])
    proc = subprocess.Popen([sys.executable, "-c", CRASH_SCRIPT, str(folder), repo], stdout=subprocess.PIPE,
                            text=True, env=dict(os.environ))
    assert proc.stdout is not None
    done = [proc.stdout.readline() for _ in range(5)]  # five files committed, the sixth in hand
    proc.kill()  # SIGKILL: no cleanup of any kind
    proc.wait()
    assert all(line.startswith("indexed") for line in done), done
    c = open_collection("crash")
    state = c.integrity()
    assert state["sqlite"] == "ok" and state["files_mismatched"] == 0 and state["chunks"] == state["fts_rows"]
    indexed_before = {f.path for f in c.files() if f.chunks}
    assert 5 <= len(indexed_before) < 30
    r = sync_collection(c, lexical)
    by = {f.path: f.status for f in r.files}
    assert all(by[p] == UNCHANGED for p in indexed_before)
    assert sum(1 for s in by.values() if s == INDEXED) == 30 - len(indexed_before)
    assert c.integrity()["files_mismatched"] == 0 and len(c.files()) == 30
