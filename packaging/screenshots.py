"""Render the main window offscreen to resources/screenshots/*.png (English and Chinese, light and dark), and
the model manager and the conversion wizard (English).

The conversation shown is a maths question answered by an R1-style model: reasoning in the collapsible
"thinking" section, a table and a code block in the answer, the final \\boxed{} answer highlighted. The
formula shots (formula-en-light/dark.png) show the same question answered in LaTeX, typeset.
No model is loaded for those: they show stored history, with the status bar filled in as it would be.
The live shots (live-reply-en-streaming/done.png) are the bundled model answering through llama.cpp.
The LoRA shots (lora-en-reply.png, lora-en-dialog.png) are the bundled model with the tests' trained adapter
(a PEFT folder: ASSISTANT_SCREENSHOT_ADAPTER, else the one pytest's cache keeps); skipped without one.
The reasoning shots (reasoning-en-streaming/done.png) are a scripted R1-style reply (Chinese, maths in the
reasoning) streamed through the real worker and widgets: the thinking section renders it as it arrives.
The Run shots (code-run-en.png, code-run-bundled-en.png) are the article's quicksort task answered by a scripted
R1-style reply and by the bundled model (real llama.cpp), each block run in the real sandbox with Run.
The branches shot (branches-en.png) is the bundled model's conversation after an edit and two regenerations,
walked back to another version with the ‹ › of the message.
The documents shots (docs-panel-en.png, docs-answer-en.png) are the Documents panel with real files indexed by the
bundled embedding model and the bundled model's answer from them, a source opened: see screenshots_docs.py.
The 简体中文 shots (vote-zh_CN.png, model-info-zh_CN.png) are a reply voted on by three samples (scripted) and the
model manager's info box: see screenshots_zh.py.

    QT_QPA_PLATFORM=offscreen python packaging/screenshots.py [OUT_DIR] \
        [--only=main,dialogs,live,lora,reasoning,run,branches,docs,vote,model-info]
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import struct
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.ui.code_samples import QUICKSORT  # noqa: E402

CONTENT = {
    "en": {
        "older": ["Explain Python decorators", "Translate a Tang poem", "Plan a three-day trip to Hangzhou"],
        "title": "Area of a rectangle",
        "question": "A rectangle is 8 cm long and 5 cm wide. What is its area?",
        "reasoning": "The area of a rectangle is length times width.\nThe length is 8 cm and the width is 5 cm.\n"
                     "8 × 5 = 40, so the area is 40 square centimetres. Let me check: 5 + 5 + … eight times "
                     "is 40. Yes.",
        "answer": "The area of a rectangle is **length × width**.\n\n| length | width | area |\n|---|---|---|\n"
                  "| 8 cm | 5 cm | 40 cm² |\n\n```python\nlength, width = 8, 5\nprint(length * width)  # 40\n```\n\n"
                  "So the area is \\boxed{40} square centimetres.",
    },
    "zh_CN": {
        "older": ["解释 Python 装饰器", "翻译一首唐诗", "杭州三日游计划"],
        "title": "长方形的面积",
        "question": "一个长方形的长是8厘米，宽是5厘米，它的面积是多少？",
        "reasoning": "长方形的面积等于长乘以宽。\n长是8厘米，宽是5厘米。\n8 × 5 = 40，所以面积是40平方厘米。"
                     "再检查一遍：8个5相加是40，没错。",
        "answer": "长方形的面积公式是 **长 × 宽**。\n\n| 长 | 宽 | 面积 |\n|---|---|---|\n"
                  "| 8 厘米 | 5 厘米 | 40 平方厘米 |\n\n"
                  "```python\nlength, width = 8, 5\nprint(length * width)  # 40\n```\n\n"
                  "所以面积是 \\boxed{40} 平方厘米。",
    },
}


# The formula shot: the same question answered with LaTeX, as R1 writes it (inline, display, align*).
FORMULA = {**CONTENT["en"], "answer": (
    "For a rectangle of length $l$ and width $w$ the area is \\(A = l \\times w\\). Here $l = 8\\,\\mathrm{cm}$ "
    "and $w = 5\\,\\mathrm{cm}$:\n\n"
    "\\begin{align*}\nA &= l \\times w \\\\\n  &= 8 \\times 5 \\\\\n  &= 40\n\\end{align*}\n\n"
    "Check with the perimeter: $$P = 2(l + w) = 2 \\cdot 13 = 26 \\quad\\text{and}\\quad "
    "\\frac{A}{P} = \\frac{40}{26} \\approx 1.54$$\n\n"
    "So the area is \\(\\boxed{40}\\) square centimetres.")}


def build_history(db: Path, lang: str, content: dict[str, Any] | None = None) -> tuple[object, int]:
    from assistant.core.chat.history import History

    c = content or CONTENT[lang]
    h = History(db)
    for title in c["older"]:
        conv = h.create_conversation(title)
        h.add_message(conv.id, "user", title)
        h.add_message(conv.id, "assistant", "…")
        time.sleep(0.002)
    conv = h.create_conversation(c["title"], "deepseek-r1-distill-qwen-1.5b")
    h.add_message(conv.id, "user", c["question"])
    h.add_message(conv.id, "assistant", c["answer"], reasoning=c["reasoning"], model="DeepSeek-R1-Distill-Qwen-1.5B",
                  backend="llama.cpp", boxed="40", completion_tokens=182, prompt_tokens=41,
                  generation_seconds=7.9, thinking_seconds=4.2, finish_reason="stop")
    return h, conv.id


R1_CONFIG = {
    "architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_size": 1536, "intermediate_size": 8960,
    "num_hidden_layers": 28, "num_attention_heads": 12, "num_key_value_heads": 2, "vocab_size": 151936,
    "max_position_embeddings": 131072, "rope_theta": 10000, "rms_norm_eps": 1e-6, "hidden_act": "silu",
    "tie_word_embeddings": False, "torch_dtype": "bfloat16", "bos_token_id": 151646, "eos_token_id": 151643,
}

def demo_folder(root: Path) -> Path:
    """A folder shaped like DeepSeek-R1-Distill-Qwen-1.5B for the wizard to read: the real config, the real
    tensor names and shapes in a sparse safetensors file (no weights on disk), a small byte-level tokenizer."""
    src = root / "DeepSeek-R1-Distill-Qwen-1.5B"
    src.mkdir(parents=True, exist_ok=True)
    (src / "config.json").write_text(json.dumps(R1_CONFIG))
    c = R1_CONFIG
    h, ff, v, kv = c["hidden_size"], c["intermediate_size"], c["vocab_size"], 2 * 128
    shapes = {"model.embed_tokens.weight": [v, h], "lm_head.weight": [v, h], "model.norm.weight": [h]}
    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}."
        shapes.update({p + "self_attn.q_proj.weight": [h, h], p + "self_attn.q_proj.bias": [h],
                       p + "self_attn.k_proj.weight": [kv, h], p + "self_attn.k_proj.bias": [kv],
                       p + "self_attn.v_proj.weight": [kv, h], p + "self_attn.v_proj.bias": [kv],
                       p + "self_attn.o_proj.weight": [h, h], p + "mlp.gate_proj.weight": [ff, h],
                       p + "mlp.up_proj.weight": [ff, h], p + "mlp.down_proj.weight": [h, ff],
                       p + "input_layernorm.weight": [h], p + "post_attention_layernorm.weight": [h]})
    header, offset = {"__metadata__": {"format": "pt"}}, 0
    for name, shape in shapes.items():
        n = 2
        for d in shape:
            n *= d
        header[name] = {"dtype": "BF16", "shape": shape, "data_offsets": [offset, offset + n]}
        offset += n
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    with open(src / "model.safetensors", "wb") as f:
        f.write(struct.pack("<Q", len(raw)) + raw)
        f.truncate(8 + len(raw) + offset)  # sparse: the weights' bytes take no disk space
    from assistant.core.convert.tokenizer import QWEN2_REGEX

    # GPT-2's byte-to-character table: the 256 byte tokens every byte-level BPE vocabulary starts with.
    printable = [*range(33, 127), *range(161, 173), *range(174, 256)]
    extra = iter(range(256, 512))
    vocab = {(chr(i) if i in printable else chr(next(extra))): n for n, i in enumerate(range(256))}
    merges = []
    for x, y in (("Ġ", "t"), ("h", "e"), ("i", "n"), ("Ġt", "he")):
        vocab[x + y] = len(vocab)
        merges.append(f"{x} {y}")
    specials = ["<｜end▁of▁sentence｜>", "<｜begin▁of▁sentence｜>", "<｜User｜>", "<｜Assistant｜>"]
    added = [{"id": 151643 + i, "content": t, "special": True, "single_word": False, "lstrip": False,
              "rstrip": False, "normalized": False} for i, t in enumerate(specials)]
    split = {"type": "Split", "pattern": {"Regex": QWEN2_REGEX}, "behavior": "Isolated", "invert": False}
    byte_level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False}
    tok = {"version": "1.0", "added_tokens": added, "normalizer": None,
           "pre_tokenizer": {"type": "Sequence", "pretokenizers": [split, byte_level]},
           "post_processor": None, "decoder": {"type": "ByteLevel"},
           "model": {"type": "BPE", "vocab": vocab, "merges": merges}}
    (src / "tokenizer.json").write_text(json.dumps(tok, ensure_ascii=False), encoding="utf-8")
    (src / "tokenizer_config.json").write_text(json.dumps({"bos_token": specials[1], "eos_token": specials[0]}))
    return src


def save_small(widget: object, path: Path) -> Path:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    img = widget.grab().toImage()  # type: ignore[attr-defined]
    # 8-bit palette keeps each file small; text stays crisp.
    img = img.convertToFormat(QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.AvoidDither)
    img.save(str(path), "PNG", 9)
    return path


def settle(ms: int = 200) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def render_dialogs(out_dir: Path) -> list[Path]:
    """The model manager (catalog with fit labels, the bundled model, details of the 1.5B) and the conversion
    wizard reading a DeepSeek-R1-Distill-Qwen-1.5B folder, in English."""
    from PySide6.QtWidgets import QApplication

    from assistant.core.settings import Settings
    from assistant.ui.common.theme import apply_theme
    from assistant.ui.models.convert_wizard import ConvertWizard
    from assistant.ui.models.manager import ModelManagerDialog

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, "light")
    written = []
    # A fixed folder, so the paths the wizard shows read well and do not change between runs.
    base = Path(tempfile.gettempdir()) / "assistant-screenshots"
    shutil.rmtree(base, ignore_errors=True)
    try:
        os.environ["ASSISTANT_HOME"] = str(base / "home")
        manager = ModelManagerDialog(Settings())
        manager.resize(1000, 720)
        manager.show()
        manager.catalog_table.select("deepseek-r1-distill-qwen-1.5b", "Q4_K_M")
        manager.show_info()
        manager.catalog_table.setFocus()
        settle()
        written.append(save_small(manager, out_dir / "model-manager-en.png"))
        manager.close()

        wizard = ConvertWizard(None, str(demo_folder(base / "Downloads")))
        wizard.show()
        deadline = time.monotonic() + 30
        while wizard.plan is None and time.monotonic() < deadline:
            settle(50)
        wizard.adjustSize()
        wizard.convert_button.setFocus()
        settle()
        written.append(save_small(wizard, out_dir / "convert-wizard-en.png"))
        wizard.shutdown()
        wizard.close()
        app.processEvents()
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return written


def render(out_dir: Path) -> list[Path]:
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication

    from assistant.core.chat.turn import ContextReport
    from assistant.core.settings import Settings
    from assistant.ui.common.i18n import Translations, apply_fonts
    from assistant.ui.common.theme import apply_theme
    from assistant.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    cjk = apply_fonts(app)
    if cjk is None:
        print("warning: no CJK font installed; Chinese will show as boxes (apt install fonts-noto-cjk)")
    translations = Translations()
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    shots = [(lang, theme, None, f"main-{lang}-{theme}.png") for lang in ("en", "zh_CN") for theme in ("light", "dark")]
    shots += [("en", theme, FORMULA, f"formula-en-{theme}.png") for theme in ("light", "dark")]
    for lang, theme, content, name in shots:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["ASSISTANT_HOME"] = tmp
            history, cid = build_history(Path(tmp) / "history.sqlite3", lang, content)
            settings = Settings(language=lang, theme=theme, last_conversation_id=cid)
            apply_theme(app, theme)
            translations.apply(lang)
            w = MainWindow(settings, history, translations=translations)  # type: ignore[arg-type]
            w.resize(1100, 720)
            w.show()
            w.status.set_model("DeepSeek-R1-Distill-Qwen-1.5B", "llama.cpp")
            w.status.set_speed(23.0)
            w.status.set_context(ContextReport(247, 8192, 2048))
            reply = w.chat.messages[-1]
            reply.thinking.set_open(content is None)  # the formula shot shows the answer, reasoning folded
            w.chat.input.setPlainText("")
            loop = QEventLoop()
            QTimer.singleShot(200, loop.quit)
            loop.exec()
            w.chat.scroll_to_bottom()
            app.processEvents()
            path = out_dir / name
            img = w.grab().toImage()
            # 8-bit palette keeps each file small; text stays crisp.
            img = img.convertToFormat(QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.AvoidDither)
            img.save(str(path), "PNG", 9)
            written.append(path)
            w.shutdown()
            w.deleteLater()
            history.close()  # type: ignore[attr-defined]
            app.processEvents()
    translations.apply("en")  # the translators are global to the app: leave it in English
    return written


@contextlib.contextmanager
def live_window(settings: Any, height: int, backend: object = None) -> Iterator[tuple[Any, list[object]]]:
    """A window on a fresh app home with the bundled model loaded (real llama.cpp; ``backend``: that one instead),
    and the list its finished replies arrive in; closed and its home removed afterwards. The window speaks
    ``settings.language`` as the app does (its translators installed, English's too: it holds the plurals)."""
    from PySide6.QtWidgets import QApplication

    from assistant.core.chat.history import History
    from assistant.ui.common.i18n import Translations
    from assistant.ui.common.theme import apply_theme
    from assistant.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    translations = Translations()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ASSISTANT_HOME"] = tmp
        apply_theme(app, settings.theme)
        translations.apply(settings.language)
        history = History(Path(tmp) / "history.sqlite3")
        w = MainWindow(settings, history, translations=translations)
        w.resize(1100, height)
        w.show()
        done: list[object] = []
        w.reply_done.connect(done.append)
        if backend is not None:
            w.session.opener = lambda *_args: backend
        w.load_model()
        deadline = time.monotonic() + 600  # minutes on a busy machine (a CI run beside it)
        while w.session.worker is None or w.session.worker.backend is None or w.session.model_info is None:
            settle(100)
            if time.monotonic() > deadline:
                raise SystemExit("the bundled model did not load")
        try:
            yield w, done
        finally:
            w.shutdown()
            w.deleteLater()
            history.close()
            app.processEvents()
            translations.apply("en")  # the translators are global to the app: the next shot starts in English


def render_live(out_dir: Path) -> list[Path]:
    """A live reply of the bundled model (real llama.cpp): one shot while it streams, one when it is done.
    Forced to start in <think> with a 48-token thinking budget, so the meter, the closed reasoning and the
    answer all show."""
    from assistant.core.settings import Sampling, Settings

    written: list[Path] = []
    settings = Settings(language="en", theme="light", force_thinking=True, thinking_budget=48,
                        sampling=Sampling(temperature=0.6, max_tokens=320, seed=4))
    with live_window(settings, 720) as (w, done):
        deadline = time.monotonic() + 120
        w.session.send_message("Explain in a few sentences why the sky is blue.")
        while not done and time.monotonic() < deadline:
            settle(50)
            reply = w.chat.active
            if reply is not None and len(reply.answer) > 60 and not written:
                w.chat.scroll_to_bottom()
                written.append(save_small(w, out_dir / "live-reply-en-streaming.png"))
        settle(300)
        w.chat.scroll_to_bottom()
        settle(100)
        written.append(save_small(w, out_dir / "live-reply-en-done.png"))
    return written


def render_lora(out_dir: Path) -> list[Path]:
    """A conversation with a LoRA adapter (the trained "Ahoy matey!" one) at scale 1: its reply, the header
    naming the adapter, the Adapters button; and the dialog that chooses adapters and scales."""
    from assistant.core.models.catalog import find_bundled_model
    from assistant.core.models.lora import import_adapter
    from assistant.core.settings import Sampling, Settings
    from assistant.ui.chat.adapters import AdaptersDialog

    src = Path(os.environ.get("ASSISTANT_SCREENSHOT_ADAPTER") or ROOT / ".pytest_cache/d/lora-ahoy/adapter")
    if not (src / "adapter_model.safetensors").is_file():
        print(f"no trained adapter at {src}: the LoRA shots are skipped (run tests/lora first)", file=sys.stderr)
        return []
    written: list[Path] = []
    settings = Settings(language="en", theme="light", sampling=Sampling(temperature=0.0, max_tokens=40))
    with live_window(settings, 560) as (w, done):
        import_adapter(src, base=find_bundled_model().name, name="pirate-voice")
        deadline = time.monotonic() + 120
        w.session.adapter_choice.set([("pirate-voice", 1.0)])
        w.session.send_message("What is the capital of Italy?")
        while not done and time.monotonic() < deadline:
            settle(50)
        settle(300)
        written.append(save_small(w, out_dir / "lora-en-reply.png"))
        d = AdaptersDialog(w.session.model_info.path, w.session.model_info.backend, w.session.adapter_choice.chosen, w)
        d.resize(520, 260)
        d.show()
        settle(200)
        written.append(save_small(d, out_dir / "lora-en-dialog.png"))
        d.close()
    return written


R1_REASONING = ROOT / "tests" / "fixtures" / "r1-reasoning-rectangle.md"
R1_QUESTION = "一个长方形的周长是30厘米，长比宽多3厘米，求这个长方形的面积。请逐步推理，并将最终答案放在\\boxed{}内。"
R1_ANSWER = ("设宽为 $x$ 厘米，则长为 $x + 3$ 厘米。由周长得\n\n\\[ 2(x + x + 3) = 30 \\]\n\n"
             "解得 $x = 6$，长为 $9$ 厘米，所以面积 $S = 9 \\times 6 = 54$ 平方厘米：$\\boxed{54}$。")


def render_reasoning(out_dir: Path) -> list[Path]:
    """An R1-style reply streaming into the real window: its reasoning (Chinese, inline and display maths, an
    align* block) rendered in the thinking section as it arrives. The reply is scripted (the fixture of the
    renderer's tests, in pieces of a few characters, as a model streams them) and goes through the real worker,
    events and widgets; one shot while it streams, one when the answer is done."""
    from assistant.core.backends.fake import FakeBackend
    from assistant.core.settings import Settings

    reasoning = R1_REASONING.read_text(encoding="utf-8")
    pieces = [reasoning[i:i + 3] for i in range(0, len(reasoning), 3)] + ["</think>"]
    pieces += [R1_ANSWER[i:i + 3] for i in range(0, len(R1_ANSWER), 3)]
    # named for what it is: the window shows the model's name and its backend ("fake")
    backend = FakeBackend(pieces, delay=0.012, family="deepseek-r1", model_name="R1-style reply (scripted)")
    written: list[Path] = []
    settings = Settings(language="en", theme="light", loop_action="off", demo_note_dismissed=True)
    with live_window(settings, 760, backend) as (w, done):
        w.session.send_message(R1_QUESTION)
        deadline = time.monotonic() + 120
        while not done and time.monotonic() < deadline:
            settle(40)
            reply = w.chat.active
            if reply is not None and not written and reply.thinking.text.count("\\end{align*}") == 1 \
                    and "所以宽是" in reply.thinking.text:
                settle(60)  # the layout follows the view's new height at the next pass
                reply.thinking.view.scroll_to_end()
                w.chat.scroll_to_bottom()
                written.append(save_small(w, out_dir / "reasoning-en-streaming.png"))
        settle(300)
        reply = w.chat.messages[-1]
        reply.thinking.set_open(True)
        settle(100)
        w.chat.scroll_to_bottom()
        settle(100)
        written.append(save_small(w, out_dir / "reasoning-en-done.png"))
    return written


QUICKSORT_PROMPT = "As a senior Python engineer, implement quicksort with comments."
QUICKSORT_ANSWER = """Here is a clear, recursive quicksort: it returns a new list and keeps equal items together.

```python
""" + QUICKSORT + """print(quicksort(["pear", "apple", "fig"]))
```

It takes $O(n \\log n)$ time on average and $O(n^2)$ in the worst case."""
# The bundled model is asked the same task in words that make it write a fenced block; its first answer (seeds 0,
# 1, ...) whose block is closed is run and shown as it is (a 135M model: its quicksort does not sort).
BUNDLED_PROMPT = ("As a senior Python engineer, implement quicksort in Python with comments, then print the result "
                  "of sorting [3, 6, 8, 10, 1, 2, 1].")


def render_code_run(out_dir: Path) -> list[Path]:
    """Run from an answer, live: the window's Run button on the article's quicksort task, the code run in the real
    sandbox and its output under the block. Two shots: code-run-en.png, an R1-style answer (scripted, streamed
    through the real worker and widgets, as the reasoning shots); code-run-bundled-en.png, the bundled model's own
    answer (real llama.cpp), run as it is."""
    from PySide6.QtCore import QUrl

    from assistant.core.backends.fake import FakeBackend
    from assistant.core.settings import Sampling, Settings

    def run_first_block(w: Any, done: list[object], name: str) -> list[Path]:
        deadline = time.monotonic() + 300
        while not done and time.monotonic() < deadline:
            settle(100)
        reply = w.chat.messages[-1]
        blocks = [b for b in w.chat.renderer.code_blocks(reply.answer) if b.language.lower() in ("python", "py", "")]
        if not blocks:
            print(f"{name}: the reply has no whole Python block: {reply.answer[:120]!r}", file=sys.stderr)
            return []
        ran: list[object] = []
        w.session.code_runs.finished.connect(lambda *args: ran.append(args))
        reply.code.link_clicked(QUrl(f"code:run:{blocks[0].key}"))
        while not ran and time.monotonic() < deadline:
            settle(50)
        settle(200)
        w.chat.scroll_to_bottom()
        settle(100)
        return [save_small(w, out_dir / name)]

    thinking = "The user wants quicksort with comments. Middle pivot, three-way partition, recursion.\n\n"
    pieces = [thinking[i:i + 4] for i in range(0, len(thinking), 4)] + ["</think>"]
    pieces += [QUICKSORT_ANSWER[i:i + 4] for i in range(0, len(QUICKSORT_ANSWER), 4)]
    backend = FakeBackend(pieces, delay=0.002, family="deepseek-r1", model_name="R1-style reply (scripted)")
    settings = Settings(language="en", theme="light", demo_note_dismissed=True)
    with live_window(settings, 860, backend) as (w, done):
        w.session.send_message(QUICKSORT_PROMPT)
        written = run_first_block(w, done, "code-run-en.png")
    settings = Settings(language="en", theme="light", n_threads=1, sampling=Sampling(temperature=0.3, max_tokens=500))
    with live_window(settings, 860) as (w, done):
        for seed in range(6):
            w.settings.sampling.seed = seed
            w.new_conversation()
            done.clear()
            w.session.send_message(BUNDLED_PROMPT)
            shot = run_first_block(w, done, "code-run-bundled-en.png")
            if shot:
                print(f"code-run-bundled-en.png: the bundled model's answer with seed {seed}")
                written += shot
                break
    return written
def render_branches(out_dir: Path) -> list[Path]:
    """Versions of messages (issue 25): the bundled model (real llama.cpp) asked a question, the question edited,
    its reply regenerated twice, then ‹ clicked: the question shows 2/2, the reply 2/3."""
    from assistant.core.settings import Sampling, Settings

    settings = Settings(language="en", theme="light", maths_mode="off", demo_note_dismissed=True,
                        sampling=Sampling(temperature=0.8, max_tokens=80, seed=1))
    with live_window(settings, 560) as (w, done):

        def wait(n: int) -> None:
            deadline = time.monotonic() + 600
            while (len(done) < n or w.chat.busy) and time.monotonic() < deadline:
                settle(50)
            if len(done) < n:
                raise SystemExit("the bundled model did not reply in time")

        w.session.send_message("In one short sentence: which colour do you like, and why?")
        wait(1)
        w.session.edit_and_resend(w.chat.messages[0].message_id,
                                  "In one short sentence: which fruit do you like, and why?")
        wait(2)
        for k in (2, 3):
            w.settings.sampling.seed = k  # another sample for each version
            w.session.regenerate()
            wait(1 + k)
        w.chat.messages[-1].header.navigator.step(-1)
        settle(300)
        if [m.header.navigator.position.text() for m in w.chat.messages] != ["2/2", "2/3"]:
            raise SystemExit("the versions are not as this shot shows them")
        w.chat.scroll_to_bottom()
        settle(100)
        return [save_small(w, out_dir / "branches-en.png")]


def render_docs(out_dir: Path) -> list[Path]:
    """The Documents panel and an answer with its sources opened, in English and Chinese (issue 24):
    packaging/screenshots_docs.py."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from screenshots_docs import render_documents

    return render_documents(out_dir, "en") + render_documents(out_dir, "zh_CN")


def render_zh(name: str) -> Any:
    """A shot of packaging/screenshots_zh.py (issue 28), by its --only= name."""

    def shot(out_dir: Path) -> list[Path]:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import screenshots_zh

        return screenshots_zh.render_vote(out_dir) if name == "vote" else screenshots_zh.render_model_info(out_dir)

    return shot


SHOTS = {"main": render, "dialogs": render_dialogs, "live": render_live, "lora": render_lora,
         "reasoning": render_reasoning, "run": render_code_run, "branches": render_branches, "docs": render_docs,
         "vote": render_zh("vote"), "model-info": render_zh("model-info")}


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--only=")]
    only = next((a.split("=", 1)[1].split(",") for a in sys.argv[1:] if a.startswith("--only=")), list(SHOTS))
    out = Path(args[0]) if args else ROOT / "resources" / "screenshots"
    from PySide6.QtWidgets import QApplication

    from assistant.ui.common.i18n import apply_fonts

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_fonts(app)
    paths: list[Path] = []
    for name in only:
        paths += SHOTS[name](out)
    for p in paths:
        print(f"{p}  {p.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
