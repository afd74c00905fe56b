"""The command line starts without the sampler, and its options reach the library.

``innosd --help`` and ``innosd validate`` never import the calibration sampler, the optimiser or the
engine (checked in ``sys.modules`` of a fresh interpreter, not by a clock); ``innosd compare`` takes
``--as-of`` like run, report and what-it-takes.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from conftest import REPO
from innosd.cli import main

HEAVY = ("innosd.calibration.smc", "innosd.calibration.calibrate", "innosd.calibration.fit", "innosd.engine",
         "innosd.ensemble", "scipy", "arviz", "matplotlib", "pysd", "pandas")


def _modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter has imported after running ``code`` (with this checkout's innosd)."""
    env_code = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", env_code], cwd=REPO, capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"})
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_starting_the_command_line_imports_no_sampler():
    loaded = _modules_after("import innosd.cli\nfrom innosd.cli import build_parser\nbuild_parser().format_help()")
    heavy = sorted(m for m in loaded if m.startswith(HEAVY))
    assert not heavy, heavy


def test_validate_imports_no_sampler():
    loaded = _modules_after("from innosd.cli import main\nassert main(['validate', "
                            "'scenarios/tianjin-2027-plan.yaml']) == 0")
    assert not [m for m in loaded if m.startswith(("innosd.calibration.smc", "innosd.calibration.calibrate",
                                                   "innosd.calibration.fit", "arviz"))]


def test_compare_as_of_judges_every_scenario_on_that_vintage(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    a, b = "scenarios/tianjin-2022-plan.yaml", "scenarios/tianjin-2022-higher-rd.yaml"
    assert main(["compare", a, b, "--as-of", "2020", "--samples", "60", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "data up to 2020" in out
    table = pd.read_csv(next(tmp_path.glob("compare-*.csv")))
    assert set(table.vintage) == {2020} and set(table.run) == {"A", "B"}


@pytest.mark.parametrize("year", ["2019", "2031"])
def test_compare_with_a_vintage_not_committed_is_one_line(tmp_path, capsys, monkeypatch, year):
    monkeypatch.chdir(REPO)
    code = main(["compare", "scenarios/tianjin-2022-plan.yaml", "--as-of", year, "--samples", "20",
                 "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "--as-of" in err and "fix:" in err
    assert not list(tmp_path.iterdir())                          # nothing written
