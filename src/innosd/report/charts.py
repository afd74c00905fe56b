"""The report's charts, each drawn into an Axes it is given (the page decides where)."""

from __future__ import annotations

import numpy as np

from ..indicators import INDICATORS
from ..levers import default_grid
from ..observed import history
from ..plots import fan_chart
from . import text as tx
from .layout import ACCENT, MUTED

BAND = "tab:blue"


def target_fan(ax, ctx, indicator: str) -> None:
    """The package's fan chart of ``indicator``, with change-since targets marked on their base year's median
    and the x axis widened to show every observation."""
    result, sc, lang = ctx.result, ctx.scenario, ctx.lang
    fan_chart(result, indicator, sc.targets, ax=ax, lang=lang, plan_period=ctx.plan_period)
    med = np.median(result.data[indicator], axis=0)
    for t in sc.targets:
        if t.indicator != indicator or t.change_since is None:
            continue
        base = float(np.interp(t.change_since, result.time, med))
        goal = base + t.value if t.comparison == ">=" else base - t.value
        ax.scatter([t.year], [goal], marker="*", s=150, color="tab:red", zorder=6,
                   label=tx.t("fans_change_marker", lang, id=t.id, since=t.change_since, value=tx.fmt_num(t.value)))
        ax.plot([t.change_since, t.year], [base, goal], color="tab:red", lw=0.8, ls=":")
    hist = history(sc.region, indicator)
    lo = min([result.time[0]] + list(hist.year))
    ax.set_xlim(lo - 0.5, result.time[-1] + 0.5)
    ax.set_title(tx.indicator_label(indicator, lang), fontsize=9.5)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=6, loc="upper left", frameon=False)


def fit_plot(ax, result, indicator: str, lang: str, end: int) -> None:
    """Observations against the model's median and 50%/90% bands up to ``end``."""
    t = result.time
    keep = t <= end + 1e-9
    y = result.data[indicator][:, keep]
    tt = t[keep]
    if y.shape[0] > 1:
        q = np.quantile(y, [0.05, 0.25, 0.75, 0.95], axis=0)
        ax.fill_between(tt, q[0], q[3], color=BAND, alpha=0.18, lw=0)
        ax.fill_between(tt, q[1], q[2], color=BAND, alpha=0.35, lw=0)
    ax.plot(tt, np.median(y, axis=0), color=BAND, lw=1.5)
    hist = history(result.scenario.region, indicator)
    actual = hist[hist.kind == "actual"]
    other = hist[hist.kind != "actual"]
    ax.scatter(actual.year, actual.value, s=14, color="black", zorder=5)
    ax.scatter(other.year, other.value, s=14, facecolor="white", edgecolor="black", zorder=5)
    lo = min([t[0]] + list(hist.year))
    ax.set_xlim(lo - 0.5, end + 0.5)
    ax.xaxis.set_major_locator(_years_locator())
    ind = INDICATORS[indicator]
    # one Text per line: matplotlib passes font features (no ligatures) only to single-line texts
    ax.set_title(tx.indicator_label(indicator, lang, short=True), fontsize=7.5, pad=8 if lang == "zh" else 4)
    if lang == "zh":
        ax.text(0.5, 1.01, ind.en, transform=ax.transAxes, ha="center", va="bottom", fontsize=5.8, color=MUTED)
    ax.set_ylabel(ind.unit, fontsize=6.5)
    ax.tick_params(labelsize=6)
    ax.grid(alpha=0.3)


def lever_plot(ax, ctx, name: str) -> None:
    """A lever's path in this scenario against the model's default path, with its declared uncertainty."""
    sc, lang = ctx.scenario, ctx.lang
    x = default_grid(sc.start, sc.end)
    dx, dy = ctx.model.lookups[name]
    base = np.interp(x, np.asarray(dx, float), np.asarray(dy, float))
    cal = 0.0  # lever tables are in calendar years (see innosd.levers)
    ax.plot(x + cal, base, color="0.45", lw=1.2, ls="--", label=tx.t("lever_default", lang))
    lever = sc.levers.get(name)
    if lever is not None:
        ax.plot(lever.x + cal, lever.y, color=ACCENT, lw=1.6, label=tx.t("lever_scenario", lang))
        if lever.uncertainty:
            kind, lo, hi = lever.uncertainty
            acting = lever.x >= lever.acts_from
            y = lever.y[acting]
            low, high = (y + lo, y + hi) if kind == "shift" else (y * lo, y * hi)
            if lever.limits:
                low, high = np.clip(low, *lever.limits), np.clip(high, *lever.limits)
            ax.fill_between(lever.x[acting] + cal, low, high, color=ACCENT, alpha=0.18, lw=0)
    label, unit = tx.lever_label(name, lang)
    ax.set_title(label, fontsize=7.5, color=ACCENT if lever is not None else "black")
    ax.set_ylabel(unit, fontsize=6.5)
    ax.tick_params(labelsize=6)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=6, frameon=False, loc="best")


def titled(ax, title: str, subtitle: str = "") -> None:
    """A title with an optional smaller line above it (two single-line texts: see fit_plot)."""
    ax.set_title(title, fontsize=7.5, pad=9 if subtitle else 4)
    if subtitle:
        ax.text(0.5, 1.01, subtitle, transform=ax.transAxes, ha="center", va="bottom", fontsize=5.8, color=MUTED)


def driver_bars(ax, names: list[str], values: list[float], title: str, xlabel: str,
                signed: bool = True, errors: list[float] | None = None, subtitle: str = "") -> None:
    """Horizontal bars of the main drivers, largest at the top, values printed right of the axes."""
    from matplotlib.transforms import blended_transform_factory

    n = len(names)
    ypos = np.arange(n)[::-1]
    colors = ["#c55a11" if v < 0 else ACCENT for v in values] if signed else [ACCENT] * n
    ax.barh(ypos, values, color=colors, height=0.6, xerr=errors if errors else None,
            error_kw={"lw": 0.6, "capsize": 1.5, "ecolor": "0.3"})
    ax.set_yticks(ypos)
    ax.set_yticklabels(names, fontsize=6)
    ax.axvline(0, color="0.3", lw=0.6)
    if signed:
        ax.set_xlim(-1.05, 1.05)
    titled(ax, title, subtitle)
    ax.set_xlabel(xlabel, fontsize=6.5)
    ax.tick_params(axis="x", labelsize=6)
    ax.grid(axis="x", alpha=0.3)
    where = blended_transform_factory(ax.transAxes, ax.transData)
    for y, v in zip(ypos, values):
        ax.text(1.02, y, f"{v:.2f}" if abs(v) < 10 else tx.fmt_num(v), transform=where, va="center", ha="left", fontsize=5.8, color=MUTED)


def empty_panel(ax, title: str, message: str, subtitle: str = "") -> None:
    ax.set_axis_off()
    titled(ax, title, subtitle)
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=7, color=MUTED, transform=ax.transAxes)


def _years_locator():
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(nbins=5, integer=True)
