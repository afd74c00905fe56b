"""``innosd report``: the PDF report of a finished run folder, or of a scenario (run first).

The report only reads: for a scenario file the command runs the ensemble, then
:func:`innosd.publish.publish` writes the run folder (:func:`innosd.outputs.write_run`), runs the
what-it-takes search for the targets below the confidence and writes ``what_it_takes.csv`` there, then
renders the PDF from the folder (:func:`innosd.report.write_report`). For a run folder it only renders
(:func:`innosd.publish.render`).
"""

from __future__ import annotations

from pathlib import Path

from .. import progress
from ..errors import InputError
from ..publish import publish, render
from .common import check_samples, flags, load, out_dir, rel


def register(sub) -> None:
    """Add ``report`` to the sub-parsers ``sub``."""
    p = sub.add_parser("report", help="write the PDF report of a run folder, or of a scenario (Chinese by default)")
    p.add_argument("source", metavar="SCENARIO_OR_RUN_FOLDER",
                   help="a scenario YAML file (run first), or a folder written by `innosd run` (re-rendered)")
    p.add_argument("-o", "--output", help="PDF path (default <run folder>/<scenario name>.pdf)")
    p.add_argument("--out", help="run folder for a scenario (default reports/<scenario name>/)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="report language (default zh)")
    p.add_argument("--samples", type=int, help="ensemble size for a scenario (default: the scenario's)")
    p.add_argument("--seed", type=int, help="random seed for a scenario (default: the scenario's)")
    from .common import add_as_of

    add_as_of(p)
    p.set_defaults(func=cmd_report)


def cmd_report(args) -> int:
    """Render the report of a run folder, or run a scenario and render its report.

    A scenario runs in its project (:func:`innosd.scenario.find_project`); a run folder is rendered
    in the project it was run in (recorded in its summary.json), unless ``--project`` names another.
    """
    from .. import paths
    from ..scenario import find_project

    check_samples(args.samples)
    if args.output and not str(args.output).lower().endswith(".pdf"):
        raise InputError(args.output, "", "the report is a PDF", "give an output path ending in .pdf")
    source = Path(args.source)
    if source.is_dir():
        for flag in ("samples", "seed", "out", "as_of"):
            if getattr(args, flag) is not None:
                raise InputError(f"--{flag.replace('_', '-')}", "", "a run folder is rendered as it is, not run again",
                                 "leave the option out, or pass the scenario file to run it again")
        with paths.use(_project_of_run(source, getattr(args, "project", None))):
            pdf = render(source, args.output, args.lang)
        print(f"report: {rel(pdf)} (from {rel(source)}, {args.lang})")
        return 0
    with paths.use(find_project(args.source, getattr(args, "project", None))):
        return _run_and_render(args)


def _project_of_run(folder: Path, explicit):
    """The project a run folder is rendered in: ``--project``, else the one it was run in, else the current one."""
    from .. import paths
    from ..runfolder import open_run
    from ..scenario import find_project

    if explicit:
        return find_project(folder / "-", explicit)
    recorded = open_run(folder).summary.get("scenario", {}).get("project")
    return paths.Project.at(recorded) if recorded and paths.is_project(Path(recorded)) else None


def _run_and_render(args) -> int:
    """Run the scenario, write its run folder and what it takes, then render the report from the folder."""
    from ..api import run
    from ..model import load_model
    from .common import as_of_calibration

    sc = load(args.source)
    cal = as_of_calibration(args, load_model(sc.model_path), sc)  # a bad --as-of stops before anything is written
    with flags(samples="--samples", seed="--seed"):
        judged = run(sc, samples=args.samples, seed=args.seed, as_of=cal.vintage)
    out = out_dir(args, sc.name)
    from .loops import DEFAULT_SAMPLES, compute

    with progress.stage(f"scoring the loops of {DEFAULT_SAMPLES} members"):
        loops = compute(sc, load_model(sc.model_path), DEFAULT_SAMPLES, args.seed, cal.vintage)
    pdf = publish(judged, out, args.output, args.lang, loops=loops)
    print(f"report: {rel(pdf)} ({sc.name}, {judged.result.n} members, seed {judged.result.seed}, {args.lang}; "
          f"results in {rel(out)}/)")
    return 0
