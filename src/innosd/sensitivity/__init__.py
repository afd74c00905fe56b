"""Global sensitivity of a scenario's targets: Sobol' indices and Morris screening (SALib).

Factors
-------
* every calibrated parameter of ``calibration/parameters.yaml`` that the scenario does not fix;
  its range is, with ``ranges="auto"`` (the default), the 1st-99th percentile of the posterior
  draws in ``calibration/posterior.csv`` when that file exists, else the prior range low-high
  of ``parameters.yaml`` (``ranges="prior"`` or ``"posterior"`` force one of them). A parameter
  with a loguniform prior (and a positive range) is sampled uniformly in log space, the others
  uniformly. The box of marginal posterior ranges ignores posterior correlations: it spans more
  combinations than the posterior supports, so read posterior-range indices as "what the
  remaining uncertainty of each parameter could do", not as a variance decomposition of the
  posterior predictive;
* each uncertain parameter the scenario declares: ``{low, high}`` replaces the range above,
  ``{scale: [lo, hi]}`` is an extra factor ``scale:<name>`` multiplying the value;
* each lever with an ``uncertainty`` in the scenario: one factor ``lever:<name>``, the shift or
  scale drawn once per member (as in :meth:`innosd.levers.LeverPath.sample`).

Outputs
-------
For each target of the scenario, ``<id>`` is the quantity the target compares (the indicator,
or its change since ``change_since``) at its deadline, and ``<id>:met`` is the 0/1 indicator
that the target is met. ``<indicator>@<year>`` is an indicator at a year (``every_year`` adds
them for every year of each targeted indicator). An output that does not vary over the sample
(e.g. a target met by every member) has no indices: its rows are NaN and it is listed in
``df.attrs["constant_outputs"]``.

All samples go through the ensemble engine in one ``model.run`` call (the engine chunks).
The CLI command ``innosd sensitivity`` is a thin layer over :func:`sobol` and :func:`morris`.

Modules: :mod:`.factors` (what varies, what is measured), :mod:`.runs` (engine runs and SALib
analyses), :mod:`.tables` (top drivers, text), :mod:`.plots` (charts), :mod:`.files` (the table and chart written).
"""

from __future__ import annotations

from .factors import RANGES, Factor, Output, factors, problem, read_priors, resolve_outputs
from .files import write
from .plots import plot, plot_over_time
from .runs import MORRIS_COLUMNS, SOBOL_COLUMNS, _inputs, evaluate, morris, over_time, sobol
from .tables import format_top, measure, top_drivers

__all__ = ["RANGES", "Factor", "Output", "factors", "problem", "read_priors", "resolve_outputs", "plot",
           "plot_over_time", "MORRIS_COLUMNS", "SOBOL_COLUMNS", "evaluate", "morris", "over_time", "sobol",
           "format_top", "measure", "top_drivers", "write", "_inputs"]
