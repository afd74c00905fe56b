"""A CJK font for matplotlib from the mplfonts package (Noto Sans CJK SC, SIL OFL): no download."""

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
