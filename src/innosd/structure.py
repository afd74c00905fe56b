"""The model's structure read from the .mdl file: variables, their causes, stocks and flows, feedback loops.

Everything here is derived from PySD's abstract model of the file (plus the file's own group
headers, which PySD drops), so the README, the diagram, the trace and the report always show the
equations that actually run. This module is the one reader of a model's structure; the diagram,
the tracer and the XMILE exporter (:mod:`innosd.diagram`) build on :func:`read_structure`.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import networkx as nx

from .errors import InputError

#: The name of the simulation clock, a built-in that every Vensim model has.
TIME = "Time"
#: Vensim's control variables (groups of their own in the file; never drawn as ordinary variables).
CONTROL = ("INITIAL TIME", "FINAL TIME", "TIME STEP", "SAVEPER")


@dataclass
class Element:
    """One model variable.

    Attributes
    ----------
    name : str
        The Vensim name as written in the file (``"sme pool"``).
    kind : str
        ``stock``, ``auxiliary``, ``constant``, ``lookup`` (a graphical function), ``control``
        (INITIAL TIME, FINAL TIME, TIME STEP, SAVEPER) or ``time`` (the built-in clock).
    units, doc : str
        Units and documentation as written in the file.
    deps : set of str
        The variables its value depends on while the model runs (for a stock: those in its rate).
    init_deps : set of str
        For a stock, the variables its initial value depends on; empty otherwise.
    inflows, outflows : list of str
        For a stock, the terms added to / subtracted from its rate (variable names when the term
        is a plain reference).
    equation : str
        The right-hand side as written (whitespace collapsed), e.g. ``"INTEG ( a - b, a0)"``.
    group : str
        The group (``.Name`` header in the file) the variable is defined under; ``""`` if none.
    ast, init_ast : object
        PySD's abstract syntax of the equation (for a stock: of its rate and of its initial value).
    """

    name: str
    kind: str
    units: str
    doc: str
    deps: set[str] = field(default_factory=set)
    inflows: list[str] = field(default_factory=list)
    outflows: list[str] = field(default_factory=list)
    init_deps: set[str] = field(default_factory=set)
    equation: str = ""
    group: str = ""
    ast: object = field(default=None, repr=False, compare=False)
    init_ast: object = field(default=None, repr=False, compare=False)

    @property
    def causes(self) -> set[str]:
        """Every variable its equation names (rate and initial value)."""
        return self.deps | self.init_deps


class Structure(dict):
    """Vensim name -> :class:`Element`, in file order; ``path`` is the model file it was read from."""

    path: Path | None = None


def read_structure(path) -> Structure:
    """Vensim name -> :class:`Element` for every variable of the model at ``path``, in file order.

    The result is cached per file, size and modification time; ``Time`` is included as an element
    of kind ``time`` when the equations use it.
    """
    p = Path(path).resolve()
    st = p.stat()
    return _read(str(p), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=8)
def _read(path: str, _mtime: int, _size: int) -> Structure:
    from pysd.translators.vensim.vensim_file import VensimFile

    from .model import model_errors

    try:
        # model_errors turns a syntax error into one line with the line and column of the fault
        with model_errors(path), warnings.catch_warnings():  # PySD warns about files without an encoding line
            warnings.simplefilter("ignore", UserWarning)
            vf = VensimFile(Path(path))
            vf.parse()
    except (ValueError, KeyError, IndexError) as exc:  # how PySD reports other faults of a file
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]
        raise InputError(path, "", f"PySD cannot read the equations ({first})",
                         "open the file in Vensim and fix the equation it points at") from None
    texts = {_norm(c.name): c.expression for c in vf.sections[0].components}
    groups = file_groups(Path(path).read_text(encoding="utf-8", errors="replace"))
    out = Structure()
    out.path = Path(path)
    for el in vf.get_abstract_model().sections[0].elements:
        ast = el.components[0].ast
        control = type(el).__name__ == "AbstractControlElement"
        e = Element(el.name, "control" if control else _kind(ast), str(el.units or ""),
                    str(el.documentation or "").strip(), equation=texts.get(_norm(el.name), ""),
                    group=groups.get(_norm(el.name), ""), ast=ast)
        if type(ast).__name__ == "IntegStructure":
            e.inflows, e.outflows = _signed_terms(ast.flow)
            e.deps, e.init_deps = _refs(ast.flow), _refs(ast.initial)
            e.ast, e.init_ast = ast.flow, ast.initial
        else:
            e.deps = _refs(ast)
        out[el.name] = e
    names = {_norm(n): n for n in out}
    if any("time" in e.causes for e in out.values()):
        out[TIME] = Element(TIME, "time", "", "The simulation clock (a Vensim built-in).")
        names["time"] = TIME
    for e in out.values():
        e.deps = {names[_norm(d)] for d in e.deps if _norm(d) in names}
        e.init_deps = {names[_norm(d)] for d in e.init_deps if _norm(d) in names}
        e.inflows = [names.get(_norm(f), f) for f in e.inflows]
        e.outflows = [names.get(_norm(f), f) for f in e.outflows]
    return out


_GROUP = re.compile(r"\*{3,}[ \t]*\r?\n\s*\.([^\r\n]*)")


def file_groups(text: str) -> dict[str, str]:
    """Normalised variable name -> group name, from the ``.Group`` headers of a Vensim file's text.

    Vensim writes a group as a comment entry whose first line (after a row of asterisks) starts
    with a dot. PySD drops these entries, so they are read here from the raw equations text.
    """
    body = text.split("\\\\\\---///", 1)[0]
    out: dict[str, str] = {}
    group = ""
    for chunk in _entries(body):
        m = _GROUP.match(chunk.strip())
        if m:
            group = m.group(1).strip()
            continue
        head = re.match(r'\s*(?:\{[^}]*\}\s*)*("(?:[^"\\]|\\.)*"|[^=(\[:~|]+)', chunk)
        if head and head.group(1).strip():
            out.setdefault(_norm(head.group(1).strip().strip('"')), group)
    return out


def _entries(body: str):
    """The ``|``-terminated entries of a Vensim equations text (``|`` inside quotes ignored)."""
    start, quoted = 0, False
    for i, ch in enumerate(body):
        if ch == '"':
            quoted = not quoted
        elif ch == "|" and not quoted:
            yield body[start:i]
            start = i + 1


def _kind(ast) -> str:
    name = type(ast).__name__
    if name == "IntegStructure":
        return "stock"
    if name == "LookupsStructure":
        return "lookup"
    if isinstance(ast, (int, float)) or (name == "ArithmeticStructure" and ast.operators == ["negative"]
                                          and isinstance(ast.arguments[0], (int, float))):
        return "constant"
    return "auxiliary"


def _refs(node) -> set[str]:
    """Names referenced anywhere in an abstract expression (lookups called as ``f(x)`` included)."""
    found = set()
    stack = [node]
    while stack:
        n = stack.pop()
        cls = type(n).__name__
        if cls == "ReferenceStructure":
            found.add(n.reference)
        elif cls == "CallStructure" and type(n.function).__name__ == "ReferenceStructure":
            found.add(n.function.reference)
            stack.extend(n.arguments)
            continue
        if hasattr(n, "__dataclass_fields__"):
            stack.extend(getattr(n, f) for f in n.__dataclass_fields__)
        elif isinstance(n, (list, tuple)):
            stack.extend(n)
    return found


def norm(name: str) -> str:
    """Vensim's identity of a name: case, underscores and repeated blanks do not matter."""
    return _norm(name)


def _norm(name: str) -> str:
    return " ".join(name.replace("_", " ").lower().split())


def _signed_terms(flow) -> tuple[list[str], list[str]]:
    """Split an INTEG rate ``a + b - c`` into inflows [a, b] and outflows [c] (names only)."""
    cls = type(flow).__name__
    if cls == "ReferenceStructure":
        return [flow.reference], []
    if cls == "ArithmeticStructure" and flow.operators == ["negative"]:
        ins, outs = _signed_terms(flow.arguments[0])
        return outs, ins
    if cls == "ArithmeticStructure" and set(flow.operators) <= {"+", "-"}:
        ins, outs = [], []
        signs = ["+"] + list(flow.operators)
        for sign, arg in zip(signs, flow.arguments, strict=True):
            a_in, a_out = _signed_terms(arg)
            (ins if sign == "+" else outs).extend(a_in)
            (outs if sign == "+" else ins).extend(a_out)
        return ins, outs
    return [], []


def dependency_graph(structure: dict[str, Element]) -> nx.DiGraph:
    """Directed graph cause -> effect over stocks and auxiliaries (constants, lookups, Time left out).

    Only the links that act while the model runs: a stock's initial value is not a link.
    """
    static = ("constant", "lookup", "control", "time")
    g = nx.DiGraph()
    for e in structure.values():
        if e.kind in static:
            continue
        g.add_node(e.name)
        for d in e.deps:
            if structure[d].kind not in static:
                g.add_edge(d, e.name)
    return g


def feedback_loops(structure: dict[str, Element], max_length: int = 14) -> list[list[str]]:
    """Every feedback loop (a cycle through at least one stock), shortest first, as variable lists.

    Each loop starts at its alphabetically first stock and follows the direction of causation.
    """
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
