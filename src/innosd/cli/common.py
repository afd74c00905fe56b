"""Helpers shared by the command modules: loading a scenario, printing paths, checking sizes."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError


def load(path: str):
    """Load and validate the scenario file at ``path`` (raises :class:`InputError`)."""
    from ..scenario import load_scenario

    return load_scenario(path)


def rel(p) -> str:
    """``p`` relative to the working folder when it is inside it, else as given."""
    try:
        return str(Path(p).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(p)


def check_samples(samples: int | None) -> None:
    """Refuse a sample size below 1 (``--samples``)."""
    if samples is not None and samples < 1:
        raise InputError("--samples", "", f"{samples} is not a valid sample size", "use a whole number >= 1")


@contextmanager
def flags(**names: str):
    """Report a library error about a parameter under the flag the user typed.

    The library names its own parameters (``InputError("acts_from", ...)``); inside this block such an
    error is re-raised naming the flag instead, e.g. ``flags(acts_from="--from")``.
    """
    try:
        yield
    except InputError as exc:
        if exc.file in names:
            raise InputError(names[exc.file], exc.field, exc.problem, exc.fix) from None
        raise
