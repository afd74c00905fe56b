"""Ensemble simulation engine: Vensim and XMILE models compiled to vectorised NumPy.

PySD parses the model file; :func:`compile_model` turns its abstract model
into generated NumPy code that integrates n parameter sets ("members") at once
with PySD's exact semantics (Euler steps, order of evaluation, time grid).
Subscripted variables are arrays (members, *dimensions), each equation one
vectorised pass.

>>> cm = compile_model("model/teacup.mdl")
>>> res = cm.run(params={"room_temperature": [60.0, 70.0]})
>>> res["teacup_temperature"].shape      # (n, T); (n, T, *dims) for arrays

What compiles (as PySD 3.14 translates it):

- subscripts: ranges, subranges, copies and numeric ranges, mappings,
  element-wise and partial definitions, ``:EXCEPT:``, transposition,
  updimensioning, subscripts used as numbers;
- arithmetic, logic and the Vensim/XMILE builtins PySD implements (IF THEN
  ELSE, MIN/MAX, XIDZ/ZIDZ, STEP, RAMP, PULSE (TRAIN), MODULO, QUANTUM, ...);
- SUM, PROD, VMIN, VMAX, VECTOR SELECT, VECTOR SORT ORDER, VECTOR RANK, VECTOR
  REORDER, INVERT MATRIX, ELMCOUNT; ALLOCATE BY PRIORITY, ALLOCATE AVAILABLE;
- INTEG (non-negative too), INITIAL, ACTIVE INITIAL, SMOOTH(I/3/3I/N),
  DELAY1(I)/3(I)/N, DELAY FIXED, TREND, FORECAST, SAMPLE IF TRUE, subscripted
  or not;
- lookups (graphical functions, WITH LOOKUP, subscripted), ``:DATA:``
  variables (``data_files``), GET XLS/DIRECT CONSTANTS, LOOKUPS and DATA (read
  by PySD's loaders); macros (without subscripts); GAME;
- RANDOM 0 1, RANDOM UNIFORM, RANDOM NORMAL, RANDOM EXPONENTIAL, drawn per
  member and element from ``run(seed=...)``;
- control variables that depend on Time and constants.

Anything else (functions PySD lacks such as VECTOR ELM MAP, GET TIME VALUE
other than the current time, subscripted macros, control variables depending
on stocks) stops compilation with :class:`UnsupportedConstructError`, one line
naming the file, the variable and the construct.
"""

from .compiled import CompiledModel, compile_model
from .errors import ParameterError, SimulationError, UnsupportedConstructError
from .results import Results
from .simulate import simulate_csv
from .translate import VarInfo

__all__ = [
    "CompiledModel",
    "ParameterError",
    "Results",
    "SimulationError",
    "UnsupportedConstructError",
    "VarInfo",
    "compile_model",
    "simulate_csv",
]
