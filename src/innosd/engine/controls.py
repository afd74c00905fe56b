"""Control variables (INITIAL TIME, FINAL TIME, TIME STEP, SAVEPER), constant or not.

PySD evaluates the control variables' equations whenever it needs them, at the
current time; so does :class:`Controls`.  An equation may use Time, constants,
other control variables and auxiliaries that depend only on those (evaluated
on demand, once per call); it may not use stocks or other stateful values, and
its value must be the same for every member of an ensemble (one time grid).
"""

from __future__ import annotations

import numpy as np

from .errors import ParameterError, UnsupportedConstructError
from .ir import CONTROL_LOCALS

ORDER = ("initial_time", "final_time", "time_step", "saveper")
_LONG = {short: py for py, short in CONTROL_LOCALS.items()}


class Controls:
    """Evaluator of a model's control equations.

    Parameters
    ----------
    ir : ModelIR
        The translated model.
    functions : module
        The ``F`` namespace of the generated code.
    """

    def __init__(self, ir, functions):
        self.ir = ir
        self.env = {"np": np, "F": functions, "C": ir.arrays}
        self._codes = {}
        for py in ORDER:
            if py not in ir.control:
                raise UnsupportedConstructError(ir.path, py.upper().replace("_", " "),
                                                "missing control variable")
        self.dynamic = any("t" in self._closure(deps) for _, deps in ir.control.values())

    def _closure(self, deps) -> set:
        seen, stack = set(), list(deps)
        while stack:
            dep = stack.pop()
            if dep in seen:
                continue
            seen.add(dep)
            node = self.ir.nodes.get(dep)
            if node is not None:
                stack.extend(node.deps)
        return seen

    def values(self, overrides: dict, P: dict, LK: dict | None = None, t=None) -> dict:
        """Control values (floats) at time ``t``; at the initial time when ``t`` is None."""
        scope = {"P": P, "LK": dict(self.ir.lookups) if LK is None else LK,
                 "t": np.float64(0.0 if t is None else t)}
        scope.update({CONTROL_LOCALS[py]: v for py, v in overrides.items()})
        values = {py: self._value(py, scope) for py in ORDER}
        if t is None and "initial_time" not in overrides:
            return self.values(overrides, P, LK, values["initial_time"])
        return values

    def _value(self, py: str, scope: dict) -> float:
        value = np.asarray(self._get(CONTROL_LOCALS[py], scope, ()), dtype=float)
        if value.size != 1 and not np.all(value == value.flat[0]):
            label = py.upper().replace("_", " ")
            raise ParameterError(f"{label} differs between members (it depends on a parameter "
                                 "varied per member); one time grid is needed")
        return float(value.flat[0])

    def _get(self, name: str, scope: dict, stack: tuple):
        if name in scope:
            return scope[name]
        what = self.ir.variables.get(name[2:]) if name.startswith("v_") else None
        label = what.name if what else _LONG.get(name, name)
        if name in stack:
            raise UnsupportedConstructError(self.ir.path, label, "circular control variables")
        if name in _LONG:
            code = self.ir.control[_LONG[name]][0]
        elif name in self.ir.nodes:
            code = self.ir.nodes[name].expr
        else:
            first = _LONG.get(stack[0], stack[0]) if stack else label
            raise UnsupportedConstructError(
                self.ir.path, first.upper().replace("_", " "),
                "control variable depending on a stock, delay or random value")
        scope[name] = self._eval(code, scope, stack + (name,))
        return scope[name]

    def _eval(self, code: str, scope: dict, stack: tuple):
        compiled = self._codes.get(code)
        if compiled is None:
            compiled = self._codes[code] = compile(code, "<control>", "eval")
        while True:
            try:
                with np.errstate(all="ignore"):
                    return eval(compiled, self.env, scope)
            except NameError as err:
                if err.name is None or err.name in scope:
                    raise
                self._get(err.name, scope, stack)
