"""Words and numbers as the report prints them: ``t(key, lang)`` and the ``fmt_*`` helpers.

The strings themselves live in :mod:`innosd.report.strings` (vocabularies) and
:mod:`innosd.report.phrases` (sentences). Numbers go through the ``fmt_*``
helpers so a figure reads the same in the summary, the tables and the tests.
"""

from __future__ import annotations

import math
import re

from ..indicators import INDICATORS
from .phrases import S
from .strings import (
    FIT_FIELDS,
    FIT_HEADS,
    FIT_KEYS,
    IDENT,
    KINDS,
    LEVER_LABELS,
    SECTIONS,
    UNIT_WORDS_ZH,
    UNITS_EN,
    UNITS_ZH,
    VERDICT_LABELS,
    WIT_MODE,
    WIT_STATUS,
)

LANGS = ("zh", "en")

__all__ = ["LANGS", "SECTIONS", "VERDICT_LABELS", "LEVER_LABELS", "INDICATORS", "t", "section_title",
           "verdict_label", "indicator_label", "lever_label", "unit_label", "word", "fmt_p", "fmt_num", "fmt_year",
           "fmt_goal", "is_set"]


def t(key: str, lang: str, **fields) -> str:
    """The string ``key`` in ``lang`` with ``fields`` filled in (KeyError for an unknown key)."""
    entry = S.get(key) or SECTIONS.get(key)
    if entry is None:
        raise KeyError(key)
    text = entry[lang]
    return text.format(**fields) if fields else text


def section_title(key: str, lang: str) -> str:
    """The title of section ``key`` (page header and bookmark)."""
    return SECTIONS[key][lang]


def verdict_label(verdict: str, lang: str) -> str:
    """'有望达成' in Chinese, 'on track' in English; an unknown verdict as written."""
    return VERDICT_LABELS.get(verdict, {"zh": verdict, "en": verdict})[lang]


def word(table: str, key: str, lang: str) -> str:
    """A word from one of the small vocabularies (``kind``, ``ident``, ``wit_status``, ``wit_mode``, ``fit``)."""
    vocab = {"kind": KINDS, "ident": IDENT, "wit_status": WIT_STATUS, "wit_mode": WIT_MODE}.get(table)
    if vocab is not None:
        return vocab.get(key, {}).get(lang, key)
    pairs = {"fit_head": FIT_HEADS, "fit_key": FIT_KEYS, "fit_field": FIT_FIELDS}[table]
    return pairs[key][0 if lang == "zh" else 1] if key in pairs else key


def indicator_label(name: str, lang: str, short: bool = False) -> str:
    """An indicator's name in ``lang``: '技术合同成交额', 'Tech-contract turnover'; an unknown one as written.

    ``short`` is kept for callers that distinguish a title from a table cell; both are the same name now.
    """
    ind = INDICATORS.get(name)
    if ind is None:
        return name
    return ind.zh if lang == "zh" else ind.en


def lever_label(name: str, lang: str) -> tuple[str, str]:
    """(label, unit) of a lever in ``lang``: '年新增孵化器', '家/年'. Other models' levers keep their names."""
    zh, en, unit = LEVER_LABELS.get(name, (name, name, ""))
    return (zh if lang == "zh" else en), unit_label(unit, lang)


def unit_label(unit, lang: str) -> str:
    """A unit as printed: Chinese in the Chinese report ('firms' -> '家'), as written in English."""
    unit = "" if not is_set(unit) else str(unit)
    if lang != "zh":
        return UNITS_EN.get(unit, unit.replace("亿元", "CNY 100m"))
    if unit in UNITS_ZH:
        return UNITS_ZH[unit]
    return re.sub(r"[A-Za-z][A-Za-z0-9]*", lambda m: UNIT_WORDS_ZH.get(m.group(0), m.group(0)), unit).replace("*", "·")


def is_set(v) -> bool:
    """False for None, '' and NaN (an empty CSV cell)."""
    return v not in ("", None) and not (isinstance(v, float) and math.isnan(v))


def fmt_p(p: float) -> str:
    """A probability as printed everywhere in the report and in the CLI table: two decimals ('—' when NaN)."""
    return "—" if not is_set(p) else f"{float(p):.2f}"  # NaN: a target set by assumption has no probability


def fmt_num(v) -> str:
    """A model quantity: thousands separators for large values, three significant digits for small."""
    try:
        v = float(v)
    except (TypeError, ValueError):
        return str(v)
    if not math.isfinite(v):
        return "–"
    a = abs(v)
    if v.is_integer() and a < 1e15:
        return f"{v:,.0f}" if a >= 10000 else f"{v:.0f}"
    if a >= 1000:
        return f"{v:,.0f}"
    if a >= 100:
        return f"{v:.0f}"
    if a >= 10:
        return f"{v:.1f}"
    if a == 0:
        return "0"
    if a >= 0.01:
        return f"{v:.3g}"
    return f"{v:.2e}"


def fmt_year(v, lang: str, end: int | None = None, bound: bool = False) -> str:
    """A year, or the words for 'not within the horizon' when NaN ('after 2030' as an interval bound)."""
    try:
        v = float(v)
    except (TypeError, ValueError):
        return str(v)
    if not math.isfinite(v):
        if bound and end:
            return t("after_horizon", lang, end=end)
        return t("by_horizon", lang, end=end) if end else t("never", lang)
    return f"{v:.0f}"


def fmt_goal(comparison: str, value: float, unit: str, lang: str) -> str:
    """'≥ 2,600 亿元/年': the comparison, the goal and its unit in ``lang``."""
    sign = "≥" if comparison == ">=" else "≤"
    return f"{sign} {fmt_num(value)} {unit_label(unit, lang)}".strip()
