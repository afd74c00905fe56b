"""Reference trajectories written by Vensim (``.tab`` / ``.csv``) and the comparison rule.

The rule is PySD's own test rule for the SDXorg test models: a simulated value
``s`` matches a reference value ``r`` when ``|s - r| <= 1e-5 + 1e-4 |r|``;
blank reference cells ("not recorded") are skipped and the control columns
(INITIAL TIME, FINAL TIME, TIME STEP, SAVEPER) are not compared.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

CONTROL_COLUMNS = frozenset({"FINAL TIME", "INITIAL TIME", "SAVEPER", "TIME STEP"})
ATOL, RTOL = 1e-5, 1e-4


def read_reference(path) -> pd.DataFrame:
    """Read a reference output file: float index ``Time``, one column per variable.

    Parameters
    ----------
    path : str or Path
        ``output.tab`` (tab separated) or ``output.csv``; any line ending, UTF-8 or Latin-1.

    Returns
    -------
    pandas.DataFrame
        Shape (T, columns); blank or non-numeric cells are NaN. Rows whose time is
        not a number are dropped.
    """
    path = Path(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    sep = "\t" if path.suffix.lower() == ".tab" else ","
    frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.set_index(frame.columns[0])
    frame.index = pd.to_numeric(frame.index.str.strip(), errors="coerce")
    frame = frame[~np.isnan(frame.index.to_numpy(float))]
    frame.index.name = "Time"
    return frame.apply(lambda col: pd.to_numeric(col.str.strip(), errors="coerce"))


def compared_columns(ref: pd.DataFrame) -> list:
    """Return the reference columns that are compared (all but the control columns)."""
    return [c for c in ref.columns
            if " ".join(c.replace("_", " ").upper().split()) not in CONTROL_COLUMNS]


@dataclass
class Comparison:
    """Outcome of comparing a simulation with a reference.

    Attributes
    ----------
    compared : list of str
        Columns compared (present in both).
    missing : list of str
        Reference columns the simulation does not have.
    mismatches : list of str
        One line per column that breaks the rule (first offending times and values).
    """

    compared: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    mismatches: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when at least one column was compared and none was missing or off."""
        return bool(self.compared) and not self.missing and not self.mismatches

    def summary(self, limit: int = 5) -> str:
        """Readable account of what failed (empty string when :attr:`ok`)."""
        lines = []
        if not self.compared:
            lines.append("no reference column found in the simulation")
        if self.missing:
            lines.append("missing columns: {}".format(", ".join(self.missing[:limit])))
        lines += self.mismatches[:limit]
        return "\n".join(lines)


def compare(sim: pd.DataFrame, ref: pd.DataFrame, atol: float = ATOL,
            rtol: float = RTOL) -> Comparison:
    """Compare a simulated frame with a reference frame by the rule above.

    Parameters
    ----------
    sim : pandas.DataFrame
        Index: saved times (model time unit); columns named as in ``ref``.
    ref : pandas.DataFrame
        From :func:`read_reference`.
    atol, rtol : float
        Absolute and relative tolerance (defaults: PySD's 1e-5 and 1e-4).

    Returns
    -------
    Comparison
    """
    out = Comparison()
    sim_times = sim.index.to_numpy(float)
    ref_times = ref.index.to_numpy(float)
    rows = np.abs(sim_times[None, :] - ref_times[:, None]).argmin(axis=1)
    # reference files round times too (10.0312 for 10.03125): match within 1e-5 relative
    found = np.abs(sim_times[rows] - ref_times) <= 1e-5 * (1.0 + np.abs(ref_times))
    for column in compared_columns(ref):
        if column not in sim.columns:
            out.missing.append(column)
            continue
        expected = ref[column].to_numpy(float)
        keep = ~np.isnan(expected)
        if not keep.any():
            continue
        got = np.full(expected.shape, np.nan)
        got[found] = sim[column].to_numpy(float)[rows[found]]
        bad = keep & ~(np.abs(got - expected) <= atol + rtol * np.abs(expected))
        out.compared.append(column)
        if bad.any():
            out.mismatches.append(
                f"{column!r} at t={ref_times[bad][:3].tolist()}: simulated "
                f"{got[bad][:3].tolist()}, reference {expected[bad][:3].tolist()}")
    return out
