"""The PDF report, rendered from a run folder by Typst.

It opens, has its sections as bookmarks and numbered pages, says every verdict and probability
as targets.csv does, is Chinese throughout in Chinese, keeps every table cell, embeds charts as
vectors and only local fonts, is byte-for-byte reproducible, re-renders a run folder without
running anything, and rejects bad input with one line.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pypdf
import pytest

from innosd import cli
from innosd.report import SECTIONS, Section, sections_for, typeset
from innosd.report import text as tx

SCENARIO = "scenarios/tianjin-2027-plan.yaml"
SAMPLES = "200"
EPOCH = "1700000000"
PAGES = range(15, 46)  # the 2027 plan's report is about 25 pages


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _cli(repo, *args, epoch=EPOCH) -> int:
    """Run the CLI in this process (the compiled model is cached)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", epoch)
    mp.chdir(repo)
    try:
        return cli.main(list(args))
    finally:
        mp.undo()


def _pages(pdf) -> list[str]:
    return [p.extract_text() for p in pypdf.PdfReader(str(pdf)).pages]


@pytest.fixture(scope="module")
def zh(repo, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report")
    run, pdf = tmp / "run", tmp / "zh.pdf"
    blocks, real = [], typeset.compile_pdf  # the blocks the PDF is laid out from, for measuring its tables
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(typeset, "compile_pdf", lambda build, meta, b, date: blocks.extend(b) or real(build, meta, b, date))
        assert _cli(repo, "report", SCENARIO, "--samples", SAMPLES, "--out", str(run), "-o", str(pdf)) == 0
    reader = pypdf.PdfReader(str(pdf))
    pages = [p.extract_text() for p in reader.pages]
    return {"pdf": pdf, "run": run, "reader": reader, "pages": pages, "text": "\n".join(pages),
            "targets": pd.read_csv(run / "targets.csv"), "tmp": tmp, "blocks": blocks}


def _outline(reader) -> list[str]:
    return [item.title for item in reader.outline if not isinstance(item, list)]


def test_opens_with_section_bookmarks_and_numbered_pages(zh):
    reader = zh["reader"]
    assert len(reader.pages) in PAGES
    assert _outline(reader) == [tx.section_title(s.key, "zh") for s in SECTIONS]
    nested = [i.title for item in reader.outline if isinstance(item, list) for i in item if not isinstance(i, list)]
    assert "技术合同成交额" in nested  # each fan chart is a second-level bookmark
    n = len(reader.pages)
    for i in range(1, n + 1):
        assert _squash(tx.t("footer_page", "zh", i=i, n=n)) in _squash(zh["pages"][i - 1])
    assert reader.metadata.title.endswith("tianjin-2027-plan")


def test_every_verdict_and_probability_as_in_targets_csv(zh):
    text = _squash(zh["text"])
    table = zh["targets"]
    assert len(table) == 4
    for r in table.itertuples():
        verdict = tx.verdict_label(r.verdict, "zh")
        assert verdict in ("有望达成", "存在风险", "难以达成", "按假设达成", "按假设未达成")
        key = "summary_line1_assumed" if r.kind == "assumption" else "summary_line1"
        line = tx.t(key, "zh", verdict=verdict, p=tx.p_text(r, "zh"))  # verdict and P ± its error together
        assert _squash(line) in text, (r.id, line)
        assert r.id in text


def test_chinese_is_real_text_and_lines_break_the_chinese_way(zh):
    text = zh["text"]
    for word in ("技术合同成交额", "执行摘要", "国家科技型中小企业", "存在风险", "数据来源", "亿元/年"):
        assert word in text
    assert "\ufffd" not in text
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    assert not [ln for ln in lines if ln[0] in "，。、；：）》」』”！？"], "a line starts with closing punctuation"


def _data_strings(run: Path) -> list[str]:
    """Text the zh report shows verbatim from the project's files (allowed to be English)."""
    import json

    import yaml

    from innosd import paths
    from innosd.structure import read_structure, stock_flow_table

    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    sc = summary["scenario"]
    out = [sc["description"], *sc["assumptions"], summary["provenance"]["calibration"]]
    out += [sc.get("description_zh") or "", *(sc.get("assumptions_zh") or [])]  # their Chinese twins
    out += [str(i.get("reason_zh", "")) for i in summary["not_represented"]]
    from innosd.calibration.priors import why_zh

    out += list(why_zh().values())  # the parameters' notes in Chinese (citations as written)
    out += [line for f in sc["files"] for line in f["text"].splitlines()]  # a file may run over pages
    out += [str(i.get(k, "")) for i in summary["not_represented"] for k in ("reason", "text", "id")]
    out += [str(v.get("why", "")) for v in yaml.safe_load(paths.PARAMETERS_YAML.read_text())["parameters"].values()]
    fit = yaml.safe_load((paths.CALIBRATION / "fit.yaml").read_text())
    out += [str(fit.get(k, "")) for k in ("likelihood", "priors")] + [str(fit["identifiability"].get("rule", ""))]
    out += [str(v) for key in ("settings", "data", "map", "diagnostics") for v in (fit.get(key) or {}).values()
            if isinstance(v, str)]  # notes, goals and the sampler's description, as written
    structure = read_structure(str(paths.MODEL_FILE))
    out += [s["doc"] for s in stock_flow_table(structure)] + list(structure)  # documentation and variable names
    obs = pd.read_csv(paths.OBSERVED_CSV, dtype=str)
    out += list(obs.quote.dropna()) + list(obs.source.dropna())
    return sorted({_squash(s) for s in out if s}, key=len, reverse=True)


# Latin words the Chinese report may print: symbols, method names, file and format names.
ALLOWED = {"innosd", "numpy", "NumPy", "PySD", "MAP", "MAPE", "Theil", "sigma", "Spearman", "Sobol", "Morris",
           "SHA", "UTC", "SOURCE_DATE_EPOCH", "logU", "dt", "log", "R&D", "GDP", "PDF", "csv", "yaml", "mdl", "svg",
           "txt", "pdf", "in", "out", "tianjin", "ST", "S1", "true", "false", "TheilU", "R-hat", "ESS",
           "Kallioinen", "Beta", "logit", "CRPS", "PIT", "innosdbacktest", "backtest", "SHA-256",
           "LoopsThatMatter", "Schoenberg"}  # the loop-dominance method and its author


def test_every_chinese_page_is_chinese(zh, repo):
    """Apart from text quoted from the project's files and names (ids, variables, files), no English."""
    data = _data_strings(zh["run"])
    from innosd.indicators import INDICATORS

    names = set(zh["targets"].id) | set(pd.read_csv(zh["run"] / "parameters.csv").parameter) | set(INDICATORS)
    # a bare name (a model variable, an id) is cut out only where it is not part of a longer identifier
    bare = sorted((s for s in data if re.fullmatch(r"\w+", s)), key=len, reverse=True)
    name_re = re.compile("|".join(rf"(?<!_){re.escape(s)}(?!_)" for s in bare))
    data = [s for s in data if not re.fullmatch(r"\w+", s)]
    for i, page in enumerate(zh["pages"], 1):
        flat = _squash(page)
        for s in data:
            flat = flat.replace(s, " ")
        flat = name_re.sub(" ", flat)
        words = set(re.findall(r"[A-Za-z][A-Za-z0-9_&.\-/]*", flat))
        stray = {w for w in words if len(w) > 1 and w not in ALLOWED and not any(c in w for c in "_./-")
                 and w not in names
                 and not re.fullmatch(r"[A-Za-z]?\d.*|[a-f0-9]{6,}|S\d+", w)}
        assert not stray, (i, sorted(stray)[:20])


def test_no_table_cell_is_cut_off(zh, repo):
    """Every observation's quote, every unrepresented target's text and every parameter appears whole."""
    from innosd import paths

    text = _squash(zh["text"])
    obs = pd.read_csv(paths.OBSERVED_CSV, dtype=str)
    obs = obs[obs.region == "tianjin"]
    for quote in obs.quote.dropna():
        assert _squash(quote) in text, quote
    import json

    from innosd.scenario_text import in_language

    for item in json.loads((zh["run"] / "summary.json").read_text())["not_represented"]:
        assert _squash(item["text"]) in text and _squash(in_language(item, "reason", "zh")) in text
    for name in pd.read_csv(zh["run"] / "parameters.csv").parameter:
        assert name in text


def test_numbers_have_no_exponent_and_cells_fit_their_columns(zh):
    """Planners never read 1.472e+04 (innosd.display); no unbreakable piece of a cell runs into the next one."""
    from test_report_layout import EXPONENT, overflowing

    assert not EXPONENT.findall(zh["text"]), EXPONENT.findall(zh["text"])[:10]
    assert zh["blocks"] and not overflowing(zh["blocks"], "zh")


def test_the_fit_table_names_its_series_in_chinese(zh, repo):
    from innosd.report.fittable import series_label

    head, end = tx.t("cal_fit_table", "zh"), tx.t("cal_ident", "zh")
    table = zh["text"][zh["text"].index(head):zh["text"].index(end)]
    series = pd.read_csv(repo / "calibration" / "fit_table.csv").series
    for s in series:
        assert re.search(r"[\u4e00-\u9fff]", series_label(s, "zh")) and _squash(series_label(s, "zh")) in _squash(table)
        assert not re.search(rf"(?<![\w]){s}(?![\w])", table), s  # no raw id left


def test_charts_are_vector_graphics_and_fonts_local(zh):
    """No raster image except the model diagram when only its PNG exists; fonts are the shipped ones."""
    reader = zh["reader"]
    for page, text in zip(reader.pages, zh["pages"], strict=True):
        if page.images:
            assert tx.t("mod_diagram", "zh") in text, "a chart was embedded as a raster image"
    fig_pages = [p for p, text in zip(reader.pages, zh["pages"], strict=True) if tx.t("cal_fit_plots", "zh") in text]
    assert fig_pages and all(not p.images for p in fig_pages)
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(re.sub(r"^[A-Z]{6}\+", "", str(font.get_object()["/BaseFont"]).lstrip("/")))
    assert fonts and all(f.startswith(("NotoSansCJKsc", "NotoSansMonoCJKsc", "DejaVuSans")) for f in fonts), fonts


def test_sections_are_generated_from_the_run(zh):
    text = _squash(zh["text"])
    assert "2025–2027" in zh["text"]  # plan period derived from the targets' years
    assert _squash(tx.t("cover_data_date_value", "zh", year=2022)) in text   # the run's data vintage
    assert "tianjin-2027-plan" in text and "20270101" in text
    assert _squash("技术合同成交额突破2600亿元") in text  # the target's quote, verbatim from the scenario
    wit = pd.read_csv(zh["run"] / "what_it_takes.csv")
    assert set(wit.target) == set(zh["targets"].query("kind == 'forecast' and p_met < 0.8").id)
    assert _squash(tx.t("wit_members", "zh", m=200, seed=20270101)) in text


def test_a_run_folder_renders_again_to_the_same_bytes_without_running(zh, repo, monkeypatch):
    """`innosd report RUN_FOLDER` reads the folder: the ensemble and the searches are never called."""
    import innosd.ensemble
    import innosd.whatittakes

    def boom(*a, **k):
        raise AssertionError("the report ran the model")

    monkeypatch.setattr(innosd.ensemble, "run_scenario", boom)
    monkeypatch.setattr(innosd.whatittakes, "what_it_takes_table", boom)
    again = zh["tmp"] / "zh-again.pdf"
    assert _cli(repo, "report", str(zh["run"]), "-o", str(again)) == 0
    assert again.read_bytes() == zh["pdf"].read_bytes()


def test_a_missing_result_file_is_explained(zh, repo, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(zh["run"], run)
    (run / "what_it_takes.csv").unlink()
    assert _cli(repo, "report", str(run), "--lang", "en", "-o", str(tmp_path / "en.pdf")) == 0
    text = _squash("\n".join(_pages(tmp_path / "en.pdf")))
    assert _squash("holds no what-it-takes results") in text and "--all" in text
    # a section declared optional is left out when its files are absent, and shown when present
    optional = Section("extra", "sections:cover", ("extra.csv",), missing="omit")
    from innosd.runfolder import open_run

    folder = open_run(run)
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr("innosd.report.SECTIONS", SECTIONS + (optional,))
    try:
        assert optional not in sections_for(folder)
        (run / "extra.csv").write_text("x\n")
        assert optional in sections_for(folder)
    finally:
        monkeypatch.undo()


def test_run_report_in_english_for_a_region_on_assumptions(repo, tmp_path):
    out = tmp_path / "eco"
    assert _cli(repo, "run", "scenarios/ecocity-2022-plan.yaml", "--samples", "100", "--out", str(out),
                "--no-charts", "--report", "--lang", "en") == 0
    reader = pypdf.PdfReader(str(out / "ecocity-2022-plan.pdf"))
    assert _outline(reader) == [tx.section_title(s.key, "en") for s in SECTIONS]
    text = "\n".join(p.extract_text() for p in reader.pages)
    flat = _squash(text)
    table = pd.read_csv(out / "targets.csv")
    for r in table.itertuples():
        assert _squash(tx.t("summary_line1", "en", verdict=r.verdict, p=tx.p_text(r, "en"))) in flat
    assert _squash("rest on the assumptions declared in the scenario, not on calibration") in flat
    assert "Page 1 of" in text
    own = text.split(tx.t("ass_yaml", "en"))[0]  # before the scenario file, which is shown verbatim
    for word in ("有望达成", "存在风险", "难以达成", "亿元/年", "亿元/year"):  # the report's own words are English
        assert word not in own
    assert "CNY 100m" in own


def test_missing_scenario_is_one_line_and_exit_2(repo, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "innosd", "report", "no/such/scenario.yaml", "-o",
                           str(tmp_path / "x.pdf")], capture_output=True, text=True, cwd=repo)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "not found" in lines[0]
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("args, word", [(["--samples", "0"], "--samples"), (["-o", "report.txt"], ".pdf")])
def test_bad_options_are_one_line(repo, capsys, args, word):
    rc = _cli(repo, "report", SCENARIO, *args)
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and word in err[0]


def test_a_folder_that_is_not_a_run_is_one_line(repo, tmp_path, capsys):
    rc = _cli(repo, "report", str(tmp_path), "-o", str(tmp_path / "x.pdf"))
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "not a finished run folder" in err[0]
    assert not (tmp_path / "x.pdf").exists()


def test_a_run_folder_is_not_run_again(zh, repo, capsys):
    rc = _cli(repo, "report", str(zh["run"]), "--samples", "10")
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "--samples" in err[0]


def test_plan_period_units_and_probability_format():
    from types import SimpleNamespace

    from innosd.report.analysis import plan_period

    assert plan_period([SimpleNamespace(year=2022), SimpleNamespace(year=2021)]) == (2019, 2022)
    assert plan_period([2027]) == (2025, 2027)
    assert plan_period([]) is None
    assert tx.fmt_p(0.875) == "0.88" and tx.fmt_p(1.0) == "1.00" and tx.fmt_p(float("nan")) == "-"
    assert tx.unit_label("firms", "zh") == "家" and tx.unit_label("亿元/year", "zh") == "亿元/年"
    assert tx.unit_label("patents/(yiyuan*Year)", "zh") == "件/(亿元·年)"
    assert tx.unit_label("firms", "en") == "firms" and tx.unit_label("亿元/year", "en") == "CNY 100m/year"


def test_the_model_diagram_prefers_the_language_then_svg_then_png(tmp_path):
    from innosd.report.appendix import diagram

    assert diagram(tmp_path, "structure", "zh") is None
    (tmp_path / "structure.png").write_bytes(b"png")
    assert diagram(tmp_path, "structure", "zh").name == "structure.png"
    (tmp_path / "structure.svg").write_text("<svg/>")
    assert diagram(tmp_path, "structure", "zh").name == "structure.svg"
    (tmp_path / "structure_zh.svg").write_text("<svg/>")
    assert diagram(tmp_path, "structure", "zh").name == "structure_zh.svg"
    assert diagram(tmp_path, "structure", "en").name == "structure.svg"
    assert diagram(tmp_path, "loops", "en") is None


def test_an_unwritable_pdf_path_is_one_line(zh, repo, tmp_path, capsys):
    target = tmp_path / "not-a-folder"
    target.write_text("a file")
    rc = _cli(repo, "report", str(zh["run"]), "-o", str(target / "x.pdf"))
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "cannot write the report" in err[0]


def test_a_run_on_an_older_vintage_shows_that_vintage(repo, tmp_path):
    """--as-of 2016: the data date, the fit files and the hashed inputs are the 2016 calibration's."""
    from innosd.ensemble import committed_vintages

    assert 2016 in committed_vintages(), "the 2016 calibration is committed (tests/test_structures.py)"
    run, pdf = tmp_path / "run", tmp_path / "v2016.pdf"
    assert _cli(repo, "report", SCENARIO, "--samples", "100", "--as-of", "2016", "--out", str(run), "-o", str(pdf),
                "--lang", "en") == 0
    text = _squash("\n".join(_pages(pdf)))
    assert _squash(tx.t("cover_data_date_value", "en", year=2016)) in text
    assert "calibration/vintages/2016/fit_table.csv" in text and "calibration/vintages/2016/fit.yaml" in text
    import json

    files = json.loads((run / "summary.json").read_text())["files"]
    assert "calibration/vintages/2016/posterior.csv" in files and "calibration/posterior.csv" not in files
