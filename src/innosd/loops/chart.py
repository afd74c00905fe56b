"""The loop-dominance chart: relative loop scores over time, one panel per targeted indicator."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Loops drawn per panel (the strongest over the horizon); the rest are summed as "other loops".
SHOWN = 4
_LABELS = {
    "zh": {"reinforcing": "增强", "balancing": "调节", "undetermined": "未定", "other": "其他回路",
           "title": "回路主导:相对回路得分(Loops That Matter,成员中位数)", "y": "相对回路得分",
           "none": "无反馈回路(仅由政策杠杆决定)"},
    "en": {"reinforcing": "reinforcing", "balancing": "balancing", "undetermined": "undetermined",
           "other": "other loops", "title": "Loop dominance: relative loop scores (Loops That Matter, member median)",
           "y": "relative loop score", "none": "no feedback loop (set by levers alone)"},
}


def loop_chart(result, structure: str = "all", lang: str = "zh"):
    """The chart of a :class:`~innosd.loops.dominance.LoopDominance` (see :func:`loop_chart_from_table`)."""
    return loop_chart_from_table(result.table, result.indicators, structure, lang)


def loop_chart_from_table(table: pd.DataFrame, indicators, structure: str = "all", lang: str = "zh"):
    """Stacked relative loop scores per year for each targeted indicator; returns the matplotlib Figure.

    Reinforcing loops above zero, balancing below, the dominant loop of each year marked.

    Parameters
    ----------
    table : pandas.DataFrame
        loops.csv (columns :data:`innosd.loops.table.COLUMNS`).
    indicators : list of str
        The targeted indicators, in order; those without rows are named below the panels (no loop drives them).
    structure : str
        ``all`` (every member) or a structure's name.
    lang : {"zh", "en"}
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..fonts import use_cjk_font
    from ..indicators import INDICATORS

    use_cjk_font()
    tx = _LABELS[lang]
    table = table[table.structure == structure]
    without = [i for i in indicators if not (table.indicator == i).any()]
    inds = [i for i in indicators if i not in without] or list(indicators)[:1]
    cols = 2 if len(inds) > 1 else 1
    rows = int(np.ceil(len(inds) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(6.2 * cols, 3.0 * rows), squeeze=False)
    for ax, ind in zip(axes.flat, inds, strict=False):
        name = INDICATORS[ind].zh if (lang == "zh" and ind in INDICATORS) else (
            INDICATORS[ind].en if ind in INDICATORS else ind)
        ax.set_title(name, fontsize=9)
        g = table[table.indicator == ind]
        if g.empty:
            ax.text(0.5, 0.5, tx["none"], ha="center", va="center", fontsize=8, transform=ax.transAxes)
            ax.set_axis_off()
            continue
        _panel(ax, g, tx)
    for ax in list(axes.flat)[len(inds):]:
        ax.set_axis_off()
    fig.suptitle(tx["title"] + ("" if structure == "all" else f" — {structure}"), fontsize=10)
    if without:
        names = [INDICATORS[i].zh if (lang == "zh" and i in INDICATORS) else i for i in without]
        sep = ("、" if lang == "zh" else ", ")
        fig.text(0.01, 0.005, tx["none"] + (":" if lang == "zh" else ": ") + sep.join(names), fontsize=6.5,
                 color="0.35")
    fig.tight_layout(rect=(0, 0.03 if without else 0, 1, 1))
    return fig


def _panel(ax, g: pd.DataFrame, tx: dict) -> None:
    years = np.array(sorted(g.year.unique()))
    strength = g.groupby("loop").relative_score.apply(lambda s: s.abs().sum()).sort_values(ascending=False)
    shown = list(strength.index[:SHOWN])
    wide = g.pivot_table(index="year", columns="loop", values="relative_score", aggfunc="first").reindex(years)
    wide = wide.fillna(0.0)
    polarity = g.drop_duplicates("loop").set_index("loop").polarity
    other = wide.drop(columns=shown, errors="ignore").sum(axis=1)
    pos, neg = np.zeros(len(years)), np.zeros(len(years))
    cmap = {"reinforcing": ["#c0392b", "#e67e22", "#f1c40f", "#d35400"],
            "balancing": ["#2471a3", "#17a589", "#7d3c98", "#5dade2"], "undetermined": ["#7f8c8d"] * 4}
    used = {"reinforcing": 0, "balancing": 0, "undetermined": 0}
    for loop in shown:
        v = wide[loop].to_numpy(float) if loop in wide else np.zeros(len(years))
        kind = polarity.get(loop, "undetermined")
        color = cmap[kind][used[kind] % 4]
        used[kind] += 1
        base = np.where(v >= 0, pos, neg)
        ax.bar(years, v, bottom=base, width=0.8, color=color, label=f"{loop} ({tx[kind]})")
        pos, neg = pos + np.clip(v, 0, None), neg + np.clip(v, None, 0)
    o = other.to_numpy(float)
    if np.any(np.abs(o) > 1e-6):
        ax.bar(years, o, bottom=np.where(o >= 0, pos, neg), width=0.8, color="0.8", label=tx["other"])
    top = g[g["rank"] == 1].set_index("year")
    for y in years:
        if y in top.index:
            ax.text(y, 1.02, top.loc[y, "loop"], ha="center", va="bottom", fontsize=5.5, rotation=90)
    ax.axhline(0, color="black", lw=0.6)
    ax.set_ylim(-1.05, 1.3)
    ax.set_ylabel(tx["y"], fontsize=7)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=6, loc="lower left", frameon=False, ncol=2)
