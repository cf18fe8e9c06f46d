"""Regenerate the Qt Linguist files: `pyside6-lupdate` (sources → .ts), then `pyside6-lrelease` (.ts → .qm).

Run after changing UI strings; translate new entries in resources/translations/assistant_zh_CN.ts
(Qt Linguist: `pyside6-linguist`), run again, commit the .ts and .qm files.

    python packaging/update_translations.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TS_DIR = ROOT / "resources" / "translations"
LANGUAGES = ("zh_CN", "en")


def tool(name: str) -> str:
    """The PySide6 tool next to this interpreter (the venv), else on PATH."""
    here = Path(sys.executable).with_name(name)
    found = str(here) if here.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: install PySide6 in this environment")
    return found


def main() -> int:
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "assistant" / "ui").glob("*.py"))
    TS_DIR.mkdir(parents=True, exist_ok=True)
    for lang in LANGUAGES:
        ts = TS_DIR / f"assistant_{lang}.ts"
        subprocess.run([tool("pyside6-lupdate"), *sources, "-no-obsolete", "-source-language", "en",
                        "-target-language", lang, "-ts", str(ts.relative_to(ROOT))], cwd=ROOT, check=True)
        subprocess.run([tool("pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))], cwd=ROOT, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
