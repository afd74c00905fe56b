"""Units check of every equation of a Vensim model, from the units written in the model file.

Each variable's units string (``firms/Year``, ``patents/(yiyuan*Year)``, ``Dmnl``, ``1/Year``,
``persons/platforms`` ...) is parsed into base units with rational exponents. The units of
each equation's right-hand side are then inferred from PySD's abstract syntax tree and
compared with the declared units:

* ``+``, ``-``, comparisons, ``MIN``/``MAX`` and the branches of ``IF THEN ELSE`` need equal units;
* ``*`` and ``/`` combine units; ``^`` needs a dimensionless exponent, and a dimensionless base
  unless the exponent is a plain number (then the base's units are raised to it);
* ``INTEG(flow, init)`` needs ``flow`` in stock units per time unit (the units of TIME STEP)
  and ``init`` in stock units; SMOOTH/DELAY need the delay time in time units;
* a lookup called with ``Time`` (or any argument) returns the lookup's declared units;
* ``STEP(height, t)`` has the height's units, ``RAMP(slope, t0, t1)`` slope x time, ``PULSE`` is
  dimensionless; their times need time units;
* a bare number is dimensionless but compatible: added to or compared with something it takes
  that thing's units, and a variable defined by a bare number has its declared units.

``percent`` (and ``%``) is treated as dimensionless: the check verifies dimensions, not scale
factors such as ``/ 100``. ``Dmnl``, ``dmnl``, ``dimensionless``, ``fraction`` and ``1`` are
dimensionless; ``Years``/``year``/``yr`` are ``Year``.

:func:`check_units` returns every mismatch with the variable and both sides' units.
"""

from __future__ import annotations

from .algebra import ALIASES, DIMENSIONLESS, DMNL, NUMBER, Units, UnitsSyntaxError, format_units, parse_units
from .check import Mismatch, UnitsReport, check_units, format_report

__all__ = ["ALIASES", "DIMENSIONLESS", "DMNL", "Mismatch", "NUMBER", "Units", "UnitsReport", "UnitsSyntaxError",
           "check_units", "format_report", "format_units", "parse_units"]
