"""Loops That Matter link and loop scores from an engine run (Schoenberg, Davidsen and Eberlein 2020).

For every time step (from t - dt to t) and every member at once:

* link x -> z, z an auxiliary or flow ``z = f(x, y, ...)``: ``|Δxz / Δz| * sign(Δxz / Δx)`` with
  ``Δxz = f(x(t), y(t - dt), ...) - z(t - dt)``, the change of z when only x moves (every other input,
  Time included, held at t - dt); 0 where Δz or Δx is 0. The model's own equation is evaluated (the
  engine's generated expression), vectorised over members and steps.
* flow f -> stock s: ``+|f / net|`` for an inflow, ``-|f / net|`` for an outflow, with the flows of the
  Euler step that moved s from t - dt to t and ``net = Δs / dt`` (the 2020 paper's form).
* input -> a ``DELAY FIXED`` variable (a pipeline): +1 while the output moves (its change is wholly the
  input's, a delay earlier), else 0.

A loop's score is the product of its link scores; divided by the sum of the absolute scores of the loops
considered, it is the relative loop score, whose sign is the loop's polarity at that time and whose size
is its share of the behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from ..engine import functions

_TINY = 1e-12


@dataclass
class Run:
    """Values of a fine-grained engine run: ``values[py]`` (n, T) at every TIME STEP ``time`` (T,)."""

    time: np.ndarray
    values: dict[str, np.ndarray]
    params: dict[str, np.ndarray]      # py name -> (n,) constants of every member
    tables: dict                       # lookup key -> (x, y (m,) or (n, m), kind)
    dt: float

    @property
    def n(self) -> int:
        """Members."""
        return next(iter(self.values.values())).shape[0]


def simulate(model, n: int, params: dict, lookups: dict, final_time: float) -> Run:
    """One engine pass saving every variable at every TIME STEP (what the scores need).

    Parameters
    ----------
    model : CompiledModel
    n : int
        Members.
    params : dict
        Constant name -> float or (n,) array (as :meth:`CompiledModel.run` takes them).
    lookups : dict
        Lever name -> (x (m,), y (m,) or (n, m)).
    final_time : float
    """
    dt = float(model.control["time_step"])
    names = model.output_names("all")
    res = model.run(n=n, params=params, lookups=lookups, final_time=final_time, saveper=dt, outputs=names)
    values = {py: np.asarray(res[py], float) for py in names}
    consts = {py: values[py][:, 0] for py in model.constants}
    tables = dict(model._tables)
    for name, (x, y) in (lookups or {}).items():
        py = model.resolve(name, model.lookups, "lookup")
        tables[py] = (np.asarray(x, float), np.asarray(y, float), model._tables[py][2])
    return Run(np.asarray(res.time, float), values, consts, tables, dt)


def _lookup(table, x):
    """F.lookup for arguments (n, K): per-member tables (n, m) are read column by column."""
    yp = table[1]
    x = np.asarray(x, float)
    if yp.ndim == 1 or x.ndim < 2:
        return functions.lookup(table, x)
    return np.stack([functions.lookup(table, x[:, k]) for k in range(x.shape[1])], axis=1)


_F = SimpleNamespace(**{k: getattr(functions, k) for k in dir(functions) if not k.startswith("_")})
_F.lookup = _lookup
_F.interp_inline = lambda table, x: _lookup((table[0], table[1], "interpolate"), x)


class LinkScorer:
    """Link scores of one model over one :class:`Run` (expressions compiled once, cached per link)."""

    def __init__(self, model, run: Run):
        self.model, self.run = model, run
        ir = model.ir
        self.ir = ir
        self.py = dict(ir.namespace)                      # Vensim name -> py name
        self.delay_inputs = {}                            # py of a DELAY FIXED variable -> py names of its input
        for st in ir.statefuls:
            if st.kind == "delay_fixed":
                py = self.py.get(st.element)
                if py is not None and ir.nodes[ir.local_of[py]].expr == "o" + st.sid[1:]:
                    self.delay_inputs[py] = {d[2:] for d in self._arg_deps(st.args["input"])}
        self.stock_flows = {}                             # py of a stock -> {flow py: +1 / -1}
        self.whole = set()                                # stocks whose rate is exactly the sum of their flows
        self._cache = {}

    def _arg_deps(self, arg) -> set[str]:
        deps = arg[1]
        out = set()
        for d in deps:
            if d.startswith("v_"):
                out.add(d)
            elif d in self.ir.nodes:
                out |= {x for x in self.ir.nodes[d].deps if x.startswith("v_")}
        return out

    def set_flows(self, structure) -> None:
        """Inflows and outflows of every stock from :func:`innosd.structure.read_structure`."""
        for name, e in structure.items():
            if e.kind == "stock":
                py = self.py[name]
                self.stock_flows[py] = {**{self.py[f]: 1 for f in e.inflows if f in self.py},
                                        **{self.py[f]: -1 for f in e.outflows if f in self.py}}
                if set(e.deps) == set(e.inflows) | set(e.outflows):
                    self.whole.add(py)

    def score(self, cause: str, effect: str) -> np.ndarray:
        """Link score (n, T - 1) of ``cause`` -> ``effect`` (py names) on every step."""
        key = (cause, effect)
        if key not in self._cache:
            self._cache[key] = self._score(cause, effect)
        return self._cache[key]

    # ------------------------------------------------------------------ the three kinds of link
    def _score(self, cause: str, effect: str) -> np.ndarray:
        v = self.run.values
        if effect in self.stock_flows:
            return self._flow_to_stock(cause, effect)
        z = v[effect]
        dz = np.diff(z, axis=1)
        if effect in self.delay_inputs:
            return np.where(np.abs(dz) > _TINY * np.maximum(np.abs(z[:, 1:]), 1.0), 1.0, 0.0)
        dx = np.diff(v[cause], axis=1)
        dxz = self._partial(cause, effect) - z[:, :-1]
        with np.errstate(all="ignore"):
            s = np.abs(dxz / dz) * np.sign(dxz / dx)
        return np.where((np.abs(dz) > _TINY) & (np.abs(dx) > 0) & np.isfinite(s), s, 0.0)

    def _flow_to_stock(self, flow: str, stock: str) -> np.ndarray:
        sign = self.stock_flows[stock].get(flow)
        v = self.run.values
        if sign is None:                                  # a term of an inline rate: not separable here
            return np.zeros((self.run.n, len(self.run.time) - 1))
        if stock in self.whole:                           # the net flow of the Euler step, exactly
            net = sum(sg * v[f][:, :-1] for f, sg in self.stock_flows[stock].items())
        else:
            net = np.diff(v[stock], axis=1) / self.run.dt
        f = v[flow][:, :-1]
        with np.errstate(all="ignore"):
            s = sign * np.abs(f / net)
        return np.where((np.abs(net) > _TINY) & np.isfinite(s), s, 0.0)

    def _partial(self, cause: str, effect: str) -> np.ndarray:
        """f(cause at t, every other input at t - dt) for every step: (n, T - 1)."""
        node = self.ir.nodes[self.ir.local_of[effect]]
        code = compile(node.expr, f"<link {cause} -> {effect}>", "eval")
        ns = {"np": np, "F": _F, "P": {k: np.asarray(p)[:, None] for k, p in self.run.params.items()},
              "LK": self.run.tables, "dt": self.run.dt, "t": self.run.time[None, :-1]}
        for d in node.deps:
            if d == "t" or not d.startswith("v_"):
                continue
            py = d[2:]
            arr = self.run.values.get(py)
            if arr is None:
                continue
            ns[d] = arr[:, 1:] if py == cause else arr[:, :-1]
        with np.errstate(all="ignore"):
            out = eval(code, ns)
        return np.broadcast_to(np.asarray(out, float), (self.run.n, len(self.run.time) - 1))


def loop_score(scorer: LinkScorer, loop) -> np.ndarray:
    """Loop score (n, T - 1) of one loop (Vensim names): the product of its link scores."""
    names = [scorer.py[v] for v in loop.variables]
    prod = np.ones((scorer.run.n, len(scorer.run.time) - 1))
    for a, b in zip(names, names[1:] + names[:1], strict=True):
        prod = prod * scorer.score(a, b)
    return prod


def loop_scores(scorer: LinkScorer, loops) -> np.ndarray:
    """Loop scores (L, n, T - 1) of a few loops (:func:`yearly_relative_scores` streams many)."""
    out = [loop_score(scorer, lp) for lp in loops]
    return np.stack(out) if out else np.zeros((0, scorer.run.n, len(scorer.run.time) - 1))


def yearly_relative_scores(scorer: LinkScorer, loops, step_year: np.ndarray, years) -> np.ndarray:
    """Relative loop scores averaged over the steps of each calendar year, (L, n, Y).

    Without holding every loop's scores at every step at once: one pass sums the absolute scores, a second
    divides and averages.
    """
    n, k = scorer.run.n, len(scorer.run.time) - 1
    total = np.zeros((n, k))
    for lp in loops:
        total += np.abs(loop_score(scorer, lp))
    masks = [step_year == y for y in years]
    out = np.zeros((len(loops), n, len(masks)))
    with np.errstate(all="ignore"):
        inv = np.where(total > 0, 1.0 / total, 0.0)
    for i, lp in enumerate(loops):
        rel = loop_score(scorer, lp) * inv
        for j, m in enumerate(masks):
            out[i, :, j] = rel[:, m].mean(axis=1) if m.any() else 0.0
    return out


def relative_scores(scores: np.ndarray) -> np.ndarray:
    """Relative loop scores (L, n, K): each loop's score over the sum of the absolute scores (0 where all are 0)."""
    total = np.abs(scores).sum(axis=0, keepdims=True)
    with np.errstate(all="ignore"):
        return np.where(total > 0, scores / total, 0.0)
