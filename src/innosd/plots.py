"""Charts: the fan chart of an indicator, and the front of costed portfolios.

The fan chart shows the median, 50% and 90% bands, observations and targets; :func:`front_chart`
draws ``innosd optimise``'s front from its result tables.

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


#: Words of the chart of a portfolio front (innosd optimise) in each language.
FRONT_WORDS = {
    "zh": {"x": "新增投入（亿元，决策年至目标年合计）", "y": "各预测目标达成概率的最小值", "front": "帕累托前沿",
           "chosen": "达成全部目标的最低成本组合", "line": "置信度 {c:g}", "sat": "全部目标同时达成的情景比例",
           "title": "政策组合：成本与达成概率", "costs": "单位成本（亿元/单位/年；依据与出处见 costs.csv）：",
           "basis": {"document": "文件", "statistic": "统计", "assumption": "假设"}},
    "en": {"x": "extra cost (亿元, decision year to target year)", "y": "lowest P(met) over the forecast targets",
           "front": "Pareto front", "chosen": "cheapest portfolio meeting every target",
           "line": "confidence {c:g}", "sat": "share of futures meeting every target",
           "title": "Policy portfolios: cost against P(met)",
           "costs": "Cost per unit and year, 亿元 (basis and source in costs.csv): ",
           "basis": {"document": "document", "statistic": "statistic", "assumption": "assumption"}},
}


def front_chart(front: pd.DataFrame, robust: pd.DataFrame, confidence: float, lang: str = "zh",
                costs: pd.DataFrame | None = None):
    """The front (pareto.csv rows) as a step line with points, coloured by satisficing; returns the Figure.

    Parameters
    ----------
    front : pandas.DataFrame
        pareto.csv: ``portfolio``, ``cost``, ``min_p_met``.
    robust : pandas.DataFrame
        robustness.csv: ``portfolio``, ``satisficing``, ``chosen``.
    confidence : float
        Drawn as a horizontal line.
    lang : {"zh", "en"}
    costs : pandas.DataFrame, optional
        costs.csv: the optimised levers' cost per unit and year and basis, printed under the chart.
    """
    use_cjk_font()
    w = FRONT_WORDS[lang]
    df = front.merge(robust[["portfolio", "satisficing", "chosen"]], on="portfolio", how="left")
    fig, ax = plt.subplots(figsize=(7.5, 4.5))
    ax.step(df["cost"], df["min_p_met"], where="post", color="0.6", lw=1, zorder=1)
    sc = ax.scatter(df["cost"], df["min_p_met"], c=df["satisficing"], cmap="viridis", vmin=0, vmax=1, s=30,
                    zorder=2, label=w["front"])
    fig.colorbar(sc, ax=ax, label=w["sat"])
    ax.axhline(confidence, color="tab:red", lw=0.8, ls="--", label=w["line"].format(c=confidence))
    chosen = df[df["chosen"].fillna(False).astype(bool)]
    if len(chosen):
        ax.scatter(chosen["cost"], chosen["min_p_met"], s=160, facecolors="none", edgecolors="tab:red", lw=1.5,
                   zorder=3, label=w["chosen"])
    for r in df.iloc[:: max(1, len(df) // 12)].itertuples():
        ax.annotate(r.portfolio, (r.cost, r.min_p_met), fontsize=6.5, xytext=(3, -9), textcoords="offset points")
    ax.set_xlabel(w["x"])
    ax.set_ylabel(w["y"])
    ax.set_ylim(-0.02, 1.02)
    ax.set_title(w["title"], fontsize=11)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="lower right", frameon=False)
    if costs is not None:
        from .indicators import label

        rows = costs[costs["optimised"].astype(bool)]
        items = [f"{label(r.lever, lang)} {r.cost_per_unit:g} ({w['basis'][r.basis]})" for r in rows.itertuples()]
        half = (len(items) + 1) // 2
        note = w["costs"] + "; ".join(items[:half]) + ("\n" + "; ".join(items[half:]) if items[half:] else "")
        fig.text(0.01, 0.01, note, fontsize=6.5, va="bottom", ha="left", color="0.3")
        fig.tight_layout(rect=(0, 0.07, 1, 1))
    else:
        fig.tight_layout()
    return fig
