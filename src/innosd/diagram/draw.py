"""Draw a Vensim sketch with matplotlib: every view of the model as a panel of one picture.

The picture is drawn from the sketch section only (positions, sizes, arcs, loop identifiers),
so it shows what Vensim shows when it opens the file: stocks as boxes, flows as pipes with
valves and clouds, auxiliaries as names, shadow variables as grey ``<names>``, information
arrows as arcs with their polarity, and each loop identifier as a circular arrow around its name.
One sketch unit is drawn as one typographic point.
"""

from __future__ import annotations

import math

from ..structure import Element
from . import geometry as geo
from .sketch import Item, Sketch, View
from .text import FONT_SIZE, LINE_HEIGHT, WRAP_WIDTH, wrap

STOCK_FILL, STOCK_EDGE = "#dbe9f6", "#1f4e79"
PIPE, ARROW, SHADOW, LEVER, LOOP = "#1f4e79", "#4a5a6a", "#8a8a8a", "#006e00", "#8b0000"
PANEL_GAP, TITLE_H = 40, 30


def _label_lines(name: str, lang: str, zh: dict, shadow: bool, width: float) -> list[str]:
    text = zh.get(name, name) if lang == "zh" else name
    return wrap(f"<{text}>" if shadow else text, width)


def _style_colour(style: str) -> tuple[str | None, bool]:
    """Font colour (#rrggbb) and boldness from a sketch item's style fields."""
    if "|" not in style:
        return None, False
    parts = style.split("|")
    bold = "B" in parts[-2] if len(parts) >= 2 else False
    try:
        r, g, b = (int(v) for v in parts[-1].split(",")[0].split("-"))
    except ValueError:
        return None, bold
    return f"#{r:02x}{g:02x}{b:02x}", bold


def view_bounds(view: View) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of everything in a view, arcs included."""
    boxes = [it.box for it in view.items] + [(x, y, x, y) for a in view.arrows for x, y in a.points]
    return (min(b[0] for b in boxes) - 12, min(b[1] for b in boxes) - 12,
            max(b[2] for b in boxes) + 12, max(b[3] for b in boxes) + 12)


def arrange(sketch: Sketch, max_width: float | None = None) -> list[tuple[View, float, float]]:
    """(view, dx, dy): where each view's panel goes in the picture (rows of panels, in sketch order)."""
    sizes = [view_bounds(v) for v in sketch.views]
    widest = max(b[2] - b[0] for b in sizes)
    limit = max_width or max(widest, 1.6 * sum((b[2] - b[0]) * (b[3] - b[1]) for b in sizes) ** 0.5)
    out, x, y, row_h = [], 0.0, 0.0, 0.0
    for view, (left, top, right, bottom) in zip(sketch.views, sizes, strict=True):
        w, h = right - left, bottom - top + TITLE_H
        if x > 0 and x + w > limit:
            x, y, row_h = 0.0, y + row_h + PANEL_GAP, 0.0
        out.append((view, x - left, y + TITLE_H - top))
        x += w + PANEL_GAP
        row_h = max(row_h, h)
    return out


def draw_sketch(sketch: Sketch, structure: dict[str, Element], lang: str = "en", ax=None, zh: dict | None = None,
                titles: dict | None = None, loops: dict | None = None, max_width: float | None = None):
    """Draw every view of ``sketch`` into one figure (or into ``ax``) and return the figure.

    Parameters
    ----------
    sketch : Sketch
        The parsed sketch (:func:`innosd.diagram.sketch.read_sketch`).
    structure : dict
        The model's structure (for nothing but the loop orientation when ``loops`` is None).
    lang : {"en", "zh"}
        Label language; ``zh`` needs ``zh`` (English name -> Chinese name).
    ax : matplotlib Axes, optional
        Draw into these axes (scaled to fit) instead of a new figure sized 1 point per unit.
    zh, titles : dict, optional
        Chinese names of variables and of view titles.
    loops : dict, optional
        Loop name -> its variables, to turn each identifier's arrow the way the loop runs.
    max_width : float, optional
        Width at which panels wrap to a new row (sketch units).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib

    if ax is None:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..fonts import use_cjk_font

    use_cjk_font()
    zh, titles, loops = zh or {}, titles or {}, loops or {}
    placed = arrange(sketch, max_width)
    right = max(dx + view_bounds(v)[2] for v, dx, _ in placed)
    bottom = max(dy + view_bounds(v)[3] for v, _, dy in placed)
    own = ax is None
    if own:
        fig = plt.figure(figsize=(right / 72, bottom / 72))
        ax = fig.add_axes((0, 0, 1, 1))
        scale = 1.0
    else:
        fig = ax.figure
        bb = ax.get_window_extent()
        scale = min(bb.width / fig.dpi * 72 / right, bb.height / fig.dpi * 72 / bottom)
    ax.set_xlim(0, right)
    ax.set_ylim(bottom, 0)
    ax.set_aspect("equal")
    ax.axis("off")
    for view, dx, dy in placed:
        _draw_view(ax, view, dx, dy, lang, zh, titles, loops, scale)
    return fig


def _draw_view(ax, view: View, dx, dy, lang, zh, titles, loops, scale):
    import matplotlib.patches as mp

    left, top, right, bottom = view_bounds(view)
    ax.add_patch(mp.FancyBboxPatch((left + dx, top + dy), right - left, bottom - top,
                                   boxstyle="round,pad=0,rounding_size=8", fc="#fbfbf8", ec="#c8c8c0", lw=0.8,
                                   zorder=0))
    title = titles.get(view.title, view.title) if lang == "zh" else view.title
    ax.text(left + dx + 8, top + dy - 8, title, fontsize=13 * scale, color="#333333", va="bottom", ha="left",
            path_effects=_bold("#333333"))
    by_id = view.by_id()
    for a in view.arrows:
        if a.pipe:
            _draw_pipe(ax, by_id[a.src], by_id[a.dst], a.head, dx, dy, scale)
    for a in view.arrows:
        if not a.pipe:
            _draw_arrow(ax, by_id[a.src], by_id[a.dst], a.points[0], a.polarity, dx, dy, scale)
    for it in view.items:
        if it.type == "variable":
            _draw_variable(ax, it, dx, dy, lang, zh, scale)
        elif it.type == "valve":
            _draw_valve(ax, it, dx, dy, scale)
        elif it.type == "cloud":
            _draw_cloud(ax, it, dx, dy, scale)
        elif it.type == "comment":
            _draw_loop(ax, it, view, loops.get(it.name, ()), dx, dy, scale)


def _draw_variable(ax, it: Item, dx, dy, lang, zh, scale):
    import matplotlib.patches as mp

    x, y = it.x + dx, it.y + dy
    colour, bold = _style_colour(it.style)
    if it.role == "stock":
        ax.add_patch(mp.Rectangle((x - it.w, y - it.h), 2 * it.w, 2 * it.h, fc=STOCK_FILL, ec=STOCK_EDGE, lw=1.3,
                                  zorder=3))
        width = 2 * it.w - 12
    else:
        width = max(2 * it.w, WRAP_WIDTH[lang])
    lines = _label_lines(it.name, lang, zh, it.shadow, width)
    colour = SHADOW if it.shadow else (LEVER if bold and colour and colour != "#000000" else colour or "#111111")
    effects = _bold(colour) if bold and not it.shadow else None
    first = y - (len(lines) - 1) * LINE_HEIGHT / 2
    for i, line in enumerate(lines):
        ax.text(x, first + i * LINE_HEIGHT + 0.36 * FONT_SIZE, line, fontsize=FONT_SIZE * scale, ha="center",
                va="baseline", color=colour, path_effects=effects, zorder=5, gid=f"label:{it.name}")


def _draw_valve(ax, it: Item, dx, dy, scale):
    import matplotlib.patches as mp

    x, y = it.x + dx, it.y + dy
    a, b = (6, 7) if it.shape == 34 else (7, 6)
    if it.shape == 34:
        pts = [(x - a, y - b), (x + a, y - b), (x - a, y + b), (x + a, y + b)]
    else:
        pts = [(x - a, y - b), (x - a, y + b), (x + a, y - b), (x + a, y + b)]
    ax.add_patch(mp.Polygon(pts, closed=True, fc="white", ec=PIPE, lw=1.1, zorder=4))


def _draw_cloud(ax, it: Item, dx, dy, scale):
    import matplotlib.patches as mp

    x, y = it.x + dx, it.y + dy
    for cx, cy, r in ((-4.5, 1.5, 4.5), (0.5, -2.5, 5.5), (5, 1.5, 4.5), (0, 3, 4)):
        ax.add_patch(mp.Circle((x + cx, y + cy), r, fc="white", ec="#7f7f7f", lw=0.8, zorder=3))
    for cx, cy, r in ((-4.5, 1.5, 3.7), (0.5, -2.5, 4.7), (5, 1.5, 3.7), (0, 3, 3.2)):
        ax.add_patch(mp.Circle((x + cx, y + cy), r, fc="white", ec="none", zorder=3.1))


def _draw_pipe(ax, valve: Item, end: Item, head: bool, dx, dy, scale):
    import matplotlib.patches as mp

    x0, y0 = valve.x + dx, valve.y + dy
    if valve.shape == 34:
        x1 = (end.x - end.w if end.x > valve.x else end.x + end.w) + dx
        y1 = y0
    else:
        x1 = x0
        y1 = (end.y - end.h if end.y > valve.y else end.y + end.h) + dy
    ux, uy = (x1 - x0), (y1 - y0)
    n = math.hypot(ux, uy) or 1.0
    ux, uy = ux / n, uy / n
    tip = (x1, y1)
    stop = (x1 - ux * 9, y1 - uy * 9) if head else (x1, y1)
    ax.plot([x0, stop[0]], [y0, stop[1]], color=PIPE, lw=4.2 * scale, solid_capstyle="butt", zorder=2)
    ax.plot([x0, stop[0]], [y0, stop[1]], color="white", lw=1.8 * scale, solid_capstyle="butt", zorder=2.1)
    if head:
        px, py = -uy, ux
        ax.add_patch(mp.Polygon([tip, (stop[0] + px * 6, stop[1] + py * 6), (stop[0] - px * 6, stop[1] - py * 6)],
                                closed=True, fc=PIPE, ec=PIPE, lw=0.5, zorder=2.2))


def _draw_arrow(ax, a: Item, b: Item, via, polarity, dx, dy, scale):
    import matplotlib.patches as mp

    pts = geo.clip(geo.arc_points((a.x, a.y), via, (b.x, b.y), 40), a.box, b.box, pad=2.5)
    xs, ys = [p[0] + dx for p in pts], [p[1] + dy for p in pts]
    (hx, hy), (px, py) = (xs[-1], ys[-1]), (xs[-2], ys[-2])
    n = math.hypot(hx - px, hy - py) or 1.0
    ux, uy = (hx - px) / n, (hy - py) / n
    base = (hx - ux * 7, hy - uy * 7)
    xs[-1], ys[-1] = base
    ax.plot(xs, ys, color=ARROW, lw=0.8 * scale, zorder=1.5)
    head = [(hx, hy), (base[0] - uy * 2.8, base[1] + ux * 2.8), (base[0] + uy * 2.8, base[1] - ux * 2.8)]
    ax.add_patch(mp.Polygon(head, closed=True, fc=ARROW, ec=ARROW, lw=0.3, zorder=1.6))
    if polarity:
        sx, sy = hx - ux * 11 - uy * 7, hy - uy * 11 + ux * 7
        ax.text(sx, sy, "+" if polarity == "+" else "−", fontsize=8.5 * scale, ha="center", va="center",
                color=ARROW, zorder=1.7)


def _draw_loop(ax, it: Item, view: View, members, dx, dy, scale):
    """A loop identifier of the sketch, turning the way its loop runs in this view."""
    draw_loop_mark(ax, it.x + dx, it.y + dy, it.name, _clockwise(view, members, (it.x, it.y)), scale)


def draw_loop_mark(ax, x: float, y: float, name: str, clockwise: bool, scale: float = 1.0) -> None:
    """Draw a loop identifier: ``name`` inside a circular arrow (clockwise on screen or not).

    The axes must have y growing downwards (as the sketch has).
    """
    import matplotlib.patches as mp

    r, t1, t2 = 12.5, -50.0, 250.0           # degrees in data space; the gap is at the top of the circle
    ax.add_patch(mp.Arc((x, y), 2 * r, 2 * r, theta1=t1, theta2=t2, color=LOOP, lw=1.2 * scale, zorder=6))
    th = math.radians(t2 if clockwise else t1)
    d = (-math.sin(th), math.cos(th)) if clockwise else (math.sin(th), -math.cos(th))
    px, py = x + r * math.cos(th), y + r * math.sin(th)
    nx, ny = math.cos(th), math.sin(th)
    ax.add_patch(mp.Polygon([(px + d[0] * 5, py + d[1] * 5), (px - d[0] * 2 + nx * 3.8, py - d[1] * 2 + ny * 3.8),
                             (px - d[0] * 2 - nx * 3.8, py - d[1] * 2 - ny * 3.8)],
                            closed=True, fc=LOOP, ec=LOOP, lw=0.5, zorder=6))
    ax.text(x, y + 3.3, name, fontsize=9 * scale, ha="center", va="baseline", color=LOOP, zorder=6,
            path_effects=_bold(LOOP), gid=f"loop:{name}")


def _bold(colour: str):
    """A stroke that makes text look bold (the CJK font ships in one weight only)."""
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=0.6, foreground=colour)]


def _clockwise(view: View, members, centre) -> bool:
    """True when the loop ``members`` (in causal order) runs clockwise on screen in this view.

    The loop's outline follows the arcs and pipes that join its variables here; a variable not
    in the view is skipped.
    """
    by_id = view.by_id()
    where: dict[str, Item] = {}
    for it in view.items:
        if it.type == "variable" and it.shape != 40:
            where.setdefault(it.name, it)
    for vid, f in view.valve_flows().items():
        where[f.name] = by_id[vid]
    here = [m for m in members if m in where]
    if len(here) < 2:
        return True
    arcs = {}
    for a in view.arrows:
        src, dst = view.variable_at(a.src), view.variable_at(a.dst)
        if not a.pipe and src and dst:
            arcs[(src, dst)] = geo.arc_points((by_id[a.src].x, by_id[a.src].y), a.points[0],
                                              (by_id[a.dst].x, by_id[a.dst].y), 16)
    ring = []
    for a, b in zip(here, here[1:] + here[:1], strict=True):
        ring += arcs.get((a, b), [(where[a].x, where[a].y), (where[b].x, where[b].y)])
    return geo.clockwise(ring)
