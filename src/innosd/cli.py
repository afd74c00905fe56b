"""Command line: a thin layer over the package's functions.

Every command turns bad input into one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__, paths
from .errors import InputError


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except InputError as exc:
        print(exc.line(), file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader (e.g. `| head`) closed stdout: stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="innosd", description="Will Tianjin's innovation targets be met?")
    p.add_argument("--version", action="version", version=f"innosd {__version__}")
    sub = p.add_subparsers(metavar="COMMAND")

    v = sub.add_parser("validate", help="check a scenario file without running it")
    v.add_argument("scenario")
    v.set_defaults(func=cmd_validate)

    r = sub.add_parser("run", help="run a scenario and judge its targets")
    r.add_argument("scenario")
    r.add_argument("--samples", type=int, help="ensemble size (default: the scenario's)")
    r.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    r.add_argument("--engine", choices=["numpy", "pysd"], default="numpy",
                   help="numpy: the vectorised engine (default); pysd: PySD's reference runner (slow)")
    r.add_argument("--out", help="output folder (default reports/<scenario name>/)")
    r.add_argument("--no-charts", action="store_true", help="skip the PNG charts")
    r.add_argument("--report", action="store_true", help="also write the PDF report")
    r.add_argument("--lang", choices=["zh", "en"], default="zh", help="report language")
    r.set_defaults(func=cmd_run)

    s = sub.add_parser("simulate", help="run any Vensim model over its own settings; CSV to stdout")
    s.add_argument("model")
    s.add_argument("--engine", choices=["numpy", "pysd"], default="numpy")
    s.set_defaults(func=cmd_simulate)

    w = sub.add_parser("what-it-takes", help="the smallest lever change that lifts a target to a confidence")
    w.add_argument("scenario")
    w.add_argument("--target", help="target id (see the scenario's targets)")
    w.add_argument("--lever", help="lever name, e.g. conversion_quota_path")
    w.add_argument("--all", action="store_true", help="every target and every policy lever; writes a table")
    w.add_argument("--confidence", type=float, default=0.8)
    w.add_argument("--mode", choices=["level", "growth"], default="level",
                   help="level: add a constant from the year the change acts; growth: compound a yearly rate")
    w.add_argument("--from", dest="acts_from", type=int, help="first year the change acts (default 2021 or the scenario's)")
    w.add_argument("--samples", type=int)
    w.add_argument("--seed", type=int)
    w.set_defaults(func=cmd_what_it_takes)

    c = sub.add_parser("compare", help="side-by-side target probabilities of several scenarios")
    c.add_argument("scenarios", nargs="+")
    c.add_argument("--samples", type=int)
    c.add_argument("--seed", type=int)
    c.add_argument("--out", help="CSV path (default reports/compare-<names>.csv)")
    c.set_defaults(func=cmd_compare)

    d = sub.add_parser("describe", help="stocks, flows and feedback loops of a model (and model/README.md)")
    d.add_argument("model", nargs="?", help="default: the bundled model")
    d.add_argument("--write", action="store_true", help="rewrite the generated part of model/README.md and the diagram")
    d.set_defaults(func=cmd_describe)

    for name, helptext, target in _EXTRA:
        sp = sub.add_parser(name, help=helptext)
        target(sp)
    return p


def _load(path: str):
    from .scenario import load_scenario

    return load_scenario(path)


def cmd_validate(args) -> int:
    sc = _load(args.scenario)
    print(f"{args.scenario}: valid scenario '{sc.name}' ({sc.region}, {sc.start}-{sc.end}); "
          f"{len(sc.targets)} targets, {len(sc.levers)} levers, {len(sc.parameters) + len(sc.uncertain_parameters)} "
          f"parameter overrides, {len(sc.not_represented)} targets not represented")
    return 0


def cmd_run(args) -> int:
    from .ensemble import run_scenario
    from .model import load_model
    from .outputs import write_run
    from .targets import evaluate

    if args.samples is not None and args.samples < 1:
        raise InputError("--samples", "", f"{args.samples} is not a valid sample size", "use a whole number >= 1")
    sc = _load(args.scenario)
    model = load_model(sc.model_path)
    result = run_scenario(sc, model, samples=args.samples, seed=args.seed, engine=args.engine)
    table = evaluate(result)
    out = Path(args.out) if args.out else paths.REPORTS / sc.name
    write_run(result, table, out, charts=not args.no_charts)
    pdf = None
    if args.report:  # written before printing, so a closed stdout (e.g. `| head`) cannot lose it
        from .report import write_report

        pdf = write_report(result, table, out / f"{sc.name}.pdf", lang=args.lang)
    print_run(result, table, out)
    if pdf is not None:
        print(f"report: {_rel(pdf)}")
    return 0


def print_run(result, table, out: Path) -> None:
    sc = result.scenario
    print(f"scenario {sc.name}: {result.n} members, seed {result.seed}, engine {result.engine}")
    print(f"calibration: {result.calibration.label}")
    if not sc.calibrated:
        print(f"note: region '{sc.region}' rests on assumptions declared in the scenario, not on calibration")
    print(format_targets(table))
    if sc.not_represented:
        print(f"{len(sc.not_represented)} plan targets are not represented by the model (see summary.json):")
        for item in sc.not_represented:
            print(f"  - {item.get('id', '?')}: {item['reason']}")
    print(f"outputs: {_rel(out)}/ (trajectories.csv, targets.csv, summary.json, charts/)")


def format_targets(table) -> str:
    head = f"{'target':<28} {'year':>4} {'goal':>12} {'median':>10} {'90% interval':>21} {'P(met)':>6} {'first met':>9}  verdict"
    lines = [head, "-" * len(head)]
    for r in table.itertuples():
        goal = f"{r.comparison}{r.threshold:g}"
        interval = f"[{r.q05:.4g}, {r.q95:.4g}]"
        first = "never" if r.first_year_met_median != r.first_year_met_median else f"{r.first_year_met_median:.0f}"
        lines.append(f"{r.id:<28} {r.year:>4} {goal:>12} {r.median:>10.4g} {interval:>21} {r.p_met:>6.2f} "
                     f"{first:>9}  {r.verdict}")
    return "\n".join(lines)


def cmd_what_it_takes(args) -> int:
    from .model import load_model
    from .whatittakes import POLICY_LEVERS, what_it_takes, what_it_takes_table

    sc = _load(args.scenario)
    model = load_model(sc.model_path)
    if args.all:
        table = what_it_takes_table(sc, model, args.confidence, mode=args.mode, samples=args.samples, seed=args.seed)
        out = paths.REPORTS / sc.name / "what_it_takes.csv"
        out.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(out, index=False, float_format="%.6g")
        for line in table["summary"]:
            print(line)
        print(f"table: {_rel(out)}")
        return 0
    if not args.target or not args.lever:
        raise InputError("what-it-takes", "--target/--lever", "both are needed (or --all)",
                         "e.g. --target turnover-2027 --lever " + next(iter(POLICY_LEVERS)))
    answer = what_it_takes(sc, model, args.target, args.lever, args.confidence, args.mode, args.acts_from,
                           args.samples, args.seed)
    print(answer.sentence())
    return 0


def cmd_compare(args) -> int:
    from .compare import compare_scenarios

    table = compare_scenarios(args.scenarios, args.samples, args.seed)
    names = "-vs-".join(Path(p).stem for p in args.scenarios)
    out = Path(args.out) if args.out else paths.REPORTS / f"compare-{names}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out, index=False, float_format="%.6g")
    with __import__("pandas").option_context("display.width", 200, "display.max_columns", 50):
        print(table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    print(f"table: {_rel(out)}")
    return 0


def cmd_describe(args) -> int:
    from . import structure

    mdl = Path(args.model) if args.model else paths.MODEL_FILE
    if not mdl.is_file():
        raise InputError(str(mdl), "", "model file not found", "pass the path of a Vensim .mdl file")
    if args.write:
        changed = structure.update_readme(mdl, mdl.parent / "README.md", mdl.parent / "structure.png")
        print(f"{_rel(mdl.parent / 'README.md')}: {'updated' if changed else 'already up to date'}")
    else:
        print(structure.markdown(structure.read_structure(str(mdl))))
    return 0


def cmd_simulate(args) -> int:
    from .engine import simulate_csv

    path = Path(args.model)
    if not path.is_file():
        raise InputError(args.model, "", "model file not found", "pass the path of a Vensim .mdl file")
    try:
        df = simulate_csv(path, engine=args.engine)
    except Exception as exc:  # unsupported constructs are reported, not traced
        from .engine import UnsupportedConstructError

        if isinstance(exc, UnsupportedConstructError):
            raise InputError(args.model, "", str(exc).split(": ", 1)[-1],
                             "run it with --engine pysd, or use only the constructs listed in src/innosd/engine") from None
        raise
    df.to_csv(sys.stdout, index=False, float_format="%.10g")
    return 0


def _rel(p: Path) -> str:
    try:
        return str(Path(p).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(p)


# Commands added by later modules register here: (name, help, function adding arguments and func).
_EXTRA: list = []
from .sensitivity_commands import register as _reg_sens; _EXTRA.extend(_reg_sens())
from .calibration.commands import register as _reg_cal; _EXTRA.extend(_reg_cal())
from .report.commands import register as _reg_rep; _EXTRA.extend(_reg_rep())
