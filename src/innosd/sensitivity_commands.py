"""CLI commands `innosd sensitivity` and `innosd check`: thin layers over innosd.sensitivity and innosd.checks."""

from __future__ import annotations

from pathlib import Path

from . import paths
from .errors import InputError


def register() -> list:
    """(name, help, add_arguments) for cli._EXTRA."""
    return [
        ("sensitivity", "global sensitivity (Sobol or Morris) of a scenario's targets", _add_sensitivity),
        ("check", "run the model checks of model/checks.yaml (extreme conditions, integration error, units)",
         _add_check),
    ]


def _add_sensitivity(p) -> None:
    p.add_argument("scenario")
    p.add_argument("--method", choices=["sobol", "morris"], default="sobol")
    p.add_argument("--output", help="a target id, '<id>:met', or an indicator (with --year); default: every target")
    p.add_argument("--year", type=int, help="year of --output when it is an indicator")
    p.add_argument("--n", type=int, help="Sobol: base sample, a power of two (default 512; runs = n (D+2)); "
                                         "Morris: trajectories (default 100; runs = n (D+1))")
    p.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    p.add_argument("--every-year", action="store_true", help="also the indices of each targeted indicator at every year")
    p.add_argument("--ranges", choices=["auto", "prior", "posterior"], default="auto",
                   help="parameter ranges: posterior 1st-99th percentiles when calibration/posterior.csv exists "
                        "(auto, default), else parameters.yaml low-high (prior)")
    p.add_argument("--log", action="store_true",
                   help="analyse the log of each value output (for outputs spread over orders of magnitude)")
    p.add_argument("--top", type=int, default=5, help="drivers printed per output (default 5)")
    p.add_argument("--out", help="output folder (default reports/<scenario name>/)")
    p.set_defaults(func=cmd_sensitivity)


def _add_check(p) -> None:
    p.add_argument("--model", help="Vensim model file (default: the one named in the checks file)")
    p.add_argument("--checks", help="checks file (default model/checks.yaml)")
    p.add_argument("--only", nargs="+", metavar="ID", help="run only these check ids")
    p.add_argument("--verbose", "-v", action="store_true", help="show passing findings too")
    p.set_defaults(func=cmd_check)


def cmd_sensitivity(args) -> int:
    import matplotlib

    matplotlib.use("Agg")
    from . import sensitivity as sens
    from .model import load_model
    from .scenario import load_scenario

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
    if args.method == "sobol":
        df = sens.sobol(sc, model, n=args.n or 512, outputs=outputs, seed=args.seed,
                        every_year=args.every_year, ranges=args.ranges, log=args.log)
    else:
        df = sens.morris(sc, model, n=args.n or 100, outputs=outputs, seed=args.seed,
                         every_year=args.every_year, ranges=args.ranges, log=args.log)
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
    print(f"outputs: {_rel(csv)}, {_rel(png)}")
    return 0


def cmd_check(args) -> int:
    from .checks import format_results, run_checks

    if args.model and not Path(args.model).is_file():
        raise InputError(args.model, "", "model file not found", "pass the path of a Vensim .mdl file")
    results = run_checks(args.model, args.checks, only=args.only)
    if args.only and not results:
        raise InputError("--only", "", "no check with these ids", "see the ids in model/checks.yaml")
    print(format_results(results, verbose=args.verbose))
    return 0 if all(r.ok for r in results) else 1


def _rel(p) -> str:
    try:
        return str(Path(p).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(p)

