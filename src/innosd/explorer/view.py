"""The page's update path: settings in, judged run out, as the cells and figure the page draws.

:meth:`Explorer.update` is what the page calls after every change (and what
benchmarks/bench_explorer.py times through the page's own callback): apply the settings to the
opened scenario (:func:`innosd.explorer.settings.apply`), run it with :func:`innosd.api.run` on the
cached compiled model (one engine pass), judge the targets, and lay out the table and fan charts.
Nothing here touches the disk.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import display, paths
from ..indicators import INDICATORS
from . import text as tx
from .figures import fan_figure
from .settings import Applied, apply, controls, parse_year
from .workspace import Workspace, decision_year, vintage_of

#: Judged runs kept per server (a language switch or an undo redraws without running again).
CACHE_RUNS = 8


@dataclass
class View:
    """What the page shows for one set of settings.

    Attributes
    ----------
    rows : list of dict
        One per target: text cells ``label, id, indicator, year, goal, unit, median, interval, p, p_change,
        verdict, verdict_key, first, kind``.
    figure : dict
        The fan charts (Plotly figure as a dict).
    applied : Applied
        The settings as applied: changed lever entries, or a message per bad control.
    vintage, decision_year : int or None
    samples, seed : int
    seconds : float
        Time to apply, run and lay out, in seconds.
    run_id : str
        Names the settings and language shown (the scenario text's sha256, cut, and ``lang``).
    costs : dict
        Changed lever -> what it spends beyond the opened scenario over ``budget_years``, 亿元 (NaN: no
        cost known for the lever); see :func:`extra_costs`.
    budget_years : tuple of int or None
        The first and last year the costs are summed over (the decision year, the last target year).
    """

    rows: list[dict] = field(default_factory=list)
    figure: dict = field(default_factory=dict)
    applied: Applied | None = None
    vintage: int | None = None
    decision_year: int | None = None
    samples: int = 0
    seed: int = 0
    seconds: float = 0.0
    run_id: str = ""
    costs: dict = field(default_factory=dict)
    budget_years: tuple[int, int] | None = None

    @property
    def ok(self) -> bool:
        """True when the settings were valid and the results are theirs."""
        return self.applied is not None and self.applied.ok


class Explorer:
    """Runs and lays out scenarios for every tab of the page; holds no tab's settings.

    Parameters
    ----------
    workspace : Workspace
        The project's model and scenarios folder.
    """

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self._runs: OrderedDict = OrderedDict()
        self._costs: dict = {}
        self._lock = threading.Lock()

    def opened(self, name: str):
        """The scenario ``name``, its lever controls, data vintage and decision year.

        Returns
        -------
        tuple
            (scenario, list of LeverControl, vintage or None, decision year).
        """
        sc = self.workspace.scenario(name)
        vintage = vintage_of(self.workspace, sc)
        year = decision_year(sc, vintage)
        return sc, controls(sc, self.workspace.model(), year), vintage, year

    def run(self, scenario):
        """The judged run of ``scenario`` (:func:`innosd.api.run` with the cached model), kept for reuse."""
        from ..api import run

        key = (self.workspace.stamp(), str(scenario.path), scenario.sha256)
        with self._lock:
            if key in self._runs:
                self._runs.move_to_end(key)
                return self._runs[key]
        with paths.use(self.workspace.project):
            judged = run(scenario, model=self.workspace.model())
        with self._lock:
            self._runs[key] = judged
            while len(self._runs) > CACHE_RUNS:
                self._runs.popitem(last=False)
        return judged

    def update(self, name: str, year_text, values: dict, lang: str = "zh") -> View:
        """Apply one tab's settings to scenario ``name``, run it and lay out the results.

        Parameters
        ----------
        name : str
            The opened scenario (a name in the scenarios folder).
        year_text : str or int
            The decision year as typed.
        values : dict
            Lever name -> value typed or set with the slider.
        lang : {"zh", "en"}

        Returns
        -------
        View
            With ``rows`` and ``figure`` empty when a value is bad (``applied.errors`` says which).
        """
        start = time.perf_counter()
        base, _, vintage, year = self.opened(name)
        applied = apply(base, self.workspace.model(), year_text, values, lang)
        if not applied.ok:
            return View(applied=applied, vintage=vintage, decision_year=year)
        year = parse_year(year_text, base)
        judged = self.run(applied.scenario)
        reference = self.run(base).table if applied.entries else None
        view = View(rows(judged.table, reference, base.end, lang, year),
                    fan_figure(judged.result, lang, judged.result.calibration.vintage, year), applied,
                    judged.result.calibration.vintage, year, judged.result.n, judged.result.seed,
                    run_id=f"{applied.scenario.sha256[:12]}-{lang}")
        view.costs, view.budget_years = self.extra_costs(base, applied, year)
        view.seconds = time.perf_counter() - start
        return view

    def extra_costs(self, base, applied: Applied, year: int) -> tuple[dict, tuple[int, int] | None]:
        """What the changed levers spend beyond the opened scenario, 亿元, and the years summed over.

        The cost of :mod:`innosd.optimise.costs`: the sum over the years from the decision year to the
        last target year of (new value - opened scenario's value) x the lever's cost per unit and year
        (``calibration/levers.yaml`` and the scenario's ``costs:``). NaN for a lever with no cost.
        """
        if not applied.entries or not base.targets:
            return {}, None
        from ..optimise.costs import load_costs

        model = self.workspace.model()
        key = (self.workspace.stamp(), str(base.path), base.sha256)
        with self._lock:
            costs = self._costs.get(key)
        if costs is None:
            with paths.use(self.workspace.project):
                costs = load_costs(base, model)
            with self._lock:
                self._costs = {key: costs}
        last = max(t.year for t in base.targets)
        years = np.arange(year, last + 1, dtype=float)
        out = {}
        for name in applied.entries:
            new = applied.scenario.levers[name]
            old = base.levers.get(name)
            old_x, old_y = (old.x, old.y) if old is not None else model.lookups[name]
            old_at = np.interp(years, np.asarray(old_x, float), np.asarray(old_y, float))
            extra = np.interp(years, new.x, new.y) - old_at
            out[name] = float(extra.sum() * costs[name].cost_per_unit) if name in costs else float("nan")
        return out, (int(year), int(last))


def rows(table: pd.DataFrame, reference: pd.DataFrame | None, end: int, lang: str,
         decision_year: int | None = None) -> list[dict]:
    """The target table's text cells in ``lang``; ``p_change`` against ``reference`` (the opened scenario).

    A target due before ``decision_year`` says so: a lever change from that year cannot move it.
    """
    cells = display.target_cells(table, end)
    before = dict(zip(reference["id"], reference["p_met"], strict=True)) if reference is not None else {}
    out = []
    for (_, r), (_, c) in zip(table.iterrows(), cells.iterrows(), strict=True):
        ind = INDICATORS[r["indicator"]]
        change = ""
        if r["id"] in before and r["kind"] != "assumption" and pd.notna(before[r["id"]]):
            change = display.signed(r["p_met"] - before[r["id"]], 1.0)
        first = c["first_year_met"]
        out.append({
            "id": str(r["id"]), "label": str(r["label"] or ""), "indicator": ind.zh if lang == "zh" else ind.en,
            "since": "" if r["change_since"] in ("", None) or pd.isna(r["change_since"]) else
                     tx.t("change_since", lang, year=int(r["change_since"])),
            "early": tx.t("before_decision", lang) if decision_year and int(r["year"]) < decision_year else "",
            "year": c["year"], "goal": c["goal"], "unit": ind.zh_unit if lang == "zh" else ind.unit,
            "median": c["median"], "interval": f"{c['q05']} – {c['q95']}", "p": c["p_met"], "p_change": change,
            "p_value": None if r["kind"] == "assumption" else float(r["p_met"]),
            "verdict": tx.verdict(r["verdict"], lang), "verdict_key": str(r["verdict"]),
            "first": first if lang == "en" or not first.startswith(">") else f"{first[1:]} 年后",
            "kind": str(r["kind"]),
            "actual": _actual(c["actual"], lang),
        })
    return out


def _actual(cell: str, lang: str) -> str:
    """``4,093 (met)`` of :func:`innosd.display.target_cells` in ``lang``."""
    if not cell or lang == "en":
        return cell
    return cell.replace("(met)", "（达成）").replace("(missed)", "（未达成）")
