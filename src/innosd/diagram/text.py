"""Label geometry shared by the layout and the drawing: one font, one size, one wrapping rule.

Sizes are in sketch units (Vensim's pixels), which the drawing maps 1:1 onto typographic
points, so a label measured here is exactly the label drawn. The font is Noto Sans CJK SC
from the ``mplfonts`` package (Latin and Chinese in one face; nothing is downloaded).
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Font size of variable names, in sketch units (= points in the drawing).
FONT_SIZE = 10.0
#: Distance between the baselines of two wrapped lines.
LINE_HEIGHT = 13.0
#: Widest a wrapped English / Chinese label may be before it wraps.
WRAP_WIDTH = {"en": 104.0, "zh": 84.0}

_TOKEN = re.compile(r"[A-Za-z0-9_.,%&'/+<>()\-]+|\s+|.")


@lru_cache(maxsize=1)
def _font():
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    from ..fonts import cjk_font_file

    file = cjk_font_file()
    prop = FontProperties(fname=str(file), size=FONT_SIZE) if file else FontProperties(size=FONT_SIZE)
    return TextToPath(), prop


@lru_cache(maxsize=4096)
def text_width(text: str, size: float = FONT_SIZE) -> float:
    """Advance width of ``text`` in sketch units at font size ``size``.

    Parameters
    ----------
    text : str
        One line of text.
    size : float
        Font size in points (= sketch units).

    Returns
    -------
    float
        Width in sketch units.
    """
    if not text:
        return 0.0
    conv, prop = _font()
    width = conv.get_text_width_height_descent(text, prop, ismath=False)[0]
    return width * size / FONT_SIZE


def wrap(text: str, width: float, size: float = FONT_SIZE) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` (sketch units), as evenly long as possible.

    As few lines as greedy wrapping needs, at font size ``size`` (points).

    Lines break at blanks, and between Chinese characters; a single word wider than ``width``
    stays whole on its own line.

    Returns
    -------
    list of str
        The lines, at least one.
    """
    lines = _greedy(text, width, size)
    if len(lines) < 2:
        return lines
    lo, hi = max(text_width(t, size) for t in _TOKEN.findall(text) if not t.isspace()), width
    for _ in range(10):                      # the narrowest width that still needs no more lines
        mid = (lo + hi) / 2
        if len(_greedy(text, mid, size)) <= len(lines):
            hi = mid
        else:
            lo = mid
    return _greedy(text, hi, size)


def _greedy(text: str, width: float, size: float) -> list[str]:
    tokens = _TOKEN.findall(text.strip())
    lines, cur = [], ""
    for tok in tokens:
        if tok.isspace():
            if cur:
                cur += " "
            continue
        trial = cur + tok
        if cur and text_width(trial.rstrip(), size) > width:
            lines.append(cur.rstrip())
            cur = tok
        else:
            cur = trial
    if cur.strip() or not lines:
        lines.append(cur.strip())
    return lines


def label_size(text: str, lang: str = "en", width: float | None = None, size: float = FONT_SIZE
               ) -> tuple[float, float]:
    """(width, height) of ``text`` wrapped for language ``lang``, in sketch units.

    Parameters
    ----------
    text : str
        The label.
    lang : {"en", "zh"}
        Chooses the wrapping width (:data:`WRAP_WIDTH`) unless ``width`` is given.
    width : float, optional
        Wrap at this width instead.
    size : float
        Font size.
    """
    lines = wrap(text, width or WRAP_WIDTH[lang], size)
    return max(text_width(s, size) for s in lines), len(lines) * LINE_HEIGHT * size / FONT_SIZE
