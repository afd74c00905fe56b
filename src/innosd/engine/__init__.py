"""Ensemble simulation engine: Vensim models compiled to vectorised NumPy.

PySD parses the ``.mdl`` file; :func:`compile_model` turns its abstract model
into generated NumPy code that integrates n parameter sets ("members") at once
with PySD's exact semantics (Euler steps, order of evaluation, time grid).

>>> cm = compile_model("model/teacup.mdl")
>>> res = cm.run(params={"room_temperature": [60.0, 70.0]})
>>> res["teacup_temperature"].shape      # (n, T)
"""

from .compiled import CompiledModel, compile_model
from .errors import UnsupportedConstructError
from .results import Results
from .simulate import simulate_csv
from .translate import VarInfo

__all__ = ["compile_model", "CompiledModel", "UnsupportedConstructError", "Results",
           "VarInfo", "simulate_csv"]
