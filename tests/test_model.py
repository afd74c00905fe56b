"""The Tianjin model: translates and runs in PySD, conserves firms, stays non-negative, responds the right way."""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO

MDL = REPO / "model" / "tianjin_innovation.mdl"
LEVER_LOOKUPS = ["gdp_growth_path", "rd_intensity_policy_increment", "certification_support",
                 "new_incubators_path", "new_maker_spaces_path", "commissioner_dispatch_path",
                 "new_transfer_platforms_path", "conversion_quota_path", "government_rd_budget_path",
                 "tech_sme_target_path", "chuying_target_path", "dengling_target_path", "lingjun_target_path",
                 "high_tech_target_path", "tech_sme_cap_path", "chuying_cap_path", "dengling_cap_path",
                 "lingjun_cap_path", "high_tech_cap_path"]


def test_pysd_translates_and_runs(pysd_tianjin):
    df = pysd_tianjin.run(final_time=2020)
    assert list(df.index[[0, -1]]) == [2016, 2020]
    assert df["high tech enterprises"].iloc[0] == pytest.approx(3265)
    assert np.isfinite(df.select_dtypes(float).to_numpy()).all()


def test_every_variable_documented_with_units(model):
    for name, info in model.variables.items():
        if info.kind == "lookup" or name in ("time",):
            continue
        assert info.units, f"{info.name} has no units"
        assert info.doc and len(info.doc) > 10, f"{info.name} has no documentation"


def test_parameters_yaml_matches_model(model):
    spec = yaml.safe_load((REPO / "calibration" / "parameters.yaml").read_text())["parameters"]
    for name, p in spec.items():
        assert name in model.constants, name
        assert p["low"] <= p["default"] <= p["high"], name
        assert model.constants[name] == pytest.approx(p["default"]), name
        assert p["why"] and p["unit"] and p["prior"] in ("uniform", "loguniform")


def _fine_run(model, params=None, lookups=None, n=None, final_time=2035):
    dt = model.control["time_step"]
    return model.run(n=n, params=params or {}, lookups=lookups or {}, saveper=dt, final_time=final_time)


@pytest.mark.parametrize("structure", [0, 1])
def test_ladder_conserves_firms(model, structure):
    """Technology-based firms move between the unregistered pool and the tiers without being lost or made.

    The change of all of them over each step is dt x (formation - exits of unregistered firms).
    """
    r = _fine_run(model, params={"recognition_structure": structure})
    dt = model.control["time_step"]
    stocks = r["tech_enterprises_unregistered"] + r["sme_pool"] + r["chuying"] + r["dengling"] + r["lingjun_active"]
    np.testing.assert_allclose(stocks, r["tech_enterprises"], rtol=1e-12)
    net = r["tech_enterprise_formation"] - r["tech_enterprise_exits"]
    np.testing.assert_allclose(np.diff(stocks, axis=1), dt * net[:, :-1], rtol=1e-9, atol=1e-6)
    # each promotion leaves one tier and enters the next; 领军 recognitions come from 瞪羚 or from the firm pool
    d_sme = np.diff(r["sme_pool"], axis=1)
    np.testing.assert_allclose(d_sme, dt * (r["sme_registrations"] - r["chuying_promotions"] - r["sme_exits"])[:, :-1],
                               rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(r["lingjun_recognitions_from_dengling"] + r["lingjun_recognitions_from_high_tech"],
                               r["lingjun_recognitions"], rtol=1e-12)
    for s in ("tech_enterprises_unregistered", "sme_pool", "chuying", "dengling", "lingjun_active"):
        assert np.all(r[s] >= 0), s


@pytest.mark.parametrize("structure", [0, 1])
def test_certificates_conserve(model, structure):
    r = _fine_run(model, params={"recognition_structure": structure})
    dt = model.control["time_step"]
    net = r["high_tech_new_certifications"] + r["high_tech_renewals"] - r["high_tech_expiries"]
    np.testing.assert_allclose(np.diff(r["high_tech_enterprises"], axis=1), dt * net[:, :-1], rtol=1e-9, atol=1e-6)


@pytest.mark.parametrize("structure", [0, 1])
def test_certified_and_eligible_firms_are_a_co_flow(model, structure):
    """New certifications use up the eligible pool.

    A firm certified leaves the pool, a firm whose certificate lapses unrenewed returns to it (or leaves), so
    pool + certified change only by eligibility, lapses and the unrenewed firms that do not return.
    """
    r = _fine_run(model, params={"recognition_structure": structure})
    dt = model.control["time_step"]
    both = r["high_tech_candidates"] + r["high_tech_enterprises"]
    unrenewed = r["high_tech_expiries"] - r["high_tech_renewals"]
    net = r["high_tech_eligibility"] - r["high_tech_candidate_lapses"] - (unrenewed - r["high_tech_returns"])
    np.testing.assert_allclose(np.diff(both, axis=1), dt * net[:, :-1], rtol=1e-9, atol=1e-6)
    into_pool = r["high_tech_eligibility"] + r["high_tech_returns"]
    out_of_pool = r["high_tech_new_certifications"] + r["high_tech_candidate_lapses"]
    np.testing.assert_allclose(np.diff(r["high_tech_candidates"], axis=1),
                               dt * (into_pool - out_of_pool)[:, :-1], rtol=1e-9, atol=1e-6)


def test_certificates_last_exactly_three_years(model):
    """The conveyor: certificates issued in a step expire exactly three years later (DELAY FIXED)."""
    r = _fine_run(model)
    dt = model.control["time_step"]
    lag = round(3 / dt)
    issued = r["high_tech_certificates_issued"][0]
    due = r["high_tech_expiries_due"][0]
    np.testing.assert_allclose(due[lag:], issued[:-lag], rtol=1e-12)
    assert np.all(due[:lag] == 0)
    # the certificates valid at end-2016 expire over 2017-2019 and sum to the 2016 stock
    legacy = r["high_tech_legacy_expiries"][0]
    assert legacy[:lag].sum() * dt == pytest.approx(3265)
    assert np.all(legacy[lag:] == 0)
    # renewals are drawn from the expiring cohort
    renewal_share = model.constants["high_tech_renewal_share"]
    np.testing.assert_allclose(r["high_tech_renewals"], r["high_tech_expiries"] * renewal_share)


@pytest.mark.parametrize("structure", [0, 1])
def test_a_tier_with_no_eligible_firms_recognises_none(model, structure):
    """No tech SMEs below 雏鹰 and registration stopped (cap 0): no 雏鹰 is recognised.

    That holds however high the plan target the goal-seeking bureau pushes for.
    """
    x = np.array([2016.0, 2035.0])
    r = _fine_run(model, params={"recognition_structure": structure, "sme_pool_initial": 0.0},
                  lookups={"tech_sme_cap_path": (x, np.zeros(2)), "chuying_target_path": (x, np.full(2, 1e5))})
    assert np.all(r["sme_pool"] == 0)
    assert np.all(r["chuying_promotions"] == 0)
    assert np.all(r["chuying_recognition_capacity"] == 0)
    # and 瞪羚 recognitions stop once the 雏鹰 tier has run down to nothing? (never exactly: they shrink with it)
    assert r["dengling_promotions"][0, -1] < 0.2 * r["dengling_promotions"][0, 0]


def test_a_target_reached_stops_the_goal_seeking_push(model):
    """Goal seeking: the push is the gap to the target as last published.

    A target at or below the register pushes nothing, so recognitions equal the routine ones (and equal the
    fixed-share structure's flows when the 2020 regime is off).
    """
    x = np.array([2016.0, 2035.0])
    tiers = ("tech_sme", "chuying", "dengling", "lingjun", "high_tech")
    low = {f"{t}_target_path": (x, np.full(2, 10.0)) for t in tiers}
    r = _fine_run(model, params={"recognition_structure": 1}, lookups=low)
    for p in ("sme_goal_pressure", "chuying_goal_pressure", "dengling_goal_pressure", "lingjun_goal_pressure",
              "high_tech_goal_pressure"):
        assert np.all(r[p] == 0), p
    fixed = _fine_run(model, params={"recognition_structure": 0, "chuying_rate_ratio_2020": 1.0}, lookups=low)
    for v in ("chuying", "dengling", "lingjun", "high_tech_enterprises", "tech_smes"):
        np.testing.assert_allclose(r[v], fixed[v], rtol=1e-12, err_msg=v)
    # with the default 2020-2022 targets the push acts while the perceived register is below them, then stops
    d = _fine_run(model, params={"recognition_structure": 1})
    t = np.asarray(d.time)
    pressure, perceived = d["chuying_goal_pressure"][0], d["perceived_chuying"][0]
    in_force = (t >= 2019.125) & (t <= 2022)
    np.testing.assert_allclose(pressure[in_force], np.maximum(0, 3500 - perceived[in_force]) / 2.5, rtol=1e-12)
    assert np.all(pressure[~in_force] == 0)


def test_the_2020_regime_fades_with_its_persistence(model):
    """Fixed shares: the 2020 雏鹰 step is a regime; a short persistence brings the rate back, a long one holds it."""
    outs = {}
    for life in (0.5, 50.0):
        r = _fine_run(model, params={"recognition_structure": 0, "chuying_rate_ratio_2020": 3.0,
                                     "chuying_regime_persistence": life})
        t = np.asarray(r.time)
        outs[life] = r["chuying_regime_multiplier"][0]
        assert np.all(outs[life][t < 2019] == 1) and np.all(outs[life][(t >= 2019) & (t <= 2020)] == 3)
    t = np.asarray(r.time)
    assert outs[0.5][t == 2025][0] < 1.01 and outs[50.0][t == 2025][0] > 2.8


lever_value = st.floats(0, 1)


@settings(max_examples=25, deadline=None)
@given(st.lists(lever_value, min_size=len(LEVER_LOOKUPS), max_size=len(LEVER_LOOKUPS)),
       st.lists(st.floats(0, 1), min_size=1, max_size=1))
def test_no_stock_negative_for_levers_in_range(model, fractions, pfrac):
    """Any lever values within the ranges declared in the model file keep every stock >= 0."""
    lookups = {}
    for name, f in zip(LEVER_LOOKUPS, fractions, strict=True):
        lo, hi = model.lookup_limits[name]
        x = np.array([2016.0, 2035.0])
        lookups[name] = (x, np.array([lo + f * (hi - lo)] * 2))
    spec = yaml.safe_load((REPO / "calibration" / "parameters.yaml").read_text())["parameters"]
    params = {k: v["low"] + pfrac[0] * (v["high"] - v["low"]) for k, v in spec.items()}
    r = model.run(params=params, lookups=lookups, final_time=2035, outputs=model.stocks)
    for s in model.stocks:
        assert np.all(r[s] >= 0), s


def test_more_rd_never_lowers_knowledge_or_patents(model):
    x = np.array([2016.0, 2035.0])
    inc = np.linspace(-1, 3, 9)
    y = np.repeat(inc[:, None], 2, axis=1)
    r = model.run(n=len(inc), lookups={"rd_intensity_policy_increment": (x, y)}, final_time=2035,
                  outputs=["knowledge_stock", "valid_invention_patents", "tech_contract_turnover"])
    for v in ("knowledge_stock", "valid_invention_patents", "tech_contract_turnover"):
        assert np.all(np.diff(r[v], axis=0) >= -1e-9), v
        assert np.all(np.diff(r[v][:, -1]) > 0), v


def test_incubators_feed_the_sme_pool(model):
    x = np.array([2016.0, 2035.0])
    y = np.array([[0.0, 0.0], [12.0, 12.0], [40.0, 40.0]])
    r = model.run(n=3, lookups={"new_incubators_path": (x, y)}, final_time=2030, outputs=["tech_smes", "incubators"])
    assert np.all(np.diff(r["tech_smes"][:, -1]) > 0)
    assert np.all(np.diff(r["incubators"][:, -1]) > 0)


def test_model_readme_is_generated_from_the_current_model():
    from innosd import structure
    from innosd.diagram import build
    from innosd.diagram.readme import markdown, readme_section

    info = build.load(MDL)
    assert readme_section(REPO / "model" / "README.md") == markdown(info, build.picture_paths(MDL)), \
        "model/README.md is stale: run `innosd describe --write`"
    table = {r["stock"]: r for r in structure.stock_flow_table(info.structure)}
    assert "chuying promotions" in table["sme pool"]["outflows"]
    assert "chuying promotions" in table["chuying"]["inflows"]
    loops = structure.feedback_loops(info.structure)
    assert any("rd expenditure" in loop and "sme pool" in loop for loop in loops), "the knowledge loop is missing"
    assert any("high tech candidates" in loop and "tech contract turnover" in loop for loop in loops), \
        "the technology-market loop is missing"
