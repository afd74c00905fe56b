"""What the findings rest on: calibration (fit plots, fit table, identifiability) and sensitivity."""

from __future__ import annotations

import yaml

from ..indicators import INDICATORS
from ..observed import history
from . import analysis, charts
from . import text as tx
from .layout import MUTED, VERDICT_COLORS, Cell, Col, Flow
from .tables import frame_rows

GRID_COLS = 3
FIT_ROW = 150.0
PANEL_ROW = 200.0


def _flow(doc, ctx, key: str) -> Flow:
    return Flow(doc, key, tx.section_title(key, ctx.lang), continued=tx.t("continued", ctx.lang))


# ---------------------------------------------------------------- 6 calibration

FIT_COLUMNS = ["series", "sample", "n", "years", "observed", "model", "baseline", "model_mape", "baseline_mape",
               "model_theil_u", "baseline_theil_u", "model_r2", "baseline_r2"]


def calibration(doc, ctx) -> None:
    lang, res = ctx.lang, ctx.result
    f = _flow(doc, ctx, "calibration")
    fit_table, fit = analysis.fit_files()
    f.need(40)
    f.para(tx.t("cal_posterior", lang, label=res.calibration.label), size=8.5)
    if fit_table is None and fit is None:
        f.para(tx.t("cal_none", lang), size=9)
    if fit:
        rows = _fit_summary(fit, lang)
        if rows:
            f.table([Col("", 1.2), Col("", 4.6)], rows, size=7, header=False)
    series = [ind for ind in INDICATORS if ind in res.data and len(history(ctx.scenario.region, ind))]
    end = ctx.data_year or ctx.scenario.start
    if series:
        f.heading(tx.t("cal_fit_plots", lang), size=10, keep=FIT_ROW, mark=True)
        f.para(tx.t("cal_fit_intro", lang, end=end), size=7.5, color=MUTED, after=2)
        for i in range(0, len(series), GRID_COLS):
            page, top = f.block(FIT_ROW)
            w = (page.width - 30) / GRID_COLS
            for j, ind in enumerate(series[i:i + GRID_COLS]):
                ax = page.axes(page.left + 28 + j * (w + 1), top + 26, w - 34, FIT_ROW - 50)
                charts.fit_plot(ax, res, ind, lang, end)
    else:
        f.para(tx.t("cal_no_history", lang), size=9)

    f.heading(tx.t("cal_fit_table", lang), size=10, mark=True)
    if fit_table is None or fit_table.empty:
        f.para(tx.t("cal_no_fit_table", lang), size=9)
    else:
        f.para(tx.t("cal_fit_table_note", lang), size=7.5, color=MUTED)
        shown = [c for c in FIT_COLUMNS if c in fit_table.columns]
        cols, rows = frame_rows(fit_table[shown] if len(shown) >= 4 else fit_table, max_cols=13)
        f.table(cols, rows, size=6.3)

    f.heading(tx.t("cal_ident", lang), size=10, mark=True)
    ident = (fit or {}).get("identifiability")
    params = (fit or {}).get("parameters")
    if not fit:
        f.para(tx.t("cal_no_fit_yaml", lang), size=9)
    elif not ident and not isinstance(params, dict):
        f.para(tx.t("cal_no_ident", lang), size=9)
    else:
        if isinstance(ident, dict):
            if ident.get("rule"):
                f.para(tx.t("cal_ident_rule", lang, rule=ident["rule"]), size=8)
            for key, label in (("identified", "cal_identified"), ("prior_dominated", "cal_prior_dominated")):
                names = ident.get(key)
                if isinstance(names, list):
                    f.para(tx.t(label, lang, n=len(names), names=", ".join(map(str, names)) or "–"), size=7.5)
        f.para(tx.t("cal_ident_table", lang), size=7.5, color=MUTED)

    residuals = ((fit or {}).get("map") or {}).get("residuals")
    if isinstance(residuals, list) and residuals and all(isinstance(r, dict) for r in residuals):
        f.heading(tx.t("cal_residuals", lang), size=10, mark=True)
        f.para(tx.t("cal_residuals_note", lang, n=len(residuals)), size=7.5, color=MUTED)
        cols = [Col(str(k), 1.0 if k != "series" else 2.2, "left" if k == "series" else "right")
                for k in residuals[0]]
        rows = []
        for r in residuals:
            if isinstance(r.get("z"), (int, float)) and abs(r["z"]) <= 1:
                continue
            row = []
            for k in residuals[0]:
                v = r.get(k, "")
                cell = _yaml_value(v)
                if k == "z" and isinstance(v, (int, float)) and abs(v) > 2:
                    cell = Cell(cell, color=VERDICT_COLORS["off track"])
                row.append(cell)
            rows.append(row)
        f.table(cols, rows, size=6.3)


def _fit_summary(fit: dict, lang: str) -> list[list]:
    """Key facts of fit.yaml: likelihood, priors, data, MAP fit, sampler and its diagnostics."""
    rows = []
    for key in ("likelihood", "priors"):
        if fit.get(key):
            rows.append([key, _yaml_value(fit[key])])
    data = fit.get("data")
    if isinstance(data, dict):
        rows.append(["data", ", ".join(f"{k} {_yaml_value(v)}" for k, v in data.items())])
    mp = fit.get("map")
    if isinstance(mp, dict):
        rows.append(["MAP", ", ".join(f"{k} {_yaml_value(v)}" for k, v in mp.items()
                                      if not isinstance(v, (list, dict)))])
    diag = fit.get("diagnostics")
    if isinstance(diag, dict):
        if diag.get("sampler"):
            rows.append(["sampler", str(diag["sampler"])])
        keys = [k for k, v in diag.items() if k != "sampler" and not isinstance(v, (list, dict))]
        text = ", ".join(f"{k} {_yaml_value(diag[k])}" for k in keys)
        converged = diag.get("converged")
        rows.append(["diagnostics", Cell(text, color=VERDICT_COLORS["at risk"]) if converged is False else text])
    settings = fit.get("settings")
    if isinstance(settings, dict):
        rows.append(["settings", ", ".join(f"{k} {_yaml_value(v)}" for k, v in settings.items())])
    return rows


def _yaml_value(v) -> str:
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, float):
        return tx.fmt_num(v)
    if isinstance(v, (dict, list)):
        return yaml.safe_dump(v, allow_unicode=True, default_flow_style=True, sort_keys=False, width=10_000).strip()
    return str(v)


# ---------------------------------------------------------------- 7 sensitivity

def sensitivity(doc, ctx) -> None:
    lang, sc, res = ctx.lang, ctx.scenario, ctx.result
    f = _flow(doc, ctx, "sensitivity")
    f.need(40)
    found = analysis.sensitivity_file(sc.name)
    targets = list(sc.targets)
    panels = []  # (title, subtitle, names, values, errors, signed, xlabel, message)
    if found:
        shown, df, metric = found
        ctx.extra["sensitivity"] = shown
        f.para(tx.t("sens_files", lang, file=shown, metric=metric, k=analysis.TOP_DRIVERS), size=8.5)
        conf = f"{metric}_conf" if f"{metric}_conf" in df.columns else None
        for t in targets:
            rows = analysis.drivers_from_file(df, metric, t)
            sub = tx.indicator_label(t.indicator, lang, short=True)
            if rows.empty:
                listed = (df.output.astype(str) == t.id).any()
                panels.append((t.id, sub, [], [], None, False, metric,
                               tx.t("sens_no_var" if listed else "sens_none_for", lang)))
                continue
            errs = list(rows[conf].fillna(0).abs()) if conf else None
            panels.append((t.id, sub, list(rows.parameter.astype(str)), list(rows[metric].astype(float)), errs,
                           False, metric, ""))
    else:
        ctx.extra["sensitivity"] = None
        inputs = analysis.varying_inputs(res, ctx.model)
        has_levers = any(c.endswith(("(shift)", "(scale)")) for c in inputs.columns)
        f.para(tx.t("sens_spearman", lang, name=sc.name, k=analysis.TOP_DRIVERS,
                    levers=tx.t("sens_levers", lang) if has_levers else ""), size=8.5)
        if inputs.shape[1] == 0:
            f.para(tx.t("sens_no_inputs", lang), size=9)
            return
        f.para(tx.t("sens_varying", lang, names=", ".join(inputs.columns)), size=7, color=MUTED)
        rho = analysis.spearman(inputs, analysis.target_values(res))
        for t in targets:
            sub = tx.indicator_label(t.indicator, lang, short=True)
            s = rho[t.id].head(analysis.TOP_DRIVERS)
            if s.empty:
                panels.append((t.id, sub, [], [], None, True, "", tx.t("sens_no_var", lang)))
            else:
                panels.append((t.id, sub, list(s.index), list(s.values), None, True, "Spearman ρ", ""))
    for i in range(0, len(panels), 2):
        page, top = f.block(PANEL_ROW)
        w = page.width / 2
        for j, (title, sub, names, values, errs, signed, xlabel, message) in enumerate(panels[i:i + 2]):
            ax = page.axes(page.left + j * w + 110, top + 24, w - 140, PANEL_ROW - 62)
            if not names:
                charts.empty_panel(ax, title, message, sub)
            else:
                charts.driver_bars(ax, names, values, title, xlabel, signed=signed, errors=errs, subtitle=sub)
