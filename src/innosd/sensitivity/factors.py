"""Factors and outputs of a sensitivity study: what is varied, over which range, and what is measured.

See :mod:`innosd.sensitivity` for the rules; this module only declares (no model runs).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import paths
from ..errors import InputError
from ..indicators import INDICATORS

RANGES = ("auto", "prior", "posterior")


@dataclass(frozen=True)
class Factor:
    """One input varied by the analysis. ``low``/``high`` are in the parameter's own units."""

    name: str        # name shown in results: parameter name, 'lever:<lever>' or 'scale:<parameter>'
    kind: str        # 'parameter', 'scale' or 'lever'
    target: str      # model constant or lever name
    low: float
    high: float
    log: bool        # sampled uniformly in log space
    source: str      # where the range comes from
    mode: str = ""   # for levers: 'shift' or 'scale'

    @property
    def bounds(self) -> list[float]:
        """Bounds in sampling coordinates (log for ``log``)."""
        return [float(np.log(self.low)), float(np.log(self.high))] if self.log else [self.low, self.high]

    def to_natural(self, x: np.ndarray) -> np.ndarray:
        """Sampling coordinates (n,) -> the parameter's own units (n,)."""
        return np.exp(x) if self.log else x


def read_priors(path: Path | None = None) -> dict:
    """Name -> {low, high, prior, default, unit, why} of calibration/parameters.yaml ({} when absent).

    Read through :func:`innosd.calibration.priors.load_priors`, the one reader of that file.
    """
    from ..calibration.priors import prior_records

    path = Path(path or paths.PARAMETERS_YAML)
    return prior_records(path) if path.is_file() else {}


def factors(scenario, model, ranges: str = "auto", posterior: Path | None = None,
            priors: dict | None = None) -> tuple[list[Factor], str]:
    """The factors of a scenario and a one-line description of where their ranges come from.

    Parameters
    ----------
    scenario : Scenario
        What is uncertain: its uncertain parameters and lever uncertainties, and every calibrated
        parameter it does not fix.
    model : CompiledModel
        The model (parameters it lacks are skipped).
    ranges : {"auto", "prior", "posterior"}
        Where parameter ranges come from (see the module docstring).
    posterior : pathlib.Path, optional
        The posterior draws (default ``calibration/posterior.csv``).
    priors : dict, optional
        name -> {low, high, prior} (default: :func:`read_priors`).

    Raises
    ------
    innosd.errors.InputError
        Naming ``ranges`` when unknown, the posterior when asked for and absent, the scenario when nothing varies.
    """
    if ranges not in RANGES:
        raise InputError("ranges", "", f"unknown range source {ranges!r}", "use auto, prior or posterior")
    priors = read_priors() if priors is None else priors
    post_path = Path(posterior or paths.CALIBRATION / "posterior.csv")
    use_post = ranges == "posterior" or (ranges == "auto" and post_path.is_file())
    if use_post and not post_path.is_file():
        raise InputError(str(post_path), "", "no posterior to take ranges from",
                         "run `innosd calibrate` first, or use prior ranges")
    post = pd.read_csv(post_path) if use_post else None
    out, n_post = _parameter_factors(scenario, model, priors, post)
    out += _scenario_factors(scenario)
    if not out:
        raise InputError(str(scenario.path), "parameters", "nothing uncertain to analyse",
                         "declare uncertain parameters or lever uncertainties in the scenario")
    if use_post:
        others = n_post < sum(f.kind == "parameter" for f in out)
        label = (f"posterior {post_path.name}: 1st-99th percentiles for {n_post} parameters"
                 + (" (others from parameters.yaml)" if others else ""))
    else:
        label = "parameters.yaml low-high (prior ranges; no posterior used)"
    return out, label


def _parameter_factors(scenario, model, priors: dict, post: pd.DataFrame | None) -> tuple[list[Factor], int]:
    """Calibrated parameters the scenario leaves free, over their prior or posterior range.

    Returns the factors and how many of them took the posterior's range.
    """
    out: list[Factor] = []
    fixed = set(scenario.parameters) | {up.name for up in scenario.uncertain_parameters if not up.scale}
    n_post = 0
    for name, spec in priors.items():
        if name not in model.constants or name in fixed:
            continue
        lo, hi = float(spec["low"]), float(spec["high"])
        source = "parameters.yaml low-high"
        col = post[name].to_numpy(float) if post is not None and name in post.columns else np.array([])
        col = col[np.isfinite(col)]
        if col.size:
            lo, hi = (float(v) for v in np.quantile(col, [0.01, 0.99]))
            source = "posterior 1st-99th percentile"
            n_post += 1
        if not hi > lo:
            continue  # pinned by the posterior: nothing to vary
        log = str(spec.get("prior", "uniform")).lower() == "loguniform" and lo > 0
        out.append(Factor(name, "parameter", name, lo, hi, log, source))
    return out, n_post


def _scenario_factors(scenario) -> list[Factor]:
    """The scenario's own uncertain parameters (a range, or a scale of the value) and lever uncertainties."""
    out: list[Factor] = []
    for up in scenario.uncertain_parameters:
        if up.high <= up.low:
            continue
        if up.scale:
            out.append(Factor(f"scale:{up.name}", "scale", up.name, up.low, up.high, False,
                              "scenario (scale of the value)"))
        else:
            out.append(Factor(up.name, "parameter", up.name, up.low, up.high, False, "scenario low-high"))
    for name, lever in scenario.levers.items():
        if lever.uncertainty:
            kind, lo, hi = lever.uncertainty
            if hi > lo:
                out.append(Factor(f"lever:{name}", "lever", name, lo, hi, False,
                                  f"scenario lever uncertainty ({kind})", kind))
    return out


def problem(fs: list[Factor]) -> dict:
    """SALib problem definition (bounds in sampling coordinates)."""
    return {"num_vars": len(fs), "names": [f.name for f in fs], "bounds": [f.bounds for f in fs]}

@dataclass(frozen=True)
class Output:
    """One analysed output: ``indicator`` in ``year`` (a target's quantity, or whether it is met)."""

    name: str
    indicator: str
    year: int
    target: object = None   # a scenario Target or None
    met: bool = False


def resolve_outputs(scenario, outputs=None, every_year: bool = False) -> list[Output]:
    """Output specs from names: target ids, '<id>:met', '<indicator>@<year>'; None = every target.

    Raises
    ------
    innosd.errors.InputError
        Naming ``outputs`` for a name that is none of these (with the close indicator names).
    """
    if outputs is None:
        if not scenario.targets:
            raise InputError(str(scenario.path), "targets", "the scenario has no targets to analyse",
                             "name an output such as INDICATOR@YEAR")
        specs = [spec for t in scenario.targets for spec in (Output(t.id, t.indicator, t.year, t),
                                                             Output(f"{t.id}:met", t.indicator, t.year, t, True))]
    else:
        specs = [_output(str(name), scenario) for name in ([outputs] if isinstance(outputs, str) else outputs)]
    if every_year:
        for ind in dict.fromkeys(s.indicator for s in specs):
            specs += [Output(f"{ind}@{y}", ind, y) for y in range(scenario.start + 1, scenario.end + 1)]
    return list({s.name: s for s in specs}.values())


def _output(name: str, scenario) -> Output:
    """One named output: a target id, '<id>:met' or '<indicator>@<year>'."""
    by_id = {t.id: t for t in scenario.targets}
    if name in by_id:
        t = by_id[name]
        return Output(name, t.indicator, t.year, t)
    if name.endswith(":met") and name[:-4] in by_id:
        t = by_id[name[:-4]]
        return Output(name, t.indicator, t.year, t, True)
    if "@" not in name:
        raise InputError("outputs", "", f"unknown output {name!r}",
                         "use a target id (" + ", ".join(by_id) + "), '<id>:met' or INDICATOR@YEAR")
    ind, _, year = name.partition("@")
    if ind not in INDICATORS:
        import difflib

        close = difflib.get_close_matches(ind, list(INDICATORS), n=3)
        raise InputError("outputs", "", f"unknown indicator {ind!r}",
                         "did you mean " + " or ".join(close) + "?" if close
                         else "use an indicator name such as tech_contract_turnover")
    try:
        y = int(year)
    except ValueError:
        raise InputError("year", "", f"{year!r} in {name!r} is not a year", "write a year such as 2027") from None
    if not scenario.start <= y <= scenario.end:
        raise InputError("year", "", f"{y} in {name!r} is outside the horizon {scenario.start}..{scenario.end}",
                         f"use a year from {scenario.start} to {scenario.end}")
    return Output(f"{ind}@{y}", ind, y)
