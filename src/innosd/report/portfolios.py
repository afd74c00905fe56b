"""Section "costed policy portfolios", rendered from ``optimise/`` in the run folder (``innosd optimise``).

The cheapest portfolio meeting k targets at the confidence, the front, where the chosen portfolio
fails (PRIM), and every lever's cost with its source. Reads result files only.
"""

from __future__ import annotations

import json
import math

import pandas as pd

from .. import runfolder as rf
from . import text as tx
from .document import Col, cell

BASIS = {"document": {"zh": "文件", "en": "document"}, "statistic": {"zh": "统计", "en": "statistic"},
         "assumption": {"zh": "假设", "en": "assumption"}}


def _table(ctx, key: str) -> pd.DataFrame | None:
    return ctx.run.table(f"{rf.OPTIMISE}/{rf.OPTIMISE_FILES[key]}")


def render(doc, ctx) -> None:
    """The portfolios section from ``optimise/*.csv``, or how to produce them."""
    lang = ctx.lang
    doc.section("portfolios", tx.section_title("portfolios", lang))
    front = _table(ctx, "pareto")
    path = ctx.run.file(f"{rf.OPTIMISE}/{rf.OPTIMISE_FILES['summary']}")
    if front is None or path is None:
        doc.para(tx.t("opt_missing", lang, command=f"innosd optimise {ctx.scenario.get('path', '')}",
                      rerender=f"innosd report {ctx.run.path.as_posix()}/"), size=9.5)
        return
    info = json.loads(path.read_text(encoding="utf-8"))
    s = info["settings"]
    conf = f"{float(s['confidence']):.0%}"
    doc.para(tx.t("opt_intro", lang, n=f"{int(s['evaluated']):,}", levers=len(info["levers"]),
                  futures=f"{int(s['samples']):,}", seed=s["seed"], first=s["decision_year"],
                  last=s["last_target_year"]), size=9)
    _cheapest(doc, ctx, info, conf)
    robust, costs = _table(ctx, "robustness"), _table(ctx, "costs")
    if robust is not None:
        from ..plots import front_chart  # draws from the tables; runs nothing

        doc.figure(front_chart(front, robust, float(s["confidence"]), lang, costs), width=0.9)
    _failures(doc, ctx, info, robust)
    if costs is not None:
        _costs(doc, ctx, costs)


def _cheapest(doc, ctx, info: dict, conf: str) -> None:
    """The cheapest portfolio meeting k targets, k = 1 .. T."""
    lang = ctx.lang
    df = _table(ctx, "cheapest")
    doc.heading(tx.t("opt_cheapest_head", lang, conf=conf))
    if df is None:
        return
    forecast = [t["id"] for t in info["targets"] if f"p_{t['id']}" in df and df[f"p_{t['id']}"].notna().any()]
    cols = [Col("k", 0.3, "right"), Col(tx.t("opt_col_portfolio", lang), 0.6), Col(tx.t("opt_col_cost", lang), 0.8,
            "right")] + [Col(f"P {t}", 0.75, "right") for t in forecast] + [Col(tx.t("opt_col_levers", lang), 3.2)]
    rows = []
    for r in df.to_dict("records"):
        if not isinstance(r.get("portfolio"), str) or not r["portfolio"]:
            rows.append([str(r["k"]), "–", cell(tx.t("opt_none", lang), tone="muted")] + ["" for _ in forecast] + [""])
            continue
        rows.append([str(r["k"]), r["portfolio"], tx.fmt_num(r["cost"])]
                    + [tx.fmt_p(r[f"p_{t}"]) if tx.is_set(r[f"p_{t}"]) else "–" for t in forecast]
                    + [_changes(r, info["levers"], lang)])
    doc.table(cols, rows, size=7)
    doc.para(tx.t("opt_cheapest_note", lang, conf=conf), size=7.5, tone="muted")


def _changes(r: dict, levers: list, lang: str) -> str:
    """The levers a portfolio changes (non-zero cost), as 'label value unit from year'."""
    parts = []
    for lv in levers:
        cost = r.get(f"cost_{lv}")
        if cost is None or (isinstance(cost, float) and (math.isnan(cost) or abs(cost) < 1e-9)):
            continue
        label, unit = tx.lever_label(lv, lang)
        parts.append(tx.t("opt_change", lang, lever=label, value=tx.fmt_num(r[lv]), unit=unit,
                          year=int(r[f"{lv}_from"])))
    return "；".join(parts) if lang == "zh" else "; ".join(parts)


def _failures(doc, ctx, info: dict, robust: pd.DataFrame | None) -> None:
    """Satisficing and regret of the chosen portfolio, and the PRIM box where it fails."""
    lang = ctx.lang
    doc.heading(tx.t("opt_fail_head", lang))
    chosen = info.get("chosen")
    if chosen is None or robust is None:
        doc.para(tx.t("opt_no_chosen", lang), size=9)
        return
    row = robust[robust["portfolio"] == chosen].iloc[0]
    doc.para(tx.t("opt_robust", lang, p=chosen, sat=tx.fmt_p(row["satisficing"]), regret=tx.fmt_p(row["regret_mean"]),
                  p90=tx.fmt_p(row["regret_p90"]), over=tx.fmt_num(row["overspend_mean"])
                  if tx.is_set(row["overspend_mean"]) else "–"), size=9)
    box = _table(ctx, "failure_conditions")
    if box is None or box.empty:
        doc.para(tx.t("opt_no_box", lang), size=9)
        return
    b = box.iloc[0]
    doc.para(tx.t("opt_box", lang, p=chosen, base=f"{b['base_rate']:.0%}", mass=f"{b['mass']:.0%}",
                  density=f"{b['density']:.0%}", coverage=f"{b['coverage']:.0%}"), size=9)
    cols = [Col(tx.t("opt_col_factor", lang), 2.4, mono=lang != "zh"), Col(tx.t("opt_col_low", lang), 0.9, "right"),
            Col(tx.t("opt_col_high", lang), 0.9, "right")]
    rows = [[_factor_label(ctx, r["factor"]), tx.fmt_num(r["low"]) if tx.is_set(r["low"]) else "–",
             tx.fmt_num(r["high"]) if tx.is_set(r["high"]) else "–"] for r in box.to_dict("records")]
    doc.table(cols, rows, size=7.5)


def _factor_label(ctx, factor: str) -> str:
    """A PRIM factor as the report shows it: a model constant, a lever's uncertainty or a target's noise.

    The factor names are those of ``futures.csv``: ``<constant>``, ``<lever> (<distribution>)`` and
    ``noise <indicator> <year>`` (the predictive noise of a target's register, log scale).
    """
    if ctx.lang != "zh":
        return factor
    parts = factor.split(" ")
    if parts[0] == "noise" and len(parts) == 3:
        return f"预测噪声：{tx.indicator_label(parts[1], 'zh')} {parts[2]} 年（对数）"
    if len(parts) == 2 and parts[1].startswith("("):
        return f"{tx.lever_label(parts[0], 'zh')[0]} {parts[1]}"
    return ctx.param_label(factor)


def _costs(doc, ctx, costs: pd.DataFrame) -> None:
    """Every optimised lever's cost per unit and year with its basis, source, quote and reasoning."""
    lang = ctx.lang
    doc.heading(tx.t("opt_costs_head", lang))
    cols = [Col(tx.t("opt_col_lever", lang), 1.3), Col(tx.t("opt_col_unit_cost", lang), 0.8, "right"),
            Col(tx.t("opt_col_basis", lang), 0.5), Col(tx.t("opt_col_source", lang), 3.4)]
    rows = []
    for r in costs[costs["optimised"].astype(bool)].to_dict("records"):
        label, unit = tx.lever_label(r["lever"], lang)
        quote = f"「{r['quote']}」" if isinstance(r.get("quote"), str) and r["quote"] else ""
        why = r.get("reasoning_zh") if lang == "zh" and isinstance(r.get("reasoning_zh"), str) else r.get("reasoning")
        why = why if isinstance(why, str) else ""
        rows.append([label, f"{tx.fmt_num(r['cost_per_unit'])}", BASIS.get(r["basis"], {}).get(lang, r["basis"]),
                     " ".join(x for x in (str(r.get("source") or ""), quote, why) if x)])
    doc.table(cols, rows, size=6.5)
    doc.para(tx.t("opt_costs_note", lang), size=7.5, tone="muted")
