"""The compiled model: parameter handling, chunking and the time loop driver."""

from __future__ import annotations

import difflib
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from . import functions
from .codegen import generate
from .errors import UnsupportedConstructError
from .results import Results
from .timegrid import time_grid
from .translate import CONTROL_LOCALS, ModelIR, translate

_CONTROL_ORDER = ("initial_time", "final_time", "time_step", "saveper")


def _norm(name: str) -> str:
    return " ".join(str(name).replace("_", " ").lower().split())


class CompiledModel:
    """A Vensim model compiled to a vectorised NumPy simulator.

    Attributes
    ----------
    control : dict
        ``initial_time``, ``final_time``, ``time_step``, ``saveper`` (floats, model time unit).
    constants : dict
        python name -> default value of every scalar constant.
    lookups : dict
        python name -> (x (m,), y (m,)) of every graphical function / WITH LOOKUP table.
    lookup_limits : dict
        python name -> (ymin, ymax), the y range declared for a graphical function in the file.
    stocks : list
        python names of the stocks (INTEG).
    variables : dict
        python name -> :class:`VarInfo`.
    """

    def __init__(self, ir: ModelIR):
        self.ir = ir
        self.path = ir.path
        self.constants = dict(ir.constants)
        self._tables = dict(ir.lookups)
        self.lookups = {k: (v[0], v[1]) for k, v in ir.lookups.items() if k in ir.variables}
        self.lookup_limits = dict(ir.lookup_limits)
        self.stocks = list(ir.stocks)
        self.variables = dict(ir.variables)
        self._codes = {}
        self.control = self._control({}, self.constants)
        self._functions = {}
        self._aliases = {}
        for vensim, py in ir.namespace.items():
            self._aliases.setdefault(_norm(vensim), py)
            self._aliases.setdefault(_norm(py), py)

    def __repr__(self):
        return "CompiledModel(%r, %d variables, %d stocks)" % (
            str(self.path), len(self.variables), len(self.stocks))

    # ------------------------------------------------------------ names
    def resolve(self, name: str, pool, what: str = "variable") -> str:
        """Python name in ``pool`` for a python or Vensim ``name``; KeyError with close matches."""
        if name in pool:
            return name
        py = self.ir.namespace.get(name)
        if py is None:
            py = self._aliases.get(_norm(name))
        if py is not None and py in pool:
            return py
        candidates = list(pool) + [self.variables[p].name for p in pool if p in self.variables]
        close = difflib.get_close_matches(str(name), candidates, n=5, cutoff=0.5)
        hint = "; close matches: %s" % ", ".join(close) if close else ""
        raise KeyError("unknown %s '%s' in model %s%s" % (what, name, self.path.name, hint))

    def _control(self, overrides: dict, P: dict, t=None):
        """Control values at time ``t`` (None: at the initial time); dict of floats."""
        env = {"np": np, "F": functions}
        values = dict(overrides)
        pending = [py for py in _CONTROL_ORDER if py not in values]
        local = {"t": 0.0 if t is None else t}
        for _ in range(len(_CONTROL_ORDER) + 1):
            for py in list(pending):
                code, deps = self.ir.control.get(py, (None, ()))
                if code is None:
                    raise UnsupportedConstructError(self.path, py.upper().replace("_", " "),
                                                    "missing control variable")
                missing = [d for d in deps if d != "t" and not (d.startswith("v_") and d[2:] in P)]
                if missing:
                    raise UnsupportedConstructError(
                        self.path, py.upper().replace("_", " "),
                        "control variable depending on non-constant %s" % missing)
                local.update({CONTROL_LOCALS[k]: v for k, v in values.items()})
                local.update({d: P[d[2:]] for d in deps if d != "t"})
                try:
                    values[py] = float(eval(self._control_code(code), env, local))
                except NameError:
                    continue
                pending.remove(py)
        if pending:
            raise UnsupportedConstructError(self.path, pending[0], "circular control variables")
        if t is None and "initial_time" not in overrides:
            return self._control(dict(overrides), P, values["initial_time"])
        return {py: values[py] for py in _CONTROL_ORDER}

    def _control_code(self, code):
        compiled = self._codes.get(code)
        if compiled is None:
            compiled = self._codes[code] = compile(code, "<control>", "eval")
        return compiled

    def _function(self, outputs: tuple, overridden: frozenset):
        key = (outputs, overridden)
        fn = self._functions.get(key)
        if fn is None:
            source = generate(self.ir, list(outputs), overridden)
            namespace = {"np": np, "F": functions}
            exec(compile(source, "<innosd.engine %s>" % self.path.name, "exec"), namespace)
            fn = namespace["run_chunk"]
            fn.source = source
            self._functions[key] = fn
        return fn

    def output_names(self, which: str = "dynamic") -> list:
        """Python names of outputs: 'dynamic' (non-constant variables) or 'all' (incl. constants)."""
        return [py for py, info in self.variables.items()
                if info.kind != "lookup" and (which == "all" or info.kind != "constant")]

    # --------------------------------------------------------------- run
    def run(self, n=None, params=None, lookups=None, initial_time=None, final_time=None,
            time_step=None, saveper=None, outputs=None, chunk_size=16384, workers=None) -> Results:
        """Simulate ``n`` members with Euler integration, exactly as PySD does.

        params: name -> float or ndarray (n,); lookups: name -> (x (m,), y (m,) or (n, m));
        control overrides in the model's time unit; outputs: names (None = all
        non-constant variables); chunks of ``chunk_size`` members run on ``workers``
        threads (None: one per CPU; NumPy releases the GIL inside array loops).
        Returns :class:`Results` with arrays (n, T).
        """
        sizes = set()
        P = {k: np.float64(v) for k, v in self.constants.items()}
        overridden = set()
        control_over = {}
        settable = set(self.constants) | set(CONTROL_LOCALS) | {
            py for py, info in self.variables.items() if info.kind in ("aux", "flow")}
        for name, value in (params or {}).items():
            py = self.resolve(name, settable, "parameter")
            arr = np.asarray(value, dtype=float)
            if py in CONTROL_LOCALS:
                control_over[py] = float(arr)
                continue
            if arr.ndim == 0:
                P[py] = np.float64(arr)
            elif arr.ndim == 1:
                P[py] = arr
                sizes.add(arr.shape[0])
            else:
                raise ValueError("parameter '%s' must be a float or an array (n,), got shape %s"
                                 % (name, arr.shape))
            if py not in self.constants:
                overridden.add(py)
        LK = dict(self._tables)
        for name, table in (lookups or {}).items():
            py = self.resolve(name, self.lookups, "lookup")
            x, y = (np.asarray(a, dtype=float) for a in table)
            if x.ndim != 1 or y.ndim not in (1, 2) or y.shape[-1] != x.shape[0] or x.size < 2:
                raise ValueError("lookup '%s': x must be (m,) with m >= 2 and y (m,) or (n, m); "
                                 "got %s and %s" % (name, x.shape, y.shape))
            if np.any(np.diff(x) <= 0):
                raise ValueError("lookup '%s': x must be strictly increasing" % name)
            if y.ndim == 2:
                sizes.add(y.shape[0])
            LK[py] = (x, y, self._tables[py][2])
        if len(sizes) > 1 or (n is not None and sizes and sizes != {n}):
            raise ValueError("inconsistent member counts: n=%s, array sizes %s" % (n, sorted(sizes)))
        n = n if n is not None else (sizes.pop() if sizes else 1)
        for key, value in (("initial_time", initial_time), ("final_time", final_time),
                           ("time_step", time_step), ("saveper", saveper)):
            if value is not None:
                control_over[key] = float(value)
        ctl = self._control(control_over, P)
        if any("t" in deps for _, deps in self.ir.control.values()):
            def at(t):
                return self._control(control_over, P, t)
        else:
            def at(t):
                return ctl
        times, saves, stamps, steps = time_grid(ctl["initial_time"], at)
        pool = self.output_names("all")
        names = self.output_names() if outputs is None else [
            self.resolve(o, pool, "output") for o in outputs]
        names = list(dict.fromkeys(names))
        fn = self._function(tuple(self.ir.local_of[py] for py in names), frozenset(overridden))
        store = [np.empty((len(stamps), n)) for _ in names]
        chunk_size = max(1, int(chunk_size))
        starts = range(0, n, chunk_size)

        def run_one(start):
            stop = min(n, start + chunk_size)
            Pc = {k: (v[start:stop] if isinstance(v, np.ndarray) else v) for k, v in P.items()}
            LKc = {k: (x, y[start:stop] if y.ndim == 2 else y, kind)
                   for k, (x, y, kind) in LK.items()}
            with np.errstate(all="ignore"):
                fn(stop - start, Pc, LKc, times, saves, steps, [s[:, start:stop] for s in store])

        workers = min(len(starts), os.cpu_count() or 1) if workers is None else int(workers)
        if workers > 1:
            with ThreadPoolExecutor(workers) as pool:
                list(pool.map(run_one, starts))
        else:
            for start in starts:
                run_one(start)
        data = {py: s.T for py, s in zip(names, store)}
        return Results(stamps, data, {py: self.variables[py].name for py in names},
                       lambda name, pool, what: self.resolve(name, pool, what))


_CACHE: dict = {}


def compile_model(path) -> CompiledModel:
    """Compile a Vensim ``.mdl`` file (cached by path and modification time)."""
    path = Path(path).resolve()
    key = (str(path), path.stat().st_mtime_ns)
    cm = _CACHE.get(key)
    if cm is None:
        cm = CompiledModel(translate(path))
        _CACHE[key] = cm
    return cm
