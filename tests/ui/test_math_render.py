"""Maths in replies: kept away from Markdown, typeset by matplotlib's mathtext, the source kept for copying."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from assistant.ui.common.theme import palette_for
from assistant.ui.render import maths
from assistant.ui.render.markdown_html import Renderer

ALIGN = "Compute:\n\n\\begin{align*}\nA &= l \\times w \\\\\n  &= 8 \\times 5 \\\\\n  &= 40\n\\end{align*}\n\nDone."
IMG = re.compile(r'<img src="data:image/png;base64,([^"]+)" width="([\d.]+)" height="([\d.]+)" alt="([^"]*)"')


def images(html: str) -> list[tuple[bytes, float, float, str]]:
    return [(base64.b64decode(m.group(1)), float(m.group(2)), float(m.group(3)), m.group(4))
            for m in IMG.finditer(html)]


def test_align_star_is_typeset_not_eaten_by_markdown() -> None:
    html = Renderer("light").render(ALIGN)
    assert "<em>" not in html  # the * of align* started italics before
    (_png, _w, h, alt), = images(html)
    assert alt.startswith("\\begin{align*}") and alt.count("\\\\") == 2  # the source, backslashes and all
    assert h > 2.5 * 16  # three rows, one under the other
    assert '<div align="center">' in html  # display maths on a line of its own


def test_a_formula_mathtext_cannot_set_shows_its_source() -> None:
    r = Renderer("light")
    for src in ("$\\frac{1}{$", "\\(\\undefinedcommand x\\)", "\\begin{align*} a &= \\undefinedcommand \\\\ b &= 1"
                                                               " \\end{align*}"):
        html = r.render(f"Bad: {src} here")
        assert not images(html) and "<em>" not in html
        assert "<code>" in html and src.replace("&", "&amp;").split("\\\\")[0] in html.replace("<br />", "\n")
    assert "\\\\" in r.render("\\begin{align*} a &= \\undefinedcommand \\\\ b \\end{align*}")  # not one \ left
    # Chinese inside \text{} would be boxes in mathtext's fonts: the source instead, no tofu
    before = maths._rasterizer
    maths.set_text_rasterizer(None)  # no UI font to draw it with (the window gives its own: test_thinking_render)
    try:
        assert maths.render("\\text{面积} = 40", color="#000000") is None
        assert not images(r.render("$\\text{面积} = 40$"))
    finally:
        maths.set_text_rasterizer(before)


def test_inline_and_display_maths_become_images_in_the_theme_colour(qapp: Any) -> None:
    from PySide6.QtGui import QColor, QImage

    for theme in ("light", "dark"):
        html = Renderer(theme, dpr=2.0).render("Inline $x^2 + y^2$ then\n\n$$\\frac{a+b}{2} \\geq \\sqrt{ab}$$")
        shots = images(html)
        assert [alt for *_, alt in shots] == ["$x^2 + y^2$", "$$\\frac{a+b}{2} \\geq \\sqrt{ab}$$"]
        assert 'style="vertical-align:middle"' in html.split("$$")[0]  # inline sits in the line
        for png, w, h, _ in shots:
            img = QImage.fromData(png)
            assert (img.width(), img.height()) == (round(w * 2), round(h * 2))  # drawn at the pixel ratio
            ink = [img.pixelColor(x, y) for x in range(img.width()) for y in range(img.height())
                   if img.pixelColor(x, y).alpha() == 255]
            assert ink and {c.name() for c in ink} == {QColor(palette_for(theme).text).name()}
            assert img.pixelColor(0, 0).alpha() == 0  # transparent around the ink: any background shows


def test_markdown_around_maths_still_renders() -> None:
    html = Renderer().render("**Bold** and $a_1$ *here*\n\n- item $b^2$\n- two\n\n1. x\n2. \\(c\\)")
    assert "<strong>Bold</strong>" in html and "<em>here</em>" in html
    assert html.count("<li>") == 4 and len(images(html)) == 3


def test_money_and_code_are_not_maths() -> None:
    html = Renderer().render("It costs $5 and $6. Run `echo $HOME$PATH$` or\n\n```bash\necho $a$\n```")
    assert not images(html) and "$5 and $6" in html and "echo $HOME$PATH$" in html


def test_a_formula_still_being_written_stays_text_until_closed() -> None:
    r = Renderer()
    for partial, shown in (("So\n\\[ A = l \\times", "<code>\\[ A = l \\times</code>"),
                           ("So $$\\frac{1}{2} ", "<code>$$\\frac{1}{2} </code>"),
                           ("\\begin{align*}\na &= b \\\\\n", "<code>\\begin{align*}<br />a &amp;= b \\\\</code>")):
        html = r.render(partial)
        assert not images(html) and "<em>" not in html and shown in html
    assert len(images(r.render("So\n\\[ A = l \\times w \\]"))) == 1
    assert len(images(r.render("\\begin{align*}\na &= b \\\\\nc &= d\n\\end{align*}"))) == 1


def test_grids_boxes_and_rewrites() -> None:
    one = maths.render("x", color="#000000", inline=False)
    cases = maths.render("f(x) = \\begin{cases} x^2 & x \\ge 0 \\\\ -x & x < 0 \\end{cases}", color="#000000",
                               inline=False)
    matrix = maths.render("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", color="#000000")
    boxed = maths.render("x \\implies \\boxed{40}", color="#000000")
    assert one and cases and matrix and boxed
    assert cases.height > 2 * one.height and matrix.height > 2 * one.height
    assert maths.rewrite("a \\le b \\iff c \\tfrac{1}{2}") == "a \\leq  b \\Longleftrightarrow  c \\frac {1}{2}"
    assert maths.rewrite("\\frac{1}{\\frac{2}{3}}", display=True) == "\\dfrac{1}{\\frac{2}{3}}"


def test_images_are_cached() -> None:
    a = maths.render("\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}", color="#123456", px=15, dpr=1.5)
    b = maths.render("\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}", color="#123456", px=15, dpr=1.5)
    assert a is not None and a is b
    c = maths.render("\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}", color="#654321", px=15, dpr=1.5)
    assert c is not None and c is not a and (c.width, c.height) == (a.width, a.height)


def test_copy_gives_the_latex_source(qtbot: Any) -> None:
    from PySide6.QtGui import QGuiApplication

    from assistant.core.chat.history import StoredMessage
    from assistant.ui.chat.view import ChatView

    view = ChatView("light")
    qtbot.addWidget(view)
    answer = "The area is $A = l w$:\n\n$$A = 8 \\times 5 = 40$$\n\n" + ALIGN
    view.set_messages([StoredMessage(1, 1, "user", "Area?"), StoredMessage(2, 1, "assistant", answer)])
    reply = view.messages[-1]
    doc = reply.body.document()
    assert "\ufffc" in doc.toPlainText()  # the formulas are images in the view
    reply.copy()
    assert QGuiApplication.clipboard().text() == answer  # the Copy button: the reply as written
    reply.body.selectAll()
    text = reply.body.createMimeDataFromSelection().text()  # what Ctrl+C on a selection puts on the clipboard
    assert "$A = l w$" in text and "$$A = 8 \\times 5 = 40$$" in text and "\\end{align*}" in text
    assert "\ufffc" not in text and "\\\\" in text


def test_matplotlib_keeps_its_files_in_the_app_cache(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "ASSISTANT_HOME": str(tmp_path / "app"), "HOME": str(home), "XDG_CACHE_HOME": "",
           "XDG_CONFIG_HOME": ""}
    env.pop("MPLCONFIGDIR", None)
    code = "from assistant.ui.render import maths as m; assert m.render('x^2', color='#000000')"
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=120)
    assert list((tmp_path / "app" / "cache" / "matplotlib").glob("fontlist*.json"))  # its font cache
    assert not home.exists()  # nothing written to the home folder


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_warm_up_then_render_is_fast(theme: str) -> None:
    import time

    maths.warm_up()
    r = Renderer(theme)
    text = "\n\n".join(f"Step {i}: $x_{i} = \\frac{{{i}}}{{{i + 1}}}$" for i in range(20))
    t0 = time.perf_counter()
    r.render(text)
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    Renderer(theme).render(text)  # a fresh renderer (no block cache): the images come from the cache
    again = time.perf_counter() - t0
    assert len(images(r.render(text))) == 20
    assert first < 3.0 and again < first / 3
