"""Side-by-side probabilities and medians of several scenarios' targets."""

from __future__ import annotations

import pandas as pd

from .ensemble import run_scenario
from .model import load_model
from .scenario import load_scenario
from .targets import evaluate


def compare_scenarios(paths, samples: int | None = None, seed: int | None = None) -> pd.DataFrame:
    """One row per (target id); for each scenario its P(met), median at the deadline and verdict.

    Columns: id, indicator, year, goal, then ``<scenario>:p_met``, ``<scenario>:median``,
    ``<scenario>:verdict`` for each scenario in the order given.
    """
    tables = []
    for path in paths:
        sc = load_scenario(path)
        table = evaluate(run_scenario(sc, load_model(sc.model_path), samples=samples, seed=seed))
        keep = table[["id", "indicator", "year", "goal", "p_met", "median", "verdict"]]
        tables.append(keep.rename(columns={c: f"{sc.name}:{c}" for c in ("p_met", "median", "verdict")}))
    out = tables[0]
    for t in tables[1:]:
        out = out.merge(t, on=["id", "indicator", "year", "goal"], how="outer")
    return out
