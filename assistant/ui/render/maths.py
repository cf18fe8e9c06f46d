"""LaTeX formulas → PNG images for the chat view, with matplotlib's mathtext.

Why mathtext: it is well kept (part of matplotlib), pure Python on top of the Agg rasteriser, ships its own
DejaVu and STIX fonts (no TeX installation, no system fonts needed, same look on every machine) and never
touches the network. Only its parser and Agg raster output are used: no pyplot, no GUI backend.

mathtext knows one line of TeX maths and a subset of commands. What R1 writes beyond that is handled here:
common commands it lacks are rewritten to ones it has (``\\le`` → ``\\leq``, ``\\tfrac`` → ``\\frac``,
``\\textbf`` → ``\\mathbf``...), ``\\begin{align*}``/``aligned``/``gather``/``cases``/matrices are laid out
here as grids of cells (rows split at ``\\\\``, columns at ``&``) that mathtext renders one by one, and
``\\boxed{}`` is drawn here as a highlighted frame. A formula that still fails (or needs a glyph the fonts
lack, e.g. Chinese inside ``\\text{}``) gives ``None``: the caller shows its source instead.

Images are cached (LRU) by formula, colours, size and device pixel ratio: a streaming reply re-renders its
last block many times a second, and a formula is parsed once. Matplotlib is imported lazily (its first
import builds a font cache, which :func:`warm_up` does off the UI thread) and its configuration and cache
go to the app's cache folder (``MPLCONFIGDIR``), never to the home folder or the install location.
"""

from __future__ import annotations

import base64
import functools
import io
import logging
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.core.paths import app_paths

from .boxes import Box, TextMetrics, blank, framed, hcat, on_baseline, stretch, trimmed

CACHE_SIZE = 1024  # images, and mathtext results apart
_lock = threading.RLock()  # matplotlib's parser and font objects are not thread-safe
_parser: Any = None
_font: Any = None


def _mathtext() -> tuple[Any, Any]:
    global _parser, _font
    with _lock:
        if _parser is None:
            cfg = app_paths().cache_dir / "matplotlib"
            try:
                cfg.mkdir(parents=True, exist_ok=True)
                # PyInstaller's runtime hook points MPLCONFIGDIR at a temporary folder (the font cache would
                # be rebuilt at every start): ours wins.
                os.environ["MPLCONFIGDIR"] = str(cfg)
            except OSError:
                pass  # read-only cache: matplotlib falls back to a temporary folder itself
            from matplotlib.font_manager import FontProperties
            from matplotlib.mathtext import MathTextParser

            _parser = MathTextParser("agg")
            _font = FontProperties  # sized per call
        return _parser, _font


# ---- rewriting TeX that mathtext lacks ----------------------------------------------------------------
_WORD = r"(?![A-Za-z])"
_SIMPLE = {
    "le": r"\leq", "ge": r"\geq", "lvert": "|", "rvert": "|", "lVert": r"\Vert", "rVert": r"\Vert",
    "implies": r"\Longrightarrow", "impliedby": r"\Longleftarrow", "iff": r"\Longleftrightarrow",
    "tfrac": r"\frac", "cfrac": r"\dfrac", "dbinom": r"\binom", "tbinom": r"\binom",
    "textit": r"\mathit", "emph": r"\mathit", "textrm": r"\mathrm", "textbf": r"\mathbf", "textsf": r"\mathsf",
    "texttt": r"\mathtt", "bm": r"\mathbf", "boldsymbol": r"\mathbf", "pmb": r"\mathbf",
    "dotsc": r"\ldots", "dotsb": r"\cdots", "dotsm": r"\cdots", "dotso": r"\ldots", "lnot": r"\neg",
    "land": r"\wedge", "lor": r"\vee", "gets": r"\leftarrow", "bmod": r"\ \mathrm{mod}\ ", "mod": r"\ \mathrm{mod}\ ",
    "square": "□", "Box": "□", "qquad": r"\quad\quad",
}
_DROP = ("displaystyle", "textstyle", "scriptstyle", "limits", "nolimits", "nonumber", "notag", "qedhere",
         "large", "Large", "LARGE", "small", "tiny", "normalsize", "hline", "middle",
         "bigl", "bigr", "bigm", "Bigl", "Bigr", "Bigm", "biggl", "biggr", "Biggl", "Biggr", "big", "Big", "bigg",
         "Bigg")
_REWRITES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\\(?:label|tag\*?|vphantom|hphantom|color)\s*\{[^{}]*\}"), ""),
    (re.compile(r"\\textcolor\s*\{[^{}]*\}"), ""),
    (re.compile(r"\\hspace\*?\s*\{[^{}]*\}"), r"\\quad "),
    (re.compile(r"\\pmod\s*\{([^{}]*)\}"), r"\\ (\\mathrm{mod}\\ \1)"),
    (re.compile(r"\\(?:mathrel|mathbin|mathop|mathord)\s*(?=\{)"), ""),
    (re.compile(r"\\operatorname\*"), r"\\operatorname"),
    (re.compile(r"\\(?:" + "|".join(_DROP) + ")" + _WORD + r"\s*"), ""),
]
_SIMPLE_RE = re.compile(r"\\(" + "|".join(_SIMPLE) + ")" + _WORD)


def rewrite(tex: str, display: bool = False) -> str:
    """TeX maths → the dialect mathtext parses (unknown commands are left for the parser to refuse).

    In display maths, fractions outside braces are set large, as TeX's display style does (mathtext sets
    every ``\\frac`` at text size)."""
    for pat, rep in _REWRITES:
        tex = pat.sub(rep, tex)
    tex = _SIMPLE_RE.sub(lambda m: _SIMPLE[m.group(1)] + " ", tex)
    if display:
        out, depth, i = [], 0, 0
        while i < len(tex):
            if depth == 0 and tex.startswith("\\frac", i) and not tex[i + 5:i + 6].isalpha():
                out.append("\\dfrac")
                i += 5
                continue
            ch = tex[i]
            if ch == "\\":
                out.append(tex[i:i + 2])
                i += 2
                continue
            depth += (ch == "{") - (ch == "}")
            out.append(ch)
            i += 1
        tex = "".join(out)
    return tex


class _Missing(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen = False

    def emit(self, record: logging.LogRecord) -> None:
        self.seen = self.seen or "glyph" in record.getMessage()


_parsed: OrderedDict[tuple[str, float], Box | None] = OrderedDict()  # None: mathtext refused it


def _parse(tex: str, px: float) -> Box:
    """mathtext's rendering of one line of maths (memoised: matplotlib's own cache would hide a missing glyph
    the second time)."""
    key = (tex, px)
    with _lock:
        if key in _parsed:
            _parsed.move_to_end(key)
            hit = _parsed[key]
            if hit is None:
                raise ValueError("mathtext cannot render this")
            return hit
        try:
            box = _mathtext_box(tex, px)
        except Exception:
            _parsed[key] = None
            raise
        finally:
            if len(_parsed) > CACHE_SIZE:
                _parsed.popitem(last=False)
        _parsed[key] = box
        return box


def _mathtext_box(tex: str, px: float) -> Box:
    parser, font = _mathtext()
    missing = _Missing()
    log = logging.getLogger("matplotlib")
    with _lock:
        # A glyph missing from the fonts (Chinese in \text{}) is only logged, and a box drawn in its place:
        # a failure here, so that the source is shown instead.
        log.addHandler(missing)
        try:
            raster, baseline = _raster(parser, "$" + " ".join(tex.split()) + "$", font(size=px))
        finally:
            log.removeHandler(missing)
    if missing.seen:
        raise ValueError("a glyph is missing from the maths fonts")
    ink = raster.astype(np.float32) / 255.0
    img = np.zeros((*ink.shape, 2), np.float32)
    img[..., 0] = ink
    return Box(img, round(ink.shape[0] - baseline))


def _raster(parser: Any, s: str, prop: Any) -> tuple[np.ndarray, float]:
    """mathtext's image of ``s`` and the row of its baseline, counted from the image's top.

    ``RasterParse.depth`` is not the baseline's distance from the image's bottom: mathtext cuts the image a pixel
    outside the ink or the box's top (whichever is higher) and makes it ceil(h + d) rows tall, so that figure put
    the baseline 1-2 rows too low (an inline x then floated above the text's baseline). The baseline is where
    mathtext's ``ship`` puts it: ``box.height`` below the box's top, which is ``-ymin`` rows below the image's top.
    That needs mathtext's layout (``matplotlib._mathtext``); should a matplotlib release change it, the public
    result with the same correction for the usual case (ink down to the box's bottom) is used instead."""
    try:
        from matplotlib import _mathtext
        from matplotlib.backends.backend_agg import get_hinting_flag

        fontset = parser._font_type_mapping[prop.get_math_fontfamily()](prop, get_hinting_flag())
        if parser._parser is None:
            type(parser)._parser = _mathtext.Parser()
        box = parser._parser.parse(s, fontset, prop.get_size_in_points(), 72)
        out = _mathtext.ship(box)
        ymin = min([*[oy - info.metrics.ymax for _ox, oy, info in out.glyphs], *[r[1] for r in out.rects], 0]) - 1
        image = np.asarray(out.to_raster(antialiased=True).image)
        return image, float(box.height - ymin)
    except (AttributeError, ImportError, KeyError, TypeError):
        r = parser.parse(s, dpi=72, prop=prop)
        return np.asarray(r.image), float(r.height - r.depth - 1)


_ENVS = ("align", "aligned", "alignat", "alignedat", "flalign", "split", "eqnarray", "gather", "gathered",
         "equation", "multline", "cases", "dcases", "rcases", "matrix", "pmatrix", "bmatrix", "Bmatrix",
         "vmatrix", "Vmatrix", "smallmatrix", "array", "subarray")
_CONSTRUCT = re.compile(r"\\begin\s*\{(" + "|".join(_ENVS) + r")(\*?)\}|\\boxed\s*\{")
_DELIMS = {"cases": ("\\{", ""), "dcases": ("\\{", ""), "rcases": ("", "\\}"), "pmatrix": ("(", ")"),
           "bmatrix": ("[", "]"), "Bmatrix": ("\\{", "\\}"), "vmatrix": ("|", "|"), "Vmatrix": ("\\Vert", "\\Vert")}


def _group_end(tex: str, i: int) -> int:
    """Index just past the ``}`` closing the group whose content starts at ``i``."""
    depth = 1
    while i < len(tex):
        ch = tex[i]
        if ch == "\\":
            i += 2
            continue
        depth += (ch == "{") - (ch == "}")
        i += 1
        if not depth:
            return i
    raise ValueError("unbalanced braces")


def _env_end(tex: str, name: str, i: int) -> tuple[int, int]:
    """(start, end) of the ``\\end{name}`` matching a ``\\begin{name}`` whose body starts at ``i``."""
    pat = re.compile(r"\\(begin|end)\s*\{" + re.escape(name) + r"\}")
    depth = 1
    for m in pat.finditer(tex, i):
        depth += 1 if m.group(1) == "begin" else -1
        if not depth:
            return m.start(), m.end()
    raise ValueError(f"unclosed {name}")


def _split_top(tex: str, sep: str) -> list[str]:
    """Split at ``sep`` (``\\\\`` or ``&``) outside braces and nested environments."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(tex):
        if tex.startswith("\\begin", i):
            depth += 1
        elif tex.startswith("\\end", i):
            depth -= 1
        if tex.startswith(sep, i) and depth == 0:
            parts.append(tex[start:i])
            i += len(sep)
            start = i
            continue
        ch = tex[i]
        if ch == "\\":
            i += 2
            continue
        depth += (ch == "{") - (ch == "}")
        i += 1
    parts.append(tex[start:])
    return parts


def _grid(env: str, body: str, px: float) -> Box:
    if env in ("array", "subarray", "alignat", "alignedat"):
        body = re.sub(r"^\s*\{[^{}]*\}", "", body)  # the column spec / column count
    rows = [r for r in _split_top(body, "\\\\") if r.strip()]
    rows = [re.sub(r"^\s*\[[^\]]*\]", "", r) for r in rows]  # \\[4pt] spacing
    single = env in ("gather", "gathered", "equation", "multline")
    cells = [[_layout(c, px) for c in ([r.replace("&", " ")] if single else _split_top(r, "&"))] for r in rows]
    if not cells:
        return Box(blank(1, 0), 0)
    ncol = max(len(r) for r in cells)
    aligned = env in ("align", "aligned", "alignat", "alignedat", "flalign", "split", "eqnarray")
    em = round(px)
    widths = [max((r[c].width for r in cells if c < len(r)), default=0) for c in range(ncol)]
    lines = []
    for r in cells:
        parts = []
        for c in range(ncol):
            b = r[c] if c < len(r) else Box(blank(1, 0), 0)
            spare = widths[c] - b.width
            if aligned:  # right-aligned left side, left-aligned right side: the "=" line up
                left = spare if c % 2 == 0 else 0
            elif env in ("cases", "dcases", "rcases", "array", "subarray"):
                left = 0
            else:
                left = spare // 2
            pad = Box(blank(b.img.shape[0], left), b.descent)
            rest = Box(blank(b.img.shape[0], spare - left), b.descent)
            parts.append(hcat([pad, b, rest]) if spare else b)
            if c < ncol - 1:
                gap = em // 4 if aligned and c % 2 == 0 else em
                parts.append(Box(blank(1, gap), 0))
        lines.append(hcat(parts))
    lead = round(px * 0.35)
    height = sum(b.img.shape[0] for b in lines) + lead * (len(lines) - 1)
    width = max(b.width for b in lines)
    out = blank(height, width)
    y = 0
    for b in lines:
        x = (width - b.width) // 2 if single else 0
        out[y:y + b.img.shape[0], x:x + b.width] = b.img
        y += b.img.shape[0] + lead
    axis = round(px * 0.25)  # a grid sits centred on the maths axis, as TeX puts it
    grid = Box(out, max(0, height // 2 - axis))
    opening, closing = _DELIMS.get(env, ("", ""))
    if opening or closing:
        pieces: list[Box] = []
        if opening:
            pieces.append(stretch(_parse(opening, px * 1.2), height))
        pieces.append(grid)
        if closing:
            pieces.append(stretch(_parse(closing, px * 1.2), height))
        grid = hcat([Box(p.img, grid.descent) for p in pieces], gap=em // 6)
    return grid


def _layout(tex: str, px: float, dpr: float = 1.0) -> Box:
    """A box for ``tex``: mathtext for plain pieces, grids, frames and Chinese text laid out here."""
    m = _CONSTRUCT.search(tex)
    t = _chinese_text(tex)
    if t is not None and (m is None or t.start() < m.start()):
        # mathtext's fonts have no Chinese: the text is drawn with the UI's font, the maths around it apart
        # ({} around a cut piece keeps an operator at the cut binary: "{} + {}" is spaced as in "a + b")
        pieces = [_layout("{}" + tex[:t.start()] + "{}", px, dpr)] if tex[:t.start()].strip() else []
        pieces.append(_text_box(t.group(1), px))
        if tex[t.end():].strip():
            pieces.append(_layout("{}" + tex[t.end():] + "{}", px, dpr))
        return hcat(pieces)
    if m is None:
        return _parse(tex, px) if tex.strip() else Box(blank(1, 0), 0)
    gap = round(px * 0.2)
    if m.group(0).startswith("\\boxed"):
        end = _group_end(tex, m.end())
        mid = framed(_layout(tex[m.end():end - 1], px, dpr), px, dpr)
    else:
        name = m.group(1) + m.group(2)
        body_end, end = _env_end(tex, name, m.end())
        mid = _grid(m.group(1), tex[m.end():body_end], px)
    before = _layout(tex[:m.start()], px, dpr) if tex[:m.start()].strip() else None
    after = _layout(tex[end:], px, dpr) if tex[end:].strip() else None
    return hcat([b for b in (before, mid, after) if b is not None], gap=gap)


# ---- Chinese in \\text{} -----------------------------------------------------------------------------------
TextRasterizer = Callable[[str, float], tuple[np.ndarray, int]]  # (text, pixel size) -> (coverage 0..1, descent)
_rasterizer: TextRasterizer | None = None
_TEXT = re.compile(r"\\(?:text|mathrm|mathbf|mathsf|mathit|operatorname)\s*\{([^{}]*)\}")
_CJK = re.compile("[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")


def set_text_rasterizer(rasterizer: TextRasterizer | None) -> None:
    """How to draw text that mathtext's fonts lack (Chinese in ``\\text{长}``): the UI gives its own font's
    drawing (ui/common/text_image.py). Without one, such a formula is shown as its source."""
    global _rasterizer
    with _lock:
        _rasterizer = rasterizer
        _cache.clear()
        _parsed.clear()
        _line_descent.cache_clear()


def _chinese_text(tex: str) -> re.Match[str] | None:
    """The first ``\\text{...}`` holding Chinese outside any group (inside one it cannot be cut out)."""
    for m in _TEXT.finditer(tex):
        if _CJK.search(m.group(1)) and _depth(tex, m.start()) == 0:
            return m
    return None


def _depth(tex: str, end: int) -> int:
    depth, i = 0, 0
    while i < end:
        if tex[i] == "\\":
            i += 2
            continue
        depth += (tex[i] == "{") - (tex[i] == "}")
        i += 1
    return depth


def _text_box(text: str, px: float) -> Box:
    if _rasterizer is None:
        raise ValueError("no font for this text")
    coverage, descent = _rasterizer(text, px)
    img = np.zeros((*coverage.shape, 2), np.float32)
    img[..., 0] = coverage
    return Box(img, descent)


# ---- images ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MathImage:
    data_uri: str  # data:image/png;base64,...: self-contained, Qt's rich text shows it with no resource set up
    width: float  # logical pixels (the PNG has dpr times as many)
    height: float


def _rgb(color: str) -> np.ndarray:
    c = color.lstrip("#")
    return np.array([int(c[i:i + 2], 16) for i in (0, 2, 4)], np.float32)


def _png(box: Box, color: str, highlight: str) -> bytes:
    from PIL import Image  # a dependency of matplotlib (its own image I/O)

    ink, bg = box.img[..., 0:1], box.img[..., 1:2]
    alpha = ink + bg * (1 - ink)
    rgb = (ink * _rgb(color) + bg * (1 - ink) * _rgb(highlight)) / np.maximum(alpha, 1e-6)
    rgba = np.concatenate([rgb, alpha * 255], axis=2).clip(0, 255).round().astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(buf, "PNG")
    return buf.getvalue()


_cache: OrderedDict[tuple[object, ...], MathImage | None] = OrderedDict()


def render(tex: str, *, color: str, highlight: str = "#fff1b8", px: float = 16.0, dpr: float = 1.0,
           inline: bool = True, x_height: float = 0.0, ascent: float = 0.0, descent: float = 0.0,
           line_descent: float = 0.0) -> MathImage | None:
    """The formula ``tex`` (without delimiters) as an image, or None when it cannot be typeset.

    ``px`` is the text's font size in logical pixels, ``dpr`` the screen's device pixel ratio; ``x_height``,
    ``ascent`` and ``descent`` are the text font's, in logical pixels. Inline formulas are padded so that their
    baseline falls on the text's under ``vertical-align: middle`` (:func:`_on_baseline` says how Qt places
    them); ``line_descent`` is what :func:`line_descent` says for the formulas of the formula's paragraph.
    """
    key = (tex, color, highlight, round(px, 2), round(dpr, 2), inline, round(x_height, 2), round(ascent, 2),
           round(descent, 2), round(line_descent, 2))
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    try:
        box = _layout(rewrite(tex, display=not inline).strip(), px * dpr, dpr)
        if box.width == 0:
            raise ValueError("empty formula")
        if inline:
            box = on_baseline(trimmed(box), TextMetrics.of(px, dpr, x_height, ascent, descent), line_descent)
        image: MathImage | None = MathImage(
            "data:image/png;base64," + base64.b64encode(_png(box, color, highlight)).decode("ascii"),
            box.width / dpr, box.img.shape[0] / dpr)
    except Exception:  # any parser or layout failure: the caller shows the source
        image = None
    with _lock:
        _cache[key] = image
        if len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return image


def line_descent(texes: list[str], *, px: float = 16.0, dpr: float = 1.0, x_height: float = 0.0,
                 ascent: float = 0.0, descent: float = 0.0) -> float:
    """The line descent (device pixels) all the inline formulas ``texes`` of one paragraph ask for."""
    return _line_descent(tuple(texes), TextMetrics.of(px, dpr, x_height, ascent, descent), px * dpr, dpr)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _line_descent(texes: tuple[str, ...], text: TextMetrics, px: float, dpr: float) -> float:
    need = text.usual
    for tex in texes:
        try:
            need = max(need, text.needs(trimmed(_layout(rewrite(tex).strip(), px, dpr))))
        except Exception:  # shown as its source: asks nothing
            continue
    return need


def warm_up() -> None:
    """Import matplotlib, build its font cache and load the maths fonts (seconds the first time ever)."""
    render(r"x^2 + \frac{1}{2}", color="#000000")
