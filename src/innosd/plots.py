"""Charts: the fan chart of an indicator (median, 50% and 90% bands, observations, targets).

:func:`draw_fan` draws from quantile bands (what ``trajectories.csv`` holds), so the run's PNG
charts, the notebooks and the PDF report draw the same chart from the same numbers;
:func:`fan_chart` computes the bands of an ensemble first.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - after the backend is chosen
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from .fonts import use_cjk_font  # noqa: E402
from .indicators import INDICATORS  # noqa: E402
from .observed import history  # noqa: E402

MARKERS = "osD^vP*X"
BAND = "tab:blue"
#: Legend words of the fan chart in each language.
WORDS = {
    "en": {"plan": "plan period", "median": "median", "90": "90% interval", "50": "50% interval",
           "target": "target {id}", "observed": "observed ({source})"},
    "zh": {"plan": "规划期", "median": "中位数", "90": "90% 区间", "50": "50% 区间",
           "target": "目标 {id}", "observed": "观测值({source})"},
}


def bands_of(time, values) -> pd.DataFrame:
    """Quantile bands of trajectories (n, T) at times (T,): columns year, q05, q25, median, q75, q95."""
    q = np.quantile(np.asarray(values, float), [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    return pd.DataFrame({"year": np.asarray(time, float), "q05": q[0], "q25": q[1], "median": q[2],
                         "q75": q[3], "q95": q[4]})


def draw_fan(ax, bands: pd.DataFrame, observed: pd.DataFrame, goals=(), lang: str = "en", plan_period=None,
             source_labels: dict | None = None, spread: bool = True) -> None:
    """Draw a fan chart into ``ax``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    bands : pandas.DataFrame
        Columns year, q05, q25, median, q75, q95 (the indicator's unit).
    observed : pandas.DataFrame
        Observations with columns year, value, source (drawn as black points, one marker per source).
    goals : iterable of (year, value, id)
        Target levels, drawn as a red star and a dashed line.
    lang : {"en", "zh"}
        Language of the legend entries.
    plan_period : (int, int), optional
        Years shaded grey.
    source_labels : dict, optional
        Source -> the name shown in the legend (default: the source as written, cut to 40 characters).
    spread : bool
        Draw the 50% and 90% bands (False for a single member).
    """
    words = WORDS[lang]
    t = bands["year"].to_numpy(float)
    if plan_period:
        ax.axvspan(*plan_period, color="0.93", zorder=0, label=words["plan"])
    if spread:
        ax.fill_between(t, bands.q05, bands.q95, color=BAND, alpha=0.18, lw=0, label=words["90"])
        ax.fill_between(t, bands.q25, bands.q75, color=BAND, alpha=0.35, lw=0, label=words["50"])
    ax.plot(t, bands["median"], color=BAND, lw=2, label=words["median"])
    for i, (src, rows) in enumerate(observed.groupby("source", sort=False)):
        name = (source_labels or {}).get(src) or (src if len(src) <= 40 else src[:37] + "...")
        ax.scatter(rows.year, rows.value, marker=MARKERS[i % len(MARKERS)], color="black", zorder=5, s=24,
                   label=words["observed"].format(source=name))
    for year, value, tid in goals:
        ax.scatter([year], [value], marker="*", s=160, color="tab:red", zorder=6, label=words["target"].format(id=tid))
        ax.axhline(value, color="tab:red", lw=0.8, ls="--")
    first = min([t[0]] + list(observed.year))
    ax.set_xlim(first - 0.5, t[-1] + 0.5)
    ax.grid(alpha=0.3)


def fan_chart(result, indicator: str, targets=(), ax=None, lang: str = "en", plan_period=None):
    """Fan chart of ``indicator`` over an ensemble, with its observations and level targets.

    Parameters
    ----------
    result : EnsembleResult
        The ensemble; ``result.data[indicator]`` is (n, T).
    indicator : str
        An indicator name of :data:`innosd.indicators.INDICATORS`.
    targets : iterable of Target
        Targets; those on ``indicator`` without ``change_since`` are drawn.
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new 7 x 4 inch figure).
    lang : {"en", "zh"}
        Language of the title and legend.
    plan_period : (int, int), optional
        Years shaded grey.

    Returns
    -------
    matplotlib.figure.Figure
    """
    use_cjk_font()
    ind = INDICATORS[indicator]
    own = ax is None
    fig, ax = (plt.subplots(figsize=(7, 4)) if own else (ax.figure, ax))
    y = result.data[indicator]
    goals = [(tg.year, tg.value, tg.id) for tg in targets if tg.indicator == indicator and tg.change_since is None]
    draw_fan(ax, bands_of(result.time, y), history(result.scenario.region, indicator), goals, lang, plan_period,
             spread=y.shape[0] > 1)
    ax.set_title(f"{ind.zh} {ind.en}" if lang == "zh" else f"{ind.en} ({ind.zh})", fontsize=11)
    ax.set_ylabel(ind.unit)
    ax.legend(fontsize=6.5, loc="upper left", frameon=False)
    if own:
        fig.tight_layout()
    return fig
