"""The page's components: header, lever panel, target table, compare view (Dash components, no callbacks).

Static words carry the id ``{"t": KEY}`` and are filled in the chosen language by a callback;
every lever has ``{"role": ROLE, "lever": NAME}`` ids (slider, value, msg, note, label).
"""

from __future__ import annotations

from dash import dcc, html

from ..display import number
from ..indicators import LEVERS
from . import text as tx


def phrase(key: str, tag=html.Span, **kw):
    """A static phrase the language switch fills in (``{"t": key}``)."""
    return tag(tx.t(key, "zh"), id={"t": key}, **kw)


def page(names: list[str], default: str):
    """The whole page, opened on scenario ``default`` of ``names``."""
    return html.Div(className="app", children=[
        html.Header(className="bar", children=[
            html.Div(className="brand", children=[
                html.Div("innosd", className="logo"),
                html.Div([phrase("title", html.H1), phrase("subtitle", html.P, className="sub")]),
            ]),
            html.Div(className="pick", children=[
                html.Label([phrase("scenario")], htmlFor="scenario"),
                dcc.Dropdown(id="scenario", options=names, value=default, clearable=False, searchable=True,
                             className="scenario-pick"),
                html.Button(tx.t("lang", "zh"), id="lang-button", className="lang", n_clicks=0),
                dcc.Store(id="lang", data="zh"),
                dcc.Store(id="panel-scenario"),  # the scenario the lever panel was built for
            ]),
        ]),
        html.Div(id="open-msg", className="open-msg", role="alert"),
        html.Div(id="meta", className="meta"),
        dcc.Tabs(id="tabs", value="explore", className="tabs", parent_className="tabs-wrap", children=[
            dcc.Tab(label=tx.t("tab_explore", "zh"), value="explore", id="tab-explore", children=explore(),
                    className="tab", selected_className="tab--selected"),
            dcc.Tab(label=tx.t("tab_compare", "zh"), value="compare", id="tab-compare",
                    children=compare(names, default),
                    className="tab", selected_className="tab--selected"),
        ]),
        html.Footer(phrase("footer"), className="footer"),
    ])


def explore():
    """The explore tab: lever panel (left), target table and fan charts (right)."""
    return html.Div(className="grid", children=[
        html.Aside(className="panel", children=[
            phrase("levers", html.H2),
            html.Div(className="year-row", children=[
                html.Label(phrase("decision_year"), htmlFor="year"),
                dcc.Input(id="year", type="text", debounce=True, className="num year", inputMode="numeric"),
                html.Div(id="year-msg", className="msg", role="alert"),
                phrase("decision_year_help", html.Div, className="help"),
            ]),
            html.Div(id="lever-panel"),
            html.Div(id="costs", className="costs"),
            html.Button(phrase("reset"), id="reset", className="button ghost", n_clicks=0),
            html.Div(id="assumptions", className="assumptions"),
            html.Div(className="save", children=[
                html.Label(phrase("save_name"), htmlFor="save-name"),
                dcc.Input(id="save-name", type="text", className="text", placeholder=tx.t("save_placeholder", "zh"),
                          debounce=False),
                html.Label(phrase("save_description"), htmlFor="save-description"),
                dcc.Input(id="save-description", type="text", className="text", debounce=False),
                html.Div(className="buttons", children=[
                    html.Button(phrase("save"), id="save", className="button", n_clicks=0),
                    html.Button(phrase("report"), id="report", className="button secondary", n_clicks=0),
                ]),
                dcc.Loading(html.Div(id="save-msg", className="msg-line", role="status"), type="dot"),
                dcc.Download(id="download"),
            ]),
        ]),
        html.Main(className="results", children=[
            html.Section(className="card", children=[
                html.Div(className="card-head", children=[phrase("targets", html.H2),
                                                          html.Span(id="status", className="status")]),
                html.Div(id="table"),
            ]),
            html.Section(className="card", children=[
                phrase("charts", html.H2),
                dcc.Graph(id="fans", config={"displaylogo": False,
                                             "modeBarButtonsToRemove": ["select2d", "lasso2d"]}),
            ]),
            html.Div(id="not-represented"),
        ]),
    ])


def compare(names: list[str], default: str):
    """The compare tab: two scenarios of the folder side by side."""
    other = next((n for n in names if n != default and n.startswith(default.rsplit("-", 1)[0])), default)
    return html.Div(className="compare", children=[
        phrase("compare_help", html.P, className="help"),
        html.Div(className="compare-pick", children=[
            html.Div([html.Label(phrase("compare_a")), dcc.Dropdown(id="compare-a", options=names, value=default,
                                                                   clearable=False)]),
            html.Div([html.Label(phrase("compare_b")), dcc.Dropdown(id="compare-b", options=names, value=other,
                                                                   clearable=False)]),
        ]),
        dcc.Loading(html.Div(id="compare-table", className="card"), type="dot"),
    ])


def lever_panel(controls, values: dict, year: int, lang: str):
    """One card per lever control, with ``values`` (name -> value) in the inputs."""
    cards = []
    for c in controls:
        lever = LEVERS.get(c.name)
        label = (lever.zh if lang == "zh" else lever.en) if lever else c.name
        unit = (lever.zh_unit if lang == "zh" else lever.unit) if lever else ""
        value = values.get(c.name, c.value)
        cards.append(html.Div(className="lever", id={"role": "card", "lever": c.name}, children=[
            html.Div(className="lever-head", children=[
                html.Span([label, html.Span(f" （{unit}）" if lang == "zh" else f" ({unit})", className="unit")],
                          className="lever-name"),
            ]),
            html.Div(className="lever-row", children=[
                dcc.Slider(id={"role": "slider", "lever": c.name}, min=c.low, max=c.high, step=c.step,
                           value=_clip(value, c), marks=None, allow_direct_input=False, updatemode="mouseup",
                           disabled=not c.editable, className="slider", tooltip={"always_visible": False}),
                dcc.Input(id={"role": "value", "lever": c.name}, type="text", value=_shown(value), debounce=True,
                          className="num", disabled=not c.editable, inputMode="decimal", name=c.name),
            ]),
            html.Div(className="note-row", children=[
                html.Span(note(c, year, lang), className="note", id={"role": "note", "lever": c.name}),
                html.Span(c.name, className="lever-alt", title=tx.t("yaml_name", lang)),
            ]),
            html.Div(className="msg", id={"role": "msg", "lever": c.name}, role="alert"),
        ]))
    return cards


def note(c, year: int, lang: str) -> str:
    """Under a lever: its range, from when a new value acts, and its uncertainty."""
    parts = [f"{tx.t('range', lang)} {number(c.low)}–{number(c.high)}"]
    if not c.editable:
        parts.append(tx.t("growth_fixed", lang))
    elif c.form is None:
        parts.append(tx.t("from_decision", lang, year=year))
    else:
        parts.append(tx.t("from_scenario", lang, year=c.first_year, form=tx.form(c.form, lang)))
    unc = c.uncertainty
    if isinstance(unc, dict) and unc:
        kind, (lo, hi) = next(iter(unc.items()))
        parts.append(tx.t("uncertain", lang, kind=tx.form(kind, lang), low=f"{lo:g}", high=f"{hi:g}"))
    return " · ".join(parts)


def _clip(value, c) -> float:
    try:
        return min(max(float(value), c.low), c.high)
    except (TypeError, ValueError):
        return c.value


def _shown(value) -> str:
    """A lever value in its input box: plain, no separators, no trailing zeros."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{v:.10g}"
