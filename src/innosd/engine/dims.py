"""Subscripts: ranges, subranges, mappings, and references to arrays as NumPy indexing.

Every equation is computed in a *frame*: the ordered dimensions of the component
being defined (``{dimension name: element names}``).  A value in a frame of k
dimensions is either a true scalar (same for every member and element) or an
array of ndim k + 1 (members first) whose axes follow the frame order, an axis
being full length or 1 (broadcast).  :func:`Dims.reference` turns a
subscripted reference such as ``y[sub1, b2]`` into indexing of ``y``'s value
(selection of elements, subranges, mapped and transposed dimensions) so that
the result is aligned to the frame, with PySD's rules
(``pysd.builders.python.python_expressions_builder.ReferenceBuilder``).
"""

from __future__ import annotations

import warnings

import numpy as np
from pysd.builders.python.subscripts import SubscriptManager


class SubscriptError(Exception):
    """A reference the engine cannot align; the translator reports it per variable."""


class Dims:
    """The subscript ranges of a model section (PySD's ``SubscriptManager`` underneath).

    Parameters
    ----------
    abstract_subscripts : sequence of AbstractSubscriptRange
        From the section of PySD's abstract model.
    root : Path
        Folder of the model file (ranges read from spreadsheets are relative to it).
    """

    def __init__(self, abstract_subscripts, root):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.sm = SubscriptManager(list(abstract_subscripts), root)

    @property
    def ranges(self) -> dict:
        """Range name -> element names, for every range and subrange."""
        return self.sm.subscripts

    def coord_dict(self, subs) -> dict:
        """``{dimension: elements}`` of a list of subscripts (ranges, elements or ``A!``)."""
        try:
            return self.sm.make_coord_dict(list(subs))
        except KeyError as err:
            raise SubscriptError(f"unknown subscript {err}") from None

    def merge(self, subs_list, element: str) -> list:
        """Dimension names of a variable defined by components over ``subs_list``."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return self.sm.make_merge_list([list(s) for s in subs_list], element)

    def number(self, name: str):
        """Value of a subscript name used as a number: (positions 1.., range name or None)."""
        found = self.sm.subscript2num.get(name)
        if found is None:
            return None
        _, coords = found
        if not coords:
            return float(eval(found[0])), None  # position of one element ('3')
        (dim, elements), = coords.items()
        main = next(r for r, subs in self.sm.subranges.items()
                    if r == dim or dim in subs)
        positions = [self.ranges[main].index(e) + 1 for e in elements]
        return np.array(positions, dtype=float), dim

    # ---------------------------------------------------------------- references
    def reference(self, base: str, var_subs: dict, ref_subs, frame: dict, arrays) -> tuple:
        """Code of ``base`` (an array (lead, *var dims)) referenced as ``ref_subs`` in ``frame``.

        Parameters
        ----------
        base : str
            Code of the referenced array; axis 0 is members (or table points).
        var_subs : dict
            The referenced variable's dimensions ``{name: elements}`` in axis order.
        ref_subs : list of str or None
            Subscripts written in the reference (None: the variable's own dimensions).
        frame : dict
            Dimensions of the equation being computed.
        arrays : callable
            Registers a constant index array and returns its code.

        Returns
        -------
        (str, tuple)
            Code of the aligned array and the frame dimensions it varies along, in
            the order of the reference.
        """
        ref_subs = list(var_subs) if not ref_subs else list(ref_subs)
        coords = self.coord_dict(ref_subs)
        if len(coords) != len(ref_subs):
            raise SubscriptError("a subscript range repeated in one reference")
        if len(coords) != len(var_subs):
            raise SubscriptError(f"{len(coords)} subscripts for a variable of "
                                 f"{len(var_subs)} dimensions")
        picks, names = [], []
        for (dim, coord), (_, own) in zip(coords.items(), var_subs.items(), strict=True):
            if len(coord) == 1:
                if coord[0] not in own:
                    raise SubscriptError(f"element '{coord[0]}' is not a subscript of the variable")
                picks.append(own.index(coord[0]))
                continue
            positions, name = self._range_positions(dim, coord, own, coords, frame)
            picks.append((positions, len(own)))
            names.append(name)
        if len(set(names)) != len(names):
            raise SubscriptError("two dimensions of the reference map to one")
        return _index_code(base, picks, names, list(frame), arrays), tuple(names)

    def _range_positions(self, dim, coord, own, coords, frame) -> tuple[np.ndarray, str]:
        """Where a referenced range ``dim`` falls in the variable's dimension ``own``, and the frame axis it maps to.

        Returns the positions (in the order of that frame axis) and the axis's name.
        """
        if len(coord) < len(own):
            missing = [c for c in coord if c not in own]
            if missing:
                raise SubscriptError(f"elements {missing} are not subscripts of the variable")
            positions = np.array([own.index(c) for c in coord])
        elif len(coord) == len(own):
            positions = np.arange(len(own))
        else:
            raise SubscriptError(f"range '{dim}' is longer than the variable's dimension")
        name, labels = self._mapped(dim, coord, coords, frame)
        if len(labels) != len(positions):
            raise SubscriptError(f"mapping '{dim}' -> '{name}' changes the length")
        if name not in frame:
            raise SubscriptError(f"dimension '{name}' is not a subscript of the equation")
        if list(frame[name]) != list(labels):
            extra = [c for c in frame[name] if c not in labels]
            if extra:
                raise SubscriptError(f"elements {extra} of '{name}' not in the reference")
            positions = positions[[labels.index(c) for c in frame[name]]]
        return positions, name

    def _mapped(self, dim, coord, coords, frame):
        """Name and elements of a reference dimension after PySD's mapping rule."""
        if dim in frame or dim.endswith("!"):
            return dim, list(coord)
        for mapped in self.sm.mapping.get(dim, []):
            if mapped in frame and mapped not in coords:
                return mapped, list(self.ranges[mapped])
        return dim, list(coord)


def _index_code(base, picks, names, frame_order, arrays) -> str:
    """Index by position, np.take scattered selections, transpose, add new axes."""
    basic, takes, kept = [":"], [], 0
    for pick in picks:
        if isinstance(pick, int):
            basic.append(str(pick))
            continue
        kept += 1
        pick, length = pick
        n = len(pick)
        if n and np.array_equal(pick, np.arange(pick[0], pick[0] + n)):
            full = pick[0] == 0 and n == length
            basic.append(":" if full else f"{pick[0]}:{pick[0] + n}")
        else:
            basic.append(":")
            takes.append((kept, pick))
    code = base
    while basic and basic[-1] == ":":
        basic.pop()
    if len(basic) > 1:
        code = "{}[{}]".format(code, ", ".join(basic))
    for axis, pick in takes:
        code = f"np.take({code}, {arrays(np.asarray(pick, dtype=np.intp))}, axis={axis})"
    order = [f for f in frame_order if f in names]
    perm = [0] + [1 + names.index(f) for f in order]
    if perm != list(range(len(perm))):
        code = "{}.transpose({})".format(code, ", ".join(map(str, perm)))
    if len(order) < len(frame_order):
        code = "{}[{}]".format(code, ", ".join(
            [":"] + [":" if f in names else "None" for f in frame_order]))
    return code

