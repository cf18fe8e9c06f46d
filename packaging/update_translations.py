"""Regenerate the Qt Linguist files: `pyside6-lupdate` (sources → .ts), then `pyside6-lrelease` (.ts → .qm).

Run after changing UI strings; translate new entries in resources/translations/assistant_zh_CN.ts
(Qt Linguist: `pyside6-linguist`), run again, commit the .ts and .qm files.

The sources are every .py file under assistant/ui, its feature folders included. A message's context is the
class it is written in, so code moved to another class would come back untranslated: a new, unfinished
message whose English text (and comment) had one translation before, in whatever context, gets it again.

    python packaging/update_translations.py
"""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
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


Key = tuple[str, str, bool]  # source text, comment (disambiguation), plural


def _key(message: ET.Element) -> Key:
    return message.findtext("source") or "", message.findtext("comment") or "", message.get("numerus") == "yes"


def _done(translation: ET.Element | None) -> bool:
    return translation is not None and translation.get("type") is None and \
        bool((translation.text or "").strip() or [f for f in translation if (f.text or "").strip()])


def finished_translations(ts: Path) -> dict[Key, ET.Element]:
    """The finished translation of each message text, where every context that has it agrees."""
    if not ts.is_file():
        return {}
    seen: dict[Key, list[ET.Element]] = {}
    for message in ET.parse(ts).getroot().iter("message"):
        translation = message.find("translation")
        if translation is not None and _done(translation):
            seen.setdefault(_key(message), []).append(translation)
    return {k: found[0] for k, found in seen.items() if len({ET.tostring(t) for t in found}) == 1}


def carry(ts: Path, before: dict[Key, ET.Element]) -> int:
    """Give unfinished messages of ``ts`` the translation their text had before (moved code); how many."""
    tree = ET.parse(ts)
    carried = 0
    for message in tree.getroot().iter("message"):
        old = before.get(_key(message))
        translation = message.find("translation")
        if old is None or translation is None or _done(translation) or translation.get("type") != "unfinished":
            continue
        message.remove(translation)
        message.append(copy.deepcopy(old))
        carried += 1
    if carried:
        tree.write(ts, encoding="utf-8", xml_declaration=True)
    return carried


def main() -> int:
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "assistant" / "ui").rglob("*.py"))
    TS_DIR.mkdir(parents=True, exist_ok=True)
    for lang in LANGUAGES:
        ts = TS_DIR / f"assistant_{lang}.ts"
        before = finished_translations(ts)
        lupdate = [tool("pyside6-lupdate"), *sources, "-no-obsolete", "-source-language", "en",
                   "-target-language", lang, "-ts", str(ts.relative_to(ROOT))]
        subprocess.run(lupdate, cwd=ROOT, check=True)
        carried = carry(ts, before)
        if carried:
            print(f"{ts.name}: {carried} moved message(s) keep their translation")
            subprocess.run(lupdate, cwd=ROOT, check=True)  # lupdate's own layout again
        subprocess.run([tool("pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))], cwd=ROOT, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
