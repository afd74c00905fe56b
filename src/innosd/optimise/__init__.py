"""Costed policy portfolios: the cheapest mix of programmes that meets the targets in most futures.

>>> from innosd.optimise import optimise
>>> found = optimise("scenarios/tianjin-2027-plan.yaml", seed=1, samples=300, generations=5)
>>> from innosd.optimise.write import write_results
>>> write_results(found, Path("reports/tianjin-2027-plan/optimise"))

The pieces, one job each: :mod:`.costs` (lever costs and their sources), :mod:`.spec` (the
scenario's ``optimise:`` block), :mod:`.space` (levels and start years -> lever paths and YAML),
:mod:`.futures` (the fixed ensemble), :mod:`.evaluate` (one batched pass per generation, local
processes or Dask), :mod:`.search` (pymoo's NSGA-II, the archive and the front), :mod:`.robust`
(satisficing, regret, PRIM), :mod:`.run` (the whole search), :mod:`.tables`, :mod:`.write` and
the chart of the front in :mod:`innosd.plots` (drawn from the result files, as the report does).
:func:`optimise` is imported on first use.
"""

from __future__ import annotations

__all__ = ["Search", "optimise"]


def __getattr__(name: str):
    """``optimise`` and ``Search`` from :mod:`.run`, imported when first asked for."""
    if name in __all__:
        from . import run

        return getattr(run, name)
    raise AttributeError(name)
