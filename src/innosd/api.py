"""The public entry point shared by ``innosd run``, the web explorer and notebooks.

Data flows one way: scenario YAML → validated :class:`~innosd.scenario.Scenario` → parameter sets →
ensemble (:func:`~innosd.ensemble.run_scenario`) → verdicts (:func:`~innosd.targets.evaluate`).
Writing files (CSV, charts, PDF) is a separate step (:mod:`innosd.outputs`, :mod:`innosd.report`).

>>> from innosd.api import run
>>> r = run("scenarios/tianjin-2027-plan.yaml", samples=500, seed=1)
>>> r.table[["id", "median", "p_met", "verdict"]]
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .ensemble import EnsembleResult, run_scenario
from .errors import InputError
from .model import load_model
from .scenario import Scenario, load_scenario
from .targets import evaluate

__all__ = ["Run", "run"]


@dataclass
class Run:
    """A judged ensemble run.

    Attributes
    ----------
    result : EnsembleResult
        Trajectories of every indicator, (n, T) per indicator, with provenance.
    table : pandas.DataFrame
        One row per target, the columns of :data:`innosd.targets.COLUMNS`.
    """

    result: EnsembleResult
    table: pd.DataFrame

    @property
    def scenario(self) -> Scenario:
        """The validated scenario that was run."""
        return self.result.scenario


def run(scenario: str | Path | Scenario, *, samples: int | None = None, seed: int | None = None,
        engine: str = "numpy", model=None) -> Run:
    """Run a scenario's ensemble and judge its targets.

    Parameters
    ----------
    scenario : str, pathlib.Path or Scenario
        A scenario YAML file, or an already validated scenario (e.g. one the web page changed).
    samples : int, optional
        Ensemble size n (default: the scenario's ``samples``). Must be >= 1.
    seed : int, optional
        Random seed (default: the scenario's). The same seed gives the same result.
    engine : {"numpy", "pysd"}
        ``numpy``: the vectorised engine; ``pysd``: PySD's reference runner (slow, for checks).
    model : CompiledModel, optional
        The compiled model, when the caller holds it already (default: compiled, and cached, from
        the scenario's model file).

    Returns
    -------
    Run
        The ensemble and its target table.

    Raises
    ------
    innosd.errors.InputError
        For a bad scenario or a sample size below 1.
    """
    if samples is not None and samples < 1:
        raise InputError("samples", "", f"{samples} is not a valid sample size", "use a whole number >= 1")
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    model = model if model is not None else load_model(sc.model_path)
    result = run_scenario(sc, model, samples=samples, seed=seed, engine=engine)
    return Run(result, evaluate(result))
