"""The engine's intermediate representation: what the translator hands the code generator.

Value conventions of the generated code (n = ensemble members in a chunk):

- a scalar variable holds a Python/NumPy float (same for every member) or an
  array (n,) or (1,);
- a subscripted variable over dimensions (d1, ..., dk) holds an array
  (m, len(d1), ..., len(dk)) with m = 1 (same for every member) or m = n:
  members first, then the dimensions in the order of the variable's
  subscripts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

CONTROL_LOCALS = {
    "initial_time": "t0", "final_time": "tf", "time_step": "dt", "saveper": "sp",
}


@dataclass
class VarInfo:
    """Metadata of one model variable.

    Attributes
    ----------
    name : str
        Name as written in the model file.
    units, doc : str
        Units and documentation from the file.
    kind : str
        ``stock``, ``flow``, ``aux``, ``constant``, ``lookup`` or ``data``.
    expression : str
        Equation text as written (Vensim files; empty for XMILE).
    subscripts : dict
        Dimension name -> element names (as written), in axis order; empty for a scalar.
    """

    name: str
    units: str
    doc: str
    kind: str
    expression: str = ""
    subscripts: dict = field(default_factory=dict)

    @property
    def shape(self) -> tuple:
        """Lengths of the dimensions (``()`` for a scalar)."""
        return tuple(len(c) for c in self.subscripts.values())


@dataclass
class Node:
    """One value computed by an expression over other locals of the generated code.

    ``shape`` is the shape of the value without the member axis; ``init_expr``
    (with ``init_deps``) replaces ``expr`` while stateful objects are
    initialised (ACTIVE INITIAL).
    """

    name: str
    expr: str
    deps: frozenset
    element: str | None = None
    shape: tuple = ()
    init_expr: str | None = None
    init_deps: frozenset | None = None


@dataclass
class Stateful:
    """A stateful object; ``args`` maps a role (e.g. 'flow') to (code, deps)."""

    kind: str
    sid: str
    args: dict
    element: str
    shape: tuple = ()


@dataclass
class ModelIR:
    """Everything the code generator needs, plus public metadata."""

    path: Path
    control: dict = field(default_factory=dict)        # py name -> (code, deps)
    constants: dict = field(default_factory=dict)      # py name -> float or ndarray (dims)
    lookups: dict = field(default_factory=dict)        # key -> (x, y, kind)
    lookup_limits: dict = field(default_factory=dict)  # py name -> (ymin, ymax) in the file
    nodes: dict = field(default_factory=dict)          # local -> Node
    statefuls: list = field(default_factory=list)
    variables: dict = field(default_factory=dict)      # py name -> VarInfo
    local_of: dict = field(default_factory=dict)       # py name -> local
    namespace: dict = field(default_factory=dict)      # Vensim name -> py name
    stocks: list = field(default_factory=list)
    arrays: list = field(default_factory=list)         # constant arrays the code reads as C[i]
    subscripts: dict = field(default_factory=dict)     # range name -> element names
    lifted: set = field(default_factory=set)           # scalar locals indexed with [..., None]
    random: bool = False                               # uses random functions (needs a seed)

    def constant_array(self, value) -> str:
        """Register a constant array (index, mask, table) and return its code ``C[i]``."""
        self.arrays.append(value)
        return f"C[{len(self.arrays) - 1}]"


# role groups of each stateful kind: initialisation, output and update dependencies
STATEFUL_ROLES = {
    "integ": (("initial",), (), ("flow",)),
    "nonneg_integ": (("initial",), (), ("flow",)),
    "initial": (("initial",), (), ()),
    "smooth": (("initial", "order"), (), ("input", "smooth_time")),
    "delay": (("initial", "delay_time", "order"), ("delay_time",), ("input", "delay_time")),
    "delayn": (("initial", "delay_time", "order"), (), ("input", "delay_time")),
    "delay_fixed": (("initial", "delay_time"), (), ("input",)),
    "trend": (("input", "average_time", "initial_trend"), ("input", "average_time"),
              ("input", "average_time")),
    "forecast": (("input", "initial_trend"), ("input", "average_time", "horizon"),
                 ("input", "average_time")),
    "sample_if_true": (("initial",), ("condition", "input"), ("condition", "input")),
}
