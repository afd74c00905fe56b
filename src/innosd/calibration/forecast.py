"""Predictive draws of a calibration and the indicator quantiles ``innosd forecast`` writes.

Posterior parameter draws go through the model, plus measurement and model-discrepancy noise.

A predictive draw of a published figure is ``model * exp(sd * N(0, 1))`` with ``sd = sqrt(sigma^2 + sigma_d^2)``:
sigma is measurement.yaml's ``predictive_sigma`` (or, when scoring an observation, that row's own sigma) and
sigma_d the draw's discrepancy sigma of the variable's group. An indicator whose variable has no calibrated
series gets no noise at all: its spread is the parameters' alone.

Every function takes one calibration run or a list of runs of several model structures (one vintage); the
draws of several are pooled by the structures' evidence weights (:func:`.structures.mix`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..indicators import INDICATORS
from .baseline import fit_trend
from .calibrate import CalibrationRun, predictions
from .scores import QCOLS, QUANTILES
from .structures import mix, run_weights

#: The indicators ``innosd forecast`` must cover (more are written when the model has them).
REQUIRED = ("gdp", "rd_intensity", "rd_expenditure", "valid_invention_patents", "tech_smes", "chuying", "dengling",
            "lingjun", "high_tech_enterprises", "unicorns", "tech_contract_turnover")
COLUMNS = ("indicator", "year", "measure", "q05", "q25", "q50", "q75", "q95", "baseline")


def group_sd(run: CalibrationRun, group: str, sigma: float | np.ndarray) -> np.ndarray | None:
    """Total predictive log-sd per draw (draws,) for a discrepancy group, or None if it has no series."""
    groups = run.problem.groups
    if group not in groups:
        return None
    sd_d = run.sigma_d[:, groups.index(group)]
    return np.sqrt(np.asarray(sigma, float) ** 2 + sd_d ** 2)


def _runs(runs) -> list[CalibrationRun]:
    return list(runs) if isinstance(runs, (list, tuple)) else [runs]


def forecast_table(runs, to_year: int, rng: np.random.Generator) -> pd.DataFrame:
    """Quantiles of every indicator (in its published measure) for each year from the model start to ``to_year``.

    Parameters
    ----------
    runs : CalibrationRun or list of CalibrationRun
        One vintage's calibration, one run per model structure (pooled by evidence weight).
    to_year : int
    rng : numpy.random.Generator

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`, exactly one row per indicator and year; ``baseline`` is the log-linear trend
        of the indicator's own observed series up to the vintage (empty when it has none).
    """
    runs = _runs(runs)
    run = runs[0]
    model = run.problem.model
    names = [n for n, ind in INDICATORS.items() if ind.variable in model.variables]
    variables = list(dict.fromkeys(INDICATORS[n].variable for n in names))
    sims = [r.problem.simulate(r.x, variables, final_time=float(to_year)) for r in runs]
    years = np.rint(np.asarray(sims[0].time)).astype(int)
    sigma = run.measurement.predictive_sigma
    weights = run_weights(runs)
    rows = []
    for name in names:
        ind = INDICATORS[name]
        per = []
        for r, res in zip(runs, sims, strict=True):
            vals = np.asarray(res[ind.variable])                   # (k, T)
            sd = group_sd(r, ind.variable, sigma)
            per.append(vals * np.exp(sd[:, None] * rng.standard_normal(vals.shape)) if sd is not None else vals)
        q = np.quantile(mix(per, weights, rng), QUANTILES, axis=0)  # (5, T)
        base = baseline(run, name, years)
        for t, year in enumerate(years):
            rows.append({"indicator": name, "year": int(year), "measure": ind.measure,
                         **{c: q[i, t] for i, c in enumerate(QCOLS)}, "baseline": base[t]})
    return pd.DataFrame(rows, columns=list(COLUMNS))


def baseline(run: CalibrationRun, indicator: str, years) -> np.ndarray:
    """Log-linear trend of the observed series named like the indicator (same definition), up to the vintage."""
    s = run.measurement.series.get(indicator)
    years = np.asarray(years, float)
    if not s or s.get("bridge") or s["variable"] != INDICATORS[indicator].variable:
        return np.full(years.shape, np.nan)
    hist = run.measurement.history(indicator, run.settings.until)
    return fit_trend(hist.year.to_numpy(float), hist.value.to_numpy(float)).predict(years)


def predictive_at(runs, obs: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Predictive draws (draws, m) of the observed rows ``obs``, pooled over the structures' runs by weight.

    Each row's own sigma plus its discrepancy.
    """
    runs = _runs(runs)
    per = []
    for run in runs:
        pred = predictions(run, obs)
        sd = np.empty(pred.shape)
        for i, r in enumerate(obs.itertuples()):
            g = group_sd(run, r.group, r.sigma)
            sd[:, i] = r.sigma if g is None else g
        per.append(pred * np.exp(sd * rng.standard_normal(pred.shape)))
    return mix(per, run_weights(runs), rng)
