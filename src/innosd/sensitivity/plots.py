"""Charts of a sensitivity study: top drivers per output, and indices over time."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .tables import measure, top_drivers


def plot(df: pd.DataFrame, path: str | Path | None = None, top: int = 8, outputs=None):
    """Horizontal bars of ST (with S1) or mu_star (with its confidence) for the top drivers per output.

    ``outputs`` defaults to the outputs without '@' (deadline outputs), or all when there are none.
    Returns the matplotlib Figure; saved to ``path`` when given.
    """
    import matplotlib.pyplot as plt  # the backend is left alone: Agg headless, inline in notebooks

    m = measure(df)
    tops = top_drivers(df, top)
    names = list(outputs) if outputs is not None else [o for o in tops if "@" not in o] or list(tops)
    names = [o for o in names if o in tops]
    ncols = 2 if len(names) > 1 else 1
    nrows = max(1, -(-len(names) // ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(6.2 * ncols, 0.35 * top * nrows + 1.2 * nrows), squeeze=False)
    for ax, name in zip(axes.flat, names, strict=False):  # spare axes are switched off
        rows = tops[name].iloc[::-1]
        yy = np.arange(len(rows))
        if m == "ST":
            ax.barh(yy, rows["ST"], xerr=rows["ST_conf"], color="tab:blue", alpha=0.85, label="total (ST)")
            ax.barh(yy, rows["S1"].clip(lower=0), height=0.45, color="tab:orange", label="first order (S1)")
            ax.set_xlim(0, max(1.0, float((rows["ST"] + rows["ST_conf"]).max()) * 1.05))
            ax.set_xlabel("Sobol' index (share of variance)")
        else:
            ax.barh(yy, rows["mu_star"], xerr=rows["mu_star_conf"], color="tab:blue", alpha=0.85, label="mu*")
            ax.set_xlabel("Morris mu* (output units)")
        ax.set_yticks(yy, rows["parameter"], fontsize=8)
        ax.set_title(name, fontsize=10)
        ax.grid(axis="x", alpha=0.3)
    for ax in list(axes.flat)[len(names):]:
        ax.axis("off")
    method = df.attrs.get("method", m)
    fig.suptitle(f"{df.attrs.get('scenario', '')}: {method} sensitivity, top {top} drivers "
                 f"({df.attrs.get('n_runs', '?')} runs)", fontsize=11)
    top_space = 1.0 - 0.62 / fig.get_figheight()  # room for the title and, under it, the legend
    if names:  # one legend for the figure, under the title: clear of every bar and label
        handles, labels = axes.flat[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="upper center", ncol=len(labels), fontsize=8, frameon=False,
                   bbox_to_anchor=(0.5, 1.0 - 0.3 / fig.get_figheight()))
    fig.tight_layout(rect=(0, 0, 1, top_space))
    if path is not None:
        fig.savefig(path, dpi=120)
        plt.close(fig)
    return fig


def plot_over_time(df: pd.DataFrame, indicator: str | None = None, top: int = 6, ax=None):
    """Lines of ST (or mu_star) by year for the ``top`` drivers (by their mean) of one indicator.

    ``df`` is :func:`over_time`'s table. Returns the matplotlib Figure.
    """
    import matplotlib.pyplot as plt

    m = measure(df)
    indicator = indicator or str(df["indicator"].iloc[0])
    sub = df[df["indicator"] == indicator]
    wide = sub.pivot(index="year", columns="parameter", values=m)
    keep = wide.mean().sort_values(ascending=False).index[:top]
    fig, ax = (plt.subplots(figsize=(7, 4)) if ax is None else (ax.figure, ax))
    for p in keep:
        ax.plot(wide.index, wide[p], marker="o", ms=3, label=p)
    ax.set_xlabel("year")
    ax.set_ylabel("total Sobol' index ST" if m == "ST" else "Morris mu*")
    ax.set_title(f"{indicator}: sensitivity over time", fontsize=11)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))  # beside the lines
    fig.tight_layout()
    return fig
