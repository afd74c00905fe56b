r"""Vensim's sketch format: the data model of a diagram, its writer, its reader, and the .mdl splice.

The sketch section follows the equations of a ``.mdl`` file, between the line that starts with
``\\\---///`` and the line ``///---\\\``. Each view starts with ``*Title`` and a font line,
then one object per line (PySD's grammar: ``pysd/translators/vensim/parsing_grammars/sketch.peg``):

- ``10,id,name,x,y,w,h,shape,bits,…`` a variable: shape 3 a stock (box), 8 an auxiliary
  (plain name), 40 the name of a flow (attached to the valve written just before it); an even
  ``bits`` field marks a shadow variable (``<name>``, defined in another view);
- ``11,id,0,x,y,w,h,34|33,…`` a valve (34 on a horizontal pipe, 33 on a vertical one);
- ``12,id,48,x,y,…`` a cloud; ``12,id,0,x,y,…`` a comment whose text is on the next line
  (used here for the loop identifiers R1, B2, …);
- ``1,id,from,to,shape,hidden,polarity,thickness,…,n|(x,y)|…`` an arrow: a pipe (thickness
  22) runs from a valve to the stock or cloud at one end (shape 4 draws the arrowhead, i.e.
  the sink; 100 the source); an information arrow is an arc from its tail through the point
  to its head, ``polarity`` the character code of ``+`` or ``-``.

``x, y`` are centres and ``w, h`` half sizes, in Vensim's pixels, y downwards.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

START = "\\\\\\---///"
END = "///---\\\\\\"
START_LINE = START + " Sketch information - do not modify anything except names"
VERSION_LINE = "V300  Do not put anything below this section - it will be ignored"
VIEW_FONT = "$192-192-192,0,Times New Roman|12||0-0-0|0-0-0|0-0-255|-1--1--1|-1--1--1|96,96,100,0"
SHADOW_STYLE = "128-128-128,0-0-0,|12||128-128-128"
LOOP_STYLE = "-1--1--1,0-0-0,|12|B|128-0-0"
POLARITY_CODES = {"+": 43, "-": 45}


@dataclass
class Item:
    """One object of a view: a variable, a valve, a cloud or a comment.

    Attributes
    ----------
    id : int
        Number within the view.
    type : str
        ``variable``, ``valve``, ``cloud`` or ``comment``.
    x, y, w, h : int
        Centre and half sizes, Vensim pixels (y grows downwards).
    name : str
        The variable's name, or the comment's text.
    shape : int
        Vensim's shape code (3 stock, 8 auxiliary, 40 flow name, 34/33 valve, 0 cloud).
    shadow : bool
        A shadow variable (drawn ``<name>``; defined in another view).
    style : str
        Colour and font fields after the fixed ones, verbatim (``""`` for the defaults).
    """

    id: int
    type: str
    x: int
    y: int
    w: int
    h: int
    name: str = ""
    shape: int = 8
    shadow: bool = False
    style: str = ""

    @property
    def role(self) -> str:
        """``stock``, ``flow``, ``aux``, ``valve``, ``cloud`` or ``comment``."""
        if self.type != "variable":
            return self.type
        return "stock" if self.shape == 3 else "flow" if self.shape & 32 else "aux"

    @property
    def box(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of the object."""
        return (self.x - self.w, self.y - self.h, self.x + self.w, self.y + self.h)


@dataclass
class Arrow:
    """A pipe or an information arrow (see the module notes for the fields)."""

    id: int
    src: int
    dst: int
    pipe: bool
    head: bool = True
    polarity: str = ""
    points: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class View:
    """One view: a title, its objects and arrows."""

    title: str
    items: list[Item] = field(default_factory=list)
    arrows: list[Arrow] = field(default_factory=list)

    def by_id(self) -> dict[int, Item]:
        """Object id -> object."""
        return {it.id: it for it in self.items}

    def valve_flows(self) -> dict[int, Item]:
        """Valve id -> the flow-name variable attached to it (the variable written right after it)."""
        out = {}
        for a, b in itertools.pairwise(self.items):
            if a.type == "valve" and b.type == "variable" and b.shape & 32:
                out[a.id] = b
        return out

    def variable_at(self, id_: int) -> str | None:
        """The variable an arrow end ``id_`` stands for (a valve stands for its flow), or None."""
        it = self.by_id().get(id_)
        if it is None:
            return None
        if it.type == "valve":
            flow = self.valve_flows().get(id_)
            return flow.name if flow else None
        return it.name if it.type == "variable" else None


@dataclass
class Sketch:
    """All views of a model's diagram."""

    views: list[View] = field(default_factory=list)


def _name_field(name: str) -> str:
    return f'"{name}"' if ("," in name or '"' in name) else name


def format_sketch(sketch: Sketch) -> str:
    """The sketch as Vensim text (from the version line to the last object, newline-terminated)."""
    lines = [VERSION_LINE]
    for view in sketch.views:
        lines += [f"*{view.title}", VIEW_FONT]
        for it in view.items:
            lines += _format_item(it)
        for a in view.arrows:
            pts = "".join(f"({x},{y})|" for x, y in a.points)
            if a.pipe:
                lines.append(f"1,{a.id},{a.src},{a.dst},{4 if a.head else 100},0,0,22,0,0,0,-1--1--1,,"
                             f"{len(a.points)}|{pts}")
            else:
                pol = POLARITY_CODES.get(a.polarity, 0)
                lines.append(f"1,{a.id},{a.src},{a.dst},1,0,{pol},0,0,64,0,-1--1--1,,{len(a.points)}|{pts}")
    return "\n".join(lines) + "\n"


def _format_item(it: Item) -> list[str]:
    geo = f"{it.x},{it.y},{it.w},{it.h}"
    tail = f",{it.style}" if it.style else ""
    if it.type == "variable":
        bits, font = (2, 3) if it.shadow else (3, 16 if it.style else 0)
        pos = 0 if it.shape == 3 else -1
        return [f"10,{it.id},{_name_field(it.name)},{geo},{it.shape},{bits},0,{font},{pos},0,0,0{tail}"]
    if it.type == "valve":
        return [f"11,{it.id},0,{geo},{it.shape},3,0,0,{1 if it.shape == 34 else 4},0,0,0"]
    if it.type == "cloud":
        return [f"12,{it.id},48,{geo},0,3,0,0,-1,0,0,0"]
    return [f"12,{it.id},0,{geo},8,135,0,18,-1,0,0,0{tail}", it.name]


_VAR = re.compile(r'^10,(\d+),("(?:[^"\\]|\\.)*"|[^,]*),(-?\d+),(-?\d+),(\d+),(\d+),(\d+),(\d+),(-?\d+),(-?\d+),'
                  r'(-?\d+),(-?\d+),(-?\d+),(-?\d+)(?:,(.*))?$')
_OBJ = re.compile(r"^(11|12),(\d+),(\d+),(-?\d+),(-?\d+),(\d+),(\d+),(\d+),(\d+),(.*)$")
_ARROW = re.compile(r"^1,(\d+),(\d+),(\d+),(\d+),(\d+),(\d+),(\d+),(\d+),(\d+),(\d+),"
                    r".*?(\d+)\|((?:\(-?\d+,-?\d+\)\|)*)$")


def parse_sketch(text: str) -> Sketch:
    """Read Vensim sketch text (the part between the start and end lines) into a :class:`Sketch`.

    Objects this reader does not know (graphs, buttons, …) are skipped.
    """
    sketch = Sketch()
    view = None
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].rstrip("\r")
        i += 1
        if line.startswith("*"):
            view = View(line[1:].strip())
            sketch.views.append(view)
            continue
        if view is None:
            continue
        if m := _VAR.match(line):
            name = m.group(2)
            name = name[1:-1] if name.startswith('"') else name
            view.items.append(Item(int(m.group(1)), "variable", *map(int, m.group(3, 4, 5, 6)), name=name,
                                   shape=int(m.group(7)), shadow=int(m.group(8)) % 2 == 0,
                                   style=m.group(15) or ""))
        elif m := _OBJ.match(line):
            code, id_, kind = m.group(1), int(m.group(2)), m.group(3)
            x, y, w, h, shape = map(int, m.group(4, 5, 6, 7, 8))
            if code == "11":
                view.items.append(Item(id_, "valve", x, y, w, h, shape=shape))
            elif kind == "48":
                view.items.append(Item(id_, "cloud", x, y, w, h, shape=shape))
            elif kind == "0" and i < len(lines):
                fields = m.group(10).split(",")
                style = ",".join(fields[6:]) if len(fields) > 6 else ""
                view.items.append(Item(id_, "comment", x, y, w, h, name=lines[i].rstrip("\r"), shape=shape,
                                       style=style))
                i += 1
        elif m := _ARROW.match(line):
            id_, src, dst, shape, _hid, pol, thick = map(int, m.group(1, 2, 3, 4, 5, 6, 7))
            pts = [tuple(map(int, p.split(","))) for p in re.findall(r"\((-?\d+,-?\d+)\)", m.group(12))]
            polarity = {v: k for k, v in POLARITY_CODES.items()}.get(pol, "")
            view.arrows.append(Arrow(id_, src, dst, pipe=thick == 22, head=shape != 100, polarity=polarity,
                                     points=pts))
    return sketch


def split_model_text(text: str) -> tuple[str, str, str]:
    """(equations with the sketch's start line, sketch text, the end line and what follows it).

    The first part is everything up to and including the line that starts the sketch, so
    ``head + sketch + tail`` is the file again and ``head`` keeps the equations byte for byte.
    A file without a sketch gets a start line appended to ``head`` and Vensim's usual ending.
    """
    at = text.find(START)
    if at < 0:
        sep = "" if text.endswith("\n") else "\n"
        return text + sep + START_LINE + "\n", "", END + "\n:L<%^E!@\n"
    eol = text.find("\n", at)
    head = text[:eol + 1] if eol >= 0 else text + "\n"
    rest = text[eol + 1:] if eol >= 0 else ""
    end = rest.find(END)
    if end < 0:
        return head, rest, ""
    return head, rest[:end], rest[end:]


def read_sketch_text(mdl_path) -> str:
    """The sketch text of the model file at ``mdl_path`` ("" when it has none)."""
    return split_model_text(_read(mdl_path))[1]


def read_sketch(mdl_path) -> Sketch:
    """The parsed sketch of the model file at ``mdl_path``."""
    return parse_sketch(read_sketch_text(mdl_path))


def write_sketch_text(mdl_path, sketch_text: str) -> bool:
    """Replace the sketch of the model file with ``sketch_text``; the equations stay byte for byte.

    Returns
    -------
    bool
        True when the file changed.
    """
    old = _read(mdl_path)
    head, _, tail = split_model_text(old)
    new = head + sketch_text + tail
    if new == old:
        return False
    tmp = Path(mdl_path).with_suffix(".mdl.tmp")
    tmp.write_bytes(new.encode("utf-8", errors="surrogateescape"))
    tmp.replace(mdl_path)
    return True


def _read(mdl_path) -> str:
    p = Path(mdl_path)
    if not p.is_file():
        raise InputError(str(p), "", "model file not found", "pass the path of a Vensim .mdl file")
    return p.read_bytes().decode("utf-8", errors="surrogateescape")
