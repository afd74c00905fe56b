"""The value at a year, and the quantity a target compares: the one helper for both.

Every module that reads "the value of an indicator in year Y" (the target table, the
ensemble, what-it-takes, sensitivity, the report) goes through :func:`value_at`, so the
rule for picking a year from a time grid lives here only: the saved time nearest to ``year``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["year_index", "value_at", "target_quantity", "target_value"]


def year_index(time, year: float) -> int:
    """Index of the saved time nearest to ``year``.

    Parameters
    ----------
    time : array_like, shape (T,)
        Saved times in years (e.g. 2016.0, 2017.0, ...).
    year : float
        Calendar year asked for.

    Returns
    -------
    int
        The index into ``time``.
    """
    return int(np.argmin(np.abs(np.asarray(time, float) - float(year))))


def value_at(time, values, year: float) -> np.ndarray:
    """Values at ``year``: the last axis of ``values`` indexed at :func:`year_index`.

    Parameters
    ----------
    time : array_like, shape (T,)
        Saved times in years.
    values : array_like, shape (..., T)
        Trajectories, e.g. (n, T) for n members.
    year : float
        Calendar year.

    Returns
    -------
    numpy.ndarray, shape (...)
        The values at that year, in the units of ``values``.
    """
    return np.asarray(values)[..., year_index(time, year)]


def target_quantity(time, values, target) -> np.ndarray:
    """The quantity a target compares over time: the indicator, or its change since ``target.change_since``.

    Parameters
    ----------
    time : array_like, shape (T,)
        Saved times in years.
    values : array_like, shape (n, T)
        The target indicator's trajectories.
    target : innosd.scenario.Target
        Any object with ``change_since`` (None or a year).

    Returns
    -------
    numpy.ndarray, shape (n, T)
        ``values``, minus each member's value at ``change_since`` when the target counts a change.
    """
    values = np.asarray(values, float)
    if getattr(target, "change_since", None) is None:
        return values
    return values - value_at(time, values, target.change_since)[..., None]


def target_value(time, values, target) -> np.ndarray:
    """The quantity a target compares, in its deadline year ``target.year``.

    Parameters
    ----------
    time : array_like, shape (T,)
        Saved times in years.
    values : array_like, shape (n, T)
        The target indicator's trajectories.
    target : innosd.scenario.Target
        Any object with ``year`` and ``change_since``.

    Returns
    -------
    numpy.ndarray, shape (n,)
        One value per member, in the indicator's unit.
    """
    return value_at(time, target_quantity(time, values, target), target.year)
