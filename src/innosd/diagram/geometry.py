"""Plane geometry for arcs and boxes: Vensim's information arrows are circular arcs through one point.

Boxes are ``(left, top, right, bottom)`` in sketch units (y downwards); points are ``(x, y)``.
"""

from __future__ import annotations

import math

import numpy as np

Box = tuple[float, float, float, float]
Point = tuple[float, float]


def arc_points(p0: Point, via: Point, p1: Point, n: int = 24) -> list[Point]:
    """``n + 1`` points along the circular arc from ``p0`` through ``via`` to ``p1``.

    Collinear points (or a degenerate circle) give the straight segment ``p0``–``p1``.
    """
    (x0, y0), (xm, ym), (x1, y1) = p0, via, p1
    d = 2 * (x0 * (ym - y1) + xm * (y1 - y0) + x1 * (y0 - ym))
    chord = math.hypot(x1 - x0, y1 - y0) or 1.0
    if abs(d) < 1e-9 or abs(d) / chord < 0.05:
        return [(x0 + (x1 - x0) * t / n, y0 + (y1 - y0) * t / n) for t in range(n + 1)]
    ux = ((x0 ** 2 + y0 ** 2) * (ym - y1) + (xm ** 2 + ym ** 2) * (y1 - y0) + (x1 ** 2 + y1 ** 2) * (y0 - ym)) / d
    uy = ((x0 ** 2 + y0 ** 2) * (x1 - xm) + (xm ** 2 + ym ** 2) * (x0 - x1) + (x1 ** 2 + y1 ** 2) * (xm - x0)) / d
    r = math.hypot(x0 - ux, y0 - uy)
    if r > 50 * chord:
        return [(x0 + (x1 - x0) * t / n, y0 + (y1 - y0) * t / n) for t in range(n + 1)]
    a0, am, a1 = (math.atan2(y - uy, x - ux) for x, y in (p0, via, p1))
    sweep = (a1 - a0) % (2 * math.pi)
    if (am - a0) % (2 * math.pi) > sweep:          # the arc through ``via`` goes the other way round
        sweep -= 2 * math.pi
    return [(ux + r * math.cos(a0 + sweep * t / n), uy + r * math.sin(a0 + sweep * t / n)) for t in range(n + 1)]


def clockwise(points: list[Point]) -> bool:
    """True when the closed polygon ``points`` runs clockwise on screen (y grows downwards)."""
    area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True))
    return area >= 0


def inside(p: Point, box: Box, pad: float = 0.0) -> bool:
    """True when ``p`` lies in ``box`` grown by ``pad`` on every side."""
    return box[0] - pad <= p[0] <= box[2] + pad and box[1] - pad <= p[1] <= box[3] + pad


def clip(points: list[Point], start: Box, end: Box, pad: float = 2.0) -> list[Point]:
    """The part of a polyline outside the boxes (grown by ``pad``) of its two end objects.

    The first and last points are moved onto the boxes' edges; a polyline that never leaves
    them keeps its two middle points.
    """
    s = (start[0] - pad, start[1] - pad, start[2] + pad, start[3] + pad)
    e = (end[0] - pad, end[1] - pad, end[2] + pad, end[3] + pad)
    i = 0
    while i < len(points) - 2 and inside(points[i + 1], s):
        i += 1
    j = len(points) - 1
    while j > i + 1 and inside(points[j - 1], e):
        j -= 1
    out = list(points[i:j + 1])
    if len(out) >= 2:
        if inside(out[0], s):
            out[0] = exit_point(out[1], out[0], s)
        if inside(out[-1], e):
            out[-1] = exit_point(out[-2], out[-1], e)
    return out


def exit_point(outside: Point, inner: Point, box: Box) -> Point:
    """Where the segment from ``outside`` to ``inner`` (a point in ``box``) crosses the box's edge."""
    (x0, y0), (x1, y1) = outside, inner
    t = 1.0
    for edge, a, b in ((box[0], x0, x1), (box[2], x0, x1), (box[1], y0, y1), (box[3], y0, y1)):
        if a != b:
            u = (edge - a) / (b - a)
            if 0 <= u <= 1:
                px, py = x0 + (x1 - x0) * u, y0 + (y1 - y0) * u
                if inside((px, py), box, 1e-6):
                    t = min(t, u)
    return (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)


def overlaps(a: Box, b: Box, pad: float = 0.0) -> bool:
    """True when boxes ``a`` and ``b`` (``a`` grown by ``pad``) share any area."""
    return a[0] - pad < b[2] and b[0] < a[2] + pad and a[1] - pad < b[3] and b[1] < a[3] + pad


def boxes_hit(points: list[Point], boxes) -> np.ndarray:
    """For each box of ``boxes`` (array ``(m, 4)``), whether the polyline ``points`` meets it.

    Vectorised Liang–Barsky clipping of every segment against every box.

    Returns
    -------
    numpy.ndarray of bool, shape (m,)
    """
    b = np.asarray(boxes, dtype=float).reshape(-1, 4)
    if not len(b) or len(points) < 2:
        return np.zeros(len(b), bool)
    p = np.asarray(points, dtype=float)
    x0, y0 = p[:-1, 0][:, None], p[:-1, 1][:, None]
    dx, dy = (p[1:, 0] - p[:-1, 0])[:, None], (p[1:, 1] - p[:-1, 1])[:, None]
    t0 = np.zeros((len(p) - 1, len(b)))
    t1 = np.ones_like(t0)
    ok = np.ones_like(t0, dtype=bool)
    for pk, qk in ((-dx, x0 - b[:, 0]), (dx, b[:, 2] - x0), (-dy, y0 - b[:, 1]), (dy, b[:, 3] - y0)):
        pk = np.broadcast_to(pk, t0.shape)
        zero = pk == 0
        ok &= ~(zero & (qk < 0))
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(zero, 0.0, qk / np.where(zero, 1.0, pk))
        t0 = np.where(~zero & (pk < 0), np.maximum(t0, t), t0)
        t1 = np.where(~zero & (pk > 0), np.minimum(t1, t), t1)
    return (ok & (t0 <= t1)).any(axis=0)


def count_crossings(points: list[Point], segments) -> int:
    """Proper crossings between the polyline ``points`` and ``segments`` (array ``(k, 4)``: x0, y0, x1, y1)."""
    s = np.asarray(segments, dtype=float).reshape(-1, 4)
    if not len(s) or len(points) < 2:
        return 0
    p = np.asarray(points, dtype=float)
    a, b = p[:-1][:, None, :], p[1:][:, None, :]
    c, d = s[None, :, 0:2], s[None, :, 2:4]

    def orient(u, v, w):
        return (v[..., 0] - u[..., 0]) * (w[..., 1] - u[..., 1]) - (v[..., 1] - u[..., 1]) * (w[..., 0] - u[..., 0])
    d1, d2 = orient(c, d, a), orient(c, d, b)
    d3, d4 = orient(a, b, c), orient(a, b, d)
    return int(((d1 * d2 < 0) & (d3 * d4 < 0)).sum())


def as_segments(points: list[Point]) -> np.ndarray:
    """A polyline as an array of segments ``(n - 1, 4)``."""
    p = np.asarray(points, dtype=float)
    return np.hstack([p[:-1], p[1:]])


def any_segment_hits(segments, box: Box) -> bool:
    """True when any of ``segments`` (array ``(k, 4)``) meets ``box``."""
    s = np.asarray(segments, dtype=float).reshape(-1, 4)
    if not len(s):
        return False
    x0, y0, dx, dy = s[:, 0], s[:, 1], s[:, 2] - s[:, 0], s[:, 3] - s[:, 1]
    t0, t1 = np.zeros(len(s)), np.ones(len(s))
    ok = np.ones(len(s), bool)
    for pk, qk in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        zero = pk == 0
        ok &= ~(zero & (qk < 0))
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(zero, 0.0, qk / np.where(zero, 1.0, pk))
        t0 = np.where(~zero & (pk < 0), np.maximum(t0, t), t0)
        t1 = np.where(~zero & (pk > 0), np.minimum(t1, t), t1)
    return bool((ok & (t0 <= t1)).any())
