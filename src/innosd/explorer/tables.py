"""The page's tables as Dash components: targets, the comparison, the assumptions and the plan targets left out."""

from __future__ import annotations

from html import escape

import pandas as pd
from dash import dcc, html

from ..display import goal, number, probability, signed
from ..indicators import INDICATORS, LEVERS
from . import text as tx

HEADS = ("col_target", "col_year", "col_goal", "col_median", "col_interval", "col_p", "col_verdict", "col_first")
#: Shown after HEADS when a scenario states what happened (a past target's ``actual:``).
ACTUAL = "col_actual"


def target_table(rows: list[dict], lang: str, on_track: float = 0.8, off_track: float = 0.2):
    """The planner's target table: goal, median, 90% interval, P(met) with its change, verdict, first year met.

    ``on_track`` and ``off_track`` are the scenario's verdict thresholds, stated under the table. The
    table is one piece of HTML (every text escaped) rather than a hundred components: the page redraws
    it after every lever change, and each component costs the browser time.
    """
    actual = any(r["actual"] for r in rows)
    heads = "".join(f'<th class="{k}">{_e(tx.t(k, lang))}</th>' for k in HEADS + ((ACTUAL,) if actual else ()))
    body = []
    for r in rows:
        sub = " · ".join(x for x in (r["id"], r["since"], r["early"]) if x)
        p = f'<span class="p-value">{_e(r["p"])}</span>'
        if r["p_value"] is not None:
            p += f'<span class="p-bar"><span style="width: {100 * r["p_value"]:.0f}%"></span></span>'
        if r["p_change"]:
            p += f'<span class="p-change {_tone(r["p_change"])}">{_e(r["p_change"])}</span>'
        cells = [
            f'<td class="col_target"><div class="t-name">{_e(r["label"] or r["indicator"])}</div>'
            f'<div class="t-id">{_e(sub)}</div></td>',
            _num(r["year"]), _num(_e(r["goal"]) + f' <span class="unit">{_e(r["unit"])}</span>', escaped=True),
            _num(r["median"]), _num(r["interval"]), f'<td class="col_p">{p}</td>',
            f'<td class="col_verdict"><span class="chip {_e(r["verdict_key"].replace(" ", "-"))}">'
            f'{_e(r["verdict"])}</span></td>',
            _num(r["first"]),
        ] + ([_num(r["actual"])] if actual else [])
        body.append(f'<tr class="row {_e(r["kind"])}" data-target="{_e(r["id"])}">{"".join(cells)}</tr>')
    table = (f'<table class="targets" id="targets-table"><thead><tr>{heads}</tr></thead>'
             f'<tbody>{"".join(body)}</tbody></table>')
    return [dcc.Markdown(table, dangerously_allow_html=True, className="table-html"),
            html.P(tx.t("table_help", lang, hi=f"{on_track:g}", lo=f"{off_track:g}"), className="help table-help")]


def _e(text) -> str:
    """``text`` escaped for HTML (names, labels and ids come from scenario files)."""
    return escape(str(text), quote=True)


def _num(text: str, escaped: bool = False) -> str:
    return f'<td class="num-cell">{text if escaped else _e(text)}</td>'


def compare_table(table: pd.DataFrame, lang: str):
    """Two scenarios' targets side by side (:func:`innosd.compare.compare_scenarios`'s table)."""
    runs = table.drop_duplicates("run")
    names = dict(zip(runs["run"], runs["scenario"], strict=True))
    head = html.Thead([
        html.Tr([html.Th(tx.t("col_target", lang), rowSpan=2, className="col_target"),
                 html.Th(tx.t("col_goal", lang), rowSpan=2)]
                + [html.Th(f"{r} · {names[r]}", colSpan=3, className="run") for r in names]),
        html.Tr([html.Th(tx.t(k, lang), className=k) for _ in names for k in ("col_p", "col_median", "col_verdict")]),
    ])
    body = []
    for tid, part in table.groupby("id", sort=False):
        first = part.iloc[0]
        ind = INDICATORS[first["indicator"]]
        cells = [html.Td([html.Div(ind.zh if lang == "zh" else ind.en, className="t-name"),
                          html.Div(f"{tid} · {int(first['year'])}", className="t-id")]),
                 html.Td(goal(first["comparison"], first["goal"]), className="num-cell")]
        for _, r in part.iterrows():
            assumed = r["kind"] == "assumption"
            change = "" if pd.isna(r["p_met_change"]) or assumed else signed(r["p_met_change"], 1.0)
            cells += [html.Td([html.Span("-" if assumed else probability(r["p_met"]), className="p-value"),
                               html.Span(change, className="p-change " + _tone(change)) if change else None],
                              className="col_p"),
                      html.Td(number(r["median"]), className="num-cell"),
                      html.Td(html.Span(tx.verdict(r["verdict"], lang),
                                        className="chip " + str(r["verdict"]).replace(" ", "-")))]
        body.append(html.Tr(cells, **{"data-target": str(tid)}))
    return html.Table([head, html.Tbody(body)], className="targets compare-table", id="compare-result")


def _tone(change: str) -> str:
    return "up" if change.startswith("+") else "down" if change.startswith("-") else "same"


def assumptions(scenario, policy: list[str], lang: str):
    """The scenario's lever settings that are not policy levers (e.g. GDP growth), read-only."""
    items = []
    for name, lever in scenario.levers.items():
        if name in policy:
            continue
        info = LEVERS.get(name)
        label = (info.zh if lang == "zh" else info.en) if info else name
        unit = (info.zh_unit if lang == "zh" else info.unit) if info else ""
        text = tx.describe(lever.spec, lang)
        if lever.uncertainty:
            kind, lo, hi = lever.uncertainty
            text += " · " + tx.t("uncertain", lang, kind=tx.form(kind, lang), low=f"{lo:g}", high=f"{hi:g}")
        items.append(html.Li([html.Span(label, className="a-name"), f" ({unit}): {text}"]))
    if not items:
        return None
    return html.Div([html.H3(tx.t("assumptions", lang)), html.Ul(items)])


def costs(view, lang: str):
    """What the changed levers spend beyond the opened scenario (亿元), one line each and the total."""
    if not view.costs or view.budget_years is None:
        return None
    first, last = view.budget_years
    unit = "亿元" if lang == "zh" else "CNY 100m"
    lines = []
    for name, value in view.costs.items():
        info = LEVERS.get(name)
        label = (info.zh if lang == "zh" else info.en) if info else name
        shown = tx.t("cost_unknown", lang) if value != value else f"{signed(value, max(abs(value), 1.0))} {unit}"
        lines.append(html.Li([html.Span(label), html.Span(shown, className="cost")]))
    known = [v for v in view.costs.values() if v == v]
    if len(view.costs) > 1 and known:
        total = sum(known)
        lines.append(html.Li([html.Span(tx.t("cost_total", lang)),
                              html.Span(f"{signed(total, max(abs(total), 1.0))} {unit}", className="cost")],
                             className="total"))
    return html.Div([html.H3(tx.t("costs", lang, first=first, last=last)), html.Ul(lines),
                     html.Div(tx.t("cost_note", lang), className="help")], id="costs-box")


def not_represented(scenario, lang: str):
    """The plan targets the model cannot judge, each with its reason (collapsed)."""
    items = scenario.not_represented
    if not items:
        return None
    return html.Details(className="card not-rep", children=[
        html.Summary(tx.t("not_represented", lang, n=len(items))),
        html.Ul([html.Li([html.Span(str(i.get("text") or i.get("id", "")), className="a-name"),
                          html.Span(" — " + str(i["reason"]), className="reason")]) for i in items]),
    ])


def meta(view, scenario, lang: str):
    """The line under the header: data vintage, ensemble size and seed, decision year, the scenario's description."""
    vintage = tx.t("vintage", lang, year=view.vintage) if view.vintage else tx.t("no_vintage", lang)
    parts = [html.Span(vintage, className="badge vintage", id="vintage"),
             html.Span(tx.t("members", lang, n=number(view.samples), seed=view.seed), className="badge"),
             html.Span(f"{tx.t('decision_year', lang)} {view.decision_year}", className="badge")]
    text = (scenario.zh or {}).get("description") if lang == "zh" else None      # the Chinese twin, when written
    return [html.Div(parts, className="badges"), html.P(text or scenario.description, className="description")]
