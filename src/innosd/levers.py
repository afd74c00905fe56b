"""Lever paths: a scenario's table / step / ramp / growth forms turned into lookup tables.

A lever is a graphical function of Time in the model (e.g. ``new_incubators_path``). A
scenario replaces it from the year the change acts; before that year the model's default
(historical) path is kept. Paths are tabulated on a quarter-year grid so the Euler
integration sees them exactly.

Years in a scenario are calendar years. Model time t is the end of year t, so the flows
of calendar year Y are integrated over model time [Y-1, Y): a lever value given for year Y
is placed at model time Y-1 (``CALENDAR_OFFSET``). "From 2025" thus builds the stocks of
2025, 2026 and 2027 at the end of 2027.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import InputError

GRID_STEP = 0.25
CALENDAR_OFFSET = 1.0  # model time = calendar year - 1 for the flows of that year
FORMS = ("constant", "table", "step", "ramp", "growth")


@dataclass(frozen=True)
class LeverPath:
    """A lever's path: ``x`` model times (m,), ``y`` values (m,), acting from model time ``acts_from``
    (calendar year ``first_year``).

    ``uncertainty`` is None or (kind, low, high) with kind 'shift' (added) or 'scale'
    (multiplied), drawn once per member and applied from ``acts_from`` on.
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
        return int(round(self.acts_from + CALENDAR_OFFSET))

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Per-member paths (n, m): the path with its declared uncertainty drawn for each member."""
        y = np.broadcast_to(self.y, (n, self.y.size)).copy()
        if self.uncertainty is None:
            return y
        kind, lo, hi = self.uncertainty
        u = rng.uniform(lo, hi, size=(n, 1))
        acting = self.x >= self.acts_from
        y[:, acting] = y[:, acting] + u if kind == "shift" else y[:, acting] * u
        return self._clip(y)

    def shifted(self, delta: float | np.ndarray, mode: str = "level") -> np.ndarray:
        """Paths with a change from ``acts_from``: ``level`` adds delta; ``growth`` compounds delta a year.

        ``delta`` scalar or (k,); returns (k, m).
        """
        d = np.atleast_1d(np.asarray(delta, dtype=float))[:, None]
        acting = self.x >= self.acts_from
        y = np.broadcast_to(self.y, (d.shape[0], self.y.size)).copy()
        if mode == "level":
            y[:, acting] += d
        else:
            years = np.clip(self.x - self.acts_from, 0, None)
            y[:, acting] *= (1.0 + d) ** years[acting]
        return self._clip(y)

    def _clip(self, y: np.ndarray) -> np.ndarray:
        if self.limits is None:
            return y
        return np.clip(y, *self.limits)


def default_grid(start: float, end: float) -> np.ndarray:
    return np.round(np.arange(start, end + GRID_STEP / 2, GRID_STEP), 6)


def parse_lever(f: str, fld: str, spec: Any, default: tuple[np.ndarray, np.ndarray],
                limits: tuple[float, float] | None, start: int, end: int) -> LeverPath:
    """Validate one lever entry of a scenario and tabulate it. ``default`` is the model's (x, y)."""
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
    body = spec[form]
    sub = f"{fld}.{form}"
    if form == "constant":
        y, acts = np.full_like(base, _num(f, sub, body)), float(start) - CALENDAR_OFFSET
    elif form == "table":
        if not isinstance(body, dict) or not body:
            raise InputError(f, sub, "must map years to values", "write {2023: 10, 2027: 20}")
        years = np.array([_year(f, f"{sub}.{k}", k, start, end) for k in body], float) - CALENDAR_OFFSET
        vals = np.array([_num(f, f"{sub}.{k}", v) for k, v in body.items()], float)
        order = np.argsort(years)
        years, vals = years[order], vals[order]
        acts = float(years[0])
        y = np.where(x >= acts, np.interp(x, years, vals), base)
    elif form == "step":
        body = _mapping(f, sub, body, {"year", "to"}, {"from"})
        acts = _year(f, f"{sub}.year", body["year"], start, end) - CALENDAR_OFFSET
        before = _num(f, f"{sub}.from", body["from"]) if "from" in body else None
        y = np.where(x >= acts, _num(f, f"{sub}.to", body["to"]), base if before is None else before)
    elif form == "ramp":
        body = _mapping(f, sub, body, {"start", "end", "to"}, {"from"})
        t0 = _year(f, f"{sub}.start", body["start"], start, end) - CALENDAR_OFFSET
        t1 = _year(f, f"{sub}.end", body["end"], start, end) - CALENDAR_OFFSET
        if t1 <= t0:
            raise InputError(f, f"{sub}.end", "must be after start", "make end later than start")
        v0 = _num(f, f"{sub}.from", body["from"]) if "from" in body else float(np.interp(t0, x, base))
        v1 = _num(f, f"{sub}.to", body["to"])
        acts = t0
        y = np.where(x >= t0, np.interp(x, [t0, t1], [v0, v1]), base)
    else:  # growth
        body = _mapping(f, sub, body, {"from_year", "rate"}, set())
        acts = _year(f, f"{sub}.from_year", body["from_year"], start, end) - CALENDAR_OFFSET
        rate = _num(f, f"{sub}.rate", body["rate"], allow_negative=True)
        v0 = float(np.interp(acts, x, base))
        y = np.where(x >= acts, v0 * (1 + rate) ** np.clip(x - acts, 0, None), base)
    _check_limits(f, fld, y, limits)
    unc = _uncertainty(f, fld, spec.get("uncertainty"))
    return LeverPath(fld.split(".", 1)[1], x, y.astype(float), acts, form, spec, limits, unc)


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
        want = ", ".join(sorted(required)) + ("" if not optional else " (optional: " + ", ".join(sorted(optional)) + ")")
        raise InputError(f, fld, f"needs {want}", f"write {fld.rsplit('.', 1)[1]}: {{" +
                         ", ".join(f"{k}: ..." for k in sorted(required)) + "}")
    return body


def _num(f: str, fld: str, v: Any, allow_negative: bool = True) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not np.isfinite(v):
        raise InputError(f, fld, f"must be a number, got {v!r}", "write a plain number without quotes or units")
    return float(v)


def _year(f: str, fld: str, v: Any, start: int, end: int) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or float(v) != int(v):
        raise InputError(f, fld, f"year must be a whole number, got {v!r}", "write a year such as 2025")
    if not start <= int(v) <= end:
        raise InputError(f, fld, f"year {int(v)} is outside the horizon {start}..{end}",
                         f"use a year in {start}..{end} or extend horizon.end")
    return int(v)
