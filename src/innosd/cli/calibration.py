"""Calibration commands: ``calibrate`` and ``forecast``."""

from __future__ import annotations

from pathlib import Path

from .. import paths
from ..calibration.calibrate import DEFAULT_SEED, LAST_DATA_YEAR, Settings
from ..errors import InputError
from .common import rel

FIRST_YEAR = 2016
LAST_FORECAST_YEAR = 2035      # the model's lever tables end here


def register(sub) -> None:
    """Add ``calibrate`` and ``forecast`` to the sub-parsers ``sub``."""
    _add_calibrate(sub.add_parser(
        "calibrate", help="fit the free parameters to observed.csv (MAP + MCMC); writes calibration/posterior.csv"))
    _add_forecast(sub.add_parser(
        "forecast", help="calibrate on data up to --until, forecast to --to and score the held-out years"))


def _sampler_args(sp, draws_default: int):
    d = Settings()
    sp.add_argument("--draws", type=int, default=draws_default, help=f"posterior draws kept (default {draws_default})")
    sp.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    sp.add_argument("--walkers", type=int, default=d.walkers, help=f"MCMC walkers (default {d.walkers})")
    sp.add_argument("--steps", type=int, default=d.steps, help=f"MCMC steps per walker (default {d.steps})")
    sp.add_argument("--burn", type=int, default=d.burn, help=f"burn-in steps discarded (default {d.burn})")
    sp.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")


def _add_calibrate(sp):
    sp.add_argument("--until", type=int, default=LAST_DATA_YEAR,
                    help=f"use observations up to this year (default {LAST_DATA_YEAR}, all the data)")
    _sampler_args(sp, Settings().draws)
    sp.add_argument("--out", help="output folder (default calibration/ for --until "
                                  f"{LAST_DATA_YEAR}, else reports/calibration-until-YEAR/)")
    sp.set_defaults(func=cmd_calibrate)


def _add_forecast(sp):
    sp.add_argument("--until", type=int, required=True, help="calibrate on observations up to this year")
    sp.add_argument("--to", type=int, required=True, help="forecast every year up to this one")
    _sampler_args(sp, Settings().draws)
    sp.set_defaults(func=cmd_forecast)


def _settings(args) -> Settings:
    if not FIRST_YEAR <= args.until <= LAST_DATA_YEAR:
        raise InputError("--until", "", f"{args.until} is outside the data years {FIRST_YEAR}-{LAST_DATA_YEAR}",
                         f"pass a year from {FIRST_YEAR} to {LAST_DATA_YEAR}")
    for name in ("draws", "walkers", "steps"):
        if getattr(args, name) < 1:
            raise InputError(f"--{name}", "", f"{getattr(args, name)} is not positive", "pass a whole number >= 1")
    if not 0 <= args.burn < args.steps:
        raise InputError("--burn", "", f"{args.burn} is not in [0, --steps)", "pass fewer burn-in steps than --steps")
    if args.walkers < 2:
        raise InputError("--walkers", "", "need at least 2 walkers", "pass --walkers 64 or more")
    return Settings(until=args.until, draws=args.draws, seed=args.seed, walkers=args.walkers,
                    steps=args.steps, burn=args.burn)


def _log(msg):
    print(msg, flush=True)


def _run(settings: Settings, progress: bool):
    from ..calibration.calibrate import calibrate

    return calibrate(settings, progress=progress, log=_log)


def cmd_calibrate(args) -> int:
    from ..calibration.calibrate import fit_table, format_fit_table, format_map_fit, format_summary, write_outputs

    s = _settings(args)
    if args.out:
        out = Path(args.out)
    elif s.until == LAST_DATA_YEAR:
        out = paths.CALIBRATION
    else:
        out = paths.REPORTS / f"calibration-until-{s.until}"
    run = _run(s, not args.no_progress)
    print(format_map_fit(run))
    print(format_summary(run))
    table = fit_table(run)
    print("fit per series (model = posterior median; baseline = log-linear trend on the same years incl. pre-2016):")
    print(format_fit_table(table))
    files = write_outputs(run, table, out)
    print(f"wrote {', '.join(rel(p) for p in files.values())} ({run.seconds['total']:.1f} s)")
    return 0


def cmd_forecast(args) -> int:
    import numpy as np

    from ..calibration.calibrate import fit_table, format_fit_table, format_summary
    from ..calibration.forecast import forecast_table, format_scores, score

    s = _settings(args)
    if not s.until < args.to <= LAST_FORECAST_YEAR:
        raise InputError("--to", "", f"{args.to} is not after --until {s.until} and up to {LAST_FORECAST_YEAR}",
                         f"pass a year from {s.until + 1} to {LAST_FORECAST_YEAR}")
    run = _run(s, not args.no_progress)
    print(format_summary(run))
    rng = np.random.default_rng(s.seed + 2)
    table = forecast_table(run, args.to, rng)
    per_obs, summ = score(run, rng)
    fits = fit_table(run)
    out = paths.REPORTS
    out.mkdir(parents=True, exist_ok=True)
    f_csv = out / f"forecast-until-{s.until}.csv"
    s_csv = out / f"forecast-until-{s.until}-scores.csv"
    t_csv = out / f"forecast-until-{s.until}-fit_table.csv"
    table.to_csv(f_csv, index=False, float_format="%.6g")
    scores = per_obs.assign(row="observation")
    if not summ.empty:
        scores = pd_concat([scores, summ.assign(row="summary")])
    scores.to_csv(s_csv, index=False, float_format="%.6g")
    fits.to_csv(t_csv, index=False, float_format="%.6g")
    print("fit per series, in sample (<= until) and out of sample:")
    print(format_fit_table(fits))
    print(f"out-of-sample scores (observations after {s.until}; the data hold no actual after {LAST_DATA_YEAR}):")
    print(format_scores(per_obs, summ))
    print(f"wrote {rel(f_csv)}, {rel(s_csv)}, {rel(t_csv)}")
    return 0


def pd_concat(frames):
    import pandas as pd

    return pd.concat(frames, ignore_index=True, sort=False)
