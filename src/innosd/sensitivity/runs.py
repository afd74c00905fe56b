"""Running a sensitivity study: every sample through the engine in one call, then SALib's analyses.

:func:`sobol` (Saltelli sampling, first-order and total indices), :func:`morris` (elementary
effects) and :func:`over_time` (indices of indicators at every year).
"""

from __future__ import annotations

import time as _time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from ..indicators import INDICATORS
from ..quantity import target_value, value_at
from ..targets import met_matrix
from .factors import Factor, Output, factors, problem, resolve_outputs

SOBOL_COLUMNS = ["output", "parameter", "S1", "S1_conf", "ST", "ST_conf"]
MORRIS_COLUMNS = ["output", "parameter", "mu_star", "mu_star_conf", "sigma"]


def _inputs(scenario, model, fs: list[Factor], X: np.ndarray) -> tuple[dict, dict]:
    """Engine params and lookups for sample matrix ``X`` (n, D) in natural units."""
    n = X.shape[0]
    params: dict = {k: float(v) for k, v in scenario.parameters.items()}
    for j, f in enumerate(fs):
        if f.kind == "parameter":
            params[f.target] = X[:, j].copy()
    for j, f in enumerate(fs):
        if f.kind == "scale":
            base = params.get(f.target, model.constants[f.target])
            params[f.target] = np.asarray(base, float) * X[:, j]
    lookups = {}
    for name, lever in scenario.levers.items():
        lookups[name] = (lever.x, lever.y)
    for j, f in enumerate(fs):
        if f.kind == "lever":
            lever = scenario.levers[f.target]
            y = np.broadcast_to(lever.y, (n, lever.y.size)).copy()
            acting = lever.x >= lever.acts_from
            u = X[:, j][:, None]
            y[:, acting] = y[:, acting] + u if f.mode == "shift" else y[:, acting] * u
            if lever.limits is not None:
                y = np.clip(y, *lever.limits)
            lookups[f.target] = (lever.x, y)
    return params, lookups


def evaluate(scenario, model, fs: list[Factor], X: np.ndarray, specs: list[Output],
             log: bool = False) -> dict[str, np.ndarray]:
    """Run every row of ``X`` (natural units) in one engine call; output name -> values (n,).

    ``log``: values (not met indicators) are replaced by their natural log when all are positive.
    """
    params, lookups = _inputs(scenario, model, fs, X)
    variables = list(dict.fromkeys(INDICATORS[s.indicator].variable for s in specs))
    res = model.run(n=X.shape[0], params=params, lookups=lookups, final_time=float(scenario.end),
                    outputs=variables)
    time = np.asarray(res.time)
    out = {}
    for s in specs:
        values = np.asarray(res[INDICATORS[s.indicator].variable])
        t = s.target
        y = target_value(time, values, t) if t is not None else value_at(time, values, s.year)
        if s.met:
            y = met_matrix(y, t).astype(float)
        elif log and np.all(y > 0):
            y = np.log(y)
        out[s.name] = y
    return out


def _sample_natural(fs: list[Factor], Xs: np.ndarray) -> np.ndarray:
    """Sample matrix (n, D) in sampling coordinates -> natural units."""
    X = np.empty_like(Xs, dtype=float)
    for j, f in enumerate(fs):
        X[:, j] = f.to_natural(Xs[:, j])
    return X


def _prepare(scenario, model, outputs, every_year, ranges, posterior):
    """Scenario and model (loaded when given as paths/None), factors, their range label and the outputs."""
    if isinstance(scenario, (str, Path)):
        from ..scenario import load_scenario

        scenario = load_scenario(scenario, model)
    if model is None:
        from ..model import load_model

        model = load_model(scenario.model_path)
    fs, label = factors(scenario, model, ranges, posterior)
    specs = resolve_outputs(scenario, outputs, every_year)
    return scenario, model, fs, label, specs


def _attrs(df, method, scenario, fs, label, seed, n, n_runs, seconds, constant, log=False):
    """``df`` with the study's facts in ``df.attrs`` (method, ranges, seed, runs, factors, constant outputs)."""
    df.attrs.update({"log": bool(log), "method": method, "scenario": scenario.name, "ranges": label, "seed": seed,
                     "n": n, "n_runs": n_runs, "seconds": seconds, "constant_outputs": constant,
                     "factors": [asdict(f) for f in fs]})
    return df


def _analyse_outputs(specs, Y: dict, prob: dict, analyze, columns: list[str], sort_by: str):
    """Rows of indices for every output, sorted by ``sort_by``.

    An output that is constant or not finite gets NaN rows (listed in the second list when constant).
    """
    rows, constant = [], []
    for s in specs:
        y = Y[s.name]
        if not np.all(np.isfinite(y)) or np.ptp(y) == 0:
            if np.all(np.isfinite(y)):
                constant.append(s.name)
            rows += [dict({c: np.nan for c in columns[2:]}, output=s.name, parameter=name)
                     for name in prob["names"]]
            continue
        part = pd.DataFrame({"output": s.name, "parameter": prob["names"], **analyze(y)})
        rows += part.sort_values(sort_by, ascending=False).to_dict("records")
    return rows, constant


def sobol(scenario, model=None, n: int = 512, outputs=None, seed: int | None = None,
          every_year: bool = False, ranges: str = "auto", num_resamples: int = 100,
          conf_level: float = 0.95, posterior: Path | None = None, log: bool = False) -> pd.DataFrame:
    """First-order and total Sobol' indices of each output with respect to each factor.

    ``scenario`` is a Scenario or a path; ``n`` the base sample (a power of two), giving
    ``n * (D + 2)`` runs for D factors (Saltelli's scheme, no second-order indices);
    ``seed`` defaults to the scenario's. Returns a DataFrame with columns output, parameter,
    S1, S1_conf, ST, ST_conf (confidence half-widths at ``conf_level``), sorted by ST within
    each output; ``df.attrs`` holds the factors, their range source and the run count.
    ``log=True`` analyses the natural log of each (positive) value output: for outputs spread
    over orders of magnitude, whose variance the largest values would otherwise dominate.
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    if n < 2 or n & (n - 1):
        raise InputError("n", "", f"{n} is not a power of two", "use a power of two such as 256, 512 or 1024")
    t0 = _time.perf_counter()
    scenario, model, fs, label, specs = _prepare(scenario, model, outputs, every_year, ranges, posterior)
    seed = scenario.seed if seed is None else int(seed)
    prob = problem(fs)
    Xs = sobol_sample.sample(prob, n, calc_second_order=False, scramble=True, seed=seed)
    Y = evaluate(scenario, model, fs, _sample_natural(fs, Xs), specs, log)

    def analyze(y):
        r = sobol_analyze.analyze(prob, y, calc_second_order=False, num_resamples=num_resamples,
                                  conf_level=conf_level, print_to_console=False, seed=seed)
        return {k: r[k] for k in SOBOL_COLUMNS[2:]}

    rows, constant = _analyse_outputs(specs, Y, prob, analyze, SOBOL_COLUMNS, "ST")
    df = pd.DataFrame(rows, columns=SOBOL_COLUMNS)
    return _attrs(df, "sobol", scenario, fs, label, seed, n, len(Xs), _time.perf_counter() - t0, constant, log)


def morris(scenario, model=None, n: int = 100, outputs=None, seed: int | None = None,
           every_year: bool = False, ranges: str = "auto", num_levels: int = 4,
           num_resamples: int = 1000, conf_level: float = 0.95,
           posterior: Path | None = None, log: bool = False) -> pd.DataFrame:
    """Morris elementary effects: ``n`` trajectories, ``n * (D + 1)`` runs.

    Returns columns output, parameter, mu_star, mu_star_conf, sigma (in the output's units
    per step of ``num_levels / (2 (num_levels - 1))`` of a factor's range), sorted by mu_star.
    """
    from SALib.analyze import morris as morris_analyze
    from SALib.sample import morris as morris_sample

    if n < 2:
        raise InputError("n", "", f"{n} trajectories are too few", "use at least 2 (e.g. 50-200)")
    t0 = _time.perf_counter()
    scenario, model, fs, label, specs = _prepare(scenario, model, outputs, every_year, ranges, posterior)
    seed = scenario.seed if seed is None else int(seed)
    prob = problem(fs)
    Xs = morris_sample.sample(prob, n, num_levels=num_levels, seed=seed)
    Y = evaluate(scenario, model, fs, _sample_natural(fs, Xs), specs, log)

    def analyze(y):
        r = morris_analyze.analyze(prob, Xs, y, conf_level=conf_level, num_resamples=num_resamples,
                                   num_levels=num_levels, print_to_console=False, seed=seed)
        return {k: r[k] for k in MORRIS_COLUMNS[2:]}

    rows, constant = _analyse_outputs(specs, Y, prob, analyze, MORRIS_COLUMNS, "mu_star")
    df = pd.DataFrame(rows, columns=MORRIS_COLUMNS)
    return _attrs(df, "morris", scenario, fs, label, seed, n, len(Xs), _time.perf_counter() - t0, constant, log)


def over_time(scenario, model=None, indicators=None, method: str = "sobol", n: int | None = None,
              seed: int | None = None, ranges: str = "auto", years=None, **kwargs) -> pd.DataFrame:
    """Indices of indicators at every year (one engine pass): columns indicator, year + the method's.

    ``indicators`` defaults to the scenario's targeted indicators; ``years`` to start+1..end.
    """
    if isinstance(scenario, (str, Path)):
        from ..scenario import load_scenario

        scenario = load_scenario(scenario, model)
    if isinstance(indicators, str):
        indicators = [indicators]
    indicators = indicators or list(dict.fromkeys(t.indicator for t in scenario.targets))
    years = list(years) if years is not None else list(range(scenario.start + 1, scenario.end + 1))
    names = [f"{ind}@{y}" for ind in indicators for y in years]
    fn = {"sobol": sobol, "morris": morris}.get(method)
    if fn is None:
        raise InputError("method", "", f"unknown method {method!r}", "use sobol or morris")
    df = fn(scenario, model, n=n or (256 if method == "sobol" else 50), outputs=names, seed=seed,
            ranges=ranges, **kwargs)
    split = df["output"].str.rsplit("@", n=1, expand=True)
    out = df.assign(indicator=split[0], year=split[1].astype(int))
    out.attrs = dict(df.attrs)
    return out[["indicator", "year"] + list(df.columns)]
