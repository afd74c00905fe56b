"""The one reader of a posterior.csv: the draws a calibration wrote, checked before any run uses them.

A posterior.csv (written by :meth:`innosd.calibration.calibrate.CalibrationRun.frame` and
:func:`innosd.calibration.summary.mixture_frame`) has one column per model constant, ``sigma_d.<group>``
discrepancy columns and bookkeeping columns (:data:`BOOKKEEPING`). A hand-edited or damaged file is refused
with one line naming the file, the column and the fix: a column that is none of those (a renamed constant
would otherwise be ignored silently), a cell that is not a finite number, a constant outside its prior's
bounds (calibration/parameters.yaml), a negative discrepancy or weight.

The file is read once per version (the web page runs scenario after scenario on it); every check runs
inside that cached read, so a run pays for them once.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError

DISCREPANCY_PREFIX = "sigma_d."  #: columns of the discrepancy scale of each data group
#: Columns a calibration writes besides constants and discrepancies (``structure`` is text, the rest numbers).
BOOKKEEPING = ("structure", "run", "log_lik", "log_prob", "log_prior", "weight")
FIX = "recalibrate with `innosd calibrate`, or restore the file from git"
_SLACK = 1e-6  #: relative slack on the prior bounds: the file keeps 8 significant digits


@lru_cache(maxsize=8)
def read_posterior(path: str, mtime_ns: int, size: int, shown: str, constants: tuple, priors_file: tuple | None):
    """(draws, discrepancy, sha256, weights) of a posterior.csv, read and checked once per file version.

    Parameters
    ----------
    path : str
        The file (resolved).
    mtime_ns, size : int
        Its version (part of the cache key).
    shown : str
        The file as shown in messages.
    constants : tuple of str
        The model's constants (sorted): the columns taken as parameters.
    priors_file : tuple or None
        ``(path, mtime_ns, size)`` of the parameters.yaml whose bounds the constants must lie in; None to
        skip the bounds (no such file).

    Returns
    -------
    draws : pandas.DataFrame
        (k, p) the constants' values, one row per draw.
    discrepancy : pandas.DataFrame or None
        (k, g) discrepancy scale per data group (columns without the prefix).
    sha256 : str
        Of the file's bytes.
    weights : numpy.ndarray or None
        (k,) each draw's probability when the posterior mixes model structures (its ``weight`` column).

    Raises
    ------
    innosd.errors.InputError
        One line naming the file, the column (and row) and the fix. Callers must not change the frames.
    """
    df = _read_numbers(path, shown)
    cols = [c for c in df.columns if c in constants]
    disc = [c for c in df.columns if c.startswith(DISCREPANCY_PREFIX)]
    extra = ["weight"] if "weight" in df.columns else []
    for c in df.columns:
        if c not in constants and c not in BOOKKEEPING and not c.startswith(DISCREPANCY_PREFIX):
            raise InputError(shown, c, "is neither a constant of the model nor a column a calibration writes",
                             _did_you_mean(c, constants))
    if not cols or df.empty:
        raise InputError(shown, "", "no parameter columns or no draws", FIX)
    values = df[cols + disc + extra]
    for c in values.columns:
        bad = ~np.isfinite(values[c].to_numpy(float))
        if bad.any():
            raise InputError(shown, c, f"row {_row(bad)}: {values[c].iloc[_first(bad)]} is not a finite number", FIX)
        if c in disc or c in extra:
            neg = values[c].to_numpy(float) < 0
            if neg.any():
                raise InputError(shown, c, f"row {_row(neg)}: {values[c].iloc[_first(neg)]} is negative", FIX)
    if extra and values["weight"].sum() <= 0:
        raise InputError(shown, "weight", "the weights sum to 0", FIX)
    if priors_file is not None:
        _check_bounds(values[cols], shown, priors_file[0])
    sha = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    discrepancy = values[disc].rename(columns=lambda c: c[len(DISCREPANCY_PREFIX):]) if disc else None
    weights = (values["weight"].to_numpy(float) / values["weight"].sum()) if extra else None
    return values[cols], discrepancy, sha, weights


def _read_numbers(path: str, shown: str) -> pd.DataFrame:
    """The file with every column but ``structure`` as float64 (a fixed dtype: no pandas DtypeWarning)."""
    try:
        header = pd.read_csv(path, nrows=0).columns
        dtype = {c: (str if c == "structure" else "float64") for c in header}
        try:
            return pd.read_csv(path, dtype=dtype)
        except ValueError:  # a cell that is not a number: find it (rare, so a second, text read is fine)
            text = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(shown, "", f"corrupt posterior file ({str(exc).splitlines()[0][:80]})", FIX) from None
    for c in header:
        if c != "structure":
            bad = pd.to_numeric(text[c], errors="coerce").isna().to_numpy()
            if bad.any():
                raise InputError(shown, c, f"row {_row(bad)}: {text[c].iloc[_first(bad)]!r} is not a number", FIX)
    raise InputError(shown, "", "corrupt posterior file (a cell is not a number)", FIX)  # pragma: no cover


def _check_bounds(draws: pd.DataFrame, shown: str, parameters_yaml: str) -> None:
    """Refuse a constant outside its prior's [low, high] (slack :data:`_SLACK` of the range)."""
    from .calibration.priors import load_priors

    priors = load_priors(parameters_yaml)
    for name, lo, hi in zip(priors.names, priors.low, priors.high, strict=True):
        if name not in draws.columns:
            continue
        x = draws[name].to_numpy(float)
        slack = _SLACK * (hi - lo)
        out = (x < lo - slack) | (x > hi + slack)
        if out.any():
            raise InputError(shown, name, f"row {_row(out)}: {x[_first(out)]:g} is outside the prior's range "
                             f"[{lo:g}, {hi:g}] (calibration/parameters.yaml)", FIX)


def _first(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


def _row(mask: np.ndarray) -> int:
    """The file's line number of the first True row (line 1 is the header)."""
    return _first(mask) + 2


def _did_you_mean(name: str, constants: tuple) -> str:
    from .scenario_fields import suggest

    return f"{suggest(name, constants, 'constants')} Else {FIX}"
