"""Sensitivity analysis: known indices recovered through the whole pipeline; the Tianjin model's indices."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import yaml

from conftest import REPO
from innosd import sensitivity as sens
from innosd.cli import main
from innosd.scenario import load_scenario

PI = math.pi
# Ishigami (a=7, b=0.1) on [-pi, pi]^3: analytic first-order and total indices.
ISHIGAMI_S1 = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}
ISHIGAMI_ST = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}

TEST_MODEL = """{UTF-8}
tech contract turnover = %s
	~	yiyuan/Year
	~	The test function, named after an indicator so a scenario can target it.
	|
x1 = 1
	~	Dmnl
	~	|
x2 = 1
	~	Dmnl
	~	|
x3 = 1
	~	Dmnl
	~	|
FINAL TIME = 2020
	~	Year
	~	|
INITIAL TIME = 2016
	~	Year
	~	|
SAVEPER = 1
	~	Year
	~	|
TIME STEP = 1
	~	Year
	~	|
"""


def _scenario(tmp_path, name: str, expression: str, params: dict, value: float):
    (tmp_path / f"{name}.mdl").write_text(TEST_MODEL % expression, encoding="utf-8")
    spec = {
        "name": name, "region": "test", "model": f"{name}.mdl", "horizon": {"start": 2016, "end": 2020},
        "parameters": params,
        "targets": [{"id": "y-2020", "indicator": "tech_contract_turnover", "year": 2020, "comparison": ">=",
                     "value": value, "unit": "亿元/year", "source": "test function", "quote": "none"}],
    }
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return load_scenario(path)


@pytest.fixture(scope="module")
def ishigami(tmp_path_factory):
    # Scenario parameters must be >= 0, so x in [0, 2 pi] is shifted by pi inside the model.
    expr = ("SIN(x1 - %r) + 7 * SIN(x2 - %r) ^ 2 + 0.1 * (x3 - %r) ^ 4 * SIN(x1 - %r)" % (PI, PI, PI, PI))
    return _scenario(tmp_path_factory.mktemp("ishigami"), "ishigami", expr,
                     {k: {"low": 0.0, "high": 2 * PI} for k in ("x1", "x2", "x3")}, 3.5)


@pytest.fixture(scope="module")
def linear(tmp_path_factory):
    return _scenario(tmp_path_factory.mktemp("linear"), "linear", "1 * x1 + 2 * x2 + 0 * x3",
                     {k: {"low": 0.0, "high": 1.0} for k in ("x1", "x2", "x3")}, 2.0)


def _by_param(df: pd.DataFrame, output: str) -> pd.DataFrame:
    return df[df.output == output].set_index("parameter")


def test_sobol_recovers_ishigami_indices(ishigami):
    df = sens.sobol(ishigami, n=2048, outputs=["y-2020"], seed=1, ranges="prior")
    assert list(df.columns) == sens.SOBOL_COLUMNS
    assert df.attrs["n_runs"] == 2048 * 5
    got = _by_param(df, "y-2020")
    for p in ("x1", "x2", "x3"):
        assert got.loc[p, "S1"] == pytest.approx(ISHIGAMI_S1[p], abs=0.05), p
        assert got.loc[p, "ST"] == pytest.approx(ISHIGAMI_ST[p], abs=0.05), p
    # the bootstrap confidence is a real half-width, not zero
    assert (got["ST_conf"] > 0).all()


def test_sobol_linear_additive_and_met_indicator(linear):
    # y = x1 + 2 x2 with independent U(0, 1): S1 = ST = (1/5, 4/5, 0)
    df = sens.sobol(linear, n=1024, seed=3, ranges="prior")
    got = _by_param(df, "y-2020")
    np.testing.assert_allclose(got.loc[["x1", "x2", "x3"], "S1"], [0.2, 0.8, 0.0], atol=0.03)
    np.testing.assert_allclose(got.loc[["x1", "x2", "x3"], "ST"], [0.2, 0.8, 0.0], atol=0.03)
    met = _by_param(df, "y-2020:met")   # met when x1 + 2 x2 >= 2: a varying 0/1 output
    assert np.isfinite(met["ST"]).all()
    assert met["ST"].idxmax() == "x2" and met.loc["x3", "ST"] == pytest.approx(0, abs=0.02)


def test_morris_ranks_linear_effects(linear):
    df = sens.morris(linear, n=40, outputs=["y-2020"], seed=2, ranges="prior")
    assert list(df.columns) == sens.MORRIS_COLUMNS
    got = _by_param(df, "y-2020")
    # elementary effects of a linear function are its slopes times the range: exact
    assert got.loc["x2", "mu_star"] == pytest.approx(2.0)
    assert got.loc["x1", "mu_star"] == pytest.approx(1.0)
    assert got.loc["x3", "mu_star"] == pytest.approx(0.0, abs=1e-12)
    assert got.loc["x1", "sigma"] == pytest.approx(0.0, abs=1e-9)


def test_sobol_rejects_bad_sizes_and_outputs(linear):
    from innosd.errors import InputError

    with pytest.raises(InputError, match="power of two"):
        sens.sobol(linear, n=100)
    with pytest.raises(InputError, match="unknown output"):
        sens.sobol(linear, n=64, outputs=["nope"])
    with pytest.raises(InputError, match="unknown indicator"):
        sens.sobol(linear, n=64, outputs=["tech_contract_turnovr@2020"])


@pytest.fixture(scope="module")
def plan(model, repo):
    return load_scenario(repo / "scenarios" / "tianjin-2027-plan.yaml", model)


@pytest.fixture(scope="module")
def tianjin_sobol(plan, model):
    return sens.sobol(plan, model, n=64, seed=7, ranges="prior")


def test_tianjin_sobol_finite_for_every_parameter(tianjin_sobol, plan, model, repo):
    df = tianjin_sobol
    priors = yaml.safe_load((repo / "calibration" / "parameters.yaml").read_text(encoding="utf-8"))["parameters"]
    expected = {p for p in priors if p in model.constants} | {"lever:gdp_growth_path"}
    assert {f["name"] for f in df.attrs["factors"]} == expected
    assert df.attrs["n_runs"] == 64 * (len(expected) + 2)
    for out in ("turnover-2027", "turnover-2027:met", "tech-smes-2027"):
        rows = df[df.output == out]
        assert set(rows.parameter) == expected, out
        assert np.isfinite(rows[["S1", "S1_conf", "ST", "ST_conf"]].to_numpy()).all(), out
        assert rows["ST"].max() > 0.05, out
    # targets decided by levers alone do not vary: no indices, and said so
    assert "new-incubators-2025-2027" in df.attrs["constant_outputs"]
    assert df[df.output == "new-incubators-2025-2027"]["ST"].isna().all()


def test_tianjin_drivers_are_plausible(tianjin_sobol):
    # Registration and firm formation drive the tech-SME target; a patent parameter does not.
    rows = tianjin_sobol[tianjin_sobol.output == "tech-smes-2027"].set_index("parameter")
    assert rows["ST"].idxmax() in {"sme_registration_rate", "other_tech_enterprise_formation", "sme_tenure"}
    assert rows.loc["patent_average_life", "ST"] < 0.05


def test_same_seed_same_indices(plan, model):
    a, b, c = (sens.sobol(plan, model, n=32, outputs=["turnover-2027"], seed=s, ranges="prior") for s in (11, 11, 12))
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["ST"], c["ST"]), "the seed changes nothing: the indices would not be reproducible by it"


def test_over_time_has_every_year(plan, model):
    df = sens.over_time(plan, model, indicators="tech_smes", n=32, seed=5, ranges="prior")
    assert sorted(df.year.unique()) == list(range(2017, 2031))
    assert set(df.indicator) == {"tech_smes"}
    late = df[df.year == 2030].set_index("parameter")
    assert np.isfinite(late["ST"]).all()


def test_posterior_ranges(plan, model, tmp_path):
    rng = np.random.default_rng(0)
    draws = pd.DataFrame({"patent_yield": rng.uniform(2.0, 3.0, 500), "sme_tenure": np.full(500, 3.0)})
    path = tmp_path / "posterior.csv"
    draws.to_csv(path, index=False)
    fs, label = sens.factors(plan, model, ranges="posterior", posterior=path)
    by = {f.name: f for f in fs}
    assert "posterior" in label
    assert 2.0 < by["patent_yield"].low < 2.05 and 2.95 < by["patent_yield"].high < 3.0
    assert by["patent_yield"].source.startswith("posterior")
    assert "sme_tenure" not in by            # pinned by the posterior: nothing to vary
    assert by["gdp_initial"].source.startswith("parameters.yaml")   # not in the posterior file
    fs_prior, label_prior = sens.factors(plan, model, ranges="prior", posterior=path)
    assert "prior" in label_prior and {f.name: f for f in fs_prior}["patent_yield"].low == 0.8
    # loguniform priors are sampled in log space
    assert {f.name: f for f in fs_prior}["patent_yield"].log


def test_cli_sensitivity_writes_csv_and_plot(repo, tmp_path, capsys):
    scen = str(repo / "scenarios" / "tianjin-2027-plan.yaml")
    rc = main(["sensitivity", scen, "--n", "32", "--seed", "3", "--output", "turnover-2027",
               "--ranges", "prior", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert rc == 0
    assert "turnover-2027:" in out and "ST" in out
    df = pd.read_csv(tmp_path / "sensitivity_sobol.csv")
    assert list(df.columns) == sens.SOBOL_COLUMNS
    assert (tmp_path / "sensitivity_sobol.png").stat().st_size > 5000
    rc = main(["sensitivity", scen, "--method", "morris", "--n", "4", "--output", "tech_smes", "--year", "2025",
               "--ranges", "prior", "--out", str(tmp_path)])
    assert rc == 0
    df = pd.read_csv(tmp_path / "sensitivity_morris.csv")
    assert list(df.columns) == sens.MORRIS_COLUMNS and set(df.output) == {"tech_smes@2025"}


@pytest.mark.parametrize("args, text", [
    (["--n", "100"], "power of two"),
    (["--output", "tech_smes"], "needs --year"),
    (["--output", "tech_smes", "--year", "2099"], "outside the horizon"),
    (["--year", "2025"], "--year needs --output"),
])
def test_cli_sensitivity_bad_input_one_line(repo, capsys, args, text):
    rc = main(["sensitivity", str(repo / "scenarios" / "tianjin-2027-plan.yaml"), *args])
    err = capsys.readouterr().err
    assert rc == 2
    assert text in err and len(err.strip().splitlines()) == 1


def test_every_year_and_log_outputs(plan, model):
    df = sens.sobol(plan, model, n=32, outputs=["turnover-2027"], every_year=True, log=True, seed=2, ranges="prior")
    assert df.attrs["log"] is True
    outs = set(df.output)
    assert {"turnover-2027"} | {f"tech_contract_turnover@{y}" for y in range(2017, 2031)} == outs
    rows = df[df.output == "tech_contract_turnover@2027"]
    assert np.isfinite(rows["ST"]).all()
    # the logged value at the deadline and the logged indicator in that year are the same output
    a = df[df.output == "turnover-2027"].set_index("parameter")["ST"]
    b = rows.set_index("parameter")["ST"]
    pd.testing.assert_series_equal(a.sort_index(), b.sort_index(), check_names=False)


def test_uncertain_lever_factor_varies_its_own_lever(model):
    """A lever's uncertainty factor changes that lever's path, not another declared lever's."""
    import numpy as np

    from innosd.scenario import load_scenario
    from innosd.sensitivity import _inputs, factors

    sc = load_scenario(REPO / "scenarios" / "tianjin-2027-programmes.yaml", model)
    fs, _ = factors(sc, model, ranges="prior")
    j = next(i for i, f in enumerate(fs) if f.kind == "lever" and f.target == "commissioner_dispatch_path")
    X = np.array([[f.low for f in fs], [f.low for f in fs]], float)
    X[1, j] = fs[j].high
    _, lookups = _inputs(sc, model, fs, X)
    y = np.asarray(lookups["commissioner_dispatch_path"][1])
    assert y.shape[0] == 2 and not np.allclose(y[0], y[1])
    other = np.asarray(lookups["new_transfer_platforms_path"][1])
    np.testing.assert_allclose(np.atleast_2d(other)[0], sc.levers["new_transfer_platforms_path"].y)
