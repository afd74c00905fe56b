"""Calibration settings and the data vintages, without the sampler: what the command line needs at start-up.

:mod:`.calibrate` (the pipeline) re-exports these names; ``innosd --help`` and every command read them
from here, so starting the command line never imports the sampler, the optimiser or SciPy.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_SEED", "LAST_DATA_YEAR", "FIRST_VINTAGE", "COMMITTED_VINTAGES", "Settings"]

DEFAULT_SEED = 2016
LAST_DATA_YEAR = 2022        # the newest data vintage: observed.csv holds no figure after 2022
FIRST_VINTAGE = 2016         # the model starts at the end of 2016; a vintage needs a compared row
#: Vintages committed under calibration/vintages/YEAR/ (the latest lives in calibration/ itself).
COMMITTED_VINTAGES = (2016, 2020)


@dataclass
class Settings:
    """Calibration settings; the defaults produce the committed files.

    Attributes
    ----------
    until : int
        The data vintage: only rows with year <= until are read.
    particles : int
        SMC particles per run (N).
    runs : int
        Independent SMC runs (seeds ``[seed, k]``), compared as chains; all their particles are kept.
    seed : int
        The one seed; the same seed gives bitwise the same posterior.
    starts, max_nfev : int
        MAP starts (the first at the model defaults) and evaluations per start.
    jump, final_jump : float
        SMC move criterion (see :func:`smc.smc`).
    ess_fraction : float
        ESS kept per tempering step.
    threshold : float
        Identified when posterior 90% width < threshold x prior 90% width (prior-CDF coordinate).
    """

    until: int = LAST_DATA_YEAR
    particles: int = 1200
    runs: int = 4
    seed: int = DEFAULT_SEED
    starts: int = 2
    max_nfev: int = 40
    jump: float = 0.5
    final_jump: float = 3.0
    ess_fraction: float = 0.5
    threshold: float = 0.5

