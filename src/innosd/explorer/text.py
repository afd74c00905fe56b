"""The page's words in Chinese (default) and English.

Indicator and lever names, units and Chinese labels come from :mod:`innosd.indicators`; this
module holds only what the page itself says. :func:`t` looks a phrase up, ``{field}`` filled in.
"""

from __future__ import annotations

LANGS = ("zh", "en")

PHRASES: dict[str, dict[str, str]] = {
    "title": {"zh": "科技创新目标情景分析", "en": "Innovation targets: scenario explorer"},
    "subtitle": {"zh": "调整政策杠杆，实时查看各项规划目标的达成概率",
                 "en": "Move a policy lever and see at once how likely each plan target is to be met"},
    "scenario": {"zh": "情景", "en": "Scenario"},
    "tab_explore": {"zh": "情景分析", "en": "Explore"},
    "tab_compare": {"zh": "情景对比", "en": "Compare"},
    "levers": {"zh": "政策杠杆", "en": "Policy levers"},
    "decision_year": {"zh": "决策年份", "en": "Decision year"},
    "decision_year_help": {"zh": "情景未设定的杠杆从该年起按所设数值执行",
                           "en": "Levers the scenario leaves alone take the value set here from this year on"},
    "range": {"zh": "范围", "en": "range"},
    "yaml_name": {"zh": "情景文件中的杠杆名", "en": "the lever's name in scenario files"},
    "from_decision": {"zh": "自 {year} 年起（决策年份）", "en": "from {year} (decision year)"},
    "from_scenario": {"zh": "自 {year} 年起（情景设定：{form}）", "en": "from {year} (set by the scenario: {form})"},
    "uncertain": {"zh": "不确定性：{kind} [{low}, {high}]", "en": "uncertainty: {kind} [{low}, {high}]"},
    "growth_fixed": {"zh": "情景以增长率设定该杠杆，请在情景文件中修改",
                     "en": "the scenario sets this lever as a growth rate: change it in the scenario file"},
    "reset": {"zh": "恢复情景设定", "en": "Reset to the scenario"},
    "assumptions": {"zh": "情景假设（非政策杠杆）", "en": "Assumptions of the scenario (not policy levers)"},
    "targets": {"zh": "目标研判", "en": "Targets"},
    "col_target": {"zh": "目标", "en": "Target"},
    "col_year": {"zh": "年份", "en": "Year"},
    "col_goal": {"zh": "目标值", "en": "Goal"},
    "col_median": {"zh": "中位数", "en": "Median"},
    "col_interval": {"zh": "90% 区间", "en": "90% interval"},
    "col_p": {"zh": "达成概率", "en": "P(met)"},
    "col_verdict": {"zh": "研判", "en": "Verdict"},
    "col_first": {"zh": "首次达成", "en": "First met"},
    "col_actual": {"zh": "实际值", "en": "Actual"},
    "vintage": {"zh": "数据截至 {year} 年（校准数据版本）", "en": "Data up to {year} (calibration vintage)"},
    "no_vintage": {"zh": "未校准：使用模型默认参数", "en": "Not calibrated: model defaults"},
    "members": {"zh": "{n} 个集合成员 · 随机种子 {seed}", "en": "{n} ensemble members · seed {seed}"},
    "updated": {"zh": "已更新，用时 {ms} 毫秒", "en": "updated in {ms} ms"},
    "not_updated": {"zh": "有数值需要更正，结果仍为上次的有效设定",
                    "en": "a value needs correcting: results are for the last valid settings"},
    "charts": {"zh": "目标指标走势（扇形图）", "en": "Fan charts of the targeted indicators"},
    "legend_90": {"zh": "90% 区间", "en": "90% interval"},
    "legend_50": {"zh": "50% 区间", "en": "50% interval"},
    "legend_median": {"zh": "中位数", "en": "median"},
    "legend_history": {"zh": "历史数据", "en": "observed"},
    "legend_later": {"zh": "数据版本之后的观测", "en": "observed after the vintage"},
    "legend_goal": {"zh": "目标", "en": "goal"},
    "decision_line": {"zh": "决策年份 {year}", "en": "decision year {year}"},
    "vintage_line": {"zh": "数据截至 {year}", "en": "data to {year}"},
    "before_decision": {"zh": "早于决策年份", "en": "due before the decision year"},
    "change_since": {"zh": "{year} 年末以来的增量", "en": "change since the end of {year}"},
    "not_represented": {"zh": "模型未覆盖的规划目标（{n} 项）",
                        "en": "Plan targets the model does not represent ({n})"},
    "save_name": {"zh": "另存为情景（文件名）", "en": "Save as scenario (file name)"},
    "save_description": {"zh": "说明（可选）", "en": "Description (optional)"},
    "save": {"zh": "保存情景", "en": "Save scenario"},
    "report": {"zh": "生成 PDF 报告", "en": "Write PDF report"},
    "saved": {"zh": "已保存 {path}（已通过校验）", "en": "saved {path} (validated)"},
    "report_written": {"zh": "报告已生成：{path}", "en": "report written: {path}"},
    "compare_a": {"zh": "情景 A（参照）", "en": "Scenario A (reference)"},
    "compare_b": {"zh": "情景 B", "en": "Scenario B"},
    "compare_help": {"zh": "比较情景文件夹中两个已保存的情景：同一目标的达成概率与中位数",
                     "en": "Two saved scenarios from the scenarios folder side by side: "
                           "P(met) and median of each target"},
    "table_help": {"zh": "达成概率：集合成员中达到目标的比例（其旁为相对所打开情景的变化）；"
                         "90% 区间：第 5 至第 95 百分位；研判：概率 ≥ {hi} 有望达成，≤ {lo} 难以达成，"
                         "其间存在风险；灰色目标的数值由情景假设决定。",
                   "en": "P(met): share of ensemble members meeting the goal (its change from the opened scenario "
                         "beside it); 90% interval: 5th to 95th percentile; verdict: on track at P ≥ {hi}, off track "
                         "at P ≤ {lo}, at risk in between; grey targets are set by the scenario's assumptions."},
    "costs": {"zh": "较所开情景的额外支出（{first}–{last} 年合计）",
              "en": "Spending beyond the opened scenario ({first}–{last}, total)"},
    "cost_total": {"zh": "合计", "en": "total"},
    "cost_unknown": {"zh": "无单价", "en": "no cost known"},
    "cost_note": {"zh": "单价及其来源见 calibration/levers.yaml",
                  "en": "unit costs and their sources: calibration/levers.yaml"},
    "save_placeholder": {"zh": "如 more-incubators", "en": "e.g. more-incubators"},
    "lang": {"zh": "English", "en": "中文"},
    "bad_number": {"zh": "请输入数字（如 25 或 0.045）", "en": "enter a number (e.g. 25 or 0.045)"},
    "out_of_range": {"zh": "超出范围：请输入 {low} 至 {high} 之间的数值",
                     "en": "out of range: enter a value from {low} to {high}"},
    "bad_year": {"zh": "请输入 {low} 至 {high} 之间的年份", "en": "enter a year from {low} to {high}"},
    "footer": {"zh": "结果由 innosd.api.run 计算，与命令行 innosd run 相同；本页不联网。",
               "en": "Results come from innosd.api.run, as for `innosd run`; this page uses no network."},
}

VERDICTS = {
    "on track": {"zh": "有望达成", "en": "on track"},
    "at risk": {"zh": "存在风险", "en": "at risk"},
    "off track": {"zh": "难以达成", "en": "off track"},
    "met by assumption": {"zh": "按假设达成", "en": "met by assumption"},
    "not met by assumption": {"zh": "按假设未达成", "en": "not met by assumption"},
}

FORMS = {
    "constant": {"zh": "常数", "en": "constant"}, "table": {"zh": "逐年表", "en": "table"},
    "step": {"zh": "阶跃", "en": "step"}, "ramp": {"zh": "线性过渡", "en": "ramp"},
    "growth": {"zh": "增长率", "en": "growth"},
    "shift": {"zh": "加", "en": "shift"}, "scale": {"zh": "乘", "en": "scale"},
}


def t(key: str, lang: str, **fields) -> str:
    """The phrase ``key`` in ``lang`` (``zh`` or ``en``) with ``fields`` filled in."""
    text = PHRASES[key]["en" if lang == "en" else "zh"]
    return text.format(**fields) if fields else text


def verdict(text: str, lang: str) -> str:
    """A verdict of :func:`innosd.targets.evaluate` (``on track`` ...) in ``lang``."""
    return VERDICTS.get(text, {"zh": text, "en": text})["en" if lang == "en" else "zh"]


def form(name: str, lang: str) -> str:
    """A lever form (``step``, ``ramp`` ...) or uncertainty kind in ``lang``."""
    return FORMS.get(name, {"zh": name, "en": name})["en" if lang == "en" else "zh"]


def describe(spec: dict, lang: str) -> str:
    """A lever entry in words: ``自 2021 年起 0.045`` / ``0.045 from 2021``."""
    form = next(k for k in spec if k != "uncertainty")
    body = spec[form]
    zh = lang == "zh"
    if form == "step":
        return f"自 {body['year']} 年起 {body['to']}" if zh else f"{body['to']} from {body['year']}"
    if form == "ramp":
        return (f"{body['start']}–{body['end']} 年线性过渡至 {body['to']}" if zh
                else f"ramp to {body['to']} over {body['start']}–{body['end']}")
    if form == "growth":
        return (f"自 {body['from_year']} 年起每年增长 {body['rate']}" if zh
                else f"growing {body['rate']} a year from {body['from_year']}")
    if form == "table":
        return "；".join(f"{k} 年 {v}" for k, v in body.items()) if zh else \
            ", ".join(f"{k}: {v}" for k, v in body.items())
    return f"{body}"
