"""What a calibration writes and prints: posterior.csv, fit.yaml, fit_table.csv and the terminal summary."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..display import csv_number
from .baseline import fit_trend
from .calibrate import LAST_DATA_YEAR, CalibrationRun, predictions
from .stats import STAT_NAMES, fit_stats

SAMPLER = ("SMC with adaptive tempering (own NumPy implementation, src/innosd/calibration/smc.py): next exponent by "
           "bisection at ESS = ess_fraction N, systematic resampling, random-walk Metropolis moves of the whole "
           "population (one engine pass per step) with the particles' covariance as proposal (affine "
           "reparametrisation), repeated until the particles have moved `jump` (last stage `final_jump`) "
           "population spreads; independent runs (seeds [seed, k]) compared as chains with arviz")
LIKELIHOOD = ("log(observed) = log(model) + delta_g + eps; eps ~ Normal(0, sigma) (measurement, "
              "calibration/measurement.yaml), delta_g ~ Normal(0, sigma_d[g]) (model discrepancy per group, "
              "half-normal prior); lower bounds censored: log Phi((log model - log bound) / sd)")


def _f(v):
    v = float(v)
    return None if np.isnan(v) else float(f"{v:.6g}")


def command(run: CalibrationRun) -> str:
    """The command that reproduces ``run``'s files."""
    from .. import paths
    from .calibrate import Settings, vintage_folder

    s, d = run.settings, Settings()
    args = [f"--until {s.until}"]
    args += [f"--{k} {getattr(s, k)}" for k in ("particles", "runs", "seed") if getattr(s, k) != getattr(d, k)]
    return "innosd calibrate " + " ".join(args) + f" --out {vintage_folder(s.until).relative_to(paths.ROOT)}"


# ---------------------------------------------------------------------------------- fit table
def fit_table(run: CalibrationRun, last_year: int = LAST_DATA_YEAR) -> pd.DataFrame:
    """Per series: model (posterior median) and baseline statistics, in sample (<= until) and out of sample."""
    meas, until = run.measurement, run.settings.until
    obs = meas.comparisons(until=last_year)
    obs = obs[~obs.censored]
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
                   # plain decimals, never an exponent (display.csv_number): 14720, not 1.472e+04
                   "observed": " ".join(csv_number(v) for v in part.value),
                   "model": " ".join(csv_number(float(f"{v:.4g}")) for v in part.model),
                   "baseline": " ".join(csv_number(float(f"{v:.4g}")) for v in part.baseline),
                   "baseline_points": trend.n, "baseline_rate": trend.rate}
            row.update({f"model_{k}": m[k] for k in STAT_NAMES[1:]})
            row.update({f"baseline_{k}": b[k] for k in STAT_NAMES[1:]})
            rows.append(row)
    return pd.DataFrame(rows)


def format_fit_table(table: pd.DataFrame) -> str:
    """The fit table as fixed-width text."""
    head = (f"{'series':<34}{'smp':>4}{'n':>3}  {'MAPE% model':>11} {'base':>7}  {'R2 model':>8} {'base':>6}"
            f"  {'RMSE model':>10} {'base':>9}  {'U model':>7}  {'UM':>5} {'US':>5} {'UC':>5}")
    lines = [head, "-" * len(head)]

    def f(v, fmt):
        return "-" if np.isnan(v) else format(v, fmt)
    for r in table.itertuples():
        lines.append(f"{r.series:<34}{r.sample:>4}{r.n:>3}  {f(r.model_mape, '11.1f')} {f(r.baseline_mape, '7.1f')}"
                     f"  {f(r.model_r2, '8.2f')} {f(r.baseline_r2, '6.2f')}  {f(r.model_rmse, '10.4g')}"
                     f" {f(r.baseline_rmse, '9.4g')}  {f(r.model_theil_u, '7.3f')}  {f(r.model_um, '5.2f')}"
                     f" {f(r.model_us, '5.2f')} {f(r.model_uc, '5.2f')}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------- fit.yaml
def summary(run: CalibrationRun) -> dict:
    """The content of fit.yaml (settings first: ``settings.until`` is the vintage readers look for)."""
    s, pri, mp, dg, pb = run.settings, run.priors, run.map, run.diagnostics, run.problem
    x = run.x
    q05, q50, q95 = np.quantile(x, [0.05, 0.5, 0.95], axis=0)
    params = {}
    for j, name in enumerate(pri.names):
        params[name] = {
            "prior": "loguniform" if pri.log[j] else "uniform", "low": _f(pri.low[j]), "high": _f(pri.high[j]),
            "map": _f(mp.x[j]), "median": _f(q50[j]), "q05": _f(q05[j]), "q95": _f(q95[j]),
            "width_ratio": _f(run.width_ratio[j]),
            "status": "identified" if run.identified[j] else "prior-dominated",
            "rhat": _f(dg["rhat"][j]), "ess_bulk": _f(dg["ess_bulk"][j]),
        }
    sd = run.sigma_d
    disc = {g: {"median": _f(np.median(sd[:, j])), "q05": _f(np.quantile(sd[:, j], 0.05)),
                "q95": _f(np.quantile(sd[:, j], 0.95)), "rhat": _f(dg["rhat"][pb.p + j]),
                "ess_bulk": _f(dg["ess_bulk"][pb.p + j])} for j, g in enumerate(pb.groups)}
    obs = pb.obs
    pred = pb.predict(mp.x)[0]
    residuals = [{"series": r.series, "year": int(r.year), "observed": _f(r.value), "map": _f(p),
                  "sigma": _f(r.sigma), "z": _f(z), **({"censored": True} if r.censored else {})}
                 for r, p, z in zip(obs.itertuples(), pred, mp.residuals, strict=True)]
    ok = bool(dg["rhat_max"] <= 1.01 and dg["ess_bulk_min"] >= 400)
    return {
        "settings": {"until": int(s.until), **{k: v for k, v in vars(s).items() if k != "until"}},
        "reproduce": {"command": command(run), "seed": int(s.seed)},
        "vintage": int(s.until),
        "likelihood": LIKELIHOOD,
        "priors": "calibration/parameters.yaml (uniform / loguniform on [low, high]), sampled in z = logit(prior CDF); "
                  f"sigma_d ~ half-normal(scale {pb.scale:g}), sampled as zeta ~ Normal(0, scale^2), sigma_d = |zeta|",
        "data": {"observations": int(pb.m), "lower_bounds": int(pb.censored.sum()), "series": int(obs.series.nunique()),
                 "years": f"{int(obs.year.min())}-{int(obs.year.max())}", "parameters": int(pri.p),
                 "discrepancy_groups": len(pb.groups)},
        "map": {"chi2": _f(mp.chi2), "cost_with_prior_penalty": _f(mp.cost),
                "note": "at the measurement sigma only (no discrepancy); lower bounds enter only when violated",
                "starts": [{**r, "cost": _f(r["cost"])} for r in mp.starts],
                "function_evaluations": int(mp.nfev), "jacobian_evaluations": int(mp.njev), "residuals": residuals},
        "diagnostics": {
            "rhat_max": _f(dg["rhat_max"]), "ess_bulk_min": _f(dg["ess_bulk_min"]),
            "log_evidence": _f(dg["log_evidence"]), "log_evidence_se": _f(dg["log_evidence_se"]),
            "converged": ok,
            "goal": "rhat_max <= 1.01 and ess_bulk_min >= 400 for every coordinate (arviz rank-normalised split "
                    "R-hat and bulk ESS over the runs as chains)",
            "sampler": SAMPLER,
            "runs": int(dg["runs"]), "particles_per_run": int(s.particles), "posterior_draws": len(run.theta),
            "ess_tail_min": _f(np.min(dg["ess_tail"])),
            "log_evidence_per_run": [_f(r.log_evidence) for r in run.runs],
            "tempering_stages_per_run": [int(r.stages) for r in run.runs],
            "moves_per_run": [int(sum(r.moves)) for r in run.runs],
            "final_acceptance_per_run": [_f(r.acceptance[-1]) for r in run.runs],
            "engine_calls": int(pb.engine_calls), "members_simulated": int(pb.members),
            "seconds": {k: _f(v) for k, v in run.seconds.items()},
        },
        "discrepancy": disc,
        "identifiability": {
            "rule": f"identified if posterior 90% width / prior 90% width < {s.threshold} (prior-CDF coordinate)",
            "identified": [n for n, i in zip(pri.names, run.identified, strict=True) if i],
            "prior_dominated": [n for n, i in zip(pri.names, run.identified, strict=True) if not i],
        },
        "parameters": params,
        "fit_table": "fit_table.csv",
    }


def vintage_summary(runs: list[CalibrationRun]) -> tuple[dict, pd.DataFrame, int]:
    """fit.yaml of a vintage calibrated under several structures, its structures table, and the main run's index.

    The file keeps the one-structure schema of :func:`summary` for the structure with the most weight (the
    "main" one, named under ``structure``), with two changes: ``diagnostics`` states convergence for every
    structure (the largest R-hat, the smallest bulk ESS) and the evidence of the structural mixture, and
    ``structures`` lists each structure's value, log evidence, weight, diagnostics and own files.
    """
    from .structures import mixture_log_evidence, structures_table

    s = runs[0].settings
    logz = np.array([r.diagnostics["log_evidence"] for r in runs])
    se = np.array([r.diagnostics["log_evidence_se"] for r in runs])
    table = structures_table(s.until, [r.structure for r in runs], logz, se)
    w = table.weight.to_numpy(float)
    main = int(np.argmax(w))
    out = summary(runs[main])
    rhat = max(r.diagnostics["rhat_max"] for r in runs)
    ess = min(r.diagnostics["ess_bulk_min"] for r in runs)
    dg = out["diagnostics"]
    dg.update({"rhat_max": _f(rhat), "ess_bulk_min": _f(ess), "converged": bool(rhat <= 1.01 and ess >= 400),
               "log_evidence": _f(mixture_log_evidence(logz)),
               "log_evidence_se": _f(np.sqrt(np.sum((w * se) ** 2))),
               "scope": "rhat_max, ess_bulk_min and converged cover every structure; log_evidence is that of the "
                        "mixture of structures (equal prior weights); the other entries are the main structure's"})
    out = {"settings": out.pop("settings"), "reproduce": out.pop("reproduce"), "vintage": out.pop("vintage"),
           "structure": runs[main].structure.name, **out}
    out["structures"] = [
        {"name": r.structure.name, "switch": r.structure.switch, "value": r.structure.value,
         "description": r.structure.description, "log_evidence": _f(z), "log_evidence_se": _f(e), "weight": _f(wi),
         "rhat_max": _f(r.diagnostics["rhat_max"]), "ess_bulk_min": _f(r.diagnostics["ess_bulk_min"]),
         "converged": bool(r.diagnostics["rhat_max"] <= 1.01 and r.diagnostics["ess_bulk_min"] >= 400),
         "parameters": int(r.priors.p), "map_chi2": _f(r.map.chi2),
         "fit": f"structures/{r.structure.name}/fit.yaml",
         "fit_table": f"structures/{r.structure.name}/fit_table.csv"}
        for r, z, e, wi in zip(runs, logz, se, w, strict=True)]
    return out, table, main


def mixture_frame(runs: list[CalibrationRun], weights: np.ndarray) -> pd.DataFrame:
    """The posterior.csv of several structures: every structure's draws, one row each.

    One column per constant any of them samples (a constant a structure does not sample holds the model's
    default there), and ``weight``: each draw's share of the mixture (the structure's weight over its number of
    draws; the column sums to 1). ``weights`` (one per run, summing to 1) are the structures' weights.
    """
    frames = []
    for r, w in zip(runs, weights, strict=True):
        f = r.frame()
        f["weight"] = float(w) / len(f)
        frames.append(f)
    df = pd.concat(frames, ignore_index=True)
    consts = runs[0].problem.model.constants
    for c in df.columns:
        if df[c].isna().any() and c in consts:
            df[c] = df[c].fillna(float(consts[c]))
    tail = ["structure", "run", "log_lik", "log_prob", "weight"]
    return df[[c for c in df.columns if c not in tail] + [c for c in tail if c in df.columns]]


def write_vintage(runs: list[CalibrationRun], tables: list[pd.DataFrame], folder: Path) -> dict:
    """Write a vintage calibrated under one or more structures into ``folder``; returns the paths.

    One structure: :func:`write_outputs`. Several: posterior.csv (:func:`mixture_frame`), fit.yaml
    (:func:`vintage_summary`) and fit_table.csv (the main structure's) in ``folder``; each structure's own
    fit.yaml and fit_table.csv in ``folder/structures/<name>/``; the vintage's rows of structures.csv in
    ``folder`` and, for a committed vintage folder, in calibration/structures.csv too. Every file is written
    under a temporary name and renamed once all are complete.
    """
    import os

    import yaml

    from .. import paths
    from .calibrate import vintage_folder
    from .structures import STRUCTURES_CSV, update_structures_csv

    if len(runs) == 1 and runs[0].structure is None:
        return write_outputs(runs[0], tables[0], folder)
    folder = Path(folder)
    fit, table, main = vintage_summary(runs)
    weights = table.weight.to_numpy(float)
    files = {"posterior": (folder / "posterior.csv", mixture_frame(runs, weights)),
             "fit": (folder / "fit.yaml", fit), "table": (folder / "fit_table.csv", tables[main])}
    for r, t in zip(runs, tables, strict=True):
        sub = folder / "structures" / r.structure.name
        files[f"fit:{r.structure.name}"] = (sub / "fit.yaml", summary(r))
        files[f"table:{r.structure.name}"] = (sub / "fit_table.csv", t)
    header = ("# Written by `innosd calibrate` (src/innosd/calibration). Do not edit by hand.\n"
              "# MAP, posterior medians and 90% intervals, SMC diagnostics, discrepancy and identifiability.\n")
    tmp = {k: p.parent / f".{p.name}.tmp" for k, (p, _) in files.items()}
    try:
        for k, (path, content) in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, dict):
                tmp[k].write_text(header + yaml.safe_dump(content, sort_keys=False, allow_unicode=True, width=110),
                                  encoding="utf-8")
            else:
                content.to_csv(tmp[k], index=False, float_format="%.8g" if k == "posterior" else "%.6g")
    except BaseException:
        for p in tmp.values():
            p.unlink(missing_ok=True)
        raise
    for k, (path, _) in files.items():
        os.replace(tmp[k], path)
    out = {k: p for k, (p, _) in files.items()}
    out["structures"] = update_structures_csv(table, folder / STRUCTURES_CSV)
    until = runs[0].settings.until
    if folder.resolve() == vintage_folder(until).resolve() and folder.resolve() != paths.CALIBRATION.resolve():
        out["structures_all"] = update_structures_csv(table, paths.CALIBRATION / STRUCTURES_CSV)
    return out


def write_outputs(run: CalibrationRun, table: pd.DataFrame, folder: Path) -> dict:
    """Write posterior.csv, fit.yaml and fit_table.csv into ``folder``; returns the paths.

    Each file is written to a temporary name first and all three are renamed only once every one is
    complete, so a failure leaves the previous calibration untouched.
    """
    import os

    import yaml

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    names = {"posterior": "posterior.csv", "fit": "fit.yaml", "table": "fit_table.csv"}
    tmp = {k: folder / f".{v}.tmp" for k, v in names.items()}
    header = ("# Written by `innosd calibrate` (src/innosd/calibration). Do not edit by hand.\n"
              "# MAP, posterior medians and 90% intervals, SMC diagnostics, discrepancy and identifiability.\n")
    try:
        run.frame().to_csv(tmp["posterior"], index=False, float_format="%.8g")
        table.to_csv(tmp["table"], index=False, float_format="%.6g")
        tmp["fit"].write_text(header + yaml.safe_dump(summary(run), sort_keys=False, allow_unicode=True, width=110),
                              encoding="utf-8")
    except BaseException:
        for p in tmp.values():
            p.unlink(missing_ok=True)
        raise
    for k, v in names.items():
        os.replace(tmp[k], folder / v)
    return {k: folder / v for k, v in names.items()}


def format_structures(table: pd.DataFrame) -> str:
    """The structures of a vintage with their log evidence and weight, as text."""
    lines = [f"{'structure':<16}{'log evidence':>14}{'se':>7}{'weight':>9}"]
    for r in table.itertuples():
        lines.append(f"{r.structure:<16}{r.log_evidence:>14.2f}{r.log_evidence_se:>7.2f}{r.weight:>9.3f}")
    return "\n".join(lines)


def format_summary(run: CalibrationRun) -> str:
    """Diagnostics, discrepancy and identified parameters as text."""
    s, dg, pri, pb = run.settings, run.diagnostics, run.priors, run.problem
    st = run.structure
    lines = [] if st is None else [f"structure {st.name} ({st.switch} = {st.value:g})"]
    lines += [
        (f"MAP: chi2 = {run.map.chi2:.2f} over {pb.m} observations "
         f"(measurement sigma; best of {len(run.map.starts)} starts)"),
        (f"SMC: {dg['runs']} runs x {s.particles} particles; stages {[r.stages for r in run.runs]}, "
         f"moves {[sum(r.moves) for r in run.runs]}"),
        (f"  R-hat max {dg['rhat_max']:.4f}, bulk ESS min {dg['ess_bulk_min']:.0f} (goal <= 1.01 and >= 400); "
         f"log evidence {dg['log_evidence']:.2f} +- {dg['log_evidence_se']:.2f}"),
    ]
    if not (dg["rhat_max"] <= 1.01 and dg["ess_bulk_min"] >= 400):
        worst = pb.names[int(np.argmax(dg["rhat"]))]
        lines.append(f"  NOT converged by that goal (worst: {worst}); rerun with more --particles")
    sd = run.sigma_d
    if pb.groups:
        lines.append("model discrepancy sigma_d (median, log scale): " + ", ".join(
            f"{g} {np.median(sd[:, j]):.2f}" for j, g in enumerate(pb.groups)))
    q05, q50, q95 = np.quantile(run.x, [0.05, 0.5, 0.95], axis=0)
    ident = [j for j in range(pri.p) if run.identified[j]]
    lines.append(f"identified by the data ({len(ident)} of {pri.p}; posterior 90% width < {s.threshold:g} x prior):")
    for j in ident:
        lines.append(f"  {pri.names[j]:<40} median {q50[j]:<10.4g} 90% [{q05[j]:.4g}, {q95[j]:.4g}]  "
                     f"width ratio {run.width_ratio[j]:.2f}")
    dominated = [n for n, i in zip(pri.names, run.identified, strict=True) if not i]
    lines.append(f"prior-dominated ({len(dominated)} of {pri.p}): " + ", ".join(dominated))
    return "\n".join(lines)


def format_map_fit(run: CalibrationRun) -> str:
    """MAP residuals per observation as text."""
    obs = run.problem.obs
    pred = run.problem.predict(run.map.x)[0]
    lines = [f"{'series':<34}{'year':>5} {'observed':>10} {'MAP':>10} {'sigma':>6} {'z':>6}"]
    for r, p, z in zip(obs.itertuples(), pred, run.map.residuals, strict=True):
        flag = "  <- poor" if abs(z) > 2 else ""
        bound = " (lower bound)" if r.censored else ""
        lines.append(f"{r.series:<34}{r.year:>5} {r.value:>10.4g} {p:>10.4g} {r.sigma:>6.3f} {z:>6.2f}{flag}{bound}")
    return "\n".join(lines)
