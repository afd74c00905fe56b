"""Stateful structures (INTEG, SMOOTH, DELAY, TREND, ...) and macro calls -> IR.

A mixin of the translator.  Each stateful object becomes a :class:`Stateful`
whose arguments are locals (helper nodes computed in the equation's frame) and
whose output is the local ``o<k>``; its state has the frame's shape after the
member axis (chains of K stages put K first: (K, n, *frame)).  A macro call is
expanded in place: the macro's equations are translated again for every call,
under private local names, with the call's arguments bound to its parameters.
"""

from __future__ import annotations

from pysd.builders.python.namespace import NamespaceManager
from pysd.translators.structures import abstract_expressions as ae

from .expressions import Expr, is_number
from .ir import CONTROL_LOCALS, Node, Stateful

# arguments that must be one value per member (no subscripts): chain lengths
_SCALAR_ROLES = {"order"}


class StatefulTranslator:
    """Mixin: stateful structures and macro expansion."""

    def stateful(self, ast, frame: dict):
        """Expr of the output of a stateful structure, or None if ``ast`` is not one."""
        if isinstance(ast, ae.IntegStructure):
            kind = "nonneg_integ" if ast.non_negative else "integ"
            return self._stateful(kind, frame, flow=ast.flow, initial=ast.initial)
        if isinstance(ast, ae.InitialStructure):
            return self._stateful("initial", frame, initial=ast.initial)
        if isinstance(ast, (ae.SmoothStructure, ae.SmoothNStructure)):
            return self._stateful("smooth", frame, input=ast.input, smooth_time=ast.smooth_time,
                                  initial=ast.initial, order=ast.order)
        if isinstance(ast, (ae.DelayStructure, ae.DelayNStructure)):
            kind = "delay" if isinstance(ast, ae.DelayStructure) else "delayn"
            return self._stateful(kind, frame, input=ast.input, delay_time=ast.delay_time,
                                  initial=ast.initial, order=ast.order)
        if isinstance(ast, ae.DelayFixedStructure):
            # PySD computes one pipe length per run: the delay time has no subscripts
            return self._stateful("delay_fixed", frame, scalar=("delay_time",),
                                  input=ast.input, delay_time=ast.delay_time,
                                  initial=ast.initial)
        if isinstance(ast, ae.TrendStructure):
            return self._stateful("trend", frame, input=ast.input,
                                  average_time=ast.average_time,
                                  initial_trend=ast.initial_trend)
        if isinstance(ast, ae.ForecastStructure):
            return self._stateful("forecast", frame, input=ast.input,
                                  average_time=ast.average_time, horizon=ast.horizon,
                                  initial_trend=ast.initial_trend)
        if isinstance(ast, ae.SampleIfTrueStructure):
            return self._stateful("sample_if_true", frame, condition=ast.condition,
                                  input=ast.input, initial=ast.initial)
        return None

    def new_local(self, prefix: str) -> str:
        """Return a fresh local name ``<prefix><k>``."""
        self.counter += 1
        return f"{prefix}{self.counter}"

    def argument(self, ast, frame: dict, scalar: bool = False) -> tuple:
        """(code, deps) of a stateful argument: literal, existing local or helper node."""
        if scalar:
            frame = {}
        if is_number(ast):
            return (self.emit(ast, frame).code, frozenset())
        key = (id(ast), tuple(frame))
        if key in self.arg_cache:
            return self.arg_cache[key][0]
        e = self.emit(ast, frame)
        if scalar and e.axes:
            self._unsupported("a subscripted value where one value per member is needed")
        if e.code in CONTROL_LOCALS.values():
            out = (e.code, frozenset())
        elif e.code in e.deps:
            out = (e.code, frozenset({e.code}))
        else:
            local = self.new_local("a")
            shape = tuple(len(c) for c in frame.values())
            self.ir.nodes[local] = Node(local, e.code, e.deps, shape=shape)
            out = (local, frozenset({local}))
        self.arg_cache[key] = (out, ast)  # keep ast alive so its id is not reused
        return out

    def _stateful(self, kind, frame, scalar=(), **args) -> Expr:
        sid = self.new_local("s")
        coded = {role: self.argument(ast, frame, role in _SCALAR_ROLES or role in scalar)
                 for role, ast in args.items()}
        shape = tuple(len(c) for c in frame.values())
        self.ir.statefuls.append(Stateful(kind, sid, coded, self.element, shape))
        out = "o" + sid[1:]
        return Expr(out, 0, {out}, tuple(frame))

    # ------------------------------------------------------------------ macros
    def macro_call(self, name: str, arguments, frame: dict) -> Expr:
        """Expand one call of macro ``name``; its value is the macro's own variable."""
        section = self.macros[name]
        if len(arguments) != len(section.params):
            self._unsupported(f"macro {name} called with {len(arguments)} arguments for "
                              f"{len(section.params)} parameters")
        if section.subscripts or any(c.subscripts[0] for e in section.elements
                                     for c in e.components):
            self._unsupported(f"macro {name} with subscripts")
        prefix = self.new_local("m") + "_"
        bound = {}
        for param, arg in zip(section.params, arguments, strict=True):
            e = self.emit(arg, {})
            if e.axes:
                self._unsupported(f"macro {name} called with a subscripted argument")
            local = prefix + param
            self.ir.nodes[local] = Node(local, e.code, e.deps)
            bound[param] = (local, {})
        ns = NamespaceManager(section.params)
        for element in section.elements:
            ns.add_to_namespace(element.name)
        for element in section.elements:
            bound[ns.namespace[element.name]] = (prefix + ns.namespace[element.name], {})
        outer = self.scope, self.element
        self.scope = bound
        try:
            for element in section.elements:
                py = ns.namespace[element.name]
                self.element = f"{element.name} (in macro {name} called by {outer[1]})"
                self.element_nodes(element, py, prefix + py, {}, hidden=True)
        finally:
            self.scope, self.element = outer
        if name not in bound:
            self._unsupported(f"macro {name} without a variable named like the macro")
        result = bound[name][0]
        return Expr(self.local_code(result, frame), 0, {result})
