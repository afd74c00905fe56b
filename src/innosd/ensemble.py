"""Validated scenario -> parameter sets -> one ensemble run through the engine.

The parameter sets are draws from the committed posterior of a data vintage (the latest,
calibration/posterior.csv, or calibration/vintages/YEAR/posterior.csv) when it exists, else the
model's defaults, with the scenario's overrides and declared uncertainties applied on top.
Indicators whose model variable has a calibrated series get predictive noise (measurement plus
the draw's model discrepancy); the others (e.g. incubators built, set by a lever) stay noise-free.

A posterior calibrated under several model structures (calibration/structures.csv) holds every structure's
draws with a ``weight`` column (each structure's evidence weight spread over its draws): members are drawn by
that weight, so they mix the structures, and each member is labelled with its structure (the value of the
model's structure switch), which :func:`innosd.targets.evaluate` uses for ``p_met_<structure>``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import __version__, paths
from .errors import InputError
from .indicators import INDICATORS
from .posterior import read_posterior
from .scenario import VINTAGES, Scenario
from .scenario_fields import check_seed

#: Measurement sigma (log scale) of a future published figure; calibration/measurement.yaml's predictive_sigma.
PREDICTIVE_SIGMA = 0.05


@dataclass
class Calibration:
    """The parameter draws a run rests on. ``draws`` is (k, p) with columns = model constants."""

    label: str
    path: str | None
    sha256: str | None
    draws: pd.DataFrame
    vintage: int | None = None  # last data year the draws were fitted on (None: model defaults)
    #: (k, g) model-discrepancy sigma of each draw, one column per model variable with a calibrated series
    discrepancy: pd.DataFrame | None = None
    #: (k,) probability of each draw (a posterior mixing structures by evidence); None: all equal
    weights: np.ndarray | None = None


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
    #: effective number of independent members (Kish: members resampled from fewer posterior draws count less)
    n_eff: float | None = None
    #: (n,) the model structure of each member (its structure switch's value named), None when the model has none
    structures: np.ndarray | None = None
    #: every structure the model declares, in order (the ``p_met_<structure>`` columns)
    structure_names: tuple[str, ...] = ()

    @property
    def n(self) -> int:
        """Number of ensemble members (the rows of every trajectory)."""
        return next(iter(self.data.values())).shape[0]

    def at(self, indicator: str, year: float) -> np.ndarray:
        """Values (n,) of ``indicator`` at ``year``."""
        from .quantity import value_at

        return value_at(self.time, self.data[indicator], year)


def vintage_path(as_of: int | None = None) -> Path:
    """The posterior.csv of data vintage ``as_of`` (None: the latest, calibration/posterior.csv)."""
    latest = _vintage(paths.CALIBRATION / "fit.yaml")
    if as_of is None or as_of == latest:
        return paths.CALIBRATION / "posterior.csv"
    return paths.CALIBRATION / "vintages" / str(int(as_of)) / "posterior.csv"


def committed_vintages() -> list[int]:
    """The data vintages with a committed calibration, oldest first."""
    years = [int(p.name) for p in (paths.CALIBRATION / "vintages").glob("*") if p.name.isdigit()
             and (p / "posterior.csv").is_file()]
    latest = _vintage(paths.CALIBRATION / "fit.yaml")
    return sorted(set(years) | ({latest} if latest is not None else set()))


def load_calibration(model, path: Path | None = None, as_of: int | None = None) -> Calibration:
    """The committed posterior draws of a data vintage if present, else a single set of model defaults.

    Parameters
    ----------
    model : CompiledModel
        Its constants pick the posterior's columns.
    path : Path, optional
        A posterior.csv to read instead (its fit.yaml beside it gives the vintage).
    as_of : int, optional
        The data vintage (last data year): None for the latest committed one.

    Raises
    ------
    InputError
        ``as_of`` has no committed calibration, or the posterior file is corrupt.
    """
    if path is None:
        path = vintage_path(as_of)
        if as_of is not None and not path.is_file():
            have = ", ".join(map(str, committed_vintages())) or "(none)"
            if VINTAGES[0] <= as_of <= VINTAGES[1]:
                raise InputError("as_of", "", f"no calibration committed for data vintage {as_of}",
                                 f"use one of {have}, or run `innosd calibrate --until {as_of}` first")
            raise InputError("as_of", "", f"{as_of} is not a data vintage (the data cover {VINTAGES[0]}-{VINTAGES[1]})",
                             f"use one of {have}")
    path = Path(path)
    if path.is_file():
        rel = path.relative_to(paths.ROOT) if path.is_relative_to(paths.ROOT) else path
        st = path.stat()
        prior = paths.PARAMETERS_YAML
        pst = prior.stat() if prior.is_file() else None  # a project without priors: no bounds to check
        draws, discrepancy, sha, weights = read_posterior(
            str(path.resolve()), st.st_mtime_ns, st.st_size, str(rel), tuple(sorted(model.constants)),
            (str(prior.resolve()), pst.st_mtime_ns, pst.st_size) if pst else None)
        vintage = _vintage(path.parent / "fit.yaml")
        return Calibration(f"posterior {rel} ({len(draws)} draws, sha256 {sha[:12]})", str(rel), sha, draws,
                           vintage, discrepancy, weights)
    defaults = pd.DataFrame([model.constants])
    return Calibration("none: model defaults (run `innosd calibrate` for a posterior)", None, None, defaults)


def _vintage(fit_yaml: Path) -> int | None:
    """The ``settings.until`` year of a calibration's fit.yaml (the data vintage), or None."""
    from .calibration.fitfile import fit_vintage

    return fit_vintage(fit_yaml)


def model_structures(model) -> list:
    """The structures the project declares for ``model`` (:mod:`innosd.calibration.structures`).

    An empty list when the model has no such switch (another model file) or none are declared.
    """
    from .calibration.structures import load_structures

    try:
        found = load_structures()
    except InputError:
        return []
    return found if found and found[0].switch in model.constants else []


def parameter_sets(scenario: Scenario, model, calibration: Calibration, n: int,
                   rng: np.random.Generator) -> pd.DataFrame:
    """The (n, p) parameter table of an ensemble: posterior rows drawn with replacement, then scenario overrides.

    Rows are drawn by the draws' weights when the posterior mixes structures. A scenario that sets the structure
    switch under ``parameters`` draws only from that structure's rows (all rows when the posterior has none of it).
    ``n`` is the number of members; ``rng`` draws the rows and the scenario's uncertain parameters.
    """
    base = calibration.draws
    w = calibration.weights
    switch = next((s.switch for s in model_structures(model)), None)
    if w is not None and switch in scenario.parameters and switch in base.columns:
        keep = np.isclose(base[switch].to_numpy(float), float(scenario.parameters[switch]))
        w = w * keep if keep.any() else w
        w = w / w.sum()
    if len(base) <= 1:
        rows = np.zeros(n, dtype=int)
    elif w is None:
        rows = rng.integers(0, len(base), size=n)
    else:
        rows = rng.choice(len(base), size=n, p=w)
    params = base.iloc[rows].reset_index(drop=True).astype(float)
    params.attrs["rows"] = rows          # which posterior draw each member is (predictive noise, n_eff)
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


def known_targets(scenario: Scenario, model, vintage: int | None) -> dict:
    """Target levers without the plan targets published after data vintage ``vintage`` (a calendar year).

    From model/plan_targets.yaml, for the levers the scenario leaves at their defaults: a run as of an older
    vintage does not know later plans. Empty when ``vintage`` is None or the scenario runs another model file.
    """
    from .plan_targets import known_target_lookups

    if vintage is None or scenario.model_path.resolve() != paths.MODEL_FILE.resolve():
        return {}
    return {k: v for k, v in known_target_lookups(model, vintage).items() if k not in scenario.levers}


def lever_tables(scenario: Scenario, n: int, rng: np.random.Generator) -> dict:
    """Engine lookup overrides: name -> (x (m,), y (m,) shared or (n, m) per member)."""
    out = {}
    for name, lever in scenario.levers.items():
        y = lever.sample(rng, n) if lever.uncertainty else lever.y
        out[name] = (lever.x, y)
    return out


def effective_members(rows: np.ndarray, draws: int) -> float:
    """Kish's effective sample size of ``rows`` (n,) resampled from ``draws`` posterior draws.

    Members that share a posterior draw are not independent; n_eff = n^2 / sum(c_i^2), c_i the number of
    members of draw i (n when every member has its own draw; conservative when other uncertainties differ).
    """
    if draws <= 1:
        return float(len(rows))
    c = np.bincount(rows, minlength=draws).astype(float)
    return float(len(rows) ** 2 / np.sum(c ** 2))


def noise_factors(calibration: Calibration, rows: np.ndarray, variables, shape: tuple[int, int],
                  rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Multiplicative predictive noise (n, T) per variable with a calibrated series, drawn in a fixed order.

    exp(sd * N(0, 1)) per member and year, sd = sqrt(PREDICTIVE_SIGMA^2 + sigma_d^2) with the member's draw of
    the variable's model discrepancy sigma_d. Variables without a calibrated series get none (absent from the
    result). The draws are taken for the variables in sorted order, so any caller that asks for the same
    variables with the same generator state gets the same noise (what-it-takes replays a run's noise).

    Parameters
    ----------
    calibration : Calibration
    rows : numpy.ndarray
        (n,) posterior draw of each member.
    variables : iterable of str
        Model variables of the run.
    shape : (int, int)
        (n, T): members and saved years.
    rng : numpy.random.Generator
    """
    disc = calibration.discrepancy
    if disc is None:
        return {}
    out = {}
    for var in sorted(v for v in set(variables) if v in disc.columns):
        sd = np.sqrt(PREDICTIVE_SIGMA ** 2 + disc[var].to_numpy(float)[rows] ** 2)
        out[var] = np.exp(sd[:, None] * rng.standard_normal(shape))
    return out


def predictive_noise(data: dict[str, np.ndarray], calibration: Calibration, rows: np.ndarray,
                     rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Published-figure draws: ``data`` (variable -> (n, T) model values) times :func:`noise_factors`."""
    if not data:
        return data
    shape = next(iter(data.values())).shape
    factors = noise_factors(calibration, rows, data, shape, rng)
    return {v: (y * factors[v] if v in factors else y) for v, y in data.items()}


def run_scenario(scenario: Scenario, model, samples: int | None = None, seed: int | None = None,
                 calibration: Calibration | None = None, engine: str = "numpy",
                 lever_override: dict | None = None, as_of: int | None = None) -> EnsembleResult:
    """Run the scenario's ensemble. ``lever_override`` replaces lever tables (used by what-it-takes).

    ``as_of`` (default: the scenario's ``as_of``, else the latest) picks the data vintage of the calibration.
    """
    seed = scenario.seed if seed is None else check_seed("seed", "", seed)
    as_of = as_of if as_of is not None else getattr(scenario, "as_of", None)
    calibration = calibration or load_calibration(model, as_of=as_of)
    n = samples or (scenario.samples if len(calibration.draws) > 1 or _has_uncertainty(scenario) else 1)
    rng = np.random.default_rng(seed)
    params = parameter_sets(scenario, model, calibration, n, rng)
    lookups = {**known_targets(scenario, model, calibration.vintage), **lever_tables(scenario, n, rng)}
    if lever_override:
        lookups.update(lever_override)
    variables = [ind.variable for ind in INDICATORS.values() if ind.variable in model.variables]
    if engine == "pysd":
        time, data = _run_pysd(scenario, params, lookups, variables)
    else:
        res = model.run(n=n, params={c: params[c].to_numpy() for c in params.columns}, lookups=lookups,
                        final_time=float(scenario.end), outputs=variables)
        time, data = np.asarray(res.time), {v: np.asarray(res[v]) for v in variables}
    rows = params.attrs.get("rows", np.zeros(n, dtype=int))
    data = predictive_noise(data, calibration, rows, rng)
    by_indicator = {name: data[ind.variable] for name, ind in INDICATORS.items() if ind.variable in data}
    labels, names = member_structures(model, params)
    return EnsembleResult(scenario, time, by_indicator, params, calibration, seed, engine,
                          provenance(scenario, calibration, seed, engine),
                          effective_members(rows, len(calibration.draws)), labels, names)


def member_structures(model, params: pd.DataFrame) -> tuple[np.ndarray | None, tuple[str, ...]]:
    """The structure of each member (n,) from its structure switch, and every declared structure's name."""
    from .calibration.structures import label_members

    found = model_structures(model)
    if not found:
        return None, ()
    switch = found[0].switch
    values = params[switch].to_numpy(float) if switch in params else np.full(len(params), model.constants[switch])
    return label_members(values, found), tuple(s.name for s in found)


def _has_uncertainty(scenario: Scenario) -> bool:
    return bool(scenario.uncertain_parameters) or any(lv.uncertainty for lv in scenario.levers.values())


def _run_pysd(scenario: Scenario, params: pd.DataFrame, lookups: dict, variables: list[str]):
    """The reference path: one PySD run per member (slow; for checking the engine)."""
    import shutil
    import tempfile

    import pysd

    from .model import pysd_errors

    tmp = Path(tempfile.mkdtemp(prefix="innosd-pysd-"))
    try:
        with pysd_errors(scenario.model_path):  # whatever PySD raises on the user's model: one line
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
    """What a run rests on, for its summary.json: enough to reproduce the run and check its inputs.

    A JSON-ready dict: the scenario's and the model file's names and SHA-256, the calibration's label, SHA-256
    and data vintage, ``seed``, ``engine`` (``numpy`` or ``pysd``), the innosd version, the region, and whether
    the run rests on the calibration or on the assumptions the scenario declares.
    """
    model_bytes = Path(scenario.model_path).read_bytes()
    return {
        "scenario": scenario.name,
        "scenario_sha256": scenario.sha256,
        "model_file": Path(scenario.model_path).name,
        "model_sha256": hashlib.sha256(model_bytes).hexdigest(),
        "calibration": calibration.label,
        "calibration_sha256": calibration.sha256,
        "vintage": calibration.vintage,
        "seed": seed,
        "engine": engine,
        "innosd_version": __version__,
        "region": scenario.region,
        "rests_on": "calibration" if scenario.calibrated else
                    "assumptions declared in the scenario (no calibration data for this region)",
    }
