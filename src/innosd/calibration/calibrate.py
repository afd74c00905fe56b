"""The calibration pipeline: MAP -> MCMC -> posterior draws, fit table, fit.yaml."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from .. import paths
from .baseline import fit_trend
from .fit import MapResult, fit_map
from .likelihood import Problem
from .measurement import Measurement, load_measurement
from .mcmc import Chain, run_mcmc
from .priors import Priors, load_priors
from .stats import STAT_NAMES, fit_stats, identifiability

DEFAULT_SEED = 2016
LAST_DATA_YEAR = 2020     # the data hold no actual after 2020


@dataclass
class Settings:
    until: int = LAST_DATA_YEAR
    draws: int = 4000          # posterior rows kept (evenly thinned from the kept chain)
    seed: int = DEFAULT_SEED
    walkers: int = 128
    steps: int = 16000
    burn: int = 4000
    starts: int = 4            # MAP starts (the first at the model defaults, the rest from the prior)
    max_nfev: int = 60
    threshold: float = 0.5     # identified when posterior 90% width < threshold * prior 90% width


@dataclass
class CalibrationRun:
    settings: Settings
    priors: Priors
    measurement: Measurement
    problem: Problem
    map: MapResult
    chain: Chain
    x: np.ndarray              # (draws, p) posterior draws, model units
    log_prob: np.ndarray       # (draws,)
    width_ratio: np.ndarray    # (p,)
    identified: np.ndarray     # (p,) bool
    seconds: dict = field(default_factory=dict)

    def frame(self) -> pd.DataFrame:
        df = pd.DataFrame(self.x, columns=list(self.priors.names))
        df["log_prob"] = self.log_prob
        return df


def calibrate(settings: Settings | None = None, model=None, progress: bool = True, log=None) -> CalibrationRun:
    from ..model import load_model

    s = settings or Settings()
    log = log or (lambda *_: None)
    model = model or load_model()
    priors = load_priors(model=model)
    meas = load_measurement()
    obs = meas.comparisons(until=s.until)
    if obs.empty:
        raise ValueError(f"no observation in {meas.horizon_start}-{s.until} to calibrate on")
    problem = Problem(model, priors, obs)
    log(f"calibrating {priors.p} parameters on {len(obs)} observations ({meas.horizon_start}-{s.until}, "
        f"{obs.series.nunique()} series)")
    t0 = time.perf_counter()
    mp = fit_map(problem, np.random.default_rng(s.seed), starts=s.starts, max_nfev=s.max_nfev, log=log)
    t1 = time.perf_counter()
    log(f"MAP: chi2 {mp.chi2:.2f} over {problem.m} observations ({t1 - t0:.1f} s)")
    chain = run_mcmc(problem, priors.z_of_u(mp.u), mp.cov_z, s.walkers, s.steps, s.burn,
                     seed=s.seed + 1, progress=progress)
    t2 = time.perf_counter()
    z, lp = chain.thin(s.draws)
    u_all = priors.u_of_z(chain.z.reshape(-1, priors.p))
    ratio, ident = identifiability(u_all, s.threshold)
    return CalibrationRun(s, priors, meas, problem, mp, chain, priors.to_x_from_z(z), lp, ratio, ident,
                          {"map": t1 - t0, "mcmc": t2 - t1, "total": t2 - t0})


# ---------------------------------------------------------------------------------- fit table
def predictions(run: CalibrationRun, obs: pd.DataFrame, x: np.ndarray | None = None) -> np.ndarray:
    """Model values (draws, m) at the rows of ``obs`` for the posterior draws (one engine pass)."""
    pb = Problem(run.problem.model, run.priors, obs)
    return pb.predict(run.x if x is None else x)


def fit_table(run: CalibrationRun, last_year: int = LAST_DATA_YEAR) -> pd.DataFrame:
    """Per series: model (posterior median) and baseline statistics, in sample (<= until) and out of sample."""
    meas, until = run.measurement, run.settings.until
    obs = meas.comparisons(until=last_year)
    med = np.median(predictions(run, obs), axis=0)
    obs = obs.assign(model=med)
    rows = []
    for series, g in obs.groupby("series", sort=True):
        trend = fit_trend(*meas.history(series, until)[["year", "value"]].to_numpy().T)
        g = g.assign(baseline=trend.predict(g.year))
        for sample, part in (("in", g[g.year <= until]), ("out", g[g.year > until])):
            if part.empty:
                continue
            m, b = fit_stats(part.value, part.model), fit_stats(part.value, part.baseline)
            row = {"series": series, "sample": sample, "n": m["n"],
                   "years": " ".join(str(y) for y in part.year),
                   "observed": " ".join(f"{v:g}" for v in part.value),
                   "model": " ".join(f"{v:.4g}" for v in part.model),
                   "baseline": " ".join(f"{v:.4g}" for v in part.baseline),
                   "baseline_points": trend.n, "baseline_rate": trend.rate}
            row.update({f"model_{k}": m[k] for k in STAT_NAMES[1:]})
            row.update({f"baseline_{k}": b[k] for k in STAT_NAMES[1:]})
            rows.append(row)
    return pd.DataFrame(rows)


def format_fit_table(table: pd.DataFrame) -> str:
    head = (f"{'series':<34}{'smp':>4}{'n':>3}  {'MAPE% model':>11} {'base':>7}  {'R2 model':>8} {'base':>6}"
            f"  {'RMSE model':>10} {'base':>9}  {'U model':>7}  {'UM':>5} {'US':>5} {'UC':>5}")
    lines = [head, "-" * len(head)]

    def f(v, fmt):
        return "-" if v != v else format(v, fmt)
    for r in table.itertuples():
        lines.append(f"{r.series:<34}{r.sample:>4}{r.n:>3}  {f(r.model_mape, '11.1f')} {f(r.baseline_mape, '7.1f')}"
                     f"  {f(r.model_r2, '8.2f')} {f(r.baseline_r2, '6.2f')}  {f(r.model_rmse, '10.4g')}"
                     f" {f(r.baseline_rmse, '9.4g')}  {f(r.model_theil_u, '7.3f')}  {f(r.model_um, '5.2f')}"
                     f" {f(r.model_us, '5.2f')} {f(r.model_uc, '5.2f')}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------- fit.yaml
def _f(v):
    v = float(v)
    return None if v != v else float(f"{v:.6g}")


def summary(run: CalibrationRun, table: pd.DataFrame | None = None) -> dict:
    s, pri, ch, mp = run.settings, run.priors, run.chain, run.map
    q05, q50, q95 = np.quantile(run.x, [0.05, 0.5, 0.95], axis=0)
    params = {}
    for j, name in enumerate(pri.names):
        params[name] = {
            "prior": "loguniform" if pri.log[j] else "uniform", "low": _f(pri.low[j]), "high": _f(pri.high[j]),
            "map": _f(mp.x[j]), "median": _f(q50[j]), "q05": _f(q05[j]), "q95": _f(q95[j]),
            "width_ratio": _f(run.width_ratio[j]),
            "status": "identified" if run.identified[j] else "prior-dominated",
            "tau": _f(ch.tau[j]), "rhat": _f(ch.rhat[j]),
        }
    obs = run.problem.obs
    pred = run.problem.predict(mp.x)[0]
    residuals = [{"series": r.series, "year": int(r.year), "observed": _f(r.value), "map": _f(p),
                  "sigma": _f(r.sigma), "z": _f(z)}
                 for r, p, z in zip(obs.itertuples(), pred, mp.residuals)]
    out = {
        "settings": asdict(s),
        "likelihood": "log(observed) ~ Normal(log(model), sigma); sigma from calibration/measurement.yaml",
        "priors": "calibration/parameters.yaml (uniform / loguniform on [low, high]); sampled in z = logit(prior CDF)",
        "data": {"observations": int(run.problem.m), "series": int(obs.series.nunique()),
                 "years": f"{int(obs.year.min())}-{int(obs.year.max())}", "parameters": int(pri.p)},
        "map": {"chi2": _f(mp.chi2), "cost_with_prior_penalty": _f(mp.cost), "starts": [{**r, "cost": _f(r["cost"])} for r in mp.starts],
                "function_evaluations": int(mp.nfev), "jacobian_evaluations": int(mp.njev),
                "residuals": residuals},
        "diagnostics": {
            "sampler": "emcee EnsembleSampler, vectorize=True, MHMove (adaptive Gaussian random walk during burn-in, "
                       "frozen after); one engine pass per step for all walkers",
            "walkers": int(ch.walkers), "steps": int(ch.steps), "burn_in": int(ch.burn),
            "kept_samples": int(ch.samples), "posterior_draws_saved": int(len(run.x)),
            "acceptance_mean": _f(ch.acceptance.mean()), "acceptance_min": _f(ch.acceptance.min()),
            "acceptance_max": _f(ch.acceptance.max()),
            "tau_mean": _f(np.nanmean(ch.tau)), "tau_max": _f(np.nanmax(ch.tau)),
            "kept_steps_over_tau_max": _f((ch.steps - ch.burn) / np.nanmax(ch.tau)),
            "ess_min": _f(ch.ess().min()),
            "rhat_max": _f(np.nanmax(ch.rhat)), "rhat_median": _f(np.nanmedian(ch.rhat)),
            "converged": bool(np.nanmax(ch.rhat) < 1.1 and (ch.steps - ch.burn) > 50 * np.nanmax(ch.tau)),
            "engine_calls": int(run.problem.engine_calls), "members_simulated": int(run.problem.members),
            "seconds": {k: _f(v) for k, v in run.seconds.items()},
        },
        "identifiability": {
            "rule": f"identified if posterior 90% width / prior 90% width < {s.threshold} (widths in the prior-CDF coordinate)",
            "identified": [n for n, i in zip(pri.names, run.identified) if i],
            "prior_dominated": [n for n, i in zip(pri.names, run.identified) if not i],
        },
        "parameters": params,
    }
    if table is not None:
        out["fit_table"] = "calibration/fit_table.csv"
    return out


def write_outputs(run: CalibrationRun, table: pd.DataFrame, folder=None) -> dict:
    import yaml

    folder = paths.CALIBRATION if folder is None else folder
    folder.mkdir(parents=True, exist_ok=True)
    files = {"posterior": folder / "posterior.csv", "fit": folder / "fit.yaml", "table": folder / "fit_table.csv"}
    run.frame().to_csv(files["posterior"], index=False, float_format="%.8g")
    table.to_csv(files["table"], index=False, float_format="%.6g")
    header = ("# Written by `innosd calibrate` (src/innosd/calibration). Do not edit by hand.\n"
              "# MAP, posterior medians and 90% intervals, MCMC diagnostics and identifiability.\n")
    files["fit"].write_text(header + yaml.safe_dump(summary(run, table), sort_keys=False, allow_unicode=True,
                                                     width=110), encoding="utf-8")
    return files


def format_summary(run: CalibrationRun) -> str:
    s, ch, pri = run.settings, run.chain, run.priors
    tau_max = np.nanmax(ch.tau)
    lines = [
        f"MAP: chi2 = {run.map.chi2:.2f} over {run.problem.m} observations "
        f"(best of {len(run.map.starts)} starts; {run.map.nfev} evaluations)",
        f"MCMC: {ch.walkers} walkers x {ch.steps} steps ({ch.burn} burn-in), {ch.samples} kept samples, "
        f"{len(run.x)} draws saved",
        f"  acceptance {ch.acceptance.mean():.3f} (min {ch.acceptance.min():.3f}); "
        f"tau mean {np.nanmean(ch.tau):.0f}, max {tau_max:.0f} steps "
        f"(kept steps = {(ch.steps - ch.burn) / tau_max:.1f} x tau_max); ESS min {ch.ess().min():.0f}; "
        f"split R-hat max {np.nanmax(ch.rhat):.3f}, median {np.nanmedian(ch.rhat):.3f}",
    ]
    if np.nanmax(ch.rhat) >= 1.1 or (ch.steps - ch.burn) < 50 * tau_max:
        lines.append("  NOT fully converged by the usual rules (R-hat < 1.1 and > 50 tau): treat the tails of "
                     "prior-dominated parameters as approximate; run longer with --steps for a tighter check.")
    ident = [n for n, i in zip(pri.names, run.identified) if i]
    lines.append(f"identified by the data ({len(ident)} of {pri.p}; posterior 90% width < "
                 f"{s.threshold:g} x prior 90% width):")
    q05, q50, q95 = np.quantile(run.x, [0.05, 0.5, 0.95], axis=0)
    for j, name in enumerate(pri.names):
        if run.identified[j]:
            lines.append(f"  {name:<40} median {q50[j]:<10.4g} 90% [{q05[j]:.4g}, {q95[j]:.4g}]  "
                         f"width ratio {run.width_ratio[j]:.2f}")
    dominated = [n for n, i in zip(pri.names, run.identified) if not i]
    lines.append(f"prior-dominated ({len(dominated)} of {pri.p}; the data say little about them, their "
                 f"posterior is close to the prior range in parameters.yaml):")
    lines.append("  " + ", ".join(dominated))
    return "\n".join(lines)


def format_map_fit(run: CalibrationRun) -> str:
    obs = run.problem.obs
    pred = run.problem.predict(run.map.x)[0]
    lines = [f"{'series':<34}{'year':>5} {'observed':>10} {'MAP':>10} {'sigma':>6} {'z':>6}"]
    for r, p, z in zip(obs.itertuples(), pred, run.map.residuals):
        flag = "  <- poor" if abs(z) > 2 else ""
        lines.append(f"{r.series:<34}{r.year:>5} {r.value:>10.4g} {p:>10.4g} {r.sigma:>6.3f} {z:>6.2f}{flag}")
    return "\n".join(lines)
