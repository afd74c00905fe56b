"""State of the stateful objects (INTEG, INITIAL, SMOOTH, DELAY, DELAY FIXED), PySD 3.14's rules.

A state has shape (n, *shape): n members, then the dimensions of the equation
(``shape == ()`` for a scalar).  Chains of K stages (smooths, material delays)
put the stage first: (K, n, *shape), K being the largest order over the
members.  An order is a Python int (every member alike) or an int array (n,).
Arguments broadcast against the state: floats, (n,) for scalar equations,
(m, *shape) with m in {1, n} otherwise.
"""

from __future__ import annotations

import numpy as np

SMALL_VENSIM = 1e-6


def full(n: int, value, shape: tuple = ()) -> np.ndarray:
    """Fresh float array (n, *shape) holding ``value`` (broadcast)."""
    return np.array(np.broadcast_to(np.asarray(value, dtype=float), (n,) + tuple(shape)))


def freeze(value, shape: tuple = ()):
    """Private copy of a value for INITIAL; arrays keep their member axis (1 or n)."""
    if not shape:
        return np.array(value, dtype=float) if isinstance(value, np.ndarray) else value
    value = np.asarray(value, dtype=float)
    m = value.shape[0] if value.ndim == len(shape) + 1 else 1
    return np.array(np.broadcast_to(value, (m,) + tuple(shape)))


def _order(n, order):
    arr = np.broadcast_to(np.asarray(order), (n,)).astype(int)
    return int(arr[0]) if np.all(arr == arr[0]) else arr.copy()


def _per_member(order, ndim: int):
    """Reshape an order array (n,) to broadcast against (n, *shape) of ``ndim`` axes."""
    if isinstance(order, np.ndarray):
        return order.reshape(order.shape + (1,) * (ndim - 1))
    return order


def chain_init(n: int, value, order, shape: tuple = ()) -> tuple:
    """Chain state (K, n, *shape) filled with ``value``; returns (state, order)."""
    order = _order(n, order)
    k = int(np.max(order)) if isinstance(order, np.ndarray) else order
    state = np.broadcast_to(np.asarray(value, dtype=float), (max(k, 1), n) + tuple(shape))
    return np.array(state), order


def chain_last(state: np.ndarray, order):
    """Last stage of each member's chain, shape (n, *shape); NaN for order 0.

    (PySD fails on a zero-order chain, e.g. a delay time below TIME STEP.)
    """
    if isinstance(order, np.ndarray):
        out = state[np.maximum(order, 1) - 1, np.arange(state.shape[1])]
        return np.where(_per_member(order, out.ndim) > 0, out, np.nan)
    return state[order - 1] if order > 0 else np.full(state.shape[1:], np.nan)


def smooth_init(n, init, order, shape: tuple = ()):
    """SMOOTH/SMOOTH3/SMOOTH N state: ``order`` stages all equal to ``init``."""
    return chain_init(n, init, order, shape)


def smooth_ddt(state, inp, order, smooth_time, out=None):
    """d(state)/dt of an n-th order exponential smooth, shape (K, n, *shape).

    ``out``: a buffer shaped like ``state`` receiving the result (the same
    operations in the same order as without it, so the same values).
    """
    targets = np.empty_like(state) if out is None else out
    targets[0] = inp
    targets[1:] = state[:-1]
    if out is None:
        return (targets - state) * _per_member(order, state.ndim - 1) / smooth_time
    np.subtract(out, state, out=out)
    np.multiply(out, _per_member(order, state.ndim - 1), out=out)
    return np.true_divide(out, smooth_time, out=out)


def delay_order(n, order, dt, delay_time):
    """PySD's delay order: int(order), reduced while order * dt > delay time.

    A subscripted delay has one order per member: PySD compares with the
    smallest delay time over the elements.
    """
    k = np.broadcast_to(np.asarray(order), (n,)).astype(int).copy()
    dtime = np.asarray(delay_time, dtype=float)
    if dtime.ndim > 1:
        dtime = dtime.reshape(dtime.shape[0], -1).min(axis=1)
    dtime = np.broadcast_to(dtime, (n,))
    mask = k * dt > dtime
    while np.any(mask):
        k[mask] -= 1
        mask = k * dt > dtime
    return k


def delay_init(n, init, delay_time, order, dt, shape: tuple = ()):
    """DELAY1/DELAY3 state (K, n, *shape): each stage holds init * delay time."""
    k = delay_order(n, order, dt, delay_time)
    return chain_init(n, init * delay_time, k, shape)


def delay_ddt(state, inp, delay_time, order, out=None, scratch=None):
    """d(state)/dt of a material delay chain, shape (K, n, *shape).

    ``out`` and ``scratch``: buffers shaped like ``state`` (same values, no allocation).
    """
    outflows = np.true_divide(state, delay_time, out=scratch)
    return _chain_flows(outflows, inp, order, out)


def _chain_flows(outflows, inp, order, out):
    inflows = np.empty_like(outflows) if out is None else out
    inflows[0] = inp
    inflows[1:] = outflows[:-1]
    order = _per_member(order, outflows.ndim - 1)
    if out is None:
        return (inflows - outflows) * order
    np.subtract(out, outflows, out=out)
    return np.multiply(out, order, out=out)


def delayn_init(n, init, delay_time, order, dt, shape: tuple = ()):
    """DELAY N state (K, n, *shape), remembered delay times (K, n, *shape) and order."""
    state, k = delay_init(n, init, delay_time, order, dt, shape)
    times = np.array(np.broadcast_to(np.asarray(delay_time, dtype=float), state.shape))
    return state, times, k


def delayn_ddt(state, times, inp, delay_time, order, out=None, scratch=None):
    """d(state)/dt of DELAY N; shifts ``times`` and stores the current delay time first."""
    times[1:] = times[:-1].copy()
    times[0] = delay_time
    outflows = np.true_divide(state, times, out=scratch)
    return _chain_flows(outflows, inp, order, out)


def delay_fixed_init(n, init, delay_time, dt, shape: tuple = ()):
    """DELAY FIXED pipe (K, n, *shape), pointer (0) and per-member length round(max(T/dt, 1))."""
    ratio = np.maximum(np.asarray(delay_time, dtype=float) / dt, 1)
    order = _order(n, np.round(ratio + SMALL_VENSIM))
    k = int(np.max(order)) if isinstance(order, np.ndarray) else order
    pipe = np.array(np.broadcast_to(np.asarray(init, dtype=float), (k, n) + tuple(shape)))
    ptr = np.zeros(n, dtype=int) if isinstance(order, np.ndarray) else 0
    return pipe, ptr, order


def delay_fixed_update(pipe, ptr, order, inp):
    """Push ``inp`` into the pipe; returns (new output (n, *shape), new pointer)."""
    if isinstance(order, np.ndarray):
        rows = np.arange(pipe.shape[1])
        pipe[ptr, rows] = inp
        ptr = (ptr + 1) % order
        return pipe[ptr, rows].copy(), ptr
    pipe[ptr] = inp
    ptr = (ptr + 1) % order
    return pipe[ptr].copy(), ptr
