"""PySD abstract model -> engine intermediate representation (:class:`ModelIR`).

PySD's Vensim translator parses the ``.mdl`` file; this module turns each
element into a Python/NumPy expression string that mirrors the code PySD's own
builder would generate (same operator grouping, so the same floating point
operations), plus stateful objects (INTEG, SMOOTH, DELAY, ...) and lookup
tables.  Anything outside the supported subset raises
:class:`UnsupportedConstructError`.
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pysd.builders.python.namespace import NamespaceManager
from pysd.translators.structures import abstract_expressions as ae
from pysd.translators.structures import abstract_model as am
from pysd.translators.vensim.vensim_file import VensimFile

from .errors import UnsupportedConstructError

CONTROL_LOCALS = {
    "initial_time": "t0", "final_time": "tf", "time_step": "dt", "saveper": "sp",
}


@dataclass
class VarInfo:
    """Metadata of one model variable (``kind``: stock, flow, aux, constant or lookup)."""

    name: str
    units: str
    doc: str
    kind: str
    expression: str = ""


@dataclass
class Node:
    """One value computed by an expression over other locals of the generated code."""

    name: str
    expr: str
    deps: frozenset
    element: str | None = None


@dataclass
class Stateful:
    """A stateful object; ``args`` maps a role (e.g. 'flow') to a code snippet."""

    kind: str
    sid: str
    args: dict
    element: str


@dataclass
class ModelIR:
    """Everything the code generator needs, plus public metadata."""

    path: Path
    control: dict = field(default_factory=dict)        # py name -> (code, deps)
    constants: dict = field(default_factory=dict)      # py name -> float
    lookups: dict = field(default_factory=dict)        # key -> (x, y, kind)
    lookup_limits: dict = field(default_factory=dict)  # py name -> (ymin, ymax) declared in the file
    nodes: dict = field(default_factory=dict)          # local -> Node
    statefuls: list = field(default_factory=list)
    variables: dict = field(default_factory=dict)      # py name -> VarInfo
    local_of: dict = field(default_factory=dict)       # py name -> local
    namespace: dict = field(default_factory=dict)      # Vensim name -> py name
    stocks: list = field(default_factory=list)


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

_FUNCTIONS = {
    "abs": "np.abs(%s)", "exp": "np.exp(%s)", "sqrt": "np.sqrt(%s)", "ln": "np.log(%s)",
    "sin": "np.sin(%s)", "cos": "np.cos(%s)", "tan": "np.tan(%s)",
    "arcsin": "np.arcsin(%s)", "arccos": "np.arccos(%s)", "arctan": "np.arctan(%s)",
    "sinh": "np.sinh(%s)", "cosh": "np.cosh(%s)", "tanh": "np.tanh(%s)",
    "min": "np.minimum(%s, %s)", "max": "np.maximum(%s, %s)", "power": "np.power(%s, %s)",
    "log": "(np.log(%s)/np.log(%s))", "integer": "F.integer(%s)", "modulo": "F.modulo(%s, %s)",
    "quantum": "F.quantum(%s, %s)", "if_then_else": "F.if_then_else(%s, %s, %s)",
    "xidz": "F.xidz(%s, %s, %s)", "zidz": "F.zidz(%s, %s)",
    "step": "F.step(t, dt, %s, %s)", "ramp": "F.ramp(t, %s, %s, %s)",
    "pulse": "F.pulse(t, dt, %s, %s)", "pulse_train": "F.pulse_train(t, dt, %s, %s, %s, %s)",
}


class _Expr:
    """Generated code of a sub-expression with PySD's operator order (0 = atomic)."""

    __slots__ = ("code", "order", "deps")

    def __init__(self, code, order=0, deps=frozenset()):
        self.code, self.order, self.deps = code, order, frozenset(deps)

    def lower(self, new_order):
        if self.order >= new_order and self.order != 0 and new_order != 0:
            self.code, self.order = "(%s)" % self.code, 0


class Translator:
    """Builds a :class:`ModelIR` from one ``.mdl`` file."""

    def __init__(self, path):
        self.path = Path(path)
        self.ir = ModelIR(path=self.path)
        self.counter = 0
        self.element = None
        self.arg_cache = {}

    # ---------------------------------------------------------------- top
    def build(self) -> ModelIR:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            vf = VensimFile(self.path)
            vf.parse()
            model = vf.get_abstract_model()
        texts = {c.name: c.expression for s in vf.sections for c in s.elements
                 if hasattr(c, "expression")}
        main = [s for s in model.sections if s.type == "main"]
        for section in model.sections:
            if section.type != "main":
                raise UnsupportedConstructError(self.path, section.name, "MACRO")
        section = main[0]
        if section.subscripts:
            raise UnsupportedConstructError(
                self.path, section.subscripts[0].name, "subscript ranges (arrays)")
        ns = NamespaceManager(section.params)
        for element in section.elements:
            ns.add_to_namespace(element.name)
        self.cleanspace = ns.cleanspace
        self.ir.namespace = {k: v for k, v in ns.namespace.items() if k != "Time"}
        self.elements = {}
        for element in section.elements:
            py = ns.namespace[element.name]
            self.elements[py] = element
            if len(element.components) != 1 or element.components[0].subscripts[0]:
                raise UnsupportedConstructError(self.path, element.name, "subscripts (arrays)")
        self.lookup_elements = {
            py for py, el in self.elements.items()
            if isinstance(el.components[0].ast, ae.LookupsStructure)
        }
        for py, element in self.elements.items():
            self.element = element.name
            self._element(py, element, texts.get(element.name, ""))
        self._classify_flows()
        return self.ir

    def _unsupported(self, construct):
        raise UnsupportedConstructError(self.path, self.element, construct)

    def _element(self, py, element, text):
        comp = element.components[0]
        ast = comp.ast
        info = VarInfo(element.name, element.units or "", element.documentation or "",
                       "aux", text)
        self.ir.variables[py] = info
        if isinstance(comp, am.AbstractData) or isinstance(ast, ae.DataStructure):
            self._unsupported("data variable (:DATA: / GET DATA)")
        if isinstance(element, am.AbstractControlElement) or py in CONTROL_LOCALS:
            if py not in CONTROL_LOCALS:
                self._unsupported("control variable")
            e = self._emit(ast)
            self.ir.control[py] = (e.code, e.deps)
            info.kind = "constant"
            del self.ir.variables[py]
            return
        if isinstance(ast, ae.LookupsStructure):
            self.ir.lookups[py] = self._table(ast)
            self.ir.lookup_limits[py] = (float(ast.y_limits[0]), float(ast.y_limits[1]))
            info.kind = "lookup"
            return
        if _is_number(ast):
            self.ir.constants[py] = float(ast)
            info.kind = "constant"
            local = "v_" + py
            self.ir.local_of[py] = local
            self.ir.nodes[local] = Node(local, "P[%r]" % py, frozenset(), py)
            return
        if isinstance(ast, ae.IntegStructure):
            info.kind = "stock"
            self.ir.stocks.append(py)
        if isinstance(ast, ae.InlineLookupsStructure):
            self.ir.lookups[py] = self._table(ast.lookups)
            info.kind = "aux"
        e = self._emit(ast, inline_key=py)
        local = "v_" + py
        self.ir.local_of[py] = local
        self.ir.nodes[local] = Node(local, e.code, e.deps, py)

    def _classify_flows(self):
        for st in self.ir.statefuls:
            if st.kind in ("integ", "nonneg_integ"):
                for dep in st.args["flow"][1]:
                    py = dep[2:] if dep.startswith("v_") else None
                    if py in self.ir.variables and self.ir.variables[py].kind == "aux":
                        self.ir.variables[py].kind = "flow"
                node = self.ir.nodes.get(st.args["flow"][0])
                if node is not None and node.element is None:
                    for dep in node.deps:
                        py = dep[2:] if dep.startswith("v_") else None
                        if py in self.ir.variables and self.ir.variables[py].kind == "aux":
                            self.ir.variables[py].kind = "flow"

    def _table(self, lk: ae.LookupsStructure):
        x = np.asarray(lk.x, dtype=float)
        y = np.asarray(lk.y, dtype=float)
        if x.ndim != 1 or x.shape != y.shape:
            self._unsupported("multi-dimensional lookup")
        kind = lk.type or "interpolate"
        if kind not in ("interpolate", "hold_backward", "extrapolate"):
            self._unsupported("lookup type '%s'" % kind)
        return (x, y, kind)

    # ---------------------------------------------------------- expressions
    def _emit(self, ast, inline_key=None) -> _Expr:
        if _is_number(ast):
            value = float(ast)
            if np.isnan(value):
                return _Expr("np.nan")
            return _Expr(repr(value))
        if isinstance(ast, ae.ReferenceStructure):
            return self._reference(ast)
        if isinstance(ast, (ae.ArithmeticStructure, ae.LogicStructure)):
            return self._operation(ast)
        if isinstance(ast, ae.CallStructure):
            return self._call(ast)
        if isinstance(ast, ae.GameStructure):
            return self._emit(ast.expression)
        if isinstance(ast, ae.InlineLookupsStructure):
            key = inline_key if inline_key in self.ir.lookups else self._new("_inline")
            if key not in self.ir.lookups:
                self.ir.lookups[key] = self._table(ast.lookups)
            arg = self._emit(ast.argument)
            return _Expr("F.interp_inline(LK[%r], %s)" % (key, arg.code), 0, arg.deps)
        if isinstance(ast, ae.IntegStructure):
            kind = "nonneg_integ" if ast.non_negative else "integ"
            return self._stateful(kind, flow=ast.flow, initial=ast.initial)
        if isinstance(ast, ae.InitialStructure):
            return self._stateful("initial", initial=ast.initial)
        if isinstance(ast, (ae.SmoothStructure, ae.SmoothNStructure)):
            return self._stateful("smooth", input=ast.input, smooth_time=ast.smooth_time,
                                  initial=ast.initial, order=ast.order)
        if isinstance(ast, ae.DelayStructure):
            return self._stateful("delay", input=ast.input, delay_time=ast.delay_time,
                                  initial=ast.initial, order=ast.order)
        if isinstance(ast, ae.DelayNStructure):
            return self._stateful("delayn", input=ast.input, delay_time=ast.delay_time,
                                  initial=ast.initial, order=ast.order)
        if isinstance(ast, ae.DelayFixedStructure):
            return self._stateful("delay_fixed", input=ast.input, delay_time=ast.delay_time,
                                  initial=ast.initial)
        if isinstance(ast, ae.TrendStructure):
            return self._stateful("trend", input=ast.input, average_time=ast.average_time,
                                  initial_trend=ast.initial_trend)
        if isinstance(ast, ae.ForecastStructure):
            return self._stateful("forecast", input=ast.input, average_time=ast.average_time,
                                  horizon=ast.horizon, initial_trend=ast.initial_trend)
        if isinstance(ast, ae.SampleIfTrueStructure):
            return self._stateful("sample_if_true", condition=ast.condition,
                                  input=ast.input, initial=ast.initial)
        name = type(ast).__name__.replace("Structure", "")
        labels = {"GetLookups": "GET XLS/DIRECT LOOKUPS", "GetData": "GET XLS/DIRECT DATA",
                  "GetConstants": "GET XLS/DIRECT CONSTANTS", "Data": "data variable",
                  "AllocateAvailable": "ALLOCATE AVAILABLE",
                  "AllocateByPriority": "ALLOCATE BY PRIORITY", "ndarray": "array constant"}
        self._unsupported(labels.get(name, name))

    def _reference(self, ast: ae.ReferenceStructure) -> _Expr:
        if ast.subscripts:
            self._unsupported("subscripted reference '%s'" % ast.reference)
        ref = ast.reference
        if ref == "time":
            return _Expr("t", 0, {"t"})
        py = self.cleanspace.get(ref)
        if py is None:
            self._unsupported("reference to unknown name '%s'" % ref)
        if py in CONTROL_LOCALS:
            return _Expr(CONTROL_LOCALS[py])
        if py in self.lookup_elements:
            self._unsupported("lookup '%s' used without an argument" % ref)
        return _Expr("v_" + py, 0, {"v_" + py})

    def _operation(self, ast) -> _Expr:
        args = [self._emit(a) for a in ast.arguments]
        ops = list(ast.operators)
        deps = frozenset().union(*(a.deps for a in args))
        for op in ops:
            if op not in _OPERATORS:
                self._unsupported("operator '%s'" % op)
        order = _OPERATORS[ops[-1]][1]
        args[-1].lower(2 if ops[-1] == "^" else order)
        if len(args) == 1:
            if ops[0] == "negative":
                order = 1
            return _Expr(_OPERATORS[ops[0]][0] % args[0].code, order, deps)
        right = args.pop().code
        while args or ops:
            template = _OPERATORS[ops.pop()][0]
            left = args.pop()
            left.lower(order)
            right = template % {"left": left.code, "right": right}
        return _Expr(right, order, deps)

    def _call(self, ast: ae.CallStructure) -> _Expr:
        fname = ast.function.reference
        args = [self._emit(a) for a in ast.arguments]
        deps = frozenset().union(*(a.deps for a in args)) if args else frozenset()
        py = self.cleanspace.get(fname)
        if py is not None and py in self.lookup_elements:
            if len(args) != 1:
                self._unsupported("lookup call with %d arguments" % len(args))
            return _Expr("F.lookup(LK[%r], %s)" % (py, args[0].code), 0, deps)
        template = _FUNCTIONS.get(fname)
        if fname == "pi":
            return _Expr("np.pi")
        if template is None:
            label = "function %s" % fname.upper().replace("_", " ")
            if py is not None:
                label = "call of non-lookup variable '%s'" % fname
            self._unsupported(label)
        codes = [a.code for a in args]
        if fname == "ramp" and len(codes) == 2:
            template = "F.ramp(t, %s, %s)"
        if fname == "pulse" and len(codes) == 1:
            template = "F.pulse(t, dt, %s)"
        if template.count("%s") != len(codes):
            self._unsupported("%s with %d arguments" % (fname.upper(), len(codes)))
        if "t, " in template:
            deps = deps | {"t"}
        return _Expr(template % tuple(codes), 0, deps)

    # ------------------------------------------------------------ statefuls
    def _new(self, prefix):
        self.counter += 1
        return "%s%d" % (prefix, self.counter)

    def _argument(self, ast):
        """(code, deps) of a stateful argument: literal, existing local or helper node."""
        if _is_number(ast):
            return (self._emit(ast).code, frozenset())
        key = id(ast)
        if key in self.arg_cache:
            return self.arg_cache[key][0]
        e = self._emit(ast)
        if e.code in CONTROL_LOCALS.values():
            out = (e.code, frozenset())
        elif e.code in e.deps:
            out = (e.code, frozenset({e.code}))
        else:
            local = self._new("a")
            self.ir.nodes[local] = Node(local, e.code, e.deps)
            out = (local, frozenset({local}))
        self.arg_cache[key] = (out, ast)
        return out

    def _stateful(self, kind, **args) -> _Expr:
        sid = self._new("s")
        coded = {role: self._argument(ast) for role, ast in args.items()}
        self.ir.statefuls.append(Stateful(kind, sid, coded, self.element))
        out = "o" + sid[1:]
        return _Expr(out, 0, {out})


def _is_number(ast) -> bool:
    return isinstance(ast, (int, float, np.integer, np.floating)) and not isinstance(ast, bool)


def translate(path) -> ModelIR:
    """Parse ``path`` with PySD and return the engine's intermediate representation."""
    return Translator(path).build()
