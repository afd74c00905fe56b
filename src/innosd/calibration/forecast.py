"""Predictive quantiles from a calibration and out-of-sample scores against the held-out observations.

Predictive = posterior parameter draws through the model, times lognormal measurement noise
exp(sigma * N(0, 1)): sigma is the observation's own (measurement.yaml) when scoring, and the
``predictive_sigma`` of an actual for the indicator quantiles.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..indicators import INDICATORS
from .baseline import fit_trend
from .calibrate import LAST_DATA_YEAR, CalibrationRun, predictions

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
QCOLS = ("q05", "q25", "q50", "q75", "q95")


def _baseline_source(run: CalibrationRun, indicator: str) -> str | None:
    """The observed series of the same name and definition (no bridge) feeding an indicator's baseline."""
    s = run.measurement.series.get(indicator)
    if s and not s.get("bridge") and s["variable"] == INDICATORS[indicator].variable:
        return indicator
    return None


def forecast_table(run: CalibrationRun, to_year: int, rng: np.random.Generator) -> pd.DataFrame:
    """Quantiles of every vocabulary indicator for each year from the model start to ``to_year``."""
    model = run.problem.model
    names = [n for n, ind in INDICATORS.items() if ind.variable in model.variables]
    variables = list(dict.fromkeys(INDICATORS[n].variable for n in names))
    res = run.problem.simulate(run.x, variables, final_time=float(to_year))
    years = np.asarray(res.time)
    sigma = run.measurement.predictive_sigma
    rows = []
    for name in names:
        ind = INDICATORS[name]
        vals = np.asarray(res[ind.variable])                       # (k, T)
        noisy = vals * np.exp(sigma * rng.standard_normal(vals.shape))
        q = np.quantile(noisy, QUANTILES, axis=0)                  # (5, T)
        src = _baseline_source(run, name)
        if src:
            trend = fit_trend(*run.measurement.history(src, run.settings.until)[["year", "value"]].to_numpy().T)
            base = trend.predict(years)
        else:
            base = np.full(years.shape, np.nan)
        for t, year in enumerate(years):
            rows.append({"indicator": name, "year": int(round(year)), "measure": ind.measure,
                         **{c: q[i, t] for i, c in enumerate(QCOLS)}, "baseline": base[t]})
    return pd.DataFrame(rows)


def score(run: CalibrationRun, rng: np.random.Generator, last_year: int = LAST_DATA_YEAR):
    """Score the observations after ``until`` (up to ``last_year``). Returns (per-observation, summary)."""
    until = run.settings.until
    obs = run.measurement.comparisons(until=last_year, since=until + 1)
    if obs.empty:
        return obs, pd.DataFrame()
    pred = predictions(run, obs)                                   # (k, m)
    noisy = pred * np.exp(obs.sigma.to_numpy() * rng.standard_normal(pred.shape))
    q = np.quantile(noisy, QUANTILES, axis=0)
    out = obs[["series", "year", "value", "kind", "sigma"]].rename(columns={"value": "observed"}).copy()
    for i, c in enumerate(QCOLS):
        out[c] = q[i]
    out["in90"] = (out.observed >= out.q05) & (out.observed <= out.q95)
    out["in50"] = (out.observed >= out.q25) & (out.observed <= out.q75)
    out["ape_model"] = np.abs(out.q50 / out.observed - 1) * 100
    base = []
    for r in out.itertuples():
        trend = fit_trend(*run.measurement.history(r.series, until)[["year", "value"]].to_numpy().T)
        base.append(float(trend.predict([r.year])[0]))
    out["baseline"] = base
    out["ape_baseline"] = np.abs(out.baseline / out.observed - 1) * 100
    both = out.baseline.notna()
    summ = pd.DataFrame([{
        "until": until, "n_scored": len(out), "coverage90": out.in90.mean(), "coverage50": out.in50.mean(),
        "mdape_model": out.ape_model.median(),
        "n_with_baseline": int(both.sum()),
        "mdape_model_where_baseline": out.ape_model[both].median() if both.any() else np.nan,
        "mdape_baseline": out.ape_baseline[both].median() if both.any() else np.nan,
    }])
    return out.reset_index(drop=True), summ


def format_scores(per_obs: pd.DataFrame, summ: pd.DataFrame) -> str:
    if per_obs.empty:
        return "no observation after the calibration year to score"
    lines = [f"{'series':<34}{'year':>5} {'observed':>9} {'q05':>9} {'q50':>9} {'q95':>9} {'in90':>5} {'in50':>5}"
             f" {'APE%':>6} {'baseline':>9} {'APE%':>6}"]
    for r in per_obs.itertuples():
        b = "-" if r.baseline != r.baseline else f"{r.baseline:.4g}"
        ab = "-" if r.ape_baseline != r.ape_baseline else f"{r.ape_baseline:.1f}"
        lines.append(f"{r.series:<34}{r.year:>5} {r.observed:>9.4g} {r.q05:>9.4g} {r.q50:>9.4g} {r.q95:>9.4g}"
                     f" {'yes' if r.in90 else 'no':>5} {'yes' if r.in50 else 'no':>5} {r.ape_model:>6.1f}"
                     f" {b:>9} {ab:>6}")
    s = summ.iloc[0]
    lines.append(f"{int(s.n_scored)} held-out observations: 90% interval coverage {s.coverage90:.0%}, "
                 f"50% coverage {s.coverage50:.0%}; median APE model {s.mdape_model:.1f}%")
    lines.append(f"where a baseline exists ({int(s.n_with_baseline)}): median APE model "
                 f"{s.mdape_model_where_baseline:.1f}% vs log-linear baseline {s.mdape_baseline:.1f}%")
    return "\n".join(lines)
