"""Scenario loading: the bundled files are valid, and a catalogue of bad inputs is rejected with the right line."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from conftest import REPO
from innosd.errors import InputError
from innosd.scenario import load_scenario

BUNDLED = sorted((REPO / "scenarios").glob("*.yaml"))

GOOD = """\
name: {name}
region: tianjin
horizon: {{start: 2016, end: 2030}}
levers:
  new_incubators_path: {{step: {{year: 2025, to: 19}}}}
targets:
  - id: turnover-2022
    indicator: tech_contract_turnover
    year: 2022
    comparison: ">="
    value: 1400
    unit: 亿元/year
    source: 000_604cd90ae920e876.txt
    quote: "全市技术合同成交额达到1400亿元"
"""


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_bundled_scenarios_are_valid(path, model):
    sc = load_scenario(path, model)
    assert sc.name == path.stem
    assert sc.targets, "a bundled scenario tests at least one target"


def test_2022_plan_covers_every_target(model):
    sc = load_scenario(REPO / "scenarios" / "tianjin-2022-plan.yaml", model)
    ids = {t.indicator for t in sc.targets}
    assert {"rd_intensity", "valid_invention_patents", "high_tech_enterprises", "chuying", "dengling",
            "lingjun", "unicorns", "tech_contract_turnover"} <= ids
    assert len(sc.not_represented) >= 5


def write(tmp_path, text, name="bad"):
    p = tmp_path / f"{name}.yaml"
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def test_good_minimal_scenario(tmp_path, model):
    sc = load_scenario(write(tmp_path, GOOD.format(name="bad")), model)
    assert sc.levers["new_incubators_path"].y[-1] == 19


def _replace(old, new):
    return GOOD.format(name="bad").replace(old, new)


BAD = [
    ("malformed yaml", "name: bad\ntargets: [\n  - id: x\n", "not valid YAML"),
    ("unknown indicator", _replace("indicator: tech_contract_turnover", "indicator: tech_contract_turnovr"),
     "did you mean 'tech_contract_turnover'"),
    ("unknown lever", _replace("new_incubators_path:", "new_incubator_path:"), "unknown lever"),
    ("unknown parameter", GOOD.format(name="bad") + "parameters:\n  patent_lief: 3\n", "'patent_average_life'"),
    ("wrong type", _replace("value: 1400", "value: lots"), "must be a number"),
    ("wrong unit", _replace("unit: 亿元/year", "unit: firms"), "does not match"),
    ("year outside horizon", _replace("year: 2022", "year: 2040"), "outside the horizon"),
    ("horizon too long", _replace("end: 2030", "end: 2040"), "horizon.end"),
    ("negative rate", _replace("to: 19", "to: -5"), "negative value"),
    ("negative parameter", GOOD.format(name="bad") + "parameters:\n  patent_average_life: -3\n", "negative value"),
    ("lever above range", _replace("to: 19", "to: 5000"), "outside the lever's range"),
    ("name differs from file", _replace("name: bad", "name: other"), "differs from the file name"),
    ("quote not in source", _replace("达到1400亿元", "达到1500亿元"), "quote not found verbatim"),
    ("missing field", _replace("    comparison: \">=\"\n", ""), "comparison: missing"),
    ("bad comparison", _replace('comparison: ">="', 'comparison: "=="'), "unknown comparison"),
    ("unknown key", GOOD.format(name="bad") + "colour: red\n", "unknown key"),
    ("lever year outside horizon", _replace("year: 2025, to: 19", "year: 2050, to: 19"), "outside the horizon"),
]


@pytest.mark.parametrize("text,expected", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_inputs_rejected_with_field_and_fix(tmp_path, model, text, expected):
    p = write(tmp_path, text)
    with pytest.raises(InputError) as err:
        load_scenario(p, model)
    line = err.value.line()
    assert expected in line
    assert "bad.yaml" in line and "fix:" in line
    assert "\n" not in line


def test_missing_file(tmp_path, model):
    with pytest.raises(InputError, match="file not found"):
        load_scenario(tmp_path / "nope.yaml", model)


def test_cli_bad_input_one_line_exit_2_no_output(tmp_path):
    p = write(tmp_path, _replace("indicator: tech_contract_turnover", "indicator: patents"))
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "innosd", "run", str(p), "--out", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "bad.yaml" in proc.stderr and "fix:" in proc.stderr
    assert not out.exists()


def test_extends_inherits_and_overrides(model):
    sc = load_scenario(REPO / "scenarios" / "tianjin-2022-higher-rd.yaml", model)
    base = load_scenario(REPO / "scenarios" / "tianjin-2022-plan.yaml", model)
    assert [t.id for t in sc.targets] == [t.id for t in base.targets]
    assert "rd_intensity_policy_increment" in sc.levers and "gdp_growth_path" in sc.levers


def test_scenario_run_matches_pysd_reference(model):
    """Levers, uncertain levers and parameter draws reach PySD's runner exactly as the engine's."""
    import numpy as np

    from innosd.ensemble import run_scenario

    sc = load_scenario(REPO / "scenarios" / "tianjin-2022-higher-rd.yaml", model)
    fast = run_scenario(sc, model, samples=2, seed=5)
    ref = run_scenario(sc, model, samples=2, seed=5, engine="pysd")
    np.testing.assert_array_equal(fast.time, ref.time)
    for ind in fast.data:
        np.testing.assert_allclose(fast.data[ind], ref.data[ind], rtol=1e-9, atol=1e-12, err_msg=ind)
