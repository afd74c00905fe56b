"""The PDF report: opens, has its sections as bookmarks, says every verdict and probability as
targets.csv does, keeps Chinese as Chinese text, is byte-for-byte reproducible, works in English,
and rejects bad input with one line."""

from __future__ import annotations

import re
import subprocess
import sys
import warnings

import pandas as pd
import pytest

pypdf = pytest.importorskip("pypdf")

from innosd import cli  # noqa: E402
from innosd.report import text as tx  # noqa: E402
from innosd.report.layout import text_width, wrap  # noqa: E402

SCENARIO = "scenarios/tianjin-2027-plan.yaml"
SAMPLES = "200"
EPOCH = "1700000000"
PAGES = range(15, 46)  # the 2027 plan's report is about 25 pages


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _report(repo, out, *args, epoch=EPOCH):
    """Run the CLI in this process (the compiled model is cached) and return the PDF path."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", epoch)
    mp.chdir(repo)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            rc = cli.main(list(args))
    finally:
        mp.undo()
    assert rc == 0
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert not missing, missing[:3]
    return out


@pytest.fixture(scope="module")
def zh(repo, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report")
    run = tmp / "run"
    mp = pytest.MonkeyPatch()
    mp.chdir(repo)
    try:
        assert cli.main(["run", SCENARIO, "--samples", SAMPLES, "--out", str(run), "--no-charts"]) == 0
    finally:
        mp.undo()
    pdf = _report(repo, tmp / "zh.pdf", "report", SCENARIO, "--samples", SAMPLES, "-o", str(tmp / "zh.pdf"))
    reader = pypdf.PdfReader(str(pdf))
    text = "\n".join(p.extract_text() for p in reader.pages)
    return {"pdf": pdf, "reader": reader, "text": text, "targets": pd.read_csv(run / "targets.csv"), "tmp": tmp}


def _outline(reader) -> list[str]:
    return [item.title for item in reader.outline if not isinstance(item, list)]


def test_opens_with_section_bookmarks_and_numbered_pages(zh):
    reader = zh["reader"]
    assert len(reader.pages) in PAGES
    assert _outline(reader) == [tx.section_title(k, "zh") for k in tx.SECTIONS]
    n = len(reader.pages)
    for i in (1, n):
        assert tx.t("footer_page", "zh", i=i, n=n) in reader.pages[i - 1].extract_text()
    assert reader.metadata.title.endswith("tianjin-2027-plan")


def test_every_verdict_and_probability_as_in_targets_csv(zh):
    text = _squash(zh["text"])
    table = zh["targets"]
    assert len(table) == 4
    for r in table.itertuples():
        verdict = tx.verdict_label(r.verdict, "zh")
        assert verdict.split()[0] in ("有望达成", "存在风险", "难以达成", "按假设达成", "按假设未达成")
        line = tx.t("summary_line1", "zh", verdict=verdict, p=tx.fmt_p(r.p_met))  # verdict and P together
        assert _squash(line) in text, (r.id, line)
        assert r.id in text


def test_chinese_is_real_text(zh):
    text = zh["text"]
    for word in ("技术合同成交额", "执行摘要", "国家科技型中小企业", "有望达成", "数据来源"):
        assert word in text
    assert "\ufffd" not in text


def test_sections_are_generated_from_the_run(zh):
    text = _squash(zh["text"])
    assert "2025–2027" in zh["text"]  # plan period derived from the targets' years
    assert _squash(tx.t("cover_data_date_value", "zh", year=2020)) in text
    assert "tianjin-2027-plan" in text and "seed20270101" in text
    assert _squash("技术合同成交额突破2600亿元") in text  # the target's quote, verbatim from the scenario


def test_same_seed_and_epoch_give_identical_bytes(zh, repo):
    again = zh["tmp"] / "zh-again.pdf"
    _report(repo, again, "report", SCENARIO, "--samples", SAMPLES, "-o", str(again))
    assert again.read_bytes() == zh["pdf"].read_bytes()


def test_run_report_in_english_for_a_region_on_assumptions(repo, tmp_path):
    out = tmp_path / "eco"
    _report(repo, out, "run", "scenarios/ecocity-2022-plan.yaml", "--samples", "100", "--out", str(out),
            "--no-charts", "--report", "--lang", "en")
    reader = pypdf.PdfReader(str(out / "ecocity-2022-plan.pdf"))
    assert _outline(reader) == [tx.section_title(k, "en") for k in tx.SECTIONS]
    text = "\n".join(p.extract_text() for p in reader.pages)
    flat = _squash(text)
    table = pd.read_csv(out / "targets.csv")
    for r in table.itertuples():
        assert _squash(tx.t("summary_line1", "en", verdict=r.verdict, p=f"{r.p_met:.2f}")) in flat
    assert _squash("rest on the assumptions declared in the scenario, not on calibration") in flat
    assert "Page 1 of" in text


def test_missing_scenario_is_one_line_and_exit_2(repo, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "innosd", "report", "no/such/scenario.yaml", "-o",
                           str(tmp_path / "x.pdf")], capture_output=True, text=True, cwd=repo)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "not found" in lines[0]
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("args, word", [(["--samples", "0"], "--samples"), (["-o", "report.txt"], ".pdf")])
def test_bad_options_are_one_line(repo, tmp_path, capsys, args, word):
    mp = pytest.MonkeyPatch()
    mp.chdir(repo)
    try:
        rc = cli.main(["report", SCENARIO] + args)
    finally:
        mp.undo()
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and word in err[0]


def test_what_it_takes_says_unavailable_without_the_module(monkeypatch):
    from innosd.report import analysis

    monkeypatch.setitem(sys.modules, "innosd.whatittakes", None)  # import fails
    table = pd.DataFrame({"id": ["a"], "verdict": ["at risk"], "p_met": [0.5]})
    assert analysis.what_it_takes(None, table, None)[0] == "unavailable"


def test_wrap_keeps_lines_within_width():
    s = "技术合同成交额突破2600亿元，科技型中小企业达到1.5万家。An English sentence with a long URL " \
        "http://district.ce.cn/newarea/roll/202004/09/t20200409_34648618_2.shtml at the end."
    for width in (60, 120, 300):
        lines = wrap(s, width, 9)
        assert _squash("".join(lines)) == _squash(s)
        assert all(text_width(ln, 9) <= width + 0.01 for ln in lines)
        assert not any(ln.startswith(("，", "。")) for ln in lines)


def test_plan_period_and_probability_format():
    from types import SimpleNamespace

    from innosd.report.analysis import plan_period

    assert plan_period([SimpleNamespace(year=2022), SimpleNamespace(year=2021)]) == (2019, 2022)
    assert plan_period([SimpleNamespace(year=2027)]) == (2025, 2027)
    assert plan_period([]) is None
    assert tx.fmt_p(0.875) == "0.88" and tx.fmt_p(1.0) == "1.00"
