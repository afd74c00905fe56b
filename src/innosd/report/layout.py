"""A4 pages drawn with matplotlib alone: header, footer, flowing text and tables that break across pages.

Coordinates are points (1/72 inch) measured from the page's top-left corner. Text is
real text (TrueType/OpenType glyphs embedded as Type 42 / CID fonts), so it can be
searched and copied; every line is placed explicitly so line heights are exact and a
table row never straddles a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..fonts import use_cjk_font

A4_PORTRAIT = (595.28, 841.89)
A4_LANDSCAPE = (841.89, 595.28)
MARGIN = 50.0
HEADER_RULE = 46.0
CONTENT_TOP = 64.0
FOOTER_SPACE = 52.0
CONTENT_WIDTH = A4_PORTRAIT[0] - 2 * MARGIN
LINE = 1.38  # line height as a multiple of the font size

INK = "#1d1d1d"
MUTED = "#5f6368"
ACCENT = "#1f4e79"
RULE = "#b8c0cc"
HEADER_FILL = "#e6ecf3"
ZEBRA = "#f6f8fa"
VERDICT_COLORS = {"on track": "#2e7d32", "at risk": "#e69500", "off track": "#c62828",
                  "met by assumption": "#546e7a", "not met by assumption": "#546e7a", "set by assumption": "#546e7a"}
VERDICT_INK = {"on track": "#1b5e20", "at risk": "#8a5300", "off track": "#b71c1c",  # text on the fills
               "met by assumption": "#37474f", "not met by assumption": "#37474f", "set by assumption": "#37474f"}
VERDICT_FILLS = {"on track": "#e2f1e3", "at risk": "#fdf0d2", "off track": "#f8dede",
                 "met by assumption": "#eceff1", "not met by assumption": "#eceff1", "set by assumption": "#eceff1"}

LATIN_FAMILY = "DejaVu Sans"
MONO_FAMILY = "DejaVu Sans Mono"
NO_LIGATURES = ("-liga", "-clig", "-dlig")

_CJK = r"\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_TOKENS = re.compile(rf"\s+|[{_CJK}]|[^\s{_CJK}]+")
_NO_LINE_START = set("，。、；：？！）》」』”’,.;:?!)]}%")


def _families(mono: bool = False) -> list[str]:
    """Latin from DejaVu (TrueType: about a third cheaper to draw than the CJK font's CFF outlines),
    everything else from the CJK font. Named explicitly: matplotlib falls back between the fonts of
    a family list, but not between the fonts behind a generic name such as 'sans-serif'."""
    return [MONO_FAMILY if mono else LATIN_FAMILY, use_cjk_font() or "DejaVu Sans"]


def rc_params() -> dict:
    """matplotlib settings for the report: embedded TrueType/OpenType text, the CJK font first."""
    family = use_cjk_font() or LATIN_FAMILY
    return {
        "pdf.fonttype": 42,
        # matplotlib 3.11 sizes the PDF backend's font subsets from ps.fonttype: with 3 (the default)
        # every 256 glyphs start a new subset, and each subset re-reads the 16 MB CJK font.
        "ps.fonttype": 42,
        "pdf.compression": 6,
        "font.family": _families(),
        "font.sans-serif": [family, LATIN_FAMILY],
        "font.monospace": [MONO_FAMILY, family],
        "axes.unicode_minus": False,
        "axes.titlesize": 9,
        "axes.labelsize": 7.5,
        "xtick.labelsize": 7,
        "ytick.labelsize": 7,
        "legend.fontsize": 6.5,
        "axes.edgecolor": "#888888",
        "axes.linewidth": 0.6,
        "svg.hashsalt": "innosd",
        "path.simplify": True,
    }


# ---------------------------------------------------------------- measuring text

@lru_cache(maxsize=4)
def _face(family: str):
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=True)
    face = FT2Font(path)
    face.set_size(100, 72)
    return face


@lru_cache(maxsize=None)
def _em(ch: str, mono: bool) -> float:
    """Advance width of ``ch`` in ems, from the first font of the family list that has it."""
    from matplotlib.ft2font import LoadFlags

    for family in _families(mono):
        face = _face(family)
        if face.get_char_index(ord(ch)):
            g = face.load_char(ord(ch), flags=LoadFlags.NO_HINTING)
            return g.linearHoriAdvance / 65536 / 100
    return 1.0


def text_width(s: str, size: float, mono: bool = False) -> float:
    """Width of ``s`` in points at ``size``."""
    return sum(_em(c, mono) for c in s) * size


def wrap(s: str, width: float, size: float, mono: bool = False) -> list[str]:
    """Lines of ``s`` no wider than ``width`` points.

    Breaks at spaces, between CJK characters, or inside a word longer than a line (a URL);
    explicit newlines are kept; in monospace the leading indentation is kept and continued
    lines are indented two more spaces.
    """
    out: list[str] = []
    for para in str(s).split("\n"):
        lead = para[:len(para) - len(para.lstrip(" "))] if mono else ""
        cont = lead + "  " if mono else ""
        cont_w = text_width(cont, size, mono)
        line, w = lead, text_width(lead, size, mono)
        fresh = True  # nothing but indentation on the line yet
        for tok in _TOKENS.findall(para[len(lead):]):
            tw = text_width(tok, size, mono)
            if tok.isspace():
                if fresh:
                    continue
                if w + tw > width:
                    out.append(line.rstrip())
                    line, w, fresh = cont, cont_w, True
                else:
                    line, w = line + tok, w + tw
                continue
            if w + tw <= width:
                line, w, fresh = line + tok, w + tw, False
                continue
            if not fresh and tok[0] in _NO_LINE_START and len(line.strip()) > 1 and re.match(f"[{_CJK}]", line[-1]):
                out.append(line[:-1])  # no line starts with closing punctuation: carry one character over
                line = cont + line[-1] + tok
                w = text_width(line, size, mono)
                continue
            if not fresh:
                out.append(line.rstrip())
                line, w, fresh = cont, cont_w, True
            if w + tw <= width:
                line, w, fresh = line + tok, w + tw, False
                continue
            for ch in tok:  # longer than a line: break anywhere
                cw = _em(ch, mono) * size
                if w + cw > width and not fresh:
                    out.append(line)
                    line, w = cont, cont_w
                line, w, fresh = line + ch, w + cw, False
        out.append(line.rstrip() if not fresh else ("" if not mono else line.rstrip()))
    return out


# ---------------------------------------------------------------- pages

class Page:
    """One page: a matplotlib Figure of A4 size drawn in points from the top-left corner."""

    def __init__(self, section: str, header: str, landscape: bool = False):
        self.w, self.h = A4_LANDSCAPE if landscape else A4_PORTRAIT
        self.fig = Figure(figsize=(self.w / 72, self.h / 72))
        self.section = section
        self.header = header
        self.left, self.right = MARGIN, self.w - MARGIN
        self.top, self.bottom = CONTENT_TOP, self.h - FOOTER_SPACE

    @property
    def width(self) -> float:
        return self.right - self.left

    def text(self, x: float, y: float, s: str, size: float = 9, color: str = INK, ha: str = "left",
             va: str = "baseline", mono: bool = False, **kw):
        if not s:
            return None
        return self.fig.text(x / self.w, 1 - y / self.h, s, fontsize=size, color=color, ha=ha, va=va,
                             family=_families(mono), parse_math=False, fontfeatures=NO_LIGATURES, **kw)

    def rect(self, x: float, y: float, w: float, h: float, fc: str = "none", ec: str = "none", lw: float = 0.6):
        self.fig.add_artist(Rectangle((x / self.w, 1 - (y + h) / self.h), w / self.w, h / self.h,
                                      transform=self.fig.transFigure, fc=fc, ec=ec, lw=lw))

    def line(self, x0: float, y0: float, x1: float, y1: float, color: str = RULE, lw: float = 0.6):
        self.fig.add_artist(matplotlib.lines.Line2D([x0 / self.w, x1 / self.w], [1 - y0 / self.h, 1 - y1 / self.h],
                                                    transform=self.fig.transFigure, color=color, lw=lw))

    def axes(self, x: float, y: float, w: float, h: float):
        return self.fig.add_axes((x / self.w, 1 - (y + h) / self.h, w / self.w, h / self.h))

    def draw_header(self, right: str) -> None:
        self.text(self.left, HEADER_RULE - 10, self.header, size=13, color=ACCENT)
        self.text(self.right, HEADER_RULE - 10, right, size=7.5, color=MUTED, ha="right")
        self.line(self.left, HEADER_RULE, self.right, HEADER_RULE, color=ACCENT, lw=0.8)

    def draw_footer(self, left: str, right: str) -> None:
        y = self.h - 36
        self.line(self.left, y, self.right, y)
        room = self.width - text_width(right, 8) - 16
        size = min(6.2, 6.2 * room / max(text_width(left, 6.2), 1.0))
        self.text(self.left, y + 12, left, size=size, color=MUTED)
        self.text(self.right, y + 12, right, size=8, color=INK, ha="right")


class Document:
    """Pages in order, with bookmarks (title, page, level) that follow their pages when documents are joined."""

    def __init__(self, header_right: str):
        self.pages: list[Page] = []
        self.bookmarks: list[tuple[str, Page, int]] = []
        self.header_right = header_right

    def new_page(self, section: str, header: str, landscape: bool = False) -> Page:
        page = Page(section, header, landscape)
        page.draw_header(self.header_right)
        self.pages.append(page)
        return page

    def bookmark(self, title: str, level: int = 0) -> None:
        """Mark the current (last) page."""
        self.bookmarks.append((title, self.pages[-1], level))

    def extend(self, other: "Document") -> None:
        self.pages += other.pages
        self.bookmarks += other.bookmarks

    def outline(self) -> list[tuple[str, int, int]]:
        """Bookmarks as (title, page index, level)."""
        index = {id(p): i for i, p in enumerate(self.pages)}
        return [(title, index[id(page)], level) for title, page, level in self.bookmarks]


@dataclass
class Col:
    """A table column: header, share of the table width, alignment, optional monospace."""

    header: str
    width: float
    align: str = "left"
    mono: bool = False


@dataclass
class Cell:
    """A table cell with its own text colour, fill or weight."""

    text: str
    color: str = INK
    fill: str | None = None
    size: float | None = None


class Flow:
    """Text, tables and blocks flowing down the pages of one section; new pages as needed."""

    def __init__(self, doc: Document, section: str, title: str, landscape: bool = False,
                 continued: str = " (continued)"):
        self.doc, self.section, self.title = doc, section, title
        self.landscape, self.continued = landscape, continued
        self.page: Page | None = None
        self.y = 0.0
        self.pages = 0

    # pages
    def new_page(self, landscape: bool | None = None) -> Page:
        header = self.title if self.pages == 0 else self.title + self.continued
        self.page = self.doc.new_page(self.section, header, self.landscape if landscape is None else landscape)
        if self.pages == 0:
            self.doc.bookmark(self.title)
        self.pages += 1
        self.y = self.page.top
        return self.page

    def need(self, h: float) -> Page:
        """Make sure ``h`` points fit below the cursor; start a new page if not."""
        if self.page is None or self.y + h > self.page.bottom + 0.01:
            self.new_page()
        return self.page

    def room(self) -> float:
        return (self.page.bottom - self.y) if self.page else 0.0

    def space(self, h: float) -> None:
        if self.page is not None:
            self.y = min(self.y + h, self.page.bottom)

    def block(self, h: float) -> tuple[Page, float]:
        """Reserve ``h`` points; returns the page and the block's top."""
        page = self.need(h)
        top = self.y
        self.y += h
        return page, top

    # text
    def heading(self, s: str, size: float = 11, color: str = ACCENT, keep: float = 60, mark: bool = False) -> None:
        self.need(size * 1.6 + keep)
        if self.y > self.page.top + 1:
            self.y += size * 0.6
        self.y += size * 1.1
        self.page.text(self.page.left, self.y, s, size=size, color=color)
        if mark:
            self.doc.bookmark(s, 1)
        self.y += size * 0.55

    def para(self, s: str, size: float = 9, color: str = INK, indent: float = 0.0, mono: bool = False,
             after: float = 4.0, line: float = LINE, width: float | None = None) -> None:
        lh = size * line
        avail = (width or self.need(lh).width) - indent
        for ln in wrap(s, avail, size, mono):
            page = self.need(lh)
            self.y += lh
            if ln.strip():
                page.text(page.left + indent, self.y - size * 0.3, ln, size=size, color=color, mono=mono)
        self.y += after

    def bullets(self, items, size: float = 9, color: str = INK, after: float = 4.0) -> None:
        for item in items:
            lh = size * LINE
            page = self.need(lh)
            lines = wrap(str(item), page.width - 12, size)
            for i, ln in enumerate(lines):
                page = self.need(lh)
                self.y += lh
                if i == 0:
                    page.text(page.left + 2, self.y - size * 0.3, "•", size=size, color=MUTED)
                page.text(page.left + 12, self.y - size * 0.3, ln, size=size, color=color)
            self.y += 1.5
        self.y += after

    # tables
    def table(self, cols: list[Col], rows: list[list], size: float = 7.5, zebra: bool = True,
              header: bool = True, header_size: float | None = None, pad: float = 3.0, after: float = 8.0) -> None:
        """Rows of cells (str or :class:`Cell`); the header repeats on every page the table reaches."""
        header_size = header_size or size
        page = self.need(size * 6)
        total = sum(c.width for c in cols)
        widths = [page.width * c.width / total for c in cols]

        def draw_header(page: Page) -> None:
            if not header:
                return
            lines = [wrap(c.header, w - 2 * pad, header_size) for c, w in zip(cols, widths)]
            h = max(len(x) for x in lines) * header_size * LINE + 2 * pad
            page.rect(page.left, self.y, page.width, h, fc=HEADER_FILL)
            x = page.left
            for c, w, ls in zip(cols, widths, lines):
                self._cell_text(page, x, self.y, w, ls, header_size, c.align, ACCENT, pad, False)
                x += w
            self.y += h

        draw_header(page)
        for i, row in enumerate(rows):
            cells = [r if isinstance(r, Cell) else Cell("" if r is None else str(r)) for r in row]
            wrapped = [wrap(c.text, w - 2 * pad, c.size or size, col.mono) for c, w, col in zip(cells, widths, cols)]
            lh = size * LINE
            h = max(len(ls) for ls in wrapped) * lh + 2 * pad
            if self.y + h > self.page.bottom:
                self.new_page()
                draw_header(self.page)
            page = self.page
            if zebra and i % 2 == 1:
                page.rect(page.left, self.y, page.width, h, fc=ZEBRA)
            x = page.left
            for c, w, ls, col in zip(cells, widths, wrapped, cols):
                if c.fill:
                    page.rect(x, self.y, w, h, fc=c.fill)
                self._cell_text(page, x, self.y, w, ls, c.size or size, col.align, c.color, pad, col.mono)
                x += w
            self.y += h
            page.line(page.left, self.y, page.right, self.y, lw=0.3)
        self.y += after

    @staticmethod
    def _cell_text(page: Page, x: float, top: float, w: float, lines: list[str], size: float, align: str,
                   color: str, pad: float, mono: bool) -> None:
        lh = size * LINE
        xx = {"left": x + pad, "right": x + w - pad, "center": x + w / 2}[align]
        for k, ln in enumerate(lines):
            if ln:
                page.text(xx, top + pad + (k + 1) * lh - size * 0.3, ln, size=size, color=color, ha=align, mono=mono)


def render(doc: Document, metadata: dict, footer_left: str, page_label) -> list[bytes]:
    """The pages as PDF bytes in two parts of about equal work, the second drawn in a forked child
    while this process draws the first. The parts are the same however they are drawn, so the
    joined file is too."""
    from .parallel import Background

    n = len(doc.pages)
    for i, page in enumerate(doc.pages, start=1):
        page.draw_footer(footer_left, page_label(i, n))
    cut = _balanced_cut([_cost(p) for p in doc.pages])
    parts = [doc.pages[:cut], doc.pages[cut:]]
    if not parts[1]:
        return [_pdf_bytes(parts[0], metadata)]
    second = Background(_pdf_bytes, parts[1], metadata)
    first = _pdf_bytes(parts[0], metadata)
    return [first, second.get()]


def _pdf_bytes(pages: list[Page], metadata: dict) -> bytes:
    from io import BytesIO

    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.text import Text

    buf = BytesIO()
    with matplotlib.rc_context(rc_params()), PdfPages(buf, metadata=metadata) as pdf:
        for page in pages:
            for ax in page.fig.axes:  # the page's own texts get these features when they are made
                for artist in ax.findobj(Text):
                    artist.set_fontfeatures(NO_LIGATURES)
            pdf.savefig(page.fig)
    return buf.getvalue()


def _cost(page: Page) -> float:
    """Rough drawing time of a page in ms (measured here): 1.3 per line of text, 0.04 per character,
    about 80 per chart (ticks, labels, bands) and 80 per page."""
    texts = page.fig.texts
    return 80.0 + 1.3 * len(texts) + 0.04 * sum(len(t.get_text()) for t in texts) + 80.0 * len(page.fig.axes)


def _balanced_cut(costs: list[float]) -> int:
    """Index splitting ``costs`` into two runs of nearly equal sums (the second one non-empty if possible)."""
    if len(costs) < 2:
        return len(costs)
    total, run = sum(costs), 0.0
    best, best_gap = 1, float("inf")
    for k in range(1, len(costs)):
        run += costs[k - 1]
        gap = abs(total - 2 * run)
        if gap < best_gap:
            best, best_gap = k, gap
    return best
