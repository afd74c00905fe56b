"""Lever paths: a scenario's table / step / ramp / growth forms turned into lookup tables.

A lever is a graphical function of Time in the model (e.g. ``new_incubators_path``). A
scenario replaces it from the year the change acts; before that year the model's default
(historical) path is kept. Paths are tabulated on an eighth-of-a-year grid (the model's TIME STEP)
so the Euler integration sees them exactly.

Time convention. Model time t is the end of calendar year t: the row of year Y in every output
is the model at t = Y, and calendar year Y is the model-time interval (Y-1, Y]. A lever value
given for year Y is the lever's value over (Y-1, Y]: it is at x = Y in the table (as in the model
file, whose tables are read the same way) and a change "from year Y" acts from the first time step
after Y-1 (:func:`acting`). So a value for year Y changes the year-Y row of every flow and
auxiliary and no earlier row: the end of year Y-1 (t = Y-1) still sees the value of year Y-1.

The price of that honesty is one time step: Euler integration evaluates a flow at the start of
each step, so the stocks at the end of year Y integrate the year-Y value over the last seven of
its eight steps (the first eighth of year Y is integrated from the value at t = Y-1, the end of
year Y-1). ``step: {year: 2025, to: 19}`` therefore builds 19 × 2.875 incubators in 2025-2027
rather than 19 × 3 (the rest is the old path's value for that eighth); finer TIME STEPs shrink
the difference.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import InputError

GRID_STEP = 0.125  # the model's TIME STEP (model/tianjin_innovation.mdl)
FORMS = ("constant", "table", "step", "steps", "ramp", "growth")
_EPS = 1e-9


def acting(x: np.ndarray, year: float) -> np.ndarray:
    """Boolean mask (m,) of the model times ``x`` (m,) in calendar year ``year`` or later: ``x > year - 1``."""
    return np.asarray(x, float) > year - 1.0 + _EPS


def years_since(x: np.ndarray, year: float) -> np.ndarray:
    """Whole calendar years (m,) from ``year`` to the year holding model time ``x`` (m,); 0 before it.

    Used to compound a growth rate: the value of year ``year`` is the starting value, the next
    year's is one rate higher. Constant within a calendar year, like the lever values themselves.
    """
    return np.clip(np.ceil(np.asarray(x, float) - _EPS) - year, 0, None)


@dataclass(frozen=True)
class LeverPath:
    """A lever's path: ``x`` model times (m,), ``y`` values (m,), changed from calendar year ``first_year``.

    ``acts_from`` is the first model time (grid point) at which the change acts, ``first_year - 1 +
    GRID_STEP``; ``x >= acts_from`` is the same mask as :func:`acting`. ``uncertainty`` is None or
    (kind, low, high) with kind 'shift' (added) or 'scale' (multiplied), drawn once per member and
    applied from ``first_year`` on.
    """

    name: str
    x: np.ndarray
    y: np.ndarray
    acts_from: float
    form: str
    spec: Any
    limits: tuple[float, float] | None = None
    uncertainty: tuple[str, float, float] | None = None

    @property
    def first_year(self) -> int:
        """The calendar year from which the change acts."""
        return math.floor(self.acts_from - _EPS) + 1

    @property
    def acting(self) -> np.ndarray:
        """Boolean mask (m,) of the grid points where the change acts."""
        return acting(self.x, self.first_year)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Per-member paths (n, m): the path with its declared uncertainty drawn for each member."""
        return self.with_draw(self.draw(rng, n), n)

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray | None:
        """The members' draws (n, 1) of the declared uncertainty (None without one), as :meth:`sample` takes them.

        Searches that try many paths on the same members (common random numbers) draw once and
        apply the same draws to every path with :meth:`with_draw`.
        """
        if self.uncertainty is None:
            return None
        _, lo, hi = self.uncertainty
        return rng.uniform(lo, hi, size=(n, 1))

    def with_draw(self, u: np.ndarray | None, n: int) -> np.ndarray:
        """Per-member paths (n, m): this path with the draws ``u`` (n, 1) of :meth:`draw` from ``first_year``."""
        y = np.broadcast_to(self.y, (n, self.y.size)).copy()
        if self.uncertainty is None or u is None:
            return y
        on = self.acting
        y[:, on] = y[:, on] + u if self.uncertainty[0] == "shift" else y[:, on] * u
        return self._clip(y)

    def shifted(self, delta: float | np.ndarray, mode: str = "level") -> np.ndarray:
        """Paths with a change from ``first_year``: ``level`` adds delta; ``growth`` compounds delta a year.

        ``delta`` scalar or (k,); returns (k, m).
        """
        d = np.atleast_1d(np.asarray(delta, dtype=float))[:, None]
        on = self.acting
        y = np.broadcast_to(self.y, (d.shape[0], self.y.size)).copy()
        if mode == "level":
            y[:, on] += d
        else:
            y[:, on] *= (1.0 + d) ** years_since(self.x, self.first_year)[on]
        return self._clip(y)

    def _clip(self, y: np.ndarray) -> np.ndarray:
        if self.limits is None:
            return y
        return np.clip(y, *self.limits)


def default_grid(start: float, end: float) -> np.ndarray:
    """The grid of model times (m,) from ``start`` to ``end``, one point per TIME STEP (:data:`GRID_STEP`)."""
    return np.round(np.arange(start, end + GRID_STEP / 2, GRID_STEP), 6)


def parse_lever(f: str, fld: str, spec: Any, default: tuple[np.ndarray, np.ndarray],
                limits: tuple[float, float] | None, start: int, end: int) -> LeverPath:
    """Validate one lever entry of a scenario and tabulate it.

    Parameters
    ----------
    f, fld : str
        The file and field shown in messages.
    spec : object
        The entry as read from YAML: a number or ``{form: body, uncertainty?: ...}``.
    default : tuple of arrays
        The model's own table (x (k,), y (k,)), x in calendar years.
    limits : tuple of float or None
        The lever's range declared in the model file.
    start, end : int
        The scenario's horizon (calendar years).
    """
    x = default_grid(start, end)
    base = np.interp(x, np.asarray(default[0], float), np.asarray(default[1], float))
    if isinstance(spec, (int, float)) and not isinstance(spec, bool):
        spec = {"constant": spec}
    if not isinstance(spec, dict):
        raise InputError(f, fld, "must be a number or a mapping with one of " + ", ".join(FORMS),
                         "write e.g. {table: {2023: 10, 2027: 20}} or {step: {year: 2025, to: 20}}")
    forms = [k for k in spec if k in FORMS]
    extra = set(spec) - set(FORMS) - {"uncertainty"}
    if len(forms) != 1 or extra:
        raise InputError(f, fld, "needs exactly one of " + ", ".join(FORMS) + " (and optionally uncertainty)",
                         "write e.g. {ramp: {start: 2025, end: 2027, to: 1000}}")
    form = forms[0]
    first, path, base = _FORM_PATHS[form](f, f"{fld}.{form}", spec[form], x, base, start, end)
    on = acting(x, first)
    y = np.where(on, path, base)
    _check_limits(f, fld, y, limits)
    unc = _uncertainty(f, fld, spec.get("uncertainty"))
    acts = float(x[on][0]) if on.any() else float(end)
    return LeverPath(fld.split(".", 1)[1], x, y.astype(float), acts, form, spec, limits, unc)


# Each form's parser: (f, field, body, x (m,), default path base (m,), start, end) -> (first year the change
# acts, the form's path (m,), the path before that year (m,): the default, unless the form says ``from``).
def _constant(f, sub, body, x, base, start, end):
    return start, np.full_like(base, _num(f, sub, body)), base


def _table(f, sub, body, x, base, start, end):
    if not isinstance(body, dict) or not body:
        raise InputError(f, sub, "must map years to values", "write {2023: 10, 2027: 20}")
    years = np.array([_year(f, f"{sub}.{k}", k, start, end) for k in body], float)
    vals = np.array([_num(f, f"{sub}.{k}", v) for k, v in body.items()], float)
    order = np.argsort(years)
    years, vals = years[order], vals[order]
    return int(years[0]), np.interp(x, years, vals), base  # the first value holds over its whole year


def _step(f, sub, body, x, base, start, end):
    body = _mapping(f, sub, body, {"year", "to"}, {"from"})
    first = _year(f, f"{sub}.year", body["year"], start, end)
    path = np.full_like(base, _num(f, f"{sub}.to", body["to"]))
    if "from" in body:
        base = np.full_like(base, _num(f, f"{sub}.from", body["from"]))
    return first, path, base


def _steps(f, sub, body, x, base, start, end):
    # piecewise constant: the value given for year Y holds from Y until the next year given
    if not isinstance(body, dict) or not body:
        raise InputError(f, sub, "must map years to values", "write {2025: 600, 2026: 1000}")
    given = sorted((_year(f, f"{sub}.{k}", k, start, end), _num(f, f"{sub}.{k}", v)) for k, v in body.items())
    first, path = given[0][0], np.full_like(base, given[0][1])
    for year, value in given[1:]:
        path[acting(x, year)] = value
    return first, path, base


def _ramp(f, sub, body, x, base, start, end):
    body = _mapping(f, sub, body, {"start", "end", "to"}, {"from"})
    t0 = _year(f, f"{sub}.start", body["start"], start, end)
    t1 = _year(f, f"{sub}.end", body["end"], start, end)
    if t1 <= t0:
        raise InputError(f, f"{sub}.end", "must be after start", "make end later than start")
    v0 = _num(f, f"{sub}.from", body["from"]) if "from" in body else float(np.interp(t0, x, base))
    return t0, np.interp(x, [t0, t1], [v0, _num(f, f"{sub}.to", body["to"])]), base


def _growth(f, sub, body, x, base, start, end):
    body = _mapping(f, sub, body, {"from_year", "rate"}, set())
    first = _year(f, f"{sub}.from_year", body["from_year"], start, end)
    rate = _num(f, f"{sub}.rate", body["rate"], allow_negative=True)
    v0 = float(np.interp(first, x, base))
    with np.errstate(over="ignore"):  # an overflowing path is refused by _check_limits, with its own message
        path = v0 * (1.0 + rate) ** years_since(x, first)
    return first, path, base


_FORM_PATHS = {"constant": _constant, "table": _table, "step": _step, "steps": _steps, "ramp": _ramp,
               "growth": _growth}
assert tuple(_FORM_PATHS) == FORMS


def _uncertainty(f: str, fld: str, spec: Any) -> tuple[str, float, float] | None:
    if spec is None:
        return None
    if not isinstance(spec, dict) or len(spec) != 1 or next(iter(spec)) not in ("shift", "scale"):
        raise InputError(f, f"{fld}.uncertainty", "must be {shift: [low, high]} or {scale: [low, high]}",
                         "e.g. uncertainty: {shift: [-0.01, 0.01]} adds U(-0.01, 0.01) to the path")
    kind, pair = next(iter(spec.items()))
    if not isinstance(pair, (list, tuple)) or len(pair) != 2:
        raise InputError(f, f"{fld}.uncertainty.{kind}", "must be a pair [low, high]", "write e.g. [0.8, 1.2]")
    lo = _num(f, f"{fld}.uncertainty.{kind}", pair[0], allow_negative=True)
    hi = _num(f, f"{fld}.uncertainty.{kind}", pair[1], allow_negative=True)
    if hi < lo or (kind == "scale" and lo < 0):
        raise InputError(f, f"{fld}.uncertainty.{kind}", f"[{lo}, {hi}] is not a valid range",
                         "use low <= high (and low >= 0 for scale)")
    return kind, lo, hi


def _check_limits(f: str, fld: str, y: np.ndarray, limits) -> None:
    if not np.isfinite(y).all():
        raise InputError(f, fld, "the path grows beyond any finite value",
                         "use a smaller growth rate or a shorter horizon")
    if np.any(y < 0) and (limits is None or limits[0] >= 0):
        raise InputError(f, fld, f"negative value {y.min():g}", "rates and counts are non-negative: use values >= 0")
    if limits is not None:
        lo, hi = limits
        if y.min() < lo - 1e-12 or y.max() > hi + 1e-12:
            bad = y.min() if y.min() < lo else y.max()
            raise InputError(f, fld, f"value {bad:g} outside the lever's range [{lo:g}, {hi:g}] in the model file",
                             f"use values from {lo:g} to {hi:g}")


def _mapping(f: str, fld: str, body: Any, required: set, optional: set) -> dict:
    if not isinstance(body, dict) or not required <= set(body) or set(body) - required - optional:
        want = ", ".join(sorted(required))
        if optional:
            want += " (optional: " + ", ".join(sorted(optional)) + ")"
        raise InputError(f, fld, f"needs {want}", f"write {fld.rsplit('.', 1)[1]}: {{" +
                         ", ".join(f"{k}: ..." for k in sorted(required)) + "}")
    return body


def _num(f: str, fld: str, v: Any, allow_negative: bool = True) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not _finite(v):
        raise InputError(f, fld, f"must be a number, got {v!r}", "write a plain number without quotes or units")
    return float(v)


def _finite(v: float) -> bool:
    try:
        return math.isfinite(float(v))
    except OverflowError:
        return False


def _year(f: str, fld: str, v: Any, start: int, end: int) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not _finite(v) or float(v) != int(v):
        raise InputError(f, fld, f"year must be a whole number, got {v!r}", "write a year such as 2025")
    if not start <= int(v) <= end:
        raise InputError(f, fld, f"year {int(v)} is outside the horizon {start}..{end}",
                         f"use a year in {start}..{end} or extend horizon.end")
    return int(v)
