"""Helpers shared by the command modules: loading a scenario, printing paths, checking sizes, output folders."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError


def load(path: str):
    """Load and validate the scenario file at ``path`` (raises :class:`InputError`).

    The project is the one :func:`innosd.cli.main` made current for the command.
    """
    from ..scenario import load_scenario

    return load_scenario(path)


def rel(p) -> str:
    """``p`` relative to the working folder when it is inside it, else as given."""
    try:
        return str(Path(p).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(p)


def check_samples(samples: int | None) -> None:
    """Refuse a sample size below 1 or beyond the machine's memory (``--samples``)."""
    from ..indicators import INDICATORS
    from ..memory import check_samples as check
    from ..scenario_fields import MAX_YEAR

    check(samples, len(INDICATORS), MAX_YEAR - 2016 + 1, "--samples")


def out_dir(args, *parts: str) -> Path:
    """The output folder of a command: ``--out`` when given, else the current project's ``reports/<parts>``."""
    from .. import paths

    if getattr(args, "out", None):
        out = Path(args.out)
        if out.exists() and not out.is_dir():
            raise InputError(args.out, "--out", "is a file, not a folder", "give a folder for the outputs")
        return out
    return paths.REPORTS.joinpath(*parts)


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


def add_as_of(parser) -> None:
    """The ``--as-of YEAR`` option: judge with the calibration of an older data vintage."""
    parser.add_argument("--as-of", dest="as_of", type=int,
                        help="data vintage: judge with the calibration fitted on data up to this year "
                             "(default: the scenario's as_of, else the latest)")


def as_of_calibration(args, model, scenario):
    """The calibration ``--as-of`` (or the scenario's ``as_of``) asks for; errors name the option."""
    from ..ensemble import load_calibration

    as_of = args.as_of if getattr(args, "as_of", None) is not None else scenario.as_of
    try:
        return load_calibration(model, as_of=as_of)
    except InputError as exc:
        if exc.file != "as_of":
            raise
        where = ("--as-of", "") if getattr(args, "as_of", None) is not None else (rel(scenario.path), "as_of")
        raise InputError(*where, exc.problem, exc.fix) from None
