"""Abstract syntax of one equation -> NumPy expression code, aligned to the equation's frame.

The code mirrors what PySD's builder writes (same operator grouping, hence the
same floating point operations) but over ensemble arrays: see :mod:`.dims` for
the frame convention.  :class:`ExpressionTranslator` is a mixin of the
translator; it needs ``ir``, ``dims``, ``cleanspace``, ``var_subs`` (python
name -> dimensions), ``lookup_elements``, ``scope`` (macro locals) and
``_unsupported``.
"""

from __future__ import annotations

import numpy as np
from pysd.translators.structures import abstract_expressions as ae

from .dims import SubscriptError
from .ir import CONTROL_LOCALS

_OPERATORS = {
    "^": ("%(left)s**%(right)s", 1),
    "*": ("%(left)s*%(right)s", 2),
    "/": ("%(left)s/%(right)s", 2),
    "+": ("%(left)s + %(right)s", 3),
    "-": ("%(left)s - %(right)s", 3),
    "=": ("%(left)s == %(right)s", 4),
    "<>": ("%(left)s != %(right)s", 4),
    ">=": ("%(left)s >= %(right)s", 4),
    ">": ("%(left)s > %(right)s", 4),
    "<=": ("%(left)s <= %(right)s", 4),
    "<": ("%(left)s < %(right)s", 4),
    ":NOT:": ("np.logical_not(%s)", 0),
    ":AND:": ("np.logical_and(%(left)s, %(right)s)", 0),
    ":OR:": ("np.logical_or(%(left)s, %(right)s)", 0),
    "negative": ("-%s", 3),
}

LABELS = {"GetLookups": "GET XLS/DIRECT LOOKUPS", "GetData": "GET XLS/DIRECT DATA",
          "GetConstants": "GET XLS/DIRECT CONSTANTS", "Data": "data variable",
          "AllocateAvailable": "ALLOCATE AVAILABLE", "AllocateByPriority": "ALLOCATE BY PRIORITY",
          "ndarray": "array constant inside an expression"}


class Expr:
    """Code of a sub-expression.

    ``order`` is PySD's operator order (0 = atomic); ``deps`` the locals it reads;
    ``axes`` the frame dimensions along which it varies, in PySD's order of
    appearance (along the other frame axes it has length 1, or it is a true scalar).
    """

    __slots__ = ("axes", "code", "deps", "order")

    def __init__(self, code, order=0, deps=frozenset(), axes=()):
        self.code, self.order = code, order
        self.deps, self.axes = frozenset(deps), tuple(axes)

    @property
    def dims(self) -> frozenset:
        """The frame dimensions along which the value varies."""
        return frozenset(self.axes)

    def lower(self, new_order):
        """Parenthesise when the surrounding operator binds tighter (PySD's rule)."""
        if self.order >= new_order and self.order != 0 and new_order != 0:
            self.code, self.order = f"({self.code})", 0


def is_number(ast) -> bool:
    """Tell whether ``ast`` is a numeric literal of the abstract syntax."""
    return isinstance(ast, (int, float, np.integer, np.floating)) and not isinstance(ast, bool)


def join(exprs) -> tuple:
    """(deps, axes) of several sub-expressions: PySD's union of subscripts, in order."""
    exprs = list(exprs)
    deps = frozenset().union(*(e.deps for e in exprs)) if exprs else frozenset()
    axes = tuple(dict.fromkeys(a for e in exprs for a in e.axes))
    return deps, axes


class ExpressionTranslator:
    """Mixin: numbers, references and operators (calls and statefuls live elsewhere)."""

    def emit(self, ast, frame: dict) -> Expr:
        """Code of ``ast`` computed in ``frame`` (``{dimension: elements}``)."""
        if is_number(ast):
            value = float(ast)
            return Expr("np.nan" if np.isnan(value) else repr(value))
        if isinstance(ast, ae.ReferenceStructure):
            return self._reference(ast, frame)
        if isinstance(ast, (ae.ArithmeticStructure, ae.LogicStructure)):
            return self._operation(ast, frame)
        if isinstance(ast, ae.CallStructure):
            return self.call(ast, frame)
        if isinstance(ast, ae.GameStructure):
            return self.emit(ast.expression, frame)
        if isinstance(ast, np.ndarray):
            # a table of numbers written for the equation's subscripts (PySD's ArrayBuilder)
            shape = tuple(len(c) for c in frame.values())
            try:
                value = np.asarray(ast, dtype=float).reshape((1,) + shape)
            except ValueError:
                self._unsupported(f"a table of {np.size(ast)} numbers for subscripts of "
                                  f"shape {shape}")
            return Expr(self.ir.constant_array(value), 0, (), tuple(frame))
        if isinstance(ast, ae.InlineLookupsStructure):
            key, self.inline_key = self.inline_key or self.new_local("_inline"), None
            self.ir.lookups[key] = self.table(ast.lookups)
            arg = self.emit(ast.argument, frame)
            return Expr(f"F.interp_inline(LK[{key!r}], {arg.code})", 0, arg.deps, arg.axes)
        stateful = self.stateful(ast, frame)
        if stateful is not None:
            return stateful
        if isinstance(ast, (ae.AllocateByPriorityStructure, ae.AllocateAvailableStructure)):
            return self.allocation(ast, frame)
        name = type(ast).__name__.replace("Structure", "")
        self._unsupported(LABELS.get(name, name))

    # -------------------------------------------------------------- references
    def local_code(self, local: str, frame: dict) -> str:
        """Code of a scalar local in ``frame``: new length-1 axes after the member axis."""
        if not frame:
            return local
        self.ir.lifted.add(local)
        return "{}[..., {}]".format(local, ", ".join(["None"] * len(frame)))

    def _reference(self, ast: ae.ReferenceStructure, frame: dict) -> Expr:
        ref = ast.reference
        subs = ast.subscripts.subscripts if ast.subscripts else None
        if ref == "time":
            return Expr("t", 0, {"t"})
        if ref in self.scope:
            local, var_subs = self.scope[ref]
            return self.array_reference(local, var_subs, subs, frame)
        py = self.cleanspace.get(ref)
        if py is None:
            return self._subscript_number(ref, frame)
        if py in CONTROL_LOCALS:
            return Expr(CONTROL_LOCALS[py])
        if py in self.lookup_elements:
            self._unsupported(f"lookup '{ref}' used without an argument")
        return self.array_reference("v_" + py, self.var_subs[py], subs, frame)

    def array_reference(self, local, var_subs, subs, frame) -> Expr:
        """Code of a reference to a local holding a variable over ``var_subs``, in ``frame``."""
        if not var_subs:
            if subs:
                self._unsupported(f"subscripts on the scalar variable '{local[2:]}'")
            return Expr(self.local_code(local, frame), 0, {local})
        try:
            code, dims = self.dims.reference(local, var_subs, subs, frame,
                                             self.ir.constant_array)
        except SubscriptError as err:
            self._unsupported(f"subscripted reference to '{local[2:]}' ({err})")
        return Expr(code, 0, {local}, dims)

    def _subscript_number(self, ref, frame) -> Expr:
        """Code of a subscript range or element used as a number (its 1-based position)."""
        found = self.dims.number(ref)
        if found is None:
            self._unsupported(f"reference to unknown name '{ref}'")
        value, dim = found
        if dim is None:
            return Expr(repr(value))
        labels = list(self.dims.ranges[dim])
        if dim not in frame or any(c not in labels for c in frame[dim]):
            self._unsupported(f"subscript '{dim}' used as a number outside its dimension")
        value = value[[labels.index(c) for c in frame[dim]]]
        shape = [1] + [len(c) if d == dim else 1 for d, c in frame.items()]
        return Expr(self.ir.constant_array(value.reshape(shape)), 0, (), (dim,))

    # --------------------------------------------------------------- operators
    def _operation(self, ast, frame) -> Expr:
        args = [self.emit(a, frame) for a in ast.arguments]
        ops = list(ast.operators)
        deps, axes = join(args)
        for op in ops:
            if op not in _OPERATORS:
                self._unsupported(f"operator '{op}'")
        order = _OPERATORS[ops[-1]][1]
        args[-1].lower(2 if ops[-1] == "^" else order)
        if len(args) == 1:
            if ops[0] == "negative":
                order = 1
            return Expr(_OPERATORS[ops[0]][0] % args[0].code, order, deps, axes)
        right = args.pop().code
        while args or ops:
            template = _OPERATORS[ops.pop()][0]
            left = args.pop()
            left.lower(order)
            right = template % {"left": left.code, "right": right}
        return Expr(right, order, deps, axes)
