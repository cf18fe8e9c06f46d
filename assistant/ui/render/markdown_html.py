"""Markdown → HTML for the chat view: code highlighting (pygments), tables, a highlighted ``\\boxed{}``.

Qt's rich text understands a subset of HTML/CSS, so code is highlighted with inline styles. Raw HTML in
model output is shown as text, never interpreted. Maths (``$…$``, ``\\(…\\)``, ``$$…$$``, ``\\[…\\]``,
``\\begin{align*}…``) is taken out before Markdown (which would eat its backslashes and read the ``*`` of
``align*`` as italics) and typeset as an image (maths.py); what cannot be typeset, and a formula still
being written (no closing delimiter yet), is shown as its source. The source also rides along in each
image's ``alt`` text, so copying a selection gives LaTeX back (common/widgets.AutoHeightBrowser).

Streaming renders the same reply many times a second. A reply is cut into top-level blocks (at blank
lines outside code fences); each finished block's HTML is cached, so a repaint only converts the block
still being written. Highlighting a code block costs milliseconds; re-highlighting all of them per
repaint would stall the window.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import markdown
from pygments.formatters import HtmlFormatter

from assistant.core.chat.postprocess import final_boxed
from assistant.ui.common.theme import Palette, palette_for

from . import maths

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_BOX = re.compile(r"\\(?:boxed|fbox)\s*\{")
_ENV = r"(?:align|equation|gather|multline|flalign|alignat|eqnarray)\*?"
_MATH = re.compile(r"\$\$.+?\$\$|\\\[.+?\\\]|\\\(.+?\\\)|\\begin\{(" + _ENV + r")\}.+?\\end\{\1\}"
                   r"|(?<![\\$\w])\$(?!\s)[^$\n]+?(?<!\s)\$(?!\w)", re.S)
# A display formula opened but not closed (yet: it is being streamed) runs to the end of its block.
_OPEN_MATH = re.compile(r"\$\$|\\\[|\\\(|\\begin\{" + _ENV + r"\}")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
_INNER_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,}).*?(?:^\s{0,3}\1[ \t]*$|\Z)", re.S | re.M)
# Private-use characters (Markdown itself uses \x02/\x03 for its placeholders).
_TOKEN = "\ue000{}\ue001"
_TOKEN_RE = re.compile("\ue000(\\d+)\ue001")


_CODE_BLOCK = re.compile(
    r'<div class="codehilite" style="background: ([^"]+)"><pre[^>]*>(?:<span></span>)?<code(?: class="([^"]*)")?>'
    r'(.*?)</code></pre></div>', re.S)
# Where a code block's controls (above it) and its run's result (below it) go: filled in per render (they change
# while the cached block does not), or left out.
_CODE_MARK = re.compile("\ue002([0-9a-f]+)\ue003(.*?)\ue004\\1\ue005", re.S)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class CodeBlock:
    """A fenced or indented code block of a reply: its language as the fence names it ("" if none), its text,
    and a key made from both (the same code in the same language is the same block, whichever reply has it)."""

    key: str
    language: str
    code: str


CodeAround = Callable[[CodeBlock], tuple[str, str]]  # a code block -> (HTML above it, HTML below it)


class _LanguageFormatter(HtmlFormatter):  # type: ignore[misc]
    """Pygments' HTML with the fence's language on ``<code>`` (codehilite passes it as ``lang_str``)."""

    def __init__(self, **options: Any) -> None:
        self._lang = str(options.pop("lang_str", "") or "")
        super().__init__(**options)

    def _wrap_code(self, inner: Any) -> Any:
        lang = self._lang.removeprefix("language-")
        yield 0, f'<code class="{html.escape(lang)}">' if lang and lang.lower() != "none" else "<code>"
        yield from inner
        yield 0, "</code>"


def split_blocks(text: str) -> list[str]:
    """Top-level Markdown blocks: split at blank lines outside fences, unless the next line is indented
    (a list item's continuation must stay with its list)."""
    return [text[s:e] for s, e in block_spans(text)]


def block_spans(text: str, start: int = 0) -> list[tuple[int, int]]:
    """(start, end) of each top-level block of ``text[start:]`` (``start``: the start of a line outside any
    fence, e.g. where a block began), as offsets into ``text``. A block other than the last is finished: text
    added at the end cannot change it (its end was decided by the first character of the next block's first
    line), which is what lets a stream render each block once (message/rich_stream.py)."""
    spans: list[tuple[int, int]] = []
    fence: str | None = None
    first = -1  # where the block being collected starts (-1: none yet)
    last_end = 0  # where its last line ends
    pos = start
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        line = text[pos:end]
        m = _FENCE.match(line)
        if fence is None and m:
            fence = m.group(1)[0] * len(m.group(1))
        elif fence is not None and line.strip().startswith(fence):
            fence = None
        blank = not line.strip()
        if fence is None and blank and first >= 0 and not _indented_next(text, end):
            spans.append((first, last_end))
            first = -1
        elif first >= 0 or not blank:
            if first < 0:
                first = pos
            last_end = end
        if nl < 0:
            break
        pos = nl + 1
    if first >= 0:
        spans.append((first, last_end))
    return spans


def _indented_next(text: str, pos: int) -> bool:
    """Whether the next non-blank line after offset ``pos`` (a line's end) starts with white space."""
    while pos < len(text):
        nl = text.find("\n", pos + 1)
        line = text[pos + 1:len(text) if nl < 0 else nl]
        if line.strip():
            return line[:1].isspace()
        if nl < 0:
            return False
        pos = nl
    return False


def _tex(src: str) -> tuple[str, bool]:
    """A formula with its delimiters → (its TeX, whether it is inline)."""
    inline = src.startswith("\\(") or (src.startswith("$") and not src.startswith("$$"))
    return (src if src.startswith("\\begin") else src[1:-1] if inline and src.startswith("$") else src[2:-2]), inline


def _chip(inner_html: str, p: Palette) -> str:
    return (f'<span style="background-color:{p.boxed_bg}; color:{p.boxed_fg}; font-weight:600;">'
            f"&nbsp;{inner_html}&nbsp;</span>")


def _source_html(src: str, p: Palette) -> str:
    """A formula shown as its source (it cannot be typeset, or is not finished): code-like, boxed answers
    inside still highlighted, its lines kept."""
    parts, last = [], 0
    for s, e in _box_spans(src):
        parts.append(html.escape(src[last:s]))
        inner = final_boxed(src[s:e]) or ""
        parts.append(_chip(html.escape(inner), p) if inner else "")
        last = e
    parts.append(html.escape(src[last:]))
    return "<code>" + "".join(parts).replace("\n", "<br />") + "</code>"


def _box_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each balanced \\boxed{...} in text."""
    spans = []
    pos = 0
    while (m := _BOX.search(text, pos)) is not None:
        depth, i = 1, m.end()
        while i < len(text) and depth:
            ch = text[i]
            if ch == "\\":
                i += 2
                continue
            depth += (ch == "{") - (ch == "}")
            i += 1
        if depth:
            pos = m.end()
            continue
        spans.append((m.start(), i))
        pos = i
    return spans


class Renderer:
    """Converts Markdown to Qt-friendly HTML, caching finished blocks. One per theme."""

    def __init__(self, theme: str = "light", cache_size: int = 512, *, math_px: float = 16.0, dpr: float = 1.0,
                 x_height: float = 0.0, ascent: float = 0.0, descent: float = 0.0) -> None:
        """``math_px``, ``dpr``, ``x_height``, ``ascent``, ``descent``: the text's font size, x-height, ascent and
        descent in logical pixels and the screen's device pixel ratio, so formulas match the text around them,
        sit on its baseline and stay sharp."""
        self.palette = palette_for(theme)
        self.math_px, self.dpr, self.x_height = math_px, dpr, x_height
        self.ascent, self.descent = ascent, descent
        self._md = markdown.Markdown(
            extensions=["fenced_code", "tables", "codehilite", "sane_lists", "nl2br"],  # nl2br: a poem keeps its lines
            extension_configs={"codehilite": {"noclasses": True, "pygments_style": self.palette.pygments_style,
                                              "guess_lang": False, "pygments_formatter": _LanguageFormatter}},
        )
        # Raw HTML from a model is shown as text.
        self._md.preprocessors.deregister("html_block")
        self._md.inlinePatterns.deregister("html")
        self._md.inlinePatterns.deregister("entity")
        self._cache: OrderedDict[str, str] = OrderedDict()
        self._cache_size = cache_size
        self._codes: dict[str, CodeBlock] = {}  # by key, for the marks in cached HTML

    # -----------------------------------------------------------------------------------------------
    def render(self, text: str, code: CodeAround | None = None) -> str:
        """HTML for a whole reply (a fragment, no <html>). ``code`` gives the HTML put above and below each code
        block (its controls, the result of running it); without it there is none."""
        return "".join(self.render_block(b, code) for b in split_blocks(text))

    def code_blocks(self, text: str) -> list[CodeBlock]:
        """The code blocks of a reply, in order (what the keys in ``code``'s calls refer to)."""
        found: list[CodeBlock] = []
        for block in split_blocks(text):
            html_ = self._block_html(block)
            found += [self._codes[m.group(1)] for m in _CODE_MARK.finditer(html_) if m.group(1) in self._codes]
        return found

    def _protect_text(self, src: str, protect: Callable[[str], str]) -> str:
        src = _CODE_SPAN.sub(lambda m: protect(f"<code>{html.escape(m.group(2).strip())}</code>"), src)
        # the paragraph's inline formulas ask their lines for one descent, so that they share a baseline
        texes = [_tex(m.group(0))[0] for m in _MATH.finditer(src) if _tex(m.group(0))[1]]
        descent = maths.line_descent(texes, px=self.math_px, dpr=self.dpr, x_height=self.x_height,
                                     ascent=self.ascent, descent=self.descent) if texes else 0.0
        src = _MATH.sub(lambda m: protect(self._math(m.group(0), descent)), src)
        if (m := _OPEN_MATH.search(src)) is not None:
            src = src[:m.start()] + protect(_source_html(src[m.start():], self.palette))
        parts, last = [], 0
        for s, e in _box_spans(src):
            inner = final_boxed(src[s:e]) or ""
            parts.append(src[last:s])
            if inner:  # an empty \boxed{} shows nothing (no empty chip)
                parts.append(protect(_chip(html.escape(inner), self.palette)))
            last = e
        parts.append(src[last:])
        return "".join(parts)

    def _math(self, src: str, line_descent: float = 0.0) -> str:
        """A formula with its delimiters → an <img> of it (centred on a line of its own for display maths)."""
        tex, inline = _tex(src)
        p = self.palette
        img = maths.render(tex, color=p.text, highlight=p.boxed_bg, px=self.math_px, dpr=self.dpr,
                           inline=inline, x_height=self.x_height, ascent=self.ascent, descent=self.descent,
                           line_descent=line_descent)
        if img is None:
            return _source_html(src, p)
        alt = html.escape(src)
        align = ' style="vertical-align:middle"' if inline else ""
        tag = (f'<img src="{img.data_uri}" width="{img.width:g}" height="{img.height:g}" alt="{alt}" '
               f'title="{alt}"{align} />')
        return tag if inline else f'<div align="center">{tag}</div>'

    def render_block(self, block: str, code: CodeAround | None = None) -> str:
        """HTML for one top-level block (cached); ``code`` as for :meth:`render`."""
        out = self._block_html(block)
        if "\ue002" not in out:
            return out

        def around(m: re.Match[str]) -> str:
            info = self._codes.get(m.group(1))
            if code is None or info is None:
                return m.group(2)
            above, below = code(info)
            return above + m.group(2) + below

        return _CODE_MARK.sub(around, out)

    def _block_html(self, block: str) -> str:
        cached = self._cache.get(block)
        if cached is not None:
            self._cache.move_to_end(block)
            return cached
        out = self._convert(block)
        self._cache[block] = out
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return out

    def _code_html(self, background: str, language: str, body: str) -> str:
        """A highlighted code block, between the marks where its controls and its result go."""
        text = html.unescape(_TAG.sub("", body))
        key = hashlib.sha1(f"{language}\n{text}".encode()).hexdigest()[:16]
        self._codes[key] = CodeBlock(key, language, text)
        if len(self._codes) > 4 * self._cache_size:
            self._codes.pop(next(iter(self._codes)))
        pre = f'<pre style="background-color:{background}; padding:6px;">{body.rstrip(chr(10))}</pre>'
        return f"\ue002{key}\ue003{pre}\ue004{key}\ue005"

    def _convert(self, block: str) -> str:
        p = self.palette
        protected: list[str] = []

        def protect(fragment: str) -> str:
            protected.append(fragment)
            return _TOKEN.format(len(protected) - 1)

        is_code = bool(_FENCE.match(block)) or block.startswith("    ")
        src = block
        if not is_code:
            # Fences inside the block and code spans are left alone (`$HOME` is no formula); then maths
            # (typeset, or its source), the rest of a formula still being written, and boxed answers.
            parts, last = [], 0
            for m in _INNER_FENCE.finditer(src):
                parts += [self._protect_text(src[last:m.start()], protect), m.group(0)]
                last = m.end()
            parts.append(self._protect_text(src[last:], protect))
            src = "".join(parts)
        self._md.reset()
        out = self._md.convert(src)
        if protected:
            out = _TOKEN_RE.sub(lambda m: protected[int(m.group(1))], out)
        # Qt's rich text has no CSS for these; inline attributes it does understand.
        out = out.replace("<table>", f'<table border="1" cellspacing="0" cellpadding="4" '
                                     f'style="border-color:{p.border}; border-collapse:collapse;">')
        cell = f'style="border: 1px solid {p.border};"'
        out = out.replace("<th>", f"<th {cell}>").replace("<td>", f"<td {cell}>")
        out = re.sub(r'<(t[hd]) style="text-align: (\w+);">', rf'<\1 align="\2" {cell}>', out)
        # Code blocks: the background goes on <pre> (Qt paints block backgrounds, not <div> ones), and the
        # inner <code> goes, so the inline-code style does not paint each line again.
        out = _CODE_BLOCK.sub(lambda m: self._code_html(m.group(1), m.group(2) or "", m.group(3)), out)
        return out


def document_css(theme: str, base_pt: float = 0.0) -> str:
    """Default stylesheet for a message QTextDocument."""
    p = palette_for(theme)
    size = f"font-size:{base_pt}pt;" if base_pt else ""
    return (
        f"body {{ color:{p.text}; {size} }}"
        f"a {{ color:{p.link}; }}"
        f"code {{ background-color:{p.code_bg}; font-family: monospace; }}"
        f"pre {{ font-family: monospace; }}"
        f"th {{ background-color:{p.code_bg}; }}"
        f"blockquote {{ color:{p.muted}; }}"
    )


def warm_up() -> None:
    """Import and initialise what the first render needs (Markdown extensions, pygments lexers).

    Run off the UI thread at start-up: done lazily, it stalls the window ~0.2 s at the first code block, and
    ~0.5 s (seconds the very first time: matplotlib's font cache) at the first formula.
    """
    r = Renderer("light")
    r.render("# t\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nx = 1\n```\n\n```\nplain\n```\n\n"
             "```bash\nls\n```\n\n```json\n{}\n```\n\n```cpp\nint x;\n```")
    maths.warm_up()
