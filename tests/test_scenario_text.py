"""Chinese twins of the scenarios' free text (``*_zh``) and of the parameter notes.

Every bundled scenario and every parameter note has one, keeping the Chinese quoted in the original
verbatim; a bad twin is one line naming the file, the field and the fix; a scenario that rewrites a text
it extends drops the base's translation of it; and the report shows the twin in Chinese, the original in
English (tests/test_report_robustness.py renders them).
"""

from __future__ import annotations

import re

import pytest
import yaml

from conftest import REPO
from innosd.cli import main
from innosd.errors import InputError
from innosd.scenario import load_scenario
from innosd.scenario_text import has_chinese, in_language, tidy

SCENARIOS = sorted((REPO / "scenarios").glob("*.yaml"))
WIDE_RUN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]{2,}")

BASE = """\
name: {name}
description: 2022 targets, English text
description_zh: 2022 年目标，中文说明
assumptions: ["one", "two"]
assumptions_zh: ["第一条", "第二条"]
targets:
  - id: turnover-2022
    indicator: tech_contract_turnover
    year: 2022
    comparison: ">="
    value: 1400
    unit: 亿元/year
    source: 000_604cd90ae920e876.txt
    quote: "全市技术合同成交额达到1400亿元"
    label: turnover
    label_zh: 技术合同成交额
not_represented:
  - {{id: x, text: 其他, reason: "not a flow", reason_zh: "不是流量"}}
"""


def _verbatim(original: str, chinese: str) -> list[str]:
    """Runs of Chinese in ``original`` missing from ``chinese`` (quotes must stay verbatim)."""
    return [run for run in WIDE_RUN.findall(original) if run not in chinese]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_every_bundled_scenario_has_its_free_text_in_chinese(path):
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    sc = load_scenario(path)
    if "description" in raw:  # a scenario's own description (one it extends is the base's to translate)
        assert has_chinese(sc.zh["description"] or ""), "description_zh"
        assert not _verbatim(sc.description, sc.zh["description"])
    if sc.assumptions:
        assert sc.zh["assumptions"] and len(sc.zh["assumptions"]) == len(sc.assumptions)
    for item, zh in zip(sc.not_represented, sc.zh["not_represented"], strict=True):
        assert zh and has_chinese(zh), item["id"]
        assert not _verbatim(item["reason"], zh), item["id"]
    for t in raw.get("targets") or []:
        for key in ("label", "note"):
            if t.get(key) and not has_chinese(t[key]):
                assert has_chinese(t.get(f"{key}_zh", "")), (t["id"], key)
                assert not _verbatim(t[key], t[f"{key}_zh"]), (t["id"], key)


def test_every_parameter_note_has_a_chinese_twin():
    from innosd.calibration.priors import prior_records, why_zh

    records = prior_records()
    extra = set(why_zh()) - set(records)
    assert not extra, f"parameters.zh.yaml names no parameter: {sorted(extra)}"
    for name, rec in records.items():
        assert has_chinese(rec["why_zh"]), name
        assert not _verbatim(rec["why"], rec["why_zh"]), name


def test_twins_are_read_and_shown_in_the_language(tmp_path):
    f = tmp_path / "s.yaml"
    f.write_text(BASE.format(name="s"), encoding="utf-8")
    sc = load_scenario(f)
    assert sc.zh["description"] == "2022 年目标，中文说明" and sc.zh["assumptions"] == ["第一条", "第二条"]
    assert sc.zh["targets"]["turnover-2022"] == {"label": "技术合同成交额"}
    assert sc.zh["not_represented"] == ["不是流量"]
    item = sc.not_represented[0]
    assert in_language(item, "reason", "zh") == "不是流量" and in_language(item, "reason", "en") == "not a flow"
    assert in_language({"reason": "only English"}, "reason", "zh") == "only English"


def test_folded_chinese_joins_without_spaces():
    folded = "2017 年目标，\n按当时（as_of: 2016），\n杠杆 abc\ndef 中文"
    assert tidy(folded) == "2017 年目标，按当时（as_of: 2016），杠杆 abc def 中文"


def test_a_child_that_rewrites_a_text_drops_the_base_translation(tmp_path):
    (tmp_path / "base.yaml").write_text(BASE.format(name="base"), encoding="utf-8")
    child = tmp_path / "child.yaml"
    child.write_text("name: child\nextends: base.yaml\ndescription: a variant\n", encoding="utf-8")
    assert load_scenario(child).zh["description"] is None      # not the base's Chinese for another text
    child.write_text("name: child\nextends: base.yaml\nlevers: {新增孵化器: 19}\n", encoding="utf-8")
    assert load_scenario(child).zh["description"] == "2022 年目标，中文说明"   # an unchanged text keeps it


BAD = [
    ("description_zh: 2022 年目标，中文说明", "description_zh: only English", "description_zh",
     "no Chinese characters"),
    ("description_zh: 2022 年目标，中文说明", "description_zh: [1, 2]", "description_zh", "must be text"),
    ('assumptions_zh: ["第一条", "第二条"]', 'assumptions_zh: ["第一条"]', "assumptions_zh",
     "has 1 sentences but assumptions has 2"),
    ('assumptions_zh: ["第一条", "第二条"]', "assumptions_zh: 第一条", "assumptions_zh", "must be a list"),
    ("description_zh: 2022 年目标，中文说明", "descripton_zh: 2022 年目标", "descripton_zh", "description_zh"),
    ("    label_zh: 技术合同成交额", "    label_zh: 42", "targets[turnover-2022].label_zh", "must be text"),
    ("    label_zh: 技术合同成交额", "    labl_zh: 技术合同成交额", "targets[0].labl_zh", "label_zh"),
    ('reason_zh: "不是流量"', 'reasn_zh: "不是流量"', "not_represented[0].reasn_zh", "reason_zh"),
    ('reason_zh: "不是流量"', 'reason_zh: "not a flow"', "not_represented[0].reason_zh", "no Chinese"),
]


@pytest.mark.parametrize("good,bad,field,words", BAD, ids=[b[2] + "-" + b[3][:12] for b in BAD])
def test_a_bad_twin_is_one_line_naming_the_field(tmp_path, capsys, good, bad, field, words):
    text = BASE.format(name="s")
    assert good in text
    f = tmp_path / "s.yaml"
    f.write_text(text.replace(good, bad), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_scenario(f)
    assert err.value.field == field and words in err.value.line()
    assert main(["validate", str(f)]) == 2
    out, errtext = capsys.readouterr()
    assert errtext.count("\n") == 1 and field in errtext and "fix:" in errtext and "Traceback" not in errtext
