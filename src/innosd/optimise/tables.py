"""The result tables of a search (columns defined in reports/README.md): pure functions of a :class:`Search`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .costs import costs_table


def _lever_columns(search, rows: np.ndarray) -> dict:
    """Per lever: its value, start year and extra cost for the archive rows ``rows``."""
    a, out = search.archive, {}
    for j, lv in enumerate(search.space.levers):
        out[lv] = a.levels[rows, j]
        out[f"{lv}_from"] = a.starts[rows, j]
    for j, lv in enumerate(search.space.levers):
        out[f"cost_{lv}"] = a.lever_costs[rows, j]
    return out


def _p_columns(search, rows: np.ndarray) -> dict:
    """``p_<target id>``: P(met) per target, NaN for a target set by assumption (as in targets.csv)."""
    a = search.archive
    return {f"p_{t.id}": np.where(a.fixed[rows, j], np.nan, a.p[rows, j])
            for j, t in enumerate(search.scenario.targets)}


def pareto(search) -> pd.DataFrame:
    """pareto.csv: the front, cheapest first: portfolio, cost, min_p_met, p_<id> per target, lever values."""
    rows = np.asarray(search.front, int)
    names = search.names()
    a = search.archive
    df = {"portfolio": [names[int(i)] for i in rows], "cost": a.cost[rows], "min_p_met": a.min_p[rows]}
    return pd.DataFrame({**df, **_p_columns(search, rows), **_lever_columns(search, rows)})


def cheapest(search) -> pd.DataFrame:
    """cheapest.csv: for k = 1..F, the cheapest portfolio meeting at least k forecast targets at P(met) >= confidence.

    Only portfolios meeting every target set by assumption qualify (:func:`.search.cheapest_meeting`).
    """
    names, a, conf = search.names(), search.archive, search.settings["confidence"]
    targets = search.scenario.targets
    found = [i for _, i in search.cheapest]
    rows = np.array([i if i is not None else 0 for i in found], int)
    met = ~a.fixed & (a.p >= conf)            # forecast targets met at the confidence
    df = pd.DataFrame({
        "k": [k for k, _ in search.cheapest],
        "portfolio": [names[i] if i is not None else "" for i in found],
        "on_front": [i is not None and int(i) in set(search.front.tolist()) for i in found],
        "targets_met": [int(met[i].sum()) if i is not None else 0 for i in found],
        "met_targets": [" ".join(t.id for j, t in enumerate(targets) if met[i, j]) if i is not None else ""
                        for i in found],
        "cost": a.cost[rows], "min_p_met": a.min_p[rows], **_p_columns(search, rows), **_lever_columns(search, rows)})
    empty = np.array([i is None for i in found])
    cols = [c for c in df.columns if c not in ("k", "portfolio", "on_front", "targets_met", "met_targets")]
    df.loc[empty, cols] = np.nan
    return df


def robustness(search) -> pd.DataFrame:
    """robustness.csv: satisficing, regret and overspend of every portfolio written."""
    names = search.names()
    t = search.robustness.table.copy()
    t.insert(0, "portfolio", [names[int(i)] for i in t["index"]])
    t = t.drop(columns="index").sort_values(["cost", "portfolio"], kind="stable").reset_index(drop=True)
    return t[["portfolio", "on_front", "chosen", "cost", "min_p_met", "satisficing", "regret_mean", "regret_p90",
              "regret_max", "overspend_mean"]]


def failure_conditions(search) -> pd.DataFrame:
    """failure_conditions.csv: the PRIM box of the chosen portfolio, one row per restricted factor."""
    cols = ["portfolio", "factor", "low", "high", "values", "coverage", "density", "mass", "base_rate", "futures"]
    box, chosen = search.robustness.box, search.robustness.chosen
    if box is None or chosen is None:
        return pd.DataFrame(columns=cols)
    df = box.limits.copy()
    df.insert(0, "portfolio", search.names()[int(chosen)])
    for name, value in (("coverage", box.coverage), ("density", box.density), ("mass", box.mass),
                        ("base_rate", box.base_rate), ("futures", box.n_futures)):
        df[name] = value
    return df[cols]


def costs(search) -> pd.DataFrame:
    """costs.csv: every lever's cost per unit and year with its basis and source, and the search bounds."""
    df = costs_table(search.costs, search.space.levers)
    sp = search.space
    df["low"] = [sp.low[sp.levers.index(lv)] if lv in sp.levers else np.nan for lv in df["lever"]]
    df["high"] = [sp.high[sp.levers.index(lv)] if lv in sp.levers else np.nan for lv in df["lever"]]
    return df


def summary(search, lang: str = "en") -> list[str]:
    """Plain sentences on the cheapest portfolio meeting every target and where it fails."""
    conf, a, names = search.settings["confidence"], search.archive, search.names()
    F = len(search.cheapest) if search.cheapest and search.cheapest[0][0] > 0 else 0   # forecast targets
    assumed = " and every target set by assumption" if F < len(search.scenario.targets) else ""
    lines = []
    for k, i in search.cheapest:
        what = f"{k} of the {F} forecast targets at P(met) >= {conf:g}{assumed}" if k else "every target"
        if i is None:
            lines.append(f"No portfolio within the bounds meets {what}.")
        else:
            lines.append(f"Cheapest portfolio meeting {what}: {names[int(i)]}, "
                         f"{a.cost[i]:,.1f} 亿元 extra over {search.space.first}-{search.space.last}.")
    box, chosen = search.robustness.box, search.robustness.chosen
    if chosen is not None and box is not None:
        where = " and ".join(_limit(r) for r in box.limits.itertuples())
        lines.append(f"{names[int(chosen)]} fails in {box.base_rate:.0%} of futures; where {where} "
                     f"({box.mass:.0%} of futures) it fails in {box.density:.0%} of them, which is "
                     f"{box.coverage:.0%} of all its failures (PRIM).")
    elif chosen is not None:
        lines.append(f"{names[int(chosen)]} meets every target in every future judged, or in none: no failure box.")
    return lines


def _limit(r) -> str:
    if r.values:
        return f"{r.factor} in {{{r.values}}}"
    if np.isnan(r.low):
        return f"{r.factor} < {r.high:.4g}"
    if np.isnan(r.high):
        return f"{r.factor} > {r.low:.4g}"
    return f"{r.low:.4g} < {r.factor} < {r.high:.4g}"
