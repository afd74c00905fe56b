"""Model commands: ``simulate`` (any Vensim model), ``describe`` (structure) and ``check``."""

from __future__ import annotations

import sys
from pathlib import Path

from .. import paths
from ..errors import InputError
from .common import rel


def register(sub) -> None:
    """Add ``simulate``, ``describe`` and ``check`` to the sub-parsers ``sub``."""
    s = sub.add_parser("simulate", help="run any Vensim (.mdl) or XMILE (.xmile) model over its own "
                                        "settings; CSV to stdout, arrays as name[a1,b1] columns")
    s.add_argument("model")
    s.add_argument("--engine", choices=["numpy", "pysd"], default="numpy")
    s.add_argument("--data", nargs="+", metavar="FILE", help="files with the series of :DATA: variables")
    s.set_defaults(func=cmd_simulate)

    d = sub.add_parser("describe", help="stocks, flows and feedback loops of a model (and model/README.md)")
    d.add_argument("model", nargs="?", help="default: the bundled model")
    d.add_argument("--write", action="store_true", help="rewrite the generated part of model/README.md and the diagram")
    d.set_defaults(func=cmd_describe)

    c = sub.add_parser("check", help="run the model checks of model/checks.yaml "
                                     "(extreme conditions, integration error, units)")
    c.add_argument("--model", help="Vensim model file (default: the one named in the checks file)")
    c.add_argument("--checks", help="checks file (default model/checks.yaml)")
    c.add_argument("--only", nargs="+", metavar="ID", help="run only these check ids")
    c.add_argument("--verbose", "-v", action="store_true", help="show passing findings too")
    c.set_defaults(func=cmd_check)


def cmd_describe(args) -> int:
    """Print the model's stocks, flows and loops, or rewrite model/README.md with ``--write``."""
    from .. import structure

    mdl = Path(args.model) if args.model else paths.MODEL_FILE
    if not mdl.is_file():
        raise InputError(str(mdl), "", "model file not found", "pass the path of a Vensim .mdl file")
    if args.write:
        changed = structure.update_readme(mdl, mdl.parent / "README.md", mdl.parent / "structure.png")
        print(f"{rel(mdl.parent / 'README.md')}: {'updated' if changed else 'already up to date'}")
    else:
        print(structure.markdown(structure.read_structure(str(mdl))))
    return 0


def cmd_simulate(args) -> int:
    """Run a Vensim or XMILE model over its own control settings and write CSV to stdout."""
    from ..engine import SimulationError, UnsupportedConstructError, simulate_csv

    path = Path(args.model)
    if not path.is_file():
        raise InputError(args.model, "", "model file not found", "pass the path of a Vensim .mdl or XMILE .xmile file")
    for data in args.data or []:
        if not Path(data).is_file():
            raise InputError(data, "", "data file not found", "pass the .tab or .csv file holding the :DATA: series")
    try:
        df = simulate_csv(path, engine=args.engine, data_files=args.data)
    except UnsupportedConstructError as exc:  # unsupported constructs are reported, not traced
        fix = ("put the files the model reads beside it; pass :DATA: series with --data FILE"
               if "cannot be read" in exc.construct else
               "run it with --engine pysd, or use only the constructs listed in src/innosd/engine")
        raise InputError(args.model, "", str(exc).split(": ", 1)[-1], fix) from None
    except SimulationError as exc:
        raise InputError(args.model, "", str(exc), "check the equation's inputs at that time") from None
    df.to_csv(sys.stdout, index=False, float_format="%.10g")
    return 0


def cmd_check(args) -> int:
    """Run the model checks; exit 1 when one fails."""
    from ..checks import format_results, run_checks

    if args.model and not Path(args.model).is_file():
        raise InputError(args.model, "", "model file not found", "pass the path of a Vensim .mdl file")
    results = run_checks(args.model, args.checks, only=args.only)
    if args.only and not results:
        raise InputError("--only", "", "no check with these ids", "see the ids in model/checks.yaml")
    print(format_results(results, verbose=args.verbose))
    return 0 if all(r.ok for r in results) else 1
