"""The report's charts as matplotlib figures, drawn from the run folder's tables (never from members).

Each function returns a Figure sized for the A4 text width; :meth:`Document.figure` saves it as SVG
(vector, glyphs as paths) so the PDF stays sharp at any zoom.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..fonts import use_cjk_font
from ..indicators import INDICATORS
from ..plots import BAND, draw_fan
from ..quantity import value_at
from . import text as tx

WIDTH = 6.8  # inches: the text width of an A4 page with 50 pt margins is 6.875 in
ACCENT = "#1f4e79"
MUTED = "#5f6368"


def rc_params(lang: str) -> dict:
    """Matplotlib settings for the report's charts: local fonts, CJK first in Chinese, stable SVG ids."""
    cjk = use_cjk_font() or "DejaVu Sans"
    family = [cjk, "DejaVu Sans"] if lang == "zh" else ["DejaVu Sans", cjk]
    return {"font.family": family, "font.sans-serif": family, "axes.unicode_minus": False, "svg.hashsalt": "innosd",
            "svg.fonttype": "path", "axes.titlesize": 8, "axes.labelsize": 7, "xtick.labelsize": 6.5,
            "ytick.labelsize": 6.5, "legend.fontsize": 6.5, "axes.edgecolor": "#888888", "axes.linewidth": 0.6}


def fan(ctx, indicator: str):
    """The fan chart of one targeted indicator, with every target on it and the legend below in full."""
    import matplotlib.pyplot as plt

    lang = ctx.lang
    bands = ctx.run.bands(indicator)
    fig, ax = plt.subplots(figsize=(WIDTH, 3.6))
    rows = ctx.table[ctx.table.indicator == indicator]
    level = [(int(r.year), float(r.goal), r.id) for r in rows.itertuples() if not tx.is_set(r.change_since)]
    keys = {src: ctx.source_keys.get(src, "") for src in ctx.observed.source.unique()}
    draw_fan(ax, bands, ctx.history(indicator), level, lang, ctx.plan_period, source_labels=keys,
             spread=bool((bands.q95 > bands.q05).any()))
    for r in rows.itertuples():
        if not tx.is_set(r.change_since):
            continue
        since = int(float(r.change_since))
        base = float(value_at(bands.year.to_numpy(float), bands["median"].to_numpy(float), since))
        goal = base + r.goal if r.comparison == ">=" else base - r.goal
        ax.scatter([r.year], [goal], marker="*", s=150, color="tab:red", zorder=6,
                   label=tx.t("fans_change_marker", lang, id=r.id, since=since, value=tx.fmt_num(r.goal)))
        ax.plot([since, r.year], [base, goal], color="tab:red", lw=0.8, ls=":")
    ax.set_title(tx.indicator_label(indicator, lang), fontsize=9)
    ax.set_ylabel(tx.unit_label(INDICATORS[indicator].unit, lang), fontsize=7)
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(4, len(labels)), frameon=False, fontsize=6.5)
    rows_of_legend = -(-len(labels) // 4)
    fig.tight_layout(rect=(0, 0.06 * rows_of_legend + 0.02, 1, 1))
    return fig


def fit_grid(ctx, indicators: list[str], end: int):
    """Observations against the model's median and 50%/90% bands up to ``end``, three panels a row."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    lang = ctx.lang
    nrows = -(-len(indicators) // 3)
    fig, axes = plt.subplots(nrows, 3, figsize=(WIDTH, 1.9 * nrows), squeeze=False)
    for ax, ind in zip(axes.flat, indicators, strict=False):  # spare axes are switched off
        b = ctx.run.bands(ind)
        b = b[b.year <= end + 1e-9]
        ax.fill_between(b.year, b.q05, b.q95, color=BAND, alpha=0.18, lw=0)
        ax.fill_between(b.year, b.q25, b.q75, color=BAND, alpha=0.35, lw=0)
        ax.plot(b.year, b["median"], color=BAND, lw=1.4)
        hist = ctx.history(ind)
        actual, other = hist[hist.kind == "actual"], hist[hist.kind != "actual"]
        ax.scatter(actual.year, actual.value, s=12, color="black", zorder=5)
        ax.scatter(other.year, other.value, s=12, facecolor="white", edgecolor="black", zorder=5)
        lo = min([float(b.year.min()) if len(b) else end] + list(hist.year))
        ax.set_xlim(lo - 0.5, end + 0.5)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        ax.set_title(tx.indicator_label(ind, lang, short=True), fontsize=7)
        ax.set_ylabel(tx.unit_label(INDICATORS[ind].unit, lang), fontsize=6)
        ax.tick_params(labelsize=5.5)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(indicators):]:
        ax.set_axis_off()
    _margins(fig, nrows, 3, left=0.6, right=0.1, gap=0.6)
    return fig


def lever_grid(ctx, levers: pd.DataFrame, names: list[str]):
    """Each lever's path in this scenario against the model's default, with its declared band; two a row."""
    import matplotlib.pyplot as plt

    lang = ctx.lang
    nrows = -(-len(names) // 2)
    fig, axes = plt.subplots(nrows, 2, figsize=(WIDTH, 1.9 * nrows), squeeze=False)
    for ax, name in zip(axes.flat, names, strict=False):
        d = levers[levers.lever == name].sort_values("year")
        ax.plot(d.year, d["default"], color="0.45", lw=1.1, ls="--", label=tx.t("lever_default", lang))
        scen = d.dropna(subset=["scenario"])
        if len(scen):
            ax.plot(scen.year, scen.scenario, color=ACCENT, lw=1.5, label=tx.t("lever_scenario", lang))
        band = d.dropna(subset=["low", "high"])
        if len(band):
            ax.fill_between(band.year, band.low, band.high, color=ACCENT, alpha=0.18, lw=0,
                            label=tx.t("lever_band", lang))
        label, unit = tx.lever_label(name, lang)
        ax.set_title(label, fontsize=7, color=ACCENT if len(scen) else "black")
        ax.set_ylabel(unit, fontsize=6)
        ax.tick_params(labelsize=5.5)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=5.5, frameon=False, loc="best")
    for ax in list(axes.flat)[len(names):]:
        ax.set_axis_off()
    _margins(fig, nrows, 2, left=0.6, right=0.1, gap=0.7)
    return fig


def driver_grid(panels: list[dict]):
    """Horizontal bars of each target's main drivers (two panels a row), largest at the top.

    ``panels`` holds dicts with title, subtitle, names, values, errors (or None), signed, xlabel, message.
    """
    import matplotlib.pyplot as plt
    from matplotlib.transforms import blended_transform_factory

    nrows = -(-len(panels) // 2)
    fig, axes = plt.subplots(nrows, 2, figsize=(WIDTH, 2.5 * nrows), squeeze=False)
    for ax, p in zip(axes.flat, panels, strict=False):
        ax.set_title(f"{p['title']}\n{p['subtitle']}", fontsize=7)
        if not p["names"]:
            ax.set_axis_off()
            ax.text(0.5, 0.5, p["message"], ha="center", va="center", fontsize=7, color=MUTED, transform=ax.transAxes)
            continue
        values = p["values"]
        ypos = np.arange(len(values))[::-1]
        colors = ["#c55a11" if v < 0 else ACCENT for v in values] if p["signed"] else [ACCENT] * len(values)
        ax.barh(ypos, values, color=colors, height=0.6, xerr=p["errors"] or None,
                error_kw={"lw": 0.6, "capsize": 1.5, "ecolor": "0.3"})
        ax.set_yticks(ypos)
        ax.set_yticklabels(p["names"], fontsize=5.5)
        ax.axvline(0, color="0.3", lw=0.6)
        if p["signed"]:
            ax.set_xlim(-1.05, 1.05)
        ax.set_xlabel(p["xlabel"], fontsize=6)
        ax.tick_params(axis="x", labelsize=5.5)
        ax.grid(axis="x", alpha=0.3)
        where = blended_transform_factory(ax.transAxes, ax.transData)
        for y, v in zip(ypos, values, strict=True):
            ax.text(1.02, y, f"{v:.2f}" if abs(v) < 10 else tx.fmt_num(v), transform=where, va="center", ha="left",
                    fontsize=5.5, color=MUTED)
    for ax in list(axes.flat)[len(panels):]:
        ax.set_axis_off()
    _margins(fig, nrows, 2, left=1.75, right=0.35, gap=2.1, vgap=0.8)
    return fig


def _margins(fig, nrows: int, ncols: int, left: float, right: float, gap: float, vgap: float = 0.6) -> None:
    """Fixed margins and gaps in inches (cheaper than tight_layout, which measures every label).

    ``left`` leaves room for the y tick labels, ``gap`` between columns (the next panel's tick labels),
    ``vgap`` between rows (x tick labels and the next title).
    """
    width, height = fig.get_size_inches()
    top, bottom = 0.35, 0.32
    axes_w = (width - left - right - (ncols - 1) * gap) / ncols
    axes_h = (height - top - bottom - (nrows - 1) * vgap) / nrows
    fig.subplots_adjust(left=left / width, right=1 - right / width, top=1 - top / height, bottom=bottom / height,
                        wspace=gap / axes_w, hspace=vgap / axes_h)


def prior_dots(ctx, rows: pd.DataFrame, on_track: float, off_track: float):
    """P(met) of each target now and with the priors widened and narrowed, ±2 standard errors, on the verdict bands.

    ``rows`` are forecast rows of ``prior_sensitivity.csv`` (one per target, top to bottom in table order).
    """
    import matplotlib.pyplot as plt

    lang = ctx.lang
    fig, ax = plt.subplots(figsize=(WIDTH, 0.36 * len(rows) + 1.0))
    for lo, hi, color in ((0, off_track, "#f4cccc"), (off_track, on_track, "#fde9c4"), (on_track, 1, "#d9ead3")):
        ax.axvspan(lo, hi, color=color, lw=0, zorder=0)
    y = np.arange(len(rows))[::-1]
    styles = (("wider", -0.18, dict(marker="o", mfc="white", mec=ACCENT), "pri_wider"),
              ("narrower", 0.18, dict(marker="s", mfc="white", mec=ACCENT), "pri_narrower"))
    for key, dy, style, label in styles:
        p = rows[f"p_met_prior_{key}"].astype(float).to_numpy()
        se = rows.get(f"p_met_prior_{key}_se", pd.Series(np.nan, index=rows.index)).astype(float).fillna(0).to_numpy()
        ax.errorbar(p, y + dy, xerr=2 * se, fmt="none", ecolor=ACCENT, elinewidth=0.8, capsize=1.5, zorder=2)
        ax.plot(p, y + dy, ls="none", ms=5, zorder=3, label=tx.t(label, lang), **style)
    p = rows.p_met.astype(float).to_numpy()
    se = rows.get("p_met_se", pd.Series(np.nan, index=rows.index)).astype(float).fillna(0).to_numpy()
    ax.errorbar(p, y, xerr=2 * se, fmt="o", color="black", ms=4.5, elinewidth=0.8, capsize=1.5, zorder=4,
                label=tx.t("pri_now", lang))
    ax.set_yticks(y, [f"{r.id}\n{tx.indicator_label(r.indicator, lang)}" for r in rows.itertuples()], fontsize=6)
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_xlabel(tx.t("tbl_p", lang), fontsize=7)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False, fontsize=6.5)
    fig.tight_layout()
    return fig


def backtest(observations: pd.DataFrame, summary: pd.DataFrame, lang: str):
    """The backtest's chart at the text width (:func:`innosd.calibration.scores.chart`, also ``innosd backtest``'s)."""
    from ..calibration.scores import chart

    return chart(observations, summary, lang, width=WIDTH)
