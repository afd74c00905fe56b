"""Rows of the report's tables, built from the run folder and the committed files.

Each builder returns ``(columns, rows)`` for :meth:`innosd.report.document.Document.table`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..scenario_text import in_language
from . import text as tx
from .document import VERDICT_TONE, Col, cell
from .fittable import series_label


def verdict_cell(verdict: str, lang: str) -> dict:
    """The verdict in ``lang`` on its colour."""
    tone = VERDICT_TONE.get(verdict)
    return cell(tx.verdict_label(verdict, lang), tone=tone, fill=tone)


def target_rows(ctx) -> tuple[list[Col], list[list]]:
    """The target table: goal, median, 90% interval, P(met), year met, shortfall, verdict."""
    lang, end = ctx.lang, ctx.scenario["end"]
    cols = [Col(tx.t("tbl_target", lang), 2.1), Col(tx.t("tbl_goal", lang), 1.45),
            Col(tx.t("tbl_median", lang), 0.7, "right"), Col(tx.t("tbl_interval", lang), 1.2, "right"),
            Col(tx.t("tbl_p_se", lang), 1.05, "right"), Col(tx.t("tbl_first", lang), 1.25, "right"),
            Col(tx.t("tbl_short", lang), 0.85, "right"), Col(tx.t("tbl_verdict", lang), 1.05)]
    rows = []
    for r in ctx.table.itertuples():
        goal = f"{tx.fmt_goal(r.comparison, r.goal, r.unit, lang)} ({int(r.year)})"
        if tx.is_set(r.change_since):
            goal += "\n" + tx.t("summary_change", lang, since=int(float(r.change_since)))
        first = tx.fmt_year(r.first_year_met, lang, end)
        if tx.is_set(r.first_year_met):
            first += (f"\n[{tx.fmt_year(r.first_year_met_q05, lang, end, bound=True)} – "
                      f"{tx.fmt_year(r.first_year_met_q95, lang, end, bound=True)}]")
        rows.append([
            f"{r.id}\n{tx.indicator_label(r.indicator, lang, short=True)}",
            goal,
            tx.fmt_num(r.median),
            f"{tx.fmt_num(r.q05)} – {tx.fmt_num(r.q95)}",
            cell(tx.fmt_p_se(r.p_met, getattr(r, "p_met_se", None)), tone=VERDICT_TONE.get(r.verdict)),
            first,
            _shortfall(r),
            verdict_cell(r.verdict, lang),
        ])
    return cols, rows


def _shortfall(r) -> str:
    """``shortfall`` in the target's units, as the terminal shows it, with ``shortfall_pct`` of the goal below it."""
    if not tx.is_set(r.shortfall) or float(r.shortfall) <= 0:
        return "–"
    pct = f"\n({float(r.shortfall_pct):.0f}%)" if tx.is_set(getattr(r, "shortfall_pct", None)) else ""
    return tx.fmt_num(r.shortfall) + pct


def what_it_takes_rows(ctx, df: pd.DataFrame) -> tuple[list[Col], list[list]]:
    """The what-it-takes table (target, lever, mode, P now, change needed, P after, status).

    A lever that cannot reach the confidence within its range shows the change tried (its bound)
    in brackets and grey, so it is not read as an answer.
    """
    lang = ctx.lang
    cols = [Col(tx.t("tbl_target", lang), 1.6), Col(tx.t("tbl_lever", lang), 2.0), Col(tx.t("tbl_mode", lang), 0.55),
            Col(tx.t("tbl_p_now", lang), 0.65, "right"), Col(tx.t("tbl_change", lang), 1.45, "right"),
            Col(tx.t("tbl_p_after", lang), 0.7, "right"), Col(tx.t("tbl_status", lang), 0.9)]
    tones = {"reached": "on", "already met": "muted", "not reachable": "off", "too late": "muted"}
    rows, last = [], None
    for r in df.to_dict("records"):
        lever = str(r.get("lever", ""))
        label, unit = tx.lever_label(lever, lang)
        unit = unit or tx.unit_label(r.get("lever_unit", ""), lang)  # a lever of another model: the search's unit
        status = str(r.get("status", ""))
        # not reachable: the edge of the lever's range that was tried (shown in brackets, never as an answer)
        change = r.get("change_at_bound") if status == "not reachable" and tx.is_set(r.get("change_at_bound")) \
            else r.get("required_change")
        change_s = "–"
        if tx.is_set(change):
            sign = "+" if float(change) > 0 else ""
            change_s = f"{sign}{tx.fmt_num(change)} {unit}".strip()
            if str(r.get("mode")) == "growth":
                change_s = f"{sign}{100 * float(change):.3g}%/{tx.unit_label('year', lang)}"
            if tx.is_set(r.get("acts_from")):  # every answer says from which year the change acts
                change_s += tx.t("wit_from", lang, year=int(float(r["acts_from"])))
        change_cell = cell(f"({change_s})", tone="muted") if status == "not reachable" else change_s
        target = str(r.get("target", ""))
        rows.append([target if target != last else "", label, tx.word("wit_mode", str(r.get("mode", "")), lang),
                     _p(r.get("baseline_p")), change_cell, _p(r.get("p_at_change")),
                     cell(tx.word("wit_status", status, lang), tone=tones.get(status))])
        last = target
    return cols, rows


def _p(v) -> str:
    try:
        v = float(v)
    except (TypeError, ValueError):
        return "–"
    return tx.fmt_p(v) if math.isfinite(v) else "–"


_DIST = {"uniform": "U", "loguniform": "logU"}


def parameter_rows(ctx, priors: dict, fit: dict) -> tuple[list[Col], list[list]]:
    """The parameter table: prior range, default, posterior median and 90% interval, identifiability.

    Priors from parameters.yaml, draws from this run's ``parameters.csv``, identifiability from
    fit.yaml; also the scenario's override and the prior's reasoning.
    """
    lang = ctx.lang
    table = ctx.run.table("parameters.csv")
    table = table if table is not None else pd.DataFrame(columns=["parameter"])
    drawn = {str(r["parameter"]): r for r in table.to_dict("records")}
    fitted = fit.get("parameters") if isinstance(fit.get("parameters"), dict) else {}
    cols = [Col(tx.t("tbl_param", lang), 2.35), Col(tx.t("tbl_unit", lang), 1.3), Col(tx.t("tbl_prior", lang), 1.3),
            Col(tx.t("tbl_default", lang), 0.8, "right"), Col(tx.t("tbl_post", lang), 0.85, "right"),
            Col(tx.t("tbl_post90", lang), 1.15, "right"), Col(tx.t("tbl_ident", lang), 1.0),
            Col(tx.t("tbl_scen", lang), 0.85), Col(tx.t("tbl_why", lang), 2.7)]
    rows = []
    for name in list(priors) + [k for k in drawn if k not in priors]:
        p, d = priors.get(name) or {}, drawn.get(name) or {}
        prior = (f"{_DIST.get(p.get('prior', 'uniform'), p.get('prior'))}[{tx.fmt_num(p['low'])}, "
                 f"{tx.fmt_num(p['high'])}]" if "low" in p else "–")
        q05, q95 = d.get("q05", np.nan), d.get("q95", np.nan)
        band = f"{tx.fmt_num(q05)} – {tx.fmt_num(q95)}" if tx.is_set(q05) and q95 > q05 else "–"
        info = fitted.get(name) if isinstance(fitted.get(name), dict) else {}
        status = tx.word("ident", str(info.get("status", "")), lang) if info.get("status") else ""
        ratio = info.get("width_ratio")
        ident = cell(f"{status} {tx.fmt_num(ratio)}" if status and ratio is not None else status,
                     tone="on" if info.get("status") == "identified" else "muted")
        default = d.get("default", p.get("default", np.nan))
        label, breakable = ctx.param_label(name), name.replace("_", "_\u200b")  # a long name may break after _
        rows.append([f"{label}\n{breakable}" if label != name else breakable, tx.unit_label(p.get("unit", ""), lang),
                     prior,
                     tx.fmt_num(default),
                     tx.fmt_num(d.get("median", np.nan)), band, ident,
                     str(d["override"]) if tx.is_set(d.get("override")) else "",
                     str((lang == "zh" and p.get("why_zh")) or p.get("why", ""))])
    return cols, rows


def observed_rows(ctx) -> tuple[list[Col], list[list]]:
    """Every observation of the region with its source key and verbatim quote."""
    lang, keys = ctx.lang, ctx.source_keys
    cols = [Col(tx.t("tbl_indicator", lang), 2.0), Col(tx.t("tbl_year", lang), 0.5, "right"),
            Col(tx.t("tbl_value", lang), 1.2, "right"), Col(tx.t("tbl_kind", lang), 1.1),
            Col(tx.t("tbl_key", lang), 0.45), Col(tx.t("tbl_quote", lang), 3.6)]
    rows = []
    for r in ctx.observed.itertuples():
        # an id without a name is shown breakable after '_' so it never runs into the year column
        label, breakable = series_label(r.indicator, lang), r.indicator.replace("_", "_\u200b")
        if lang == "zh" and label != breakable:
            label = f"{label}\n{breakable}"
        rows.append([label, str(r.year), f"{tx.fmt_num(r.value)} {tx.unit_label(r.unit, lang)}",
                     tx.word("kind", str(r.kind), lang), keys.get(r.source, ""),
                     str(r.quote) if tx.is_set(r.quote) else ""])
    return cols, rows


def target_source_rows(ctx) -> tuple[list[Col], list[list]]:
    """Each target with its goal, source key and the verbatim sentence it comes from."""
    lang, keys = ctx.lang, ctx.source_keys
    texts = ctx.scenario.get("target_text") or {}
    notes = {tid: "\n".join(v for v in (in_language(t, "label", lang), in_language(t, "note", lang)) if v)
             for tid, t in texts.items()}
    cols = [Col(tx.t("tbl_target", lang), 1.6), Col(tx.t("tbl_goal", lang), 1.3), Col(tx.t("tbl_key", lang), 0.45),
            Col(tx.t("tbl_quote", lang), 3.0)]
    if any(notes.values()):  # the targets' labels and notes, in the report's language where translated
        cols.append(Col(tx.t("tbl_note", lang), 2.2))
    extra = any(notes.values())
    rows = [[r.id, f"{tx.fmt_goal(r.comparison, r.goal, r.unit, lang)} ({int(r.year)})", keys.get(r.source, ""),
             str(r.quote)] + ([notes.get(str(r.id), "")] if extra else []) for r in ctx.table.itertuples()]
    return cols, rows


def not_represented_rows(ctx, with_reason: bool = False) -> tuple[list[Col], list[list]]:
    """The plan targets the model does not represent: id, source key, the plan's text (and the reason)."""
    lang, keys = ctx.lang, ctx.source_keys
    items = ctx.summary.get("not_represented", [])
    if with_reason:
        cols = [Col(tx.t("tbl_target", lang), 1.3), Col(tx.t("tbl_text", lang), 2.2),
                Col(tx.t("tbl_reason", lang), 2.6)]
        return cols, [[str(i.get("id", "")), str(i.get("text", "")), in_language(i, "reason", lang)] for i in items]
    cols = [Col(tx.t("tbl_target", lang), 1.6), Col(tx.t("tbl_key", lang), 0.45), Col(tx.t("tbl_text", lang), 5.6)]
    return cols, [[str(i.get("id", "")), keys.get(str(i.get("source", "")), ""), str(i.get("text", ""))] for i in items]


def stock_flow_rows(ctx, stocks: list[dict]) -> tuple[list[Col], list[list]]:
    """Stocks with their units, inflows, outflows and documentation (from the model file)."""
    lang = ctx.lang
    cols = [Col(tx.t("tbl_stock", lang), 1.4), Col(tx.t("tbl_unit", lang), 0.8), Col(tx.t("tbl_inflows", lang), 1.5),
            Col(tx.t("tbl_outflows", lang), 1.5), Col(tx.t("tbl_doc", lang), 3.2)]
    rows = [[s["stock"], tx.unit_label(s["units"], lang), ", ".join(s["inflows"]) or "–",
             ", ".join(s["outflows"]) or "–", s["doc"]] for s in stocks]
    return cols, rows


def frame_rows(df: pd.DataFrame, lang: str, max_cols: int = 13) -> tuple[list[Col], list[list]]:
    """A committed table (e.g. calibration/fit_table.csv) as it is: heads in ``lang``, numbers formatted."""
    shown = list(df.columns[:max_cols])
    cols = []
    for c in shown:
        numeric = pd.api.types.is_numeric_dtype(df[c])
        longest = max([len(str(c))] + [len(str(v)) for v in df[c].head(50)])
        cols.append(Col(tx.word("fit_head", str(c), lang), min(max(longest, 4), 30) / 10 + 0.4,
                        "right" if numeric else "left"))
    rows = [[_cell(v, lang) for v in rec] for rec in df[shown].itertuples(index=False)]
    return cols, rows


def _cell(v, lang: str) -> str:
    if isinstance(v, (bool, np.bool_)):
        return str(v)
    if isinstance(v, (int, np.integer)):
        return str(v)
    if isinstance(v, (float, np.floating)):
        return tx.fmt_num(v) if math.isfinite(v) else "–"
    if v is None:
        return ""
    return tx.word("fit_head", str(v), lang) if str(v) in ("in", "out") else str(v)
