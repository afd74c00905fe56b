"""The compiled model: parameter handling, chunking and the time loop driver."""

from __future__ import annotations

import difflib
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from . import functions
from .codegen import generate
from .controls import Controls
from .errors import ParameterError
from .ir import CONTROL_LOCALS, ModelIR
from .results import Results
from .timegrid import time_grid
from .translate import translate

CHUNK_ELEMENTS = 16384  # members x elements per array in one chunk (a scalar model: members)


def _norm(name: str) -> str:
    return " ".join(str(name).replace("_", " ").lower().split())


class CompiledModel:
    """A Vensim or XMILE model compiled to a vectorised NumPy simulator.

    Attributes
    ----------
    control : dict
        ``initial_time``, ``final_time``, ``time_step``, ``saveper`` (floats, model time
        unit) at the initial time.
    constants : dict
        python name -> default value of every constant: a float, or an ndarray shaped
        like the variable's subscripts.
    lookups : dict
        python name -> (x (m,), y (m,) or (m, *dims)) of every graphical function /
        WITH LOOKUP table.
    lookup_limits : dict
        python name -> (ymin, ymax), the y range declared for a graphical function in the file.
    stocks : list
        python names of the stocks (INTEG).
    variables : dict
        python name -> :class:`VarInfo` (``subscripts`` gives the dimensions of arrays).
    subscripts : dict
        subscript range name -> element names, for every range and subrange.
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
        self.subscripts = dict(ir.subscripts)
        self._controls = Controls(ir, functions)
        shapes = [n.shape for n in ir.nodes.values()] + [s.shape for s in ir.statefuls]
        self._elements = max([int(np.prod(s)) for s in shapes] + [1])
        self.control = self._controls.values({}, self._parameters())
        self._functions = {}
        self._aliases = {}
        for vensim, py in ir.namespace.items():
            self._aliases.setdefault(_norm(vensim), py)
            self._aliases.setdefault(_norm(py), py)

    def __repr__(self):  # noqa: D105
        return (f"CompiledModel({str(self.path)!r}, {len(self.variables)} variables, "
                f"{len(self.stocks)} stocks)")

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
        hint = "; close matches: {}".format(", ".join(close)) if close else ""
        raise KeyError(f"unknown {what} '{name}' in model {self.path.name}{hint}")

    def _function(self, outputs: tuple, overridden: frozenset):
        key = (outputs, overridden)
        fn = self._functions.get(key)
        if fn is None:
            source = generate(self.ir, list(outputs), overridden)
            namespace = {"np": np, "F": functions, "C": self.ir.arrays}
            code = compile(source, f"<innosd.engine {self.path.name}>", "exec")
            exec(code, namespace)  # noqa: S102 (the engine runs the code it generated)
            fn = namespace["run_chunk"]
            fn.source = source
            self._functions[key] = fn
        return fn

    def output_names(self, which: str = "dynamic") -> list:
        """Python names of outputs: 'dynamic' (non-constant variables) or 'all'."""
        return [py for py, info in self.variables.items()
                if info.kind != "lookup" and (which == "all" or info.kind != "constant")]

    # ------------------------------------------------------------ parameters
    def _parameters(self):
        """Default parameter values ``P`` of the generated code: floats or arrays (1, *dims)."""
        P = {}
        for py, value in self.constants.items():
            P[py] = np.float64(value) if np.ndim(value) == 0 else np.asarray(value)[None]
        return P

    def _inputs(self, n, params, lookups):
        """(n, P, LK, per-member lookups, overridden names, control overrides) of a run, every input checked."""
        sizes, overridden, control_over = set(), set(), {}
        P = self._parameters()
        for name, value in (params or {}).items():
            self._set(P, name, value, sizes, overridden, control_over)
        LK, per_member = dict(self._tables), set()
        for name, table in (lookups or {}).items():
            py, LK[py] = self._table(name, table, sizes)
            if LK[py][1].ndim == 2:
                per_member.add(py)
        if len(sizes) > 1 or (n is not None and sizes and sizes != {n}):
            raise ParameterError(f"inconsistent member counts: n={n}, array sizes {sorted(sizes)}")
        n = n if n is not None else (sizes.pop() if sizes else 1)
        return n, P, LK, per_member, overridden, control_over

    def _set(self, P, name, value, sizes, overridden, control_over):
        settable = set(self.constants) | set(CONTROL_LOCALS) | {
            py for py, info in self.variables.items() if info.kind in ("aux", "flow")}
        py = self.resolve(name, settable, "parameter")
        arr = np.asarray(value, dtype=float)
        if py in CONTROL_LOCALS:
            if arr.ndim != 0:
                raise ParameterError(f"control variable '{name}' takes one value, got shape "
                                     f"{arr.shape}")
            control_over[py] = float(arr)
            return
        shape = self.variables[py].shape
        if arr.ndim == 0:
            P[py] = np.float64(arr) if not shape else np.full((1,) + shape, float(arr))
        elif arr.shape == shape:
            P[py] = arr[None]
        elif arr.ndim == len(shape) + 1 and arr.shape[1:] == shape:
            P[py] = arr
            sizes.add(arr.shape[0])
        else:
            want = "a float or an array (n,)" if not shape else \
                "a float, an array {} or (n, {})".format(shape, ", ".join(map(str, shape)))
            raise ParameterError(f"parameter '{name}' must be {want}, got shape {arr.shape}")
        if py not in self.constants:
            overridden.add(py)

    def _table(self, name, table, sizes):
        py = self.resolve(name, self.lookups, "lookup")
        x, y = (np.asarray(a, dtype=float) for a in table)
        if self.variables[py].subscripts:
            raise ParameterError(f"lookup '{name}' has subscripts: replacing its tables is not "
                                 "supported")
        if x.ndim != 1 or y.ndim not in (1, 2) or y.shape[-1] != x.shape[0] or x.size < 2:
            raise ParameterError(f"lookup '{name}': x must be (m,) with m >= 2 and y (m,) or "
                                 f"(n, m); got {x.shape} and {y.shape}")
        if np.any(np.diff(x) <= 0):
            raise ParameterError(f"lookup '{name}': x must be strictly increasing")
        if y.ndim == 2:
            sizes.add(y.shape[0])
        return py, (x, y, self._tables[py][2])

    # --------------------------------------------------------------- run
    def run(self, n=None, params=None, lookups=None, initial_time=None, final_time=None,
            time_step=None, saveper=None, outputs=None, chunk_size=None, workers=None,
            seed=None) -> Results:
        """Simulate ``n`` members with Euler integration, exactly as PySD does.

        Parameters
        ----------
        n : int, optional
            Members (default: the length of the per-member arrays, else 1).
        params : dict, optional
            name -> float, array (n,), or for a subscripted variable an array shaped
            like its subscripts or (n, *subscripts).
        lookups : dict, optional
            name -> (x (m,), y (m,) or (n, m)) for lookups without subscripts.
        initial_time, final_time, time_step, saveper : float, optional
            Control overrides (model time unit).
        outputs : list of str, optional
            Names to store (default: all non-constant variables).
        chunk_size, workers : int, optional
            Members per chunk (default: 16384 / the size of the largest array, so
            that a chunk's arrays stay in cache), and threads running chunks
            (default one per CPU).
        seed : int, optional
            Seed of the random functions (RANDOM UNIFORM, ...): every chunk draws from
            its own stream spawned from it, so a run is reproducible for a given
            seed, ``n`` and ``chunk_size`` (None: fresh entropy, not reproducible).

        Returns
        -------
        Results
            Arrays (n, T) per scalar output, (n, T, *dims) per subscripted one.
        """
        n, P, LK, per_member, overridden, control_over = self._inputs(n, params, lookups)
        for key, value in (("initial_time", initial_time), ("final_time", final_time),
                           ("time_step", time_step), ("saveper", saveper)):
            if value is not None:
                control_over[key] = float(value)
        ctl = self._controls.values(control_over, P, LK)
        if self._controls.dynamic:
            def at(t):
                return self._controls.values(control_over, P, LK, t)
        else:
            def at(t):
                return ctl
        times, saves, stamps, steps = time_grid(ctl["initial_time"], at)
        pool = self.output_names("all")
        # "stock[a1,b2]" asks for the variable (Results picks the element)
        names = self.output_names() if outputs is None else [
            self.resolve(o.split("[")[0].strip() if o.endswith("]") else o, pool, "output")
            for o in outputs]
        names = list(dict.fromkeys(names))
        fn = self._function(tuple(self.ir.local_of[py] for py in names), frozenset(overridden))
        store = [np.empty((len(stamps), n) + self.variables[py].shape) for py in names]
        if chunk_size is None:
            chunk_size = max(256, CHUNK_ELEMENTS // self._elements)
        chunk_size = max(1, int(chunk_size))
        starts = range(0, n, chunk_size)
        streams = np.random.SeedSequence(seed).spawn(len(starts)) if self.ir.random else None

        def run_one(k, start):
            stop = min(n, start + chunk_size)
            # per-member values have n rows; shared ones 1 row (or none)
            Pc = {key: (v[start:stop] if isinstance(v, np.ndarray) and v.ndim and v.shape[0] == n
                        else v) for key, v in P.items()}
            LKc = {key: (x, y[start:stop] if key in per_member else y, kind)
                   for key, (x, y, kind) in LK.items()}
            rng = np.random.default_rng(streams[k]) if streams else None
            with np.errstate(all="ignore"):
                fn(stop - start, Pc, LKc, rng, times, saves, steps,
                   [s[:, start:stop] for s in store])

        workers = min(len(starts), os.cpu_count() or 1) if workers is None else int(workers)
        if workers > 1:
            with ThreadPoolExecutor(workers) as pool:
                list(pool.map(run_one, range(len(starts)), starts))
        else:
            for k, start in enumerate(starts):
                run_one(k, start)
        data = {py: np.moveaxis(s, 0, 1) for py, s in zip(names, store, strict=True)}
        return Results(stamps, data, {py: self.variables[py].name for py in names},
                       lambda name, pool, what: self.resolve(name, pool, what),
                       {py: self.variables[py].subscripts for py in names})


_CACHE: dict = {}


def compile_model(path, data_files=None) -> CompiledModel:
    """Compile a Vensim or XMILE model file (cached by path, modification time and data files).

    Parameters
    ----------
    path : str or Path
        ``.mdl`` (Vensim) or ``.xmile`` / ``.xml`` / ``.stmx`` (XMILE) file.
    data_files : list of str or Path, optional
        Files holding the series of ``:DATA:`` variables (as PySD's ``data_files``).

    Returns
    -------
    CompiledModel
    """
    path = Path(path).resolve()
    files = tuple(str(Path(f).resolve()) for f in (data_files or []))
    key = (str(path), path.stat().st_mtime_ns, files)
    cm = _CACHE.get(key)
    if cm is None:
        cm = CompiledModel(translate(path, files))
        _CACHE[key] = cm
    return cm
