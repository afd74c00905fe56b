"""Validated scenario -> parameter sets -> one ensemble run through the engine.

The parameter sets are draws from the committed posterior (calibration/posterior.csv)
when it exists, else the model's defaults, with the scenario's overrides and declared
uncertainties applied on top.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import __version__, paths
from .indicators import INDICATORS
from .scenario import Scenario


@dataclass
class Calibration:
    """The parameter draws a run rests on. ``draws`` is (k, p) with columns = model constants."""

    label: str
    path: str | None
    sha256: str | None
    draws: pd.DataFrame
    vintage: int | None = None  # last data year the draws were fitted on (None: model defaults)


@dataclass
class EnsembleResult:
    """Trajectories of every indicator: ``data[indicator]`` is (n, T) at the years ``time`` (T,)."""

    scenario: Scenario
    time: np.ndarray
    data: dict[str, np.ndarray]
    params: pd.DataFrame
    calibration: Calibration
    seed: int
    engine: str
    provenance: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        return next(iter(self.data.values())).shape[0]

    def at(self, indicator: str, year: float) -> np.ndarray:
        """Values (n,) of ``indicator`` at ``year``."""
        i = int(np.argmin(np.abs(self.time - year)))
        return self.data[indicator][:, i]


def load_calibration(model, path: Path | None = None) -> Calibration:
    """The committed posterior draws if present, else a single set of model defaults."""
    path = Path(path or paths.CALIBRATION / "posterior.csv")
    if path.is_file():
        df = pd.read_csv(path)
        cols = [c for c in df.columns if c in model.constants]
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        rel = path.relative_to(paths.ROOT) if path.is_relative_to(paths.ROOT) else path
        return Calibration(f"posterior {rel} ({len(df)} draws, sha256 {sha[:12]})", str(rel), sha, df[cols],
                           _vintage(path.parent / "fit.yaml"))
    defaults = pd.DataFrame([model.constants])
    return Calibration("none: model defaults (run `innosd calibrate` for a posterior)", None, None, defaults)


def _vintage(fit_yaml: Path) -> int | None:
    """The ``settings.until`` year of a calibration's fit.yaml (the data vintage), or None."""
    import yaml

    if not fit_yaml.is_file():
        return None
    with fit_yaml.open(encoding="utf-8") as fh:
        for line in fh:  # the settings block comes first: no need to parse the whole file
            if line.strip().startswith("until:"):
                return int(yaml.safe_load(line)["until"])
    return None


def parameter_sets(scenario: Scenario, model, calibration: Calibration, n: int,
                   rng: np.random.Generator) -> pd.DataFrame:
    """(n, p) parameter table: posterior rows drawn with replacement, then scenario overrides."""
    base = calibration.draws
    rows = rng.integers(0, len(base), size=n) if len(base) > 1 else np.zeros(n, dtype=int)
    params = base.iloc[rows].reset_index(drop=True).astype(float)
    for name, value in scenario.parameters.items():
        params[name] = value
    for up in scenario.uncertain_parameters:
        u = rng.uniform(up.low, up.high, size=n)
        if up.scale:
            current = params[up.name] if up.name in params else np.full(n, model.constants[up.name])
            params[up.name] = np.asarray(current) * u
        else:
            params[up.name] = u
    return params


def lever_tables(scenario: Scenario, n: int, rng: np.random.Generator) -> dict:
    """Engine lookup overrides: name -> (x (m,), y (m,) shared or (n, m) per member)."""
    out = {}
    for name, lever in scenario.levers.items():
        y = lever.sample(rng, n) if lever.uncertainty else lever.y
        out[name] = (lever.x, y)
    return out


def run_scenario(scenario: Scenario, model, samples: int | None = None, seed: int | None = None,
                 calibration: Calibration | None = None, engine: str = "numpy",
                 lever_override: dict | None = None) -> EnsembleResult:
    """Run the scenario's ensemble. ``lever_override`` replaces lever tables (used by what-it-takes)."""
    seed = scenario.seed if seed is None else seed
    calibration = calibration or load_calibration(model)
    n = samples or (scenario.samples if len(calibration.draws) > 1 or _has_uncertainty(scenario) else 1)
    rng = np.random.default_rng(seed)
    params = parameter_sets(scenario, model, calibration, n, rng)
    lookups = lever_tables(scenario, n, rng)
    if lever_override:
        lookups.update(lever_override)
    variables = [ind.variable for ind in INDICATORS.values() if ind.variable in model.variables]
    if engine == "pysd":
        time, data = _run_pysd(scenario, params, lookups, variables)
    else:
        res = model.run(n=n, params={c: params[c].to_numpy() for c in params.columns}, lookups=lookups,
                        final_time=float(scenario.end), outputs=variables)
        time, data = np.asarray(res.time), {v: np.asarray(res[v]) for v in variables}
    by_indicator = {name: data[ind.variable] for name, ind in INDICATORS.items() if ind.variable in data}
    return EnsembleResult(scenario, time, by_indicator, params, calibration, seed, engine,
                          provenance(scenario, calibration, seed, engine))


def _has_uncertainty(scenario: Scenario) -> bool:
    return bool(scenario.uncertain_parameters) or any(lv.uncertainty for lv in scenario.levers.values())


def _run_pysd(scenario: Scenario, params: pd.DataFrame, lookups: dict, variables: list[str]):
    """The reference path: one PySD run per member (slow; for checking the engine)."""
    import shutil
    import tempfile

    import pysd

    tmp = Path(tempfile.mkdtemp(prefix="innosd-pysd-"))
    try:
        mdl = tmp / Path(scenario.model_path).name
        shutil.copy(scenario.model_path, mdl)
        model = pysd.read_vensim(str(mdl))
        n = len(params)
        out = {v: [] for v in variables}
        time = None
        for i in range(n):
            p = {c: float(params[c].iloc[i]) for c in params.columns}
            for name, (x, y) in lookups.items():
                yy = y if np.ndim(y) == 1 else y[i]
                p[name] = pd.Series(np.asarray(yy, float), index=np.asarray(x, float))
            df = model.run(params=p, final_time=float(scenario.end), return_columns=variables)
            time = df.index.to_numpy(float)
            for v in variables:
                out[v].append(df[v].to_numpy(float))
        return time, {v: np.vstack(rows) for v, rows in out.items()}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def provenance(scenario: Scenario, calibration: Calibration, seed: int, engine: str) -> dict:
    model_bytes = Path(scenario.model_path).read_bytes()
    return {
        "scenario": scenario.name,
        "scenario_sha256": scenario.sha256,
        "model_file": Path(scenario.model_path).name,
        "model_sha256": hashlib.sha256(model_bytes).hexdigest(),
        "calibration": calibration.label,
        "calibration_sha256": calibration.sha256,
        "seed": seed,
        "engine": engine,
        "innosd_version": __version__,
        "region": scenario.region,
        "rests_on": "calibration" if scenario.calibrated else
                    "assumptions declared in the scenario (no calibration data for this region)",
    }
