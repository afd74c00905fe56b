"""Scenario commands: ``validate``, ``run``, ``what-it-takes`` and ``compare``."""

from __future__ import annotations

from pathlib import Path

from .. import paths
from ..errors import InputError
from .common import check_samples, load, rel


def register(sub) -> None:
    """Add ``validate``, ``run``, ``what-it-takes`` and ``compare`` to the sub-parsers ``sub``."""
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


def cmd_validate(args) -> int:
    sc = load(args.scenario)
    print(f"{args.scenario}: valid scenario '{sc.name}' ({sc.region}, {sc.start}-{sc.end}); "
          f"{len(sc.targets)} targets, {len(sc.levers)} levers, {len(sc.parameters) + len(sc.uncertain_parameters)} "
          f"parameter overrides, {len(sc.not_represented)} targets not represented")
    return 0


def cmd_run(args) -> int:
    from ..api import run
    from ..outputs import write_run

    check_samples(args.samples)
    judged = run(args.scenario, samples=args.samples, seed=args.seed, engine=args.engine)
    result, table, sc = judged.result, judged.table, judged.scenario
    out = Path(args.out) if args.out else paths.REPORTS / sc.name
    write_run(result, table, out, charts=not args.no_charts)
    pdf = None
    if args.report:  # written before printing, so a closed stdout (e.g. `| head`) cannot lose it
        from ..report import write_report

        pdf = write_report(result, table, out / f"{sc.name}.pdf", lang=args.lang)
    print_run(result, table, out)
    if pdf is not None:
        print(f"report: {rel(pdf)}")
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
    print(f"outputs: {rel(out)}/ (trajectories.csv, targets.csv, summary.json, charts/)")


def format_targets(table) -> str:
    head = f"{'target':<28} {'year':>4} {'goal':>12} {'median':>10} {'90% interval':>21} {'P(met)':>6} {'first met':>9}  verdict"
    lines = [head, "-" * len(head)]
    for r in table.itertuples():
        goal = f"{r.comparison}{r.goal:g}"
        interval = f"[{r.q05:.4g}, {r.q95:.4g}]"
        first = "never" if r.first_year_met != r.first_year_met else f"{r.first_year_met:.0f}"
        p = "-" if r.kind == "assumption" else f"{r.p_met:.2f}"
        lines.append(f"{r.id:<28} {r.year:>4} {goal:>12} {r.median:>10.4g} {interval:>21} {p:>6} "
                     f"{first:>9}  {r.verdict}")
    return "\n".join(lines)


def cmd_what_it_takes(args) -> int:
    from ..model import load_model
    from ..whatittakes import POLICY_LEVERS, what_it_takes, what_it_takes_table

    sc = load(args.scenario)
    model = load_model(sc.model_path)
    if args.all:
        table = what_it_takes_table(sc, model, args.confidence, mode=args.mode, samples=args.samples, seed=args.seed)
        out = paths.REPORTS / sc.name / "what_it_takes.csv"
        out.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(out, index=False, float_format="%.6g")
        for line in table["summary"]:
            print(line)
        print(f"table: {rel(out)}")
        return 0
    if not args.target or not args.lever:
        raise InputError("what-it-takes", "--target/--lever", "both are needed (or --all)",
                         "e.g. --target turnover-2027 --lever " + next(iter(POLICY_LEVERS)))
    answer = what_it_takes(sc, model, args.target, args.lever, args.confidence, args.mode, args.acts_from,
                           args.samples, args.seed)
    print(answer.sentence())
    return 0


def cmd_compare(args) -> int:
    from ..compare import compare_scenarios

    table = compare_scenarios(args.scenarios, args.samples, args.seed)
    names = "-vs-".join(Path(p).stem for p in args.scenarios)
    out = Path(args.out) if args.out else paths.REPORTS / f"compare-{names}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out, index=False, float_format="%.6g")
    with __import__("pandas").option_context("display.width", 200, "display.max_columns", 50):
        print(table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    print(f"table: {rel(out)}")
    return 0
