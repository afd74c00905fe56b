"""Calibration commands: ``calibrate``, ``forecast`` and ``backtest``."""

from __future__ import annotations

from pathlib import Path

from .. import paths
from ..calibration.settings import COMMITTED_VINTAGES, DEFAULT_SEED, FIRST_VINTAGE, LAST_DATA_YEAR, Settings
from ..errors import InputError
from ..scenario_fields import MAX_YEAR
from .common import rel

BACKTEST_ORIGINS = (2018, 2019, 2020, 2021)


def register(sub) -> None:
    """Add ``calibrate``, ``forecast`` and ``backtest`` to the sub-parsers ``sub``."""
    _add_calibrate(sub.add_parser(
        "calibrate", help="fit the free parameters to observed.csv as of a data vintage (MAP + SMC)"))
    _add_forecast(sub.add_parser(
        "forecast", help="calibrate on data up to --until, forecast every indicator to --to and score later data"))
    _add_backtest(sub.add_parser(
        "backtest", help="rolling-origin backtest: fit origins 2018-2021, forecast to 2022, score against baselines"))


def _sampler_args(sp):
    d = Settings()
    sp.add_argument("--particles", type=int, default=d.particles, help=f"SMC particles per run (default {d.particles})")
    sp.add_argument("--runs", type=int, default=d.runs, help=f"independent SMC runs, >= 2 (default {d.runs})")
    sp.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    sp.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")


def _add_calibrate(sp):
    sp.add_argument("--until", type=int, default=LAST_DATA_YEAR,
                    help=f"data vintage: use observations up to this year (default {LAST_DATA_YEAR}, all the data)")
    sp.add_argument("--all-vintages", action="store_true",
                    help=f"recalibrate every committed vintage ({', '.join(map(str, COMMITTED_VINTAGES))} and "
                         f"{LAST_DATA_YEAR}) into its folder")
    _sampler_args(sp)
    sp.add_argument("--out", help="output folder (default calibration/ for the latest vintage, "
                                  "calibration/vintages/YEAR/ for an older one)")
    sp.set_defaults(func=cmd_calibrate)


def _add_forecast(sp):
    sp.add_argument("--until", type=int, required=True, help="calibrate on observations up to this year")
    sp.add_argument("--to", type=int, required=True, help="forecast every year up to this one")
    _sampler_args(sp)
    sp.add_argument("--out", help="output folder (default reports/)")
    sp.set_defaults(func=cmd_forecast)


def _add_backtest(sp):
    sp.add_argument("--origins", type=int, nargs="+", default=list(BACKTEST_ORIGINS),
                    help="forecast origins (default 2018 2019 2020 2021)")
    sp.add_argument("--to", type=int, default=LAST_DATA_YEAR, help=f"last year scored (default {LAST_DATA_YEAR})")
    _sampler_args(sp)
    sp.add_argument("--out", help="output folder (default reports/backtest/)")
    sp.set_defaults(func=cmd_backtest)


def _check_until(until: int, flag: str = "--until") -> None:
    if not FIRST_VINTAGE <= until <= LAST_DATA_YEAR:
        raise InputError(flag, "", f"{until} is outside the data vintages {FIRST_VINTAGE}-{LAST_DATA_YEAR}",
                         f"pass a year from {FIRST_VINTAGE} to {LAST_DATA_YEAR}")


def _settings(args, until: int) -> Settings:
    _check_until(until)
    if args.particles < 50:
        raise InputError("--particles", "", f"{args.particles} is too few", "pass --particles 200 or more")
    if args.runs < 2:
        raise InputError("--runs", "", f"{args.runs} runs cannot be compared", "pass --runs 2 or more (default 4)")
    return Settings(until=until, particles=args.particles, runs=args.runs, seed=args.seed)


def _log(msg):
    print(msg, flush=True)


def _calibrate_one(args, until: int, out: Path) -> None:
    from ..calibration.calibrate import calibrate_structures
    from ..calibration.structures import structures_table
    from ..calibration.summary import (
        fit_table,
        format_fit_table,
        format_map_fit,
        format_structures,
        format_summary,
        write_vintage,
    )

    runs = calibrate_structures(_settings(args, until), progress=not args.no_progress, log=_log)
    tables = []
    for run in runs:
        print(format_map_fit(run))
        print(format_summary(run))
        tables.append(fit_table(run))
        print("fit per series (model = posterior median; baseline = log-linear trend on the same years incl. "
              "pre-2016):")
        print(format_fit_table(tables[-1]))
    if runs[0].structure is not None:
        print(f"structures of vintage {until}, weighed by their evidence:")
        print(format_structures(structures_table(until, [r.structure for r in runs],
                                                 [r.diagnostics["log_evidence"] for r in runs],
                                                 [r.diagnostics["log_evidence_se"] for r in runs])))
    files = write_vintage(runs, tables, out)
    print(f"wrote {', '.join(rel(p) for p in files.values())} ({sum(r.seconds['total'] for r in runs):.1f} s)")


def cmd_calibrate(args) -> int:
    """Calibrate one data vintage (``--until``) or every committed one (``--all-vintages``); exit code 0.

    Every option is checked before anything runs; each vintage is written to its own folder
    (:func:`innosd.calibration.calibrate.vintage_folder`) unless ``--out`` names one.
    """
    from ..calibration.calibrate import vintage_folder

    if args.all_vintages:
        if args.out:
            raise InputError("--out", "", "cannot be combined with --all-vintages",
                             "drop --out: each vintage goes to its own folder")
        for until in (*COMMITTED_VINTAGES, LAST_DATA_YEAR):
            _check_until(until)
        for until in (*COMMITTED_VINTAGES, LAST_DATA_YEAR):
            print(f"== vintage {until} ==")
            _calibrate_one(args, until, vintage_folder(until))
        return 0
    _settings(args, args.until)                    # every option checked before anything runs
    _calibrate_one(args, args.until, Path(args.out) if args.out else vintage_folder(args.until))
    return 0


def cmd_forecast(args) -> int:
    """Calibrate on data up to ``--until``, forecast to ``--to``, score later data; print the files; exit code 0."""
    from ..calibration.backtest import forecast_files

    s = _settings(args, args.until)
    if not s.until < args.to <= MAX_YEAR:
        raise InputError("--to", "", f"{args.to} is not after --until {s.until} and up to {MAX_YEAR}",
                         f"pass a year from {s.until + 1} to {MAX_YEAR}")
    out = Path(args.out) if args.out else paths.REPORTS
    for line in forecast_files(s, args.to, out, progress=not args.no_progress, log=_log):
        print(line)
    return 0


def cmd_backtest(args) -> int:
    """Rolling-origin backtest: one calibration per ``--origins`` year, scored up to ``--to``; exit code 0."""
    from ..calibration.backtest import backtest_files

    for o in args.origins:
        _check_until(o, "--origins")
        if o >= LAST_DATA_YEAR:
            raise InputError("--origins", "", f"{o} leaves no later data to score (the data end in {LAST_DATA_YEAR})",
                             f"use origins from {FIRST_VINTAGE} to {LAST_DATA_YEAR - 1}")
    if not max(args.origins) < args.to <= LAST_DATA_YEAR:
        raise InputError("--to", "", f"{args.to} is not after every origin and up to {LAST_DATA_YEAR}",
                         f"pass a year from {max(args.origins) + 1} to {LAST_DATA_YEAR}")
    settings = [_settings(args, o) for o in sorted(set(args.origins))]
    out = Path(args.out) if args.out else paths.REPORTS / "backtest"
    for line in backtest_files(settings, args.to, out, progress=not args.no_progress, log=_log):
        print(line)
    return 0
