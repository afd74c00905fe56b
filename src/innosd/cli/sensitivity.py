"""``innosd sensitivity``: a thin layer over :mod:`innosd.sensitivity`."""

from __future__ import annotations

from pathlib import Path

from .. import paths, progress
from ..errors import InputError
from .common import flags, rel


def register(sub) -> None:
    """Add ``sensitivity`` to the sub-parsers ``sub``."""
    _add_sensitivity(sub.add_parser("sensitivity", help="global sensitivity (Sobol or Morris) of a scenario's targets"))


def _add_sensitivity(p) -> None:
    p.add_argument("scenario")
    p.add_argument("--method", choices=["sobol", "morris"], default="sobol")
    p.add_argument("--output", help="a target id, '<id>:met', or an indicator (with --year); default: every target")
    p.add_argument("--year", type=int, help="year of --output when it is an indicator")
    p.add_argument("--n", type=int, help="Sobol: base sample, a power of two (default 512; runs = n (D+2)); "
                                         "Morris: trajectories (default 100; runs = n (D+1))")
    p.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    p.add_argument("--every-year", action="store_true",
                   help="also the indices of each targeted indicator at every year")
    p.add_argument("--ranges", choices=["auto", "prior", "posterior"], default="auto",
                   help="parameter ranges: posterior 1st-99th percentiles when calibration/posterior.csv exists "
                        "(auto, default), else parameters.yaml low-high (prior)")
    p.add_argument("--log", action="store_true",
                   help="analyse the log of each value output (for outputs spread over orders of magnitude)")
    p.add_argument("--top", type=int, default=5, help="drivers printed per output (default 5)")
    p.add_argument("--out", help="output folder (default reports/<scenario name>/)")
    p.set_defaults(func=cmd_sensitivity)


def cmd_sensitivity(args) -> int:
    """Run a Sobol or Morris study of a scenario's targets, print the top drivers and write the files."""
    import matplotlib

    matplotlib.use("Agg")
    from .. import sensitivity as sens
    from ..model import load_model
    from ..scenario import load_scenario

    if args.n is not None and args.n < 2:
        raise InputError("--n", "", f"{args.n} is too small", "use e.g. --n 512 (Sobol) or --n 100 (Morris)")
    if args.top < 1:
        raise InputError("--top", "", f"{args.top} is not a positive number", "use e.g. --top 5")
    sc = load_scenario(args.scenario)
    outputs = None
    if args.output:
        ids = {t.id for t in sc.targets}
        base = args.output[:-4] if args.output.endswith(":met") else args.output
        if base in ids:
            if args.year is not None:
                raise InputError("--year", "", f"{args.output} is a target with its own year",
                                 "leave out --year, or give an indicator name to --output")
            outputs = [args.output]
        elif args.year is None:
            raise InputError("--output", "", f"{args.output!r} is not a target id of {sc.name}, so it needs --year",
                             "add --year YEAR, or use a target id: " + ", ".join(sorted(ids)))
        else:
            outputs = [f"{args.output}@{args.year}"]
    elif args.year is not None:
        raise InputError("--year", "", "--year needs --output", "add --output INDICATOR")
    model = load_model(sc.model_path)
    with flags(n="--n", method="--method", ranges="--ranges", outputs="--output", year="--year", seed="--seed"), \
            progress.stage(f"{args.method} sensitivity of {sc.name}"):
        df = _analyse(args, sens, sc, model, outputs)
    out = Path(args.out) if args.out else paths.REPORTS / sc.name
    csv, png = sens.write(df, out)
    a = df.attrs
    print(f"{args.method} sensitivity of {sc.name}: {len(a['factors'])} factors, {a['n_runs']} runs "
          f"(n={a['n']}, seed {a['seed']}), {a['seconds']:.1f} s")
    print(f"ranges: {a['ranges']}" + ("; values analysed as logs" if args.log else ""))
    shown = df if not args.every_year else df[~df["output"].str.contains("@") | df["output"].isin(outputs or [])]
    shown.attrs = dict(a)
    print(sens.format_top(shown, args.top))
    if args.every_year:
        print("(indices at every year are in the CSV: outputs named indicator@year)")
    print(f"outputs: {rel(csv)}, {rel(png)}")
    return 0


def _analyse(args, sens, sc, model, outputs):
    """The Sobol or Morris study the flags ask for."""
    if args.method == "sobol":
        return sens.sobol(sc, model, n=args.n or 512, outputs=outputs, seed=args.seed,
                          every_year=args.every_year, ranges=args.ranges, log=args.log)
    return sens.morris(sc, model, n=args.n or 100, outputs=outputs, seed=args.seed,
                       every_year=args.every_year, ranges=args.ranges, log=args.log)
