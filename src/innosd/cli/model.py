"""Model commands: ``simulate``, ``describe``, ``trace``, ``export`` and ``check``.

``simulate`` runs any Vensim model; ``describe`` shows the bundled model's structure and redraws its diagram;
``trace`` prints a variable's causes or uses tree; ``export`` writes XMILE; ``check`` runs the model checks.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .. import paths
from ..errors import InputError
from .common import rel


def register(sub) -> None:
    """Add ``simulate``, ``describe``, ``trace``, ``export`` and ``check`` to the sub-parsers ``sub``."""
    s = sub.add_parser("simulate", help="run any Vensim (.mdl) or XMILE (.xmile) model over its own "
                                        "settings; CSV to stdout, arrays as name[a1,b1] columns")
    s.add_argument("model")
    s.add_argument("--engine", choices=["numpy", "pysd"], default="numpy")
    s.add_argument("--data", nargs="+", metavar="FILE", help="files with the series of :DATA: variables")
    s.set_defaults(func=cmd_simulate)

    d = sub.add_parser("describe", help="stocks, flows and feedback loops of a model; --write regenerates its diagram")
    d.add_argument("model", nargs="?", help="default: the bundled model")
    d.add_argument("--write", action="store_true",
                   help="rewrite the model's Vensim sketch (equations untouched), its pictures "
                        "(structure*.svg/png, loops*.svg/png) and the generated part of its README")
    d.set_defaults(func=cmd_describe)

    t = sub.add_parser("trace", help="what drives a variable (its causes tree, with equations), "
                                     "or with --uses what it drives")
    t.add_argument("variable", help="a model variable: Vensim name (quote it), Python name or Chinese name")
    t.add_argument("--depth", type=int, metavar="N", help="show N levels (default: all, down to constants)")
    t.add_argument("--uses", action="store_true", help="the uses tree instead of the causes tree")
    t.add_argument("--model", help="Vensim model file (default: the bundled model)")
    t.set_defaults(func=cmd_trace)

    e = sub.add_parser("export", help="write the model in another format (XMILE for Stella/iThink)")
    e.add_argument("--xmile", required=True, metavar="FILE", help="write XMILE 1.0 (.xmile/.stmx) to FILE")
    e.add_argument("--model", help="Vensim model file (default: the bundled model)")
    e.set_defaults(func=cmd_export)

    c = sub.add_parser("check", help="run the model checks of model/checks.yaml "
                                     "(extreme conditions, integration error, units)")
    c.add_argument("--model", help="Vensim model file (default: the one named in the checks file)")
    c.add_argument("--checks", help="checks file (default model/checks.yaml)")
    c.add_argument("--only", nargs="+", metavar="ID", help="run only these check ids")
    c.add_argument("--verbose", "-v", action="store_true", help="show passing findings too")
    c.set_defaults(func=cmd_check)


def _model_file(arg) -> Path:
    mdl = Path(arg) if arg else paths.MODEL_FILE
    if not mdl.is_file():
        raise InputError(str(mdl), "", "model file not found", "pass the path of a Vensim .mdl file")
    return mdl


def cmd_describe(args) -> int:
    """Print the model's stocks, flows and loops; with ``--write`` regenerate its sketch, pictures and README."""
    from ..diagram import build
    from ..diagram.readme import markdown
    from ..model import model_errors
    from ..progress import enabled

    mdl = _model_file(args.model)
    with model_errors(mdl):  # not UTF-8 text, or a syntax error: one line with its line and column
        if args.write:
            def progress(message):
                if enabled():
                    print(f"  {message} …", file=sys.stderr, flush=True)
            for path, changed in build.regenerate(mdl, progress=progress):
                print(f"{rel(path)}: {'updated' if changed else 'already up to date'}")
            if mdl.resolve() == paths.MODEL_FILE.resolve():   # the project's model: its data's reference modes
                from ..reference_modes import write_reference_modes

                figure = mdl.parent / "reference_modes.png"
                changed = write_reference_modes(figure)
                print(f"{rel(figure)}: {'updated' if changed else 'already up to date'}")
        else:
            print(markdown(build.load(mdl), build.picture_paths(mdl), max_loops=None))
    return 0


def cmd_trace(args) -> int:
    """Print the causes (or uses) tree of one variable."""
    from ..diagram.names import chinese_names
    from ..diagram.trace import resolve, tree
    from ..structure import read_structure

    if args.depth is not None and args.depth < 0:
        raise InputError("--depth", "", f"{args.depth} is not a depth", "use a whole number >= 0")
    from ..model import model_errors

    mdl = _model_file(args.model)
    with model_errors(mdl):
        structure = read_structure(mdl)
    zh = chinese_names(structure, mdl)
    name = resolve(structure, args.variable, zh, rel(mdl), aliases=_indicator_names())
    print("\n".join(tree(structure, name, depth=args.depth, uses=args.uses, zh=zh)))
    return 0


def _indicator_names() -> dict[str, str]:
    """The indicators' names and Chinese labels -> their model variables (so planners' words work in trace)."""
    from ..indicators import INDICATORS

    out = {}
    for key, ind in INDICATORS.items():
        for alias in (key, getattr(ind, "zh", "")):
            if alias:
                out[alias] = ind.variable
    return out


def cmd_export(args) -> int:
    """Write the model as XMILE."""
    from ..diagram.sketch import read_sketch
    from ..diagram.xmile import to_xmile
    from ..structure import read_structure

    mdl = _model_file(args.model)
    out = Path(args.xmile)
    if not out.parent.is_dir():
        raise InputError(args.xmile, "", "its folder does not exist", "create the folder or write the file elsewhere")
    sketch = read_sketch(mdl)
    text = to_xmile(read_structure(mdl), mdl.stem, sketch if sketch.views else None, where=rel(mdl))
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)
    print(f"{rel(out)}: XMILE 1.0 for Stella/iThink ({mdl.name})")
    return 0


def cmd_simulate(args) -> int:
    """Run a Vensim or XMILE model over its own control settings and write CSV to stdout."""
    from ..engine import SimulationError, UnsupportedConstructError, simulate_csv
    from ..model import model_errors, pysd_errors, undefined_name

    path = Path(args.model)
    if not path.is_file():
        raise InputError(args.model, "", "model file not found", "pass the path of a Vensim .mdl or XMILE .xmile file")
    for data in args.data or []:
        if not Path(data).is_file():
            raise InputError(data, "", "data file not found", "pass the .tab or .csv file holding the :DATA: series")
    with model_errors(path):  # not UTF-8 text, or a syntax error: one line with its line and column
        try:
            if args.engine == "pysd":  # whatever PySD raises on the user's model: one line
                with pysd_errors(path):
                    df = simulate_csv(path, engine=args.engine, data_files=args.data)
            else:
                df = simulate_csv(path, engine=args.engine, data_files=args.data)
        except UnsupportedConstructError as exc:  # unsupported constructs are reported, not traced
            from parsimonious.exceptions import ParseError

            if isinstance(exc.__cause__, ParseError):
                raise  # a syntax error: model_errors gives its line and column
            if (undefined := undefined_name(path, exc)) is not None:
                raise undefined from None
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
