"""The one helper for the value at a year and the quantity a target compares."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from innosd.quantity import target_quantity, target_value, value_at, year_index

TIME = np.arange(2016.0, 2031.0)


@given(year=st.floats(2014, 2033))
def test_the_nearest_saved_year_is_taken(year):
    i = year_index(TIME, year)
    assert abs(TIME[i] - year) == np.min(np.abs(TIME - year))


@given(values=arrays(float, (5, TIME.size), elements=st.floats(-1e6, 1e6)),
       year=st.integers(2016, 2030), since=st.one_of(st.none(), st.integers(2016, 2030)))
def test_a_target_compares_its_level_or_its_change(values, year, since):
    target = SimpleNamespace(year=year, change_since=since)
    got = target_value(TIME, values, target)
    want = values[:, year - 2016] - (values[:, since - 2016] if since is not None else 0.0)
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(value_at(TIME, target_quantity(TIME, values, target), year), got)


def test_the_target_table_and_the_ensemble_use_it(model, repo):
    from innosd.api import run

    judged = run(repo / "scenarios" / "tianjin-2027-plan.yaml", samples=50, seed=3, model=model)
    result = judged.result
    for t, row in zip(result.scenario.targets, judged.table.itertuples(), strict=True):
        at = target_value(result.time, result.data[t.indicator], t)
        assert row.median == float(np.median(at))
        np.testing.assert_array_equal(result.at(t.indicator, t.year), value_at(result.time, result.data[t.indicator],
                                                                                t.year))
