"""Where the pieces Graphviz does not place go: satellite constants, information arcs, loop identifiers.

All three search a few candidate places and keep the first (or best) one that crosses no label,
no pipe and as few arrows as possible. Coordinates are sketch units, y downwards.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import geometry as geo
from .plan import ViewPlan
from .sketch import Item

GAP = 30            # least distance from a satellite's label to what it drives
MAX_BULGE = 110     # the most an information arrow bows out from the straight line


@dataclass
class Obj:
    """A piece of a view being laid out: centre and half sizes, sketch units."""

    kind: str        # stock | aux | shadow | valve | vvalve | cloud | label
    name: str
    x: float
    y: float
    w: float
    h: float

    def box(self):
        """The object's bounding box ``(left, top, right, bottom)`` in sketch units (y downwards)."""
        return (self.x - self.w, self.y - self.h, self.x + self.w, self.y + self.h)


def satellites(vp: ViewPlan) -> dict[str, str]:
    """Variables that only drive one other and depend on nothing here (constants, mostly) -> that other.

    They are left out of the Graphviz layout and put next to what they drive.
    """
    caused = {e for _, e in vp.arrows}
    uses: dict[str, list[str]] = {}
    for c, e in vp.arrows:
        uses.setdefault(c, []).append(e)
    free = set(vp.variables) | set(vp.shadows)           # never a stock or flow of a chain
    out = {c: es[0] for c, es in uses.items() if len(es) == 1 and c not in caused and c in free}
    return {c: e for c, e in out.items() if e not in out}


def place_satellites(objs: list[Obj], satellites: dict[str, str], sizer, shadows) -> None:
    """Put each satellite near its target: the closest free spot on rings around it, away from the pipe first.

    A spot is free when the satellite's label keeps at least :data:`GAP` off its target and off
    every other object and pipe, and the straight line to its target passes no other object.
    """
    main = {o.name: o for o in objs if o.kind in ("stock", "valve", "vvalve", "aux", "shadow")}
    boxes = [o.box() for o in objs] + [pipe_guard(o) for o in objs if o.kind in ("valve", "vvalve")]
    angles = sorted(range(0, 360, 15), key=lambda a: (min(a, 360 - a), a))    # 0 = preferred side first
    for name, target in sorted(satellites.items(), key=lambda kv: (main[kv[1]].x, kv[0])):
        t = main[target]
        shadow = name in shadows
        w, h = sizer.label(name, shadow)
        below = t.kind == "vvalve" and any(o.kind == "stock" and abs(o.x - t.x) < o.w and o.y < t.y for o in objs)
        up = math.pi / 2 if below else -math.pi / 2
        own = [t.box()] + ([pipe_guard(t)] if t.kind in ("valve", "vvalve") else [])
        sight = np.asarray([b for b in boxes if b not in own], dtype=float).reshape(-1, 4)
        arr = np.asarray(boxes, dtype=float)
        spot = None
        for ring in range(40):
            for a in angles:
                ux, uy = math.cos(up + math.radians(a)), math.sin(up + math.radians(a))
                reach = min((t.w + w + GAP) / abs(ux) if abs(ux) > 1e-6 else math.inf,
                            (t.h + h + 0.8 * GAP) / abs(uy) if abs(uy) > 1e-6 else math.inf)
                x, y = t.x + ux * (reach + 8 * ring), t.y + uy * (reach + 8 * ring)
                box = (x - w - 5, y - h - 5, x + w + 5, y + h + 5)
                if ((arr[:, 0] < box[2]) & (box[0] < arr[:, 2]) & (arr[:, 1] < box[3]) & (box[1] < arr[:, 3])).any():
                    continue
                if geo.boxes_hit([(x, y), geo.exit_point((x, y), (t.x, t.y), t.box())], sight).any():
                    continue
                spot = (x, y)
                break
            if spot:
                break
        if spot is None:                       # crowded: give up the line of sight
            spot = free_spot((t.x, t.y - t.h - h - GAP), (w + 5, h + 5), boxes, [], step=6.0)
        obj = Obj("shadow" if shadow else "aux", name, spot[0], spot[1], w, h)
        objs.append(obj)
        boxes.append(obj.box())


def pipe_guard(valve: Obj):
    """A box along the pipe through a valve, so satellites keep off the pipe."""
    if valve.kind == "valve":
        return (valve.x - 60, valve.y - 9, valve.x + 60, valve.y + 9)
    return (valve.x - 9, valve.y - 70, valve.x + 9, valve.y + 70)


def best_arc(a: Item, b: Item, items, pipes, drawn):
    """The control point, and the drawn points, of the arc a -> b that crosses the fewest objects.

    Candidates bulge up to about a third of the distance (at most :data:`MAX_BULGE`) to either
    side; each object crossed costs more than any bulge, each arrow crossed a little.
    """
    p0, p1 = (a.x, a.y), (b.x, b.y)
    dx, dy = p1[0] - p0[0], p1[1] - p0[1]
    chord = math.hypot(dx, dy) or 1.0
    nx, ny = -dy / chord, dx / chord
    others = [it.box for it in items if it.id not in (a.id, b.id)]
    segs = np.vstack(drawn) if drawn else np.zeros((0, 4))
    best = None
    for t in (0, 0.12, -0.12, 0.22, -0.22, 0.34, -0.34, 0.48, -0.48):
        bulge = 0 if t == 0 else math.copysign(min(max(abs(t) * chord, 20 * abs(t) / 0.12), MAX_BULGE), t)
        via = (round((p0[0] + p1[0]) / 2 + nx * bulge), round((p0[1] + p1[1]) / 2 + ny * bulge))
        pts = geo.clip(geo.arc_points(p0, via, p1), a.box, b.box)
        hits = int(geo.boxes_hit(pts, others).sum())
        piped = int(geo.boxes_hit(pts, pipes).sum()) if pipes else 0
        score = 100 * hits + 35 * piped + 4 * geo.count_crossings(pts, segs) + 30 * abs(t)
        if best is None or score < best[0]:
            best = (score, via, pts)
    return best[1], best[2]


def free_spot(centre, half, boxes, lines, step: float = 7.0):
    """The point nearest ``centre`` where a box of half size ``half`` meets no box and no line."""
    w, h = half
    b = np.asarray(boxes, dtype=float).reshape(-1, 4)
    segs = np.vstack([geo.as_segments(ln) for ln in lines]) if lines else np.zeros((0, 4))
    for r in range(80):
        n = 1 if r == 0 else 8 + 4 * r
        for k in range(n):
            ang = 2 * math.pi * k / n
            x, y = centre[0] + r * step * math.cos(ang), centre[1] + r * step * math.sin(ang)
            box = (x - w - 3, y - h - 3, x + w + 3, y + h + 3)
            if ((b[:, 0] < box[2]) & (box[0] < b[:, 2]) & (b[:, 1] < box[3]) & (box[1] < b[:, 3])).any():
                continue
            if geo.any_segment_hits(segs, box):
                continue
            return x, y
    return centre
