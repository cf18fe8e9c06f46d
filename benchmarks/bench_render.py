"""Render cost of a streamed reasoning, per update: a 4,000-token R1-style reasoning (Chinese and English, inline
and display maths: tests/fixtures/r1-reasoning-rectangle.md, repeated with other numbers) streamed into the
real thinking section (chat/thinking.py), a few tokens per update as the chat view's ~30 repaints a second
deliver them, three ways side by side:

* plain — what the app did before: the raw text appended to a plain-text view (cheap, but nothing rendered);
* full — rendered the simple way: the whole reasoning's HTML set again at each update (what the answer does);
* incremental — what the app does now (chat/rich_stream.py): finished blocks rendered once, the open tail
  replaced.

Each update is timed from the text arriving to the view repainted (layout included). Modes alternate their
order between rounds, each starts with the maths image caches empty; medians over rounds are printed, with the
cost at the end of the reasoning (the last tenth of the updates) against the start (the first tenth): constant
for a linear renderer, growing for a quadratic one.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_render.py [--tokens 4000] [--per-update 2] [--rounds 3]
"""

from __future__ import annotations

import argparse
import codecs
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FIXTURE = ROOT / "tests" / "fixtures" / "r1-reasoning-rectangle.md"


def reasoning_pieces(tokens: int) -> list[str]:
    """The fixture repeated (each copy's numbers shifted, so its formulas are new images) until ``tokens``
    tokens, cut into the text of each token by R1's tokenizer: Qwen2's vocabulary, which R1-Distill-Qwen uses,
    from llama.cpp's own vocabulary files (the source release standin.py fetches), vocabulary only."""
    from llama_cpp import Llama

    from benchmarks.standin import llama_source

    base = FIXTURE.read_text(encoding="utf-8")
    vocab = Llama(str(llama_source() / "models" / "ggml-vocab-qwen2.gguf"), vocab_only=True, verbose=False)
    copies, ids = [], []
    k = 0
    while len(ids) < tokens:
        copies.append(re.sub(r"\d+", lambda m, k=k: str(int(m.group(0)) + k), base))
        ids = vocab.tokenize("\n\n".join(copies).encode(), add_bos=False, special=False)
        k += 1
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    pieces = [decoder.decode(vocab.detokenize([t])) for t in ids[:tokens]]
    return [p for p in pieces if p]


def run_mode(mode: str, pieces: list[str], per_update: int) -> list[float]:
    """Seconds per update of one mode, in a fresh shown window with empty maths caches."""
    from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

    from assistant.ui.message.thinking import ThinkingSection
    from assistant.ui.render import maths
    from assistant.ui.render.markdown_html import Renderer

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    with maths._lock:
        maths._cache.clear()
        maths._parsed.clear()
    renderer = Renderer("light")

    class FullRender(ThinkingSection):
        def append(self, text: str) -> None:
            self._text += text
            self.view.setHtml(renderer.render(self._text))
            self.view.scroll_to_end()

    window = QWidget()
    window.resize(760, 400)
    lay = QVBoxLayout(window)
    section = (FullRender if mode == "full" else ThinkingSection)("light", renderer, window)
    lay.addWidget(section)
    lay.addStretch(1)
    window.show()
    section.set_open(True)
    if mode == "plain":
        section.raw_button.setChecked(True)
    app.processEvents()
    times = []
    for i in range(0, len(pieces), per_update):
        t0 = time.perf_counter()
        section.append("".join(pieces[i:i + per_update]))
        app.processEvents()
        section.view.viewport().repaint()
        times.append(time.perf_counter() - t0)
    if mode == "incremental":
        assert section.stream.full_renders == 0, "a streamed reasoning was rebuilt"
    window.close()
    window.deleteLater()
    app.processEvents()
    return times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tokens", type=int, default=4000)
    ap.add_argument("--per-update", type=int, default=2, help="tokens per update (~30 updates a second)")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    from PySide6.QtWidgets import QApplication

    from assistant.ui.common.i18n import apply_fonts

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_fonts(app)
    pieces = reasoning_pieces(args.tokens)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{len(pieces)} tokens, {len(''.join(pieces)):,} characters, {args.per_update} tokens per update; "
          f"{os.cpu_count()} CPUs, load average {load:.1f}")
    modes = ["plain", "full", "incremental"]
    results: dict[str, list[dict[str, float]]] = {m: [] for m in modes}
    for r in range(args.rounds):
        for mode in (modes if r % 2 == 0 else modes[::-1]):
            t = run_mode(mode, pieces, args.per_update)
            tenth = max(1, len(t) // 10)
            results[mode].append({
                "mean_ms": 1000 * statistics.mean(t), "first_ms": 1000 * statistics.median(t[:tenth]),
                "last_ms": 1000 * statistics.median(t[-tenth:]), "p95_last_ms": 1000 * sorted(t[-tenth:])[
                    int(0.95 * (tenth - 1))], "max_ms": 1000 * max(t), "total_s": sum(t)})
            print(f"  round {r + 1} {mode:12s} total {sum(t):6.2f} s", flush=True)

    def med(mode: str, key: str) -> float:
        return statistics.median(x[key] for x in results[mode])

    print(f"\nper update, median of {args.rounds} rounds (ms):")
    print(f"  {'mode':12s} {'mean':>8s} {'first 10%':>10s} {'last 10%':>9s} {'p95 last':>9s} {'max':>8s} "
          f"{'total s':>8s}  last/first")
    for mode in modes:
        print(f"  {mode:12s} {med(mode, 'mean_ms'):8.2f} {med(mode, 'first_ms'):10.2f} {med(mode, 'last_ms'):9.2f} "
              f"{med(mode, 'p95_last_ms'):9.2f} {med(mode, 'max_ms'):8.1f} {med(mode, 'total_s'):8.2f}  "
              f"{med(mode, 'last_ms') / med(mode, 'first_ms'):.2f}")
    full, inc = med("full", "last_ms"), med("incremental", "last_ms")
    print(f"\nat the end of the reasoning: full re-render {full:.2f} ms vs incremental {inc:.2f} ms per update "
          f"(ratio {full / inc:.1f}); whole stream {med('full', 'total_s'):.1f} s vs "
          f"{med('incremental', 'total_s'):.1f} s (ratio {med('full', 'total_s') / med('incremental', 'total_s'):.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
