"""Checks every part of a scenario file shares: required keys, numbers, "did you mean", verbatim quotes.

Each check raises :class:`~innosd.errors.InputError` naming the file ``f`` (as shown to the user), the
field and the fix. :mod:`innosd.scenario` (the top-level keys, parameters, levers),
:mod:`innosd.scenario_targets` (targets) and the ``costs:``/``optimise:`` blocks
(:mod:`innosd.optimise`) use them, so a planner reads the same kind of message for every field.
"""

from __future__ import annotations

import difflib
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import paths
from .errors import InputError

MAX_YEAR = 2035  #: the last year a scenario's horizon may reach (the model's lever tables end here)
MAX_SEED = 2**63  #: seeds are whole numbers 0 <= seed < MAX_SEED (what NumPy's generators and int64 columns hold)


def require(f: str, d: dict, key: str, typ, prefix: str = "") -> Any:
    """The value of a key a mapping must have.

    Parameters
    ----------
    f : str
        The scenario file, as shown in messages.
    d : dict
        The mapping read from YAML.
    key : str
        The required key.
    typ : type or None
        ``str`` to require text (a YAML number is accepted and turned into text); None for any value.
    prefix : str, optional
        The field path of ``d`` (e.g. ``targets[3]``), for messages.

    Returns
    -------
    object
        ``d[key]``, as ``str`` when ``typ`` is ``str``.

    Raises
    ------
    innosd.errors.InputError
        When the key is missing or null, or is not text where text is required.
    """
    fld = f"{prefix}.{key}" if prefix else key
    if key not in d or d[key] is None:
        raise InputError(f, fld, "missing", f"add '{key}:' (see scenarios/README.md)")
    if typ is str and not isinstance(d[key], (str, int)):
        raise InputError(f, fld, f"must be text, got {type(d[key]).__name__}", f"write {key}: some-text")
    return str(d[key]) if typ is str else d[key]


def number(f: str, fld: str, value: Any, integer: bool = False, example: str = "a year such as 2022") -> Any:
    """A finite number from YAML (booleans, text and inf/nan refused).

    Parameters
    ----------
    f, fld : str
        The file as shown, and the field, for messages.
    value : object
        The value read from YAML.
    integer : bool, default False
        Require a whole number (a year, a sample size); ``2022.0`` is accepted as 2022.
    example : str, default "a year such as 2022"
        What the fix of a whole number suggests (e.g. "a seed such as 1").

    Returns
    -------
    int or float
        ``int`` when ``integer``, else ``float``.

    Raises
    ------
    innosd.errors.InputError
        When ``value`` is not a finite number (or not whole, with ``integer``).
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f, fld, f"must be a number, got {short(value)}",
                         "write a plain number without quotes or units" + (f" ({example})" if integer else ""))
    try:
        finite = math.isfinite(float(value))
    except OverflowError:  # a YAML integer too large for a float
        finite = False
    if not finite:
        raise InputError(f, fld, "must be a finite number of sensible size", "write a plain number")
    if integer:
        if float(value) != int(value):
            raise InputError(f, fld, f"must be a whole number, got {value}", f"write {example}")
        return int(value)
    return float(value)


def check_seed(f: str, fld: str, value: Any) -> int:
    """A random seed: a whole number with ``0 <= seed < MAX_SEED`` (``2**63``).

    Parameters
    ----------
    f, fld : str
        The file (or the flag, e.g. ``--seed``) and the field, for messages.
    value : object
        The seed as read (YAML value or parsed flag).

    Returns
    -------
    int
        The seed.

    Raises
    ------
    innosd.errors.InputError
        When ``value`` is not a whole number in that range (NumPy refuses negative seeds with a traceback).
    """
    s = number(f, fld, value, integer=True, example="a seed such as 1")
    if not 0 <= s < MAX_SEED:
        raise InputError(f, fld, f"{s} is not a seed (seeds are whole numbers from 0 to 2**63 - 1)",
                         "write a seed such as 1 (any whole number from 0 up)")
    return s


def short(value: Any) -> str:
    """``repr(value)`` cut to 40 characters, for messages."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def suggest(name: str, options, what: str) -> str:
    """The fix for an unknown name: "did you mean ..." the closest options, else the first twelve options.

    Parameters
    ----------
    name : str
        The name the user wrote.
    options : iterable of str
        The names allowed there.
    what : str
        What the options are, in plural ("levers", "allowed keys"), for the fallback sentence.

    Returns
    -------
    str
        One sentence for :class:`~innosd.errors.InputError`'s ``fix``.
    """
    close = difflib.get_close_matches(name, list(options), n=3, cutoff=0.5)
    if close:
        return "did you mean " + " or ".join(repr(c) for c in close) + "?"
    return f"use one of the {what}: " + ", ".join(sorted(options)[:12]) + (" ..." if len(options) > 12 else "")


def check_quote(f: str, fld: str, source: str, quote: str) -> None:
    """Refuse a quote that is not verbatim in the source document it cites.

    Checked only for a ``.txt`` source and only when the shared source documents are present
    (:data:`innosd.paths.SOURCES`); other sources (statistics, web pages) are not checked here.

    Parameters
    ----------
    f, fld : str
        The file as shown, and the field holding ``source`` and ``quote``, for messages.
    source : str
        The document's file name in the sources folder.
    quote : str
        The words the field quotes.

    Raises
    ------
    innosd.errors.InputError
        When the document is not in the sources folder, or the quote is not in it.
    """
    doc = paths.SOURCES / source
    if source.endswith(".txt") and paths.SOURCES.is_dir():
        if Path(source).name != source or not doc.is_file():
            raise InputError(f, f"{fld}.source", f"source document {source!r} not found",
                             f"name a file in {paths.SOURCES}")
        if quote not in _document(str(doc)):
            raise InputError(f, f"{fld}.quote", "quote not found verbatim in the source",
                             "copy the words exactly from the document, punctuation included")


@lru_cache(maxsize=16)
def _document(path: str) -> str:
    # Scenarios cite the same few documents many times (every target of a plan); read each once.
    return Path(path).read_text(encoding="utf-8")
