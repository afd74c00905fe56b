"""NumPy versions of the Vensim builtins, with PySD 3.14's exact definitions.

This module is the ``F`` namespace of the generated code.  Every function
accepts floats, arrays (n,) (one value per member) or (m, *frame) (members,
then the equation's dimensions) and broadcasts; ``t`` (model time) and ``dt``
(TIME STEP) are floats in the model's time unit.  Stateful helpers live in
:mod:`.chains`, vector functions, allocation and random draws in
:mod:`.vectors`; both are re-exported here.
"""

from __future__ import annotations

import numpy as np

from .chains import (  # noqa: F401  (re-exported for the generated code)
    chain_last,
    delay_ddt,
    delay_fixed_init,
    delay_fixed_update,
    delay_init,
    delayn_ddt,
    delayn_init,
    freeze,
    full,
    smooth_ddt,
    smooth_init,
)
from .vectors import (  # noqa: F401
    allocate_available,
    allocate_by_priority,
    invert_matrix,
    rand_exponential,
    rand_normal,
    rand_uniform,
    vector_rank,
    vector_reorder,
    vector_select,
    vector_sort_order,
    vmax,
    vmin,
    vprod,
    vsum,
)

SMALL_VENSIM = 1e-6


def if_then_else(cond, a, b):
    """IF THEN ELSE; both branches are already evaluated (element-wise select)."""
    return np.where(cond, a, b)


def xidz(a, b, x):
    """Divide a by b, giving x where |b| < 1e-6 (XIDZ)."""
    return np.where(np.abs(b) < SMALL_VENSIM, x, np.divide(a, b))


def zidz(a, b):
    """Divide a by b, giving 0 where |b| < 1e-6 (ZIDZ)."""
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
    """PULSE TRAIN(start, width, repeat, end), arguments in PySD's order.

    PySD passes (start, repeat, width, end).
    """
    single = (start - SMALL_VENSIM <= t) & (t < start + width)
    with np.errstate(all="ignore"):
        phase = np.mod(t - start + SMALL_VENSIM, repeat_time)
    train = (start <= t) & (t < end) & (phase < width)
    return np.where(repeat_time == 0, single, train) * 1.0


def pulse_magnitude(t, dt, start, magnitude):
    """XMILE PULSE(magnitude, start): magnitude / dt during one time step from start."""
    return np.where((start - SMALL_VENSIM <= t) & (t < start + 0.5 * dt), magnitude / dt, 0.0)


def pulse_train_magnitude(t, dt, start, repeat_time, magnitude):
    """XMILE PULSE(magnitude, start, interval): magnitude / dt every ``repeat_time``."""
    single = (start - SMALL_VENSIM <= t) & (t < start + 0.5 * dt)
    with np.errstate(all="ignore"):
        phase = np.mod(t - start + SMALL_VENSIM, repeat_time)
    train = (start <= t) & (phase < 0.5 * dt)
    return np.where(np.where(repeat_time == 0, single, train), magnitude / dt, 0.0)


# ---------------------------------------------------------------- arrays

def fill(x, shape: tuple) -> np.ndarray:
    """``x`` broadcast to (m, *shape), m = its member axis (1 for a scalar); a read-only view."""
    x = np.asarray(x, dtype=float)
    m = x.shape[0] if x.ndim == len(shape) + 1 else 1
    return np.broadcast_to(x, (m,) + tuple(shape))


def assemble(shape: tuple, parts) -> np.ndarray:
    """Assemble a variable defined by several equations: (m, *shape), NaN where undefined.

    ``parts`` is a list of (value (m, *box), (positions per axis, :EXCEPT: mask or None)).
    """
    values = [np.asarray(v, dtype=float) for v, _ in parts]
    m = max(v.shape[0] if v.ndim == len(shape) + 1 else 1 for v in values)
    out = np.full((m,) + tuple(shape), np.nan)
    rows = np.arange(m)
    for value, (index, mask) in zip(values, (p for _, p in parts), strict=True):
        box = np.ix_(rows, *index)
        value = np.broadcast_to(value, (m,) + tuple(len(i) for i in index))
        out[box] = value if mask is None else np.where(mask, value, out[box])
    return out


# ----------------------------------------------------------------- lookups

def lookup(table, x):
    """Graphical function as PySD's HardcodedLookups (Vensim 'interpolate').

    ``table`` is (xp (K,), yp (K,) or per member (n, K), kind) with kind in
    {'interpolate', 'hold_backward', 'extrapolate'}; linear interpolation
    inside, constant (or linear for 'extrapolate') beyond the ends.
    """
    xp, yp, kind = table
    if yp.ndim == 1:
        if kind == "interpolate":
            return np.interp(x, xp, yp)
        return interp_table(xp, yp, kind, x)
    x = np.asarray(x, dtype=float)
    per_member = yp.T.reshape(yp.T.shape + (1,) * max(x.ndim - 1, 0))
    return interp_table(xp, per_member, kind, x)


def lookup_nd(table, y, x):
    """Subscripted lookup: tables ``y`` (K, *frame aligned) at ``x`` (m, *frame aligned)."""
    return interp_table(table[0], np.expand_dims(y, 1), table[2], x)


def interp_inline(table, x):
    """WITH LOOKUP: PySD calls ``np.interp`` (constant extrapolation)."""
    xp, yp, _ = table
    if yp.ndim == 1:
        return np.interp(x, xp, yp)
    return lookup((xp, yp, "interpolate"), x)


def interp_table(xp, y, kind, x):
    """Interpolate tables y (K, *B) given at xp (K,) at points x broadcasting with B."""
    x = np.asarray(x, dtype=float)
    k = xp.shape[0]
    shape = np.broadcast_shapes(x.shape, y.shape[1:])
    x = np.broadcast_to(x, shape)
    y = np.broadcast_to(y, (k,) + shape)
    if k == 1:
        return np.array(y[0])
    j = np.clip(np.searchsorted(xp, x, side="right") - 1, 0, k - 2)

    def y_at(idx):
        return np.take_along_axis(y, idx[None], axis=0)[0]

    y0, y1 = y_at(j), y_at(j + 1)
    if kind == "hold_backward":
        inside = np.where(x >= xp[j + 1], y1, y0)
    else:
        slope = (y1 - y0) / (xp[j + 1] - xp[j])
        inside = slope * (x - xp[j]) + y0
    first, last = y[0], y[k - 1]
    if kind == "extrapolate":
        above = last + (last - y[k - 2]) / (xp[-1] - xp[-2]) * (x - xp[-1])
        below = first + (y[1] - first) / (xp[1] - xp[0]) * (x - xp[0])
    else:
        above, below = last, first
    out = np.where(x >= xp[-1], np.where(x == xp[-1], last, above), inside)
    return np.where(x < xp[0], below, out)


def data_at(table, t):
    """Value of a data variable at time ``t`` (PySD's Data.__call__); (1, *dims) or a float."""
    times, values, method = table
    i = int(np.searchsorted(times, t))
    if i < times.size and times[i] == t:
        out = values[i]
    elif method == "raw":
        out = np.full(values.shape[1:], np.nan)
    elif t > times[-1]:
        out = values[-1]
    elif t < times[0]:
        out = values[0]
    elif method == "look_forward":
        out = values[i]
    elif method == "hold_backward":
        out = values[i - 1]
    else:
        slope = (values[i] - values[i - 1]) / (times[i] - times[i - 1])
        out = slope * (t - times[i - 1]) + values[i - 1]
    return out[None] if values.ndim > 1 else np.float64(out)
