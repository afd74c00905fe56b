"""What the PDF says about how far its verdicts hold: P(met) with its error, prior sensitivity, the backtest.

One run of the 2022 plan (eight forecast targets) rendered in Chinese and English: every target's
"P ± se" is printed as targets.csv has it; the prior-sensitivity section prints the numbers of
prior_sensitivity.csv and names the parameters by their Chinese names; the backtest section shows the
project's reports/backtest/scores.csv when it exists and says how to make it when not; text from the
scenario file is Chinese in the Chinese report.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pypdf
import pytest

from innosd import cli
from innosd import runfolder as rf
from innosd.report import text as tx
from innosd.scenario_text import in_language

SCENARIO = "scenarios/tianjin-2022-plan.yaml"


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _cli(repo, *args) -> int:
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
    mp.chdir(repo)
    try:
        return cli.main(list(args))
    finally:
        mp.undo()


def _backtest(folder):
    """A small scores.csv as `innosd backtest` writes it (two origins, three methods)."""
    from innosd.calibration.scores import METHODS, score_draws, scores_table

    rng = np.random.default_rng(3)
    frames = []
    for origin in (2019, 2020):
        y = rng.normal(6, 1, size=5)
        base = pd.DataFrame({"series": ["gdp", "chuying", "dengling", "lingjun", "tech_smes"], "year": 2022,
                             "observed": np.exp(y), "origin": origin, "horizon": 2022 - origin})
        for k, m in enumerate(METHODS):
            frames.append(base.assign(method=m, **score_draws(y + rng.normal(0, 0.2 + 0.2 * k, (400, 5)), y)))
    folder.mkdir(parents=True)
    scores_table(pd.concat(frames, ignore_index=True)).to_csv(folder / rf.BACKTEST_SCORES, index=False)


@pytest.fixture(scope="module")
def reports(repo, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("robust")
    run = tmp / "run"
    assert _cli(repo, "run", SCENARIO, "--samples", "300", "--out", str(run), "--no-charts") == 0
    backtest = tmp / "backtest"
    _backtest(backtest)
    out = {"run": run, "targets": pd.read_csv(run / "targets.csv"),
           "prior": pd.read_csv(run / rf.PRIOR_SENSITIVITY), "backtest": backtest}
    mp = pytest.MonkeyPatch()
    mp.setattr(rf, "backtest_folder", lambda root: backtest)
    try:
        for lang in ("zh", "en"):
            pdf = tmp / f"{lang}.pdf"
            assert _cli(repo, "report", str(run), "--lang", lang, "-o", str(pdf)) == 0
            pages = [p.extract_text() for p in pypdf.PdfReader(str(pdf)).pages]
            out[lang] = pages
    finally:
        mp.undo()
    return out


def _section(pages, key, lang) -> str:
    """The squashed text of the pages whose header is section ``key``'s title."""
    title = tx.section_title(key, lang)
    return _squash("\n".join(p for p in pages if p.lstrip().startswith(title)))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_target_shows_p_met_with_its_error(reports, lang):
    text = _squash("\n".join(reports[lang]))
    targets = reports["targets"]
    assert (targets.kind == "forecast").all() and targets.p_met_se.gt(0).all()
    for r in targets.itertuples():
        shown = tx.fmt_p_se(r.p_met, r.p_met_se)
        assert re.fullmatch(r"\d\.\d{2,3} ± \d\.\d{2,3}", shown), shown
        assert _squash(tx.t("summary_line1", lang, verdict=tx.verdict_label(r.verdict, lang), p=f"P = {shown}")) \
            in text, r.id
        assert text.count(_squash(shown)) >= 2, r.id       # the summary box and the target table


def _blocks(run, lang, render) -> str:
    """The text of the blocks one section's ``render`` adds for the run folder ``run`` (no typesetting)."""
    from innosd.report.context import build_context
    from innosd.report.document import Document

    doc = Document(run)
    render(doc, build_context(rf.open_run(run), lang))
    parts = []
    for b in doc.blocks:
        parts += [b.get("text", ""), b.get("title", "")] + list(b.get("lines", [])) + list(b.get("items", []))
        parts += [c.get("text", "") for row in b.get("rows", []) for c in row]
    return _squash("\n".join(map(str, parts)))


def test_a_target_set_by_assumption_says_so_instead_of_a_probability(repo, tmp_path):
    from innosd.report.sections import summary, target_table

    run = tmp_path / "run"
    assert _cli(repo, "run", "scenarios/tianjin-2027-plan.yaml", "--samples", "100", "--out", str(run),
                "--no-charts") == 0
    assumed = pd.read_csv(run / "targets.csv").query("kind == 'assumption'")
    assert len(assumed) == 2
    for lang in ("zh", "en"):
        text = _blocks(run, lang, summary) + _blocks(run, lang, target_table)
        for r in assumed.itertuples():
            assert _squash(tx.t("summary_line1_assumed", lang, verdict=tx.verdict_label(r.verdict, lang))) in text
        assert "P=-" not in text and "P=–" not in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_prior_section_prints_the_numbers_of_the_csv(reports, lang):
    section = _section(reports[lang], "priors", lang)
    prior = reports["prior"]
    assert len(prior) == 8 and prior.p_met_prior_wider.notna().all()
    for r in prior.itertuples():
        for key in ("wider", "narrower"):
            cell = tx.fmt_p_se(getattr(r, f"p_met_prior_{key}"), getattr(r, f"p_met_prior_{key}_se"))
            assert _squash(cell) in section, (r.id, key, cell)
        assert _squash(tx.t("pri_head", lang, id=r.id, indicator=tx.indicator_label(r.indicator, lang),
                            p=tx.fmt_p_se(r.p_met, r.p_met_se),
                            pw=tx.fmt_p_se(r.p_met_prior_wider, r.p_met_prior_wider_se),
                            pn=tx.fmt_p_se(r.p_met_prior_narrower, r.p_met_prior_narrower_se))) in section
    k = prior.pareto_k_max.max()
    assert _squash(f"= {k:.2f}") in section


def test_the_prior_section_names_parameters_in_chinese(reports):
    names = json.loads((reports["run"] / rf.STRUCTURE).read_text(encoding="utf-8"))["names_zh"]
    section = _section(reports["zh"], "priors", "zh")
    named = [p for cell in reports["prior"].rests_on for p, _, _ in rf.parse_rests_on(cell)]
    for p in named:
        assert _squash(names[p.replace("_", " ")]) in section, p
    if not named:  # nothing beyond its error: the section says so for every target
        assert section.count(_squash(tx.t("pri_no_params", "zh"))) == len(reports["prior"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_backtest_section_shows_the_scores_file(reports, lang):
    obs, summary = rf.read_backtest(reports["backtest"])
    total = summary[summary.origin.astype(str) == "all"].set_index("method")
    section = _section(reports[lang], "backtest", lang)
    line = tx.t("bt_summary", lang, n=int(total.loc["model", "n_common"]),
                model=f"{total.loc['model', 'crps_log_common']:.2f}",
                trend=f"{total.loc['trend', 'crps_log_common']:.2f}",
                carry=f"{total.loc['carry_forward', 'crps_log_common']:.2f}",
                cov90=f"{100 * total.loc['model', 'coverage90_common']:.0f}%",
                cov50=f"{100 * total.loc['model', 'coverage50_common']:.0f}%")
    assert _squash(line) in section
    for origin in ("2019", "2020"):
        assert origin in section


def test_without_a_backtest_the_section_says_how_to_run_it(reports, tmp_path, monkeypatch):
    from innosd.report.backtest import render

    monkeypatch.setattr(rf, "backtest_folder", lambda root: tmp_path / "none")
    for lang in ("zh", "en"):
        text = _blocks(reports["run"], lang, render)
        assert "innosdbacktest" in text and "scores.csv" in text
        assert _squash(tx.t("bt_missing", lang, folder=str(tmp_path / "none"))) in text


def test_the_scenarios_text_is_chinese_in_chinese_and_english_in_english(reports):
    summary = json.loads((reports["run"] / rf.SUMMARY).read_text(encoding="utf-8"))
    sc = summary["scenario"]
    zh, en = _squash("\n".join(reports["zh"])), _squash("\n".join(reports["en"]))
    assert sc["description_zh"] and _squash(sc["description_zh"]) in zh and _squash(sc["description"]) in en
    for item in summary["not_represented"]:
        assert _squash(in_language(item, "reason", "zh")) in zh and _squash(item["reason"]) in en
    note = sc["target_text"]["lingjun-2022"]
    assert _squash(note["note_zh"]) in zh and _squash(note["note"]) in en
