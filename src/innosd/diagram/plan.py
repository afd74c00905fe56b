"""What the diagram shows, before anything is placed: views, stock-and-flow chains, arrows, loops.

The rules, for any model PySD reads:

- **Views.** One view per group of the file (``.Name`` headers; the title is the group name up
  to its first colon); a model without groups gets one view. Control variables (INITIAL TIME,
  …) are not drawn; they and ``Time`` appear as shadow variables where an equation uses them.
- **Flows.** A variable that is a plain term of a stock's rate is a flow: a valve on a pipe. The
  pipe leaves the first stock the flow drains and enters the stock it fills that has the most
  flows (so ``incubators built`` fills ``incubators``, not the running total
  ``cumulative incubators built``); the other stocks it feeds get an information arrow. A flow is
  drawn in the view of the stock its pipe starts from (or enters); a pipe end outside that view
  is a cloud.
- **Chains.** Stocks joined by pipes line up left to right; each stock keeps at most one pipe on
  either side, and its other flows enter from above or leave below, from and to clouds.
- **Arrows.** One information arrow per dependency in the equations (initial values included),
  except a flow's own pipe; a cause defined in another view is a shadow variable in this one.
- **Loops.** Each loop of :func:`innosd.diagram.loops.named_loops` is marked in the view that holds
  most of its variables (at most :data:`MAX_LOOP_MARKS`, shortest first).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..structure import Element
from .loops import Loop

NOT_DRAWN = ("control", "time")
#: Most loop identifiers drawn (the shortest loops first); a model with more lists them in its README.
MAX_LOOP_MARKS = 60


@dataclass
class Chain:
    """Stocks joined by horizontal pipes.

    Attributes
    ----------
    stocks : list of str
        Left to right.
    flows : list of (str or None)
        ``len(stocks) + 1`` entries: the flow into the first stock from a cloud on the left,
        the flows between neighbours, the flow out of the last stock to a cloud on the right
        (None where there is no pipe).
    above, below : dict
        Stock -> flows drawn vertically: from clouds above into the stock, out of it to clouds below.
    """

    stocks: list[str]
    flows: list[str | None]
    above: dict[str, list[str]] = field(default_factory=dict)
    below: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class ViewPlan:
    """The content of one view (see the module notes)."""

    title: str
    group: str
    chains: list[Chain] = field(default_factory=list)
    variables: list[str] = field(default_factory=list)
    shadows: list[str] = field(default_factory=list)
    arrows: list[tuple[str, str]] = field(default_factory=list)
    loops: list[Loop] = field(default_factory=list)

    def pipes(self) -> set[tuple[str, str, str]]:
        """(flow, stock, "in"|"out") for every pipe end at a stock in this view."""
        out = set()
        for c in self.chains:
            for i, f in enumerate(c.flows):
                if f is None:
                    continue
                if i > 0:
                    out.add((f, c.stocks[i - 1], "out"))
                if i < len(c.stocks):
                    out.add((f, c.stocks[i], "in"))
            for s, fs in c.above.items():
                out |= {(f, s, "in") for f in fs}
            for s, fs in c.below.items():
                out |= {(f, s, "out") for f in fs}
        return out

    def flows(self) -> list[str]:
        """Every flow with a valve in this view."""
        out = []
        for c in self.chains:
            out += [f for f in c.flows if f]
            for s in c.stocks:
                out += c.above.get(s, []) + c.below.get(s, [])
        return out


def view_title(group: str) -> str:
    """The view title of a group: its name up to the first colon (``"View 1"`` for no group)."""
    return group.split(":")[0].strip() or "View 1"


def plan(structure: dict[str, Element], loops: list[Loop]) -> list[ViewPlan]:
    """The views of the diagram of ``structure``, in file order.

    Parameters
    ----------
    structure : dict
        :func:`innosd.structure.read_structure` of the model.
    loops : list of Loop
        The named loops to mark (:func:`innosd.diagram.loops.named_loops`).

    Returns
    -------
    list of ViewPlan
    """
    drawn = [n for n, e in structure.items() if e.kind not in NOT_DRAWN]
    order = {n: i for i, n in enumerate(drawn)}
    home = {n: view_title(structure[n].group) for n in drawn}
    stocks = [n for n in drawn if structure[n].kind == "stock"]
    pipe_of = _choose_pipes(structure, stocks, home, order)
    for f, (src, dst) in pipe_of.items():          # a flow lives with the stock its pipe leaves or enters
        home[f] = home[src or dst]
    views: dict[str, ViewPlan] = {}
    for n in drawn:
        views.setdefault(home[n], ViewPlan(home[n], structure[n].group))
    for v in views.values():
        v.chains = _chains([s for s in stocks if home[s] == v.title], pipe_of, structure, order)
        in_chain = {x for c in v.chains for x in c.stocks} | set(v.flows())
        v.variables = [n for n in drawn if home[n] == v.title and n not in in_chain]
    piped = {(f, s) for v in views.values() for f, s, _ in v.pipes()}
    for n in drawn:
        v = views[home[n]]
        for cause in sorted(structure[n].causes, key=lambda c: (order.get(c, -1), c)):
            if cause == n or (cause, n) in piped:
                continue
            v.arrows.append((cause, n))
            if (cause not in home or home[cause] != v.title) and cause not in v.shadows:
                v.shadows.append(cause)
    for loop in sorted(loops, key=lambda lp: len(lp.variables))[:MAX_LOOP_MARKS]:
        counts = {t: sum(home.get(x) == t for x in loop.variables) for t in views}
        best = max(views, key=lambda t: counts[t])
        views[best].loops.append(loop)
    return list(views.values())


def _choose_pipes(structure, stocks, home, order) -> dict[str, tuple[str | None, str | None]]:
    """Flow -> (stock its pipe leaves or None, stock its pipe enters or None)."""
    flows: dict[str, tuple[list[str], list[str]]] = {}
    for s in stocks:
        e = structure[s]
        for f in e.inflows:
            if f in structure and structure[f].kind not in ("stock", "lookup") + NOT_DRAWN:
                flows.setdefault(f, ([], []))[1].append(s)
        for f in e.outflows:
            if f in structure and structure[f].kind not in ("stock", "lookup") + NOT_DRAWN:
                flows.setdefault(f, ([], []))[0].append(s)
    n_flows = {s: len(structure[s].inflows) + len(structure[s].outflows) for s in stocks}
    out = {}
    for f in sorted(flows, key=order.get):
        sources, sinks = flows[f]
        src = sources[0] if sources else None
        if src:
            sinks = [s for s in sinks if home[s] == home[src] and s != src]
        dst = min(sinks, key=lambda s: (-n_flows[s], order[s])) if sinks else None
        out[f] = (src, dst)
    return out


def _chains(stocks, pipe_of, structure, order) -> list[Chain]:
    """Line the view's stocks up in chains along the flows between them."""
    right: dict[str, str] = {}
    left: dict[str, str] = {}
    nxt: dict[str, str] = {}
    for f, (src, dst) in sorted(pipe_of.items(), key=lambda kv: order[kv[0]]):
        if src not in stocks or dst is None:
            continue
        if src not in right and dst not in left and not _reaches(nxt, dst, src):
            right[src], left[dst], nxt[src] = f, f, dst
        else:                      # no room for a straight pipe: it ends in a cloud, the sink gets an arrow
            pipe_of[f] = (src, None)
    chains = []
    for s in stocks:
        if s in left:
            continue
        line = [s]
        while line[-1] in nxt:
            line.append(nxt[line[-1]])
        chain = Chain(line, [None] + [right[x] for x in line[:-1]] + [None])
        for x in line:
            ins = [f for f, (src, dst) in pipe_of.items() if dst == x and f != left.get(x)]
            outs = [f for f, (src, dst) in pipe_of.items() if src == x and f != right.get(x)]
            ins.sort(key=order.get)
            outs.sort(key=order.get)
            if x == line[0] and ins:       # every other inflow comes from a cloud, every other outflow goes to one
                chain.flows[0] = ins.pop(0)
            if x == line[-1] and outs:
                chain.flows[-1] = outs.pop(0)
            if ins:
                chain.above[x] = ins
            if outs:
                chain.below[x] = outs
        chains.append(chain)
    return chains


def _reaches(nxt: dict[str, str], a: str, b: str) -> bool:
    while a in nxt:
        if a == b:
            return True
        a = nxt[a]
    return a == b
