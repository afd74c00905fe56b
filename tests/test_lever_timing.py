"""Lever timing on the engine: a value for calendar year Y changes the year-Y row of every output and no earlier row."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from conftest import REPO
from innosd.ensemble import Calibration, run_scenario
from innosd.levers import parse_lever
from innosd.scenario import load_scenario


@pytest.fixture(scope="module")
def bare(model):
    """The 2027 plan without its levers, run on the model's defaults (one member)."""
    sc = load_scenario(REPO / "scenarios" / "tianjin-2027-plan.yaml", model)
    sc = dataclasses.replace(sc, levers={})
    return sc, run_scenario(sc, model, samples=1, seed=1)


def _with(model, sc, name, spec):
    lever = parse_lever("t.yaml", f"levers.{name}", spec, model.lookups[name], model.lookup_limits.get(name),
                        sc.start, sc.end)
    return lever, run_scenario(dataclasses.replace(sc, levers={name: lever}), model, samples=1, seed=1)


def _changed_rows(a, b) -> list[int]:
    """Years whose row differs in any indicator."""
    years = set()
    for name, y in a.data.items():
        diff = ~np.isclose(y[0], b.data[name][0], rtol=1e-12, atol=0.0)
        years |= {int(t) for t in a.time[diff]}
    return sorted(years)


def _default_at(model, name, year):
    x, y = model.lookups[name]
    return float(np.interp(year, x, y))


# (lever, form, first calendar year whose value differs from the model's default)
FORMS = [
    ("rd_intensity_policy_increment", {"step": {"year": 2024, "to": -0.2}}, 2024),
    ("new_incubators_path", {"step": {"year": 2025, "to": 19, "from": 12}}, 2025),
    ("conversion_quota_path", {"table": {2024: 300, 2026: 600}}, 2024),
    ("conversion_quota_path", {"ramp": {"start": 2023, "end": 2026, "to": 900}}, 2024),  # 2023 holds the start value
    ("commissioner_dispatch_path", {"ramp": {"start": 2022, "end": 2025, "from": 1500, "to": 2000}}, 2022),
    ("gdp_growth_path", {"growth": {"from_year": 2024, "rate": 0.1}}, 2025),  # 2024 holds the start value
    ("government_rd_budget_path", {"constant": 1.3}, 2016),  # every year, the start's row included
    ("new_transfer_platforms_path", 25, 2017),  # its flow is no output: the stocks change from 2017
]


@pytest.mark.parametrize("name,spec,first", FORMS, ids=[f"{n}-{next(iter(s)) if isinstance(s, dict) else 'number'}"
                                                         for n, s, _ in FORMS])
def test_a_value_for_year_y_changes_row_y_and_no_earlier(model, bare, name, spec, first):
    sc, base = bare
    lever, res = _with(model, sc, name, spec)
    changed = _changed_rows(base, res)
    assert changed, "the lever changes the run"
    assert changed[0] == first, f"first changed row {changed[0]}, expected {first}"
    # the lever's own value in row Y is its value for year Y
    x_first = lever.x[np.searchsorted(lever.x, first)]
    assert x_first == first
    assert lever.y[lever.x == first][0] != pytest.approx(_default_at(model, name, first))


def test_rd_step_2024_lowers_2024_by_its_value(model, bare):
    sc, base = bare
    _, res = _with(model, sc, "rd_intensity_policy_increment", {"step": {"year": 2024, "to": -0.2}})
    for indicator in base.data:
        np.testing.assert_array_equal(res.at(indicator, 2023), base.at(indicator, 2023), err_msg=indicator)
    drop = base.at("rd_intensity", 2024)[0] - res.at("rd_intensity", 2024)[0]
    assert drop == pytest.approx(0.2, abs=0.005)  # 0.2 points, less the loop's small feedback within the year
    assert res.at("rd_expenditure", 2024)[0] < base.at("rd_expenditure", 2024)[0]


def test_step_builds_stocks_for_seven_eighths_of_its_first_year(model, bare):
    """Euler's left-point rule: the first step (an eighth) of year Y integrates the end-of-(Y-1) value (documented)."""
    sc, base = bare
    _, res = _with(model, sc, "new_incubators_path", {"step": {"year": 2025, "to": 19}})

    def built(r):
        return r.at("cumulative_incubators_built", 2027)[0] - r.at("cumulative_incubators_built", 2024)[0]

    assert built(base) == pytest.approx(3 * 12)
    assert built(res) == pytest.approx(3 * 12 + 2.875 * (19 - 12))


def test_uncertain_lever_acts_from_its_year_only(model, bare):
    sc, _ = bare
    name = "gdp_growth_path"
    lever = parse_lever("t.yaml", f"levers.{name}", {"step": {"year": 2023, "to": 0.05},
                                                     "uncertainty": {"shift": [-0.02, 0.02]}},
                        model.lookups[name], model.lookup_limits.get(name), sc.start, sc.end)
    defaults = Calibration("model defaults", None, None, pd.DataFrame([model.constants]))
    res = run_scenario(dataclasses.replace(sc, levers={name: lever}), model, samples=50, seed=3, calibration=defaults)
    gdp = res.data["gdp"]
    i2022, i2023 = (int(np.argmin(np.abs(res.time - y))) for y in (2022, 2023))
    assert np.ptp(gdp[:, i2022]) == 0.0, "no member differs before the lever's year"
    assert np.ptp(gdp[:, i2023]) > 0.0
