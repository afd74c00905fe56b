"""Costed policy portfolios: the cheapest mix of programmes that meets the targets in most futures.

>>> from innosd.optimise import optimise
>>> found = optimise("scenarios/tianjin-2027-plan.yaml", seed=1, samples=300, generations=5)
>>> found.pareto()            # the front: cost, min_p_met, p_<target>, lever values
>>> write_results(found, Path("reports/tianjin-2027-plan/optimise"))

The pieces, one job each: :mod:`.costs` (lever costs and their sources), :mod:`.spec` (the
scenario's ``optimise:`` block), :mod:`.space` (levels and start years -> lever paths and YAML),
:mod:`.futures` (the fixed ensemble), :mod:`.evaluate` (one batched pass per generation, local
threads or Dask), :mod:`.search` (pymoo's NSGA-II, the archive and the front), :mod:`.robust`
(satisficing, regret, PRIM), :mod:`.tables` and :mod:`.write` (the result files).
"""

from __future__ import annotations

from .run import Search, optimise

__all__ = ["Search", "optimise"]
