"""Two report sections from the run folder: P(met) per model structure, and loop dominance.

``structures`` reads the ``p_met_<structure>`` columns of ``targets.csv`` and the structures' shares in
``summary.json``; ``loops`` reads ``loops.csv`` (written by ``innosd loops``, ``innosd run --loops`` or
``--report``) and redraws its chart. Neither runs the model.
"""

from __future__ import annotations

import pandas as pd

from .. import runfolder as rf
from . import text as tx
from .document import Col, cell

PREFIX = "p_met_"
#: Periods listed per indicator in the loop table (the rest are in loops.csv).
MAX_PERIODS = 6


def structure_columns(table: pd.DataFrame) -> list[str]:
    """The structure names of the ``p_met_<structure>`` columns of a target table, in column order."""
    cols = list(table.columns)
    if "p_met_se" not in cols:
        return []
    at = cols.index("p_met_se") + 1
    out = []
    for c in cols[at:]:
        if not c.startswith(PREFIX):
            break
        out.append(c[len(PREFIX):])
    return out


def structures(doc, ctx) -> None:
    """P(met) of every target under each model structure, beside the combined P(met)."""
    lang = ctx.lang
    names = structure_columns(ctx.table)
    doc.section("structures", tx.section_title("structures", lang))
    if not names:
        doc.para(tx.t("struct_none", lang), size=9)
        return
    shares = ctx.summary.get("structures") or {}

    def label(n: str) -> str:
        return tx.t(f"struct_name_{n}", lang) if f"struct_name_{n}" in tx.S else n

    sep = "；" if lang == "zh" else "; "
    doc.para(tx.t("struct_intro", lang, shares=sep.join(f"{label(n)} {shares.get(n, float('nan')):.0%}"
                                                          for n in names)), size=8.5)
    cols = [Col(tx.t("tbl_target", lang), 2.2), Col(tx.t("tbl_p", lang), 0.8, "right")]
    cols += [Col(label(n), 1.0, "right") for n in names] + [Col(tx.t("struct_spread", lang), 0.9, "right")]
    rows = []
    for r in ctx.table.itertuples():
        ps = [getattr(r, PREFIX + n) for n in names]
        finite = [p for p in ps if p == p]
        spread = max(finite) - min(finite) if len(finite) > 1 else float("nan")
        rows.append([f"{r.id}\n{tx.indicator_label(r.indicator, lang, short=True)}", tx.fmt_p(r.p_met)]
                    + [tx.fmt_p(p) for p in ps]
                    + [cell(tx.fmt_p(spread), tone="risk" if spread == spread and spread >= 0.2 else None)])
    doc.table(cols, rows, size=7.3)
    doc.para(tx.t("struct_note", lang), size=7.5, tone="muted")


def loops(doc, ctx) -> None:
    """The dominant feedback loops of each targeted indicator, by period, with the chart of relative scores."""
    from ..loops.chart import loop_chart_from_table
    from ..loops.table import ALL, periods

    lang = ctx.lang
    doc.section("loops", tx.section_title("loops", lang))
    table = ctx.run.table(rf.LOOPS)
    if table is None or table.empty:
        doc.para(tx.t("loops_missing", lang, command=f"innosd loops {ctx.scenario.get('path', '')}"), size=9.5)
        return
    members = int(table.members[table.structure == ALL].max())
    doc.para(tx.t("loops_intro", lang, n=members), size=8.5)
    targeted = list(dict.fromkeys(ctx.table.indicator))
    doc.figure(loop_chart_from_table(table, targeted, lang=lang))
    per = periods(table, ALL)
    record = ctx.run.structure or {}
    names = record.get("names_zh", {}) if lang == "zh" else {}

    def path(text: str) -> str:
        return " → ".join(names.get(v, v) for v in str(text).split(" → "))

    cols = [Col(tx.t("loops_indicator", lang), 1.4), Col(tx.t("loops_years", lang), 0.9),
            Col(tx.t("loops_loop", lang), 0.9), Col(tx.t("loops_score", lang), 0.8, "right"),
            Col(tx.t("loops_share", lang), 0.8, "right"), Col(tx.t("loops_path", lang), 4.9)]
    rows = []
    for ind in targeted:
        mine = per[per.indicator == ind]
        if mine.empty:
            rows.append([tx.indicator_label(ind, lang, short=True), "–", "–", "–", "–", tx.t("loops_none", lang)])
            continue
        for r in mine.head(MAX_PERIODS).itertuples():
            span = f"{r.start}" if r.start == r.end else f"{r.start}–{r.end}"
            kind = tx.t(f"loops_{r.polarity}", lang)
            rows.append([tx.indicator_label(ind, lang, short=True), span, f"{r.loop} {kind}",
                         f"{r.relative_score:+.2f}", f"{r.dominant_share:.0%}", path(r.path)])
    doc.table(cols, rows, size=6.5)
    by = table[table.structure != ALL]
    if not by.empty:
        lines = []
        for name in sorted(set(by.structure)):
            top = periods(table, name)
            first = [f"{tx.indicator_label(i, lang, short=True)}: "
                     + ", ".join(f"{r.start}–{r.end} {r.loop}" for r in top[top.indicator == i].head(3).itertuples())
                     for i in targeted if (top.indicator == i).any()]
            tag = tx.t(f"struct_name_{name}", lang) if f"struct_name_{name}" in tx.S else name
            lines.append(f"{tag}: " + "; ".join(first))
        doc.para(tx.t("loops_by_structure", lang), size=8)
        doc.bullets(lines, size=7)
    doc.para(tx.t("loops_note", lang), size=7.5, tone="muted")
