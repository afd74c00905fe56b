"""The calibration fit table (``fit_table.csv``) as the report shows it, and the names of observed series.

An observed series is either one of the planner's indicators (:data:`innosd.indicators.INDICATORS`,
named there in Chinese and English) or a variant the calibration compares with a model variable
(``calibration/measurement.yaml``): a censored part-year count (``chuying_batch2``), an older
statistical basis (``rd_intensity_pre_census``), the year's new recognitions (``lingjun_new``) or a
series of its own (``invention_patent_grants``). The Chinese report names every one in Chinese.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .. import display
from . import text as tx
from .document import Col

#: Observed series that are not planner's indicators: (Chinese, English).
SERIES = {
    "invention_patent_grants": ("发明专利授权量", "Invention patents granted"),
    "municipal_tech_enterprises": ("全市科技型企业", "Municipal tech enterprises"),
    "municipal_tech_enterprises_new": ("新增科技型企业", "New municipal tech enterprises"),
    "tech_transfer_bodies": ("技术转移机构", "Technology-transfer bodies"),
    "tech_contract_turnover_ambiguous": ("技术合同成交额（口径不明）", "Tech-contract turnover (unclear basis)"),
    "agri_science_commissioners": ("农业科技特派员", "Agricultural science commissioners"),
}
#: Suffixes of series derived from an indicator: (Chinese, English) qualifier after the indicator's name.
SUFFIXES = (
    ("_batch2", ("（第二批，下限）", " (second batch, lower bound)")),
    ("_jan_may", ("（1–5月，下限）", " (Jan–May, lower bound)")),
    ("_pre_census", ("（经济普查前口径）", " (pre-census basis)")),
    ("_net_change", ("净增", " net change")),
    ("_diff", ("年度差值", " annual difference")),
    ("_new", ("年新增", " new in the year")),
)
#: Columns of the fit table shown, with their relative widths (the label column wraps, numbers are short).
#: At 6.3 pt on a portrait page one unit is about 42 pt: a metric column fits '0.0000548' (~28 pt and
#: 6 pt of insets), the sample column '样本内' (19 pt).
FIT_COLUMNS = {"series": 1.3, "sample": 0.7, "n": 0.3, "years": 1.0, "observed": 1.0, "model": 1.0,
               "baseline": 1.0, "model_mape": 0.9, "baseline_mape": 0.9, "model_theil_u": 0.95,
               "baseline_theil_u": 0.95, "model_r2": 0.75, "baseline_r2": 0.9}
#: A fit metric smaller than this is floating-point residue of an exact fit (e.g. 2e-14): shown as 0.
TINY = 1e-9


def series_label(name: str, lang: str) -> str:
    """An observed series' name in ``lang``: '雏鹰企业（第二批，下限）' for ``chuying_batch2``.

    Parameters
    ----------
    name : str
        The series id of ``observed.csv`` / ``fit_table.csv``.
    lang : str
        ``zh`` or ``en``.

    Returns
    -------
    str
        The indicator's name, a listed series' name, or an indicator's name with the qualifier of
        its suffix; a series none of these know keeps its id (with ``_`` as a break opportunity).
    """
    i = 0 if lang == "zh" else 1
    if name in tx.INDICATORS:
        return tx.indicator_label(name, lang)
    if name in SERIES:
        return SERIES[name][i]
    for suffix, words in SUFFIXES:
        base = name[: -len(suffix)] if name.endswith(suffix) else None
        if base and (base in tx.INDICATORS or base in SERIES):
            return series_label(base, lang) + words[i]
    return name.replace("_", "_\u200b")  # unknown: as written, breakable so it cannot run into the next cell


def metric(v) -> str:
    """A fit metric (MAPE, Theil U, R²) as :func:`innosd.display.number` shows it; residue below TINY is 0."""
    try:
        v = float(v)
    except (TypeError, ValueError):
        return display.MISSING
    if not math.isfinite(v):
        return "–"
    return display.number(0.0 if abs(v) < TINY else v)


def values(text) -> str:
    """A space-separated list of numbers ('1.472e+04 1.54e+04') as the report shows numbers ('14,720 15,400')."""
    if not tx.is_set(text):
        return ""
    out = []
    for token in str(text).split():
        try:
            out.append(display.number(float(token)))
        except ValueError:
            out.append(token)
    return " ".join(out)


def fit_rows(df: pd.DataFrame, lang: str) -> tuple[list[Col], list[list]]:
    """The fit table's columns and rows in ``lang``: series named, numbers through :mod:`innosd.display`.

    Parameters
    ----------
    df : pandas.DataFrame
        ``fit_table.csv`` (one row per series and sample); columns missing from it are left out.
    lang : str
        ``zh`` or ``en``.
    """
    shown = [c for c in FIT_COLUMNS if c in df.columns]
    cols = [Col(tx.word("fit_head", c, lang), FIT_COLUMNS[c],
                "left" if c in ("series", "sample", "years", "observed", "model", "baseline") else "right")
            for c in shown]
    rows = []
    for rec in df[shown].to_dict("records"):
        row = []
        for c in shown:
            v = rec[c]
            if c == "series":
                row.append(series_label(str(v), lang))
            elif c == "sample":
                row.append(tx.word("fit_head", str(v), lang))
            elif c in ("observed", "model", "baseline"):
                row.append(values(v))
            elif c in ("n", "years"):
                row.append(str(int(v)) if isinstance(v, (int, np.integer, float)) and tx.is_set(v) else str(v))
            else:
                row.append(metric(v))
        rows.append(row)
    return cols, rows
