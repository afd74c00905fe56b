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
    path: str
    time_units: str
    checked: int = 0
    mismatches: list = field(default_factory=list)
    skipped: list = field(default_factory=list)   # (variable, why)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def _norm(name: str) -> str:
    return re.sub(r"[^0-9a-z\u0080-\uffff]+", "_", str(name).strip().lower()).strip("_")


class _Unknown(Exception):
    """Units that cannot be inferred (undeclared units, unsupported function)."""


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
        for cls, (inp, delay) in {
            "SmoothStructure": ("input", "smooth_time"), "SmoothNStructure": ("input", "smooth_time"),
            "DelayStructure": ("input", "delay_time"), "DelayNStructure": ("input", "delay_time"),
            "DelayFixedStructure": ("input", "delay_time"), "TrendStructure": ("input", "average_time"),
        }.items():
            if type(node).__name__ == cls:
                u = self.infer(getattr(node, inp))
                t = self.infer(getattr(node, delay))
                if not t.free and not t.same(self.time):
                    self.mismatch(f"{cls.replace('Structure', '').upper()} time", t, self.time)
                init = getattr(node, "initial", None) if cls != "TrendStructure" else None
                if init is not None:
                    self.equal(f"{cls.replace('Structure', '').upper()} initial vs input", self.infer(init), u)
                return u if cls != "TrendStructure" else DMNL / self.time
        if isinstance(node, ae.InitialStructure):
            return self.infer(node.initial)
        raise _Unknown(type(node).__name__)

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
        for op, arg in zip(ops, args[1:]):
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
        for op, arg in zip(ops, args[1:]):
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
        if fn in ("abs", "integer", "int", "quantum"):
            return self.infer(args[0])
        if fn == "if_then_else":
            self.infer_quiet(args[0])
            return self.equal("IF THEN ELSE branches", self.infer(args[1]), self.infer(args[2]))
        if fn in ("exp", "ln", "log", "sin", "cos", "tan"):
            u = self.infer(args[0])
            if not u.dimensionless:
                self.mismatch(f"{fn.upper()} argument must be dimensionless", u, DMNL)
            return DMNL
        if fn == "sqrt":
            return self.infer(args[0]) ** Fraction(1, 2)
        if fn in ("zidz", "xidz"):
            return self.infer(args[0]) / self.infer(args[1])
        if fn in ("step", "pulse", "ramp", "pulse_train"):
            # STEP(height, start); PULSE(start, width); PULSE TRAIN(start, width, between, end);
            # RAMP(slope, start, end): times in time units, the result in height's, 1's or slope*time's
            times = args[1:] if fn in ("step", "ramp") else args
            for a in times:
                t = self.infer(a)
                if not t.free and not t.same(self.time):
                    self.mismatch(f"{fn.upper()} time argument", t, self.time)
            if fn == "step":
                return self.infer(args[0])
            if fn == "ramp":
                return self.infer(args[0]) * Units(self.time.dims, True)
            return NUMBER
        el = self.elements.get(fn)
        if el is not None and el[2] == "lookup":
            for a in args:
                self.infer_quiet(a)
            if el[1] is None:
                raise _Unknown(fn)
            return el[1]
        raise _Unknown(fn)


def check_units(path: str | Path) -> UnitsReport:
    """Units of every equation of the model at ``path`` against its declared units."""
    from pysd.translators.structures import abstract_expressions as ae
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
                if isinstance(ast, ae.IntegStructure):
                    flow = checker.infer_quiet(ast.flow)
                    if flow is not None and not flow.free and not flow.same(units / time_units):
                        checker.mismatch("INTEG flow vs stock/time", flow, units / time_units)
                    init = checker.infer_quiet(ast.initial)
                    if init is not None and not init.free and not init.same(units):
                        checker.mismatch("INTEG initial value vs stock", init, units)
                    continue
                if isinstance(ast, ae.InlineLookupsStructure):
                    checker.infer_quiet(ast.argument)
                    continue
                rhs = checker.infer(ast)
                if not rhs.free and not rhs.same(units):
                    checker.mismatch("equation (right-hand side vs declared)", rhs, units)
            except _Unknown as exc:
                report.skipped.append((el.name, f"cannot infer units through {exc}"))
            for m in checker.found[before:]:
                m.expression = _expression_text(comp)
    report.mismatches = checker.found
    return report


def _expression_text(comp) -> str:
    return str(getattr(comp, "reference", "") or "")


def format_report(report: UnitsReport) -> str:
    lines = [f"units check of {report.path}: {report.checked} equations, time unit {report.time_units}, "
             f"{len(report.mismatches)} mismatches"]
    lines += [f"  {m}" for m in report.mismatches]
    lines += [f"  (not checked) {name}: {why}" for name, why in report.skipped]
    return "\n".join(lines)
