"""The chart of the front: extra cost against the lowest P(met), the chosen portfolio marked."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from ..fonts import use_cjk_font  # noqa: E402

WORDS = {
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
    w = WORDS[lang]
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
        from ..indicators import label

        rows = costs[costs["optimised"].astype(bool)]
        items = [f"{label(r.lever, lang)} {r.cost_per_unit:g} ({w['basis'][r.basis]})" for r in rows.itertuples()]
        half = (len(items) + 1) // 2
        note = w["costs"] + "; ".join(items[:half]) + ("\n" + "; ".join(items[half:]) if items[half:] else "")
        fig.text(0.01, 0.01, note, fontsize=6.5, va="bottom", ha="left", color="0.3")
        fig.tight_layout(rect=(0, 0.07, 1, 1))
    else:
        fig.tight_layout()
    return fig
