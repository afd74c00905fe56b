"""Place a planned view: Graphviz ``dot`` positions the chains and variables, then arcs and loop marks.

Each stock-and-flow chain is one Graphviz node (an HTML table whose cells are the chain's
columns, with a port per column), so pipes stay straight and nothing is ever placed on them;
every other variable is a node of its label's size. ``dot`` ranks causes above effects (a
constant that drives a flow leaving a stock downwards is ranked below the chain). Information
arrows are then drawn as the arc, among a few candidates, that crosses the fewest other objects,
and each loop identifier goes to the free spot nearest the middle of its loop.

All sizes come from :mod:`innosd.diagram.text`, taking for each label the larger of its English
and Chinese extents, so both pictures are free of overlaps.
"""

from __future__ import annotations

import json
import math

import numpy as np

from ..errors import InputError
from . import geometry as geo
from . import placement
from .placement import Obj
from .plan import Chain, ViewPlan
from .sketch import LOOP_STYLE, SHADOW_STYLE, Arrow, Item, View
from .text import label_size

GAP = 30            # pipe length between neighbouring objects of a chain
STACK = 34          # vertical pipes: stock edge to valve, valve to cloud
VALVE, VVALVE, CLOUD = (6, 8), (8, 6), (10, 8)
MARGIN = 24
LEVER_STYLE = "0-0-0,0-0-0,|12|B|0-110-0"


class Sizer:
    """Half sizes of labels: the larger of the English and the Chinese label, plus a margin.

    Parameters
    ----------
    zh : dict
        English name -> Chinese name.
    """

    def __init__(self, zh: dict[str, str]):
        self.zh = zh

    def label(self, name: str, shadow: bool = False) -> tuple[float, float]:
        """Half (width, height) of a variable's label."""
        en, zh = name, self.zh.get(name, name)
        if shadow:
            en, zh = f"<{en}>", f"<{zh}>"
        (we, he), (wz, hz) = label_size(en, "en"), label_size(zh, "zh")
        return math.ceil(max(we, wz) / 2 + 2), math.ceil(max(he, hz) / 2 + 1)

    def stock(self, name: str) -> tuple[float, float]:
        """Half (width, height) of a stock's box."""
        (we, he), (wz, hz) = label_size(name, "en", 92), label_size(self.zh.get(name, name), "zh", 76)
        return math.ceil(max(44, max(we, wz) / 2 + 8)), math.ceil(max(22, max(he, hz) / 2 + 6))


def _chain_columns(chain: Chain, sizer: Sizer) -> list[list[Obj]]:
    """The objects of each column of a chain, relative to the column's centre on the pipe (y = 0)."""
    seq = ([("cloud", None), ("valve", chain.flows[0])] if chain.flows[0] else [])
    for i, s in enumerate(chain.stocks):
        seq.append(("stock", s))
        if chain.flows[i + 1]:
            seq.append(("valve", chain.flows[i + 1]))
    if chain.flows[-1]:
        seq.append(("cloud", None))
    cols = []
    for kind, name in seq:
        if kind == "cloud":
            cols.append([Obj("cloud", "", 0, 0, *CLOUD)])
        elif kind == "valve":
            lw, lh = sizer.label(name)
            cols.append([Obj("valve", name, 0, 0, *VALVE), Obj("label", name, 0, VALVE[1] + 3 + lh, lw, lh)])
        else:
            cols.append(_stock_column(name, chain.above.get(name, []), chain.below.get(name, []), sizer))
    return cols


def _stock_column(name, above, below, sizer) -> list[Obj]:
    sw, sh = sizer.stock(name)
    objs = []
    for flows, sign in ((above, -1), (below, 1)):
        if not flows:
            continue
        labels = [sizer.label(f) for f in flows]
        xs, x = [], 0.0
        for lw, _ in labels:
            xs.append(x)
            x += VVALVE[0] + 4 + 2 * lw + 14 + CLOUD[0]
        shift = (xs[0] + xs[-1]) / 2
        xs = [v - shift for v in xs]
        sw = max(sw, max(abs(v) for v in xs) + 8)
        for f, xv, (lw, lh) in zip(flows, xs, labels, strict=True):
            vy = sign * (sh + STACK)
            objs += [Obj("cloud", "", xv, sign * (sh + 2 * STACK), *CLOUD), Obj("vvalve", f, xv, vy, *VVALVE),
                     Obj("label", f, xv + VVALVE[0] + 4 + lw, vy, lw, lh)]
    return [Obj("stock", name, 0, 0, sw, sh)] + objs


def _extent(objs) -> tuple[float, float, float, float]:
    boxes = [o.box() for o in objs]
    return min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)


def _chain_node(cols) -> tuple[str, list[float], float, float, float]:
    """(HTML label, column centres from the node's left edge, width, top, bottom) of a chain node."""
    ext = [_extent(c) for c in cols]
    centres, x = [], 0.0
    for i, (left, _, _, _) in enumerate(ext):
        x = -left if i == 0 else x + ext[i - 1][2] + GAP - left
        centres.append(x)
    width = math.ceil(centres[-1] + ext[-1][2])
    top, bottom = min(e[1] for e in ext), max(e[3] for e in ext)
    bounds = [0] + [round((centres[i] + ext[i][2] + centres[i + 1] + ext[i + 1][0]) / 2) for i in range(len(cols) - 1)]
    bounds.append(width)
    height = math.ceil(bottom - top)
    cells = "".join(f'<TD PORT="c{i}" FIXEDSIZE="TRUE" WIDTH="{bounds[i + 1] - bounds[i]}" HEIGHT="{height}"></TD>'
                    for i in range(len(cols)))
    html = f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>{cells}</TR></TABLE>>'
    return html, centres, width, top, bottom


def run_dot(source: str, engine: str = "dot") -> dict:
    """Graphviz layout of ``source`` by ``engine`` (``dot``, ``neato``, …) as its JSON output."""
    import graphviz

    try:
        out = graphviz.Source(source, engine=engine).pipe(format="json")
    except graphviz.ExecutableNotFound:
        raise InputError("dot", "", "Graphviz is not installed (its 'dot' program lays out the diagram)",
                         "install it: apt-get install graphviz (Debian/Ubuntu), "
                         "brew install graphviz (macOS)") from None
    return json.loads(out)


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def layout_view(vp: ViewPlan, sizer: Sizer, polarity: dict, levers: set[str]) -> View:
    """Positions for everything in one planned view, as a sketch :class:`View`.

    Parameters
    ----------
    vp : ViewPlan
        The view's content (:func:`innosd.diagram.plan.plan`).
    sizer : Sizer
        Label sizes.
    polarity : dict
        (cause, effect) -> +1, -1 or None (:func:`innosd.diagram.loops.link_polarities`).
    levers : set of str
        Variables drawn as levers (bold green names).
    """
    chains = [(_chain_columns(c, sizer), c) for c in vp.chains]
    satellites = placement.satellites(vp)
    singles = [(n, False) for n in vp.variables] + [(n, True) for n in vp.shadows]
    singles = [sv for sv in singles if sv[0] not in satellites]
    source, nodes = _dot_graph(vp, chains, singles, satellites, sizer)
    g = run_dot(source)
    height = float(g["bb"].split(",")[3])
    pos = {o["name"]: tuple(map(float, o["pos"].split(","))) for o in g.get("objects", []) if "pos" in o}

    def place(node):
        x, y = pos[node]
        return x + MARGIN, height - y + MARGIN

    objs: list[Obj] = []            # a valve is always followed by its flow's label, as Vensim requires
    for k, (cols, _) in enumerate(chains):
        cx, cy = place(f"chain{k}")
        centres, top, bottom = nodes[f"chain{k}"]
        width = math.ceil(centres[-1] + _extent(cols[-1])[2])
        left, row = cx - width / 2, cy - (top + bottom) / 2
        for centre, col in zip(centres, cols, strict=True):
            objs += [Obj(o.kind, o.name, left + centre + o.x, row + o.y, o.w, o.h) for o in col]
    for i, (name, shadow) in enumerate(singles):
        x, y = place(f"v{i}")
        objs.append(Obj("shadow" if shadow else "aux", name, x, y, *sizer.label(name, shadow)))
    placement.place_satellites(objs, satellites, sizer, vp.shadows)
    return _to_view(vp, objs, polarity, levers)


def _dot_graph(vp: ViewPlan, chains, singles, satellites, sizer: Sizer) -> tuple[str, dict]:
    """The Graphviz source of a view, and each chain node's (column centres, top, bottom).

    A chain is node ``chain<k>`` with a port per column; a single variable is node ``v<i>``. Satellites
    are left out (placed afterwards next to what they drive).
    """
    where: dict[str, tuple[str, str]] = {}        # variable -> (dot node, port)
    lines = ["digraph G {", "rankdir=TB; nodesep=0.28; ranksep=0.42; newrank=true; splines=false;",
             "node [shape=box, fixedsize=true, label=\"\"];"]
    nodes = {}
    for k, (cols, _) in enumerate(chains):
        html, centres, width, top, bottom = _chain_node(cols)
        nodes[f"chain{k}"] = (centres, top, bottom)
        lines.append(f"chain{k} [shape=plain, fixedsize=false, label={html}];")
        for i, col in enumerate(cols):
            where.update({o.name: (f"chain{k}", f"c{i}") for o in col if o.kind in ("stock", "valve", "vvalve")})
    for i, (name, shadow) in enumerate(singles):
        w, h = sizer.label(name, shadow)
        lines.append(f"v{i} [width={(2 * w + 8) / 72:.4f}, height={(2 * h + 4) / 72:.4f}];")
        where[name] = (f"v{i}", "")
    below_flows = {f for _, c in chains for fs in c.below.values() for f in fs}
    lines += _dot_edges(vp.arrows, where, satellites, below_flows)
    lines.append("}")
    return "\n".join(lines), nodes


def _dot_edges(arrows, where: dict, satellites, below_flows: set) -> list[str]:
    """One Graphviz edge per arrow between different nodes (``node:port``), satellites' arrows left out."""
    out = []
    for cause, effect in arrows:
        if cause in satellites:
            continue
        (tn, tp), (hn, hp) = where[cause], where[effect]
        if tn == hn:
            continue
        tail, head = (f"{tn}:{tp}" if tp else tn), (f"{hn}:{hp}" if hp else hn)
        if effect in below_flows:
            tail, head = head, tail               # keep a drain's causes below the chain
        out.append(f"{tail} -> {head};")
    return out


def _to_view(vp: ViewPlan, objs: list[Obj], polarity, levers) -> View:
    view = View(vp.title)
    ids: dict[str, int] = {}
    pipe_ends = []                                 # (valve item, end item, head)
    nid = 0
    for o in objs:
        nid += 1
        x, y, w, h = round(o.x), round(o.y), math.ceil(o.w), math.ceil(o.h)
        if o.kind == "cloud":
            view.items.append(Item(nid, "cloud", x, y, w, h, shape=0))
        elif o.kind in ("valve", "vvalve"):
            view.items.append(Item(nid, "valve", x, y, w, h, shape=34 if o.kind == "valve" else 33))
            ids[o.name] = nid
        elif o.kind == "label":
            view.items.append(Item(nid, "variable", x, y, w, h, name=o.name, shape=40,
                                   style=LEVER_STYLE if o.name in levers else ""))
        elif o.kind == "stock":
            view.items.append(Item(nid, "variable", x, y, w, h, name=o.name, shape=3))
            ids[o.name] = nid
        else:
            shadow = o.kind == "shadow"
            style = SHADOW_STYLE if shadow else LEVER_STYLE if o.name in levers else ""
            view.items.append(Item(nid, "variable", x, y, w, h, name=o.name, shape=8, shadow=shadow, style=style))
            ids[o.name] = nid
    by_id = view.by_id()
    for c in vp.chains:
        pipe_ends += _pipe_ends(c, ids, by_id, view)
    for valve, end, head in pipe_ends:
        nid += 1
        view.arrows.append(Arrow(nid, valve.id, end.id, pipe=True, head=head, points=[_pipe_point(valve, end)]))
    obstacles = [it.box for it in view.items]
    pipes = [_pipe_box(by_id[a.src], by_id[a.dst]) for a in view.arrows]
    drawn: list[np.ndarray] = []
    paths = []
    for cause, effect in vp.arrows:
        a, b = by_id[ids[cause]], by_id[ids[effect]]
        via, pts = placement.best_arc(a, b, view.items, pipes, drawn)
        drawn.append(geo.as_segments(pts))
        paths.append(pts)
        nid += 1
        pol = {1: "+", -1: "-"}.get(polarity.get((cause, effect)), "")
        view.arrows.append(Arrow(nid, a.id, b.id, pipe=False, polarity=pol, points=[via]))
    marks = []
    for loop in vp.loops:
        members = [by_id[ids[v]] for v in loop.variables if v in ids]
        cx = sum(m.x for m in members) / len(members)
        cy = sum(m.y for m in members) / len(members)
        x, y = placement.free_spot((cx, cy), (15, 13), obstacles + pipes + marks, paths)
        marks.append((x - 15, y - 13, x + 15, y + 13))
        nid += 1
        view.items.append(Item(nid, "comment", round(x), round(y), 15, 13, name=loop.name, shape=8, style=LOOP_STYLE))
    return _shift_to_margin(view)


def _shift_to_margin(view: View) -> View:
    """Move everything so the view starts :data:`MARGIN` from Vensim's top-left corner."""
    xs = [it.x - it.w for it in view.items] + [x for a in view.arrows for x, _ in a.points]
    ys = [it.y - it.h for it in view.items] + [y for a in view.arrows for _, y in a.points]
    dx, dy = MARGIN - min(xs), MARGIN - min(ys)
    for it in view.items:
        it.x, it.y = it.x + dx, it.y + dy
    for a in view.arrows:
        a.points = [(x + dx, y + dy) for x, y in a.points]
    return view


def _pipe_ends(chain: Chain, ids, by_id, view) -> list[tuple[Item, Item, bool]]:
    """(valve, end object, arrowhead at that end) for both ends of every pipe of a chain."""
    out = []
    items = view.items
    clouds = [it for it in items if it.type == "cloud"]

    def nearest_cloud(valve, dx, dy):
        cands = [c for c in clouds if (dx and c.y == valve.y and (c.x - valve.x) * dx > 0)
                 or (dy and c.x == valve.x and (c.y - valve.y) * dy > 0)]
        return min(cands, key=lambda c: abs(c.x - valve.x) + abs(c.y - valve.y))

    for i, f in enumerate(chain.flows):
        if f is None:
            continue
        v = by_id[ids[f]]
        left = by_id[ids[chain.stocks[i - 1]]] if i > 0 else nearest_cloud(v, -1, 0)
        right = by_id[ids[chain.stocks[i]]] if i < len(chain.stocks) else nearest_cloud(v, 1, 0)
        out += [(v, right, True), (v, left, False)]
    for s in chain.stocks:
        for f in chain.above.get(s, []):
            v = by_id[ids[f]]
            out += [(v, by_id[ids[s]], True), (v, nearest_cloud(v, 0, -1), False)]
        for f in chain.below.get(s, []):
            v = by_id[ids[f]]
            out += [(v, nearest_cloud(v, 0, 1), True), (v, by_id[ids[s]], False)]
    return out


def _pipe_point(valve: Item, end: Item) -> tuple[int, int]:
    if valve.shape == 34:
        edge = end.x - end.w if end.x > valve.x else end.x + end.w
        return round((valve.x + edge) / 2), valve.y
    edge = end.y - end.h if end.y > valve.y else end.y + end.h
    return valve.x, round((valve.y + edge) / 2)


def _pipe_box(valve: Item, end: Item):
    """The thin box a pipe occupies, shortened at both ends so objects it touches do not count."""
    if valve.shape == 34:
        x0, x1 = sorted((valve.x, end.x))
        return (x0 + 4, valve.y - 2, x1 - 4, valve.y + 2)
    y0, y1 = sorted((valve.y, end.y))
    return (valve.x - 2, y0 + 4, valve.x + 2, y1 - 4)
