"""``innosd report SCENARIO.yaml``: run the scenario and write its PDF report."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from .common import check_samples, load, rel


def register(sub) -> None:
    """Add ``report`` to the sub-parsers ``sub``."""
    _arguments(sub.add_parser("report", help="run a scenario and write its PDF report (Chinese by default)"))


def _arguments(p) -> None:
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument("-o", "--output", help="PDF path (default reports/<scenario name>/<scenario name>.pdf)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="report language (default zh)")
    p.add_argument("--samples", type=int, help="ensemble size (default: the scenario's)")
    p.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    p.set_defaults(func=cmd_report)


def cmd_report(args) -> int:
    from .. import paths
    from ..ensemble import run_scenario
    from ..model import load_model
    from ..targets import evaluate
    from ..report import write_report

    check_samples(args.samples)
    if args.output and not str(args.output).lower().endswith(".pdf"):
        raise InputError(args.output, "", "the report is a PDF", "give an output path ending in .pdf")
    sc = load(args.scenario)
    model = load_model(sc.model_path)
    result = run_scenario(sc, model, samples=args.samples, seed=args.seed)
    table = evaluate(result)
    out = Path(args.output) if args.output else paths.REPORTS / sc.name / f"{sc.name}.pdf"
    try:
        pdf = write_report(result, table, out, lang=args.lang, model=model)
    except PermissionError as exc:
        raise InputError(str(out), "", f"cannot write the report ({exc.strerror})",
                         "choose a writable path with -o") from None
    print(f"report: {rel(pdf)} ({sc.name}, {result.n} members, seed {result.seed}, {args.lang})")
    return 0
