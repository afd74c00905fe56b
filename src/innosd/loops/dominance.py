"""Which loops drive a scenario's targeted indicators, year by year (Loops That Matter over an ensemble).

:func:`loop_dominance` draws the scenario's members as ``innosd run`` does (posterior draws mixed across model
structures by weight, the scenario's levers and uncertainties), runs them once through the engine saving every
variable at every TIME STEP, scores every loop of the model (:mod:`.scores`) and, for each targeted indicator,
normalises over the loops that drive it (:func:`relevant_loops`). Per calendar year it keeps each loop's
relative score (median and 90% band over the members) and the share of members in which it dominates, for all
members and for each structure's members apart. :func:`periods` merges the years a loop dominates into periods.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..indicators import INDICATORS
from .scores import LinkScorer, simulate, yearly_relative_scores
from .table import ALL, COLUMNS, periods

#: Loops kept per structure, indicator and year in loops.csv (the strongest by |median relative score|).
TOP = 8
#: Longest loop scored, in variables. The model README lists the loops of up to 14 variables; the longer
#: ones keep the same numbering (names are given shortest first within each polarity), continuing it.
MAX_LENGTH = 20


@dataclass
class LoopDominance:
    """Result of :func:`loop_dominance`: the year table (columns :data:`COLUMNS`) and what it rests on."""

    table: pd.DataFrame
    scenario: object
    loops: list
    members: int
    seed: int
    indicators: list[str]
    without_loops: list[str]           # targeted indicators no feedback loop drives (set by levers alone)


def relevant_loops(variable: str, loops, structure) -> list[int]:
    """Indices of the loops that drive ``variable`` (a Vensim name).

    Those through it or through the variables it is computed from directly (a stock's flows, an auxiliary's inputs), so
    that an accumulator such as a cumulative count is explained by the loops that move its inflow; when none, those
    through the nearest variables upstream that lie on a loop (its causes, searched breadth first).
    """
    near = {variable} | {c for c in structure[variable].deps if c in structure}
    on = [i for i, lp in enumerate(loops) if near & set(lp.variables)]
    if on:
        return on
    looped = {v for lp in loops for v in lp.variables}
    seen, frontier = {variable}, [variable]
    while frontier:
        causes = {c for v in frontier for c in structure[v].deps if c in structure and c not in seen}
        hit = causes & looped
        if hit:
            return [i for i, lp in enumerate(loops) if hit & set(lp.variables)]
        seen |= causes
        frontier = list(causes)
    return []


def _members(scenario, model, samples: int, seed: int, as_of):
    """The scenario's member parameters and lever tables, as :func:`innosd.ensemble.run_scenario` draws them."""
    from ..ensemble import known_targets, lever_tables, load_calibration, member_structures, parameter_sets

    calibration = load_calibration(model, as_of=as_of if as_of is not None else getattr(scenario, "as_of", None))
    rng = np.random.default_rng(seed)
    params = parameter_sets(scenario, model, calibration, samples, rng)
    lookups = {**known_targets(scenario, model, calibration.vintage), **lever_tables(scenario, samples, rng)}
    labels, names = member_structures(model, params)
    return params, lookups, labels, names, calibration


def loop_dominance(scenario, model, samples: int = 200, seed: int | None = None, as_of: int | None = None,
                   indicators: list[str] | None = None) -> LoopDominance:
    """Loop dominance of the scenario's targeted indicators (or ``indicators``) over ``samples`` members.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario.
    model : CompiledModel
        The compiled model of the scenario.
    samples : int
        Members n (the engine run saves every variable at every TIME STEP: about n x 0.2 MB).
    seed : int, optional
        Default: the scenario's seed.
    as_of : int, optional
        Data vintage of the calibration (default: the scenario's, else the latest).
    indicators : list of str, optional
        Indicators to explain (default: those the scenario's targets are on, in target order).

    Returns
    -------
    LoopDominance
    """
    from ..diagram.loops import named_loops
    from ..structure import read_structure

    seed = scenario.seed if seed is None else seed
    structure = read_structure(scenario.model_path)
    loops = named_loops(structure, max_length=MAX_LENGTH)
    params, lookups, labels, names, _ = _members(scenario, model, samples, seed, as_of)
    run = simulate(model, samples, {c: params[c].to_numpy() for c in params.columns}, lookups, float(scenario.end))
    scorer = LinkScorer(model, run)
    scorer.set_flows(structure)
    wanted = indicators or list(dict.fromkeys(t.indicator for t in scenario.targets))
    vensim = {py: name for name, py in scorer.py.items()}
    rows, without = [], []
    years = np.arange(int(scenario.start) + 1, int(scenario.end) + 1)
    step_year = np.ceil(run.time[1:] - 1e-9).astype(int)            # the calendar year of each step's end
    groups = [(ALL, np.ones(samples, bool))] + [(s, labels == s) for s in names if labels is not None]
    for ind in wanted:
        var = INDICATORS[ind].variable if ind in INDICATORS else ind
        idx = relevant_loops(vensim.get(var, var), loops, structure)
        if not idx:
            without.append(ind)
            continue
        sub = [loops[i] for i in idx]
        yearly = yearly_relative_scores(scorer, sub, step_year, years)  # (L, n, Y)
        dominant = np.where(np.abs(yearly).max(axis=0) > 1e-9, np.argmax(np.abs(yearly), axis=0), -1)   # (n, Y)
        for label, mask in groups:
            if not mask.any():
                continue
            part = yearly[:, mask, :]
            med = np.median(part, axis=1)                               # (L, Y)
            q05, q95 = np.quantile(part, [0.05, 0.95], axis=1)
            share = np.stack([(dominant[mask] == i).mean(axis=0) for i in range(len(sub))])   # (L, Y)
            for j, year in enumerate(years):
                strength = np.abs(med[:, j]) + 1e-6 * share[:, j]
                order = [i for i in np.argsort(-strength, kind="stable")[:TOP] if strength[i] > 1e-9]
                for rank, i in enumerate(order, 1):
                    lp = sub[i]
                    rows.append({"structure": label, "indicator": ind, "variable": var, "year": int(year),
                                 "rank": rank, "loop": lp.name, "polarity": lp.kind,
                                 "relative_score": float(med[i, j]), "q05": float(q05[i, j]), "q95": float(q95[i, j]),
                                 "dominant_share": float(share[i, j]), "members": int(mask.sum()),
                                 "path": " → ".join(lp.variables + lp.variables[:1])})
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    return LoopDominance(table, scenario, loops, samples, seed, wanted, without)


def format_periods(result: LoopDominance, structure: str = ALL) -> str:
    """The dominant loops per targeted indicator and period, as text (the terminal summary of ``innosd loops``)."""
    from ..indicators import label

    per = periods(result.table, structure)
    lines = []
    for ind in result.indicators:
        head = f"{ind} ({label(ind, 'zh')})"
        if ind in result.without_loops:
            lines.append(f"{head}: no feedback loop drives it (set by levers alone)")
            continue
        lines.append(head + ":")
        for r in per[per.indicator == ind].itertuples():
            span = f"{r.start}" if r.start == r.end else f"{r.start}-{r.end}"
            lines.append(f"  {span:<10} {r.loop:<5} {r.polarity:<12} relative score {r.relative_score:+.2f}, "
                         f"dominant in {r.dominant_share:.0%} of members: {r.path}")
    return "\n".join(lines)
