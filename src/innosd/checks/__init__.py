"""Model checks a modeller expects (Sterman 2000 ch. 21; Barlas 1996), written as data.

The checks live in ``model/checks.yaml``; :func:`run_checks` runs them against a model file
and returns one :class:`CheckResult` per check. Tests (``test:`` in the YAML):

``extreme-conditions``
    Set parameters, levers and auxiliaries (``set:``; a lever or an auxiliary given a number
    is held at it for the whole run), run the model with its defaults (and ``samples`` parameter sets drawn from
    the prior ranges of ``calibration/parameters.yaml``, each compared with its own baseline), and test
    ``expect:`` items, each on one model variable over the saved years from ``from`` to ``to``:

    * ``trend: decreasing | increasing | non_increasing | non_decreasing``
    * ``vs_baseline: lower | higher | not_higher | not_lower`` (the same run without ``set``)
    * ``is: zero | positive | non_negative``

    Every stock of every run must also stay finite, non-negative and below its bound
    (``bounds:`` at the top of the file).
``bounds``
    ``samples`` parameter sets from the prior box plus its corners, with every lever at its
    declared low or high limit: every stock finite, non-negative and below its bound.
``integration``
    Halve TIME STEP (``time_step_factor``) and compare every stock at every saved year:
    ``|x(dt) - x(dt/2)| / max(|x(dt/2)|, abs_floor)`` must stay below ``tolerance``; the max is reported.
``units``
    :func:`innosd.units.check_units` on every equation.

``expected_failures`` lists findings known to fail, each ``{check: ID, item: ..., reason: ...}``
(``item`` a variable for the units check, or the expectation text; omit it for the whole
check). They are still reported (status ``xfail``); one that passes again is reported as
``xpass`` so the entry can be removed.
"""

from __future__ import annotations

from .runners import RUNNERS, run_checks
from .spec import (
           DEFAULT_CHECKS,
           IS,
           TESTS,
           TRENDS,
           VS_BASELINE,
           CheckResult,
           Finding,
           format_results,
           load_checks,
           validate_checks,
)

__all__ = ["RUNNERS", "run_checks", "DEFAULT_CHECKS", "IS", "TESTS", "TRENDS", "VS_BASELINE", "CheckResult", "Finding",
           "format_results", "load_checks", "validate_checks"]
