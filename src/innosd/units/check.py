"""The units check of every equation of a Vensim model (see :mod:`innosd.units` for the rules)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from .algebra import DMNL, NUMBER, Units, UnitsSyntaxError, parse_units


@dataclass
class Mismatch:
    """One units inconsistency: in ``variable``'s equation, ``where`` has ``left`` against ``right``."""

    variable: str
    where: str
    left: str
    right: str
    expression: str = ""

    @property
    def key(self) -> str:
        """Python-style name of the variable (for expected_failures in checks.yaml)."""
        return _norm(self.variable)

    def __str__(self) -> str:
        return f"{self.variable}: {self.where}: {self.left} vs {self.right}"


@dataclass
class UnitsReport:
    """The units check of one model: equations checked, mismatches, equations skipped and why."""

    path: str
    time_units: str
    checked: int = 0
    mismatches: list = field(default_factory=list)
    skipped: list = field(default_factory=list)   # (variable, why)

    @property
    def ok(self) -> bool:
        """True when no equation mismatches."""
        return not self.mismatches


def _norm(name: str) -> str:
    return re.sub(r"[^0-9a-z\u0080-\uffff]+", "_", str(name).strip().lower()).strip("_")


class _Unknown(Exception):
    """Units that cannot be inferred (undeclared units, unsupported function)."""


#: PySD's delay-like structures -> the attribute holding their time.
DELAYS = {"SmoothStructure": "smooth_time", "SmoothNStructure": "smooth_time", "DelayStructure": "delay_time",
          "DelayNStructure": "delay_time", "DelayFixedStructure": "delay_time", "TrendStructure": "average_time"}


class _Checker:
    def __init__(self, elements: dict, time_units: Units):
        self.elements = elements          # norm name -> (name, Units | None, kind)
        self.time = time_units
        self.found: list[Mismatch] = []
        self.var = ""

    def mismatch(self, where: str, a: Units, b: Units) -> None:
        self.found.append(Mismatch(self.var, where, str(a), str(b)))

    def equal(self, where: str, a: Units, b: Units) -> Units:
        """Units of a combination needing equal units; a bare number takes the other side's units."""
        if a.free:
            return b
        if b.free:
            return a
        if not a.same(b):
            self.mismatch(where, a, b)
        return a

    def ref(self, name: str) -> Units:
        key = _norm(name)
        if key == "time":
            return self.time
        if key in ("time_step", "saveper", "initial_time", "final_time"):
            return self.time
        el = self.elements.get(key)
        if el is None or el[1] is None:
            raise _Unknown(name)
        return el[1]

    def infer(self, node) -> Units:
        import numbers

        from pysd.translators.structures import abstract_expressions as ae

        if isinstance(node, numbers.Number):
            return NUMBER
        if isinstance(node, ae.ReferenceStructure):
            return self.ref(node.reference)
        if isinstance(node, ae.ArithmeticStructure):
            return self.arithmetic(node)
        if isinstance(node, ae.LogicStructure):
            return self.logic(node)
        if isinstance(node, ae.CallStructure):
            return self.call(node)
        if isinstance(node, ae.InlineLookupsStructure):
            self.infer_quiet(node.argument)
            raise _Unknown("inline lookup")  # the caller uses the declared units
        if isinstance(node, ae.IntegStructure):
            raise AssertionError("INTEG handled by the caller")
        if type(node).__name__ in DELAYS:
            return self.delay(node)
        if isinstance(node, ae.InitialStructure):
            return self.infer(node.initial)
        raise _Unknown(type(node).__name__)

    def delay(self, node) -> Units:
        """SMOOTH, DELAY and TREND: the delay time in time units, the initial value in the input's units."""
        cls = type(node).__name__
        name = cls.replace("Structure", "").upper()
        u = self.infer(node.input)
        t = self.infer(getattr(node, DELAYS[cls]))
        if not t.free and not t.same(self.time):
            self.mismatch(f"{name} time", t, self.time)
        init = getattr(node, "initial", None) if cls != "TrendStructure" else None
        if init is not None:
            self.equal(f"{name} initial vs input", self.infer(init), u)
        return u if cls != "TrendStructure" else DMNL / self.time

    def infer_quiet(self, node):
        try:
            return self.infer(node)
        except _Unknown:
            return None

    def arithmetic(self, node) -> Units:
        ops, args = node.operators, node.arguments
        if ops == ["negative"] or ops == ["positive"]:
            return self.infer(args[0])
        u = self.infer(args[0])
        for op, arg in zip(ops, args[1:], strict=True):
            if op in ("+", "-"):
                u = self.equal(f"'{op}' operands", u, self.infer(arg))
            elif op == "*":
                u = u * self.infer(arg)
            elif op == "/":
                u = u / self.infer(arg)
            elif op == "^":
                import numbers

                e = self.infer(arg)
                if not e.dimensionless:
                    self.mismatch("'^' exponent must be dimensionless", e, DMNL)
                if isinstance(arg, numbers.Number):
                    u = u ** arg
                else:
                    if not u.dimensionless and not u.free:
                        self.mismatch("'^' base must be dimensionless (exponent not a number)", u, DMNL)
                    u = Units((), u.free and e.free)
            else:
                raise _Unknown(op)
        return u

    def logic(self, node) -> Units:
        ops, args = node.operators, node.arguments
        if ops and ops[0] in (":not:",):
            self.infer_quiet(args[0])
            return NUMBER
        u = self.infer(args[0])
        for op, arg in zip(ops, args[1:], strict=True):
            v = self.infer(arg)
            if op in ("=", "<>", "<", ">", "<=", ">="):
                self.equal(f"comparison '{op}'", u, v)
            u = v
        return NUMBER

    def call(self, node) -> Units:
        fn = _norm(node.function.reference)
        args = node.arguments
        if fn in ("min", "max"):
            u = self.infer(args[0])
            for a in args[1:]:
                u = self.equal(f"{fn.upper()} arguments", u, self.infer(a))
            return u
        if fn in ("abs", "integer", "int", "quantum", "sqrt", "exp", "ln", "log", "sin", "cos", "tan"):
            return self.unary(fn, args[0])
        if fn == "if_then_else":
            self.infer_quiet(args[0])
            return self.equal("IF THEN ELSE branches", self.infer(args[1]), self.infer(args[2]))
        if fn in ("zidz", "xidz"):
            return self.infer(args[0]) / self.infer(args[1])
        if fn in ("step", "pulse", "ramp", "pulse_train"):
            return self.time_function(fn, args)
        el = self.elements.get(fn)
        if el is not None and el[2] == "lookup":
            for a in args:
                self.infer_quiet(a)
            if el[1] is None:
                raise _Unknown(fn)
            return el[1]
        raise _Unknown(fn)


    def unary(self, fn: str, arg) -> Units:
        """ABS, INTEGER, QUANTUM keep their argument's units; SQRT halves them; EXP, LN and the like need none."""
        u = self.infer(arg)
        if fn == "sqrt":
            return u ** Fraction(1, 2)
        if fn in ("abs", "integer", "int", "quantum"):
            return u
        if not u.dimensionless:
            self.mismatch(f"{fn.upper()} argument must be dimensionless", u, DMNL)
        return DMNL

    def time_function(self, fn: str, args) -> Units:
        """STEP(height, start); PULSE(start, width); PULSE TRAIN(start, width, between, end); RAMP(slope, start, end).

        Their times need time units; the result has the height's units, 1, or the slope's times time.
        """
        for a in args[1:] if fn in ("step", "ramp") else args:
            t = self.infer(a)
            if not t.free and not t.same(self.time):
                self.mismatch(f"{fn.upper()} time argument", t, self.time)
        if fn == "step":
            return self.infer(args[0])
        if fn == "ramp":
            return self.infer(args[0]) * Units(self.time.dims, True)
        return NUMBER

    def component(self, ast, units: Units, time_units: Units) -> None:
        """Check one equation's right-hand side ``ast`` against the declared ``units`` (INTEG: flow and initial)."""
        from pysd.translators.structures import abstract_expressions as ae

        if isinstance(ast, ae.IntegStructure):
            flow = self.infer_quiet(ast.flow)
            if flow is not None and not flow.free and not flow.same(units / time_units):
                self.mismatch("INTEG flow vs stock/time", flow, units / time_units)
            init = self.infer_quiet(ast.initial)
            if init is not None and not init.free and not init.same(units):
                self.mismatch("INTEG initial value vs stock", init, units)
            return
        if isinstance(ast, ae.InlineLookupsStructure):
            self.infer_quiet(ast.argument)
            return
        rhs = self.infer(ast)
        if not rhs.free and not rhs.same(units):
            self.mismatch("equation (right-hand side vs declared)", rhs, units)


def check_units(path: str | Path) -> UnitsReport:
    """Units of every equation of the model at ``path`` against its declared units."""
    from pysd.translators.vensim.vensim_file import VensimFile

    vf = VensimFile(str(path))
    vf.parse()
    am = vf.get_abstract_model()
    elements, bodies = {}, []
    time_units = None
    report = UnitsReport(str(path), "Year")
    for section in am.sections:
        for el in section.elements:
            units = None
            if el.units and el.units.strip():
                try:
                    units = parse_units(el.units)
                except UnitsSyntaxError as exc:
                    report.skipped.append((el.name, str(exc)))
            kind = "lookup" if any(type(c.ast).__name__ == "LookupsStructure" for c in el.components) else "var"
            elements[_norm(el.name)] = (el.name, units, kind)
            if _norm(el.name) == "time_step" and units is not None:
                time_units = units
            bodies.append((el, units, kind))
    time_units = time_units or Units.of({"Year": 1})
    report.time_units = str(time_units)
    checker = _Checker(elements, time_units)
    for el, units, kind in bodies:
        if kind == "lookup":
            continue
        checker.var = el.name
        for comp in el.components:
            ast = comp.ast
            if units is None:
                report.skipped.append((el.name, "no units declared"))
                continue
            report.checked += 1
            before = len(checker.found)
            try:
                checker.component(ast, units, time_units)
            except _Unknown as exc:
                report.skipped.append((el.name, f"cannot infer units through {exc}"))
            for m in checker.found[before:]:
                m.expression = _expression_text(comp)
    report.mismatches = checker.found
    return report


def _expression_text(comp) -> str:
    return str(getattr(comp, "reference", "") or "")


def format_report(report: UnitsReport) -> str:
    """The report as text: counts, one line per mismatch and per equation not checked."""
    lines = [f"units check of {report.path}: {report.checked} equations, time unit {report.time_units}, "
             f"{len(report.mismatches)} mismatches"]
    lines += [f"  {m}" for m in report.mismatches]
    lines += [f"  (not checked) {name}: {why}" for name, why in report.skipped]
    return "\n".join(lines)
