"""PySD's time grid: Euler steps, SAVEPER test and saved time stamps.

Reproduces ``pysd.py_backend.components.Time`` and ``Model._integrate``:
time accumulates as ``t = t + dt`` from INITIAL TIME while
``t + dt * 1e-5 < FINAL TIME``; a step is saved when ``(t - t0) % saveper``
or ``-(t - t0) % saveper`` is below ``dt * 1e-5``; saved stamps are rounded to
``-log10(dt * 1e-5)`` decimals.
"""

from __future__ import annotations

import numpy as np

from .errors import ParameterError

RPREC = 1e-5


def time_grid(initial_time, control_at):
    """PySD's grid; ``control_at(t)`` gives the control values in force at time t.

    Returns (times: list of np.float64, saves: list of bools, saved stamps:
    ndarray (T,), steps: list of (dt, final_time, saveper, initial_time) per time).
    """
    times, saves, steps = [], [], []
    t = np.float64(initial_time)
    while True:
        ctl = control_at(t)
        dt, final, saveper = ctl["time_step"], ctl["final_time"], ctl["saveper"]
        if not dt > 0 or not saveper > 0:
            raise ParameterError(f"TIME STEP and SAVEPER must be positive, got {dt!r} and "
                                 f"{saveper!r}")
        prec = dt * RPREC
        delay = t - initial_time
        times.append(t)
        steps.append((dt, final, saveper, ctl["initial_time"]))
        saves.append(bool(delay % saveper < prec or -delay % saveper < prec))
        if not t + prec < final:
            break
        t = t + dt
    stamps = np.array([np.round(tt, -int(np.log10(st[0] * RPREC)))
                       for tt, s, st in zip(times, saves, steps, strict=True) if s], dtype=float)
    return times, saves, stamps, steps
