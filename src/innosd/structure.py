"""The model's structure read from the .mdl file: stocks, their flows, feedback loops, a diagram.

Everything here is derived from PySD's abstract model of the file, so the README and the
report always show the equations that actually run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import networkx as nx


@dataclass
class Element:
    name: str
    kind: str  # stock | lookup | constant | auxiliary
    units: str
    doc: str
    deps: set[str] = field(default_factory=set)
    inflows: list[str] = field(default_factory=list)
    outflows: list[str] = field(default_factory=list)


@lru_cache(maxsize=4)
def read_structure(path: str) -> dict[str, Element]:
    """Vensim name -> Element for every variable of the model at ``path``."""
    from pysd.translators.vensim.vensim_file import VensimFile

    vf = VensimFile(Path(path))
    vf.parse()
    out = {}
    for section in vf.get_abstract_model().sections:
        for el in section.elements:
            ast = el.components[0].ast
            kind = type(ast).__name__
            e = Element(el.name, _kind(ast), str(el.units or ""), str(el.documentation or "").strip())
            if kind == "IntegStructure":
                e.inflows, e.outflows = _signed_terms(ast.flow)
                e.deps = _refs(ast.flow)
            else:
                e.deps = _refs(ast)
            out[el.name] = e
    names = {_norm(n): n for n in out}
    for e in out.values():
        e.deps = {names[_norm(d)] for d in e.deps if _norm(d) in names}
        e.inflows = [names.get(_norm(f), f) for f in e.inflows]
        e.outflows = [names.get(_norm(f), f) for f in e.outflows]
    return out


def _kind(ast) -> str:
    name = type(ast).__name__
    if name == "IntegStructure":
        return "stock"
    if name == "LookupsStructure":
        return "lookup"
    if isinstance(ast, (int, float)):
        return "constant"
    return "auxiliary"


def _refs(node) -> set[str]:
    """Names referenced anywhere in an abstract expression."""
    found = set()
    stack = [node]
    while stack:
        n = stack.pop()
        cls = type(n).__name__
        if cls == "ReferenceStructure":
            found.add(n.reference)
        elif cls in ("CallStructure",) and type(n.function).__name__ == "ReferenceStructure":
            found.add(n.function.reference)
            stack.extend(n.arguments)
            continue
        if hasattr(n, "__dataclass_fields__"):
            stack.extend(getattr(n, f) for f in n.__dataclass_fields__)
        elif isinstance(n, (list, tuple)):
            stack.extend(n)
    return found


def _norm(name: str) -> str:
    return name.replace("_", " ").lower()


def _signed_terms(flow) -> tuple[list[str], list[str]]:
    """Split an INTEG rate ``a + b - c`` into inflows [a, b] and outflows [c] (names only)."""
    cls = type(flow).__name__
    if cls == "ReferenceStructure":
        return [flow.reference], []
    if cls == "ArithmeticStructure" and set(flow.operators) <= {"+", "-"}:
        ins, outs = [], []
        signs = ["+"] + list(flow.operators)
        for sign, arg in zip(signs, flow.arguments):
            a_in, a_out = _signed_terms(arg)
            (ins if sign == "+" else outs).extend(a_in)
            (outs if sign == "+" else ins).extend(a_out)
        return ins, outs
    return sorted(_refs(flow)), []


def dependency_graph(structure: dict[str, Element]) -> nx.DiGraph:
    """Directed graph cause -> effect over stocks and auxiliaries (constants and lookups left out)."""
    g = nx.DiGraph()
    for e in structure.values():
        if e.kind in ("constant", "lookup"):
            continue
        g.add_node(e.name)
        for d in e.deps:
            if structure[d].kind not in ("constant", "lookup"):
                g.add_edge(d, e.name)
    return g


def feedback_loops(structure: dict[str, Element], max_length: int = 14) -> list[list[str]]:
    """Every feedback loop (a cycle through at least one stock), shortest first, as variable lists."""
    g = dependency_graph(structure)
    loops = [c for c in nx.simple_cycles(g, length_bound=max_length)
             if any(structure[v].kind == "stock" for v in c)]
    loops = [_rotate(c, structure) for c in loops]
    return sorted(loops, key=lambda c: (len(c), c))


def _rotate(cycle: list[str], structure) -> list[str]:
    i = min((v, i) for i, v in enumerate(cycle) if structure[v].kind == "stock")[1]
    return cycle[i:] + cycle[:i]


def stock_flow_table(structure: dict[str, Element]) -> list[dict]:
    """One row per stock: name, units, inflows, outflows, documentation."""
    return [{"stock": e.name, "units": e.units, "inflows": e.inflows, "outflows": e.outflows, "doc": e.doc}
            for e in structure.values() if e.kind == "stock"]


def draw_diagram(structure: dict[str, Element], path=None, ax=None):
    """Stock-and-flow diagram: stocks as boxes, flows as arrows (between stocks or from/to clouds).

    Layout: stocks in file order on a grid; a flow that leaves one stock and enters another
    is drawn between them. Returns the matplotlib Figure.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .fonts import use_cjk_font

    use_cjk_font()
    stocks = [e for e in structure.values() if e.kind == "stock"]
    source_of = {f: s.name for s in stocks for f in s.outflows}
    chain = nx.DiGraph()
    chain.add_nodes_from(s.name for s in stocks)
    for s in stocks:
        for f in s.inflows:
            if f in source_of:
                chain.add_edge(source_of[f], s.name, flow=f)
    groups = [list(nx.topological_sort(chain.subgraph(c))) for c in nx.weakly_connected_components(chain)]
    order = {s.name: i for i, s in enumerate(stocks)}
    linked = sorted([g for g in groups if len(g) > 1], key=lambda g: order[g[0]])
    single = sorted([g[0] for g in groups if len(g) == 1], key=order.get)
    cols = 5
    rows = linked + [single[i:i + cols] for i in range(0, len(single), cols)]
    pos = {name: (j * 3.0, -i * 1.6) for i, row in enumerate(rows) for j, name in enumerate(row)}
    own = ax is None
    fig, ax = (plt.subplots(figsize=(12, 1.6 * len(rows) + 0.6)) if own else (ax.figure, ax))
    entering = {f for s in stocks for f in s.inflows}
    for s in stocks:
        x, y = pos[s.name]
        ax.add_patch(plt.Rectangle((x - 1.05, y - 0.3), 2.1, 0.6, fc="#dbe9f6", ec="#1f4e79", lw=1.2, zorder=3))
        ax.text(x, y, s.name, ha="center", va="center", fontsize=7.5, zorder=4)
        for f in s.inflows:
            if f not in source_of:
                ax.annotate("", xy=(x - 0.6, y + 0.3), xytext=(x - 0.6, y + 0.7),
                            arrowprops=dict(arrowstyle="-|>", color="#2e7d32", lw=1.0), zorder=2)
                ax.text(x - 0.55, y + 0.5, f, fontsize=5.5, color="#2e7d32", va="center")
                break
        for f in s.outflows:
            if f not in entering:
                ax.annotate("", xy=(x + 0.6, y - 0.7), xytext=(x + 0.6, y - 0.3),
                            arrowprops=dict(arrowstyle="-|>", color="#8b0000", lw=1.0), zorder=2)
                ax.text(x + 0.65, y - 0.5, f, fontsize=5.5, color="#8b0000", va="center")
                break
    for a, b, data in chain.edges(data=True):
        (x0, y0), (x1, y1) = pos[a], pos[b]
        rad = 0.0 if abs(x1 - x0) <= 3.01 else -0.25
        ax.annotate("", xy=(x1 - 1.05, y1), xytext=(x0 + 1.05, y0),
                    arrowprops=dict(arrowstyle="-|>", color="#c55a11", lw=1.5,
                                    connectionstyle=f"arc3,rad={rad}"), zorder=2)
        ax.text((x0 + x1) / 2, y0 + (0.08 if rad == 0 else -0.62), data["flow"], fontsize=5.5,
                color="#c55a11", ha="center")
    ax.set_xlim(-1.3, (cols - 1) * 3.0 + 1.3)
    ax.set_ylim(min(p[1] for p in pos.values()) - 0.9, 0.9)
    ax.axis("off")
    ax.set_title("Stocks (boxes) and flows: orange between stocks, green in from outside (first shown), red out", fontsize=9)
    if own:
        fig.tight_layout()
        if path:
            fig.savefig(path, dpi=130, metadata={"Software": None})
    return fig


GENERATED_START = "<!-- generated from the model file by `innosd describe --write`: do not edit by hand -->"
GENERATED_END = "<!-- end of generated section -->"


def markdown(structure: dict[str, Element], max_loops: int = 40) -> str:
    """The README section: stocks with their flows, and the feedback loops found in the equations."""
    lines = ["| stock | units | inflows | outflows |", "|---|---|---|---|"]
    for row in stock_flow_table(structure):
        lines.append(f"| {row['stock']} | {row['units']} | {', '.join(row['inflows']) or '–'} | "
                     f"{', '.join(row['outflows']) or '–'} |")
    loops = feedback_loops(structure)
    lines += ["", f"{len(loops)} feedback loops pass through at least one stock (shortest first"
              + (f", first {max_loops} shown" if len(loops) > max_loops else "") + "):", ""]
    for i, loop in enumerate(loops[:max_loops], 1):
        lines.append(f"{i}. " + " → ".join(loop + [loop[0]]))
    lines += ["", "![stock-and-flow diagram](structure.png)"]
    return "\n".join(lines)


def update_readme(model_path, readme_path, png_path) -> bool:
    """Rewrite the generated section of ``readme_path`` and the diagram; True when anything changed."""
    import matplotlib.pyplot as plt

    structure = read_structure(str(model_path))
    text = Path(readme_path).read_text(encoding="utf-8")
    head, rest = text.split(GENERATED_START, 1)
    _, tail = rest.split(GENERATED_END, 1)
    new = head + GENERATED_START + "\n" + markdown(structure) + "\n" + GENERATED_END + tail
    fig = draw_diagram(structure)
    fig.savefig(png_path, dpi=110, metadata={"Software": None})
    plt.close(fig)
    changed = new != text
    Path(readme_path).write_text(new, encoding="utf-8")
    return changed


def readme_section(readme_path) -> str:
    text = Path(readme_path).read_text(encoding="utf-8")
    return text.split(GENERATED_START, 1)[1].split(GENERATED_END, 1)[0].strip("\n")
