"""Charts: fan chart of an indicator with history points and the targets on it."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from .fonts import use_cjk_font  # noqa: E402
from .indicators import INDICATORS  # noqa: E402
from .observed import history  # noqa: E402

MARKERS = "osD^vP*X"


def fan_chart(result, indicator: str, targets=(), ax=None, lang: str = "en", plan_period=None):
    """Median, 50% and 90% bands of ``indicator``, history points by source, target markers.

    ``result`` is an EnsembleResult; returns the matplotlib Figure.
    """
    use_cjk_font()
    ind = INDICATORS[indicator]
    own = ax is None
    fig, ax = (plt.subplots(figsize=(7, 4)) if own else (ax.figure, ax))
    t = result.time
    y = result.data[indicator]
    q = np.quantile(y, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    if plan_period:
        ax.axvspan(*plan_period, color="0.93", zorder=0, label="plan period" if lang == "en" else "规划期")
    if y.shape[0] > 1:
        ax.fill_between(t, q[0], q[4], color="tab:blue", alpha=0.18, lw=0, label="90%")
        ax.fill_between(t, q[1], q[3], color="tab:blue", alpha=0.35, lw=0, label="50%")
    ax.plot(t, q[2], color="tab:blue", lw=2, label="median" if lang == "en" else "中位数")
    hist = history(result.scenario.region, indicator)
    for i, (src, rows) in enumerate(hist.groupby("source", sort=False)):
        label = src if len(src) <= 40 else src[:37] + "..."
        ax.scatter(rows.year, rows.value, marker=MARKERS[i % len(MARKERS)], color="black", zorder=5,
                   s=28, label=label)
    for tg in targets:
        if tg.indicator != indicator or tg.change_since is not None:
            continue
        ax.scatter([tg.year], [tg.value], marker="*", s=180, color="tab:red", zorder=6,
                   label=f"target {tg.id}" if lang == "en" else f"目标 {tg.id}")
        ax.axhline(tg.value, color="tab:red", lw=0.8, ls="--")
    title = f"{ind.zh} {ind.en}" if lang == "zh" else f"{ind.en} ({ind.zh})"
    ax.set_title(title, fontsize=11)
    ax.set_ylabel(ind.unit)
    first = min([t[0]] + list(hist.year))
    ax.set_xlim(first - 0.5, t[-1] + 0.5)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=6.5, loc="upper left", frameon=False)
    if own:
        fig.tight_layout()
    return fig
