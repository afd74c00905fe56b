"""Write a Vensim model as XMILE 1.0 (the OASIS standard that Stella/iThink read), with its diagram.

Stocks list their inflows and outflows (a rate that is not a plain sum of flows becomes a flow of
its own, ``<stock> net flow``); flows, auxiliaries and constants carry their equations, graphical
functions their tables; every variable keeps its units and documentation; the simulation specs
come from INITIAL TIME, FINAL TIME and TIME STEP. Vensim's built-ins are renamed to XMILE's
(``XIDZ`` → ``SAFEDIV``, ``Time`` → ``TIME``, ``IF THEN ELSE`` → ``IF … THEN … ELSE``, …); a
built-in XMILE has no equivalent for is refused with the variable's name. The views come from
the sketch (:mod:`innosd.diagram.sketch`): stocks, flows with their pipes, auxiliaries, aliases
(Vensim's shadow variables) and connectors.
"""

from __future__ import annotations

import math
import re
from xml.sax.saxutils import escape, quoteattr

from .. import __version__
from ..errors import InputError
from ..structure import Element, norm
from .sketch import Sketch

NS = "http://docs.oasis-open.org/xmile/ns/XMILE/v1.0"
BUILTINS = {"time": "TIME", "initial time": "STARTTIME", "final time": "STOPTIME", "time step": "DT", "saveper": "DT"}
SAME = {"min": "MIN", "max": "MAX", "abs": "ABS", "exp": "EXP", "ln": "LN", "sqrt": "SQRT", "sin": "SIN", "cos": "COS",
        "tan": "TAN", "arctan": "ARCTAN", "integer": "INT", "step": "STEP"}


class _Unsupported(Exception):
    pass


def ident(name: str) -> str:
    """The XMILE identifier of a Vensim name: blanks become underscores; quoted if it needs to be."""
    s = "_".join(name.split())
    return s if re.fullmatch(r"[^\W\d]\w*", s) else '"' + s.replace('"', '\\"') + '"'


class _Writer:
    def __init__(self, structure: dict[str, Element]):
        self.s = structure
        self.names = {norm(n): n for n in structure}
        self.lookups = {norm(n) for n, e in structure.items() if e.kind == "lookup"}

    def ref(self, reference: str) -> str:
        key = norm(reference)
        if key in BUILTINS:
            return BUILTINS[key]
        return ident(self.names.get(key, reference))

    def expr(self, node, top: bool = True) -> str:
        if isinstance(node, bool):
            return "1" if node else "0"
        if isinstance(node, int):
            return str(node)
        if isinstance(node, float):
            return _num(node)
        cls = type(node).__name__
        if cls == "ReferenceStructure":
            if node.subscripts:
                raise _Unsupported("subscripts")
            return self.ref(node.reference)
        if cls in ("ArithmeticStructure", "LogicStructure"):
            return self.arith(node, top)
        if cls == "CallStructure":
            return self.call(node)
        return self.stateful(node, cls)

    def stateful(self, node, cls: str) -> str:
        # The stateful functions XMILE has a builtin for; anything else is refused by name.
        if cls == "SmoothStructure" and node.order in (1, 3):
            return f"SMTH{node.order}({self.args([node.input, node.smooth_time, node.initial])})"
        if cls == "DelayStructure" and node.order in (1, 3):
            return f"DELAY{node.order}({self.args([node.input, node.delay_time, node.initial])})"
        if cls == "DelayFixedStructure":
            return f"DELAY({self.args([node.input, node.delay_time, node.initial])})"
        if cls == "TrendStructure":
            return f"TREND({self.args([node.input, node.average_time, node.initial_trend])})"
        if cls == "InitialStructure":
            return f"INIT({self.expr(node.initial)})"
        raise _Unsupported(cls.replace("Structure", "").upper() or cls)

    def args(self, nodes) -> str:
        return ", ".join(self.expr(a) for a in nodes)

    def arith(self, node, top) -> str:
        ops, args = list(node.operators), node.arguments
        if ops in (["negative"], ["not"]):
            inner = self.expr(args[0], False)
            out = f"-{inner}" if ops == ["negative"] else f"NOT {inner}"
            return out if top else f"({out})"
        names = {":and:": "AND", ":or:": "OR", "and": "AND", "or": "OR"}
        parts = [self.expr(args[0], False)]
        for op, a in zip(ops, args[1:], strict=True):
            parts += [names.get(op.lower(), op), self.expr(a, False)]
        out = " ".join(parts)
        return out if top else f"({out})"

    def call(self, node) -> str:
        f = norm(getattr(node.function, "reference", ""))
        a = node.arguments
        if f in self.lookups:
            return f"{self.ref(f)}({self.expr(a[0])})"
        if f in SAME:
            return f"{SAME[f]}({self.args(a)})"
        if f == "xidz":
            return f"SAFEDIV({self.args(a)})"
        if f == "zidz":
            return f"SAFEDIV({self.args(a)})"
        if f == "if then else":
            return f"(IF {self.expr(a[0])} THEN {self.expr(a[1])} ELSE {self.expr(a[2])})"
        if f == "modulo":
            return f"({self.expr(a[0], False)} MOD {self.expr(a[1], False)})"
        if f == "ramp" and len(a) == 3:
            return f"(RAMP({self.args(a[:2])}) - RAMP({self.expr(a[0])}, {self.expr(a[2])}))"
        raise _Unsupported(f.upper() or "a call")


def _flow_terms(rate) -> tuple[list[str], list[str]] | None:
    """(inflows, outflows) when a stock's rate is a plain sum of references; else None."""
    cls = type(rate).__name__
    if cls == "ReferenceStructure" and not rate.subscripts:
        return [rate.reference], []
    if cls == "ArithmeticStructure" and rate.operators == ["negative"]:
        inner = _flow_terms(rate.arguments[0])
        return None if inner is None else (inner[1], inner[0])
    if cls == "ArithmeticStructure" and set(rate.operators) <= {"+", "-"}:
        ins, outs = [], []
        for op, a in zip(["+"] + list(rate.operators), rate.arguments, strict=True):
            t = _flow_terms(a)
            if t is None:
                return None
            ins, outs = (ins + t[0], outs + t[1]) if op == "+" else (ins + t[1], outs + t[0])
        return ins, outs
    return None


def to_xmile(structure: dict[str, Element], name: str = "model", sketch: Sketch | None = None,
             where: str = "") -> str:
    """The model as an XMILE document (a string).

    Parameters
    ----------
    structure : dict
        :func:`innosd.structure.read_structure` of the model.
    name : str
        Model name for the header.
    sketch : Sketch, optional
        The diagram to include as XMILE views.
    where : str
        The model file, for error messages.

    Raises
    ------
    InputError
        When an equation uses something XMILE cannot say (subscripts, a Vensim-only built-in).
    """
    w = _Writer(structure)
    stocks = {n: e for n, e in structure.items() if e.kind == "stock"}
    flows: set[str] = set()
    stock_flows = {}
    for n, e in stocks.items():
        terms = _flow_terms(e.ast)
        ok = terms is not None and all(norm(t) in w.names and structure[w.names[norm(t)]].kind not in
                                       ("stock", "lookup", "control", "time") for t in terms[0] + terms[1])
        if ok:
            ins, outs = ([w.names[norm(t)] for t in terms[0]], [w.names[norm(t)] for t in terms[1]])
        else:
            ins, outs = [f"{n} net flow"], []
        stock_flows[n] = (ins, outs)
        flows |= set(ins) | set(outs)
    body = []
    for n, e in structure.items():
        if e.kind in ("control", "time"):
            continue
        try:
            body.append(_variable(w, n, e, stocks, stock_flows, flows))
        except _Unsupported as exc:
            raise InputError(where or name, n, f"uses {exc}, which XMILE cannot express",
                             "rewrite the equation with XMILE's built-ins, or use the .mdl in Vensim") from None
    ctl = {norm(n): e for n, e in structure.items() if e.kind == "control"}
    spec = {k: w.expr(ctl[k].ast) for k in ("initial time", "final time", "time step") if k in ctl}
    units = escape(ctl["time step"].units.split("[")[0].strip()) if "time step" in ctl else ""
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<xmile version="1.0" xmlns="{NS}" xmlns:isee="http://iseesystems.com/XMILE">',
           (f"  <header><vendor>innosd</vendor><product version={quoteattr(__version__)}>innosd</product>"
            f"<name>{escape(name)}</name></header>"),
           (f'  <sim_specs method="Euler" time_units="{units}">'
            f"<start>{spec.get('initial time', 0)}</start><stop>{spec.get('final time', 1)}</stop>"
            f"<dt>{spec.get('time step', 1)}</dt></sim_specs>"),
           "  <model>", "    <variables>"] + body + ["    </variables>"]
    if sketch is not None:
        out += _views(sketch, stock_flows)
    out += ["  </model>", "</xmile>"]
    return "\n".join(out) + "\n"


def _meta(e: Element) -> str:
    units = e.units.split("[")[0].strip()
    return (f"<units>{escape(units)}</units>" if units else "") + (f"<doc>{escape(e.doc)}</doc>" if e.doc else "")


def _variable(w: _Writer, n: str, e: Element, stocks, stock_flows, flows) -> str:
    attr = f"name={quoteattr(n)}"
    if e.kind == "stock":
        ins, outs = stock_flows[n]
        io = ("".join(f"<inflow>{ident(f)}</inflow>" for f in ins)
              + "".join(f"<outflow>{ident(f)}</outflow>" for f in outs))
        extra = ""
        if ins == [f"{n} net flow"]:
            extra = f"\n      <flow name={quoteattr(ins[0])}><eqn>{escape(w.expr(e.ast))}</eqn>{_meta(e)}</flow>"
        return f"      <stock {attr}><eqn>{escape(w.expr(e.init_ast))}</eqn>{io}{_meta(e)}</stock>{extra}"
    if e.kind == "lookup":
        return f"      <gf {attr}{_table_kind(e.ast)}>{_table(e.ast)}{_meta(e)}</gf>"
    tag = "flow" if n in flows else "aux"
    if type(e.ast).__name__ == "InlineLookupsStructure":
        table = e.ast.lookups
        gf = f"<gf{_table_kind(table)}>{_table(table)}</gf>"
        return f"      <{tag} {attr}><eqn>{escape(w.expr(e.ast.argument))}</eqn>{gf}{_meta(e)}</{tag}>"
    return f"      <{tag} {attr}><eqn>{escape(w.expr(e.ast))}</eqn>{_meta(e)}</{tag}>"


def _num(v) -> str:
    f = float(v)
    return str(int(f)) if f.is_integer() and abs(f) < 1e15 else repr(f)


def _table_kind(ast) -> str:
    return ' type="extrapolate"' if getattr(ast, "type", "") == "extrapolate" else ""


def _table(ast) -> str:
    """``xscale``/``yscale`` (the declared ranges) and the points of a graphical function.

    The x scale is written only when the points are evenly spaced over it, because readers such as
    PySD then take the x values from the scale alone.
    """
    xs, ys = [float(v) for v in ast.x], [float(v) for v in ast.y]
    (x0, x1) = [float(v) for v in (getattr(ast, "x_limits", None) or (min(xs), max(xs)))]
    (y0, y1) = [float(v) for v in (getattr(ast, "y_limits", None) or (min(ys), max(ys)))]
    step = (x1 - x0) / (len(xs) - 1) if len(xs) > 1 else 0.0
    even = len(xs) > 1 and all(abs(x - (x0 + i * step)) <= 1e-12 * max(1.0, abs(x)) for i, x in enumerate(xs))
    xscale = f'<xscale min="{_num(x0)}" max="{_num(x1)}"/>' if even else ""
    return (f'{xscale}<yscale min="{_num(y0)}" max="{_num(y1)}"/>'
            f"<xpts>{','.join(_num(v) for v in xs)}</xpts><ypts>{','.join(_num(v) for v in ys)}</ypts>")


def _views(sketch: Sketch, stock_flows) -> list[str]:
    """XMILE views from the sketch: positions of stocks, flows (with pipe points), auxiliaries, aliases, connectors."""
    out = ["    <views>"]
    uid = 0                   # aliases and connectors are numbered across all views
    for view in sketch.views:
        out.append(f'      <view type="stock_flow" name={quoteattr(view.title)}>')
        flows = view.valve_flows()
        items, alias_uid, uid = _view_items(view, flows, uid)
        connectors, uid = _connectors(view, flows, alias_uid, uid)
        out += items + connectors
        out.append("      </view>")
    out.append("    </views>")
    return out


def _view_items(view, flows, uid: int) -> tuple[list[str], dict[int, int], int]:
    """The flows, aliases, stocks and auxiliaries of one view; the aliases' uids by item id; the last uid used."""
    by_id = view.by_id()
    pipe_pts: dict[int, list[tuple[int, int]]] = {}
    for a in view.arrows:
        if a.pipe:
            end = by_id[a.dst]
            pipe_pts.setdefault(a.src, []).append((end, a.head))
    out, alias_uid = [], {}
    for it in view.items:
        if it.type == "valve" and it.id in flows:
            ends = sorted(pipe_pts.get(it.id, []), key=lambda e: e[1])     # source first, then sink
            pts = "".join(f'<pt x="{_edge(e, it)[0]}" y="{_edge(e, it)[1]}"/>' for e, _ in ends)
            out.append(f'        <flow name={quoteattr(flows[it.id].name)} x="{it.x}" y="{it.y}">'
                       f'<pts>{pts}</pts></flow>')
        elif it.type == "variable" and it.shadow:
            if norm(it.name) in BUILTINS:          # TIME, DT, … are XMILE built-ins, not variables
                continue
            uid += 1
            alias_uid[it.id] = uid
            out.append(f'        <alias uid="{uid}" x="{it.x}" y="{it.y}"><of>{escape(it.name)}</of></alias>')
        elif it.type == "variable" and it.role == "stock":
            out.append(f'        <stock name={quoteattr(it.name)} x="{it.x}" y="{it.y}" width="{2 * it.w}" '
                       f'height="{2 * it.h}"/>')
        elif it.type == "variable" and it.role == "aux":
            out.append(f'        <aux name={quoteattr(it.name)} x="{it.x}" y="{it.y}"/>')
    return out, alias_uid, uid


def _connectors(view, flows, alias_uid: dict[int, int], uid: int) -> tuple[list[str], int]:
    """The information arrows of one view as connectors (from a built-in's shadow: none); the last uid used."""
    by_id = view.by_id()
    out = []
    for a in view.arrows:
        if a.pipe:
            continue
        src, dst = by_id[a.src], by_id[a.dst]
        if src.type == "variable" and src.shadow and src.id not in alias_uid:
            continue
        uid += 1
        angle = _takeoff_angle(src, a.points[0], dst)
        out.append(f'        <connector uid="{uid}" angle="{angle:.1f}"><from>{_end(src, flows, alias_uid)}</from>'
                   f'<to>{_end(dst, flows, alias_uid)}</to></connector>')
    return out, uid


def _end(it, flows, alias_uid) -> str:
    if it.id in alias_uid:
        return f'<alias uid="{alias_uid[it.id]}"/>'
    name = flows[it.id].name if it.type == "valve" else it.name
    return escape(name)


def _edge(end, valve) -> tuple[int, int]:
    """Where a pipe meets the object at its end: a stock's edge, or a cloud's centre."""
    if end.type == "cloud":
        return end.x, end.y
    if valve.shape == 34:
        return (end.x - end.w if end.x > valve.x else end.x + end.w), valve.y
    return valve.x, (end.y - end.h if end.y > valve.y else end.y + end.h)


def _takeoff_angle(src, via, dst) -> float:
    """XMILE connector angle: direction the arc leaves its source, degrees counter-clockwise from east (y up)."""
    from .geometry import arc_points

    pts = arc_points((src.x, src.y), via, (dst.x, dst.y), 48)
    (x0, y0), (x1, y1) = pts[0], pts[1]
    return math.degrees(math.atan2(-(y1 - y0), x1 - x0)) % 360


