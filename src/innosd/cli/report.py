"""``innosd report SCENARIO.yaml``: run the scenario and write its PDF report."""

from __future__ import annotations

from pathlib import Path

from .. import progress
from ..errors import InputError
from .common import check_samples, load, rel


def register(sub) -> None:
    """Add ``report`` to the sub-parsers ``sub``."""
    _arguments(sub.add_parser("report", help="run a scenario and write its PDF report (Chinese by default)"))


def _arguments(p) -> None:
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument("-o", "--output", help="PDF path (default reports/<scenario name>/<scenario name>.pdf)")
    p.add_argument("--out", help="output folder of the PDF (default: the project's reports/<scenario name>/)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="report language (default zh)")
    p.add_argument("--samples", type=int, help="ensemble size (default: the scenario's)")
    p.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    from .scenario import add_as_of

    add_as_of(p)
    p.set_defaults(func=cmd_report)


def cmd_report(args) -> int:
    from .. import paths
    from ..ensemble import run_scenario
    from ..model import load_model
    from ..report import write_report
    from ..targets import evaluate

    check_samples(args.samples)
    if args.output and not str(args.output).lower().endswith(".pdf"):
        raise InputError(args.output, "", "the report is a PDF", "give an output path ending in .pdf")
    sc = load(args.scenario)
    model = load_model(sc.model_path)
    from .scenario import as_of_calibration

    cal = as_of_calibration(args, model, sc)
    with progress.stage(f"running {args.samples or sc.samples:,} members of {sc.name}"):
        result = run_scenario(sc, model, samples=args.samples, seed=args.seed, calibration=cal)
    table = evaluate(result)
    folder = Path(args.out) if args.out else paths.REPORTS / sc.name
    out = Path(args.output) if args.output else folder / f"{sc.name}.pdf"
    try:
        with progress.stage("writing the PDF report"):
            pdf = write_report(result, table, out, lang=args.lang, model=model)
    except PermissionError as exc:
        raise InputError(str(out), "", f"cannot write the report ({exc.strerror})",
                         "choose a writable path with -o") from None
    print(f"report: {rel(pdf)} ({sc.name}, {result.n} members, seed {result.seed}, {args.lang})")
    return 0
