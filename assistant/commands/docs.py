"""`assistant docs add|list|remove|sync|search`: collections of the user's documents (issue 24); and the
`--docs NAME` of `assistant ask/chat`, which answers from them with numbered sources.

Thin over :mod:`assistant.core.docs`. Indexing prints one progress line (file, MB/s, time left) and a line for
every file that could not be indexed, with the reason; the exit status is 0 even then (the others are indexed),
1 only when the command itself cannot run.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path
from typing import Any, TextIO

from assistant.core.units import human_duration


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser("docs", help="your documents: collections to ask questions about (--docs NAME)",
                              description="Index folders and files (PDF, DOCX, Markdown, HTML, text in any "
                              "encoding, source code) into named collections, kept in step with the files, and "
                              "search them. Ask about them with `assistant ask --docs NAME`.")
    sub = p.add_subparsers(dest="docs_command", required=True)

    add = sub.add_parser("add", help="add folders or files to a collection (made if new) and index them")
    add.add_argument("name", help="the collection")
    add.add_argument("paths", nargs="+", type=Path, help="folders (kept in sync, recursively) and files")
    _index_options(add)
    add.set_defaults(func=cmd_add)

    sync = sub.add_parser("sync", help="index what changed in the collections' folders and files")
    sync.add_argument("names", nargs="*", help="collections (default: all)")
    _index_options(sync)
    sync.set_defaults(func=cmd_sync)

    ls = sub.add_parser("list", help="the collections, or one collection's sources and files")
    ls.add_argument("name", nargs="?", help="show this collection's files and their problems")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_list)

    rm = sub.add_parser("remove", help="remove a collection, or some of its folders and files")
    rm.add_argument("name")
    rm.add_argument("paths", nargs="*", type=Path, help="sources to remove (default: the whole collection)")
    rm.set_defaults(func=cmd_remove)

    se = sub.add_parser("search", help="the passages that answer a question best")
    se.add_argument("names", help="collection(s), comma separated")
    se.add_argument("query")
    se.add_argument("-k", "--top-k", type=int, default=5)
    se.add_argument("--mode", choices=("hybrid", "bm25", "vector"), default="hybrid")
    se.add_argument("--embedding-model", help="embedding model (default: the bundled one)")
    se.add_argument("--json", action="store_true")
    se.set_defaults(func=cmd_search)


def _index_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--embedding-model", help="embedding model: catalog id or .gguf (default: the bundled one)")
    p.add_argument("--chunk-tokens", type=int, default=256, help="passage size in the embedding model's tokens")
    p.add_argument("--max-file-mb", type=float, default=256, help="larger files are not indexed (default 256)")
    p.add_argument("--json", action="store_true", help="print the per-file report as JSON")


def split_names(text: str | list[str]) -> list[str]:
    parts = text if isinstance(text, list) else [text]
    return [n.strip() for part in parts for n in part.split(",") if n.strip()]


class IndexProgress:
    """A progress line on stderr (redrawn on a terminal, every few seconds otherwise) and a line per failure."""

    def __init__(self, out: TextIO = sys.stderr) -> None:
        self.out = out
        self.tty = out.isatty()
        self._last = 0.0

    def __call__(self, p: Any) -> None:
        if p.stage != "Indexing" or not p.total:
            return
        now = time.monotonic()
        if not self.tty and now - self._last < 5:
            return
        self._last = now
        left = f" · {human_duration(p.eta)} left" if p.eta is not None else ""
        line = (f"{100 * (p.fraction or 0):3.0f}% {p.downloaded / 2**20:,.1f}/{p.total / 2**20:,.1f} MB · "
                f"{p.speed / 2**20:,.2f} MB/s{left} · {p.filename}")
        self.out.write(("\r\x1b[2K" if self.tty else "") + line + ("" if self.tty else "\n"))
        self.out.flush()

    def file(self, fr: Any) -> None:
        if fr.status == "failed":
            self.out.write(("\r\x1b[2K" if self.tty else "") + f"  ✗ {fr.path}: {fr.message}\n")
        elif fr.message:
            self.out.write(("\r\x1b[2K" if self.tty else "") + f"  ! {fr.path}: {fr.message}\n")

    def end(self) -> None:
        if self.tty:
            self.out.write("\r\x1b[2K")


def _run_index(args: argparse.Namespace, collections: list[Any], paths: list[Path] | None) -> int:
    from assistant.commands.signals import sigint_cancels
    from assistant.core.docs.embedding import close_embedder, open_embedder
    from assistant.core.docs.indexing import add_paths, sync_collection
    from assistant.core.docs.segments import Limits

    embedder = open_embedder(args.embedding_model)
    cancel = threading.Event()
    reports = []
    try:
        for c in collections:
            bar = IndexProgress()
            kwargs: dict[str, Any] = {"size": args.chunk_tokens, "progress": bar, "on_file": bar.file,
                                      "cancel": cancel,
                                      "limits": Limits(max_file_bytes=int(args.max_file_mb * 2**20))}
            with sigint_cancels(cancel):
                report = add_paths(c, paths, embedder, **kwargs) if paths else sync_collection(c, embedder, **kwargs)
            bar.end()
            reports.append(report)
            for note in report.notes:
                print(f"  ! {note}", file=sys.stderr)
            print(report.summary() + f" in {human_duration(report.seconds)}", file=sys.stderr)
            if report.cancelled:
                break
    finally:
        close_embedder(embedder)
        for c in collections:
            c.close()
    if args.json:
        json.dump([r.to_dict() for r in reports], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    return 130 if any(r.cancelled for r in reports) else 0


def cmd_add(args: argparse.Namespace) -> int:
    from assistant.core.docs.library import open_collection

    return _run_index(args, [open_collection(args.name, create=True)], list(args.paths))


def cmd_sync(args: argparse.Namespace) -> int:
    from assistant.core.docs.library import collection_names, open_collection

    names = split_names(args.names) or collection_names()
    if not names:
        print("No collections. Make one with `assistant docs add NAME PATH...`.", file=sys.stderr)
        return 0
    return _run_index(args, [open_collection(n) for n in names], None)


def cmd_list(args: argparse.Namespace) -> int:
    from assistant.core.docs.library import collection_names, open_collection

    if args.name:
        with open_collection(args.name) as c:
            data = {**c.stats(), "sources": [{"path": s.path, "folder": s.is_dir} for s in c.sources()],
                    "files": [{"path": f.path, "format": f.format, "chunks": f.chunks, "pages": f.pages,
                               "encoding": f.encoding, "problem": f.problem} for f in c.files()]}
        if args.json:
            json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
            return 0
        print(f"{data['name']}: {data['files']} files, {data['chunks']:,} passages, {data['problems']} with problems"
              f" · {data['embedder'] or 'not indexed yet'} · {data['bytes'] / 2**20:,.1f} MB")
        for s in data["sources"]:
            print(f"  {'folder' if s['folder'] else 'file  '}  {s['path']}")
        for f in data["files"]:
            what = f"✗ {f['problem']}" if f["problem"] else f"{f['chunks']} passages" + (
                f", {f['pages']} pages" if f["pages"] else "")
            print(f"    {f['path']}  ({what})")
        return 0
    stats = []
    for name in collection_names():
        with open_collection(name) as c:
            stats.append(c.stats())
    if args.json:
        json.dump(stats, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif not stats:
        print("No collections. Make one with `assistant docs add NAME PATH...`.", file=sys.stderr)
    for s in [] if args.json else stats:
        print(f"{s['name']:<24} {s['files']:>5} files {s['chunks']:>8,} passages"
              + (f"  {s['problems']} with problems" if s["problems"] else ""))
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from assistant.core.docs.indexing import remove_paths
    from assistant.core.docs.library import open_collection, remove_collection

    if args.paths:
        with open_collection(args.name) as c:
            n = remove_paths(c, args.paths)
        print(f"Removed {len(args.paths)} source(s) from {args.name}: {n} files left the index.", file=sys.stderr)
        return 0
    path = remove_collection(args.name)
    print(f"Removed the collection {args.name} ({path}); your documents themselves are untouched.", file=sys.stderr)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from assistant.core.docs.embedding import close_embedder, open_embedder
    from assistant.core.docs.library import open_collection
    from assistant.core.docs.retrieval import search

    collections = [open_collection(n) for n in split_names(args.names)]
    embedder = None if args.mode == "bm25" else open_embedder(args.embedding_model)
    try:
        result = search(collections, args.query, embedder, top_k=args.top_k, mode=args.mode)
    finally:
        close_embedder(embedder)
        for c in collections:
            c.close()
    for note in result.notes:
        print(f"[{note}]", file=sys.stderr)
    if args.json:
        json.dump({"seconds": round(result.seconds, 4), "passages": [
            {"collection": p.hit.collection, "path": p.hit.path, "page": p.hit.page, "start": p.hit.start,
             "end": p.hit.end, "heading": p.hit.heading, "text": p.hit.text, "score": p.score, "cosine": p.cosine,
             "bm25_rank": p.bm25_rank, "vector_rank": p.vector_rank, "relevant": p.relevant}
            for p in result.passages]}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if not result.passages:
        print("Nothing found.", file=sys.stderr)
    for i, p in enumerate(result.passages, 1):
        page = f" p.{p.hit.page}" if p.hit.page else ""
        mark = "" if p.relevant else "  (below the relevance threshold)"
        print(f"[{i}] {p.hit.path}{page} chars {p.hit.start}-{p.hit.end} · cos {p.cosine:.3f}{mark}")
        print("    " + " ".join(p.hit.text.split())[:300])
    print(f"{len(result.passages)} passages in {result.seconds * 1000:.0f} ms", file=sys.stderr)
    return 0


# ---------------------------------------------------------------------------------------------------
# ask/chat --docs NAME


def add_docs_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--docs", action="append", default=[], metavar="NAME",
                   help="answer from these document collections, with numbered sources (repeatable)")
    p.add_argument("--embedding-model", help="embedding model for --docs (default: the bundled one)")


class DocsSession:
    """What `ask`/`chat` keep for --docs: the embedder, and the sources the conversation was given."""

    def __init__(self, args: argparse.Namespace) -> None:
        from assistant.core.docs.embedding import open_embedder
        from assistant.core.docs.library import open_collection

        self.names = split_names(list(getattr(args, "docs", None) or []))
        for name in self.names:  # an unknown name is said before any model is loaded
            open_collection(name).close()
        self.embedder = open_embedder(getattr(args, "embedding_model", None)) if self.names else None
        self.previous: list[dict[str, Any]] = []
        self.last: Any = None

    def prompt(self, question: str) -> str:
        """The user turn for ``question``: with its passages when --docs was given, else the question."""
        if not self.names:
            return question
        from assistant.core.docs.answer import ground

        self.last = ground(question, self.names, self.embedder, previous=self.previous)
        self.previous += self.last.new_sources
        if not self.last.found:
            print(f"[nothing relevant found in {', '.join(self.names)}]", file=sys.stderr)
        return str(self.last.prompt)

    def options(self, options: Any, question: str) -> Any:
        """Maths mode "auto" decides on the question alone: the passages' numbers and dates must not make a
        documents question a maths one."""
        if not self.names:
            return options
        from assistant.core.docs.answer import question_options

        return question_options(options, question)

    def cited(self, answer: str) -> list[dict[str, Any]]:
        return self.last.cited(answer) if self.last is not None else []

    def print_sources(self, answer: str, out: TextIO = sys.stderr) -> None:
        if self.last is None:
            return
        for s in self.last.cited(answer) or []:
            page = f", page {s['page']}" if s["page"] else ""
            out.write(f"  [{s['n']}] {s['path']}{page}, characters {s['start']}-{s['end']}\n")

    def close(self) -> None:
        from assistant.core.docs.embedding import close_embedder

        close_embedder(self.embedder)
