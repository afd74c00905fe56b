"""`innosd report SCENARIO.yaml`: run the scenario and write its PDF report."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError


def register() -> list:
    """(name, help, add_arguments) for the CLI's extra commands."""
    return [("report", "run a scenario and write its PDF report (Chinese by default)", _arguments)]


def _arguments(p) -> None:
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument("-o", "--output", help="PDF path (default reports/<scenario name>/<scenario name>.pdf)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="report language (default zh)")
    p.add_argument("--samples", type=int, help="ensemble size (default: the scenario's)")
    p.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    p.set_defaults(func=cmd_report)


def cmd_report(args) -> int:
    from .. import paths
    from ..cli import _load, _rel
    from ..ensemble import run_scenario
    from ..model import load_model
    from ..targets import evaluate
    from . import write_report

    if args.samples is not None and args.samples < 1:
        raise InputError("--samples", "", f"{args.samples} is not a valid sample size", "use a whole number >= 1")
    if args.output and not str(args.output).lower().endswith(".pdf"):
        raise InputError(args.output, "", "the report is a PDF", "give an output path ending in .pdf")
    sc = _load(args.scenario)
    model = load_model(sc.model_path)
    result = run_scenario(sc, model, samples=args.samples, seed=args.seed)
    table = evaluate(result)
    out = Path(args.output) if args.output else paths.REPORTS / sc.name / f"{sc.name}.pdf"
    try:
        pdf = write_report(result, table, out, lang=args.lang, model=model)
    except PermissionError as exc:
        raise InputError(str(out), "", f"cannot write the report ({exc.strerror})",
                         "choose a writable path with -o") from None
    print(f"report: {_rel(pdf)} ({sc.name}, {result.n} members, seed {result.seed}, {args.lang})")
    return 0
