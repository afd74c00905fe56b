"""A causal-loop diagram of the model's main feedback loops, laid out by Graphviz (neato), drawn by matplotlib.

The main loops are those through more than one stock-or-auxiliary and its own flow (a stock
draining through its own outflow is a balancing loop at every stock; those are listed in the
README and marked in the stock-and-flow diagram, not repeated here). As usual in causal-loop
diagrams a flow is folded into the stock it changes: ``a -> flow -> stock`` becomes the link
``a -> stock`` with the product of the two signs (a flow leaving the stock counts negative).
Each link carries its polarity at the arrowhead; each loop carries its name (R1, B2, …) in a
circular arrow turning the way the loop runs on the page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..structure import Element
from . import geometry as geo
from .layout import run_dot
from .loops import Loop, link_polarities
from .text import LINE_HEIGHT, WRAP_WIDTH, label_size, text_width, wrap

#: Most loops in the causal-loop diagram.
MAX_LOOPS = 30


@dataclass
class CausalLoopDiagram:
    """Nodes, signed links and loops of the causal-loop diagram (positions in points, y downwards)."""

    nodes: dict[str, tuple[float, float, float, float]]   # name -> (x, y, half width, half height)
    links: dict[tuple[str, str], tuple[int | None, list[tuple[float, float]]]]   # -> (sign, Bézier points)
    loops: list[tuple[Loop, tuple[float, float], bool]]   # (loop, label position, clockwise)
    width: float
    height: float
    folded: bool = True                                     # flows folded into their stocks


def main_loops(loops: list[Loop]) -> list[Loop]:
    """The loops shown in the causal-loop diagram: every loop longer than a stock and one flow.

    A model whose loops are all that short shows all of them; at most :data:`MAX_LOOPS`, shortest first.
    """
    chosen = [lp for lp in loops if len(lp.variables) > 2] or list(loops)
    return sorted(chosen, key=lambda lp: len(lp.variables))[:MAX_LOOPS]


def _flows(structure: dict[str, Element]) -> set[str]:
    return {f for e in structure.values() if e.kind == "stock" for f in e.inflows + e.outflows} - {
        n for n, e in structure.items() if e.kind == "stock"}


def fold(structure: dict[str, Element], loops: list[Loop]):
    """(links, cycles): signed links between the loops' stocks and auxiliaries, and each loop as a node cycle."""
    signs = link_polarities(structure)
    # fold flows into stocks, unless every loop is a stock and its own flow (nothing would be left)
    flows = _flows(structure) if any(len(lp.variables) > 2 for lp in loops) else set()
    links: dict[tuple[str, str], int | None] = {}
    cycles = {}
    for lp in loops:
        seq = list(lp.variables)
        start = next(i for i, v in enumerate(seq) if v not in flows)
        seq = seq[start:] + seq[:start]
        kept, sign = [seq[0]], 1
        for a, b in zip(seq, seq[1:] + seq[:1], strict=True):
            s = signs.get((a, b))
            sign = None if (s is None or sign is None) else sign * s
            if b not in flows:
                key = (kept[-1], b)
                links[key] = sign if links.get(key, sign) == sign else None
                kept.append(b)
                sign = 1
        cycles[lp.name] = kept[:-1]
    return links, cycles


def layout_cld(structure: dict[str, Element], loops: list[Loop], zh: dict[str, str]) -> CausalLoopDiagram:
    """Lay out the causal-loop diagram of ``loops`` (already filtered, see :func:`main_loops`)."""
    links, cycles = fold(structure, loops)
    names = list(dict.fromkeys(n for c in cycles.values() for n in c))
    if not names:
        return CausalLoopDiagram({}, {}, [], 420.0, 60.0)
    size = {}
    for n in names:
        (we, he), (wz, hz) = label_size(n, "en"), label_size(zh.get(n, n), "zh")
        size[n] = (max(we, wz) / 2 + 6, max(he, hz) / 2 + 4)
    ids = {n: f"n{i}" for i, n in enumerate(names)}
    lines = ["digraph G {", 'overlap=false; sep="+14"; splines=curved; start=1; mode=major;',
             "node [shape=box, fixedsize=true, label=\"\"]; edge [arrowhead=none, len=1.4];"]
    for n in names:
        w, h = size[n]
        lines.append(f"{ids[n]} [width={2 * w / 72:.4f}, height={2 * h / 72:.4f}];")
    for (a, b) in links:
        lines.append(f"{ids[a]} -> {ids[b]};")
    lines.append("}")
    g = run_dot("\n".join(lines), engine="neato")
    height = float(g["bb"].split(",")[3])
    m = 30.0
    byname = {o["name"]: o for o in g.get("objects", [])}
    nodes = {}
    for n in names:
        x, y = map(float, byname[ids[n]]["pos"].split(","))
        nodes[n] = (x + m, height - y + m, *size[n])
    gid = {i: o["name"] for i, o in enumerate(g.get("objects", []))}
    out_links = {}
    for e in g.get("edges", []):
        a = next(n for n in names if ids[n] == gid[e["tail"]])
        b = next(n for n in names if ids[n] == gid[e["head"]])
        pts = [tuple(map(float, p.split(","))) for p in e["pos"].split() if not p.startswith(("e,", "s,"))]
        pts = [(x + m, height - y + m) for x, y in pts]
        out_links[(a, b)] = (links[(a, b)], pts)
    boxes = [(x - w, y - h, x + w, y + h) for x, y, w, h in nodes.values()]
    curves = [_bezier(p) for _, p in out_links.values()]
    placed = []
    for lp in loops:
        cyc = cycles[lp.name]
        cx = sum(nodes[n][0] for n in cyc) / len(cyc)
        cy = sum(nodes[n][1] for n in cyc) / len(cyc)
        pos = _free((cx, cy), boxes + [(x - 17, y - 17, x + 17, y + 17) for _, (x, y), _ in placed], curves)
        ring = [p for a, b in zip(cyc, cyc[1:] + cyc[:1], strict=True) for p in _bezier(out_links[(a, b)][1])]
        placed.append((lp, pos, geo.clockwise(ring)))
    width = max(x + w for x, y, w, h in nodes.values()) + m
    bottom = max(y + h for x, y, w, h in nodes.values()) + m
    folded = any(len(lp.variables) > 2 for lp in loops)
    return CausalLoopDiagram(nodes, out_links, placed, width, bottom, folded)


def _bezier(ctrl: list[tuple[float, float]], n: int = 12) -> list[tuple[float, float]]:
    """Points along Graphviz's piecewise cubic Bézier spline with control points ``ctrl``."""
    out = []
    for i in range(0, len(ctrl) - 3, 3):
        p0, p1, p2, p3 = ctrl[i:i + 4]
        for k in range(n + 1):
            t = k / n
            a, b, c, d = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t ** 3
            out.append((a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0], a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1]))
    return out or list(ctrl)


def _free(centre, boxes, curves, step: float = 6.0):
    import numpy as np

    segs = np.vstack([geo.as_segments(c) for c in curves if len(c) > 1]) if curves else np.zeros((0, 4))
    for r in range(120):
        n = 1 if r == 0 else 8 + 4 * r
        for k in range(n):
            ang = 2 * math.pi * k / n
            x, y = centre[0] + r * step * math.cos(ang), centre[1] + r * step * math.sin(ang)
            box = (x - 17, y - 17, x + 17, y + 17)
            if any(geo.overlaps(box, b) for b in boxes) or geo.any_segment_hits(segs, box):
                continue
            return x, y
    return centre


def cld_title(cld: CausalLoopDiagram, lang: str) -> str:
    """The heading of the causal-loop picture."""
    if lang == "zh":
        return "主要反馈回路" + ("(流量并入其所改变的存量)" if cld.folded else "")
    return "Main feedback loops" + (" (each flow drawn as a link into the stock it changes)" if cld.folded else "")


def draw_cld(cld: CausalLoopDiagram, lang: str = "en", zh: dict | None = None, title: str = ""):
    """Draw the causal-loop diagram; returns the matplotlib Figure (1 point per layout unit)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.patches as mp
    import matplotlib.pyplot as plt

    from ..fonts import use_cjk_font
    from .draw import ARROW, LOOP, draw_loop_mark

    use_cjk_font()
    zh = zh or {}
    top = 34 if title else 0
    width = max(cld.width, 28 + 1.3 * text_width(title))
    fig = plt.figure(figsize=(width / 72, (cld.height + top) / 72))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(cld.height + top, 0)
    ax.axis("off")
    if title:
        ax.text(14, 24, title, fontsize=13, color="#333333", va="baseline")
    for (a, b), (sign, ctrl) in cld.links.items():
        pts = [(x, y + top) for x, y in _bezier(ctrl, 20)]
        xa, ya, wa, ha = cld.nodes[a]
        xb, yb, wb, hb = cld.nodes[b]
        pts = geo.clip(pts, (xa - wa, ya - ha + top, xa + wa, ya + ha + top),
                       (xb - wb, yb - hb + top, xb + wb, yb + hb + top))
        hx, hy = pts[-1]
        px, py = pts[-2]
        d = math.hypot(hx - px, hy - py) or 1.0
        ux, uy = (hx - px) / d, (hy - py) / d
        body = pts[:-1] + [(hx - ux * 7, hy - uy * 7)]
        ax.plot([p[0] for p in body], [p[1] for p in body], color=ARROW, lw=1.0)
        bx, by = hx - ux * 7, hy - uy * 7
        ax.add_patch(mp.Polygon([(hx, hy), (bx - uy * 3.2, by + ux * 3.2), (bx + uy * 3.2, by - ux * 3.2)],
                                closed=True, fc=ARROW, ec=ARROW))
        mark = {1: "+", -1: "−"}.get(sign, "±")
        ax.text(hx - ux * 13 + uy * 8, hy - uy * 13 - ux * 8, mark, fontsize=11, ha="center", va="center",
                color=LOOP if sign == -1 else ARROW)
    for n, (x, y, _, _) in cld.nodes.items():
        text = zh.get(n, n) if lang == "zh" else n
        lines = wrap(text, WRAP_WIDTH[lang])
        first = y + top - (len(lines) - 1) * LINE_HEIGHT / 2
        for i, line in enumerate(lines):
            ax.text(x, first + i * LINE_HEIGHT + 3.6, line, fontsize=10, ha="center", va="baseline", color="#111111",
                    gid=f"label:{n}")
    for lp, (x, y), clockwise in cld.loops:
        draw_loop_mark(ax, x, y + top, lp.name, clockwise, 1.0)
    if not cld.nodes:
        ax.text(14, top + 30, {"en": "The model has no feedback loops.", "zh": "模型中没有反馈回路。"}[lang],
                fontsize=10, color="#333333")
    return fig
