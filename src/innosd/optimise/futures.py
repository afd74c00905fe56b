"""The futures every candidate portfolio is judged in: one fixed ensemble (common random numbers).

A future is one ensemble member: a posterior parameter draw, the scenario's declared uncertainties
(e.g. the exogenous GDP growth path), the member's predictive noise (measurement and model
discrepancy) and, when the model has several structures, the member's structure. The draws are
taken from the generator in exactly the order :func:`innosd.ensemble.run_scenario` takes them, so a
portfolio written as a scenario and run with the same seed and samples sees the same members.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..ensemble import Calibration, effective_members, noise_factors, parameter_sets
from ..indicators import INDICATORS


@dataclass
class Futures:
    """n futures drawn once for a whole search.

    Attributes
    ----------
    n : int
        Number of futures (members).
    params : dict of str to numpy.ndarray
        Model constants, (n,) each.
    lookups : dict
        Lever tables of the levers the search does not change: name -> (x (m,), y (m,) or (n, m)).
    draws : dict
        Optimised lever -> the members' draws (n, 1) of its declared uncertainty, or None.
    noise : dict
        Model variable -> multiplicative predictive noise (n, T) over the horizon's years.
    factors : pandas.DataFrame
        (n, q) what differs between futures, for scenario discovery: varying parameters, lever draws,
        the log noise of each target's indicator in its year, and the structure.
    structure : numpy.ndarray
        (n,) the model structure of each member ("" when the model has one).
    n_eff : float
        Kish's effective number of independent members.
    """

    n: int
    params: dict
    lookups: dict
    draws: dict
    noise: dict
    factors: pd.DataFrame
    structure: np.ndarray
    n_eff: float
    seed: int = 0
    meta: dict = field(default_factory=dict)


def draw_futures(scenario, model, calibration: Calibration, samples: int, seed: int, optimised) -> Futures:
    """Draw the futures of a search, in :func:`innosd.ensemble.run_scenario`'s order.

    Parameters
    ----------
    scenario : Scenario
        The base scenario.
    model : CompiledModel
    calibration : Calibration
        The posterior draws (and model discrepancy) of the vintage judged.
    samples : int
        Number of futures n.
    seed : int
        The ensemble seed; the same seed gives the same futures.
    optimised : iterable of str
        Levers the search sets: their declared uncertainty is drawn (and kept) but their paths are not.

    Returns
    -------
    Futures
    """
    optimised = set(optimised)
    n = int(samples)
    rng = np.random.default_rng(seed)
    params = parameter_sets(scenario, model, calibration, n, rng)
    rows = params.attrs.get("rows", np.zeros(n, dtype=int))
    lookups, draws, factors = {}, {}, {}
    for name, lever in scenario.levers.items():  # lever_tables' order: one draw per lever with uncertainty
        u = lever.draw(rng, n)
        if name in optimised:
            draws[name] = u
        else:
            lookups[name] = (lever.x, lever.with_draw(u, n) if u is not None else lever.y)
        if u is not None:
            factors[f"{name} ({lever.uncertainty[0]})"] = u[:, 0]
    variables = [ind.variable for ind in INDICATORS.values() if ind.variable in model.variables]
    shape = (n, scenario.end - scenario.start + 1)
    noise = noise_factors(calibration, rows, variables, shape, rng)
    wanted = {INDICATORS[t.indicator].variable for t in scenario.targets}
    noise = {v: f for v, f in noise.items() if v in wanted}
    for t in scenario.targets:
        var = INDICATORS[t.indicator].variable
        if var in noise:
            factors[f"noise {t.indicator} {t.year}"] = np.log(noise[var][:, t.year - scenario.start])
    table = pd.DataFrame({c: params[c].to_numpy(float) for c in params.columns})
    varying = [c for c in table.columns if np.ptp(table[c].to_numpy()) > 1e-12 * max(1.0, abs(table[c].iloc[0]))]
    frame = pd.concat([table[varying], pd.DataFrame(factors)], axis=1)
    structure = np.full(n, "", dtype=object)
    return Futures(n, {c: params[c].to_numpy(float) for c in params.columns}, lookups, draws, noise, frame,
                   structure, effective_members(rows, len(calibration.draws)), seed)
