"""Plan targets as policy inputs (model/plan_targets.yaml): the target levers' defaults and when each was known.

The goal-seeking structure pushes each tier towards its plan target (a lever). The defaults come from the
plan documents; a forecast or run as of data vintage Y must not know a plan published later, so
:func:`known_target_lookups` gives the target levers with only the targets known by Y.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import paths
from .errors import InputError


@dataclass(frozen=True)
class PlanTarget:
    """One plan target of a lever.

    ``lever``, in force in calendar years ``first``..``last``, ``value``, its source and quote, and the first
    data vintage that knew it (``known_from``).
    """

    lever: str
    first: int
    last: int
    value: float
    source: str
    quote: str
    known_from: int


def plan_targets_path() -> Path:
    """model/plan_targets.yaml of the current project."""
    return paths.MODEL_FILE.parent / "plan_targets.yaml"


def load_plan_targets(path: str | Path | None = None) -> list[PlanTarget]:
    """The plan targets of ``path`` (default model/plan_targets.yaml; [] when the project has none)."""
    path = Path(path or plan_targets_path())
    if not path.is_file():
        return []
    st = path.stat()
    return list(_load(str(path.resolve()), st.st_mtime_ns))


@lru_cache(maxsize=4)
def _load(path: str, _mtime: int) -> tuple[PlanTarget, ...]:
    from . import textio

    data, _ = textio.read_yaml(Path(path), "yaml", "plan targets file")
    items = data.get("targets") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise InputError(textio.shown(path), "targets", "missing list of targets", "restore model/plan_targets.yaml")
    out = []
    for i, t in enumerate(items):
        try:
            first, last = (int(y) for y in t["years"])
            out.append(PlanTarget(str(t["lever"]), first, last, float(t["value"]), str(t["source"]),
                                  str(t["quote"]), int(t["known_from"])))
        except (KeyError, TypeError, ValueError):
            raise InputError(textio.shown(path), f"targets[{i}]",
                             "needs lever, years [first, last], value, source, quote and known_from",
                             "copy the form of the entries above it") from None
    return tuple(out)


def target_table(targets: list[PlanTarget], start: float, end: float, step: float) -> tuple[np.ndarray, np.ndarray]:
    """The lever table (x (m,), y (m,)) of one lever's targets.

    The value of calendar year Y over model time (Y - 1, Y] (a vertical step one TIME STEP ``step`` wide),
    0 (no target) elsewhere.
    """
    pts = {float(start): 0.0, float(end): 0.0}
    for t in sorted(targets, key=lambda t: t.first):
        pts.setdefault(float(t.first - 1), 0.0)
        pts[float(t.first - 1) + step] = t.value
        pts[float(t.last)] = t.value
        pts.setdefault(float(t.last) + step, 0.0)
    x = np.array(sorted(pts))
    return x, np.array([pts[v] for v in x])


def known_target_lookups(model, vintage: int | None, targets: list[PlanTarget] | None = None) -> dict:
    """Lookup overrides (lever -> (x, y)) that drop the targets not yet known at data vintage ``vintage``.

    Only levers with at least one unknown target are returned; {} when every target is known (or
    ``vintage`` is None: the latest data).
    """
    targets = load_plan_targets() if targets is None else targets
    if vintage is None:
        return {}
    out = {}
    start, end = float(model.control["initial_time"]), 2035.0
    step = float(model.control["time_step"])
    for lever in dict.fromkeys(t.lever for t in targets):
        mine = [t for t in targets if t.lever == lever]
        known = [t for t in mine if t.known_from <= vintage]
        if len(known) < len(mine) and lever in model.lookups:
            out[lever] = target_table(known, start, max(end, float(model.lookups[lever][0][-1])), step)
    return out
