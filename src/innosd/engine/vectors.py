"""Vector functions, allocation and random draws over ensemble arrays (PySD 3.14's definitions).

Arrays are (m, *frame) with members first; functions act along the axes the
translator names (``k`` trailing axes for reductions, one ``axis`` for sorts
and allocations), vectorised over members and every other dimension.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import special, stats

from .errors import SimulationError


def _scalar(value, what: str) -> float:
    """Return a run-time argument that must be the same for every member and element."""
    arr = np.asarray(value, dtype=float)
    if arr.size > 1 and not np.all(arr == arr.flat[0]):
        raise SimulationError(f"{what} must be the same for every member, got {arr}")
    return float(arr.flat[0])


def _axes(k: int) -> tuple:
    return tuple(range(-k, 0))


def vsum(x, k: int):
    """SUM over the last ``k`` axes (NaN skipped, as xarray's sum)."""
    total = np.sum(x, axis=_axes(k))
    if np.isnan(total).any():  # rare: only then pay for nansum's copy
        total = np.nansum(x, axis=_axes(k))
    return total


def vprod(x, k: int):
    """PROD over the last ``k`` axes (NaN skipped)."""
    return np.nanprod(x, axis=_axes(k))


def vmin(x, k: int):
    """VMIN over the last ``k`` axes (NaN skipped; NaN if all are NaN)."""
    return np.fmin.reduce(np.asarray(x, dtype=float), axis=_axes(k))


def vmax(x, k: int):
    """VMAX over the last ``k`` axes (NaN skipped; NaN if all are NaN)."""
    return np.fmax.reduce(np.asarray(x, dtype=float), axis=_axes(k))


def vector_select(sel, values, k: int, missing, action, error):
    """VECTOR SELECT over the last ``k`` axes (selection, expression, missing, actions)."""
    sel, values = np.broadcast_arrays(np.asarray(sel, dtype=float),
                                      np.asarray(values, dtype=float))
    axes = _axes(k)
    zeros = np.all(sel == 0, axis=axes)
    action = _scalar(action, "VECTOR SELECT numerical action")
    error = _scalar(error, "VECTOR SELECT error action")
    if error in (1, 3) and np.any(zeros):
        raise SimulationError("VECTOR SELECT: all the values of the selection array are 0")
    if error in (2, 3) and np.any(np.sum(sel != 0, axis=axes) > 1):
        raise SimulationError("VECTOR SELECT: more than one non-zero value in the selection")
    if not (action.is_integer() and 0 <= action <= 10):
        raise SimulationError(f"VECTOR SELECT numerical action must be 0..10, got {action}")
    action = int(action)
    if action < 5:
        picked = np.where(sel == 0, np.nan, sel * values)
    elif action == 5:
        picked = np.where(sel == 0, np.nan, values ** sel)
    else:
        picked = np.where(sel == 0, np.nan, values)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if action in (0, 6):
            out = np.nansum(picked, axis=axes)
        elif action in (1, 5, 7):
            out = np.nanprod(picked, axis=axes)
        elif action in (2, 8):
            out = np.fmin.reduce(picked, axis=axes)
        elif action in (3, 9):
            out = np.fmax.reduce(picked, axis=axes)
        else:
            out = np.nanmean(picked, axis=axes)
    return np.where(zeros, missing, out)


def vector_sort_order(vec, direction, axis: int):
    """VECTOR SORT ORDER: 0-based positions sorting ``vec`` along ``axis`` (<= 0: descending)."""
    order = np.argsort(np.asarray(vec, dtype=float), axis=axis)
    if _scalar(direction, "VECTOR SORT ORDER direction") <= 0:
        order = np.flip(order, axis=axis)
    return order.astype(float)


def vector_rank(vec, direction, axis: int):
    """VECTOR RANK: 1-based ranks along ``axis``."""
    return np.argsort(vector_sort_order(vec, direction, axis), axis=axis) + 1.0


def vector_reorder(vec, order, axis: int):
    """VECTOR REORDER: ``vec`` taken along ``axis`` at the positions ``order``."""
    vec, order = np.broadcast_arrays(np.asarray(vec, dtype=float), np.asarray(order))
    return np.take_along_axis(vec, order.astype(np.intp), axis=axis)


def invert_matrix(mat, axis1: int, axis2: int):
    """INVERT MATRIX of the square matrices on ``axis1`` x ``axis2``."""
    moved = np.moveaxis(np.asarray(mat, dtype=float), (axis1, axis2), (-2, -1))
    return np.moveaxis(np.linalg.inv(moved), (-2, -1), (axis1, axis2))


# -------------------------------------------------------------------- allocation

def allocate_by_priority(request, priority, width, supply, axis: int):
    """ALLOCATE BY PRIORITY along ``axis`` (PySD's algorithm, all rows at once)."""
    request, priority = np.broadcast_arrays(np.asarray(request, dtype=float),
                                            np.asarray(priority, dtype=float))
    width = np.asarray(width, dtype=float)
    supply = np.asarray(supply, dtype=float)
    shape = np.broadcast_shapes(request.shape, width.shape, supply.shape)
    req = np.moveaxis(np.broadcast_to(request, shape), axis, -1)
    pri = np.moveaxis(np.broadcast_to(priority, shape), axis, -1)
    wid = np.moveaxis(np.broadcast_to(width, shape), axis, -1)[..., 0]
    sup = np.moveaxis(np.broadcast_to(supply, shape), axis, -1)[..., 0]
    if np.any(req < 0) or np.any(wid <= 0) or np.any(sup < 0):
        raise SimulationError("ALLOCATE BY PRIORITY needs requests >= 0, width > 0, supply >= 0")
    lead = req.shape[:-1]
    req, pri = req.reshape(-1, req.shape[-1]), pri.reshape(-1, req.shape[-1])
    out = _by_priority_rows(req, pri, wid.reshape(-1), sup.reshape(-1).copy())
    return np.moveaxis(out.reshape(lead + (req.shape[-1],)), -1, axis)


def _by_priority_rows(request, priority, width, supply):
    rows, length = request.shape
    r = np.arange(rows)
    zero = request == 0
    order = np.argsort(np.where(zero, np.inf, -priority), axis=1, kind="stable")
    req = np.take_along_axis(request, order, axis=1)
    pri = np.take_along_axis(priority, order, axis=1)
    count = (~zero).sum(axis=1)
    dist = np.full((rows, length), np.nan)
    dist[:, :-1] = np.minimum(-np.diff(pri, axis=1) / width[:, None], 1) * req[:, :-1]
    dist[np.arange(length)[None, :] >= (count - 1)[:, None]] = np.nan
    out = np.zeros((rows, length))
    total = req.sum(axis=1)
    full = supply >= total
    out[full] = req[full]
    done = full | (supply == 0)
    active = np.zeros((rows, length), dtype=bool)
    active[:, 0] = True
    c = np.zeros(rows, dtype=np.intp)
    with np.errstate(all="ignore"):
        while not np.all(done):
            live = ~done
            slopes = req * active
            slopes = slopes / slopes.sum(axis=1, keepdims=True)
            dx_top = np.fmin.reduce(np.where(active, (req - out) / slopes, np.nan), axis=1)
            dx_start = (dist[r, c] - out[r, c]) / slopes[r, c]
            dx = np.fmin(np.fmin(dx_top, dx_start), supply)
            out[live] += slopes[live] * dx[live, None]
            step = live & np.isclose(dx, dx_start, rtol=1e-10, atol=1e-16)
            c[step] += 1
            active[r[step], c[step]] = True
            top = live & (dx == dx_top)
            active[top[:, None] & (out == req)] = False
            supply[live] -= dx[live]
            done = done | (supply <= 0)
    result = np.empty((rows, length))
    np.put_along_axis(result, order, out, axis=1)
    return result


def _rectangular(x, q0, ppr, pwidth, half):
    return np.where(x <= ppr - half, q0,
                    np.where(x < ppr + half, q0 * (1 - (x - ppr + half) / pwidth), 0.0))


def _triangular(x, q0, ppr, pwidth, half):
    return np.where(x <= ppr - half, q0, np.where(
        x < ppr, q0 * (1 - 2 * (x - ppr + half) ** 2 / pwidth ** 2),
        np.where(x < ppr + half, 2 * q0 * (ppr + half - x) ** 2 / pwidth ** 2, 0.0)))


def _normal(x, q0, ppr, pwidth, half):
    return q0 * .5 * (2 - special.erfc((ppr - x) / (np.sqrt(2) * pwidth)))


def _exponential(x, q0, ppr, pwidth, half):
    return np.where(x < ppr, q0 * (1 - .5 * np.exp((x - ppr) / pwidth)),
                    q0 * .5 * np.exp((ppr - x) / pwidth))


_CURVES = {1: _rectangular, 2: _triangular, 3: _normal, 4: _exponential}


def _priority_curves(x, q0, kind, ppr, pwidth, kinds):
    """Allocation of each requester at priority level ``x`` (demand profiles ``kinds``)."""
    out = np.zeros(np.broadcast_shapes(np.shape(x), q0.shape))
    with np.errstate(all="ignore"):
        for k in kinds:
            out = np.where(kind == k, _CURVES[k](x, q0, ppr, pwidth, pwidth * 0.5), out)
    return np.where(q0 == 0, 0.0, out)


def allocate_available(request, profile, avail, axis: int):
    """ALLOCATE AVAILABLE along ``axis``; ``profile`` ends with (type, priority, width, extra).

    The common priority level is found by bisection down to adjacent floats
    (exact to rounding), where PySD calls a least-squares solver.
    """
    request = np.asarray(request, dtype=float)
    profile = np.asarray(profile, dtype=float)
    avail = np.asarray(avail, dtype=float)
    shape = np.broadcast_shapes(request.shape, profile.shape[:-1], avail.shape)
    req = np.moveaxis(np.broadcast_to(request, shape), axis, -1)
    pp = np.moveaxis(np.broadcast_to(profile, shape + profile.shape[-1:]), axis, -2)
    av = np.moveaxis(np.broadcast_to(avail, shape), axis, -1)[..., 0]
    if np.any(req < 0) or np.any(av < 0):
        raise SimulationError("ALLOCATE AVAILABLE needs requests >= 0 and available >= 0")
    kind, ppr, pwidth = pp[..., 0], pp[..., 1], pp[..., 2]
    used = req > 0
    if np.any(used & ~np.isin(kind, (1, 2, 3, 4))):
        raise SimulationError("ALLOCATE AVAILABLE: priority profiles 0 and 5 are not implemented")
    if np.any(used & (pwidth <= 0)):
        raise SimulationError("ALLOCATE AVAILABLE: priority widths must be positive")
    kinds = [k for k in (1, 2, 3, 4) if np.any(used & (kind == k))]
    reach = np.select([kind == 3, kind == 4], [8.2923611 * pwidth, 36.7368005696 * pwidth],
                      0.5 * pwidth)
    lo = np.min(np.where(used, ppr - reach, np.inf), axis=-1, keepdims=True)
    hi = np.max(np.where(used, ppr + reach, -np.inf), axis=-1, keepdims=True)
    lo, hi = np.where(np.isfinite(lo), lo, 0.0), np.where(np.isfinite(hi), hi, 0.0)
    target = av[..., None]
    for _ in range(2100):  # enough halvings to reach adjacent floats from any range
        mid = 0.5 * (lo + hi)
        if np.all((mid <= lo) | (mid >= hi)):
            break
        total = _priority_curves(mid, req, kind, ppr, pwidth, kinds).sum(axis=-1, keepdims=True)
        above = total > target
        lo, hi = np.where(above, mid, lo), np.where(above, hi, mid)
    out = _priority_curves(0.5 * (lo + hi), req, kind, ppr, pwidth, kinds)
    out = np.where(target >= req.sum(axis=-1, keepdims=True), req, out)
    out = np.where(target == 0, 0.0, out)
    return np.moveaxis(out, -1, axis)


# ------------------------------------------------------------------- random draws

def rand_uniform(rng, shape, low, high):
    """RANDOM UNIFORM / RANDOM 0 1: one draw per member and element, shape ``shape``."""
    return rng.uniform(low, high, size=shape)


def rand_normal(rng, shape, low, high, mean, sd):
    """RANDOM NORMAL truncated to [low, high] (PySD's scipy truncnorm)."""
    with np.errstate(all="ignore"):
        a = np.where(np.abs(sd) < 1e-6, -np.inf, (np.asarray(low) - mean) / sd)
        b = np.where(np.abs(sd) < 1e-6, np.inf, (np.asarray(high) - mean) / sd)
    return stats.truncnorm.rvs(a, b, loc=mean, scale=sd, size=shape, random_state=rng)


def rand_exponential(rng, shape, low, high, shift, stretch):
    """RANDOM EXPONENTIAL truncated to [max(low, shift), high] (PySD's scipy truncexpon)."""
    loc = np.maximum(low, shift)
    with np.errstate(all="ignore"):
        b = np.where(np.abs(stretch) < 1e-6, np.inf, (np.asarray(high) - loc) / stretch)
    return stats.truncexpon.rvs(b, loc=loc, scale=stretch, size=shape, random_state=rng)
