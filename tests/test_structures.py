"""Structural uncertainty.

The committed structures and their weights, members drawn across structures, the per-structure probabilities in
targets.csv, plan targets known per vintage, and the 2021 registers against the forecast made as of 2020.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from conftest import REPO, SHARED

VINTAGES = (2016, 2020, 2022)


def _folder(v: int):
    return REPO / "calibration" if v == 2022 else REPO / "calibration" / "vintages" / str(v)


def test_structures_csv_has_every_vintage_and_weights_summing_to_one(model):
    from innosd.calibration.structures import COLUMNS, evidence_weights, load_structures

    table = pd.read_csv(REPO / "calibration" / "structures.csv")
    assert list(table.columns) == list(COLUMNS)
    names = [s.name for s in load_structures(model=model)]
    for v in VINTAGES:
        rows = table[table.vintage == v]
        assert list(rows.structure) == names, v
        assert rows.weight.sum() == pytest.approx(1.0, abs=1e-6)
        np.testing.assert_allclose(rows.weight, evidence_weights(rows.log_evidence), atol=1e-5)
        assert (rows.log_evidence_se > 0).all() and rows.description.str.len().gt(40).all()
        # the vintage folder's own copy says the same
        own = pd.read_csv(_folder(v) / "structures.csv")
        pd.testing.assert_frame_equal(own[own.vintage == v].reset_index(drop=True), rows.reset_index(drop=True))


@pytest.mark.parametrize("vintage", VINTAGES)
def test_every_structure_of_every_vintage_converged(vintage):
    fit = yaml.safe_load((_folder(vintage) / "fit.yaml").read_text(encoding="utf-8"))
    assert fit["settings"]["until"] == vintage
    assert fit["diagnostics"]["rhat_max"] <= 1.01 and fit["diagnostics"]["ess_bulk_min"] >= 400
    assert fit["diagnostics"]["converged"] is True
    for s in fit["structures"]:
        assert s["converged"] and s["rhat_max"] <= 1.01 and s["ess_bulk_min"] >= 400, s["name"]
        own = yaml.safe_load((_folder(vintage) / s["fit"]).read_text(encoding="utf-8"))
        assert own["diagnostics"]["log_evidence"] == pytest.approx(s["log_evidence"])
    assert sum(s["weight"] for s in fit["structures"]) == pytest.approx(1.0, abs=1e-6)


def test_posterior_mixes_structures_by_their_weights(model):
    from innosd.calibration.structures import load_structures

    post = pd.read_csv(REPO / "calibration" / "posterior.csv")
    table = pd.read_csv(REPO / "calibration" / "structures.csv")
    w = table[table.vintage == 2022].set_index("structure").weight
    assert post.weight.sum() == pytest.approx(1.0)
    for st in load_structures(model=model):
        rows = post[post.structure == st.name]
        assert (rows[st.switch] == st.value).all()
        assert rows.weight.sum() == pytest.approx(w[st.name], abs=1e-6)


def test_members_are_drawn_across_structures_by_weight(model):
    from innosd.ensemble import run_scenario
    from innosd.scenario import load_scenario
    from innosd.targets import evaluate

    sc = load_scenario(REPO / "scenarios" / "tianjin-2022-plan.yaml")
    res = run_scenario(sc, model, samples=3000, seed=11)
    table = pd.read_csv(REPO / "calibration" / "structures.csv")
    w = table[table.vintage == 2022].set_index("structure").weight
    assert set(res.structure_names) == set(w.index)
    for name, weight in w.items():
        share = float(np.mean(res.structures == name))
        assert share == pytest.approx(weight, abs=4 * np.sqrt(weight * (1 - weight) / 3000) + 1e-3), name
    t = evaluate(res)
    cols = list(t.columns)
    at = cols.index("p_met_se")
    assert cols[at + 1: at + 1 + len(w)] == [f"p_met_{n}" for n in res.structure_names]
    # p_met combines the structures: the share-weighted mean of the per-structure probabilities
    forecast = t[t.kind == "forecast"]
    shares = np.array([np.mean(res.structures == n) for n in res.structure_names])
    combined = forecast[[f"p_met_{n}" for n in res.structure_names]].to_numpy() @ shares
    np.testing.assert_allclose(forecast.p_met, combined, atol=1e-12)


def test_a_scenario_can_pin_one_structure(model):
    from innosd.ensemble import run_scenario
    from innosd.scenario import load_scenario

    sc = load_scenario(REPO / "scenarios" / "tianjin-2022-plan.yaml")
    sc.parameters["recognition_structure"] = 1.0
    res = run_scenario(sc, model, samples=200, seed=3)
    assert (res.structures == "goal_seeking").all()
    post = pd.read_csv(REPO / "calibration" / "posterior.csv")
    mine = post[post.structure == "goal_seeking"]
    # only goal-seeking draws were used (their calibrated goal-closing times, not the default)
    assert set(np.round(res.params["goal_closing_time"], 6)) <= set(np.round(mine.goal_closing_time, 6))


def test_plan_targets_are_the_model_defaults_and_quoted(model):
    from innosd.plan_targets import load_plan_targets, target_table

    targets = load_plan_targets(REPO / "model" / "plan_targets.yaml")
    assert {t.lever for t in targets} >= {"chuying_target_path", "dengling_target_path", "lingjun_target_path",
                                          "high_tech_target_path"}
    grid = np.arange(2016, 2035.001, 0.125)
    dt = model.control["time_step"]
    for lever in {t.lever for t in targets}:
        x, y = target_table([t for t in targets if t.lever == lever], 2016, 2035, dt)
        mx, my = model.lookups[lever]
        np.testing.assert_allclose(np.interp(grid, x, y), np.interp(grid, mx, my), err_msg=lever)
    for t in targets:
        text = (SHARED / "sources" / t.source).read_text(encoding="utf-8")
        assert t.quote in text, (t.lever, t.quote)
        assert str(int(t.value)) in t.quote.replace(" ", "") or f"{int(t.value):,}" in t.quote
    # no plan target after 2022 is in the model (the 2027 targets live in the scenarios)
    assert max(t.last for t in targets) <= 2022


def test_a_vintage_does_not_know_later_plans(model):
    from innosd.plan_targets import known_target_lookups

    assert known_target_lookups(model, 2022) == {}
    early = known_target_lookups(model, 2019)
    x, y = early["chuying_target_path"]
    assert np.all(y == 0)                                   # the 2020-2022 plan was not out yet
    x, y = early["high_tech_target_path"]
    assert np.interp(2017.0, x, y) == 3900 and np.interp(2021.0, x, y) == 0
    # a run as of 2016 in the goal-seeking structure pushes for no 2020 target
    from innosd.calibration.calibrate import vintage_problem
    from innosd.calibration.structures import load_structures

    goal = load_structures(model=model)[1]
    pb, _ = vintage_problem(2016, model, structure=goal)
    res = pb.simulate(pb.priors.default[None, :], ["chuying_goal_pressure"], final_time=2022)
    assert np.all(np.asarray(res["chuying_goal_pressure"]) == 0)


def test_released_2021_registers_fall_in_the_90pct_forecast_as_of_2020(model):
    """The released 2021 registers fall in the 90% forecast made as of 2020.

    `innosd forecast --until 2020 --to 2022` with the committed settings: every released 2021 register (tech SMEs, 雏鹰,
    瞪羚, cumulative 领军, high-tech enterprises) lies inside the 90% predictive interval.
    """
    from innosd.calibration.committed import committed_runs
    from innosd.calibration.forecast import forecast_table
    from innosd.observed import load_observed

    runs = committed_runs(2020, model)
    assert [r.structure.name for r in runs] == ["fixed_share", "goal_seeking"]
    table = forecast_table(runs, 2022, np.random.default_rng([2016, 2]))
    obs = load_observed()
    released = obs[(obs.region == "tianjin") & (obs.year == 2021) & (obs.kind == "actual")
                   & obs.indicator.isin(["tech_smes", "chuying", "dengling", "lingjun", "high_tech_enterprises"])]
    assert len(released) == 5
    for r in released.itertuples():
        row = table[(table.indicator == r.indicator) & (table.year == 2021)].iloc[0]
        assert row.q05 <= r.value <= row.q95, (r.indicator, r.value, row.q05, row.q95)
