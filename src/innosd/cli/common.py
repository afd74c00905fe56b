"""Helpers shared by the command modules: loading a scenario, printing paths, checking sizes."""

from __future__ import annotations

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
