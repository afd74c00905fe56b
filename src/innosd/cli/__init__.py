"""Command line: a thin layer over the package's functions.

One module per command group; :data:`COMMAND_MODULES` is the explicit list. Each module has
``register(sub)``, which adds its sub-commands to the argparse sub-parsers and sets ``func``.
Every command turns a :class:`~innosd.errors.UserError` into one line on stderr and exit code 2.

Every command takes ``--project DIR``; without it, a command on a scenario runs in the scenario's
project (:func:`innosd.scenario.find_project`), any other in the project around the working folder,
else the installed one. Outputs go to that project's ``reports/`` unless ``--out`` says otherwise.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path

from .. import __version__
from ..errors import InputError, UserError
from . import calibration, loops, model, optimise, report, scenario, sensitivity, serve
from .scenario import format_targets  # re-exported: notebooks print the target table with it

#: The command groups, in the order `innosd --help` lists them.
COMMAND_MODULES = (scenario, model, calibration, sensitivity, optimise, report, serve, loops)

#: Library parameter names and the flags a user typed for them (errors name the flag).
FLAGS = {"samples": "--samples", "seed": "--seed", "until": "--until", "confidence": "--confidence",
         "project": "--project"}

__all__ = ["COMMAND_MODULES", "format_targets", "main"]


def main(argv: list[str] | None = None) -> int:
    """Run the ``innosd`` command line with ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    previous = _terminate_as_exit()
    try:
        from .. import paths

        check_args(args)
        with paths.use(project_of(args)):
            return int(args.func(args) or 0)
    except UserError as exc:
        if isinstance(exc, InputError) and (exc.file in FLAGS or exc.field in FLAGS):   # the library's names -> flags
            exc = InputError(FLAGS.get(exc.file, exc.file), FLAGS.get(exc.field, exc.field), exc.problem, exc.fix)
        print(exc.line(), file=sys.stderr)
        return 2
    except MemoryError:
        print("error: not enough memory for this run; fix: use fewer --samples (or close other programs)",
              file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader (e.g. `| head`) closed stdout: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("interrupted: no half-written output was left", file=sys.stderr)
        return 130
    except SystemExit as exc:
        if exc.code == 143:  # SIGTERM: outputs were cleaned up on the way out
            print("terminated: no half-written output was left", file=sys.stderr)
        raise
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser with every command of :data:`COMMAND_MODULES`, each with ``--project``."""
    p = argparse.ArgumentParser(prog="innosd", description="Will Tianjin's innovation targets be met?")
    p.add_argument("--version", action="version", version=f"innosd {__version__}")
    sub = p.add_subparsers(metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub)
    for command in sub.choices.values():
        if not any("--project" in a.option_strings for a in command._actions):
            command.add_argument("--project", metavar="DIR",
                                 help="project folder with model/, scenarios/, calibration/ (default: the "
                                      "scenario's, else the one around the working folder, else the installed one)")
    return p


def project_of(args):
    """The project a command runs in (see the module doc)."""
    from .. import paths
    from ..scenario import find_project

    files = getattr(args, "scenarios", None) or [getattr(args, "scenario", None)]
    if files and isinstance(files[0], str):
        return find_project(files[0], getattr(args, "project", None))
    if getattr(args, "project", None):
        return find_project(Path.cwd() / "-", args.project)
    return paths.enclosing(Path.cwd()) or paths.installed()


def check_args(args) -> None:
    """Checks common to every command: an ensemble size the machine's memory can hold, a valid seed."""
    from ..scenario_fields import check_seed
    from .common import check_samples

    samples = getattr(args, "samples", None)
    if isinstance(samples, int):
        check_samples(samples)
    seed = getattr(args, "seed", None)
    if seed is not None:  # every command's --seed (run, compare, what-it-takes, calibrate, optimise, ...)
        check_seed("--seed", "", seed)


def _terminate_as_exit():
    """Turn SIGTERM into SystemExit(143), so a terminated run cleans up like an interrupted one.

    Returns the previous handler (to restore), or None when handlers cannot be set here.
    """
    if threading.current_thread() is not threading.main_thread():
        return None

    def handler(signum, frame):
        raise SystemExit(143)

    try:
        return signal.signal(signal.SIGTERM, handler)
    except (ValueError, OSError):  # pragma: no cover - embedded interpreters
        return None
