"""Robustness of portfolios across futures: satisficing, regret, and PRIM on where the chosen one fails.

* **satisficing**: the share of futures in which a portfolio meets every target (a joint P(met),
  never above the lowest single P(met));
* **regret**: per future, how far the portfolio's worst target falls behind the best portfolio
  judged in that future, in shares of the goal (attainment = value / goal, capped at 1; for a
  ``<=`` target goal / value);
* **overspend**: in the futures where the portfolio meets every target, what it costs beyond the
  cheapest judged portfolio that also meets every target there (what foresight would have saved);
* **failure conditions**: PRIM (ema-workbench) on the futures' uncertain factors finds the box of
  futures in which the chosen portfolio fails most often.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..targets import met_matrix

MIN_COVERAGE = 0.5  # the box kept from PRIM's peeling trajectory holds at least half of the failures
MAX_DIMS = 3        # ... and restricts at most three factors
MAX_FACTORS = 12    # PRIM peels on the factors most associated with failure (each peel tries every factor)
PEEL_ALPHA = 0.1    # share of the box peeled off a step: about 28 steps down to 5% of the futures


@dataclass
class Box:
    """A PRIM box: the futures inside ``limits`` fail at rate ``density`` and hold ``coverage`` of all failures.

    ``limits`` has one row per restricted factor: ``factor``, ``low``, ``high`` (NaN: no limit on that side).
    """

    limits: pd.DataFrame
    coverage: float
    density: float
    mass: float
    base_rate: float
    n_futures: int


@dataclass
class Robustness:
    """Robustness of the judged portfolios and the failure conditions of the chosen one.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per judged portfolio (``index`` into the archive): satisficing, regret, overspend.
    chosen : int or None
        Archive index of the chosen portfolio: the cheapest meeting every target at the confidence,
        else the cheapest meeting the most targets.
    futures : pandas.DataFrame
        The futures' factors and, for the chosen portfolio, whether it meets each target there.
    box : Box or None
        Where the chosen portfolio fails (None when it never or always fails).
    """

    table: pd.DataFrame
    chosen: int | None
    futures: pd.DataFrame
    box: Box | None


def attainment(values: np.ndarray, targets) -> np.ndarray:
    """(..., T) -> (...,): each future's worst target as a share of its goal, capped at 1."""
    goal = np.array([t.value for t in targets], float)
    ge = np.array([t.comparison == ">=" for t in targets])
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(ge, values / np.where(goal == 0, np.inf, goal), goal / np.where(values == 0, np.nan, values))
    share = np.where(np.isnan(share), 1.0, share)
    return np.minimum(np.clip(share, 0.0, None), 1.0).min(axis=-1)


def judge_front(targets, archive, idx: np.ndarray, ev, on_front: np.ndarray, cheapest, futures,
                confidence: float) -> Robustness:
    """Satisficing, regret and overspend of the portfolios ``idx`` (k of them), PRIM for the chosen one.

    Parameters
    ----------
    targets : list of Target
    archive : Archive
    idx : numpy.ndarray
        (k,) archive indices judged, in the order of ``ev``.
    ev : Evaluation
        Their outcomes with every future's values (k, n, T).
    on_front : numpy.ndarray
        Archive indices on the front.
    cheapest : list of (int, int or None)
        The cheapest portfolio meeting k forecast targets (and every assumption), k = 1..F.
    futures : Futures
    confidence : float
    """
    values = ev.values                                                     # (k, n, T)
    met = np.stack([met_matrix(values[:, :, j], t) for j, t in enumerate(targets)], axis=-1)
    all_met = met.all(axis=-1)                                             # (k, n)
    att = attainment(values, targets)                                      # (k, n)
    regret = att.max(axis=0)[None, :] - att
    cost = archive.cost[idx]
    cost_if_met = np.where(all_met, cost[:, None], np.inf)
    cheapest_met = cost_if_met.min(axis=0)                                 # (n,)
    over = np.where(all_met & np.isfinite(cheapest_met)[None, :], cost[:, None] - cheapest_met[None, :], np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a portfolio that never meets every target: NaN
        overspend = np.nanmean(over, axis=1)
    front_set = set(on_front.tolist())
    found = [i for _, i in cheapest if i is not None]
    chosen = found[-1] if found else None
    table = pd.DataFrame({
        "index": idx, "on_front": [int(i) in front_set for i in idx], "cost": cost,
        "min_p_met": archive.min_p[idx], "satisficing": all_met.mean(axis=1),
        "regret_mean": regret.mean(axis=1), "regret_p90": np.quantile(regret, 0.9, axis=1),
        "regret_max": regret.max(axis=1), "overspend_mean": overspend,
        "chosen": [int(i) == chosen for i in idx]})
    frame = futures.factors.copy()
    box = None
    if chosen is not None:
        row = int(np.flatnonzero(idx == chosen)[0])
        for j, t in enumerate(targets):
            frame[f"met {t.id}"] = met[row, :, j]
        frame["all_met"] = all_met[row]
        box = discover(futures.factors, ~all_met[row])
    frame.insert(0, "future", np.arange(len(frame)))
    return Robustness(table, chosen, frame, box)


def discover(factors: pd.DataFrame, fails: np.ndarray, min_coverage: float = MIN_COVERAGE) -> Box | None:
    """PRIM (ema-workbench) on where ``fails`` is True: the box of factor ranges that concentrates failures.

    Parameters
    ----------
    factors : pandas.DataFrame
        (n, q) uncertain factors of the futures (numbers; a text column is taken as categories). PRIM
        peels on the :data:`MAX_FACTORS` most associated with failure (:func:`_most_associated`).
    fails : numpy.ndarray
        (n,) True where the portfolio fails.
    min_coverage : float
        The box kept from the peeling trajectory is the densest one restricting at most
        :data:`MAX_DIMS` factors and holding at least this share of the failures (the densest
        such box when none holds that many).

    Returns
    -------
    Box or None
        None when the portfolio never or always fails, or there is nothing to vary.
    """
    fails = np.asarray(fails, bool)
    x = factors.loc[:, [c for c in factors.columns if factors[c].nunique() > 1]].reset_index(drop=True)
    if x.shape[1] == 0 or fails.all() or not fails.any():
        return None
    x = x[_most_associated(x, fails, MAX_FACTORS)]
    for c in x.columns:
        if x[c].dtype == object:
            x[c] = x[c].astype("category")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ema-workbench warns about optional parallel back-ends at import
        from ema_workbench.analysis import prim

        found = prim.Prim(x, fails, threshold=float(fails.mean()), peel_alpha=PEEL_ALPHA).find_box()
    traj = found.peeling_trajectory
    readable = traj[(traj["res_dim"] > 0) & (traj["res_dim"] <= MAX_DIMS)]  # a box a planner can read
    ok = readable[readable["coverage"] >= min_coverage]
    pick = ok if len(ok) else (readable if len(readable) else traj)
    best = pick.sort_values(["density", "res_dim", "coverage"], ascending=[False, True, False], kind="stable").index[0]
    lims, init = found.box_lims[int(best)], found.box_lims[0]
    rows = []
    for c in x.columns:
        if isinstance(init[c].iloc[0], set):
            if lims[c].iloc[0] != init[c].iloc[0]:
                rows.append({"factor": c, "low": np.nan, "high": np.nan, "values": ", ".join(sorted(lims[c].iloc[0]))})
            continue
        lo, hi = float(lims[c].iloc[0]), float(lims[c].iloc[1])
        if lo > float(init[c].iloc[0]) or hi < float(init[c].iloc[1]):
            rows.append({"factor": c, "low": lo if lo > float(init[c].iloc[0]) else np.nan,
                         "high": hi if hi < float(init[c].iloc[1]) else np.nan, "values": ""})
    r = traj.loc[best]
    return Box(pd.DataFrame(rows, columns=["factor", "low", "high", "values"]), float(r["coverage"]),
               float(r["density"]), float(r["mass"]), float(fails.mean()), int(len(fails)))


def _most_associated(x: pd.DataFrame, fails: np.ndarray, k: int) -> list[str]:
    """The ``k`` columns of ``x`` whose ranks differ most between failing and other futures (|Spearman rho|).

    Categorical columns are always kept. Ties keep the columns' order.
    """
    numeric = [c for c in x.columns if x[c].dtype != object and not isinstance(x[c].dtype, pd.CategoricalDtype)]
    if len(numeric) <= k:
        return list(x.columns)
    ranks = x[numeric].rank().to_numpy()
    f = fails.astype(float) - fails.mean()
    r = ranks - ranks.mean(axis=0)
    rho = np.abs(f @ r) / np.maximum(np.sqrt((f @ f) * (r * r).sum(axis=0)), 1e-300)
    keep = {numeric[i] for i in np.argsort(-rho, kind="stable")[:k]}
    return [c for c in x.columns if c in keep or c not in numeric]
