"""The one vocabulary of indicator and lever names used in data, scenarios and outputs.

Each indicator maps to a model variable (PySD Python name), its unit, the measure it
is published in, and its Chinese and English labels and unit. Each lever of the bundled model
has its Chinese and English label and unit too (:data:`LEVERS`).

Wherever a user names an indicator or a lever (a scenario's ``indicator:``, ``outputs:``,
``levers:``; ``--lever``, ``--output``), the Chinese name is accepted as well: the full label
(``瞪羚企业``) or the short name (``瞪羚``); :func:`resolve_indicator` and :func:`resolve_lever`
turn it into the canonical name (``dengling``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    """An indicator: ``name`` (canonical), model ``variable``, ``unit``, ``measure``, Chinese and English labels."""

    name: str
    variable: str
    unit: str
    measure: str
    zh: str
    en: str

    @property
    def zh_unit(self) -> str:
        """The unit in Chinese (``家``, ``亿元/年``, ...), for Chinese outputs."""
        return ZH_UNITS.get(self.unit, self.unit)


@dataclass(frozen=True)
class Lever:
    """A policy lever of the bundled model: ``name`` (the model's lookup), labels and units in both languages."""

    name: str
    zh: str
    en: str
    unit: str
    zh_unit: str


_ROWS = [
    # name, model variable, unit, measure, zh, en
    ("gdp", "gdp", "亿元", "stock", "地区生产总值", "GDP (census-revised basis)"),
    ("rd_intensity", "rd_intensity", "%", "ratio", "研发投入强度", "R&D intensity"),
    ("rd_expenditure", "rd_expenditure", "亿元/year", "annual_flow", "研发经费支出", "R&D expenditure"),
    ("knowledge_stock", "knowledge_stock", "亿元", "stock", "知识存量", "Knowledge stock"),
    ("valid_invention_patents", "valid_invention_patents", "patents", "stock",
     "有效发明专利", "Valid invention patents"),
    ("invention_patents_per_10k", "invention_patents_per_10k", "patents per 10k residents", "ratio",
     "每万人口发明专利拥有量", "Invention patents per 10k residents"),
    ("incubators", "incubators", "spaces", "stock", "科技企业孵化器", "Incubators"),
    ("cumulative_incubators_built", "cumulative_incubators_built", "spaces", "cumulative",
     "累计新增孵化器", "Incubators built since 2016"),
    ("maker_spaces", "maker_spaces", "spaces", "stock", "众创空间", "Maker spaces"),
    ("startups_incubated", "startups_incubated", "firms/year", "annual_flow", "孵化初创企业", "Start-ups incubated"),
    ("tech_enterprises", "tech_enterprises", "firms", "stock",
     "科技型企业", "Technology-based firms (municipal count)"),
    ("tech_smes", "tech_smes", "firms", "annual_register", "国家科技型中小企业", "National tech SMEs"),
    ("chuying", "chuying", "firms", "annual_register", "雏鹰企业", "Chuying (fledgling eagle) firms"),
    ("dengling", "dengling", "firms", "annual_register", "瞪羚企业", "Dengling (gazelle) firms"),
    ("lingjun", "lingjun", "firms", "cumulative", "科技领军(培育)企业累计", "Lingjun (leader) firms, cumulative"),
    ("lingjun_active", "lingjun_active", "firms", "stock", "现有科技领军企业", "Lingjun firms holding the status"),
    ("high_tech_enterprises", "high_tech_enterprises", "firms", "stock",
     "国家高新技术企业", "National high-tech enterprises"),
    ("high_tech_new_certifications", "high_tech_new_certifications", "firms/year", "annual_flow",
     "新认定高新技术企业", "New high-tech certifications"),
    ("high_tech_candidates", "high_tech_candidates", "firms", "stock",
     "高新技术企业培育库", "Firms eligible for high-tech certification"),
    ("unicorns", "unicorns", "firms", "stock", "独角兽企业", "Unicorns"),
    ("tech_contract_turnover", "tech_contract_turnover", "亿元/year", "annual_flow",
     "技术合同成交额", "Tech-contract turnover"),
    ("science_commissioners", "science_commissioners", "persons", "stock",
     "在岗科技特派员", "Science commissioners serving"),
    ("science_commissioners_cumulative", "science_commissioners_cumulative", "persons", "cumulative",
     "累计选派科技特派员", "Science commissioners sent, cumulative"),
    ("transfer_platforms", "transfer_platforms", "platforms", "stock",
     "技术转移机构与中试平台", "Transfer bodies and pilot platforms"),
    ("cumulative_transfer_platforms_built", "cumulative_transfer_platforms_built", "platforms", "cumulative",
     "累计新增技术转移机构与中试平台", "Transfer bodies and platforms built since 2016"),
]

INDICATORS: dict[str, Indicator] = {r[0]: Indicator(*r) for r in _ROWS}

#: Chinese spelling of each indicator unit.
ZH_UNITS = {
    "亿元": "亿元", "亿元/year": "亿元/年", "%": "%", "patents": "件", "patents per 10k residents": "件/万人",
    "spaces": "家", "firms": "家", "firms/year": "家/年", "persons": "人", "platforms": "家",
}

#: Short Chinese names a planner writes, beside each indicator's full label (``zh``).
_ZH_SHORT = {
    "gdp": ("GDP", "地区生产总值", "生产总值"),
    "rd_intensity": ("研发强度", "R&D投入强度", "研发经费投入强度"),
    "rd_expenditure": ("研发经费", "R&D经费支出", "研发经费投入"),
    "valid_invention_patents": ("发明专利",),
    "invention_patents_per_10k": ("万人发明专利拥有量", "每万人发明专利"),
    "incubators": ("孵化器",),
    "maker_spaces": ("众创空间",),
    "tech_smes": ("科技型中小企业",),
    "tech_enterprises": ("科技型企业总数",),
    "high_tech_candidates": ("高企培育库", "高新技术企业后备"),
    "chuying": ("雏鹰",),
    "dengling": ("瞪羚",),
    "lingjun": ("领军", "领军企业", "科技领军企业"),
    "high_tech_enterprises": ("高新技术企业", "高企"),
    "unicorns": ("独角兽",),
    "tech_contract_turnover": ("技术合同",),
    "science_commissioners": ("科技特派员",),
}

_LEVER_ROWS = [
    # name, zh, en, unit, zh unit
    ("gdp_growth_path", "名义GDP增速", "nominal GDP growth", "1/year", "每年"),
    ("rd_intensity_policy_increment", "研发投入强度政策增量", "extra R&D intensity from policy",
     "percentage points", "个百分点"),
    ("certification_support", "认定支持力度", "certification support (multiplier)", "–", "倍"),
    ("new_incubators_path", "新增孵化器", "new incubators a year", "spaces/year", "家/年"),
    ("new_maker_spaces_path", "新增众创空间", "new maker spaces a year", "spaces/year", "家/年"),
    ("commissioner_dispatch_path", "科技特派员选派", "science commissioners sent a year", "persons/year", "人/年"),
    ("new_transfer_platforms_path", "新增技术转移机构与中试平台", "new transfer bodies and pilot platforms a year",
     "platforms/year", "家/年"),
    ("conversion_quota_path", "先使用后付费", "results converted a year under conversion programmes",
     "results/year", "项/年"),
    ("government_rd_budget_path", "政府研发预算", "government R&D budget relative to 2016", "index (2016 = 1)",
     "指数(2016年=1)"),
    ("tech_sme_target_path", "科技型中小企业目标", "plan target for the tech-SME register (goal-seeking structure)",
     "firms", "家"),
    ("chuying_target_path", "雏鹰企业目标", "plan target for the chuying register (goal-seeking structure)",
     "firms", "家"),
    ("dengling_target_path", "瞪羚企业目标", "plan target for the dengling register (goal-seeking structure)",
     "firms", "家"),
    ("lingjun_target_path", "科技领军企业目标",
     "plan target for cumulative lingjun recognitions (goal-seeking structure)", "firms", "家"),
    ("high_tech_target_path", "高新技术企业目标",
     "plan target for valid high-tech certificates (goal-seeking structure)", "firms", "家"),
    ("tech_sme_cap_path", "科技型中小企业上限", "cap on the tech-SME register (0 stops registration)", "firms", "家"),
    ("chuying_cap_path", "雏鹰企业上限", "cap on the chuying register (0 abandons the tier)", "firms", "家"),
    ("dengling_cap_path", "瞪羚企业上限", "cap on the dengling register (0 abandons the tier)", "firms", "家"),
    ("lingjun_cap_path", "科技领军企业上限", "cap on cumulative lingjun recognitions", "firms", "家"),
    ("high_tech_cap_path", "高新技术企业上限", "cap on valid high-tech certificates (0 stops new certifications)",
     "firms", "家"),
]

#: The levers of the bundled model, by the model's lookup name.
LEVERS: dict[str, Lever] = {r[0]: Lever(*r) for r in _LEVER_ROWS}

#: Levers that are conditions a scenario assumes rather than programmes the city runs (the explorer gives every
#: other lever a control).
EXOGENOUS_LEVERS = frozenset({"gdp_growth_path"})

_LEVER_SHORT = {
    "gdp_growth_path": ("GDP增速", "名义GDP增长率"),
    "rd_intensity_policy_increment": ("研发投入强度增量", "研发强度增量"),
    "certification_support": ("认定支持",),
    "new_incubators_path": ("新增科技企业孵化器",),
    "commissioner_dispatch_path": ("科技特派员", "选派科技特派员"),
    "new_transfer_platforms_path": ("新增技术转移机构/概念验证/中试平台", "新增中试平台", "新增技术转移机构"),
    "conversion_quota_path": ("成果转化", "先使用后付费成果转化"),
    "government_rd_budget_path": ("政府研发投入", "财政科技投入"),
    "tech_sme_target_path": ("科技型中小企业目标值",),
    "chuying_target_path": ("雏鹰目标",),
    "dengling_target_path": ("瞪羚目标",),
    "lingjun_target_path": ("领军目标", "科技领军企业目标(累计)"),
    "high_tech_target_path": ("高企目标",),
    "tech_sme_cap_path": ("科技型中小企业数量上限",),
    "chuying_cap_path": ("雏鹰上限",),
    "dengling_cap_path": ("瞪羚上限",),
    "lingjun_cap_path": ("领军上限",),
    "high_tech_cap_path": ("高企上限",),
}


def _key(name: str) -> str:
    """Normalised spelling for look-ups: NFKC (full-width letters and brackets), no spaces, lower case."""
    return "".join(unicodedata.normalize("NFKC", str(name)).split()).lower()


def _aliases(canonical: dict, short: dict, labels) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in canonical:
        for alias in (name, labels(name), *short.get(name, ())):
            out.setdefault(_key(alias), name)
    return out


_INDICATOR_ALIASES = _aliases(INDICATORS, _ZH_SHORT, lambda n: INDICATORS[n].zh)
_LEVER_ALIASES = _aliases(LEVERS, _LEVER_SHORT, lambda n: LEVERS[n].zh)


def resolve_indicator(name) -> str | None:
    """The canonical indicator name for ``name`` (canonical, Chinese label or short Chinese name), else None.

    >>> resolve_indicator("瞪羚")
    'dengling'
    """
    if not isinstance(name, str):
        return None
    return _INDICATOR_ALIASES.get(_key(name))


def resolve_lever(name, available=None) -> str | None:
    """The lever name for ``name`` (the model's name or a Chinese one), else None.

    ``available`` (the model's lookups) limits the answer to levers the model has; a name in
    ``available`` itself is always accepted (levers of other models have no Chinese names here).
    """
    if not isinstance(name, str):
        return None
    if available is not None and name in available:
        return name
    found = _LEVER_ALIASES.get(_key(name))
    if found is not None and (available is None or found in available):
        return found
    return None


def label(name: str, lang: str = "zh") -> str:
    """The label of an indicator or lever in ``lang`` (``zh`` or ``en``); the name itself when unknown."""
    item = INDICATORS.get(name) or LEVERS.get(name)
    if item is None:
        return name
    return item.zh if lang == "zh" else item.en


def unit_label(name: str, lang: str = "zh") -> str:
    """The unit of an indicator or lever in ``lang``; empty when unknown."""
    item = INDICATORS.get(name) or LEVERS.get(name)
    if item is None:
        return ""
    return item.zh_unit if lang == "zh" else item.unit

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
