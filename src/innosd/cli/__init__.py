"""Command line: a thin layer over the package's functions.

One module per command group; :data:`COMMAND_MODULES` is the explicit list. Each module has
``register(sub)``, which adds its sub-commands to the argparse sub-parsers and sets ``func``.
Every command turns a :class:`~innosd.errors.UserError` into one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import os
import sys

from .. import __version__
from ..errors import UserError
from . import calibration, model, report, scenario, sensitivity
from .scenario import format_targets  # re-exported: notebooks print the target table with it

#: The command groups, in the order `innosd --help` lists them.
COMMAND_MODULES = (scenario, model, calibration, sensitivity, report)

__all__ = ["main", "format_targets", "COMMAND_MODULES"]


def main(argv: list[str] | None = None) -> int:
    """Run the ``innosd`` command line with ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(exc.line(), file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader (e.g. `| head`) closed stdout: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser with every command of :data:`COMMAND_MODULES`."""
    p = argparse.ArgumentParser(prog="innosd", description="Will Tianjin's innovation targets be met?")
    p.add_argument("--version", action="version", version=f"innosd {__version__}")
    sub = p.add_subparsers(metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub)
    return p
