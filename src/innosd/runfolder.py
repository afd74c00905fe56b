"""A run folder's files: their names, and the one reader of each (the report renders from these).

``innosd run`` writes the folder (:func:`innosd.outputs.write_run`); ``what-it-takes --all`` and
``sensitivity`` add their tables to it; ``innosd report RUN_FOLDER`` reads it back here without
running anything. This module imports nothing that runs the model.
"""

from __future__ import annotations

import json
import re
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

# The project's backtest (not a run's): innosd backtest writes reports/backtest/ (innosd.calibration.backtest)
BACKTEST = "backtest"              # the folder under the project's reports/
BACKTEST_SCORES = "scores.csv"     # one row per origin, held-out value and method, then summary rows
BACKTEST_CHART = "backtest.png"    # CRPS by origin, coverage, PIT (innosd.calibration.scores.chart)

__all__ = ["RunFolder", "open_run", "TRAJECTORIES", "TARGETS", "SUMMARY", "PARAMETERS", "LEVERS", "DRIVERS",
           "PRIOR_SENSITIVITY", "STRUCTURE", "WHAT_IT_TAKES", "SENSITIVITY", "LOOPS", "LOOPS_CHART", "OPTIMISE",
           "OPTIMISE_FILES", "OPTIMISE_PARETO", "BACKTEST", "BACKTEST_SCORES", "BACKTEST_CHART", "backtest_folder",
           "read_backtest", "format_rests_on", "parse_rests_on"]


class RunFolder:
    """The files of one finished run, read lazily and once each.

    Parameters
    ----------
    path : pathlib.Path
        The folder ``innosd run`` wrote (it holds at least ``summary.json`` and ``targets.csv``).

    Attributes
    ----------
    shown : pathlib.Path
        The path a report names the folder by: ``path``, unless the folder is a temporary one that will be
        moved there (:func:`innosd.publish.publish` renders the PDF before the folder is in place).
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self.shown = self.path
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


_RESTS_ON = re.compile(r"\s*([^;()]+?)\s*\(([-+]?\d*\.?\d+)/([-+]?\d*\.?\d+)\)\s*")


def format_rests_on(items) -> str:
    """The ``rests_on`` cell of prior_sensitivity.csv: ``name (change at alpha=0.5/change at alpha=2); ...``.

    Parameters
    ----------
    items : iterable of (str, float, float)
        (parameter, change of P(met) with wider priors, with narrower priors), largest first.
    """
    return "; ".join(f"{name} ({wider:+.2f}/{narrower:+.2f})" for name, wider, narrower in items)


def parse_rests_on(text) -> list[tuple[str, float, float]]:
    """The ``rests_on`` cell back as (parameter, change with wider priors, change with narrower priors).

    Parameters
    ----------
    text : str or float
        A cell of ``prior_sensitivity.csv`` (NaN or empty: no parameter).
    """
    if not isinstance(text, str) or not text.strip():
        return []
    out = []
    for part in text.split(";"):
        m = _RESTS_ON.fullmatch(part)
        if m:
            out.append((m.group(1), float(m.group(2)), float(m.group(3))))
    return out


def backtest_folder(root: str | Path) -> Path:
    """The backtest folder of the project at ``root``: ``reports/backtest/``, where ``innosd backtest`` writes."""
    return Path(root) / "reports" / BACKTEST


def read_backtest(folder: str | Path) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The backtest's ``scores.csv``: (observation rows, summary rows), or None when absent or unreadable.

    Parameters
    ----------
    folder : str or pathlib.Path
        The backtest folder (:func:`backtest_folder`).

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame) or None
        None also for a file without both kinds of row or without the columns the report reads.
    """
    p = Path(folder) / BACKTEST_SCORES
    try:
        df = pd.read_csv(p) if p.is_file() else None
    except (OSError, ValueError, pd.errors.ParserError):
        return None
    needed = {"row", "origin", "method", "crps_log", "crps_log_common", "coverage90_common", "pit", "series", "year"}
    if df is None or not needed <= set(df.columns):
        return None
    obs, summary = df[df.row == "observation"].copy(), df[df.row == "summary"].copy()
    if obs.empty or summary.empty:
        return None
    obs["origin"] = obs.origin.astype(float).astype(int)
    return obs.reset_index(drop=True), summary.reset_index(drop=True)


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
