"""The Tianjin model: translates and runs in PySD, conserves firms, stays non-negative, responds the right way."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO

MDL = REPO / "model" / "tianjin_innovation.mdl"
LEVER_LOOKUPS = ["gdp_growth_path", "rd_intensity_policy_increment", "certification_support",
                 "new_incubators_path", "new_maker_spaces_path", "commissioner_dispatch_path",
                 "new_transfer_platforms_path", "conversion_quota_path"]


def test_pysd_translates_and_runs(tmp_path):
    import pysd

    shutil.copy(MDL, tmp_path / MDL.name)
    m = pysd.read_vensim(str(tmp_path / MDL.name))
    df = m.run()
    assert list(df.index[[0, -1]]) == [2016, 2030]
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


def test_ladder_conserves_firms(model):
    """Change of the ladder stocks over each step equals dt x (entries - exits)."""
    r = _fine_run(model)
    dt = model.control["time_step"]
    stocks = r["sme_pool"] + r["chuying"] + r["dengling"] + r["lingjun_active"]
    net = r["sme_registrations"] - r["sme_exits"] - r["chuying_exits"] - r["dengling_exits"] - r["lingjun_exits"]
    np.testing.assert_allclose(np.diff(stocks, axis=1), dt * net[:, :-1], rtol=1e-9, atol=1e-6)
    # each promotion leaves one tier and enters the next
    d_sme = np.diff(r["sme_pool"], axis=1)
    np.testing.assert_allclose(d_sme, dt * (r["sme_registrations"] - r["chuying_promotions"] - r["sme_exits"])[:, :-1],
                               rtol=1e-9, atol=1e-6)


def test_certificates_conserve(model):
    r = _fine_run(model)
    dt = model.control["time_step"]
    net = r["high_tech_new_certifications"] + r["high_tech_renewals"] - r["high_tech_expiries"]
    np.testing.assert_allclose(np.diff(r["high_tech_enterprises"], axis=1), dt * net[:, :-1], rtol=1e-9, atol=1e-6)


lever_value = st.floats(0, 1)


@settings(max_examples=25, deadline=None)
@given(st.lists(lever_value, min_size=len(LEVER_LOOKUPS), max_size=len(LEVER_LOOKUPS)),
       st.lists(st.floats(0, 1), min_size=1, max_size=1))
def test_no_stock_negative_for_levers_in_range(model, fractions, pfrac):
    """Any lever values within the ranges declared in the model file keep every stock >= 0."""
    lookups = {}
    for name, f in zip(LEVER_LOOKUPS, fractions):
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
    assert any("rd expenditure" in loop and "sme pool" in loop for loop in loops), "loop R1 is missing"
