"""Scenario commands: ``validate``, ``run``, ``what-it-takes`` and ``compare``."""

from __future__ import annotations

import textwrap
from pathlib import Path

from .. import progress
from ..errors import InputError
from .common import add_as_of, as_of_calibration, check_samples, flags, load, out_dir, rel


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
    r.add_argument("--out", help="output folder (default: the project's reports/<scenario name>/)")
    r.add_argument("--no-charts", action="store_true", help="skip the PNG charts")
    r.add_argument("--report", action="store_true", help="also write the PDF report")
    r.add_argument("--loops", action="store_true",
                   help="also score the feedback loops (loops.csv, loops.png; as `innosd loops`, 200 members; "
                        "--report does it too)")
    r.add_argument("--lang", choices=["zh", "en"], default="zh", help="report language")
    add_as_of(r)
    r.set_defaults(func=cmd_run)

    w = sub.add_parser("what-it-takes", help="the smallest lever change that lifts a target to a confidence")
    w.add_argument("scenario")
    w.add_argument("--target", help="target id (see the scenario's targets)")
    w.add_argument("--lever", help="lever name, e.g. conversion_quota_path or 先使用后付费")
    w.add_argument("--all", action="store_true", help="every target and every policy lever; writes a table")
    w.add_argument("--confidence", type=float, default=0.8)
    w.add_argument("--mode", choices=["level", "growth"], default="level",
                   help="level: add a constant from the year the change acts; growth: compound a yearly rate")
    w.add_argument("--from", dest="acts_from", type=int,
                   help="first year the change acts (default: the scenario's decision_year, else the year after "
                        "the data vintage; never earlier)")
    w.add_argument("--samples", type=int)
    w.add_argument("--seed", type=int)
    w.add_argument("--out", help="output folder of --all's table (default: the project's reports/<scenario name>/)")
    add_as_of(w)
    w.set_defaults(func=cmd_what_it_takes)

    c = sub.add_parser("compare", help="side-by-side target probabilities of several scenarios")
    c.add_argument("scenarios", nargs="+")
    c.add_argument("--samples", type=int)
    c.add_argument("--seed", type=int)
    c.add_argument("--out", help="output folder of the CSV (default: the project's reports/)")
    add_as_of(c)
    c.set_defaults(func=cmd_compare)


def cmd_validate(args) -> int:
    """Check a scenario file without running it; print one line of what it holds; exit code 0."""
    sc = load(args.scenario)
    note = "" if sc.encoding == "utf-8" else f" (read as {sc.encoding.upper()})"
    print(f"{args.scenario}: valid scenario '{sc.name}'{note} ({sc.region}, {sc.start}-{sc.end}); "
          f"{len(sc.targets)} targets, {len(sc.levers)} levers, {len(sc.parameters) + len(sc.uncertain_parameters)} "
          f"parameter overrides, {len(sc.not_represented)} targets not represented")
    return 0


def cmd_run(args) -> int:
    """Run a scenario, write its run folder (and, with ``--report``, the PDF), print the targets table; exit 0.

    The calibration (``--as-of``) is checked before anything is written.
    """
    from ..api import run
    from ..model import load_model
    from ..outputs import write_run

    check_samples(args.samples)
    with progress.stage("loading the scenario and the model"):
        sc = load(args.scenario)
        model = load_model(sc.model_path)
    cal = as_of_calibration(args, model, sc)     # a bad --as-of stops here, before anything is written
    out = out_dir(args, sc.name)
    judged = run(sc, samples=args.samples, seed=args.seed, engine=args.engine, model=model, as_of=cal.vintage)
    result, table = judged.result, judged.table
    loops = None
    if args.loops or args.report:  # the report's loop-dominance section reads loops.csv from the folder
        from .loops import DEFAULT_SAMPLES, compute

        with progress.stage(f"scoring the loops of {DEFAULT_SAMPLES} members"):
            loops = compute(sc, model, DEFAULT_SAMPLES, args.seed, cal.vintage)
    pdf = None
    if args.report:  # written before printing, so a closed stdout (e.g. `| head`) cannot lose it
        from ..publish import publish  # the run folder, what it takes, then the PDF rendered from the folder

        pdf = publish(judged, out, None, args.lang, charts=not args.no_charts, loops=loops)
    else:
        with progress.stage(f"writing {rel(out)}/" + ("" if args.no_charts else " with charts")):
            write_run(result, table, out, charts=not args.no_charts, loops=loops)
    print_run(result, table, out)
    if pdf is not None:
        print(f"report: {rel(pdf)}")
    return 0


def print_run(result, table, out: Path) -> None:
    """Print what a run found: members and calibration, the targets table, unrepresented targets, the outputs.

    Parameters
    ----------
    result : innosd.ensemble.EnsembleResult
        The ensemble that was run.
    table : pandas.DataFrame
        Its targets table (:func:`innosd.targets.evaluate`).
    out : pathlib.Path
        The run folder the outputs were written to.
    """
    from ..display import LINE_WIDTH

    sc = result.scenario
    print(f"scenario {sc.name}: {result.n:,} members, seed {result.seed}, engine {result.engine}")
    print(f"calibration: {result.calibration.label}")
    if not sc.calibrated:
        print(f"note: region '{sc.region}' rests on assumptions declared in the scenario, not on calibration")
    print(format_targets(table, sc.end))
    print_structures(result, table)
    if sc.not_represented:
        print(f"{len(sc.not_represented)} plan targets are not represented by the model (see summary.json):")
        for item in sc.not_represented:
            print(textwrap.fill(f"- {item.get('id', '?')}: {item['reason']}", LINE_WIDTH, initial_indent="  ",
                                subsequent_indent="    "))
    extra = ", loops.csv, loops.png" if (out / "loops.csv").is_file() else ""
    print(f"outputs: {rel(out)}/ (trajectories.csv, targets.csv, summary.json, charts/{extra})")


def print_structures(result, table) -> None:
    """P(met) per model structure (targets.csv's p_met_<structure>), when the run mixes structures."""
    import numpy as np

    names = list(getattr(result, "structure_names", ()) or ())
    if not names:
        return
    shares = ", ".join(f"{n} {np.mean(result.structures == n):.0%}" for n in names)
    print(f"P(met) by model structure (members: {shares}; model/README.md, calibration/structures.csv):")
    width = max(len(str(i)) for i in table["id"])
    for r in table.itertuples():
        if r.kind != "forecast":
            continue
        cells = "  ".join(f"{n} {getattr(r, 'p_met_' + n):.2f}" if getattr(r, "p_met_" + n) == getattr(r, "p_met_" + n)
                          else f"{n} -" for n in names)
        print(f"  {r.id:<{width}}  {cells}")


def format_targets(table, end: int | None = None) -> str:
    """The planner's results table (see :func:`innosd.display.format_targets`)."""
    from ..display import format_targets as _format_targets

    return _format_targets(table, end)


def cmd_what_it_takes(args) -> int:
    """Search the smallest lever change that lifts a target to ``--confidence``, or every pair with ``--all``.

    One pair prints one sentence; ``--all`` writes the table into the run folder and prints its summary lines.
    Exit code 0.
    """
    from ..indicators import resolve_lever
    from ..model import load_model
    from ..outputs import write_table
    from ..runfolder import WHAT_IT_TAKES
    from ..whatittakes import POLICY_LEVERS, what_it_takes, what_it_takes_table

    check_samples(args.samples)
    sc = load(args.scenario)
    model = load_model(sc.model_path)
    cal = as_of_calibration(args, model, sc)
    names = {"target_id": "--target", "lever": "--lever", "confidence": "--confidence", "mode": "--mode",
             "acts_from": "--from", "samples": "--samples", "seed": "--seed"}
    if args.all:
        with flags(**names):
            table = what_it_takes_table(sc, model, args.confidence, mode=args.mode, samples=args.samples,
                                        seed=args.seed, calibration=cal)
        out = write_table(table, out_dir(args, sc.name) / WHAT_IT_TAKES)  # the run folder: the report shows it
        for line in table["summary"]:
            print(line)
        print(f"table: {rel(out)}")
        return 0
    if not args.target or not args.lever:
        raise InputError("what-it-takes", "--target/--lever", "both are needed (or --all)",
                         "e.g. --target turnover-2027 --lever " + next(iter(POLICY_LEVERS)))
    lever = resolve_lever(args.lever, model.lookups) or args.lever
    with flags(**names), progress.stage(f"searching {lever} for {args.target}"):
        answer = what_it_takes(sc, model, args.target, lever, args.confidence, args.mode, args.acts_from,
                               args.samples, args.seed, calibration=cal)
    print(answer.sentence())
    return 0


def cmd_compare(args) -> int:
    """Run several scenarios (same samples and seed), print their targets side by side, write the CSV; exit 0."""
    from ..atomic import atomic_file
    from ..compare import compare_scenarios, format_compare
    from ..display import csv_number

    check_samples(args.samples)
    with flags(as_of="--as-of"):
        table = compare_scenarios(args.scenarios, args.samples, args.seed, as_of=args.as_of)
    names = "-vs-".join(table.drop_duplicates("run")["scenario"])
    out = out_dir(args) / f"compare-{names}.csv"
    with atomic_file(out) as fh:
        table.to_csv(fh, index=False, float_format=csv_number)
    print(format_compare(table))
    print(f"table: {rel(out)}")
    return 0
