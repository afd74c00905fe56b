"""Link polarity from the equations, and the model's feedback loops named R1, R2, … / B1, B2, ….

A link x -> z is positive when z rises with x, everything else held, and negative when it falls.
The sign is read off the equation's syntax tree under the usual system-dynamics reading that
every variable is positive: ``a - x`` falls with x, ``a / x`` falls with x, ``MIN``/``MAX``/``XIDZ``
numerators, powers with a fixed exponent, exponentials and logarithms keep the sign of their
argument, and a graphical function keeps it when its table is monotone. A flow raises the stock it
enters and lowers the stock it leaves. Anything else (``IF THEN ELSE``, a variable in an exponent,
a non-monotone table) is undetermined (``None``), and so is a loop through such a link.

A loop is reinforcing (R) when the product of its link signs is positive and balancing (B) when
negative. Loops are numbered within each polarity, shortest first, then in the order
:func:`innosd.structure.feedback_loops` lists them; the names regenerate with the equations.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from ..structure import Element, feedback_loops, norm

_MONOTONE_CALLS = {"min", "max", "exp", "ln", "log", "sqrt", "integer", "smooth", "smooth3"}


@dataclass(frozen=True)
class Loop:
    """One feedback loop.

    Attributes
    ----------
    name : str
        ``R3``, ``B12``, or ``U1`` when the polarity is undetermined.
    polarity : int or None
        +1 reinforcing, -1 balancing, None undetermined.
    variables : tuple of str
        The variables around the loop, in the direction of causation, starting at a stock.
    """

    name: str
    polarity: int | None
    variables: tuple[str, ...]

    @property
    def kind(self) -> str:
        """``reinforcing``, ``balancing`` or ``undetermined``."""
        return {1: "reinforcing", -1: "balancing"}.get(self.polarity, "undetermined")


def _combine(signs) -> int | None:
    """The sign of a sum of terms with these signs (0 = independent of the variable)."""
    signs = list(signs)
    if any(s is None for s in signs):
        return None
    nonzero = {s for s in signs if s}
    if not nonzero:
        return 0
    return nonzero.pop() if len(nonzero) == 1 else None


def expression_sign(node, var: str, lookups: dict[str, int | None]) -> int | None:
    """Sign of d(node)/d(var): +1, -1, 0 (no dependence) or None (undetermined).

    Parameters
    ----------
    node : object
        A PySD abstract-syntax node (or a number).
    var : str
        The normalised name (:func:`innosd.structure.norm`) of the variable.
    lookups : dict
        Normalised lookup name -> monotonicity of its table (+1, -1, 0 flat, None).
    """
    cls = type(node).__name__
    if isinstance(node, (int, float)) or node is None:
        return 0
    if cls == "ReferenceStructure":
        return 1 if norm(node.reference) == var else 0
    if cls == "ArithmeticStructure":
        return _arith_sign(node, var, lookups)
    if cls == "CallStructure":
        fname = norm(getattr(node.function, "reference", ""))
        args = node.arguments
        if fname in lookups:                      # a graphical function called as f(x)
            own = 1 if fname == var else 0
            inner = expression_sign(args[0], var, lookups) if args else 0
            slope = lookups[fname]
            via = None if (inner and slope is None) else (inner or 0) * (slope or 0)
            return _combine([own, via])
        if fname in _MONOTONE_CALLS:
            return _combine(expression_sign(a, var, lookups) for a in args)
        if fname in ("xidz", "zidz"):
            num, den = expression_sign(args[0], var, lookups), expression_sign(args[1], var, lookups)
            rest = [expression_sign(a, var, lookups) for a in args[2:]]
            return _combine([num, None if den is None else -den] + rest)
        if fname in ("step", "ramp", "pulse", "pulse train"):
            return _combine(expression_sign(a, var, lookups) for a in args[:1]) if fname == "step" else (
                0 if all(expression_sign(a, var, lookups) == 0 for a in args) else None)
        return 0 if all(expression_sign(a, var, lookups) == 0 for a in args) else None
    if cls in ("SmoothStructure", "SmoothNStructure", "DelayStructure", "DelayNStructure", "DelayFixedStructure",
               "InitialStructure"):
        first = getattr(node, "input", None) if hasattr(node, "input") else getattr(node, "initial", None)
        others = [getattr(node, f) for f in node.__dataclass_fields__ if getattr(node, f) is not first]
        if any(expression_sign(o, var, lookups) for o in others):
            return None
        return expression_sign(first, var, lookups)
    if hasattr(node, "__dataclass_fields__"):
        parts = [getattr(node, f) for f in node.__dataclass_fields__]
        return 0 if all(expression_sign(p, var, lookups) == 0 for p in parts if not isinstance(p, str)) else None
    return 0


def _arith_sign(node, var, lookups) -> int | None:
    ops, args = list(node.operators), node.arguments
    if ops == ["negative"]:
        s = expression_sign(args[0], var, lookups)
        return None if s is None else -s
    signs = [expression_sign(a, var, lookups) for a in args]
    if set(ops) <= {"+", "-"}:
        return _combine(s if op == "+" or s is None else -s for op, s in zip(["+"] + ops, signs, strict=True))
    if set(ops) <= {"*", "/"}:
        return _combine(s if op == "*" or s is None else -s for op, s in zip(["*"] + ops, signs, strict=True))
    if ops == ["^"] * len(ops):
        if any(s != 0 for s in signs[1:]):
            return None                                   # the variable is in an exponent
        return signs[0]
    return 0 if all(s == 0 for s in signs) else None


def _table_slope(ast) -> int | None:
    """Monotonicity of a lookup table: +1 rising, -1 falling, 0 flat, None neither."""
    y = [float(v) for v in getattr(ast, "y", ())]
    d = [b - a for a, b in pairwise(y)]
    if all(v == 0 for v in d):
        return 0
    if all(v >= 0 for v in d):
        return 1
    if all(v <= 0 for v in d):
        return -1
    return None


def link_polarities(structure: dict[str, Element]) -> dict[tuple[str, str], int | None]:
    """(cause, effect) -> sign for every link of the model (initial values included).

    A flow entering a stock is +1, a flow leaving it -1; any other term of a stock's rate gets
    the sign of the rate expression.
    """
    lookups = {norm(n): _table_slope(e.ast) for n, e in structure.items() if e.kind == "lookup"}
    out = {}
    for name, e in structure.items():
        for cause in e.deps:
            if cause in e.inflows and cause not in e.outflows:
                out[(cause, name)] = 1
            elif cause in e.outflows and cause not in e.inflows:
                out[(cause, name)] = -1
            else:
                out[(cause, name)] = expression_sign(e.ast, norm(cause), lookups)
        for cause in e.init_deps - e.deps:
            out[(cause, name)] = expression_sign(e.init_ast, norm(cause), lookups)
    return out


def named_loops(structure: dict[str, Element], max_length: int = 14) -> list[Loop]:
    """The feedback loops of the model with their polarity and names (R…, B…, U… for undetermined).

    Parameters
    ----------
    structure : dict
        :func:`innosd.structure.read_structure` of the model.
    max_length : int
        Longest loop searched, in variables.

    Returns
    -------
    list of Loop
        Reinforcing loops first, then balancing, then undetermined; shortest first within each.
    """
    signs = link_polarities(structure)
    found = []
    for cycle in feedback_loops(structure, max_length):
        product = 1
        for a, b in zip(cycle, cycle[1:] + cycle[:1], strict=True):
            s = signs.get((a, b))
            if s is None or product is None:
                product = None
            else:
                product *= s
        found.append((cycle, product if product != 0 else None))
    out = []
    for pol, letter in ((1, "R"), (-1, "B"), (None, "U")):
        cycles = [c for c, p in found if p == pol]
        out += [Loop(f"{letter}{i}", pol, tuple(c)) for i, c in enumerate(cycles, 1)]
    return out


def loop_label(loop: Loop) -> str:
    """``R1`` followed by the loop written out: ``R1 (reinforcing): a → b → a``."""
    path = " → ".join(loop.variables + loop.variables[:1])
    return f"{loop.name} ({loop.kind}): {path}"
