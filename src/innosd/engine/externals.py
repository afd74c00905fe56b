"""Constants, lookups and data read from files, through PySD's own loaders.

GET XLS/DIRECT CONSTANTS, LOOKUPS and DATA and Vensim ``:DATA:`` variables are
loaded once, when the model is compiled, by the PySD objects its Python
builder would create (``ExtConstant``, ``ExtLookup``, ``ExtData``,
``TabData``, ``HardcodedLookups``), so file formats, cell ranges, missing
values and interpolation of partial tables follow PySD exactly.  The engine
keeps plain arrays: constants (dims), tables x (K,) and y (K, *dims), data
times (T,) and values (T, *dims).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
from pysd.py_backend.data import TabData
from pysd.py_backend.external import ExtConstant, ExtData, ExtLookup
from pysd.py_backend.lookups import HardcodedLookups
from pysd.translators.structures import abstract_expressions as ae


class ExternalError(Exception):
    """A file a model reads is missing or unreadable (message from PySD's loader, one line)."""

    def __init__(self, message: str):
        super().__init__(" ".join(str(message).split()))


def _values(data, coords: dict, lead: str | None) -> np.ndarray:
    """Values of PySD's DataArray ``data`` ordered as (lead, *coords)."""
    dims = ([lead] if lead else []) + list(coords)
    if not hasattr(data, "transpose"):
        return np.asarray(data, dtype=float)
    return np.asarray(data.transpose(*dims).values, dtype=float)


def _load(obj, what: str):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            obj.initialize()
        except (OSError, ValueError, KeyError, IndexError) as err:
            raise ExternalError(f"{what}: {err}") from None
    return obj


def constant(ast: ae.GetConstantsStructure, coords: dict, root: Path, name: str) -> np.ndarray:
    """GET XLS/DIRECT CONSTANTS of one component over ``coords``; array (*coords)."""
    obj = ExtConstant(ast.file, ast.tab, ast.cell, coords, root, coords, name)
    return _values(_load(obj, name).data, coords, None)


def lookups(parts, final: dict, root: Path, name: str) -> tuple:
    """Table of a lookup element: x (K,), y (K, *final).

    ``parts`` is a list of (ast, coords) per component: all
    :class:`LookupsStructure` (tables in the file) or all
    :class:`GetLookupsStructure` (tables in a spreadsheet).
    """
    first = parts[0][0]
    if isinstance(first, ae.LookupsStructure):
        obj = HardcodedLookups(list(first.x), list(first.y), parts[0][1], first.type,
                               final, name)
        for ast, coords in parts[1:]:
            obj.add(list(ast.x), list(ast.y), coords)
    else:
        obj = ExtLookup(first.file, first.tab, first.x_row_or_col, first.cell, parts[0][1],
                        root, final, name)
        for ast, coords in parts[1:]:
            obj.add(ast.file, ast.tab, ast.x_row_or_col, ast.cell, coords)
    data = _load(obj, name).data
    x = np.asarray(data["lookup_dim"].values, dtype=float)
    return x, _values(data, final, "lookup_dim")


def data(parts, keyword, final: dict, root: Path, name: str, py: str, data_files) -> tuple:
    """Time series of a data element: times (T,), values (T, *final), interpolation method.

    ``parts`` is a list of (ast, coords): :class:`GetDataStructure` per component,
    or one :class:`DataStructure` (``:DATA:``, read from ``data_files``).
    """
    first = parts[0][0]
    if isinstance(first, ae.DataStructure):
        if not data_files:
            raise ExternalError("no file holds its series: pass data_files (innosd simulate "
                                "--data FILE)")
        obj = TabData(name, py, final, keyword)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                obj.load_data([Path(f) for f in data_files])
            except (OSError, ValueError, KeyError) as err:
                raise ExternalError(f"{name}: {err}") from None
        method = obj.interp
    else:
        obj = ExtData(first.file, first.tab, first.time_row_or_col, first.cell, keyword,
                      parts[0][1], root, final, name)
        for ast, coords in parts[1:]:
            obj.add(ast.file, ast.tab, ast.time_row_or_col, ast.cell, keyword, coords)
        method = obj.interp
        _load(obj, name)
    times = np.asarray(obj.data["time"].values, dtype=float)
    return times, _values(obj.data, final, "time"), method
