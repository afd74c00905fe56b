"""Bad input to a run: one line naming the file (or flag), the field and the fix, exit 2, nothing written.

The second part of the catalogue of test_bad_input.py (which has its helpers): seeds in a scenario and
on every command's --seed, and a corrupt calibration/posterior.csv.
"""

from __future__ import annotations

import pytest

from conftest import REPO
from innosd.errors import InputError
from innosd.scenario import load_scenario
from test_bad_input import assert_one_line, good, run_cli

# ----------------------------------------------------------------------------------------- seeds

@pytest.mark.parametrize("value,expected", [
    ("-3", "-3 is not a seed"), ("1.5", "must be a whole number"), ("'x'", "must be a number"),
], ids=["negative", "fraction", "text"])
def test_bad_seed_in_a_scenario(tmp_path, capsys, value, expected):
    p = tmp_path / "s.yaml"
    p.write_text(good() + f"uncertainty: {{seed: {value}}}\n", encoding="utf-8")
    for command in ("validate", "run"):
        code, _, err = run_cli(capsys, [command, p, "--out", tmp_path / "out"][:2 if command == "validate" else 4])
        assert_one_line(code, err, "s.yaml: uncertainty.seed", expected, "a seed such as 1")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("argv", [
    ["run", "SCENARIO"], ["what-it-takes", "SCENARIO", "--all"], ["compare", "SCENARIO", "SCENARIO"],
    ["optimise", "SCENARIO"], ["sensitivity", "SCENARIO"], ["loops", "SCENARIO"], ["calibrate"],
    ["forecast", "--until", "2020", "--to", "2022"], ["backtest"],
], ids=lambda a: a[0])
@pytest.mark.parametrize("seed", ["-1", str(2**63)])
def test_bad_seed_flag_on_every_command(tmp_path, capsys, argv, seed):
    """Every command that takes --seed refuses one NumPy cannot use, before running anything."""
    scenario = REPO / "scenarios" / "tianjin-2027-plan.yaml"
    out = tmp_path / "out"
    argv = [scenario if a == "SCENARIO" else a for a in argv]
    code, _, err = run_cli(capsys, argv + ["--seed", seed, "--out", out])
    assert_one_line(code, err, f"--seed: {seed} is not a seed", "a seed such as 1")
    assert not out.exists()


def test_every_seed_flag_is_checked():
    """The list above covers every command with --seed (a new one must be added there)."""
    from innosd.cli import build_parser

    sub = next(a for a in build_parser()._actions if a.choices and "run" in a.choices)
    with_seed = {name for name, p in sub.choices.items() if any("--seed" in a.option_strings for a in p._actions)}
    assert with_seed == {"run", "what-it-takes", "compare", "optimise", "sensitivity", "loops", "calibrate",
                         "forecast", "backtest", "report"}


def test_bad_seed_in_the_library(model):
    from innosd.ensemble import run_scenario

    with pytest.raises(InputError, match="seed: -1 is not a seed"):
        run_scenario(load_scenario(REPO / "scenarios" / "tianjin-2027-plan.yaml", model), model, samples=2, seed=-1)


# ----------------------------------------------------------------------------------------- posterior

def _posterior_text() -> str:
    return (REPO / "calibration" / "posterior.csv").read_text(encoding="utf-8")


def _posterior_cell(column: str, row: int, value: str) -> str:
    """The committed posterior with the cell of ``column`` on file line ``row`` (header = 1) replaced."""
    lines = _posterior_text().splitlines()
    j = lines[0].split(",").index(column)
    cells = lines[row - 1].split(",")
    cells[j] = value
    lines[row - 1] = ",".join(cells)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("make,expected", [
    (lambda: _posterior_text().replace("gdp_initial,", "gdp_initia,", 1), "gdp_initia: is neither a constant"),
    (lambda: _posterior_cell("gdp_initial", 2, "-1e308"), "gdp_initial: row 2: -1e+308 is outside the prior's range"),
    (lambda: _posterior_cell("patent_yield", 5000, "lots"), "patent_yield: row 5000: 'lots' is not a number"),
    (lambda: _posterior_cell("patent_yield", 3, "inf"), "patent_yield: row 3: inf is not a finite number"),
    (lambda: _posterior_cell("sigma_d.gdp", 3, "-0.5"), "sigma_d.gdp: row 3: -0.5 is negative"),
    (lambda: _posterior_cell("weight", 3, "nan"), "weight: row 3: nan is not a finite number"),
    (lambda: _posterior_text().split("\n")[0] + "\n", "no parameter columns or no draws"),
    (lambda: bytes(range(256)).decode("latin-1") * 4, "posterior.csv"),
], ids=["renamed-column", "absurd-value", "text-cell", "inf", "negative-sigma", "nan-weight", "no-rows", "binary"])
def test_corrupt_posterior_csv(tmp_path, capsys, make, expected):
    """A damaged posterior is refused by its one reader, named by column and row; a run writes nothing."""
    import warnings

    import pandas as pd

    proj = tmp_path / "project"
    (proj / "calibration").mkdir(parents=True)
    (proj / "model").symlink_to(REPO / "model", target_is_directory=True)
    for f in (REPO / "calibration").iterdir():
        if f.name != "posterior.csv":
            (proj / "calibration" / f.name).symlink_to(f, target_is_directory=f.is_dir())
    (proj / "calibration" / "posterior.csv").write_text(make(), encoding="latin-1")
    (proj / "scenarios").mkdir()
    s = proj / "scenarios" / "s.yaml"
    s.write_text(good(), encoding="utf-8")
    out = tmp_path / "out"
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.DtypeWarning)  # it printed 3 lines before the error
        code, _, err = run_cli(capsys, ["run", s, "--samples", "4", "--out", out])
    assert_one_line(code, err, "calibration/posterior.csv", expected, "innosd calibrate")
    assert not out.exists()


def test_committed_posteriors_pass_their_checks(model):
    """Every committed vintage lies within its priors (the checks refuse nothing the calibration writes)."""
    from innosd.ensemble import committed_vintages, load_calibration

    for year in [None, *committed_vintages()]:
        assert len(load_calibration(model, as_of=year).draws) > 1
