"""The measurement model (calibration/measurement.yaml): which observations meet which model variable.

``comparisons(until)`` gives one row per observation the likelihood uses, with its sigma, whether it is
censored (a lower bound) and its discrepancy group; ``history(series, until)`` gives a series' observed
values at any year (the baseline's input; lower bounds are not values and are left out).

``until`` is the data vintage: no function here returns a row of a later year, so a calibration as of
``until`` cannot see later figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .. import paths
from ..errors import InputError
from ..observed import HISTORY_KINDS, load_observed

TRANSFORMS = ("level", "annual_difference")
LOWER_BOUND = "lower-bound"
#: Kinds compared with the model: values, and lower bounds (censored).
COMPARED_KINDS = (*HISTORY_KINDS, LOWER_BOUND)
MEASUREMENT_YAML = paths.CALIBRATION / "measurement.yaml"


@dataclass
class Measurement:
    """The measurement model: calibration/measurement.yaml read, with the observed table it refers to.

    Attributes
    ----------
    spec : dict
        The YAML as read (``region``, ``horizon_start``, ``sigma``, ``discrepancy``, ``predictive_sigma``,
        ``series``, ``excluded``); see the comments in calibration/measurement.yaml for each key.
    observed : pandas.DataFrame
        The observed table (calibration/observed.csv, one row per cited figure).
    path : str
        The YAML's path, for messages.
    """

    spec: dict
    observed: pd.DataFrame
    path: str

    @property
    def region(self) -> str:
        """The region whose observations are compared (``tianjin``)."""
        return self.spec["region"]

    @property
    def horizon_start(self) -> int:
        """First year the model covers (calendar year); earlier rows feed the naive baseline only."""
        return int(self.spec["horizon_start"])

    @property
    def predictive_sigma(self) -> float:
        """Measurement sigma (log scale, dimensionless) of a future published figure, for predictive draws."""
        return float(self.spec["predictive_sigma"])

    @cached_property
    def series(self) -> dict[str, dict]:
        """Compared series by observed indicator name -> its spec (``variable``, ``transform``, ``measure``...)."""
        return {s["observed"]: s for s in self.spec["series"]}

    @property
    def discrepancy_scale(self) -> float:
        """Scale of the half-normal prior of every sigma_d (log scale)."""
        return float(self.spec["discrepancy"]["scale"])

    @staticmethod
    def group_of(spec: dict) -> str:
        """The discrepancy group of a series: its model variable (``_diff`` appended for a difference)."""
        return spec["variable"] + ("_diff" if spec["transform"] == "annual_difference" else "")

    @property
    def last_year(self) -> int:
        """The latest year of any compared row (the newest data vintage)."""
        obs = self.observed
        sel = obs[(obs.region == self.region) & obs.indicator.isin(list(self.series)) & obs.kind.isin(COMPARED_KINDS)]
        return int(sel.year.max())

    def sigma(self, kind: str, bridge: float = 0.0) -> float:
        """Measurement sigma of one observation (log scale, dimensionless).

        Parameters
        ----------
        kind : str
            The row's kind (``actual``, ``estimate``, ``actual-uncertain-year``, ``lower-bound``).
        bridge : float, default 0
            The series' definitional-bridge sigma (log scale).

        Returns
        -------
        float
            ``sqrt(base^2 + kind_extra[kind]^2 + bridge^2)``: independent error sources added in quadrature.
        """
        sig = self.spec["sigma"]
        return float(np.sqrt(sig["base"] ** 2 + sig["kind_extra"][kind] ** 2 + bridge ** 2))

    def history(self, series: str, until: int | None = None, kinds=HISTORY_KINDS) -> pd.DataFrame:
        """Observed rows of one series up to ``until``, sorted by year.

        By default the values (actuals, estimates, uncertain-year actuals); never targets. ``kinds`` widens or
        narrows the kinds kept; ``until`` (a calendar year, the data vintage) drops every later row first.
        """
        df = self.observed
        if until is not None:
            df = df[df.year <= until]     # the vintage cut comes first: nothing later is looked at
        sel = df[(df.region == self.region) & (df.indicator == series) & df.kind.isin(kinds)]
        return sel.sort_values("year")

    def comparisons(self, until: int | None = None, since: int | None = None) -> pd.DataFrame:
        """Rows compared with the model, years ``since``..``until`` (calendar years, both inclusive).

        Columns: series, variable, transform, year, value, kind, measure, bridge, sigma (measurement, log
        scale), censored (a lower bound), group (discrepancy group); one row per observation.
        """
        rows = []
        for name, s in self.series.items():
            h = self.history(name, until, kinds=COMPARED_KINDS)
            h = h[h.year >= max(self.horizon_start + (s["transform"] == "annual_difference"), since or 0)]
            for r in h.itertuples():
                bridge = float(s.get("bridge") or 0.0)
                rows.append({"series": name, "variable": s["variable"], "transform": s["transform"],
                             "year": int(r.year), "value": float(r.value), "kind": r.kind, "measure": s["measure"],
                             "bridge": bridge, "sigma": self.sigma(r.kind, bridge),
                             "censored": r.kind == LOWER_BOUND, "group": self.group_of(s)})
        cols = ["series", "variable", "transform", "year", "value", "kind", "measure", "bridge", "sigma",
                "censored", "group"]
        return pd.DataFrame(rows, columns=cols).sort_values(["series", "year"]).reset_index(drop=True)

    def check(self, model=None) -> list[str]:
        """Problems with the YAML against observed.csv (and the model); empty when consistent."""
        problems = []
        obs = self.observed[self.observed.region == self.region]
        for name, s in self.series.items():
            if s["transform"] not in TRANSFORMS:
                problems.append(f"{name}: transform {s['transform']} not in {TRANSFORMS}")
            rows = obs[obs.indicator == name]
            if rows.empty:
                problems.append(f"{name}: no rows in observed.csv")
            elif set(rows.measure) != {s["measure"]}:
                problems.append(f"{name}: measure {s['measure']} but observed.csv says {sorted(set(rows.measure))}")
            if model is not None and s["variable"] not in model.variables:
                problems.append(f"{name}: {s['variable']} is not a model variable")
        for name in self.spec.get("excluded", {}):
            if name in self.series:
                problems.append(f"{name}: both compared and excluded")
        return problems


def load_measurement(path: str | Path | None = None, observed: pd.DataFrame | None = None) -> Measurement:
    """Read measurement.yaml (default ``calibration/measurement.yaml``) with the observed table.

    Parameters
    ----------
    path : str or Path, optional
        The measurement YAML.
    observed : pandas.DataFrame, optional
        The observed table (default: ``calibration/observed.csv``); tests pass a modified copy.

    Returns
    -------
    Measurement
    """
    path = Path(path or MEASUREMENT_YAML)
    if not path.is_file():
        raise InputError(str(path), "", "measurement model not found", "restore calibration/measurement.yaml")
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Measurement(spec, load_observed() if observed is None else observed, str(path))
