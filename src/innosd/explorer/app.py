"""The Dash app: the page's layout and callbacks, and a local server for it.

Every callback reads the tab's own settings from the page (lever inputs, decision year, language)
and keeps none on the server, so tabs are independent; the server shares only the compiled model,
the validated scenario files and a few judged runs (:class:`~innosd.explorer.view.Explorer`).
Scripts and styles come from the Dash and Plotly packages and ``assets/``; the Chinese font is the
Noto Sans CJK file the ``mplfonts`` package ships, served from this app. Nothing is fetched from
the internet.
"""

from __future__ import annotations

import itertools
import logging
import socket
import threading
import time
from pathlib import Path

import dash
from dash import ALL, MATCH, Input, Output, State, ctx, dcc, html, no_update

from .. import paths
from ..errors import UserError
from . import layout, tables
from . import text as tx
from .publish import report, save
from .settings import apply, policy_levers
from .view import Explorer
from .workspace import Workspace

ASSETS = Path(__file__).parent / "assets"
FONT_ROUTE = "/_innosd/fonts/cjk.otf"
DEFAULT_SCENARIO = "tianjin-2027-plan"
#: Numbers every answer of the update callback (the status line's data-stamp), so a test sees each one arrive.
_STAMPS = itertools.count(1)


def create_app(project: paths.Project | None = None, warm: bool = True) -> dash.Dash:
    """The explorer's Dash app for ``project`` (default: the current one).

    Parameters
    ----------
    project : innosd.paths.Project, optional
        Whose scenarios folder, model and calibration the page uses.
    warm : bool
        Compile the model and run the opening scenario once now, in this thread: the page then opens
        at once, and no two requests race to import a module for the first time (the server is threaded).

    Returns
    -------
    dash.Dash
        ``app.server`` is its Flask (WSGI) application; ``app.explorer`` the shared :class:`Explorer`.
    """
    ws = Workspace(project or paths.current())
    explorer = Explorer(ws)
    app = dash.Dash(__name__, title="innosd explorer", assets_folder=str(ASSETS), serve_locally=True,
                    update_title=None, suppress_callback_exceptions=True)
    app.explorer = explorer

    def page():
        names = ws.names()
        default = DEFAULT_SCENARIO if DEFAULT_SCENARIO in names else (names[0] if names else "")
        return layout.page(names, default)

    app.layout = page  # a function: every page load lists the folder as it is now
    _font_route(app)
    _callbacks(app, explorer)
    if warm:
        warm_up(app)
    return app


def warm_up(app: dash.Dash) -> None:
    """Import, compile and run now, in this thread, what the page's first requests need (see :func:`create_app`)."""
    import PIL.Image  # noqa: F401  (Plotly's JSON encoder looks for it: a half-imported one breaks a request)
    from plotly.io.json import to_json_plotly

    to_json_plotly(app.layout())
    name = app.explorer.workspace.names()
    opening = DEFAULT_SCENARIO if DEFAULT_SCENARIO in name else (name[0] if name else None)
    if opening:
        try:
            _, controls, _, year = app.explorer.opened(opening)
            update_outputs(app.explorer, opening, {}, year, "zh", [c.name for c in controls])
        except UserError:
            pass  # the page shows the problem when it opens


def _font_route(app) -> None:
    from flask import abort, send_file

    from ..fonts import cjk_font_file

    @app.server.route(FONT_ROUTE)
    def cjk_font():
        file = cjk_font_file()
        if file is None:
            abort(404)
        return send_file(file, mimetype="font/otf", max_age=86400)


def _values(items) -> dict:
    """{lever: value} from a pattern-matching list of inputs or states."""
    return {i["id"]["lever"]: i.get("value") for i in items}


def _callbacks(app, explorer: Explorer) -> None:
    """Register every callback of the page."""
    _language(app)
    _panel(app, explorer)
    _update(app, explorer)
    _files(app, explorer)
    _compare(app, explorer)


def _language(app) -> None:
    """The language switch and the static words."""

    @app.callback(Output("lang", "data"), Output("lang-button", "children"),
                  Input("lang-button", "n_clicks"), State("lang", "data"), prevent_initial_call=True)
    def switch_language(_, lang):
        new = "en" if lang == "zh" else "zh"
        return new, tx.t("lang", new)

    @app.callback(Output({"t": ALL}, "children"), Output("tab-explore", "label"), Output("tab-compare", "label"),
                  Output("save-name", "placeholder"), Input("lang", "data"))
    def translate(lang):
        keys = [o["id"]["t"] for o in ctx.outputs_list[0]]
        return ([tx.t(k, lang) for k in keys], tx.t("tab_explore", lang), tx.t("tab_compare", lang),
                tx.t("save_placeholder", lang))


def _panel(app, explorer: Explorer) -> None:
    """The lever panel of the opened scenario, and each slider kept in step with its box (in the browser)."""
    ws = explorer.workspace

    @app.callback(Output("lever-panel", "children"), Output("panel-scenario", "data"), Output("year", "value"),
                  Output("assumptions", "children"), Output("not-represented", "children"),
                  Output("open-msg", "children"), Output("scenario", "value"),
                  Input("scenario", "value"), Input("reset", "n_clicks"), Input("lang", "data"),
                  State({"role": "value", "lever": ALL}, "value"), State("year", "value"),
                  State("panel-scenario", "data"))
    def open_scenario(name, _, lang, values, year, shown):
        try:
            sc, controls, _, default_year = explorer.opened(name)
        except UserError as exc:  # a file of the folder that is not a valid scenario: say so, keep what is shown
            return (no_update,) * 5 + (_error(exc, lang), shown or no_update)
        keep = ctx.triggered_id == "lang" and shown == name  # a language switch keeps the tab's values
        current = _values(ctx.states_list[0]) if keep else {}
        year = year if keep and year else default_year
        try:
            note_year = int(float(year))
        except (TypeError, ValueError):
            note_year = default_year
        return (layout.lever_panel(controls, current, note_year, lang), name, str(year),
                tables.assumptions(sc, policy_levers(ws.model()), lang), tables.not_represented(sc, lang), "",
                no_update)

    app.clientside_callback(
        """function(slider, typed, lo, hi) {
            const nu = window.dash_clientside.no_update;
            const trig = window.dash_clientside.callback_context.triggered_id;
            if (trig && trig.role === 'slider') {
                return [String(Number(slider.toPrecision(10))), nu];
            }
            const v = Number(String(typed ?? '').normalize('NFKC').replace(/[,，\\s]/g, ''));
            if (String(typed ?? '').trim() !== '' && Number.isFinite(v) && v >= lo && v <= hi) { return [nu, v]; }
            return [nu, nu];
        }""",
        Output({"role": "value", "lever": MATCH}, "value"), Output({"role": "slider", "lever": MATCH}, "value"),
        Input({"role": "slider", "lever": MATCH}, "value"), Input({"role": "value", "lever": MATCH}, "value"),
        State({"role": "slider", "lever": MATCH}, "min"), State({"role": "slider", "lever": MATCH}, "max"),
        prevent_initial_call=True,
    )


def _update(app, explorer: Explorer) -> None:
    """The update after each change: run the settings and redraw the table, the fan charts and the messages."""

    @app.callback(Output("table", "children"), Output("fans", "figure"), Output("meta", "children"),
                  Output({"role": "msg", "lever": ALL}, "children"),
                  Output({"role": "card", "lever": ALL}, "className"),
                  Output({"role": "note", "lever": ALL}, "children"), Output("year-msg", "children"),
                  Output("status", "children"), Output("costs", "children"),
                  Input({"role": "value", "lever": ALL}, "value"), Input("year", "value"), Input("lang", "data"),
                  Input("panel-scenario", "data"),
                  State({"role": "msg", "lever": ALL}, "children"), State({"role": "card", "lever": ALL}, "className"))
    def update(values, year, lang, name, shown_msgs, shown_classes):
        if not name:
            raise dash.exceptions.PreventUpdate
        # a lever change leaves the header and the notes under the levers as they are (less for the page to redraw)
        triggered = list(ctx.triggered_prop_ids.values())
        lever_only = bool(triggered) and all(isinstance(t, dict) for t in triggered)
        out = list(update_outputs(explorer, name, _values(ctx.inputs_list[0]), year, lang,
                                  [o["id"]["lever"] for o in ctx.outputs_list[3]], lever_only))
        for i, shown in ((3, shown_msgs), (4, shown_classes)):  # send only what differs from the page
            out[i] = [no_update if new == old or (not new and not old) else new
                      for new, old in zip(out[i], shown, strict=True)]
        return tuple(out)


def _files(app, explorer: Explorer) -> None:
    """Save as scenario, and the PDF report."""
    ws = explorer.workspace

    @app.callback(Output("save-msg", "children"), Output("scenario", "options"), Output("compare-a", "options"),
                  Output("compare-b", "options"),
                  Input("save", "n_clicks"), State("save-name", "value"), State("save-description", "value"),
                  State({"role": "value", "lever": ALL}, "value"), State("year", "value"),
                  State("panel-scenario", "data"), State("lang", "data"), prevent_initial_call=True)
    def save_scenario(_, name, description, values, year, base, lang):
        try:
            path = save(explorer, base, year, _values(ctx.states_list[2]), name, description or "", lang)
        except UserError as exc:
            return _error(exc, lang), no_update, no_update, no_update
        names = ws.names()
        shown = f"scenarios/{path.name}"
        return html.Span(tx.t("saved", lang, path=shown), className="ok", id="saved-path"), names, names, names

    @app.callback(Output("download", "data"), Output("save-msg", "children", allow_duplicate=True),
                  Input("report", "n_clicks"), State("save-name", "value"), State("save-description", "value"),
                  State({"role": "value", "lever": ALL}, "value"), State("year", "value"),
                  State("panel-scenario", "data"), State("lang", "data"), prevent_initial_call=True)
    def write_report(_, name, description, values, year, base, lang):
        try:
            target = base
            sc = explorer.opened(base)[0]
            applied = apply(sc, ws.model(), year, _values(ctx.states_list[2]), lang)
            if applied.entries or not applied.ok:  # the report is of a scenario file: save the settings first
                target = save(explorer, base, year, _values(ctx.states_list[2]), name or "", description or "",
                              lang).stem
            pdf = report(explorer, target, lang)
        except UserError as exc:
            return no_update, _error(exc, lang)
        shown = pdf.relative_to(ws.project.root) if pdf.is_relative_to(ws.project.root) else pdf
        return dcc.send_file(str(pdf)), html.Span(tx.t("report_written", lang, path=str(shown)), className="ok")


def _compare(app, explorer: Explorer) -> None:
    """Two scenarios of the folder side by side."""
    ws = explorer.workspace

    @app.callback(Output("compare-table", "children"), Input("compare-a", "value"), Input("compare-b", "value"),
                  Input("lang", "data"), Input("tabs", "value"))
    def compare(a, b, lang, tab):
        if tab != "compare" or not a or not b:
            return no_update
        from ..compare import compare_scenarios
        from .workspace import scenario_file

        try:
            files = [scenario_file(ws.folder, n, exists=True) for n in (a, b)]
            with paths.use(ws.project):
                table = compare_scenarios(files)
        except UserError as exc:
            return _error(exc, lang)
        return tables.compare_table(table, lang)


def update_outputs(explorer: Explorer, name: str, values: dict, year, lang: str, order: list[str],
                   lever_only: bool = False) -> tuple:
    """The outputs of the page's update callback for one tab's settings (also timed by the benchmark).

    Parameters
    ----------
    explorer : Explorer
    name : str
        The opened scenario.
    values : dict
        Lever -> value as typed or set with the slider.
    year : str
        The decision year as typed.
    lang : {"zh", "en"}
    order : list of str
        The levers in the order of the page's per-lever outputs.
    lever_only : bool
        True when only lever values changed: the header line and the notes under the levers stay.
    """
    start = time.perf_counter()
    try:
        view = explorer.update(name, year, values, lang)
    except UserError as exc:
        blank = [""] * len(order)
        return (_error(exc, lang), no_update, no_update, blank, ["lever"] * len(order), [no_update] * len(order), "",
                "", None)
    applied = view.applied
    msgs = [applied.errors.get(n, "") for n in order]
    classes = ["lever" + (" bad" if n in applied.errors else " changed" if n in applied.entries else "")
               for n in order]
    sc, controls, _, _ = explorer.opened(name)
    by_name = {c.name: c for c in controls}
    note_year = view.decision_year
    notes = [layout.note(by_name[n], note_year, lang) if n in by_name else "" for n in order]
    if lever_only:
        notes = [no_update] * len(order)
    if not view.ok:
        return (no_update, no_update, no_update, msgs, classes, notes, applied.year_error or "",
                html.Span(tx.t("not_updated", lang), className="warn", **{"data-stamp": next(_STAMPS)}), no_update)
    ms = (time.perf_counter() - start) * 1000
    # data-run names the settings the results are for (the page's tests and benchmark wait for it to change)
    status = html.Span(tx.t("updated", lang, ms=f"{ms:.0f}"), className="ok", id="updated",
                       **{"data-run": view.run_id, "data-stamp": next(_STAMPS)})
    meta = no_update if lever_only else tables.meta(view, sc, lang)
    table = tables.target_table(view.rows, lang, sc.on_track, sc.off_track)
    return table, view.figure, meta, msgs, classes, notes, "", status, tables.costs(view, lang)


def _error(exc: UserError, lang: str = "zh"):
    from ..errors import InputError
    from .workspace import message

    text = message(exc, lang) if isinstance(exc, InputError) else exc.line().removeprefix("error: ")
    return html.Span(text, className="error", id="error")


class Server:
    """The app served on ``host:port`` by Werkzeug's threaded WSGI server, in a background thread.

    Parameters
    ----------
    app : dash.Dash
    host : str
        The address to bind (127.0.0.1: this computer only).
    port : int
        The port; 0 picks a free one.
    """

    def __init__(self, app: dash.Dash, host: str = "127.0.0.1", port: int = 8050):
        from werkzeug.serving import make_server

        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, socket.SOCK_STREAM) as sock:  # bound here: a busy port is an OSError
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(address)
            sock.listen(128)
            self._server = make_server(host, sock.getsockname()[1], app.server, threaded=True, fd=sock.fileno())
        self.host, self.port = host, self._server.port
        self._thread = threading.Thread(target=self._server.serve_forever, name="innosd-explorer", daemon=True)

    @property
    def url(self) -> str:
        """The page's address."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{host}:{self.port}/"

    def start(self) -> Server:
        """Serve in the background; returns self."""
        self._serving = True
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until interrupted."""
        self._serving = True
        self._server.serve_forever()

    def stop(self) -> None:
        """Stop serving (when serving) and release the port."""
        if getattr(self, "_serving", False):
            self._server.shutdown()  # waits for the serving loop to end: only when one runs
            self._serving = False
        self._server.server_close()
