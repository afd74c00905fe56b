"""A run folder's files: their names, and the one reader of each (the report renders from these).

``innosd run`` writes the folder (:func:`innosd.outputs.write_run`); ``what-it-takes --all`` and
``sensitivity`` add their tables to it; ``innosd report RUN_FOLDER`` reads it back here without
running anything. This module imports nothing that runs the model.
"""

from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path

import pandas as pd

from .errors import InputError

TRAJECTORIES = "trajectories.csv"  # indicator, year, unit, q05, q25, median, q75, q95, mean
TARGETS = "targets.csv"            # innosd.targets.COLUMNS (+ provenance columns)
SUMMARY = "summary.json"           # provenance, samples, horizon, targets, not_represented, scenario, run, files
PARAMETERS = "parameters.csv"      # parameter, default, median, q05, q95, override
LEVERS = "levers.csv"              # lever, year, default, scenario, low, high
DRIVERS = "drivers.csv"            # target, input, rho (Spearman within the ensemble)
PRIOR_SENSITIVITY = "prior_sensitivity.csv"  # innosd.calibration.prior_sensitivity (issue 10)
STRUCTURE = "structure.json"       # the model's loops, stocks and Chinese names, read from its .mdl at run time
WHAT_IT_TAKES = "what_it_takes.csv"  # innosd.whatittakes.what_it_takes_table
SENSITIVITY = ("sensitivity_sobol.csv", "sensitivity_morris.csv")  # innosd.sensitivity.write
LOOPS = "loops.csv"                # innosd.loops.table.COLUMNS (innosd loops, innosd run --loops / --report)
LOOPS_CHART = "loops.png"          # innosd.loops.chart.loop_chart of the same result
#: ``innosd optimise`` writes its folder here inside the run folder (innosd.optimise.write; reports/README.md)
OPTIMISE = "optimise"
OPTIMISE_FILES = {
    "pareto": "pareto.csv", "cheapest": "cheapest.csv", "robustness": "robustness.csv",
    "failure_conditions": "failure_conditions.csv", "futures": "futures.csv", "costs": "costs.csv",
    "summary": "optimise.json", "chart": "front.png", "portfolios": "portfolios",
}
OPTIMISE_PARETO = f"{OPTIMISE}/pareto.csv"

__all__ = ["RunFolder", "open_run", "TRAJECTORIES", "TARGETS", "SUMMARY", "PARAMETERS", "LEVERS", "DRIVERS",
           "PRIOR_SENSITIVITY", "STRUCTURE", "WHAT_IT_TAKES", "SENSITIVITY", "LOOPS", "LOOPS_CHART", "OPTIMISE",
           "OPTIMISE_FILES", "OPTIMISE_PARETO"]


class RunFolder:
    """The files of one finished run, read lazily and once each.

    Parameters
    ----------
    path : pathlib.Path
        The folder ``innosd run`` wrote (it holds at least ``summary.json`` and ``targets.csv``).
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self._frames: dict[str, pd.DataFrame | None] = {}

    def file(self, name: str) -> Path | None:
        """The path of ``name`` in the folder, or None when the file is absent."""
        p = self.path / name
        return p if p.is_file() else None

    def table(self, name: str) -> pd.DataFrame | None:
        """The CSV file ``name`` as a DataFrame (read once), or None when absent or unreadable."""
        if name not in self._frames:
            p = self.file(name)
            try:
                self._frames[name] = pd.read_csv(p, keep_default_na=True) if p else None
            except (OSError, ValueError, pd.errors.ParserError):
                self._frames[name] = None
        return self._frames[name]

    @cached_property
    def summary(self) -> dict:
        """``summary.json`` as a dict."""
        return json.loads((self.path / SUMMARY).read_text(encoding="utf-8"))

    @cached_property
    def structure(self) -> dict | None:
        """``structure.json``: {"loops": [[name, ...]], "stocks": [...], "names_zh": {name: zh}}, or None."""
        p = self.file(STRUCTURE)
        try:
            return json.loads(p.read_text(encoding="utf-8")) if p else None
        except (OSError, ValueError):
            return None

    @property
    def targets(self) -> pd.DataFrame:
        """``targets.csv``: one row per target (columns of :data:`innosd.targets.COLUMNS`)."""
        df = self.table(TARGETS)
        return df if df is not None else pd.DataFrame()

    @property
    def trajectories(self) -> pd.DataFrame:
        """``trajectories.csv``: quantiles of each written indicator by year."""
        df = self.table(TRAJECTORIES)
        return df if df is not None else pd.DataFrame()

    def bands(self, indicator: str) -> pd.DataFrame:
        """The rows of ``indicator`` in ``trajectories.csv`` (year, q05, q25, median, q75, q95), by year."""
        df = self.trajectories
        if df.empty:
            return df
        return df[df.indicator == indicator].sort_values("year").reset_index(drop=True)

    def sensitivity(self) -> tuple[str, pd.DataFrame] | None:
        """(file name, table) of the first sensitivity result present (Sobol before Morris), or None."""
        for name in SENSITIVITY:
            df = self.table(name)
            if df is not None:
                return name, df
        return None


def open_run(path: str | Path) -> RunFolder:
    """Open a finished run folder.

    Parameters
    ----------
    path : str or pathlib.Path
        The folder ``innosd run`` wrote.

    Returns
    -------
    RunFolder

    Raises
    ------
    innosd.errors.InputError
        When the folder lacks ``summary.json`` or ``targets.csv`` or they cannot be read.
    """
    folder = RunFolder(Path(path))
    for name in (SUMMARY, TARGETS):
        if folder.file(name) is None:
            raise InputError(str(path), name, "not a finished run folder (the file is missing)",
                             "run `innosd run SCENARIO.yaml --out FOLDER` first, or pass the scenario file")
    try:
        folder.summary  # noqa: B018 - read now, so a broken file is reported before anything is drawn
    except (OSError, ValueError) as exc:
        raise InputError(str(Path(path) / SUMMARY), "", f"cannot be read ({exc})",
                         "run the scenario again to rewrite the folder") from None
    if folder.table(TARGETS) is None:
        raise InputError(str(Path(path) / TARGETS), "", "cannot be read",
                         "run the scenario again to rewrite the folder")
    return folder
