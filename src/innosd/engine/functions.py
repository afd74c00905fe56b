"""NumPy versions of the Vensim builtins, with PySD 3.14's exact definitions.

Every function accepts Python floats or arrays of shape (n,) (one value per
ensemble member) and broadcasts; ``t`` (model time) and ``dt`` (TIME STEP) are
Python floats in the model's time unit.  Stateful helpers keep chain states of
shape (K, n), K being the largest order over the members; per-member orders are
either a Python int (all members equal) or an int array (n,).
"""

from __future__ import annotations

import numpy as np

SMALL_VENSIM = 1e-6


def full(n: int, value) -> np.ndarray:
    """Fresh float array (n,) holding ``value`` (scalar or (n,))."""
    return np.array(np.broadcast_to(np.asarray(value, dtype=float), (n,)))


def freeze(value):
    """Private copy of an array value (scalars unchanged), for INITIAL."""
    return np.array(value, dtype=float) if isinstance(value, np.ndarray) else value


def if_then_else(cond, a, b):
    """IF THEN ELSE; both branches are already evaluated (element-wise select)."""
    return np.where(cond, a, b)


def xidz(a, b, x):
    """a / b, or x where |b| < 1e-6."""
    return np.where(np.abs(b) < SMALL_VENSIM, x, np.divide(a, b))


def zidz(a, b):
    """a / b, or 0 where |b| < 1e-6."""
    return np.where(np.abs(b) < SMALL_VENSIM, 0.0, np.divide(a, b))


def integer(x):
    """INTEGER: truncation toward zero (PySD uses ``int``)."""
    return np.trunc(x)


def quantum(a, b):
    """QUANTUM: b * INTEGER(a / b), or a where b < 1e-6."""
    return np.where(b < SMALL_VENSIM, a, b * np.trunc(a / b))


def modulo(x, m):
    """MODULO as PySD defines it: x - QUANTUM(x, m)."""
    return x - quantum(x, m)


def step(t, dt, value, tstep):
    """STEP(value, tstep): value once t + dt/2 > tstep."""
    return value * (t + dt / 2 > tstep)


def ramp(t, slope, start, finish=None):
    """RAMP(slope, start, finish): slope * (MIN(t, finish) - start) after start."""
    final = t if finish is None else np.minimum(finish, t)
    return (t + SMALL_VENSIM > start) * slope * (final - start)


def pulse(t, dt, start, width=None):
    """PULSE(start, width): 1 for start - 1e-6 <= t < start + width (width defaults to dt/2)."""
    width = 0.5 * dt if width is None else width
    return np.where((start - SMALL_VENSIM <= t) & (t < start + width), 1.0, 0.0)


def pulse_train(t, dt, start, repeat_time, width, end):
    """PULSE TRAIN(start, width, repeat, end) with PySD's argument order (start, repeat, width, end)."""
    single = (start - SMALL_VENSIM <= t) & (t < start + width)
    with np.errstate(all="ignore"):
        phase = np.mod(t - start + SMALL_VENSIM, repeat_time)
    train = (start <= t) & (t < end) & (phase < width)
    return np.where(repeat_time == 0, single, train) * 1.0


# ----------------------------------------------------------------- lookups

def lookup(table, x):
    """Graphical function as PySD's HardcodedLookups (Vensim 'interpolate').

    ``table`` is (xp (m,), yp (m,) or (n, m), kind) with kind in
    {'interpolate', 'hold_backward', 'extrapolate'}; linear interpolation
    inside, constant (or linear for 'extrapolate') beyond the ends.
    """
    xp, yp, kind = table
    if yp.ndim == 1 and kind == "interpolate":
        return np.interp(x, xp, yp)
    return _lookup_general(xp, yp, kind, x)


def interp_inline(table, x):
    """WITH LOOKUP: PySD calls ``np.interp`` (constant extrapolation)."""
    xp, yp, _ = table
    if yp.ndim == 1:
        return np.interp(x, xp, yp)
    return _lookup_general(xp, yp, "interpolate", x)


def _lookup_general(xp, yp, kind, x):
    """Vectorised interpolation; per-member tables yp (n, m) gathered by row."""
    m = xp.shape[0]
    x = np.asarray(x, dtype=float)
    if yp.ndim == 2:
        x = np.broadcast_to(x, (yp.shape[0],))
        rows = np.arange(yp.shape[0])

        def y_at(j):
            return yp[rows, j]
    else:
        def y_at(j):
            return yp[j]
    j = np.clip(np.searchsorted(xp, x, side="right") - 1, 0, m - 2)
    y0, y1 = y_at(j), y_at(j + 1)
    if kind == "hold_backward":
        inside = np.where(x >= xp[j + 1], y1, y0)
    else:
        slope = (y1 - y0) / (xp[j + 1] - xp[j])
        inside = slope * (x - xp[j]) + y0
    first, last = y_at(0), y_at(m - 1)
    if kind == "extrapolate":
        k_hi = (last - y_at(m - 2)) / (xp[-1] - xp[-2])
        k_lo = (y_at(1) - first) / (xp[1] - xp[0])
        above = last + k_hi * (x - xp[-1])
        below = first + k_lo * (x - xp[0])
    else:
        above, below = last, first
    out = np.where(x >= xp[-1], np.where(x == xp[-1], last, above), inside)
    return np.where(x < xp[0], below, out)


# --------------------------------------------------------------- statefuls

def chain_init(n: int, value, order) -> tuple[np.ndarray, object]:
    """Chain state (K, n) filled with ``value``; order as int or int array (n,)."""
    order = _order(n, order)
    k = int(np.max(order)) if isinstance(order, np.ndarray) else order
    return np.array(np.broadcast_to(np.asarray(value, dtype=float), (max(k, 1), n))), order


def _order(n, order):
    arr = np.broadcast_to(np.asarray(order), (n,)).astype(int)
    return int(arr[0]) if np.all(arr == arr[0]) else arr.copy()


def chain_last(state: np.ndarray, order):
    """Value of the last stage of each member's chain, shape (n,); NaN for order 0.

    (PySD fails on a zero-order chain, e.g. a delay time below TIME STEP.)
    """
    if isinstance(order, np.ndarray):
        out = state[np.maximum(order, 1) - 1, np.arange(state.shape[1])]
        return np.where(order > 0, out, np.nan)
    return state[order - 1] if order > 0 else np.full(state.shape[1], np.nan)


def smooth_init(n, init, order):
    """SMOOTH/SMOOTH3/SMOOTH N state: ``order`` stages all equal to ``init``."""
    return chain_init(n, init, order)


def smooth_ddt(state, inp, order, smooth_time):
    """d(state)/dt of an n-th order exponential smooth, shape (K, n)."""
    targets = np.empty_like(state)
    targets[0] = inp
    targets[1:] = state[:-1]
    return (targets - state) * order / smooth_time


def delay_order(n, order, dt, delay_time):
    """PySD's delay order: int(order), reduced while order * dt > delay time."""
    k = np.broadcast_to(np.asarray(order), (n,)).astype(int).copy()
    dtime = np.broadcast_to(np.asarray(delay_time, dtype=float), (n,))
    mask = k * dt > dtime
    while np.any(mask):
        k[mask] -= 1
        mask = k * dt > dtime
    return k


def delay_init(n, init, delay_time, order, dt):
    """DELAY1/DELAY3 state (K, n): each stage holds init * delay time."""
    k = delay_order(n, order, dt, delay_time)
    return chain_init(n, init * delay_time, k)


def delay_ddt(state, inp, delay_time, order):
    """d(state)/dt of a material delay chain, shape (K, n)."""
    outflows = state / delay_time
    inflows = np.empty_like(state)
    inflows[0] = inp
    inflows[1:] = outflows[:-1]
    return (inflows - outflows) * order


def delayn_init(n, init, delay_time, order, dt):
    """DELAY N state (K, n), remembered delay times (K, n) and order."""
    state, k = delay_init(n, init, delay_time, order, dt)
    times = np.array(np.broadcast_to(np.asarray(delay_time, dtype=float), state.shape))
    return state, times, k


def delayn_ddt(state, times, inp, delay_time, order):
    """d(state)/dt of DELAY N; shifts ``times`` and stores the current delay time first."""
    times[1:] = times[:-1].copy()
    times[0] = delay_time
    outflows = state / times
    inflows = np.empty_like(state)
    inflows[0] = inp
    inflows[1:] = outflows[:-1]
    return (inflows - outflows) * order


def delay_fixed_init(n, init, delay_time, dt):
    """DELAY FIXED pipe (K, n), pointer (0) and per-member length round(max(T/dt, 1))."""
    ratio = np.maximum(np.asarray(delay_time, dtype=float) / dt, 1)
    order = _order(n, np.round(ratio + SMALL_VENSIM))
    k = int(np.max(order)) if isinstance(order, np.ndarray) else order
    pipe = np.array(np.broadcast_to(np.asarray(init, dtype=float), (k, n)))
    ptr = np.zeros(n, dtype=int) if isinstance(order, np.ndarray) else 0
    return pipe, ptr, order


def delay_fixed_update(pipe, ptr, order, inp):
    """Push ``inp`` into the pipe; returns (new output (n,), new pointer)."""
    if isinstance(order, np.ndarray):
        rows = np.arange(pipe.shape[1])
        pipe[ptr, rows] = inp
        ptr = (ptr + 1) % order
        return pipe[ptr, rows].copy(), ptr
    pipe[ptr] = inp
    ptr = (ptr + 1) % order
    return pipe[ptr].copy(), ptr
