"""Commands from any folder, extends by name, --project and --out; Chinese names; the planner's table and compare."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest

from conftest import REPO
from innosd import display
from innosd.cli import main
from innosd.indicators import INDICATORS, LEVERS, resolve_indicator, resolve_lever
from innosd.scenario import find_project, load_scenario

MINE = """\
name: mine
extends: {base}
levers:
  新增孵化器: {{step: {{year: 2025, to: 19}}}}
"""


def cli(args, cwd):
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "INNOSD_PROGRESS": "0"}
    return subprocess.run([sys.executable, "-m", "innosd", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def test_run_from_a_folder_outside_the_checkout(tmp_path):
    """A planner's own folder: extends a bundled scenario by name; outputs land in that folder's reports/."""
    (tmp_path / "mine.yaml").write_text(MINE.format(base="tianjin-2027-plan.yaml"), encoding="utf-8")
    proc = cli(["run", "mine.yaml", "--samples", "200", "--no-charts"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "reports" / "mine"
    assert sorted(p.name for p in out.iterdir()) == ["drivers.csv", "levers.csv", "parameters.csv",
                                                     "prior_sensitivity.csv", "structure.json", "summary.json",
                                                     "targets.csv", "trajectories.csv"]
    assert "outputs: reports/mine/" in proc.stdout
    table = pd.read_csv(out / "targets.csv")
    assert "turnover-2027" in set(table["id"])
    assert table["calibration"].str.contains("posterior").all(), "the checkout's calibration was found"
    incubators = table.set_index("id").loc["new-incubators-2025-2027", "median"]
    assert incubators == pytest.approx(36 + 2.875 * 7), "the Chinese lever name acted"
    assert not (REPO / "reports" / "mine").exists()


def test_out_is_honoured(tmp_path):
    (tmp_path / "mine.yaml").write_text(MINE.format(base="tianjin-2027-plan"), encoding="utf-8")
    proc = cli(["run", tmp_path / "mine.yaml", "--samples", "100", "--no-charts", "--out", tmp_path / "elsewhere"],
               cwd=REPO.parent)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "elsewhere" / "targets.csv").is_file() and not (tmp_path / "reports").exists()


def test_a_misspelt_base_gets_a_fix_that_differs(tmp_path, capsys):
    p = tmp_path / "mine.yaml"
    p.write_text(MINE.format(base="tianjin-2027-plna.yaml"), encoding="utf-8")
    assert main(["validate", str(p)]) == 2
    err = capsys.readouterr().err
    assert "extends: base scenario 'tianjin-2027-plna.yaml' not found" in err
    fix = err.split("fix:")[1]
    assert "tianjin-2027-plan.yaml" in fix and "plna" not in fix


def test_project_search_order(tmp_path):
    # a project of one's own: model/ with a .mdl beside scenarios/
    proj = tmp_path / "proj"
    (proj / "model").mkdir(parents=True)
    (proj / "model" / "tianjin_innovation.mdl").write_bytes((REPO / "model" / "tianjin_innovation.mdl").read_bytes())
    (proj / "scenarios" / "sub").mkdir(parents=True)
    inner = proj / "scenarios" / "sub" / "x.yaml"
    inner.write_text("name: x\n", encoding="utf-8")
    assert find_project(inner).root == proj and find_project(inner).reports == proj / "reports"
    # --project wins
    assert find_project(inner, REPO).root == REPO
    # outside any project: the project of the scenario it extends, outputs beside the file
    loose = tmp_path / "loose" / "y.yaml"
    loose.parent.mkdir()
    loose.write_text("name: y\nextends: ../proj/scenarios/sub/x.yaml\n", encoding="utf-8")
    assert find_project(loose).root == proj and find_project(loose).reports == loose.parent / "reports"
    # nothing at all: the installed project
    alone = tmp_path / "loose" / "z.yaml"
    alone.write_text("name: z\n", encoding="utf-8")
    assert find_project(alone).root == REPO


def test_project_that_is_not_one(tmp_path, capsys):
    code = main(["validate", str(REPO / "scenarios" / "tianjin-2022-plan.yaml"), "--project", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and "--project: not a project folder" in err and err.count("\n") == 1


# ------------------------------------------------------------------------------------------- Chinese names

@pytest.mark.parametrize("name,canonical", [
    ("瞪羚", "dengling"), ("瞪羚企业", "dengling"), ("雏鹰", "chuying"), ("技术合同成交额", "tech_contract_turnover"),
    ("高新技术企业", "high_tech_enterprises"), ("ＧＤＰ", "gdp"), ("dengling", "dengling"), ("羚羊", None),
])
def test_indicator_names(name, canonical):
    assert resolve_indicator(name) == canonical


def test_every_indicator_and_lever_has_chinese_names(model):
    for ind in INDICATORS.values():
        assert resolve_indicator(ind.zh) == ind.name and ind.zh_unit
        assert any("\u4e00" <= c <= "\u9fff" for c in ind.zh)
    assert set(LEVERS) == set(model.lookups) - {n for n in model.lookups if not n.endswith(
        ("_path", "_increment", "_support"))}
    for lever in LEVERS.values():
        assert resolve_lever(lever.zh, model.lookups) == lever.name and lever.zh_unit


def test_chinese_names_in_a_scenario(tmp_path, model):
    text = (REPO / "scenarios" / "tianjin-2022-plan.yaml").read_text(encoding="utf-8")
    text = text.replace("indicator: dengling", "indicator: 瞪羚").replace("name: tianjin-2022-plan", "name: zh")
    text += "\noutputs: [瞪羚, 雏鹰企业]\n"
    (tmp_path / "zh.yaml").write_text(text, encoding="utf-8")
    sc = load_scenario(tmp_path / "zh.yaml", model)
    assert "dengling" in {t.indicator for t in sc.targets} and sc.outputs == ["dengling", "chuying"]


def test_chinese_lever_and_its_model_name_twice(tmp_path, model, capsys):
    p = tmp_path / "s.yaml"
    p.write_text("name: s\nlevers:\n  新增孵化器: 15\n  new_incubators_path: 16\n", encoding="utf-8")
    assert main(["validate", str(p)]) == 2
    assert "set twice" in capsys.readouterr().err


# ------------------------------------------------------------------------------------------- the table

@pytest.mark.parametrize("value,text", [
    (48350.2, "48,350"), (13312.6, "13,313"), (3.4617, "3.46"), (0.045, "0.045"), (1e12, "1,000,000,000,000"),
    (19387.0, "19,387"), (9753.4, "9,753"), (-1234.5, "-1,234"), (0.0, "0"), (float("nan"), "-"),
])
def test_numbers_for_planners(value, text):
    assert display.number(value) == text


def test_csv_numbers_have_no_exponent():
    for v in (48350.123, 1.3e7, 2.5e-6, 1e15):
        assert "e" not in display.csv_number(v).lower()
        assert float(display.csv_number(v)) == pytest.approx(v, rel=1e-5)


def _table(ids):
    rows = []
    for i, tid in enumerate(ids):
        rows.append({"id": tid, "year": 2027, "comparison": ">=", "goal": 15000.0, "median": 13312.4 + i,
                     "q05": 9753.2, "q95": 19387.0, "p_met": 0.28, "kind": "forecast" if i else "assumption",
                     "verdict": "at risk" if i else "not met by assumption", "first_year_met": float("nan"),
                     "shortfall": 2815.2, "vintage": 2020, "samples": 1000})
    return pd.DataFrame(rows)


def test_planner_table_fits_and_aligns_with_wide_ids():
    ids = ["short", "瞪羚企业达到三百五十家以上的目标-2022", "x" * 40, "tech-smes-2027"]
    text = display.format_targets(_table(ids), 2030)
    lines = text.splitlines()
    assert all(display.width(line) <= 100 for line in lines)
    assert "e+" not in text and "13,312" in text and "≥15,000" in text and ">2030" in text
    rows = [line for line in lines if " 2027 " in line]
    assert len(rows) == 4
    # the year column ends at the same terminal column in every row, whatever the id's width
    ends = {display.width(line[:line.index(" 2027 ") + 5]) for line in rows}
    assert len(ends) == 1
    assert "data vintage 2020" in lines[0]
    assert " - " in rows[0], "P(met) of a target set by assumption is empty"


def test_compare_fits_100_columns_and_shows_the_change(tmp_path, capsys):
    files = [REPO / "scenarios" / f for f in ("tianjin-2022-plan.yaml", "tianjin-2022-higher-rd.yaml",
                                              "tianjin-2022-plan.yaml")]
    assert main(["compare", *map(str, files), "--samples", "200", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert all(display.width(line) <= 100 for line in out.splitlines() if not line.startswith("table: ")), out
    assert "A = tianjin-2022-plan (reference)" in out and "B = tianjin-2022-higher-rd" in out
    table = pd.read_csv(next(tmp_path.glob("compare-*.csv")))
    b = table[table.run == "B"].set_index("id")
    a = table[table.run == "A"].set_index("id")
    assert (table[table.run == "C"]["p_met_change"] == 0).all(), "the same scenario again changes nothing"
    assert (b["p_met_change"] - (b["p_met"] - a["p_met"])).abs().max() < 1e-9
    assert ((b["median_change"] - (b["median"] - a["median"])).abs() <= 1e-5 * b["median"].abs()).all()  # 6 digits
    assert (b["median_change"] > 0).any(), "more R&D support raises some median"
