"""Refuse an ensemble size the machine's memory cannot hold, before any work starts.

An ensemble keeps every member's trajectory of every output series (n × series × time points
float64) and works on a few copies of it (quantiles, verdicts, CSV tables). Measured on the
Tianjin model: about 4 kB a member with 23 series × 15 years, 1.6 times the bare trajectories;
:data:`OVERHEAD` = 3 leaves a margin.
"""

from __future__ import annotations

import os

from .errors import InputError

#: Working copies of the trajectories a run holds at once (measured 1.6; 3 leaves a margin).
OVERHEAD = 3.0
#: Share of the available memory a run may plan to use.
USABLE = 0.8


def available_bytes() -> int | None:
    """Memory available to a new allocation now (Linux ``MemAvailable``), or None when unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def bytes_per_member(series: int, times: int) -> float:
    """Planned bytes per ensemble member for ``series`` output series over ``times`` time points."""
    return OVERHEAD * 8.0 * series * times + 2048.0  # + parameters and lever draws


def max_members(series: int, times: int, available: int | None = None) -> int | None:
    """The largest ensemble that fits in memory (None when the available memory is unknown)."""
    available = available_bytes() if available is None else available
    if available is None:
        return None
    return int(USABLE * available // bytes_per_member(series, times))


def check_samples(samples: int | None, series: int, times: int, name: str = "samples", field: str = "") -> None:
    """Refuse ``samples`` below 1 or above what memory holds, naming the largest size that fits.

    Parameters
    ----------
    samples : int or None
        The requested ensemble size (None: the scenario's own, checked by the caller).
    series, times : int
        Output series and time points each member keeps.
    name, field : str
        Where the size came from, shown in messages: the parameter (``samples``; the CLI shows
        ``--samples``), or a scenario file and its field (``uncertainty.samples``).

    Raises
    ------
    innosd.errors.InputError
    """
    if samples is None:
        return
    if samples < 1:
        raise InputError(name, field, f"{samples} is not a valid sample size", "use a whole number >= 1")
    most = max_members(series, times)
    if most is not None and samples > most:
        need = samples * bytes_per_member(series, times) / 2**30
        raise InputError(name, field, f"{samples:,} members need about {need:,.1f} GiB, more than this machine has "
                         f"available ({(available_bytes() or 0) / 2**30:.1f} GiB)",
                         f"use {most:,} or fewer")
