"""Words and numbers as the report prints them: ``t(key, lang)`` and the ``fmt_*`` helpers.

The strings themselves live in :mod:`innosd.report.strings` (vocabularies) and
:mod:`innosd.report.phrases` (sentences). Numbers go through the ``fmt_*``
helpers so a figure reads the same in the summary, the tables and the tests.
"""

from __future__ import annotations

import math
import re

from .. import display
from ..indicators import INDICATORS, LEVERS, ZH_UNITS
from ..indicators import label as item_label
from ..indicators import unit_label as item_unit
from .phrases import S
from .strings import (
    FIT_FIELDS,
    FIT_HEADS,
    FIT_KEYS,
    IDENT,
    KINDS,
    REGIONS,
    SECTIONS,
    UNIT_WORDS_ZH,
    UNITS_EN,
    UNITS_ZH,
    VERDICT_LABELS,
    WIT_MODE,
    WIT_STATUS,
)

LANGS = ("zh", "en")

__all__ = ["LANGS", "SECTIONS", "VERDICT_LABELS", "INDICATORS", "t", "section_title",
           "verdict_label", "indicator_label", "lever_label", "unit_label", "word", "fmt_p", "fmt_p_se", "fmt_num",
           "fmt_year", "fmt_goal", "is_set", "p_text"]


def t(key: str, lang: str, **fields) -> str:
    """The string ``key`` in ``lang`` with ``fields`` filled in (KeyError for an unknown key)."""
    entry = S.get(key) or SECTIONS.get(key)
    if entry is None:
        raise KeyError(key)
    return entry[lang].format(**fields)  # a placeholder left unfilled is a KeyError, not a stray '{cal}' in the PDF


def section_title(key: str, lang: str) -> str:
    """The title of section ``key`` (page header and bookmark)."""
    return SECTIONS[key][lang]


def verdict_label(verdict: str, lang: str) -> str:
    """'有望达成' in Chinese, 'on track' in English; an unknown verdict as written."""
    return VERDICT_LABELS.get(verdict, {"zh": verdict, "en": verdict})[lang]


def word(table: str, key: str, lang: str) -> str:
    """A word from a small vocabulary: ``kind``, ``ident``, ``wit_status``, ``wit_mode``, ``region``, ``fit_*``."""
    vocab = {"kind": KINDS, "ident": IDENT, "wit_status": WIT_STATUS, "wit_mode": WIT_MODE,
             "region": REGIONS}.get(table)
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
    """(label, unit) of a lever in ``lang`` (:data:`innosd.indicators.LEVERS`); another model's lever: its name."""
    if name not in LEVERS:
        return name, ""
    return item_label(name, lang), item_unit(name, lang)


def unit_label(unit, lang: str) -> str:
    """A unit as printed: Chinese in the Chinese report ('firms' -> '家'), as written in English."""
    unit = "" if not is_set(unit) else str(unit)
    if lang != "zh":
        return UNITS_EN.get(unit, unit.replace("亿元", "CNY 100m"))
    if unit in ZH_UNITS or unit in UNITS_ZH:  # the planner's units first (innosd.indicators), then the others
        return ZH_UNITS.get(unit) or UNITS_ZH[unit]
    return re.sub(r"[A-Za-z][A-Za-z0-9]*", lambda m: UNIT_WORDS_ZH.get(m.group(0), m.group(0)), unit).replace("*", "·")


def is_set(v) -> bool:
    """False for None, '' and NaN (an empty CSV cell)."""
    return v not in ("", None) and not (isinstance(v, float) and math.isnan(v))


def fmt_p(p: float) -> str:
    """A probability as the terminal table shows it: two decimals (:func:`innosd.display.probability`)."""
    return display.probability(None if not is_set(p) else float(p))


def fmt_p_se(p, se) -> str:
    """P(met) with its Monte Carlo standard error, '0.31 ± 0.02'; three decimals when the error is below 0.005.

    Parameters
    ----------
    p : float
        P(met) in [0, 1] (NaN or empty: :func:`fmt_p`'s dash).
    se : float
        Its standard error (``p_met_se`` of targets.csv); NaN or empty: P alone.
    """
    if not is_set(p) or not is_set(se):
        return fmt_p(p)
    p, se = float(p), float(se)
    if se >= 0.005:
        return f"{p:.2f} ± {se:.2f}"
    if se >= 0.0005:
        return f"{p:.3f} ± {se:.3f}"
    return f"{p:.2f} ± 0"  # every member agrees: sqrt(p (1 - p) / n_eff) is 0


def p_text(r, lang: str) -> str:
    """'P = 0.31 ± 0.02' for a forecast target row (of targets.csv); the words 'set by assumption' for the others."""
    if str(getattr(r, "kind", "forecast")) == "assumption":
        return t("p_assumed", lang)
    return "P = " + fmt_p_se(r.p_met, getattr(r, "p_met_se", None))


def fmt_num(v) -> str:
    """A model quantity as the planner's table shows it (:func:`innosd.display.number`): separators, no exponent."""
    try:
        return display.number(float(v))
    except (TypeError, ValueError):
        return str(v)


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
