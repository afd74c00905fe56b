"""What the findings rest on: calibration (fit plots, fit table, identifiability) and sensitivity."""

from __future__ import annotations

import yaml

from .. import runfolder as rf
from ..indicators import INDICATORS
from . import analysis, charts
from . import text as tx
from .document import Col, cell
from .fittable import FIT_COLUMNS, fit_rows, series_label
from .tables import frame_rows

FIT_PANELS = 9  # fit panels per figure (three rows of three): a figure never breaks across pages


def calibration(doc, ctx) -> None:
    """Fit plots of every observed series, the fit table, identifiability and the large MAP residuals."""
    lang = ctx.lang
    doc.section("calibration", tx.section_title("calibration", lang))
    fit_table, fit = ctx.fit_files()
    doc.para(tx.t("cal_posterior", lang, label=ctx.calibration_label()), size=8.5)
    if fit_table is None and fit is None:
        doc.para(tx.t("cal_none", lang, cal=ctx.cal), size=9)
    if fit:
        rows = _fit_summary(fit, lang)
        if rows:
            doc.table([Col("", 1.2), Col("", 4.6)], rows, size=7, header=False)
    written = set(ctx.run.trajectories.get("indicator", []))
    series = [ind for ind in INDICATORS if ind in written and len(ctx.history(ind))]
    end = ctx.data_year or ctx.scenario["start"]
    doc.heading(tx.t("cal_fit_plots", lang))
    if series:
        doc.para(tx.t("cal_fit_intro", lang, start=ctx.scenario["start"], end=end), size=7.5, tone="muted")
        for i in range(0, len(series), FIT_PANELS):
            doc.figure(charts.fit_grid(ctx, series[i:i + FIT_PANELS], end))
    else:
        doc.para(tx.t("cal_no_history", lang), size=9)
    doc.heading(tx.t("cal_fit_table", lang))
    if fit_table is None or fit_table.empty:
        doc.para(tx.t("cal_no_fit_table", lang, cal=ctx.cal), size=9)
    else:
        doc.para(tx.t("cal_fit_table_note", lang, cal=ctx.cal), size=7.5, tone="muted")
        shown = [c for c in FIT_COLUMNS if c in fit_table.columns]
        # a table of another layout (fewer of the usual columns) is shown as it is
        cols, rows = fit_rows(fit_table, lang) if len(shown) >= 4 else frame_rows(fit_table, lang)
        doc.table(cols, rows, size=6.3)
    _identifiability(doc, ctx, fit)
    _residuals(doc, ctx, fit)


def _identifiability(doc, ctx, fit) -> None:
    lang = ctx.lang
    doc.heading(tx.t("cal_ident", lang))
    ident = (fit or {}).get("identifiability")
    if not fit:
        doc.para(tx.t("cal_no_fit_yaml", lang, cal=ctx.cal), size=9)
        return
    if not ident and not isinstance(fit.get("parameters"), dict):
        doc.para(tx.t("cal_no_ident", lang, cal=ctx.cal), size=9)
        return
    if isinstance(ident, dict):
        if ident.get("rule"):
            doc.para(tx.t("cal_ident_rule", lang, rule=ident["rule"]), size=8)
        for key, label in (("identified", "cal_identified"), ("prior_dominated", "cal_prior_dominated")):
            names = ident.get(key)
            if isinstance(names, list):
                doc.para(tx.t(label, lang, n=len(names), names=", ".join(map(str, names)) or "–"), size=7.5)
    doc.para(tx.t("cal_ident_table", lang, cal=ctx.cal), size=7.5, tone="muted")


def _residuals(doc, ctx, fit) -> None:
    lang = ctx.lang
    residuals = ((fit or {}).get("map") or {}).get("residuals")
    if not (isinstance(residuals, list) and residuals and all(isinstance(r, dict) for r in residuals)):
        return
    doc.heading(tx.t("cal_residuals", lang))
    doc.para(tx.t("cal_residuals_note", lang, n=len(residuals), cal=ctx.cal), size=7.5, tone="muted")
    keys = list(residuals[0])
    cols = [Col(tx.word("fit_head", str(k), lang), 2.2 if k == "series" else 1.0, "left" if k == "series" else "right")
            for k in keys]
    rows = []
    for r in residuals:
        z = r.get("z")
        if isinstance(z, (int, float)) and abs(z) <= 1:
            continue
        row = [series_label(str(r.get(k, "")), lang) if k == "series" else _yaml_value(r.get(k, "")) for k in keys]
        if isinstance(z, (int, float)) and abs(z) > 2 and "z" in keys:
            row[keys.index("z")] = cell(row[keys.index("z")], tone="off")
        rows.append(row)
    doc.table(cols, rows, size=6.3)


def _fit_summary(fit: dict, lang: str) -> list[list]:
    """Key facts of fit.yaml: likelihood, priors, data, MAP fit, sampler and its diagnostics."""
    rows = []

    def pairs(d: dict) -> str:
        sep = "，" if lang == "zh" else ", "
        return sep.join(f"{tx.word('fit_field', str(k), lang)} {tx.word('fit_field', _yaml_value(v), lang)}"
                        for k, v in d.items() if not isinstance(v, (list, dict)))

    for key in ("likelihood", "priors"):
        if fit.get(key):
            rows.append([tx.word("fit_key", key, lang), _yaml_value(fit[key])])
    data = fit.get("data")
    if isinstance(data, dict):
        rows.append([tx.word("fit_key", "data", lang), pairs(data)])
    mp = fit.get("map")
    if isinstance(mp, dict):
        rows.append([tx.word("fit_key", "map", lang), pairs(mp)])
    diag = fit.get("diagnostics")
    if isinstance(diag, dict):
        if diag.get("sampler"):
            rows.append([tx.word("fit_key", "sampler", lang), str(diag["sampler"])])
        text = pairs({k: v for k, v in diag.items() if k != "sampler"})
        rows.append([tx.word("fit_key", "diagnostics", lang),
                     cell(text, tone="risk") if diag.get("converged") is False else text])
    settings = fit.get("settings")
    if isinstance(settings, dict):
        rows.append([tx.word("fit_key", "settings", lang), pairs(settings)])
    return rows


def _yaml_value(v) -> str:
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, float):
        return tx.fmt_num(v)
    if isinstance(v, (dict, list)):
        return yaml.safe_dump(v, allow_unicode=True, default_flow_style=True, sort_keys=False, width=10_000).strip()
    return str(v)


def sensitivity(doc, ctx) -> None:
    """Main drivers of each target: from a Sobol/Morris result in the run folder, else the run's Spearman table."""
    lang = ctx.lang
    doc.section("sensitivity", tx.section_title("sensitivity", lang))
    command = f"innosd sensitivity {ctx.scenario.get('path', '')}"
    found = ctx.run.sensitivity()
    parsed = analysis.sensitivity_table(found[1]) if found else None
    if parsed:
        panels = _file_panels(doc, ctx, found[0], *parsed)
    else:
        ctx.extra["sensitivity"] = None
        drivers = ctx.run.table(rf.DRIVERS)
        if drivers is None:
            doc.para(tx.t("sens_missing", lang, command=command), size=9)
            return
        levers = any(str(i).endswith(("(shift)", "(scale)")) for i in drivers.input)
        doc.para(tx.t("sens_spearman", lang, command=command, k=analysis.TOP_DRIVERS,
                      levers=tx.t("sens_levers", lang) if levers else ""), size=8.5)
        if drivers.empty:
            doc.para(tx.t("sens_no_inputs", lang), size=9)
            return
        names = [_input_label(str(i), lang) for i in dict.fromkeys(drivers.input)]
        doc.para(tx.t("sens_varying", lang, names=", ".join(names)), size=7, tone="muted")
        panels = []
        for r in ctx.table.itertuples():
            rows = drivers[drivers.target == r.id].head(analysis.TOP_DRIVERS)
            panels.append({"title": r.id, "subtitle": tx.indicator_label(r.indicator, lang, short=True),
                           "names": [_input_label(str(i), lang) for i in rows.input],
                           "values": list(rows.rho.astype(float)), "errors": None,
                           "signed": True, "xlabel": tx.t("sens_rho", lang), "message": tx.t("sens_no_var", lang)})
    for i in range(0, len(panels), 4):  # at most two rows of panels a figure, so none breaks across pages
        doc.figure(charts.driver_grid(panels[i:i + 4]))


def _input_label(name: str, lang: str) -> str:
    """A varying input as shown: a parameter by name, a lever draw as 'lever (shift)' in ``lang``."""
    for kind in ("shift", "scale"):
        if name.endswith(f" ({kind})"):
            return tx.t(f"draw_{kind}", lang, name=name[: -len(kind) - 3])
    return name


def _file_panels(doc, ctx, name: str, df, metric: str) -> list[dict]:
    lang = ctx.lang
    ctx.extra["sensitivity"] = name
    doc.para(tx.t("sens_files", lang, file=name, metric=tx.t(f"metric_{metric}", lang), k=analysis.TOP_DRIVERS),
             size=8.5)
    conf = f"{metric}_conf" if f"{metric}_conf" in df.columns else None
    panels = []
    for r in ctx.table.itertuples():
        rows = analysis.drivers_from_file(df, metric, r.id, r.indicator)
        listed = (df.output.astype(str) == r.id).any()
        panels.append({"title": r.id, "subtitle": tx.indicator_label(r.indicator, lang, short=True),
                       "names": list(rows.parameter.astype(str)), "values": list(rows[metric].astype(float)),
                       "errors": list(rows[conf].fillna(0).abs()) if conf else None, "signed": False,
                       "xlabel": tx.t(f"metric_{metric}", lang),
                       "message": tx.t("sens_no_var" if listed else "sens_none_for", lang)})
    return panels
