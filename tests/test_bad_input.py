"""Bad input: one line naming the file, the field and the fix, exit code 2, no traceback, nothing written.

A catalogue of what a user may hand innosd, each checked for that behaviour.

Classes: encodings, random and NUL bytes, deep nesting, YAML bombs, huge numbers, absurd sizes,
absurd --samples, corrupt project files (observed.csv, parameters.yaml), malformed model files (syntax
errors, undefined names, empty files, whatever PySD raises). Seeds and corrupt posteriors are in
test_bad_input_runs.py; interrupted and concurrent runs in test_atomic.py; lever timing in
test_lever_timing.py; other folders and Chinese names in test_projects.py.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO
from innosd.cli import main
from innosd.errors import InputError
from innosd.scenario import TOP_LEVEL_KEYS, load_scenario

GOOD = """\
name: {name}
description: 天津 2022 targets
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


def good(name: str = "s") -> str:
    return GOOD.format(name=name)


def run_cli(capsys, argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line(code: int, err: str, *expected: str) -> None:
    """Exit 2, one line on stderr with 'fix:', no traceback, and each expected fragment."""
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("error: "), err
    assert "Traceback" not in err and "fix:" in err, err
    for fragment in expected:
        assert fragment in err, (fragment, err)


# ----------------------------------------------------------------------------------------- encodings

@pytest.mark.parametrize("encoding,bom", [
    ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
    ("utf-16-le", b""), ("gbk", b""), ("gb18030", b""),
], ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le-no-bom", "gbk", "gb18030"])
def test_readable_encodings_give_the_same_scenario(tmp_path, model, encoding, bom):
    """UTF-8 (with or without BOM), UTF-16 and GBK/GB18030 files read to the very same scenario."""
    ref = tmp_path / "ref" / "s.yaml"
    ref.parent.mkdir()
    ref.write_text(good(), encoding="utf-8")
    p = tmp_path / "s.yaml"
    p.write_bytes(bom + good().encode(encoding))
    sc, expected = load_scenario(p, model), load_scenario(ref, model)
    assert sc.targets == expected.targets and sc.description == "天津 2022 targets"
    assert sc.sha256 == expected.sha256  # the hash is of the text, whatever the bytes
    assert sc.encoding == {"utf-16-le": "utf-16", "utf-16-be": "utf-16", "gbk": "gb18030"}.get(encoding, encoding)


@pytest.mark.parametrize("path", sorted((REPO / "scenarios").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_bundled_scenario_saved_in_gbk_reads_the_same(tmp_path, model, path):
    """What a planner's Windows editor does to a bundled scenario (arrows, ≥, full-width punctuation included)."""
    for src in (REPO / "scenarios").glob("*.yaml"):  # the files it extends, saved the same way
        (tmp_path / src.name).write_bytes(src.read_text(encoding="utf-8").encode("gbk"))
    sc, expected = load_scenario(tmp_path / path.name, model), load_scenario(path, model)
    assert sc.encoding == "gb18030"
    assert sc.sha256 == expected.sha256 and sc.targets == expected.targets
    assert {k: repr(v) for k, v in sc.levers.items()} == {k: repr(v) for k, v in expected.levers.items()}


@pytest.mark.parametrize("data,found", [
    ("name: s\ndescription: Café à Zürich, Müller & Søn\n".encode("latin-1"), "Latin-1"),
    ("name: s\ndescription: 東京の計画\n".encode("shift_jis"), "not UTF-8"),
], ids=["latin-1", "shift-jis"])
def test_unreadable_encodings_are_named(tmp_path, capsys, data, found):
    p = tmp_path / "s.yaml"
    p.write_bytes(data)
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, ["run", p, "--out", out])
    assert_one_line(code, err, "s.yaml", found, "save the file as UTF-8")
    assert not out.exists()


# ----------------------------------------------------------------------------------------- bytes

@pytest.mark.parametrize("data,expected", [
    (b"name: s\x00\x00\x00\n", "NUL bytes"),
    (bytes(range(256)) * 4, "s.yaml"),
    (b"\x89PNG\r\n\x1a\n" + bytes(200), "s.yaml"),
    (b"name: s\ndescription: a\x07b\n", "control character"),
    (b"", "a scenario must be a mapping"),
], ids=["nul", "all-bytes", "png", "bell", "empty"])
def test_binary_files(tmp_path, capsys, data, expected):
    p = tmp_path / "s.yaml"
    p.write_bytes(data)
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, ["run", p, "--out", out])
    assert_one_line(code, err, expected)
    assert not out.exists()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_never_crash(capsys, data):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "s.yaml"
        p.write_bytes(data)
        code, _, err = run_cli(capsys, ["validate", p])
    assert code in (0, 2)
    if code == 2:
        assert_one_line(code, err)


_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
_values = st.recursive(_scalars, lambda c: st.lists(c, max_size=3) | st.dictionaries(
    st.text(max_size=6) | st.integers(0, 2040), c, max_size=3), max_leaves=8)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=st.fixed_dictionaries({"name": st.just("s")},
                                  optional={k: _values for k in sorted(TOP_LEVEL_KEYS - {"name"})}))
def test_arbitrary_scenario_structures_give_input_errors_only(model, doc):
    """Any mapping of the scenario keys to any YAML values: a scenario or an InputError, never another exception."""
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "s.yaml"
        p.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
        try:
            load_scenario(p, model)
        except InputError as exc:
            assert "\n" not in exc.line() and "fix:" in exc.line()


# ----------------------------------------------------------------------------------------- structure

def _nested_block(depth: int) -> str:
    return "name: s\nassumptions:\n" + "".join("  " * i + "- \n" for i in range(1, depth)) + "  " * depth + "- x\n"


@pytest.mark.parametrize("text,expected", [
    ("name: s\nassumptions: " + "[" * 5000 + "]" * 5000 + "\n", "nested"),
    ("name: s\nparameters: " + "{a: " * 300 + "1" + "}" * 300 + "\n", "nested"),
    (_nested_block(400), "nested"),
    ("name: s\nassumptions: &a [" + "x, " * 9 + "x]\n" + "".join(
        f"x{i}: &a{i} [" + ", ".join([f"*a{i - 1}" if i > 1 else "*a"] * 10) + "]\n" for i in range(1, 9)),
     "values (repeated aliases?)"),
], ids=["flow-lists", "flow-mappings", "block", "billion-laughs"])
def test_deep_nesting_and_alias_bombs(tmp_path, capsys, text, expected):
    p = tmp_path / "s.yaml"
    p.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, ["run", p, "--out", out])
    assert_one_line(code, err, "s.yaml", expected)
    assert not out.exists()


@pytest.mark.parametrize("old,new,field", [
    ("value: 1400", "value: 1.0e+400", "targets[0].value"),
    ("value: 1400", "value: .inf", "targets[0].value"),
    ("value: 1400", "value: .nan", "targets[0].value"),
    ("value: 1400", "value: 1" + "0" * 5000, "(file)"),
    ("value: 1400", "value: 1" + "0" * 40, "targets[0].value"),
    ("to: 19", "to: 1.0e+309", "levers.new_incubators_path.step.to"),
    ("year: 2022", "year: 1" + "0" * 30, "targets[0].year"),
], ids=["1e400", "inf", "nan", "5000-digits", "41-digits", "lever-1e309", "huge-year"])
def test_huge_and_non_finite_numbers(tmp_path, capsys, old, new, field):
    p = tmp_path / "s.yaml"
    p.write_text(good().replace(old, new), encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, ["run", p, "--out", out])
    assert_one_line(code, err, "s.yaml", field)
    assert not out.exists()


def test_absurd_file_size_is_refused_before_reading(tmp_path, capsys):
    p = tmp_path / "s.yaml"
    with p.open("w", encoding="utf-8") as fh:
        fh.write(good())
        fh.write("# " + "x" * (3 << 20) + "\n")
    code, _, err = run_cli(capsys, ["validate", p])
    assert_one_line(code, err, "s.yaml", "bytes, more than")


def test_a_folder_instead_of_a_file(tmp_path, capsys):
    (tmp_path / "s.yaml").mkdir()
    code, _, err = run_cli(capsys, ["validate", tmp_path / "s.yaml"])
    assert_one_line(code, err, "is a folder")


# ----------------------------------------------------------------------------------------- sizes

@pytest.mark.parametrize("argv", [
    ["run", "SCENARIO", "--samples", "1000000000000"],
    ["compare", "SCENARIO", "SCENARIO", "--samples", "1000000000000"],
    ["what-it-takes", "SCENARIO", "--all", "--samples", "1000000000000"],
    ["report", "SCENARIO", "--samples", "1000000000000"],
], ids=["run", "compare", "what-it-takes", "report"])
def test_samples_beyond_memory_are_refused_at_once(tmp_path, capsys, argv):
    scenario = REPO / "scenarios" / "tianjin-2027-plan.yaml"
    out = tmp_path / "out"
    argv = [scenario if a == "SCENARIO" else a for a in argv]
    code, _, err = run_cli(capsys, argv + (["--out", out] if argv[0] != "report" else ["-o", out / "r.pdf"]))
    assert_one_line(code, err, "--samples", "1,000,000,000,000 members need about", "fix: use ")
    largest = int(err.split("fix: use ")[1].split(" or fewer")[0].replace(",", ""))
    assert 10_000 < largest < 1_000_000_000_000
    assert not out.exists()


def test_samples_in_the_scenario_beyond_memory(tmp_path, capsys):
    p = tmp_path / "s.yaml"
    p.write_text(good() + "uncertainty: {samples: 100000000000000}\n", encoding="utf-8")
    code, _, err = run_cli(capsys, ["run", p, "--out", tmp_path / "out"])
    assert_one_line(code, err, "s.yaml: uncertainty.samples", "or fewer")


# ----------------------------------------------------------------------------------------- project files

def _observed_text() -> str:
    return (REPO / "calibration" / "observed.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("make,expected", [
    (lambda: bytes(range(256)) * 8, "NUL bytes"),
    (lambda: _observed_text().replace("region,indicator,year,value", "region,indicator,year,amount", 1).encode(),
     "value: column missing"),
    (lambda: _observed_text().replace(",2019,1632,", ",2019,lots,", 1).encode(), "row 3, value"),
    (lambda: _observed_text().replace(",2019,1632,", ",2019,inf,", 1).encode(), "row 3, value"),
    (lambda: _observed_text().replace(",2019,1632,", ",2019.5,1632,", 1).encode(), "row 3, year"),
    (lambda: b'region,"indicator\n' + b"x" * 50, "observed.csv"),
    (lambda: (_observed_text() + "tianjin,x,2020,1,count,actual,stock,café,q,n\n").encode("latin-1", errors="replace"),
     "Latin-1"),
], ids=["binary", "missing-column", "text-value", "inf-value", "fractional-year", "broken-quote", "latin-1"])
def test_corrupt_observed_csv(tmp_path, make, expected):
    from innosd.observed import load_observed

    p = tmp_path / "observed.csv"
    p.write_bytes(make())
    with pytest.raises(InputError) as err:
        load_observed(p)
    line = err.value.line()
    assert "observed.csv" in line and expected in line and "fix:" in line and "\n" not in line


def test_observed_csv_in_gbk_reads_like_utf8(tmp_path):
    from innosd.observed import load_observed

    p = tmp_path / "observed.csv"
    p.write_bytes(_observed_text().encode("gb18030"))
    assert load_observed(p).equals(load_observed(REPO / "calibration" / "observed.csv"))


@pytest.mark.parametrize("text,expected", [
    ("parameters: [\n", "not valid YAML"),
    ("something_else: 1\n", "parameters: missing"),
    ("parameters:\n  gdp_initial: 5\n", "parameters.gdp_initial: must be a mapping"),
    ("parameters:\n  gdp_initial: {low: 2, high: 1}\n", "bad range"),
    ("parameters:\n  gdp_initial: {low: a, high: 1}\n", "gdp_initial.low: must be a finite number"),
    ("parameters:\n  gdp_initial: {low: 1, high: .inf}\n", "not a finite number"),
    ("parameters:\n  gdp_initial: {low: 1, high: 2, prior: normal}\n", "prior"),
    ("parameters:\n  nonsense: {low: 1, high: 2}\n", "not a constant of the model"),
], ids=["yaml", "no-parameters", "not-mapping", "range", "text", "inf", "prior", "unknown"])
def test_corrupt_parameters_yaml(tmp_path, model, text, expected):
    from innosd.calibration.priors import load_priors

    p = tmp_path / "parameters.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_priors(p, model=model)
    line = err.value.line()
    assert "parameters.yaml" in line and expected in line and "fix:" in line and "\n" not in line


# ----------------------------------------------------------------------------------------- model files

def _mdl(tmp_path, old: str, new: str) -> Path:
    text = (REPO / "model" / "tianjin_innovation.mdl").read_text(encoding="utf-8")
    assert old in text
    p = tmp_path / "m.mdl"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return p


def _line_of(path: Path, fragment: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if fragment in line)


@pytest.mark.parametrize("command", ["simulate", "describe"])
def test_malformed_mdl_gives_line_and_column(tmp_path, capsys, command):
    p = _mdl(tmp_path, "gdp * other business rd intensity / 100", "gdp * other business rd intensity / / 100")
    line = _line_of(p, "other business rd intensity / / 100")
    code, out, err = run_cli(capsys, [command, p])
    assert_one_line(code, err, "m.mdl", f"line {line}, column 36", "'other business rd'", "'/ / 100'")
    assert out == ""


def test_malformed_mdl_in_a_scenario(tmp_path, capsys):
    p = _mdl(tmp_path, "gdp * other business rd intensity / 100", "gdp * other business rd intensity / / 100")
    s = tmp_path / "s.yaml"
    s.write_text("name: s\nmodel: m.mdl\n", encoding="utf-8")
    code, _, err = run_cli(capsys, ["run", s, "--out", tmp_path / "out"])
    assert_one_line(code, err, "m.mdl", f"line {_line_of(p, '/ / 100')}, column")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("data,expected", [
    (bytes(range(256)) * 40, "NUL bytes"),
    ((REPO / "model" / "tianjin_innovation.mdl").read_text(encoding="utf-8").replace("{UTF-8}", "")
     .encode("gb18030"), "GB18030"),
    (b"", "m.mdl"),
], ids=["binary", "gbk", "empty"])
def test_unreadable_mdl(tmp_path, capsys, data, expected):
    p = tmp_path / "m.mdl"
    p.write_bytes(data)
    code, out, err = run_cli(capsys, ["simulate", p])
    assert_one_line(code, err, "m.mdl", expected)
    assert out == ""


def test_empty_mdl_says_so(tmp_path, capsys):
    p = tmp_path / "m.mdl"
    p.write_text("{UTF-8}\n\n", encoding="utf-8")
    for engine in ("numpy", "pysd"):
        code, out, err = run_cli(capsys, ["simulate", p, "--engine", engine])
        assert_one_line(code, err, "m.mdl", "empty", "fix: save the model from Vensim again")
        assert out == ""


@pytest.mark.parametrize("engine", ["numpy", "pysd"])
def test_undefined_name_in_mdl(tmp_path, capsys, engine):
    """A name defined nowhere: its line, the equation it is in and the closest names, on either engine."""
    p = _mdl(tmp_path, "gdp * other business rd intensity / 100", "gdp * other busines rd intensity / 100")
    code, out, err = run_cli(capsys, ["simulate", p, "--engine", engine])
    assert_one_line(code, err, f"m.mdl: line {_line_of(p, 'other busines rd intensity')}: ",
                    "'other busines rd intensity' in the equation of 'other business rd' is not defined",
                    "fix: define it or correct the name (did you mean 'other business rd intensity'")
    assert "unsupported" not in err and out == ""


def test_undefined_name_in_a_scenario_model_with_pysd(tmp_path, capsys):
    p = _mdl(tmp_path, "gdp * other business rd intensity / 100", "gdp * other busines rd intensity / 100")
    s = tmp_path / "s.yaml"
    s.write_text("name: s\nmodel: m.mdl\n", encoding="utf-8")
    code, _, err = run_cli(capsys, ["run", s, "--engine", "pysd", "--samples", "2", "--out", tmp_path / "out"])
    assert_one_line(code, err, f"m.mdl: line {_line_of(p, 'other busines rd intensity')}: ", "is not defined")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("exc", [KeyError("x_y"), AttributeError("'NoneType' object has no attribute 'shape'\nmore"),
                                 FileNotFoundError("data.csv")], ids=["key", "attribute", "file"])
def test_any_pysd_failure_is_one_line(tmp_path, capsys, monkeypatch, exc):
    """Whatever PySD raises loading or running a user's model (the engine compiles it): one line, exit 2."""
    import innosd.engine.simulate as simulate

    def fail(*args, **kwargs):
        raise exc

    monkeypatch.setattr(simulate, "run_pysd", fail)
    p = tmp_path / "m.mdl"
    p.write_text("{UTF-8}\nx = 1\n~ ~ |\nINITIAL TIME = 0 ~ ~ |\nFINAL TIME = 1 ~ ~ |\nTIME STEP = 1 ~ ~ |\n"
                 "SAVEPER = 1 ~ ~ |\n", encoding="utf-8")
    code, out, err = run_cli(capsys, ["simulate", p, "--engine", "pysd"])
    assert_one_line(code, err, "m.mdl: PySD failed: " + type(exc).__name__, "fix: check what PySD names")
    assert out == ""
