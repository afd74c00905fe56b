"""Data vintages in runs: --as-of / as_of, predictive noise, honest Monte Carlo error, prior sensitivity.

Also the bad inputs (no such vintage, corrupt posterior) that must stop with one line and write nothing.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from conftest import REPO
from innosd.ensemble import effective_members, load_calibration, run_scenario
from innosd.scenario import load_scenario
from innosd.targets import evaluate

S2027 = REPO / "scenarios" / "tianjin-2027-plan.yaml"
S2017 = REPO / "scenarios" / "tianjin-2017-workplan.yaml"


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "innosd", *map(str, args)], check=False, capture_output=True,
                          text=True, cwd=cwd)


def test_latest_vintage_by_default_and_older_on_request(model):
    latest = load_calibration(model)
    old = load_calibration(model, as_of=2020)
    assert latest.vintage == 2022 and old.vintage == 2020
    assert "vintages/2020" in old.path and latest.discrepancy is not None
    assert set(latest.discrepancy.columns) >= {"chuying", "dengling", "tech_smes", "high_tech_enterprises"}


def test_scenario_as_of_picks_the_vintage_and_every_output_states_it(model, tmp_path):
    sc = load_scenario(S2017, model)
    assert sc.as_of == 2016
    out = tmp_path / "run"
    proc = _cli("run", S2017, "--samples", 200, "--out", out, "--no-charts")
    assert proc.returncode == 0, proc.stderr
    assert "data vintage 2016 (figures up to 2016)" in proc.stdout
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["provenance"]["vintage"] == 2016 and summary["vintage"] == 2016
    targets = pd.read_csv(out / "targets.csv")
    assert (targets.vintage == 2016).all()
    hte = targets.set_index("id").loc["high-tech-2017"]
    assert hte.actual == 4093 and bool(hte.actual_met) and hte.goal == 3900
    sens = pd.read_csv(out / "prior_sensitivity.csv")
    assert list(sens.id) == list(targets.id)
    # --as-of overrides the scenario's
    proc = _cli("run", S2017, "--samples", 100, "--out", tmp_path / "r2", "--no-charts", "--as-of", 2022)
    assert proc.returncode == 0 and "data vintage 2022 (figures up to 2022)" in proc.stdout


@pytest.mark.parametrize("as_of", [2019, 2030])
def test_as_of_without_a_committed_vintage_is_one_line_exit_2_nothing_written(tmp_path, as_of):
    out = tmp_path / "run"
    proc = _cli("run", S2027, "--samples", 50, "--out", out, "--as-of", as_of)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "--as-of" in lines[0] and "fix:" in lines[0]
    assert not out.exists()


def test_scenario_as_of_outside_the_data_is_refused(model, tmp_path):
    from innosd.errors import InputError

    text = S2027.read_text(encoding="utf-8").replace("name: tianjin-2027-plan", "name: x\nas_of: 2031")
    f = tmp_path / "x.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="as_of"):
        load_scenario(f, model)


def test_a_corrupt_posterior_is_one_line_exit_2_nothing_written(tmp_path):
    import shutil

    home = tmp_path / "home"
    for part in ("model", "scenarios", "calibration"):
        shutil.copytree(REPO / part, home / part)
    (home / "pyproject.toml").write_text("", encoding="utf-8")
    (home / "calibration" / "posterior.csv").write_text("gdp_initial,sme_tenure\n1,oops\n", encoding="utf-8")
    import os

    env = {**os.environ, "INNOSD_HOME": str(home)}
    out = tmp_path / "run"
    proc = subprocess.run([sys.executable, "-m", "innosd", "run", str(home / "scenarios" / "tianjin-2027-plan.yaml"),
                           "--samples", "50", "--out", str(out)], check=False, capture_output=True, text=True,
                          env=env)
    assert proc.returncode == 2, proc.stderr
    line = proc.stderr.strip()
    assert len(line.splitlines()) == 1 and "posterior.csv: sme_tenure: row 2" in line and "fix:" in line
    assert not out.exists()


def test_calibrate_until_a_year_with_no_data_exits_2(tmp_path):
    proc = _cli("calibrate", "--until", 2015, "--out", tmp_path / "c")
    assert proc.returncode == 2 and "--until" in proc.stderr and not (tmp_path / "c").exists()


def test_lever_set_targets_stay_assumptions_with_predictive_noise(model):
    sc = load_scenario(S2027, model)
    res = run_scenario(sc, model, samples=300, seed=4)
    table = evaluate(res).set_index("id")
    assert table.loc["new-incubators-2025-2027", "kind"] == "assumption"
    assert np.isnan(table.loc["new-incubators-2025-2027", "p_met"])
    # noise: an indicator with a calibrated series varies across members even at the model's fixed 2016 state
    assert np.ptp(res.at("incubators", 2016)) > 0
    assert np.ptp(res.at("cumulative_incubators_built", 2027)) == 0


def test_predictive_noise_widens_registers_by_their_discrepancy(model):
    sc = load_scenario(S2027, model)
    cal = load_calibration(model)
    quiet = dataclasses.replace(cal, discrepancy=None)
    noisy = run_scenario(sc, model, samples=2000, seed=9, calibration=cal)
    plain = run_scenario(sc, model, samples=2000, seed=9, calibration=quiet)
    a, b = np.log(noisy.at("dengling", 2021)), np.log(plain.at("dengling", 2021))
    added = 0.05 ** 2 + float(np.mean(cal.discrepancy["dengling"].to_numpy() ** 2))   # E[sd^2] over the draws
    assert a.std() > b.std()
    assert a.var() - b.var() == pytest.approx(added, rel=0.25)


def test_effective_members_counts_shared_draws():
    assert effective_members(np.arange(100), 100) == 100
    assert effective_members(np.zeros(100, int), 5) == 1
    assert effective_members(np.repeat(np.arange(50), 2), 50) == pytest.approx(50)
    assert effective_members(np.zeros(10, int), 1) == 10       # no posterior: members differ otherwise


def test_p_met_se_shrinks_as_one_over_root_n_eff(model):
    sc = load_scenario(S2027, model)
    t = sc.targets[0]
    base = run_scenario(sc, model, samples=2000, seed=5)
    sc = dataclasses.replace(sc, targets=[dataclasses.replace(t, value=float(np.median(base.at(t.indicator, t.year))))])
    runs = [run_scenario(sc, model, samples=n, seed=5) for n in (400, 1600)]
    se = [evaluate(r).p_met_se.iloc[0] for r in runs]
    assert se[1] / se[0] == pytest.approx(np.sqrt(runs[0].n_eff / runs[1].n_eff), rel=0.1)
    assert runs[1].n_eff < 1600                       # 1,600 members from 4,800 draws share some draws


def test_prior_sensitivity_names_the_parameter_a_target_rests_on(model):
    """A target met in a prior's upper tail rests on that prior's parameter.

    Tech SMEs in 2017 (as of 2016: no register data yet) follow the registration rate's prior (rank
    correlation 0.9). A target at their 90th percentile is met in the prior's upper tail: a wider prior
    raises P(met), a narrower one lowers it, and the registration rate heads rests_on.
    """
    from innosd.calibration.prior_sensitivity import prior_sensitivity

    sc = load_scenario(S2017, model)
    res = run_scenario(sc, model, samples=3000, seed=2)
    t = dataclasses.replace(sc.targets[0], id="x", indicator="tech_smes", year=2017,
                            value=float(np.quantile(res.at("tech_smes", 2017), 0.9)))
    sc2 = dataclasses.replace(sc, targets=[t])
    res2 = dataclasses.replace(res, scenario=sc2)
    sens = prior_sensitivity(res2, evaluate(res2)).iloc[0]
    assert sens.p_met_prior_wider > sens.p_met + 2 * sens.p_met_prior_wider_se
    assert sens.p_met_prior_narrower < sens.p_met
    assert sens.prior_sensitive
    assert sens.rests_on.split(";")[0].split(" (")[0] == "sme_registration_rate"
