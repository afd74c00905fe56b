"""How each target's P(met) moves when the priors are widened or narrowed, and which parameters it rests on.

Power-scaling (Kallioinen, Paananen, Bürkner & Vehtari 2024, "Detecting and diagnosing prior and likelihood
sensitivity with power-scaling", Statistics and Computing 34:57): replace a prior p(theta) by p(theta)^alpha
and reweight the posterior draws by importance sampling, w = p(theta)^(alpha - 1), instead of recalibrating.
The priors of parameters.yaml are uniform or loguniform, i.e. flat in the prior-CDF coordinate u, where
power-scaling does nothing; they are scaled in the sampler's coordinate z = logit(u), where the prior density
is u (1 - u). Then p^alpha in z is Beta(alpha, alpha) in u: alpha = 0.5 puts more weight towards the ends of
each range (a wider prior), alpha = 2 towards its middle (a narrower one).

What is computed, per target, from the ensemble's members (no new run):

* **one prior at a time**, exactly: the weights (u_j (1 - u_j))^(alpha - 1) of parameter j alone, Pareto-
  smoothed (:func:`.psis.psis`; at alpha = 0.5 the raw weights have infinite variance for a parameter the data
  leave near its prior, so they need the smoothing; its shape k̂ is about 0.5 there, reliable). Where k̂ > 0.7
  the first-order weights 1 + (alpha - 1)(log p_j - mean) are used for that parameter instead.
* **all priors together**, additively: P(met) plus the sum of the one-at-a-time changes. Reweighting by all
  44 priors at once degenerates (k̂ far above 0.7: a dozen members carry all the weight), and the derivative
  at alpha = 1 extrapolated linearly to 0.5 and 2 misses each prior's own non-linearity. The sum is exact in
  each prior and neglects only the interactions between priors' changes (it equals the derivative to first
  order). Clipped to [0, 1].

Every estimate is a weighted mean sum_i W_i met_i; its Monte Carlo standard error comes from its influence
function (the delta method for self-normalised importance sampling), inflated by n / n_eff for members that
share a posterior draw. A target counts as prior-sensitive when P(met) moves by at least 0.05 and by more
than twice that error; ``rests_on`` names the parameters whose own prior moves P(met) by more than twice its
error, largest first. The discrepancy sigmas' priors and parameters the scenario sets are not scaled.

When the members mix model structures (each calibrated on its own; calibration/structures.csv), each prior
reweights every structure's draws within that structure, so the structures keep their shares
(:func:`within_structures`): a parameter acting in one structure only moves nothing in the other, and the
difference between the structures is not mistaken for a prior's effect (:func:`structure_weights` also
Pareto-smooths each structure's weights on its own members). The shift of the structures' evidence
weights under a rescaled prior is not included.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..runfolder import format_rests_on, parse_rests_on  # noqa: F401 - the rests_on cell's format, re-exported
from .psis import K_RELIABLE, psis

ALPHAS = (0.5, 2.0)  # wider, narrower
TOP = 3              # parameters named per target
SENSITIVE = 0.05     # |change of P(met)| counted as prior-sensitive
MIN_MEMBERS = 20     # fewest members a prior's weights are fitted to (fewer: that prior is left alone)

COLUMNS = ("id", "indicator", "year", "kind", "p_met", "p_met_se", "p_met_prior_wider", "p_met_prior_wider_se",
           "p_met_prior_narrower", "p_met_prior_narrower_se", "max_change", "change_se", "prior_sensitive",
           "pareto_k_max", "rests_on", "vintage")


def _log_prior_z(u: np.ndarray) -> np.ndarray:
    """The log prior density in z, log u (1 - u), per member and parameter (n, q)."""
    u = np.clip(u, 1e-12, 1 - 1e-12)
    return np.log(u) + np.log1p(-u)


def scaling_weights(log_p: np.ndarray, reff: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Normalised importance weights of each prior power-scaled alone, for each alpha of :data:`ALPHAS`.

    Parameters
    ----------
    log_p : numpy.ndarray
        (n, q) log prior density in z of each member's parameters (:func:`_log_prior_z`).
    reff : float
        n_eff / n of the members (members sharing a posterior draw count less).

    Returns
    -------
    weights : numpy.ndarray
        (len(ALPHAS), q, n): each row sums to 1; Pareto-smoothed, or the first-order weights where k̂ > 0.7.
    k : numpy.ndarray
        (len(ALPHAS), q) the Pareto k̂ of each raw weight vector.
    """
    n, q = log_p.shape
    weights, ks = np.empty((len(ALPHAS), q, n)), np.empty((len(ALPHAS), q))
    centred = log_p - log_p.mean(axis=0)
    for a, alpha in enumerate(ALPHAS):
        for j in range(q):
            w, k = psis((alpha - 1.0) * log_p[:, j], reff)
            if not k <= K_RELIABLE and np.ptp(log_p[:, j]) > 0:   # also k = inf with a varying prior
                w = (1.0 + (alpha - 1.0) * centred[:, j]) / n
            weights[a, j], ks[a, j] = w, k
    return weights, ks


def structure_weights(log_p: np.ndarray, labels, reff: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """:func:`scaling_weights` of each parameter over the members of the structures it acts in.

    The structures' weights are then pooled by :func:`within_structures`.
    A parameter that acts in one structure only is held at its default in the others: there its prior does
    not vary, its weights are all alike and it has no k̂. Each parameter's weights are Pareto-smoothed over the
    members whose structure varies it (all members for a shared parameter: the tail is fitted to as many
    draws as there are). ``labels`` (n,) names each member's structure (None: one structure). Returns the
    weights (A, q, n) and k̂ (A, q) (nan for a parameter that varies nowhere).
    """
    if labels is None:
        return scaling_weights(log_p, reff)
    labels = np.asarray(labels)
    n, q = log_p.shape
    weights, ks = np.empty((len(ALPHAS), q, n)), np.full((len(ALPHAS), q), np.nan)
    groups = [labels == g for g in np.unique(labels)]
    for j in range(q):
        acting = np.zeros(n, bool)
        for m in groups:
            if np.ptp(log_p[m, j]) > 0:
                acting |= m
        weights[:, j, :] = 1.0 / n
        if acting.sum() < MIN_MEMBERS:          # too few members to reweight: left alone
            continue
        w, k = scaling_weights(log_p[acting][:, [j]], reff)
        weights[:, j, acting] = w[:, 0, :]
        ks[:, j] = k[:, 0]
    return within_structures(weights, labels), ks


def within_structures(weights: np.ndarray, labels) -> np.ndarray:
    """Weights (A, q, n) renormalised so that each model structure's members keep their share of the total.

    The members of a run may come from several model structures, each calibrated on its own: scaling a prior
    reweights the draws within each structure, not the structures against each other. A parameter that acts
    in one structure only is held at its default in the other, so its weights there are all alike and it moves
    nothing there. ``labels`` (n,) names each member's structure (None: one structure, weights unchanged).
    """
    if labels is None:
        return weights
    labels = np.asarray(labels)
    out = weights.copy()
    for g in np.unique(labels):
        m = labels == g
        total = out[..., m].sum(axis=-1, keepdims=True)
        out[..., m] *= np.where(total > 0, m.mean() / np.where(total > 0, total, 1.0), 0.0)
    return out


def _se(influence: np.ndarray, inflate: float) -> float:
    """Standard error from per-member influence values (n,), inflated for members sharing a draw."""
    return float(np.sqrt(np.sum(influence ** 2) * inflate))


def target_sensitivity(met: np.ndarray, weights: np.ndarray, inflate: float, names: list[str]) -> dict:
    """One target's row: P(met) under each alpha (additive over priors), its errors, the parameters it rests on.

    Parameters
    ----------
    met : numpy.ndarray
        (n,) 1.0 for a member that meets the target, else 0.0.
    weights : numpy.ndarray
        (len(ALPHAS), q, n) one-prior-at-a-time weights (:func:`scaling_weights`).
    inflate : float
        n / n_eff: the variance inflation for members sharing a posterior draw.
    names : list of str
        The q parameters, in the order of ``weights``.

    Returns
    -------
    dict
        ``p_met_prior_wider`` (alpha = 0.5) and ``p_met_prior_narrower`` (alpha = 2) with their ``_se``,
        ``max_change``, ``change_se``, ``prior_sensitive``, ``rests_on``.
    """
    n = met.size
    p = met.mean()
    own = weights @ met                                             # (A, q) one prior at a time
    infl = weights * (met[None, None, :] - own[..., None])          # (A, q, n) influence of each estimate
    own_se = np.sqrt((infl ** 2).sum(axis=-1) * inflate)            # (A, q)
    change_infl = infl.sum(axis=1) - (met - p)[None, :] * (weights.shape[1] / n)  # (A, n): sum_j (own_j - p)
    out, changes, change_ses = {}, [], []
    for a, key in enumerate(("wider", "narrower")):
        change = float((own[a] - p).sum())
        change_ses.append(_se(change_infl[a], inflate))
        changes.append(change)
        out[f"p_met_prior_{key}"] = float(np.clip(p + change, 0.0, 1.0))
        out[f"p_met_prior_{key}_se"] = _se(change_infl[a] + (met - p) / n, inflate)
    worst = int(np.argmax(np.abs(changes)))
    moved = max(abs(out["p_met_prior_wider"] - p), abs(out["p_met_prior_narrower"] - p))
    out["max_change"] = moved
    out["change_se"] = change_ses[worst]
    out["prior_sensitive"] = bool(moved >= SENSITIVE and moved > 2 * change_ses[worst])
    delta = own - p                                                 # (A, q)
    big = np.abs(delta).max(axis=0)
    sig = (np.abs(delta) > 2 * own_se).any(axis=0) & (big > 0.005)
    order = [j for j in np.argsort(-big) if sig[j]][:TOP]
    out["rests_on"] = format_rests_on([(names[j], float(delta[0, j]), float(delta[1, j])) for j in order])
    return out


def prior_sensitivity(result, table: pd.DataFrame, priors=None) -> pd.DataFrame:
    """Per target: P(met) with the priors widened and narrowed, its error, and the parameters it rests on.

    The priors are power-scaled by 0.5 (wider) and 2 (narrower); see the module doc for the method.

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
    from ..quantity import year_index
    from ..targets import met_matrix, target_series
    from .priors import load_priors

    sc = result.scenario
    fixed = set(sc.parameters) | {u.name for u in sc.uncertain_parameters}
    calibrated = result.calibration.path is not None and len(result.calibration.draws) > 1
    pri = priors or load_priors()
    names = [n for n in pri.names if n in result.params.columns and n not in fixed] if calibrated else []
    weights = ks = None
    inflate = result.n / (result.n_eff or result.n)
    if names:
        log_p = _log_prior_z(pri.subset(names).to_u(result.params[names].to_numpy(float)))
        weights, ks = structure_weights(log_p, getattr(result, "structures", None), reff=1.0 / inflate)
    rows = []
    for t, row in zip(sc.targets, table.itertuples(), strict=True):
        out = {"id": t.id, "indicator": t.indicator, "year": t.year, "kind": row.kind, "p_met": row.p_met,
               "p_met_se": getattr(row, "p_met_se", np.nan), "vintage": result.calibration.vintage}
        if row.kind == "assumption" or weights is None:
            rows.append({**out, "rests_on": "", "prior_sensitive": ""})
            continue
        time, series = target_series(result, t)
        met = met_matrix(series[:, year_index(time, t.year)], t).astype(float)
        rows.append({**out, **target_sensitivity(met, weights, inflate, names), "pareto_k_max": float(np.nanmax(ks))})
    return pd.DataFrame(rows, columns=list(COLUMNS))
