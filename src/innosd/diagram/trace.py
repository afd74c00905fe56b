"""Causes and uses trees of a model variable, like Vensim's Causes Tree and Uses Tree, with equations.

``innosd trace VARIABLE`` prints the variable's equation, then the equation of each variable it
depends on, and of theirs, down to constants (or ``depth`` levels). A variable already shown is
printed once more as ``(see above)`` and not expanded again, so feedback loops end. ``--uses``
prints the tree the other way: what the variable drives, and what that drives.
"""

from __future__ import annotations

import difflib
import re

from ..errors import InputError
from ..structure import Element, norm

BRANCH, LAST, PIPE, SPACE = "├── ", "└── ", "│   ", "    "


def resolve(structure: dict[str, Element], query: str, zh: dict[str, str] | None = None, where: str = "",
            aliases: dict[str, str] | None = None) -> str:
    """The model variable ``query`` names: its Vensim name, Python name (underscores) or Chinese name.

    Parameters
    ----------
    structure : dict
        :func:`innosd.structure.read_structure` of the model.
    query : str
        What the user typed.
    zh : dict, optional
        English name -> Chinese name.
    where : str
        The model file, for the error message.
    aliases : dict, optional
        Other names -> Vensim or Python name (e.g. the indicators' Chinese labels).

    Raises
    ------
    InputError
        When no variable has that name; the message suggests the closest names.
    """
    zh = zh or {}
    by_norm = {norm(n): n for n in structure}
    by_zh = {v.strip(): k for k, v in zh.items() if k in structure}
    for alias, target in (aliases or {}).items():
        if norm(target) in by_norm and alias.strip() not in by_zh and norm(alias) not in by_norm:
            by_zh[alias.strip()] = by_norm[norm(target)]
    q = query.strip()
    if norm(q) in by_norm:
        return by_norm[norm(q)]
    if q in by_zh:
        return by_zh[q]
    keys = list(by_norm) + list(by_zh)
    close = difflib.get_close_matches(norm(q), keys, n=3, cutoff=0.5) or [k for k in by_zh if q and q in k][:3]
    shown = [by_norm.get(k, k) for k in close]
    fix = ("did you mean " + " or ".join(f"'{s}'" for s in shown) + "?") if shown else \
        "see the variables with `innosd describe` (names are case-insensitive; Chinese names work too)"
    raise InputError(where or "model", query, "no such variable in the model", fix)


def _equation(e: Element) -> str:
    if e.kind == "time":
        return "the simulation clock"
    text = " ".join(e.equation.split())
    if e.kind == "lookup":
        m = re.fullmatch(r"\(\s*(.*?)\s*\)", text.strip())
        return "LOOKUP " + (m.group(1) if m else text)
    text = re.sub(r"^INTEG \( ", "INTEG(", text)
    return text


def _tags(e: Element) -> str:
    kind = "lever" if e.doc.startswith("LEVER") else e.kind
    return f"[{kind}{', ' + e.units if e.units else ''}]"


def _ordered(names: set[str], equation: str) -> list[str]:
    """``names`` in the order they appear in ``equation`` (then alphabetically)."""
    text = norm(equation)

    def at(n):
        m = re.search(r"(?<![\w])" + re.escape(norm(n)) + r"(?![\w])", text)
        return m.start() if m else len(text)
    return sorted(names, key=lambda n: (at(n), n))


def tree(structure: dict[str, Element], name: str, depth: int | None = None, uses: bool = False,
         zh: dict[str, str] | None = None) -> list[str]:
    """The lines of the causes tree (or, with ``uses``, the uses tree) of ``name``.

    Parameters
    ----------
    structure : dict
        :func:`innosd.structure.read_structure` of the model.
    name : str
        A variable of the model (see :func:`resolve`).
    depth : int, optional
        Levels below ``name`` to show (default: all, down to constants).
    uses : bool
        Show what ``name`` drives instead of what drives it.
    zh : dict, optional
        Chinese names, shown after each variable's name.

    Returns
    -------
    list of str
        One line per node: ``name = equation  [kind, units]``, indented as a tree.
    """
    zh = zh or {}
    users: dict[str, set[str]] = {n: set() for n in structure}
    for n, e in structure.items():
        for c in e.causes:
            users[c].add(n)
    shown: set[str] = set()
    lines: list[str] = []

    def label(n):
        e = structure[n]
        cn = f" ({zh[n]})" if n in zh else ""
        eq = _equation(e)
        return f"{n}{cn} = {eq}  {_tags(e)}" if e.kind != "time" else f"{n}{cn}  ({eq})"

    def children(n):
        if uses:
            return sorted(users[n], key=lambda u: list(structure).index(u))
        return _ordered(structure[n].causes, structure[n].equation)

    def walk(n, prefix, connector, level):
        kids = children(n)
        if n in shown and kids:
            lines.append(prefix + connector + f"{n}  (see above)")
            return
        shown.add(n)
        if depth is not None and level == depth and kids:
            what = ("use" if uses else "cause") + ("" if len(kids) == 1 else "s")
            lines.append(prefix + connector + label(n) + f"  … ({len(kids)} more {what})")
            return
        lines.append(prefix + connector + label(n))
        child_prefix = prefix + ("" if not connector else (SPACE if connector == LAST else PIPE))
        for i, k in enumerate(kids):
            walk(k, child_prefix, LAST if i == len(kids) - 1 else BRANCH, level + 1)

    walk(name, "", "", 0)
    return lines
