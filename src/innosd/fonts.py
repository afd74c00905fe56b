"""Fonts shipped with the installed packages: Noto Sans CJK SC (mplfonts, SIL OFL) and DejaVu (matplotlib).

Nothing is downloaded: matplotlib and the report's typesetter read these local files only.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def cjk_font_file() -> Path | None:
    """The Noto Sans CJK SC font file shipped by mplfonts (None when mplfonts is missing)."""
    try:
        import mplfonts
    except ImportError:
        return None
    root = Path(mplfonts.__file__).parent / "fonts"
    files = sorted(root.glob("NotoSansCJKsc-Regular.*")) + sorted(root.glob("NotoSansMonoCJKsc-Regular.*"))
    return files[0] if files else None


@lru_cache(maxsize=1)
def use_cjk_font() -> str | None:
    """Register Noto Sans CJK SC shipped by mplfonts and make it the default; returns its family name."""
    import matplotlib
    from matplotlib import font_manager

    file = cjk_font_file()
    if file is None:
        return None
    font_manager.fontManager.addfont(str(file))
    family = font_manager.FontProperties(fname=str(file)).get_name()
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [family, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return family


#: Font files the PDF report is typeset with: (package, file name relative to its font folder).
REPORT_FONTS = (
    ("mplfonts", "fonts/NotoSansCJKsc-Regular.otf"),
    ("mplfonts", "fonts/NotoSansMonoCJKsc-Regular.otf"),
    ("matplotlib", "mpl-data/fonts/ttf/DejaVuSans.ttf"),
    ("matplotlib", "mpl-data/fonts/ttf/DejaVuSansMono.ttf"),
)


def report_fonts() -> list[Path]:
    """Paths of the report's font files that are installed (Noto Sans CJK SC and DejaVu).

    Returns
    -------
    list of pathlib.Path
        Local files only; a package that is missing contributes nothing.
    """
    import importlib

    out = []
    for package, rel in REPORT_FONTS:
        try:
            root = Path(importlib.import_module(package).__file__).parent
        except ImportError:
            continue
        if (root / rel).is_file():
            out.append(root / rel)
    return out
