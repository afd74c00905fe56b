"""``innosd loops SCENARIO``: which feedback loops drive each targeted indicator, period by period."""

from __future__ import annotations

from .. import progress
from .common import check_samples, load, out_dir, rel

#: Members of the loop-dominance run by default (it saves every variable at every TIME STEP).
DEFAULT_SAMPLES = 200


def register(sub) -> None:
    """Add ``loops`` to the sub-parsers ``sub``."""
    p = sub.add_parser("loops", help="dominant feedback loops (Loops That Matter) of each targeted indicator, "
                                     "by period; writes loops.csv and loops.png")
    p.add_argument("scenario")
    p.add_argument("--samples", type=int, default=DEFAULT_SAMPLES,
                   help=f"ensemble members scored (default {DEFAULT_SAMPLES})")
    p.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    p.add_argument("--out", help="output folder (default: the project's reports/<scenario name>/)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="chart language (default zh)")
    from .common import add_as_of

    add_as_of(p)
    p.set_defaults(func=cmd_loops)


def cmd_loops(args) -> int:
    """Score the loops of the scenario's members, print the dominant ones by period, write loops.csv and the chart."""
    from ..loops.dominance import ALL, format_periods
    from ..loops.write import write_loops
    from ..model import load_model
    from .common import as_of_calibration

    check_samples(args.samples)
    with progress.stage("loading the scenario and the model"):
        sc = load(args.scenario)
        model = load_model(sc.model_path)
    cal = as_of_calibration(args, model, sc)      # a bad --as-of stops here, before anything is written
    out = out_dir(args, sc.name)
    with progress.stage(f"scoring the loops of {args.samples:,} members of {sc.name}"):
        result = compute(sc, model, args.samples, args.seed, cal.vintage)
    files = write_loops(result, out, args.lang)
    print(f"scenario {sc.name}: loop dominance over {result.members:,} members, seed {result.seed} "
          f"({len(result.loops)} feedback loops in the model; names as in model/README.md)")
    print(format_periods(result, ALL))
    for name in sorted(set(result.table.structure) - {ALL}):
        print(f"-- members of structure {name} --")
        print(format_periods(result, name))
    print(f"outputs: {', '.join(rel(p) for p in files)}")
    return 0


def compute(scenario, model, samples: int, seed, as_of):
    """The loop dominance of ``scenario`` (see :func:`innosd.loops.dominance.loop_dominance`)."""
    from ..loops.dominance import loop_dominance

    return loop_dominance(scenario, model, samples=samples, seed=seed, as_of=as_of)
