"""``innosd optimise``: the cheapest mix of programmes against the lowest P(met) of a scenario's targets."""

from __future__ import annotations

from .common import check_samples, load, out_dir, rel


def register(sub) -> None:
    """Add ``optimise`` to the sub-parsers ``sub``."""
    o = sub.add_parser("optimise", help="costed policy portfolios: cost against the lowest P(met) (NSGA-II)")
    o.add_argument("scenario")
    o.add_argument("--out", help="output folder (default: the project's reports/<scenario name>/optimise/)")
    o.add_argument("--seed", type=int, help="seed of the futures and the search (default: the scenario's)")
    o.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on a Dask cluster: tcp://HOST:PORT of a `dask scheduler` "
                        "(default: one local process per CPU)")
    o.add_argument("--samples", type=int, help="futures every portfolio is judged on (default: the scenario's)")
    o.add_argument("--population", type=int, help="candidates a generation (default: optimise.population, 200)")
    o.add_argument("--generations", type=int, help="generations (default: optimise.generations, 15)")
    o.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the chart")
    o.add_argument("--no-charts", action="store_true", help="skip the chart of the front")
    o.set_defaults(func=cmd_optimise)


def cmd_optimise(args) -> int:
    """Run the search, write the result folder, print the cheapest portfolios with their costs."""
    from .. import progress
    from ..optimise import optimise
    from ..optimise.tables import costs, summary
    from ..optimise.write import FILES, write_results

    check_samples(args.samples)
    for flag in ("population", "generations"):
        value = getattr(args, flag)
        if value is not None and value < 1:
            from ..errors import InputError

            raise InputError(f"--{flag}", "", f"{value} is not a whole number >= 1", f"give --{flag} 20")
    with progress.stage("loading the scenario and the model"):
        sc = load(args.scenario)
    from ..runfolder import OPTIMISE

    out = out_dir(args, sc.name, OPTIMISE)  # inside the run folder, where the report finds it
    found = optimise(sc, seed=args.seed, samples=args.samples, population=args.population,
                     generations=args.generations, scheduler=args.scheduler)
    with progress.stage(f"writing {rel(out)}/"):
        write_results(found, out, lang=args.lang, chart=not args.no_charts)
    s = found.settings
    print(f"optimise {sc.name}: {s['evaluated']:,} portfolios x {s['samples']:,} futures, seed {s['seed']}, "
          f"levers change from {s['decision_year']} ({s['where']}, {s['search_seconds']:.1f} s)")
    print("lever costs (亿元 per unit and year; calibration/levers.yaml or the scenario's costs:):")
    for r in costs(found).itertuples():
        if r.optimised:
            print(f"  {r.lever:30s} {r.cost_per_unit:>8g}  {r.basis:10s} {r.source[:60]}")
    for line in summary(found):
        print(line)
    print(f"front: {len(found.front)} portfolios; outputs: {rel(out)}/ ({', '.join(v for k, v in FILES.items())})")
    return 0
