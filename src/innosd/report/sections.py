"""The report's findings: cover, executive summary, target table, fan charts, what it would take.

Each function adds its pages to the Document from the Context; nothing is typed in by hand.
"""

from __future__ import annotations

import math

from . import analysis, charts
from . import text as tx
from .layout import (ACCENT, CONTENT_WIDTH, INK, MUTED, VERDICT_COLORS, VERDICT_FILLS, VERDICT_INK, Cell, Col, Flow,
                     wrap)
from .tables import target_rows, what_it_takes_rows


def _flow(doc, ctx, key: str, **kw) -> Flow:
    return Flow(doc, key, tx.section_title(key, ctx.lang), continued=tx.t("continued", ctx.lang), **kw)


def _counts(table) -> dict[str, int]:
    counts = {v: int((table.verdict == v).sum()) for v in tx.VERDICT_LABELS if v != "set by assumption"}
    assumed = counts.pop("met by assumption") + counts.pop("not met by assumption")
    return {**counts, **({"set by assumption": assumed} if assumed else {})}


# ---------------------------------------------------------------- 1 cover

def cover(doc, ctx) -> None:
    lang, sc, res, prov = ctx.lang, ctx.scenario, ctx.result, ctx.prov
    f = _flow(doc, ctx, "cover")
    page = f.need(200)
    f.y += 70
    page.text(page.left, f.y, tx.t("report_title", lang), size=24, color=ACCENT)
    f.y += 24
    page.text(page.left, f.y, tx.t("report_subtitle", lang), size=11, color=MUTED)
    f.y += 40
    page.text(page.left, f.y, f"{tx.t('cover_scenario', lang)}: {sc.name}", size=15, color=INK)
    f.y += 14
    if sc.description:
        f.para(sc.description, size=9.5, color=INK, after=10)
    calib = res.calibration
    data_date = (tx.t("cover_data_date_value", lang, year=ctx.data_year) if ctx.data_year
                 else tx.t("cover_no_data", lang))
    rows = [
        [tx.t("cover_region", lang), sc.region],
        [tx.t("cover_horizon", lang), f"{sc.start}–{sc.end}"],
        [tx.t("cover_data_date", lang), data_date],
        [tx.t("cover_ensemble", lang), tx.t("cover_ensemble_value", lang, n=res.n, seed=res.seed, engine=res.engine)],
        [tx.t("cover_model", lang), f"{prov['model_file']} (sha256 {prov['model_sha256'][:16]})"],
        [tx.t("cover_calibration", lang), calib.label],
        [tx.t("cover_version", lang), f"innosd {prov.get('innosd_version', '')}"],
        [tx.t("cover_date", lang), ctx.date.strftime("%Y-%m-%d")],
    ]
    f.table([Col("", 1.0), Col("", 3.2)], rows, size=8.5, zebra=False, header=False)
    f.heading(tx.t("cover_files", lang), size=9.5, keep=20)
    f.table([Col("", 1.3), Col("", 3.0, mono=True)], [[k, v] for k, v in ctx.files.items()], size=7,
            zebra=False, header=False)
    _verdict_boxes(f, ctx)
    if not sc.calibrated:
        f.para(tx.t("cover_uncalibrated", lang, region=sc.region), size=9, color=VERDICT_INK["off track"])
    elif calib.sha256 is None:
        f.para(tx.t("cover_no_posterior", lang), size=9, color=VERDICT_INK["at risk"])


def _verdict_boxes(f: Flow, ctx) -> None:
    lang = ctx.lang
    counts = _counts(ctx.table)
    f.heading(tx.t("cover_verdicts", lang), size=9.5, keep=50)
    page, top = f.block(46)
    w = (page.width - 10 * (len(counts) - 1)) / len(counts)
    for i, (verdict, n) in enumerate(counts.items()):
        x = page.left + i * (w + 10)
        page.rect(x, top, w, 38, fc=VERDICT_FILLS[verdict], ec=VERDICT_COLORS[verdict], lw=0.8)
        page.text(x + 10, top + 27, str(n), size=18, color=VERDICT_COLORS[verdict])
        page.text(x + 40, top + 24, tx.verdict_label(verdict, lang), size=9, color=INK)
    f.space(8)


# ---------------------------------------------------------------- 2 executive summary

def summary(doc, ctx) -> None:
    lang, sc, table = ctx.lang, ctx.scenario, ctx.table
    f = _flow(doc, ctx, "summary")
    counts = _counts(table)
    f.need(40)
    f.para(tx.t("summary_lead", lang, n=len(table), on=counts["on track"], risk=counts["at risk"],
                off=counts["off track"], samples=ctx.result.n, hi=f"{sc.on_track:g}", lo=f"{sc.off_track:g}"),
           size=9.5, after=8)
    compact = len(table) > 6
    for r in table.itertuples():
        _summary_box(f, ctx, r, compact)
    if sc.not_represented:
        f.para(tx.t("summary_not_rep", lang, n=len(sc.not_represented)), size=8.5, color=MUTED)
    if not sc.calibrated:
        f.para(tx.t("cover_uncalibrated", lang, region=sc.region), size=8.5, color=VERDICT_INK["off track"])
    elif ctx.result.calibration.sha256 is None:
        f.para(tx.t("cover_no_posterior", lang), size=8.5, color=VERDICT_INK["at risk"])


def goal_text(ctx, r) -> str:
    """'技术合同成交额 ≥ 2,600 亿元/year' with '(change since end-2024)' where the target is a change."""
    lang = ctx.lang
    what = tx.indicator_label(r.indicator, lang, short=True)
    if r.change_since not in ("", None) and not (isinstance(r.change_since, float) and math.isnan(r.change_since)):
        what += " " + tx.t("summary_change", lang, since=int(float(r.change_since)))
    cmp = "≥" if r.comparison == ">=" else "≤"
    return tx.t("summary_goal", lang, year=r.year, what=what, cmp=cmp, value=tx.fmt_num(r.goal), unit=r.unit)


def summary_lines(ctx, r) -> list[str]:
    lang, sc = ctx.lang, ctx.scenario
    lines = [tx.t("summary_line1", lang, verdict=tx.verdict_label(r.verdict, lang), p=tx.fmt_p(r.p_met)),
             tx.t("summary_line2", lang, year=r.year, median=tx.fmt_num(r.median), unit=r.unit,
                  q05=tx.fmt_num(r.q05), q95=tx.fmt_num(r.q95))]
    if math.isfinite(r.first_year_met):
        lines.append(tx.t("summary_line3_met", lang, first=tx.fmt_year(r.first_year_met, lang),
                          fq05=tx.fmt_year(r.first_year_met_q05, lang, sc.end, bound=True),
                          fq95=tx.fmt_year(r.first_year_met_q95, lang, sc.end, bound=True)))
    else:
        lines.append(tx.t("summary_line3_never", lang, end=sc.end, short=f"{r.shortfall_pct:.0f}"))
    return lines


def _summary_box(f: Flow, ctx, r, compact: bool) -> None:
    """A tinted box per target: what it is, the verdict and probability, the median, the likely year."""
    lang = ctx.lang
    title = f"{tx.indicator_label(r.indicator, lang)}  ·  {r.id}"
    body = [goal_text(ctx, r)] + summary_lines(ctx, r)
    if compact:
        body = [body[0] + "; " + body[1], body[2] + "; " + body[3]]
    size, tsize = (7.8, 8.6) if compact else (8.8, 10)
    width = CONTENT_WIDTH - 24
    titles = wrap(title, width, tsize)
    wrapped = [wrap(b, width, size) for b in body]
    h = len(titles) * tsize * 1.35 + sum(len(w) for w in wrapped) * size * 1.38 + 12
    page, top = f.block(h)
    page.rect(page.left, top, page.width, h, fc=VERDICT_FILLS[r.verdict])
    page.rect(page.left, top, 5, h, fc=VERDICT_COLORS[r.verdict])
    y = top + 4
    for ln in titles:
        y += tsize * 1.35
        page.text(page.left + 14, y - tsize * 0.3, ln, size=tsize, color=INK)
    y += 2
    for k, lines in enumerate(wrapped):
        for ln in lines:
            y += size * 1.38
            page.text(page.left + 14, y - size * 0.3, ln, size=size,
                      color=VERDICT_INK[r.verdict] if k == 1 else INK)
    f.space(6)


# ---------------------------------------------------------------- 3 target table

def target_table(doc, ctx) -> None:
    lang, sc = ctx.lang, ctx.scenario
    f = _flow(doc, ctx, "targets")
    cols, rows = target_rows(ctx)
    f.table(cols, rows, size=7.3)
    f.para(tx.t("targets_note", lang), size=7.5, color=MUTED, after=10)
    f.heading(tx.t("not_rep_title", lang), size=10)
    if not sc.not_represented:
        f.para(tx.t("not_rep_none", lang), size=8.5)
        return
    rows = [[item.get("id", ""), item.get("text", ""), item.get("reason", "")] for item in sc.not_represented]
    f.table([Col(tx.t("tbl_target", lang), 1.3), Col(tx.t("tbl_text", lang), 2.2), Col(tx.t("tbl_reason", lang), 2.6)],
            rows, size=7)


# ---------------------------------------------------------------- 4 fan charts

def fans(doc, ctx) -> None:
    lang, sc, table = ctx.lang, ctx.scenario, ctx.table
    f = _flow(doc, ctx, "fans")
    f.need(40)
    if ctx.plan_period:
        f.para(tx.t("fans_intro", lang, p0=ctx.plan_period[0], p1=ctx.plan_period[1]), size=8, color=MUTED, after=6)
    for ind in dict.fromkeys(t.indicator for t in sc.targets):
        rows = [r for r in table.itertuples() if r.indicator == ind]
        cap = [f"{r.id}: {goal_text(ctx, r)} — {tx.verdict_label(r.verdict, lang)}, P = {tx.fmt_p(r.p_met)}, "
               f"{tx.t('tbl_median', lang)} {tx.fmt_num(r.median)} [{tx.fmt_num(r.q05)} – {tx.fmt_num(r.q95)}], "
               f"{tx.t('tbl_first', lang)} {tx.fmt_year(r.first_year_met, lang, sc.end)}" for r in rows]
        caps = [wrap(c, CONTENT_WIDTH - 12, 7.5) for c in cap]
        h = 255 + sum(len(c) for c in caps) * 7.5 * 1.38 + 22
        page, top = f.block(h)
        ax = page.axes(page.left + 40, top + 18, page.width - 50, 225)
        charts.target_fan(ax, ctx, ind)
        doc.bookmark(tx.indicator_label(ind, lang, short=True), 1)
        y = top + 270
        for r, lines in zip(rows, caps):
            page.rect(page.left, y - 7, 6, 6, fc=VERDICT_COLORS[r.verdict])
            for ln in lines:
                page.text(page.left + 12, y, ln, size=7.5, color=INK)
                y += 7.5 * 1.38
        f.space(10)


# ---------------------------------------------------------------- 5 what it would take

def what_it_takes(doc, ctx, confidence: float = 0.8) -> None:
    """Section 5 from the what-it-takes search started in the background (ctx.extra['what_it_takes'])."""
    lang = ctx.lang
    f = _flow(doc, ctx, "whatittakes")
    conf = f"{confidence:.0%}"
    handle = ctx.extra.get("what_it_takes")
    status, payload, members = (handle.get() if handle is not None else
                                analysis.what_it_takes(ctx.result, ctx.table, ctx.model, confidence))
    f.need(40)
    if status == "unavailable":
        f.para(tx.t("wit_unavailable", lang), size=9.5)
        return
    if status == "none":
        f.para(tx.t("wit_none_needed", lang, conf=conf), size=9.5)
        return
    if status == "failed":
        f.para(tx.t("wit_failed", lang, error=payload), size=9.5, color=VERDICT_INK["off track"])
        return
    f.para(tx.t("wit_intro", lang, conf=conf), size=9, after=4)
    note = tx.t("wit_members", lang, m=members, seed=ctx.result.seed)
    if members < ctx.result.n:
        note += tx.t("wit_members_fewer", lang, n=ctx.result.n)
    f.para(note, size=7.5, color=MUTED, after=8)
    if payload is None or len(payload) == 0:
        f.para(tx.t("wit_empty", lang), size=9)
        return
    cols, rows = what_it_takes_rows(ctx, payload)
    f.table(cols, rows, size=7)
    f.para(tx.t("wit_bound_note", lang, conf=conf), size=7.5, color=MUTED)


def status_cell(verdict: str, lang: str) -> Cell:
    return Cell(tx.verdict_label(verdict, lang), color=VERDICT_COLORS.get(verdict, INK),
                fill=VERDICT_FILLS.get(verdict))
