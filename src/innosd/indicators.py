"""The one vocabulary of indicator names used in data, scenarios and outputs.

Each indicator maps to a model variable (PySD Python name), its unit, the measure it
is published in, and its Chinese and English labels.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    name: str
    variable: str
    unit: str
    measure: str
    zh: str
    en: str


_ROWS = [
    # name, model variable, unit, measure, zh, en
    ("gdp", "gdp", "亿元", "stock", "地区生产总值", "GDP (census-revised basis)"),
    ("rd_intensity", "rd_intensity", "%", "ratio", "研发投入强度", "R&D intensity"),
    ("rd_expenditure", "rd_expenditure", "亿元/year", "annual_flow", "研发经费支出", "R&D expenditure"),
    ("knowledge_stock", "knowledge_stock", "亿元", "stock", "知识存量", "Knowledge stock"),
    ("valid_invention_patents", "valid_invention_patents", "patents", "stock", "有效发明专利", "Valid invention patents"),
    ("invention_patents_per_10k", "invention_patents_per_10k", "patents per 10k residents", "ratio", "每万人口发明专利拥有量", "Invention patents per 10k residents"),
    ("incubators", "incubators", "spaces", "stock", "科技企业孵化器", "Incubators"),
    ("cumulative_incubators_built", "cumulative_incubators_built", "spaces", "cumulative", "累计新增孵化器", "Incubators built since 2016"),
    ("maker_spaces", "maker_spaces", "spaces", "stock", "众创空间", "Maker spaces"),
    ("startups_incubated", "startups_incubated", "firms/year", "annual_flow", "孵化初创企业", "Start-ups incubated"),
    ("tech_smes", "tech_smes", "firms", "annual_register", "国家科技型中小企业", "National tech SMEs"),
    ("chuying", "chuying", "firms", "annual_register", "雏鹰企业", "Chuying (fledgling eagle) firms"),
    ("dengling", "dengling", "firms", "annual_register", "瞪羚企业", "Dengling (gazelle) firms"),
    ("lingjun", "lingjun", "firms", "cumulative", "科技领军(培育)企业累计", "Lingjun (leader) firms, cumulative"),
    ("lingjun_active", "lingjun_active", "firms", "stock", "现有科技领军企业", "Lingjun firms holding the status"),
    ("high_tech_enterprises", "high_tech_enterprises", "firms", "stock", "国家高新技术企业", "National high-tech enterprises"),
    ("high_tech_new_certifications", "high_tech_new_certifications", "firms/year", "annual_flow", "新认定高新技术企业", "New high-tech certifications"),
    ("unicorns", "unicorns", "firms", "stock", "独角兽企业", "Unicorns"),
    ("tech_contract_turnover", "tech_contract_turnover", "亿元/year", "annual_flow", "技术合同成交额", "Tech-contract turnover"),
    ("science_commissioners", "science_commissioners", "persons", "stock", "在岗科技特派员", "Science commissioners serving"),
    ("science_commissioners_cumulative", "science_commissioners_cumulative", "persons", "cumulative", "累计选派科技特派员", "Science commissioners sent, cumulative"),
    ("transfer_platforms", "transfer_platforms", "platforms", "stock", "技术转移机构与中试平台", "Transfer bodies and pilot platforms"),
    ("cumulative_transfer_platforms_built", "cumulative_transfer_platforms_built", "platforms", "cumulative", "累计新增技术转移机构与中试平台", "Transfer bodies and platforms built since 2016"),
]

INDICATORS: dict[str, Indicator] = {r[0]: Indicator(*r) for r in _ROWS}

# Spellings a planner may write for the same unit.
UNIT_ALIASES = {
    "亿元": {"亿元", "yiyuan", "1e8cny", "100m cny", "1e8 cny"},
    "亿元/year": {"亿元/year", "亿元/年", "yiyuan/year", "1e8cny/year", "1e8 cny/year", "亿元/yr"},
    "%": {"%", "percent", "%gdp", "% of gdp", "percent of gdp"},
    "firms": {"firms", "家", "count", "firm"},
    "firms/year": {"firms/year", "家/年", "firms/yr"},
    "patents": {"patents", "件", "count"},
    "patents per 10k residents": {"patents per 10k residents", "件/万人", "per 10k people", "per 10k"},
    "spaces": {"spaces", "家", "count"},
    "persons": {"persons", "名", "人", "count"},
    "platforms": {"platforms", "家", "count"},
}


def unit_matches(indicator: Indicator, unit: str) -> bool:
    """True when ``unit`` is an accepted spelling of the indicator's unit."""
    accepted = UNIT_ALIASES.get(indicator.unit, {indicator.unit})
    return unit.strip().lower() in {a.lower() for a in accepted}
