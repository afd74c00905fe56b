"""Reference sections: assumptions, the model, data sources, method notes and reproducibility."""

from __future__ import annotations

from pathlib import Path

from .. import paths
from .. import runfolder as rf
from ..scenario_text import in_language
from . import analysis, charts
from . import text as tx
from .document import Col
from .tables import not_represented_rows, observed_rows, parameter_rows, stock_flow_rows, target_source_rows

LEVERS_PER_FIGURE = 6
MAX_LOOPS = 40           # loops listed (the shortest; model/README.md and `innosd describe` list every one)
DIAGRAM_HEIGHT = 405.0  # points: a landscape A4 page holds the heading, the file line and the diagram


def assumptions(doc, ctx) -> None:
    """The scenario's description and assumptions, the parameter table, lever paths, the scenario file(s)."""
    lang, sc = ctx.lang, ctx.scenario
    doc.section("assumptions", tx.section_title("assumptions", lang))
    translated = lang == "zh" and bool(sc.get("description_zh"))
    doc.heading(tx.t("ass_description" if translated or lang == "en" else "ass_description_orig", lang),
                bookmark=False)
    doc.para(in_language(sc, "description", lang) or "–", size=8.5)
    doc.heading(tx.t("ass_declared", lang), bookmark=False)
    if sc.get("assumptions"):
        doc.bullets(sc["assumptions_zh"] if lang == "zh" and sc.get("assumptions_zh") else sc["assumptions"])
    else:
        doc.para(tx.t("ass_none", lang), size=8.5)
    doc.heading(tx.t("ass_params", lang))
    doc.para(tx.t("ass_params_note", lang, cal=ctx.cal), size=7.5, tone="muted")
    cols, rows = parameter_rows(ctx, analysis.priors(), ctx.fit_files()[1] or {})
    doc.table(cols, rows, size=6.3)
    levers = ctx.run.table(rf.LEVERS)
    if levers is not None and len(levers):
        doc.heading(tx.t("ass_levers", lang))
        doc.para(tx.t("ass_levers_note", lang), size=7.5, tone="muted")
        names = list(dict.fromkeys(levers.lever))
        for i in range(0, len(names), LEVERS_PER_FIGURE):
            doc.figure(charts.lever_grid(ctx, levers, names[i:i + LEVERS_PER_FIGURE]))
    for k, f in enumerate(sc.get("files", [])):
        doc.heading(tx.t("ass_yaml" if k == 0 else "ass_yaml_base", lang) + f": {Path(f['path']).name}",
                    bookmark=k == 0)
        doc.code(f["text"].rstrip("\n"))


def diagram(model_dir: Path, stem: str, lang: str) -> Path | None:
    """The diagram ``stem`` in ``lang``: ``<stem>_zh.svg`` (Chinese) or ``<stem>.svg``, else the same as .png."""
    names = ([f"{stem}_zh"] if lang == "zh" else []) + [stem]
    for suffix in (".svg", ".png"):
        for name in names:
            p = model_dir / f"{name}{suffix}"
            if p.is_file():
                return p
    return None


def model(doc, ctx) -> None:
    """The model's stock-and-flow diagram (and causal-loop diagram when drawn), its loops and stocks."""
    lang, prov = ctx.lang, ctx.prov
    model_path = paths.ROOT / ctx.scenario.get("model_path", "model/tianjin_innovation.mdl")
    doc.section("model", tx.section_title("model", lang))
    doc.para(tx.t("mod_file", lang, file=prov.get("model_file", model_path.name), sha=prov.get("model_sha256", "")),
             size=7, tone="muted")
    structure = diagram(model_path.parent, "structure", lang)
    loops_png = diagram(model_path.parent, "loops", lang)
    if structure or loops_png:
        doc.landscape()
        if structure:
            doc.heading(tx.t("mod_diagram", lang))
            doc.image(structure, width=1.0, height=DIAGRAM_HEIGHT)
        if loops_png:
            doc.heading(tx.t("mod_loops_diagram", lang))
            doc.image(loops_png, width=1.0, height=DIAGRAM_HEIGHT)
        doc.portrait()
    else:
        doc.para(tx.t("mod_no_diagram", lang), size=9)
    record = ctx.run.structure
    if record is None:
        doc.para(tx.t("mod_no_structure", lang, command=f"innosd run {ctx.scenario.get('path', '')}"), size=9)
        return
    names = record.get("names_zh", {}) if lang == "zh" else {}
    name = lambda v: names.get(v, v)  # noqa: E731 - the variable's name in the report's language
    loops = record.get("loops", [])
    labels = record.get("loop_names") or [""] * len(loops)
    doc.heading(tx.t("mod_loops", lang, n=len(loops)))
    # a large model: its shortest loops
    shown = sorted(zip(labels, loops, strict=True), key=lambda p: len(p[1]))[:MAX_LOOPS]
    doc.bullets([(f"{lab}: " if lab else "") + " → ".join(name(v) for v in loop + loop[:1]) for lab, loop in shown]
                + ([tx.t("mod_loops_more", lang, n=len(loops) - len(shown))] if len(loops) > len(shown) else []),
                size=7.5)
    doc.heading(tx.t("mod_stocks", lang))
    stocks = [{**s, "stock": name(s["stock"]), "inflows": [name(v) for v in s["inflows"]],
               "outflows": [name(v) for v in s["outflows"]]} for s in record.get("stocks", [])]
    cols, rows = stock_flow_rows(ctx, stocks)
    doc.table(cols, rows, size=6.8)


def sources(doc, ctx) -> None:
    """Every observation and target with its source key and quote, and the table of sources."""
    lang = ctx.lang
    doc.section("sources", tx.section_title("sources", lang))
    cols, rows = observed_rows(ctx)
    doc.para(tx.t("src_intro", lang, region=ctx.scenario["region"], n=len(rows)), size=8.5)
    doc.heading(tx.t("src_observed", lang))
    if rows:
        doc.table(cols, rows, size=6.6)
    else:
        doc.para(tx.t("src_none", lang), size=9)
    doc.heading(tx.t("src_targets", lang))
    cols, rows = target_source_rows(ctx)
    doc.table(cols, rows, size=7)
    if ctx.summary.get("not_represented"):
        doc.heading(tx.t("src_not_rep", lang), bookmark=False)
        cols, rows = not_represented_rows(ctx)
        doc.table(cols, rows, size=7)
    doc.heading(tx.t("src_keys", lang))
    doc.table([Col(tx.t("tbl_key", lang), 0.4), Col(tx.t("tbl_source", lang), 6.0)],
              [[k, src] for src, k in ctx.source_keys.items()], size=7)


def method(doc, ctx) -> None:
    """Engine, sampling, likelihood, thresholds, bands, searches, the report date; how to reproduce it."""
    lang, sc = ctx.lang, ctx.scenario
    doc.section("method", tx.section_title("method", lang))
    ctl = sc.get("control", {})
    engine = tx.t("engine_pysd" if ctx.engine == "pysd" else "engine_numpy", lang)
    calib = ctx.calibration
    calib_text = (tx.t("method_calib_post", lang, path=calib["path"]) if calib.get("path")
                  else tx.t("method_calib_none", lang))
    items = [
        tx.t("method_engine", lang, engine=engine, dt=f"{ctl.get('time_step', float('nan')):g}",
             saveper=f"{ctl.get('saveper', 1):g}", start=sc["start"], end=sc["end"]),
        tx.t("method_sampling", lang, n=ctx.samples, seed=ctx.seed, calib=calib_text),
        tx.t("method_likelihood", lang, text=_likelihood(ctx)),
        tx.t("method_verdicts", lang, hi=f"{sc['on_track']:g}", lo=f"{sc['off_track']:g}"),
        tx.t("method_bands", lang),
    ]
    if ctx.plan_period:
        items.append(tx.t("method_plan", lang, p0=ctx.plan_period[0], p1=ctx.plan_period[1]))
    if ctx.extra.get("wit_members"):
        items.append(tx.t("method_wit", lang, m=ctx.extra["wit_members"], conf="80%"))
    sens = ctx.extra.get("sensitivity")
    items.append(tx.t("method_sens", lang, text=tx.t("method_sens_file", lang, file=sens) if sens
                      else tx.t("method_sens_spearman", lang)))
    if sc.get("calibrated", True):
        items.append(tx.t("method_rests_cal", lang, region=sc["region"], calib=ctx.calibration_label()))
    else:
        items.append(tx.t("method_rests_ass", lang, region=sc["region"]))
    items.append(tx.t("method_date", lang, date=ctx.date.strftime("%Y-%m-%d %H:%M UTC")))
    doc.heading(tx.t("method_title", lang), bookmark=False)
    doc.bullets(items)
    doc.heading(tx.t("method_repro", lang))
    doc.para(tx.t("method_repro_text", lang), size=8.5)
    doc.code("\n".join(ctx.commands()), size=7)
    doc.heading(tx.t("method_provenance", lang), bookmark=False)
    rows = [[_prov_key(k, lang), _prov_value(k, v, ctx)] for k, v in ctx.prov.items() if v is not None]
    rows += [[f"SHA-256 {name}", sha] for name, sha in ctx.summary.get("files", {}).items()]
    doc.table([Col("", 1.5), Col("", 4.5, mono=True)], rows, size=6.8, header=False)


def _prov_key(key: str, lang: str) -> str:
    try:
        return tx.t(f"prov_{key}", lang)
    except KeyError:
        return key


def _prov_value(key: str, value, ctx) -> str:
    if key == "calibration":
        return ctx.calibration_label()
    if key == "rests_on":
        return tx.t("rests_calibration" if ctx.scenario.get("calibrated", True) else "rests_assumptions", ctx.lang)
    return str(value)


def _likelihood(ctx) -> str:
    lang = ctx.lang
    _, fit = ctx.fit_files()
    if not fit:
        return tx.t("method_no_likelihood", lang, cal=ctx.cal)
    if lang == "zh":
        return tx.t("method_likelihood_file", lang, cal=ctx.cal)
    parts = [str(fit[k]) for k in ("likelihood", "priors") if fit.get(k)]
    diag = fit.get("diagnostics") if isinstance(fit.get("diagnostics"), dict) else {}
    if diag.get("sampler"):
        parts.append(str(diag["sampler"]))
    return "; ".join(parts + [f"{ctx.cal}/fit.yaml"])
