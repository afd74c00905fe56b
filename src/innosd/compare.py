"""Targets of several scenarios side by side: P(met) and median, and their change from the first scenario."""

from __future__ import annotations

import pandas as pd

from . import progress
from .display import LINE_WIDTH, aligned, goal, number, probability, signed

#: Columns of :func:`compare_scenarios`'s table (one row per target and scenario).
COLUMNS = ("id", "indicator", "year", "comparison", "goal", "unit", "run", "scenario", "vintage", "kind", "median",
           "q05", "q95", "p_met", "verdict", "p_met_change", "median_change")


def compare_scenarios(paths, samples: int | None = None, seed: int | None = None,
                      as_of: int | None = None) -> pd.DataFrame:
    """Run each scenario and put their targets side by side.

    Parameters
    ----------
    paths : list of str or pathlib.Path
        Scenario files; the first is the reference the changes are measured from.
    samples, seed : int, optional
        Ensemble size and seed for every scenario (default: each scenario's own).
    as_of : int, optional
        Data vintage of the calibration every scenario is judged with (default: each scenario's
        ``as_of``, else the latest committed vintage).

    Returns
    -------
    pandas.DataFrame
        One row per (target, scenario), the columns :data:`COLUMNS`; ``run`` is the scenario's
        letter in the order given (A, B, ...). ``p_met_change`` and
        ``median_change`` are this scenario's value minus the first scenario's for the same target
        (empty for the first scenario, and for a target the first scenario does not have).
    """
    from .api import run

    tables = []
    for i, path in enumerate(progress.track(list(paths), "scenarios")):
        judged = run(path, samples=samples, seed=seed, as_of=as_of)
        t = judged.table.assign(scenario=judged.scenario.name, run=_letter(i))
        tables.append(t[[c for c in COLUMNS if c in t.columns]])
    out = pd.concat(tables, ignore_index=True)
    is_first = out["run"] == "A"
    first = out[is_first].set_index("id")
    ref_p = out["id"].map(first["p_met"])
    ref_median = out["id"].map(first["median"])
    out["p_met_change"] = (out["p_met"] - ref_p).where(~is_first)
    out["median_change"] = (out["median"] - ref_median).where(~is_first)
    order = {tid: i for i, tid in enumerate(dict.fromkeys(out["id"]))}
    out = out.sort_values(["id"], key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
    return out[list(COLUMNS)]


def _vintage_note(vintage) -> str:
    """', data up to 2020' for a run's data vintage; ', model defaults' without a calibration."""
    if vintage is None or pd.isna(vintage) or vintage == "":
        return ", model defaults (no calibration)"
    return f", data up to {int(vintage)}"


def _letter(i: int) -> str:
    return chr(ord("A") + i) if i < 26 else f"S{i + 1}"


def format_compare(table: pd.DataFrame, line_width: int = LINE_WIDTH) -> str:
    """The comparison for a terminal (at most ``line_width`` columns): scenarios as letters A, B, ...

    One block per target: its goal, then a row per scenario with P(met), median, and their change
    from scenario A.
    """
    runs = table.drop_duplicates("run")
    legend = [f"{r} = {n}" + (" (reference)" if r == "A" else "") + _vintage_note(v)
              for r, n, v in zip(runs["run"], runs["scenario"], runs.get("vintage", [None] * len(runs)), strict=True)]
    rows = []
    for _, r in table.iterrows():
        first_of_target = not rows or rows[-1]["_id"] != r["id"]
        assumed = r["kind"] == "assumption"
        rows.append({
            "_id": r["id"],
            "id": r["id"] if first_of_target else "",
            "year": f"{int(r['year'])}" if first_of_target else "",
            "goal": goal(r["comparison"], r["goal"]) if first_of_target else "",
            "scenario": r["run"],
            "p_met": "-" if assumed else probability(r["p_met"]),
            "p_change": "" if pd.isna(r["p_met_change"]) else signed(r["p_met_change"], 1.0),
            "median": number(r["median"]),
            "median_change": "" if pd.isna(r["median_change"]) else signed(r["median_change"], r["median"]),
            "verdict": r["verdict"],
        })
    cells = pd.DataFrame(rows)
    columns = (("id", "target", "<"), ("year", "year", ">"), ("goal", "goal", ">"), ("scenario", "", "<"),
               ("p_met", "P(met)", ">"), ("p_change", "change", ">"), ("median", "median", ">"),
               ("median_change", "change", ">"), ("verdict", "verdict", "<"))
    return "\n".join(legend + ["changes are from scenario A"] + aligned(cells, columns, line_width))
