"""Rows of the report's tables, built from the run, the scenario and the committed files.

Each builder returns ``(columns, rows)`` for :meth:`layout.Flow.table`.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pandas as pd
import yaml

from .. import paths
from . import text as tx
from .layout import VERDICT_FILLS, VERDICT_INK, Cell, Col


def _verdict_cell(verdict: str, lang: str) -> Cell:
    return Cell(tx.verdict_label(verdict, lang), color=VERDICT_INK.get(verdict, "#1d1d1d"),
                fill=VERDICT_FILLS.get(verdict))


def _is_set(v) -> bool:
    return v not in ("", None) and not (isinstance(v, float) and math.isnan(v))


def target_rows(ctx) -> tuple[list[Col], list[list]]:
    lang, end = ctx.lang, ctx.scenario.end
    cols = [Col(tx.t("tbl_target", lang), 2.3), Col(tx.t("tbl_goal", lang), 1.5),
            Col(tx.t("tbl_median", lang), 0.75, "right"), Col(tx.t("tbl_interval", lang), 1.3, "right"),
            Col(tx.t("tbl_p", lang), 0.7, "right"), Col(tx.t("tbl_first", lang), 1.15, "right"),
            Col(tx.t("tbl_short", lang), 0.6, "right"), Col(tx.t("tbl_verdict", lang), 1.5 if lang == "zh" else 0.9)]
    rows = []
    for r in ctx.table.itertuples():
        goal = f"{tx.fmt_goal(r.comparison, r.goal, r.unit)} ({r.year})"
        if _is_set(r.change_since):
            goal += "\n" + tx.t("summary_change", lang, since=int(float(r.change_since)))
        first = tx.fmt_year(r.first_year_met, lang, end)
        if math.isfinite(r.first_year_met):
            first += (f"\n[{tx.fmt_year(r.first_year_met_q05, lang, end, bound=True)} – "
                      f"{tx.fmt_year(r.first_year_met_q95, lang, end, bound=True)}]")
        rows.append([
            f"{r.id}\n{tx.indicator_label(r.indicator, lang, short=True)}",
            goal,
            tx.fmt_num(r.median),
            f"{tx.fmt_num(r.q05)} – {tx.fmt_num(r.q95)}",
            Cell(tx.fmt_p(r.p_met), color=VERDICT_INK.get(r.verdict, "#1d1d1d")),
            first,
            f"{r.shortfall_pct:.0f}%" if r.shortfall_pct > 0 else "–",
            _verdict_cell(r.verdict, lang),
        ])
    return cols, rows


def what_it_takes_rows(ctx, df: pd.DataFrame) -> tuple[list[Col], list[list]]:
    """The what-it-takes table (target, lever, mode, baseline_p, required_change, p_at_change, status, lever_unit).

    A lever that cannot reach the confidence within its range shows the change tried (its bound)
    in brackets and grey, so it is not read as an answer."""
    lang = ctx.lang
    zh = lang == "zh"
    cols = [Col(tx.t("tbl_target", lang), 1.6), Col("杠杆 lever" if zh else "lever", 2.0), Col("mode", 0.6),
            Col("P 现状 now" if zh else "P now", 0.65, "right"),
            Col("所需变化 change needed" if zh else "change needed", 1.45, "right"),
            Col("P 变化后 after" if zh else "P after", 0.7, "right"), Col("status", 1.0)]
    colors = {"reached": "#1b5e20", "already met": "#5f6368", "not reachable": "#b71c1c"}
    rows, last = [], None
    for r in df.to_dict("records"):
        lever = str(r.get("lever", ""))
        label = tx.lever_label(lever, lang)[0] if lever in tx.LEVER_LABELS else lever
        change, unit, status = r.get("required_change"), r.get("lever_unit", ""), str(r.get("status", ""))
        change_s = "–"
        if _is_set(change):
            change_s = f"{'+' if float(change) > 0 else ''}{tx.fmt_num(change)} {unit if _is_set(unit) else ''}".strip()
        change_cell = Cell(f"({change_s})", color="#5f6368") if status == "not reachable" else Cell(change_s)
        target = str(r.get("target", ""))
        rows.append([target if target != last else "", label, str(r.get("mode", "")), _p(r.get("baseline_p")),
                     change_cell, _p(r.get("p_at_change")), Cell(status, color=colors.get(status, "#1d1d1d"))])
        last = target
    return cols, rows


def _p(v) -> str:
    try:
        v = float(v)
    except (TypeError, ValueError):
        return "–"
    return tx.fmt_p(v) if math.isfinite(v) else "–"


_DIST = {"uniform": "U", "loguniform": "logU"}


@lru_cache(maxsize=2)
def _priors(path: str) -> dict:
    try:
        data = yaml.safe_load(open(path, encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}
    return data.get("parameters") or {}


def parameter_rows(ctx) -> tuple[list[Col], list[list]]:
    """Prior range (parameters.yaml), default, posterior median and 90% interval (this run), scenario override."""
    lang, sc = ctx.lang, ctx.scenario
    priors = _priors(str(paths.PARAMETERS_YAML))
    params = ctx.result.params
    overrides = {k: f"= {tx.fmt_num(v)}" for k, v in sc.parameters.items()}
    for up in sc.uncertain_parameters:
        overrides[up.name] = (f"× U[{up.low:g}, {up.high:g}]" if up.scale else f"U[{tx.fmt_num(up.low)}, "
                              f"{tx.fmt_num(up.high)}]")
    names = list(priors) + [k for k in overrides if k not in priors]
    from .analysis import fit_files

    fit = fit_files()[1] or {}
    fitted = fit.get("parameters") if isinstance(fit.get("parameters"), dict) else {}
    cols = [Col(tx.t("tbl_param", lang), 2.05), Col(tx.t("tbl_unit", lang), 0.95),
            Col(tx.t("tbl_prior", lang), 1.3), Col(tx.t("tbl_default", lang), 0.7, "right"),
            Col(tx.t("tbl_post", lang), 0.75, "right"), Col(tx.t("tbl_post90", lang), 1.15, "right"),
            Col(tx.t("tbl_ident", lang), 1.15), Col(tx.t("tbl_scen", lang), 0.7), Col(tx.t("tbl_why", lang), 3.6)]
    rows = []
    for name in names:
        p = priors.get(name) or {}
        prior = (f"{_DIST.get(p.get('prior', 'uniform'), p.get('prior'))}[{tx.fmt_num(p['low'])}, "
                 f"{tx.fmt_num(p['high'])}]" if "low" in p and "high" in p else "–")
        if name in params.columns:
            v = params[name].to_numpy(float)
            med = tx.fmt_num(np.median(v))
            q = np.quantile(v, [0.05, 0.95])
            band = f"{tx.fmt_num(q[0])} – {tx.fmt_num(q[1])}" if q[1] > q[0] else "–"
        else:
            med, band = "–", "–"
        default = tx.fmt_num(ctx.model.constants.get(name, p.get("default", float("nan"))))
        status = str((fitted.get(name) or {}).get("status", "")) if isinstance(fitted.get(name), dict) else ""
        ratio = (fitted.get(name) or {}).get("width_ratio") if isinstance(fitted.get(name), dict) else None
        ident = Cell(f"{status} {tx.fmt_num(ratio)}" if status and ratio is not None else status,
                     color="#1b5e20" if status == "identified" else "#5f6368")
        rows.append([name, str(p.get("unit", "")), prior, default, med, band, ident, overrides.get(name, ""),
                     str(p.get("why", ""))])
    return cols, rows


def source_keys(ctx) -> dict[str, str]:
    """Source citation -> short key (S1, S2, ...) in order of first use: observations, then targets."""
    keys: dict[str, str] = {}
    for src in list(observed_rows_frame(ctx).source) + [t.source for t in ctx.scenario.targets] + \
            [str(i.get("source", "")) for i in ctx.scenario.not_represented]:
        if _is_set(src) and src not in keys:
            keys[src] = f"S{len(keys) + 1}"
    return keys


def observed_rows_frame(ctx) -> pd.DataFrame:
    from ..observed import load_observed

    df = load_observed()
    return df[df.region == ctx.scenario.region].reset_index(drop=True)


def observed_rows(ctx, keys: dict[str, str]) -> tuple[list[Col], list[list]]:
    lang = ctx.lang
    cols = [Col(tx.t("tbl_indicator", lang), 2.0), Col(tx.t("tbl_year", lang), 0.5, "right"),
            Col(tx.t("tbl_value", lang), 1.2, "right"), Col(tx.t("tbl_kind", lang), 1.1),
            Col(tx.t("tbl_key", lang), 0.45), Col(tx.t("tbl_quote", lang), 3.6)]
    rows = []
    for r in observed_rows_frame(ctx).itertuples():
        label = r.indicator
        if lang == "zh" and r.indicator in tx.INDICATORS:
            label = f"{tx.INDICATORS[r.indicator].zh} {r.indicator}"
        rows.append([label, str(r.year), f"{tx.fmt_num(r.value)} {r.unit}", r.kind, keys.get(r.source, ""),
                     str(r.quote)])
    return cols, rows


def target_source_rows(ctx, keys: dict[str, str]) -> tuple[list[Col], list[list]]:
    lang = ctx.lang
    cols = [Col(tx.t("tbl_target", lang), 1.6), Col(tx.t("tbl_goal", lang), 1.4), Col(tx.t("tbl_key", lang), 0.45),
            Col(tx.t("tbl_quote", lang), 4.2)]
    rows = [[t.id, f"{tx.fmt_goal(t.comparison, t.value, t.unit)} ({t.year})", keys.get(t.source, ""), t.quote]
            for t in ctx.scenario.targets]
    return cols, rows


def not_represented_rows(ctx, keys: dict[str, str]) -> tuple[list[Col], list[list]]:
    lang = ctx.lang
    cols = [Col(tx.t("tbl_target", lang), 1.6), Col(tx.t("tbl_key", lang), 0.45), Col(tx.t("tbl_text", lang), 5.6)]
    rows = [[str(i.get("id", "")), keys.get(str(i.get("source", "")), ""), str(i.get("text", ""))]
            for i in ctx.scenario.not_represented]
    return cols, rows


def stock_flow_rows(ctx, stocks: list[dict]) -> tuple[list[Col], list[list]]:
    lang = ctx.lang
    cols = [Col(tx.t("tbl_stock", lang), 1.4), Col(tx.t("tbl_unit", lang), 0.8), Col(tx.t("tbl_inflows", lang), 1.5),
            Col(tx.t("tbl_outflows", lang), 1.5), Col(tx.t("tbl_doc", lang), 3.2)]
    rows = [[s["stock"], s["units"], ", ".join(s["inflows"]) or "–", ", ".join(s["outflows"]) or "–", s["doc"]]
            for s in stocks]
    return cols, rows


def frame_rows(df: pd.DataFrame, max_cols: int = 9) -> tuple[list[Col], list[list]]:
    """Any committed table (e.g. calibration/fit_table.csv) as it is: numbers formatted, nothing dropped
    but columns past ``max_cols`` (named in the last header)."""
    shown = list(df.columns[:max_cols])
    cols = []
    for c in shown:
        numeric = pd.api.types.is_numeric_dtype(df[c])
        longest = max([len(str(c))] + [len(str(v)) for v in df[c].head(50)])
        cols.append(Col(str(c), min(max(longest, 4), 30) / 10 + 0.4, "right" if numeric else "left"))
    rows = []
    for rec in df[shown].itertuples(index=False):
        rows.append([_cell(v) for v in rec])
    return cols, rows


def _cell(v) -> str:
    if isinstance(v, (bool, np.bool_)):
        return str(v)
    if isinstance(v, (int, np.integer)):
        return str(v)
    if isinstance(v, (float, np.floating)):
        return tx.fmt_num(v) if math.isfinite(v) else "–"
    return "" if v is None else str(v)
