"""The report's findings: cover, executive summary, target table, fan charts, what it would take.

Each function adds its blocks to the Document from the Context; nothing is typed in by hand.
"""

from __future__ import annotations

from .. import runfolder as rf
from ..scenario_text import has_chinese, in_language
from . import charts
from . import text as tx
from .tables import not_represented_rows, target_rows, what_it_takes_rows

CONFIDENCE = 0.8  # the probability the what-it-takes search aims for when the file does not say


def counts(table) -> list[tuple[int, str]]:
    """(count, verdict) for on track, at risk, off track, and the targets set by assumption (when any)."""
    out = [(int((table.verdict == v).sum()), v) for v in ("on track", "at risk", "off track")]
    assumed = int(table.verdict.isin(["met by assumption", "not met by assumption"]).sum())
    return out + ([(assumed, "set by assumption")] if assumed else [])


def cover(doc, ctx) -> None:
    """Title, scenario, run facts, input files with their hashes, verdicts at a glance."""
    lang, sc, prov = ctx.lang, ctx.scenario, ctx.prov
    doc.section("cover", tx.section_title("cover", lang), hidden=True)
    doc.para(tx.t("report_title", lang), size=22, tone="accent")
    doc.para(tx.t("report_subtitle", lang), size=11, tone="muted")
    doc.para(tx.t("cover_scenario_line", lang, name=sc["name"]), size=14)
    description = in_language(sc, "description", lang)
    if description and (lang == "en" or has_chinese(description)):
        doc.para(description, size=9)  # an untranslated description is under Assumptions, as written
    data_date = (tx.t("cover_data_date_value", lang, year=ctx.data_year) if ctx.data_year
                 else tx.t("cover_no_data", lang))
    rows = [
        [tx.t("cover_region", lang), tx.word("region", sc["region"], lang)],
        [tx.t("cover_horizon", lang), f"{sc['start']}–{sc['end']}"],
        [tx.t("cover_data_date", lang), data_date],
        [tx.t("cover_ensemble", lang), tx.t("cover_ensemble_value", lang, n=ctx.samples, seed=ctx.seed,
                                            engine=ctx.engine_label())],
        [tx.t("cover_model", lang), tx.t("cover_model_value", lang, file=prov.get("model_file", ""),
                                         sha=str(prov.get("model_sha256", ""))[:16])],
        [tx.t("cover_calibration", lang), ctx.calibration_label()],
        [tx.t("cover_version", lang), f"innosd {prov.get('innosd_version', '')}"],
        [tx.t("cover_date", lang), ctx.date.strftime("%Y-%m-%d")],
    ]
    from .document import Col

    doc.table([Col("", 1.0), Col("", 3.2)], rows, size=8.5, header=False)
    doc.heading(tx.t("cover_files", lang), bookmark=False)
    doc.table([Col("", 1.3), Col("", 3.0, mono=True)], [[k, v] for k, v in ctx.summary.get("files", {}).items()],
              size=7, header=False)
    doc.heading(tx.t("cover_verdicts", lang), bookmark=False)
    doc.counts([(n, tx.verdict_label(v, lang), v) for n, v in counts(ctx.table)])
    _calibration_notes(doc, ctx)


def _calibration_notes(doc, ctx) -> None:
    if not ctx.scenario.get("calibrated", True):
        doc.para(tx.t("cover_uncalibrated", ctx.lang, region=ctx.scenario["region"]), size=9, tone="off")
    elif not ctx.calibration.get("sha256"):
        doc.para(tx.t("cover_no_posterior", ctx.lang), size=9, tone="risk")


def summary(doc, ctx) -> None:
    """One paragraph of counts and, per target, a box with its verdict, probability, median and likely year."""
    lang, sc, table = ctx.lang, ctx.scenario, ctx.table
    doc.section("summary", tx.section_title("summary", lang))
    c = dict((v, n) for n, v in counts(table))
    assumed = tx.t("summary_assumed", lang, k=c["set by assumption"]) if c.get("set by assumption") else ""
    doc.para(tx.t("summary_lead", lang, n=len(table), on=c["on track"], risk=c["at risk"], off=c["off track"],
                  assumed=assumed, samples=ctx.samples, hi=f"{sc['on_track']:g}", lo=f"{sc['off_track']:g}"),
             size=9.5)
    for r in table.itertuples():
        doc.box(f"{tx.indicator_label(r.indicator, lang)} · {r.id}", [goal_text(ctx, r)] + summary_lines(ctx, r),
                r.verdict)
    if ctx.summary.get("not_represented"):
        doc.para(tx.t("summary_not_rep", lang, n=len(ctx.summary["not_represented"])), size=8.5, tone="muted")
    _calibration_notes(doc, ctx)


def goal_text(ctx, r) -> str:
    """'目标：2027年技术合同成交额 ≥ 2,600 亿元/年', with the base year where the target is a change."""
    lang = ctx.lang
    what = tx.indicator_label(r.indicator, lang, short=True)
    if tx.is_set(r.change_since):
        what += (" " if lang == "en" else "") + tx.t("summary_change", lang, since=int(float(r.change_since)))
    cmp = "≥" if r.comparison == ">=" else "≤"
    return tx.t("summary_goal", lang, year=int(r.year), what=what, cmp=cmp, value=tx.fmt_num(r.goal),
                unit=tx.unit_label(r.unit, lang))


def summary_lines(ctx, r) -> list[str]:
    """Verdict and P(met); the median and 90% interval; the likely year met (or the shortfall)."""
    lang, end = ctx.lang, ctx.scenario["end"]
    key = "summary_line1_assumed" if str(r.kind) == "assumption" else "summary_line1"
    lines = [tx.t(key, lang, verdict=tx.verdict_label(r.verdict, lang), p=tx.p_text(r, lang)),
             tx.t("summary_line2", lang, year=int(r.year), median=tx.fmt_num(r.median),
                  unit=tx.unit_label(r.unit, lang), q05=tx.fmt_num(r.q05), q95=tx.fmt_num(r.q95))]
    if tx.is_set(r.first_year_met):
        lines.append(tx.t("summary_line3_met", lang, first=tx.fmt_year(r.first_year_met, lang),
                          fq05=tx.fmt_year(r.first_year_met_q05, lang, end, bound=True),
                          fq95=tx.fmt_year(r.first_year_met_q95, lang, end, bound=True)))
    else:
        lines.append(tx.t("summary_line3_never", lang, end=end, short=f"{r.shortfall_pct:.0f}"))
    return lines


def target_table(doc, ctx) -> None:
    """The target table and the plan targets the model does not represent."""
    lang = ctx.lang
    doc.section("targets", tx.section_title("targets", lang))
    cols, rows = target_rows(ctx)
    doc.table(cols, rows, size=7.3)
    doc.para(tx.t("targets_note", lang), size=7.5, tone="muted")
    doc.heading(tx.t("not_rep_title", lang), bookmark=False)
    if not ctx.summary.get("not_represented"):
        doc.para(tx.t("not_rep_none", lang), size=8.5)
        return
    cols, rows = not_represented_rows(ctx, with_reason=True)
    doc.table(cols, rows, size=7)


def fans(doc, ctx) -> None:
    """One fan chart per targeted indicator, each a second-level bookmark, with its targets' facts below."""
    lang, end = ctx.lang, ctx.scenario["end"]
    doc.section("fans", tx.section_title("fans", lang))
    if ctx.plan_period:
        doc.para(tx.t("fans_intro", lang, p0=ctx.plan_period[0], p1=ctx.plan_period[1]), size=8, tone="muted")
    from .document import VERDICT_TONE

    for ind in dict.fromkeys(ctx.table.indicator):
        doc.heading(tx.indicator_label(ind, lang, short=True))
        caption = [{"tone": VERDICT_TONE.get(r.verdict, "ink"),
                    "text": tx.t("fans_caption", lang, id=r.id, goal=goal_text(ctx, r),
                                 verdict=tx.verdict_label(r.verdict, lang), p=tx.p_text(r, lang),
                                 median=tx.fmt_num(r.median), q05=tx.fmt_num(r.q05), q95=tx.fmt_num(r.q95),
                                 first=tx.fmt_year(r.first_year_met, lang, end))}
                   for r in ctx.table[ctx.table.indicator == ind].itertuples()]
        doc.figure(charts.fan(ctx, ind), caption=caption)


def what_it_takes(doc, ctx) -> None:
    """Section 5 from ``what_it_takes.csv``, or how to produce it."""
    lang = ctx.lang
    doc.section("whatittakes", tx.section_title("whatittakes", lang))
    df = ctx.run.table(rf.WHAT_IT_TAKES)
    conf = f"{float(df.confidence.iloc[0]) if df is not None and len(df) and 'confidence' in df else CONFIDENCE:.0%}"
    if df is None:
        doc.para(tx.t("wit_missing", lang, command=f"innosd what-it-takes {ctx.scenario.get('path', '')} --all"),
                 size=9.5)
        return
    ctx.extra["wit_members"] = int(df.samples.iloc[0]) if len(df) and "samples" in df else None
    if df.empty:
        doc.para(tx.t("wit_none_needed", lang, conf=conf), size=9.5)
        return
    doc.para(tx.t("wit_intro", lang, conf=conf), size=9)
    members = ctx.extra["wit_members"]
    if members:
        note = tx.t("wit_members", lang, m=members, seed=int(df.seed.iloc[0]) if "seed" in df else ctx.seed)
        if members < ctx.samples:
            note += tx.t("wit_members_fewer", lang, n=ctx.samples)
        doc.para(note, size=7.5, tone="muted")
    cols, rows = what_it_takes_rows(ctx, df)
    doc.table(cols, rows, size=7)
    doc.para(tx.t("wit_bound_note", lang, conf=conf), size=7.5, tone="muted")
