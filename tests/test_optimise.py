"""innosd optimise: the front, its reproducibility, the portfolio files, costs, the decision year and PRIM.

The searches here are small (a few generations, a few hundred futures); the benchmark runs the full size.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from innosd.cli import main
from innosd.optimise import optimise
from innosd.optimise.costs import portfolio_costs
from innosd.optimise.robust import discover
from innosd.optimise.search import Archive, cheapest_meeting, front
from innosd.optimise.write import write_results
from innosd.scenario import load_scenario

PLAN = REPO / "scenarios" / "tianjin-2027-plan.yaml"
SMALL = dict(seed=11, samples=150, population=16, generations=3)

SEARCH = """\
name: {name}
extends: {base}
decision_year: 2025
optimise:
  levers:
    conversion_quota_path: {{high: 3000}}
    new_transfer_platforms_path: {{high: 60}}
    certification_support: {{high: 2.5}}
    new_incubators_path: {{high: 60}}
{extra}"""


def scenario_file(folder: Path, name: str = "search", extra: str = "") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(SEARCH.format(name=name, base=PLAN.as_posix(), extra=extra), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def found(tmp_path_factory):
    folder = tmp_path_factory.mktemp("opt")
    search = optimise(scenario_file(folder), **SMALL)
    write_results(search, folder / "out", chart=True)
    return search, folder / "out"


def test_front_is_non_dominated_with_at_least_five_points(found):
    search, out = found
    a = search.archive
    idx = search.front
    assert len(idx) >= 5
    cost, p = a.cost[idx], a.min_p[idx]
    assert np.all(np.diff(cost) > 0) and np.all(np.diff(p) > 0)  # cheaper is always less likely
    feasible = np.flatnonzero(a.feasible)
    for i in idx:  # no evaluated feasible portfolio dominates a point of the front
        dominated = (a.cost[feasible] <= a.cost[i]) & (a.min_p[feasible] >= a.min_p[i]) & (
            (a.cost[feasible] < a.cost[i]) | (a.min_p[feasible] > a.min_p[i]))
        assert not dominated.any()
    table = pd.read_csv(out / "pareto.csv")
    assert list(table.columns[:3]) == ["portfolio", "cost", "min_p_met"]
    ids = [t.id for t in search.scenario.targets]
    assert list(table.columns[3:3 + len(ids)]) == [f"p_{i}" for i in ids]
    assert table["cost"].is_monotonic_increasing and len(table) == len(idx)
    # min_p_met is the lowest P(met) over the forecast targets (assumption targets are empty)
    probs = table[[f"p_{i}" for i in ids]]
    assert np.allclose(probs.min(axis=1, skipna=True), table["min_p_met"], atol=1e-6)
    assert (out / "front.png").stat().st_size > 10_000


def test_front_of_a_known_set():
    class A:  # a hand-made archive: (cost, min P, feasible)
        cost = np.array([5.0, 1.0, 2.0, 2.0, 3.0, 4.0])
        min_p = np.array([0.9, 0.2, 0.5, 0.4, 0.5, 0.7])
        feasible = np.array([True, True, True, True, True, False])
    assert front(A).tolist() == [1, 2, 0]


def test_same_seed_same_front_other_seed_differs(found, tmp_path):
    search, out = found
    again = optimise(search.scenario, **SMALL)
    write_results(again, tmp_path / "again", chart=False)
    assert (tmp_path / "again" / "pareto.csv").read_bytes() == (out / "pareto.csv").read_bytes()
    other = optimise(search.scenario, **{**SMALL, "seed": 12})
    write_results(other, tmp_path / "other", chart=False)
    assert (tmp_path / "other" / "pareto.csv").read_bytes() != (out / "pareto.csv").read_bytes()


def test_one_process_gives_the_same_front_as_the_worker_processes(found, tmp_path):
    """The default runs candidates in one worker process per CPU; in this process alone the files are the same."""
    search, out = found
    assert search.settings["where"] == f"local, {os.cpu_count()} processes" or os.cpu_count() == 1
    alone = optimise(search.scenario, workers=1, **SMALL)
    assert alone.settings["where"] == "local, 1 process"
    write_results(alone, tmp_path / "alone", chart=False)
    for name in ("pareto.csv", "cheapest.csv", "robustness.csv", "failure_conditions.csv"):
        assert (tmp_path / "alone" / name).read_bytes() == (out / name).read_bytes(), name


def test_local_cluster_gives_the_same_front_byte_for_byte(found, tmp_path):
    distributed = pytest.importorskip("distributed")
    search, out = found
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cl:
        on_cluster = optimise(search.scenario, scheduler=cl.scheduler_address, **SMALL)
    assert on_cluster.settings["where"].startswith("dask") and "2 workers" in on_cluster.settings["where"]
    write_results(on_cluster, tmp_path / "dask", chart=False)
    for name in ("pareto.csv", "cheapest.csv", "robustness.csv", "failure_conditions.csv"):
        assert (tmp_path / "dask" / name).read_bytes() == (out / name).read_bytes(), name


def test_portfolio_file_reproduces_its_min_p_met_with_innosd_run(found, tmp_path):
    search, out = found
    table = pd.read_csv(out / "pareto.csv")
    row = table.iloc[len(table) // 2]
    yaml_file = out / "portfolios" / f"{row.portfolio}.yaml"
    sc = load_scenario(yaml_file)
    assert sc.samples == SMALL["samples"] and sc.seed == SMALL["seed"]
    runs = {}
    for label, extra in (("same", []), ("other", ["--seed", "99", "--samples", "600"])):
        proc = subprocess.run([sys.executable, "-m", "innosd", "run", str(yaml_file), "--out", str(tmp_path / label),
                               "--no-charts", *extra], capture_output=True, text=True, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        runs[label] = pd.read_csv(tmp_path / label / "targets.csv")
    same = runs["same"]
    forecast = same[same["kind"] == "forecast"]
    assert forecast["p_met"].min() == pytest.approx(row.min_p_met, abs=1e-6)  # the same futures: equal
    other = runs["other"]
    other = other[other["kind"] == "forecast"]
    se = np.sqrt(row.min_p_met * (1 - row.min_p_met) / search.futures.n_eff + other["p_met_se"].max() ** 2)
    assert abs(other["p_met"].min() - row.min_p_met) <= 4 * se + 1e-9


def test_costs_of_a_hand_checked_portfolio(found):
    # two levers over 2025-2027: incubators 12 -> 20 from 2026 (2 years x 8 x 0.02), quota 0 -> 500 from 2025
    levels, starts = np.array([[20.0, 500.0]]), np.array([[2026, 2025]])
    base = np.array([[12.0, 12.0, 12.0], [0.0, 0.0, 0.0]])
    per = np.array([0.02, 0.002])
    got = portfolio_costs(levels, starts, base, np.arange(2025, 2028), per)
    assert got == pytest.approx(np.array([[2 * 8 * 0.02, 3 * 500 * 0.002]]))
    search, _ = found  # the search's own costs follow calibration/levers.yaml the same way
    sp = search.space
    j = sp.levers.index("new_incubators_path")
    L = np.tile(sp.low, (1, 1))
    L[0, j] = 20.0
    S = np.full((1, len(sp.levers)), 2026)
    assert sp.lever_costs(L, S)[0, j] == pytest.approx(2 * (20 - 12) * 0.02)
    assert sp.lever_costs(L, S).sum() == pytest.approx(2 * (20 - 12) * 0.02)


def test_decision_year_is_respected_and_scenario_paths_untouched(tmp_path):
    # the base scenario sets a quota from 2022 (before the decision year): its path must survive untouched
    extra = "levers:\n  conversion_quota_path: {step: {year: 2022, to: 300}}\n"
    path = scenario_file(tmp_path, "early", extra)
    search = optimise(path, seed=3, samples=60, population=12, generations=1)
    sp, a = search.space, search.archive
    assert sp.first == 2025 and a.starts.min() >= 2025
    base = {lv: sp.base_paths[lv] for lv in sp.levers}
    before = sp.x <= 2024 + 1e-9
    for k in range(len(a.p)):
        for j, lv in enumerate(sp.levers):
            y = sp.lever_path(j, a.levels[k, j], a.starts[k, j]).y
            start = a.starts[k, j]
            assert np.array_equal(y[sp.x <= start - 1 + 1e-9], base[lv][sp.x <= start - 1 + 1e-9])
            assert np.array_equal(y[before], base[lv][before])
    quota = search.scenario.levers["conversion_quota_path"]
    assert quota.first_year == 2022 and np.all(base["conversion_quota_path"][(sp.x > 2021) & before] == 300)
    j = sp.levers.index("conversion_quota_path")
    spec = sp.spec(j, 900.0, 2026)
    assert spec == {"steps": {2022: 300, 2026: 900}}


def test_what_it_takes_acts_from_the_decision_year_and_states_the_bound(model, capsys):
    from innosd.whatittakes import what_it_takes

    sc = load_scenario(PLAN, model)
    ans = what_it_takes(sc, model, "turnover-2027", "new_incubators_path", 0.8, samples=100, seed=1)
    assert ans.acts_from == 2025 and ans.decision_year == 2025
    assert ans.status == "not reachable" and np.isnan(ans.required_change) and ans.change_at_bound > 0
    text = ans.sentence()
    assert "from 2025" in text and "0..100" in text and "bound, not a recommendation" in text
    code = main(["what-it-takes", str(PLAN), "--target", "turnover-2027", "--lever", "new_incubators_path",
                 "--from", "2023", "--samples", "50"])
    err = capsys.readouterr().err
    assert code == 2 and "before the decision year 2025" in err and err.count("\n") == 1


def test_prim_finds_a_planted_failure_condition():
    rng = np.random.default_rng(4)
    n = 2000
    x = pd.DataFrame({f: rng.uniform(0, 1, n) for f in ("a", "b", "c", "d", "e")})
    fails = ((x["a"] > 0.7) & (x["c"] < 0.4)).to_numpy() | (rng.uniform(size=n) < 0.02)
    box = discover(x, fails)
    limits = box.limits.set_index("factor")
    assert set(limits.index) == {"a", "c"}
    assert limits.loc["a", "low"] == pytest.approx(0.7, abs=0.05) and np.isnan(limits.loc["a", "high"])
    assert limits.loc["c", "high"] == pytest.approx(0.4, abs=0.05) and np.isnan(limits.loc["c", "low"])
    assert box.density > 0.85 and box.coverage > 0.7
    assert discover(x, np.zeros(n, bool)) is None


def _archive(p, fixed, costs):
    n, t = np.shape(p)
    return Archive(np.zeros((n, 1)), np.zeros((n, 1)), np.array(costs, float)[:, None], np.array(p, float),
                   np.array(fixed, bool), np.zeros((n, t)), np.zeros(n, int))


def test_cheapest_counts_forecast_targets_and_requires_every_assumption():
    """Targets: two forecasts, then one set by assumption (P 1: met, 0: missed)."""
    fixed = [[False, False, True]] * 4
    a = _archive([[0.1, 0.2, 1.0],     # cheapest: meets only the assumption
                  [0.9, 0.2, 0.0],     # one forecast, but misses the assumption: never qualifies
                  [0.85, 0.3, 1.0],    # one forecast and the assumption
                  [0.9, 0.95, 1.0]],   # both forecasts and the assumption
                 fixed, [1, 2, 3, 9])
    assert cheapest_meeting(a, 0.8) == [(1, 2), (2, 3)]
    assert cheapest_meeting(_archive([[0.9, 0.9, 0.0]], [[False, False, True]], [1]), 0.8) == [(1, None), (2, None)]
    only_assumed = _archive([[0.0], [1.0], [1.0]], [[True]] * 3, [1, 5, 4])
    assert cheapest_meeting(only_assumed, 0.8) == [(0, 2)]


def test_result_files_hold_costs_sources_and_failure_conditions(found):
    search, out = found
    costs = pd.read_csv(out / "costs.csv")
    opt = costs[costs["optimised"]]
    assert set(opt["lever"]) == set(search.space.levers)
    assert opt["source"].str.len().gt(0).all() and set(costs["basis"]) <= {"document", "statistic", "assumption"}
    cheapest = pd.read_csv(out / "cheapest.csv")
    pareto = pd.read_csv(out / "pareto.csv")
    forecast = [t.id for t in search.scenario.targets if pareto[f"p_{t.id}"].notna().any()]
    assert 0 < len(forecast) < len(search.scenario.targets)          # the plan has both kinds
    assert cheapest["k"].tolist() == list(range(1, len(forecast) + 1))
    assert cheapest["cost"].dropna().is_monotonic_increasing
    conf = search.settings["confidence"]
    for r in cheapest.dropna(subset=["cost"]).to_dict("records"):   # k forecast targets at the confidence
        met = [t for t in forecast if r[f"p_{t}"] >= conf]
        assert len(met) == r["targets_met"] >= r["k"] and set(str(r["met_targets"]).split()) == set(met)
    robust = pd.read_csv(out / "robustness.csv")
    assert (robust["satisficing"] <= robust["min_p_met"] + 1e-9).all()
    assert robust["regret_mean"].ge(0).all() and robust["chosen"].sum() <= 1
    fc = pd.read_csv(out / "failure_conditions.csv")
    assert list(fc.columns[:4]) == ["portfolio", "factor", "low", "high"]
    for name in pd.read_csv(out / "pareto.csv")["portfolio"]:
        assert (out / "portfolios" / f"{name}.yaml").is_file()


@pytest.mark.parametrize("extra, args, fragments", [
    ("    gdp_growth_path: {}\n", [], ["costs.gdp_growth_path", "no cost for a lever being optimised"]),
    ("    new_incubatrs_path: {}\n", [], ["optimise.levers.new_incubatrs_path", "did you mean"]),
    ("    new_maker_spaces_path: {high: 500}\n", [], ["outside the lever's range [0, 200]"]),
    ("", ["--scheduler", "tcp://127.0.0.1:9"], ["--scheduler", "dask scheduler"]),
])
def test_bad_input_is_one_line_and_writes_nothing(tmp_path, capsys, monkeypatch, extra, args, fragments):
    monkeypatch.setattr("innosd.optimise.evaluate.CONNECT_TIMEOUT", "2s")
    path = scenario_file(tmp_path, "bad")
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    out = tmp_path / "out"
    code = main(["optimise", str(path), "--out", str(out), "--samples", "20", "--population", "8",
                 "--generations", "1", *args])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and err.startswith("error: ") and "fix:" in err, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, err
    assert not out.exists()


def test_scenario_costs_override_the_file_and_are_checked(tmp_path, model):
    from innosd.errors import InputError
    from innosd.optimise.costs import load_costs

    ok = ("costs:\n  新增孵化器: {cost_per_unit: 0.05, basis: assumption, reasoning: a dearer city}\n")
    sc = load_scenario(scenario_file(tmp_path, "dear", ok), model)
    costs = load_costs(sc, model)
    assert costs["new_incubators_path"].cost_per_unit == 0.05 and costs["new_incubators_path"].origin.endswith(
        "dear.yaml")
    assert costs["conversion_quota_path"].origin.endswith("levers.yaml")  # the others from calibration/levers.yaml
    for bad, fragment in (
        ("costs:\n  new_incubators_path: {cost_per_unit: 0.05, basis: assumption}\n", "needs its reasoning"),
        ("costs:\n  new_incubators_path: {cost_per_unit: 0.05, basis: document, source: 003_4e42376db48fd658.txt,"
         " quote: 每个孵化器补贴1亿元}\n", "quote not found verbatim"),
        ("costs:\n  new_incubators_path: {cost_per_unit: -1, basis: assumption, reasoning: x}\n",
         "must be a number >= 0"),
        ("costs:\n  new_incubators_path: {cost_per_unit: 1, basis: guess, reasoning: x}\n", "unknown basis"),
    ):
        with pytest.raises(InputError, match=fragment):
            load_scenario(scenario_file(tmp_path, "bad", bad), model)


def test_committed_lever_costs_cite_their_sources(model):
    from innosd.optimise.costs import load_costs

    sc = load_scenario(PLAN, model)
    costs = load_costs(sc, model)  # every quote is checked verbatim against its source on reading
    from innosd.whatittakes import POLICY_LEVERS

    assert set(POLICY_LEVERS) <= set(costs)
    for c in costs.values():
        assert c.cost_per_unit > 0 and c.reasoning
        assert c.basis == "assumption" or (c.source and c.quote)


def test_cli_writes_the_folder_and_prints_costs_and_the_cheapest(tmp_path, capsys):
    out = tmp_path / "opt"
    code = main(["optimise", str(scenario_file(tmp_path)), "--out", str(out), "--samples", "40", "--population", "8",
                 "--generations", "1", "--seed", "2", "--no-charts"])
    printed = capsys.readouterr().out
    assert code == 0
    assert "lever costs" in printed and "conversion_quota_path" in printed and "Cheapest portfolio meeting" in printed
    for name in ("pareto.csv", "cheapest.csv", "robustness.csv", "failure_conditions.csv", "futures.csv",
                 "costs.csv", "optimise.json"):
        assert (out / name).is_file(), name
    assert not (out / "front.png").exists()


def test_steps_lever_form_holds_each_value_for_its_years(model):
    from innosd.levers import acting, parse_lever

    lv = parse_lever("t", "levers.conversion_quota_path", {"steps": {2026: 1000, 2025: 600}},
                     model.lookups["conversion_quota_path"], model.lookup_limits["conversion_quota_path"], 2016, 2030)
    x, y = lv.x, lv.y
    assert lv.first_year == 2025
    assert np.all(y[~acting(x, 2025)] == 0)                       # the model's default before the first year
    assert np.all(y[acting(x, 2025) & ~acting(x, 2026)] == 600)   # calendar year 2025
    assert np.all(y[acting(x, 2026)] == 1000)                     # 2026 on


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 100), min_size=3, max_size=3), st.lists(st.integers(2025, 2027), min_size=3, max_size=3),
       st.floats(0.001, 10))
def test_costs_are_linear_in_the_unit_cost_and_zero_at_the_base(levels, starts, scale):
    years = np.arange(2025, 2028)
    base = np.array([[12.0, 12.0, 12.0], [0.0, 0.0, 0.0], [940.0, 940.0, 940.0]])
    per = np.array([0.02, 0.002, 0.001])
    L, S = np.array([levels]), np.array([starts])
    c = portfolio_costs(L, S, base, years, per)
    assert np.allclose(portfolio_costs(L, S, base, years, per * scale), c * scale)
    assert np.allclose(portfolio_costs(base[:, :1].T, S, base, years, per), 0.0)
    later = np.minimum(S + 1, 2028)  # starting later never costs more when the level is above the base
    above = L >= base[:, 0]
    assert np.all(portfolio_costs(L, later, base, years, per)[above] <= c[above] + 1e-12)
