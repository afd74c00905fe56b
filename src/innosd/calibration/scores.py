"""Scores of probabilistic forecasts, the backtest's summary and its chart: pure functions over arrays and tables.

Every method (the model and both baselines) is scored the same way, from draws of its predictive
distribution of the log value (:func:`score_draws`): the central 50% and 90% intervals and whether they
hold the observed value (coverage), the PIT = P(X <= y), the CRPS and the 90% interval score (Gneiting &
Raftery 2007). Log scale, so that series of different size weigh alike.

Nothing here calibrates or runs the model: ``innosd backtest`` (:mod:`.backtest`) writes the scores, and
the report draws the same chart from ``reports/backtest/scores.csv``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
QCOLS = ("q05", "q25", "q50", "q75", "q95")
METHODS = ("model", "trend", "carry_forward")
#: The columns of a summary row (per origin and method, and over all origins: origin "all").
SUMMARY_COLUMNS = ("row", "origin", "method", "n", "coverage50", "coverage90", "crps_log", "interval_score90_log",
                   "n_common", "coverage50_common", "coverage90_common", "crps_log_common",
                   "interval_score90_log_common")
#: summary column -> the observation column it is the mean of
PIT_BINS = 5  # a few dozen held-out values: five bins of the PIT

_SCORED = {"coverage50": "in50", "coverage90": "in90", "crps_log": "crps_log",
           "interval_score90_log": "interval_score90_log"}

#: The chart's words (``innosd backtest`` draws it in Chinese, the report in its language).
LABELS = {
    "model": {"zh": "模型", "en": "model"},
    "trend": {"zh": "对数线性趋势", "en": "log-linear trend"},
    "carry_forward": {"zh": "沿用上年值（随机游走）", "en": "carry-forward (random walk)"},
    "all": {"zh": "全部", "en": "all"},
    "crps": {"zh": "平均 CRPS（对数尺度，越低越好）", "en": "mean CRPS (log scale; lower is better)"},
    "origin": {"zh": "预测起点（数据截至）", "en": "forecast origin (data up to)"},
    "coverage": {"zh": "区间覆盖率（虚线：名义值）", "en": "interval coverage (dashed: nominal)"},
    "interval": {"zh": "{level}% 区间", "en": "{level}% interval"},
    "pit": {"zh": "PIT 直方图（n = {n}）", "en": "PIT histogram (n = {n})"},
    "pit_x": {"zh": "P(预测 ≤ 实际)；平坦为校准良好", "en": "P(forecast ≤ actual); flat when calibrated"},
    "share": {"zh": "占比", "en": "share"},
}


def crps_samples(draws: np.ndarray, y: np.ndarray) -> np.ndarray:
    """CRPS (m,) of predictive draws (k, m) at observations y (m,): E|X - y| - E|X - X'| / 2, from sorted draws."""
    x = np.sort(draws, axis=0)
    k = x.shape[0]
    spread = (2 * np.arange(1, k + 1) - k - 1) @ x / k ** 2        # E|X - X'| / 2
    return np.mean(np.abs(x - y[None, :]), axis=0) - spread


def interval_score(lo: np.ndarray, hi: np.ndarray, y: np.ndarray, alpha: float = 0.1) -> np.ndarray:
    """Interval score of central (1 - alpha) intervals [lo, hi] at y (lower is better)."""
    return (hi - lo) + 2 / alpha * np.clip(lo - y, 0, None) + 2 / alpha * np.clip(y - hi, 0, None)


def score_draws(draws: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    """Scores of predictive draws of log values (k, m) at observed log values y (m,).

    Returns
    -------
    dict
        Arrays (m,): ``q05``...``q95`` (the quantiles, back on the original scale), ``pit``, ``in50`` and
        ``in90`` (1 inside the interval, 0 outside), ``crps_log``, ``interval_score90_log``; all NaN for a
        column of NaN draws (no forecast).
    """
    ok = np.isfinite(draws).all(axis=0)
    out = {c: np.full(y.shape, np.nan) for c in (*QCOLS, "pit", "in50", "in90", "crps_log", "interval_score90_log")}
    if not ok.any():
        return out
    d, v = draws[:, ok], y[ok]
    q = np.quantile(d, QUANTILES, axis=0)
    for i, c in enumerate(QCOLS):
        out[c][ok] = np.exp(q[i])
    out["pit"][ok] = np.mean(d <= v[None, :], axis=0)
    out["in50"][ok] = (v >= q[1]) & (v <= q[3])
    out["in90"][ok] = (v >= q[0]) & (v <= q[4])
    out["crps_log"][ok] = crps_samples(d, v)
    out["interval_score90_log"][ok] = interval_score(q[0], q[4], v)
    return out


def _means(g: pd.DataFrame) -> dict:
    return {"n": len(g), **{c: float(g[col].astype(float).mean()) if len(g) else np.nan
                            for c, col in _SCORED.items()}}


def summarise(scores: pd.DataFrame) -> pd.DataFrame:
    """Per origin and method, and over all origins (origin ``all``): n, coverage, mean CRPS and interval score.

    Over the rows the method scores, and over the rows every method scores (``*_common``: like with like).

    Parameters
    ----------
    scores : pandas.DataFrame
        One row per origin, held-out value and method (:func:`score_draws` columns plus origin, series,
        year, method).
    """
    has = scores.crps_log.notna()
    common = has.groupby([scores.origin, scores.series, scores.year]).transform("all")
    scores = scores.assign(common=common & has)
    groups = list(scores.groupby(["origin", "method"], sort=True)) + [
        (("all", m), scores[scores.method == m]) for m in METHODS]
    rows = []
    for (origin, method), g in groups:
        mine, both = _means(g[g.crps_log.notna()]), _means(g[g.common])
        rows.append({"row": "summary", "origin": origin, "method": method, **mine,
                     **{f"{k}_common": v for k, v in both.items()}})
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def scores_table(scores: pd.DataFrame) -> pd.DataFrame:
    """The file ``scores.csv``: the observation rows (``row`` = observation), then :func:`summarise`'s rows.

    Parameters
    ----------
    scores : pandas.DataFrame
        One row per origin, held-out value and method.
    """
    table = pd.concat([scores.assign(row="observation"), summarise(scores)], ignore_index=True, sort=False)
    first = ["row", "origin", "method", "series", "year", "horizon", "observed"]
    return table[[c for c in first if c in table.columns] + [c for c in table.columns if c not in first]]


def chart(scores: pd.DataFrame, summary: pd.DataFrame, lang: str = "zh", width: float = 12.0):
    """Three panels: mean CRPS by origin, interval coverage by method, PIT histograms (all on the common rows).

    Parameters
    ----------
    scores, summary : pandas.DataFrame
        The observation rows and the summary rows of ``scores.csv`` (:func:`summarise`).
    lang : {"zh", "en"}
        Language of the titles and legends.
    width : float
        Figure width in inches (the height follows).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    word = lambda key, **f: LABELS[key][lang].format(**f)  # noqa: E731 - the chart's words in its language
    colors = {"model": "#1f5fa6", "trend": "#c55a11", "carry_forward": "#7f7f7f"}
    fig, axes = plt.subplots(1, 3, figsize=(width, width * 0.34))
    per = summary[summary.origin.astype(str) != "all"]
    origins = sorted(per.origin.astype(int).unique())
    bar = 0.8 / len(METHODS)
    for k, m in enumerate(METHODS):
        v = [per[(per.origin.astype(int) == o) & (per.method == m)].crps_log_common.mean() for o in origins]
        axes[0].bar(np.arange(len(origins)) + (k - 1) * bar, v, bar, color=colors[m], label=word(m))
    axes[0].set_xticks(np.arange(len(origins)), [str(o) for o in origins])
    axes[0].set(title=word("crps"), xlabel=word("origin"))
    total = summary[summary.origin.astype(str) == "all"].set_index("method")
    for k, m in enumerate(METHODS):
        cov = [total.loc[m, f"coverage{lv}_common"] if m in total.index else np.nan for lv in (50, 90)]
        axes[1].bar(np.arange(2) + (k - 1) * bar, cov, bar, color=colors[m], label=word(m))
    for i, level in enumerate((0.5, 0.9)):
        axes[1].hlines(level, i - 0.45, i + 0.45, colors="black", linestyles="--", lw=0.8)
    axes[1].set_xticks(np.arange(2), [word("interval", level=lv) for lv in (50, 90)])
    axes[1].set(title=word("coverage"), ylim=(0, 1.05))
    has = scores.crps_log.notna()
    common = has.groupby([scores.origin, scores.series, scores.year]).transform("all") & has
    bins = np.linspace(0, 1, PIT_BINS + 1)
    n = 0
    for k, m in enumerate(METHODS):
        pit = scores[(scores.method == m) & common].pit.dropna().astype(float)
        n = max(n, len(pit))
        if len(pit):
            share = np.histogram(pit, bins=bins)[0] / len(pit)
            axes[2].bar(bins[:-1] + (k + 0.5) * (0.8 / len(METHODS)) / PIT_BINS + 0.1 / PIT_BINS, share,
                        0.8 / len(METHODS) / PIT_BINS, align="center", color=colors[m], label=word(m))
    axes[2].axhline(1 / PIT_BINS, color="black", lw=0.8, ls="--")
    axes[2].set_xticks(bins)
    axes[2].set(title=word("pit", n=n), xlabel=word("pit_x"), ylabel=word("share"))
    handles, names = axes[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="lower center", ncol=len(METHODS), frameon=False)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return fig
