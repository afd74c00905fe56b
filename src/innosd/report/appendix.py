"""Reference sections: assumptions, the model, data sources, method notes and reproducibility."""

from __future__ import annotations

from pathlib import Path

import yaml

from . import charts
from .analysis import WIT_SAMPLES
from . import text as tx
from .layout import MUTED, Col, Flow
from .tables import (not_represented_rows, observed_rows, parameter_rows, source_keys, stock_flow_rows,
                     target_source_rows)

LEVER_ROW = 135.0


def _flow(doc, ctx, key: str, **kw) -> Flow:
    return Flow(doc, key, tx.section_title(key, ctx.lang), continued=tx.t("continued", ctx.lang), **kw)


# ---------------------------------------------------------------- 8 assumptions

def assumptions(doc, ctx) -> None:
    lang, sc = ctx.lang, ctx.scenario
    f = _flow(doc, ctx, "assumptions")
    f.heading(tx.t("ass_description", lang), size=10, keep=20)
    f.para(sc.description or "–", size=8.5)
    f.heading(tx.t("ass_declared", lang), size=10, keep=20)
    if sc.assumptions:
        f.bullets(sc.assumptions, size=8.5)
    else:
        f.para(tx.t("ass_none", lang), size=8.5)
    f.heading(tx.t("ass_params", lang), size=10, mark=True)
    f.para(tx.t("ass_params_note", lang), size=7.5, color=MUTED)
    cols, rows = parameter_rows(ctx)
    f.table(cols, rows, size=6.3)

    f.heading(tx.t("ass_levers", lang), size=10, keep=LEVER_ROW + 20, mark=True)
    f.para(tx.t("ass_levers_note", lang), size=7.5, color=MUTED)
    levers = list(ctx.model.lookups)
    for i in range(0, len(levers), 2):
        page, top = f.block(LEVER_ROW)
        w = page.width / 2
        for j, name in enumerate(levers[i:i + 2]):
            ax = page.axes(page.left + j * w + 40, top + 18, w - 55, LEVER_ROW - 42)
            charts.lever_plot(ax, ctx, name)

    for k, (path, text) in enumerate(scenario_files(sc.path)):
        f.heading(tx.t("ass_yaml" if k == 0 else "ass_yaml_base", lang) + f": {path.name}", size=10, mark=k == 0)
        f.para(text.rstrip("\n"), size=6.6, mono=True, line=1.3, after=8)


def scenario_files(path: Path) -> list[tuple[Path, str]]:
    """The scenario file's text and, for a scenario that extends others, each base file's text."""
    out, seen = [], set()
    path = Path(path)
    while path.is_file() and path.resolve() not in seen:
        seen.add(path.resolve())
        text = path.read_text(encoding="utf-8")
        out.append((path, text))
        try:
            raw = yaml.safe_load(text)
        except yaml.YAMLError:
            break
        if not isinstance(raw, dict) or "extends" not in raw:
            break
        path = path.parent / str(raw["extends"])
    return out


# ---------------------------------------------------------------- 9 the model

#: Loops listed in the report (the model README and `innosd describe` list every one).
MAX_LOOPS = 40


def model_structure(path: str):
    """(structure, named feedback loops, stock table) of the model file: PySD parses it, about a second."""
    from ..diagram.loops import named_loops
    from ..structure import read_structure, stock_flow_table

    structure = read_structure(str(Path(path).resolve()))
    return structure, named_loops(structure), stock_flow_table(structure)


def model(doc, ctx) -> None:
    from ..structure import draw_diagram

    lang, prov = ctx.lang, ctx.prov
    handle = ctx.extra.get("structure")
    structure, loops, stocks = handle.get() if handle is not None else model_structure(ctx.scenario.model_path)
    f = _flow(doc, ctx, "model", landscape=True)
    page = f.need(100)
    page.text(page.left, f.y + 10, tx.t("mod_diagram", lang), size=10)
    page.text(page.left, f.y + 24, tx.t("mod_file", lang, file=prov["model_file"], sha=prov["model_sha256"]),
              size=7, color=MUTED)
    ax = page.axes(page.left, f.y + 44, page.width, page.bottom - f.y - 44)
    draw_diagram(structure, ax=ax)
    f.y = page.bottom
    f.landscape = False
    f.new_page()
    f.heading(tx.t("mod_loops", lang, n=len(loops)), size=10)
    shown = sorted(loops, key=lambda lp: len(lp.variables))[:MAX_LOOPS]
    more = [f"… {len(loops) - len(shown)} more: model/README.md, `innosd describe`"] if len(loops) > len(shown) else []
    f.bullets([f"{lp.name}: " + " → ".join(lp.variables + lp.variables[:1]) for lp in shown] + more, size=7.5,
              after=6)
    f.heading(tx.t("mod_stocks", lang), size=10)
    cols, rows = stock_flow_rows(ctx, stocks)
    f.table(cols, rows, size=6.8)


# ---------------------------------------------------------------- 10 data sources

def sources(doc, ctx) -> None:
    lang, sc = ctx.lang, ctx.scenario
    f = _flow(doc, ctx, "sources")
    keys = source_keys(ctx)
    cols, rows = observed_rows(ctx, keys)
    f.need(40)
    f.para(tx.t("src_intro", lang, region=sc.region, n=len(rows)), size=8.5)
    f.heading(tx.t("src_observed", lang), size=10, mark=True)
    if rows:
        f.table(cols, rows, size=6.6)
    else:
        f.para(tx.t("src_none", lang), size=9)
    f.heading(tx.t("src_targets", lang), size=10, mark=True)
    cols, rows = target_source_rows(ctx, keys)
    f.table(cols, rows, size=7)
    if sc.not_represented:
        f.heading(tx.t("src_not_rep", lang), size=10)
        cols, rows = not_represented_rows(ctx, keys)
        f.table(cols, rows, size=7)
    f.heading(tx.t("src_keys", lang), size=10, mark=True)
    f.table([Col(tx.t("tbl_key", lang), 0.4), Col(tx.t("tbl_source", lang), 6.0)],
            [[k, src] for src, k in keys.items()], size=7)


# ---------------------------------------------------------------- 11 method notes

def method(doc, ctx) -> None:
    lang, sc, res, prov = ctx.lang, ctx.scenario, ctx.result, ctx.prov
    f = _flow(doc, ctx, "method")
    ctl = ctx.model.control
    engine = tx.t("engine_pysd" if res.engine == "pysd" else "engine_numpy", lang)
    calib = (tx.t("method_calib_post", lang, path=res.calibration.path) if res.calibration.path
             else tx.t("method_calib_none", lang))
    items = [
        tx.t("method_engine", lang, engine=engine, dt=f"{ctl.get('time_step', float('nan')):g}",
             saveper=f"{ctl.get('saveper', 1):g}", start=sc.start, end=sc.end),
        tx.t("method_sampling", lang, n=res.n, seed=res.seed, calib=calib),
        tx.t("method_likelihood", lang, text=_likelihood(ctx)),
        tx.t("method_verdicts", lang, hi=f"{sc.on_track:g}", lo=f"{sc.off_track:g}"),
    ]
    items.append(tx.t("method_bands", lang))
    if ctx.plan_period:
        items.append(tx.t("method_plan", lang, p0=ctx.plan_period[0], p1=ctx.plan_period[1]))
    items.append(tx.t("method_wit", lang, m=min(res.n, WIT_SAMPLES)))
    sens = ctx.extra.get("sensitivity")
    items.append(tx.t("method_sens", lang, text=tx.t("method_sens_file", lang, file=sens) if sens
                      else tx.t("method_sens_spearman", lang)))
    if sc.calibrated:
        items.append(tx.t("method_rests_cal", lang, region=sc.region, calib=res.calibration.label))
    else:
        items.append(tx.t("method_rests_ass", lang, region=sc.region))
    f.heading(tx.t("method_title", lang), size=10, keep=20)
    items.append(tx.t("method_date", lang, date=ctx.date.strftime("%Y-%m-%d %H:%M UTC")))
    f.bullets(items, size=8.5)
    f.heading(tx.t("method_repro", lang), size=10, keep=120, mark=True)
    f.para(tx.t("method_repro_text", lang), size=8.5)
    f.para(ctx.command(), size=7.5, mono=True, after=8)
    rows = [[k, str(v)] for k, v in prov.items() if v is not None and k not in ("calibration",)]
    rows += [[f"sha256 {name}", sha] for name, sha in ctx.files.items()]
    f.table([Col("", 1.5), Col("", 4.5, mono=True)], rows, size=6.8, header=False)


def _likelihood(ctx) -> str:
    from .analysis import fit_files

    _, fit = fit_files()
    if not fit:
        return tx.t("method_no_likelihood", ctx.lang)
    parts = [str(fit[k]) for k in ("likelihood", "priors") if fit.get(k)]
    diag = fit.get("diagnostics") if isinstance(fit.get("diagnostics"), dict) else {}
    if diag.get("sampler"):
        parts.append(str(diag["sampler"]))
    return "; ".join(parts + ["calibration/fit.yaml"])
