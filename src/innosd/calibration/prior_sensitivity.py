"""How each target's P(met) moves when the priors are widened or narrowed, and which parameters it rests on.

Power-scaling (Kallioinen et al. 2024, "Detecting and diagnosing prior and likelihood sensitivity with
power-scaling"): replace the prior p(theta) by p(theta)^alpha and reweight the posterior draws by
importance sampling, w = p(theta)^(alpha - 1), instead of recalibrating. The priors of parameters.yaml
are uniform or loguniform, i.e. flat in the prior-CDF coordinate u, where power-scaling does nothing; they
are scaled in the sampler's coordinate z = logit(u), where the prior density is u (1 - u). Then
p^alpha in z is Beta(alpha, alpha) in u: alpha = 0.5 puts more weight towards the ends of each range
(a wider prior), alpha = 2 towards its middle (a narrower one).

Reweighting the draws by w for all 44 priors at once degenerates (an effective sample size of a dozen
members out of hundreds), and even one prior at a time is noisy at ensemble sizes of a few hundred. So the
change uses the exact derivative at alpha = 1, d E_alpha[met] / d alpha = Cov(met, log p(theta)), extrapolated
linearly to alpha = 0.5 and 2 and clipped to [0, 1] (first order, as in priorsense), for all priors together
and for each parameter's prior alone; the Monte Carlo standard error of the joint change is reported and a
target counts as prior-sensitive only when its change is both >= 0.05 and more than twice that error.

When the members mix model structures (each calibrated on its own), a prior reweights each structure's
draws within that structure, so the covariances are taken within each structure's members and summed with
the structures' shares: a parameter that acts in one structure only (held at its default in the other) then
counts only where it acts, and the difference between the structures is not mistaken for a prior's effect.
The shift of the structures' evidence weights under a rescaled prior is not included (first order).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ALPHAS = (0.5, 2.0)
TOP = 3              # parameters named per target
SENSITIVE = 0.05     # |change of P(met)| counted as prior-sensitive

COLUMNS = ("id", "indicator", "year", "kind", "p_met", "p_met_prior_wider", "p_met_prior_narrower",
           "max_change", "change_se", "prior_sensitive", "rests_on", "vintage")


def _within(x: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """``x`` (n,) or (n, q) less its mean within each group (n,): deviations within each model structure."""
    x = np.asarray(x, float)
    out = x.copy()
    for g in np.unique(groups):
        m = groups == g
        out[m] = x[m] - x[m].mean(axis=0)
    return out


def _log_prior_z(u: np.ndarray) -> np.ndarray:
    """log u (1 - u), the prior density in z, per member and parameter (n, q)."""
    u = np.clip(u, 1e-12, 1 - 1e-12)
    return np.log(u) + np.log1p(-u)


def prior_sensitivity(result, table: pd.DataFrame, priors=None) -> pd.DataFrame:
    """Per target: P(met) under the priors power-scaled by 0.5 (wider) and 2 (narrower), and the parameters
    whose own prior moves it most.

    Parameters
    ----------
    result : EnsembleResult
        The judged ensemble; its ``params`` (n, p) hold each member's posterior draw.
    table : pandas.DataFrame
        Its target table (:func:`innosd.targets.evaluate`).
    priors : Priors, optional
        The priors of parameters.yaml (read with :func:`priors.load_priors` when not given).

    Returns
    -------
    pandas.DataFrame
        One row per target with the columns :data:`COLUMNS` (defined in reports/README.md). Empty
        probabilities for targets set by assumption and for runs without a calibration.
    """
    from ..targets import met_matrix, target_series
    from .priors import load_priors

    sc = result.scenario
    fixed = set(sc.parameters) | {u.name for u in sc.uncertain_parameters}
    calibrated = result.calibration.path is not None and len(result.calibration.draws) > 1
    pri = priors or load_priors()
    names = [n for n in pri.names if n in result.params.columns and n not in fixed] if calibrated else []
    sub = pri.subset(names) if names else None
    log_p = _log_prior_z(sub.to_u(result.params[names].to_numpy(float))) if names else None
    labels = getattr(result, "structures", None)
    groups = np.unique(labels, return_inverse=True)[1] if labels is not None else np.zeros(result.n, int)
    rows = []
    for t, row in zip(sc.targets, table.itertuples()):
        out = {"id": t.id, "indicator": t.indicator, "year": t.year, "kind": row.kind, "p_met": row.p_met,
               "vintage": result.calibration.vintage}
        if row.kind == "assumption" or log_p is None:
            rows.append({**out, "rests_on": "", "prior_sensitive": ""})
            continue
        time, series = target_series(result, t)
        met = met_matrix(series[:, int(np.argmin(np.abs(time - t.year)))], t).astype(float)
        dm = _within(met, groups)
        dlp = _within(log_p.sum(axis=1), groups)
        slope = float(np.mean(dm * dlp))                         # d P(met) / d alpha at alpha = 1
        n_eff = result.n_eff or result.n
        se = float(np.std(dm * dlp) / np.sqrt(n_eff)) * max(abs(a - 1.0) for a in ALPHAS)
        for alpha, key in zip(ALPHAS, ("wider", "narrower")):
            out[f"p_met_prior_{key}"] = float(np.clip(met.mean() + slope * (alpha - 1.0), 0.0, 1.0))
        change = max(abs(out["p_met_prior_wider"] - met.mean()), abs(out["p_met_prior_narrower"] - met.mean()))
        slopes = dm @ _within(log_p, groups) / len(met)                 # (q,) per parameter
        order = np.argsort(-np.abs(slopes))[:TOP]
        out["max_change"] = change
        out["change_se"] = se
        out["prior_sensitive"] = bool(change >= SENSITIVE and change > 2 * se)
        out["rests_on"] = "; ".join(f"{names[j]} ({-0.5 * slopes[j]:+.2f}/{slopes[j]:+.2f})" for j in order
                                    if abs(slopes[j]) > 0)
        rows.append(out)
    return pd.DataFrame(rows, columns=list(COLUMNS))
