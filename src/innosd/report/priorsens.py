"""The prior-sensitivity section: how each verdict moves when the priors are widened or narrowed.

Reads ``prior_sensitivity.csv`` of the run folder (written by ``innosd run``; columns in reports/README.md)
and shows, per forecast target, P(met) now and with the priors power-scaled by α = 0.5 and 2, each with its
Monte Carlo error, a chart of the same, the parameters whose own prior moves P(met) most (by their Chinese
names in the Chinese report), and one plain sentence on whether the verdict rests on the priors.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import runfolder as rf
from ..runfolder import parse_rests_on
from . import text as tx
from .document import VERDICT_TONE, Col, cell

ALPHA_KEYS = (("wider", 0.5), ("narrower", 2.0))


def verdict_of(p: float, on_track: float, off_track: float) -> str:
    """The verdict a P(met) gets under the scenario's thresholds (as :func:`innosd.targets.evaluate` gives it)."""
    return "on track" if p >= on_track else "off track" if p <= off_track else "at risk"


def forecast_rows(df: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``prior_sensitivity.csv`` with P(met) under both scalings (forecast targets, calibrated run)."""
    need = ["p_met", "p_met_prior_wider", "p_met_prior_narrower"]
    ok = df[need].apply(pd.to_numeric, errors="coerce").notna().all(axis=1) & (df.kind.astype(str) != "assumption")
    return df[ok].reset_index(drop=True)


def render(doc, ctx) -> None:
    """The section: intro, chart, table, one sentence per target, the method (or how to produce the file)."""
    lang = ctx.lang
    doc.section("priors", tx.section_title("priors", lang))
    df = ctx.run.table(rf.PRIOR_SENSITIVITY)
    if df is None:
        doc.para(tx.t("pri_missing", lang, command=f"innosd run {ctx.scenario.get('path', '')}"), size=9)
        return
    rows = forecast_rows(df)
    if rows.empty:  # every target set by assumption, or no calibration to scale
        only_assumed = len(df) and (df.kind.astype(str) == "assumption").all()
        doc.para(tx.t("pri_assumed" if only_assumed else "pri_uncalibrated", lang,
                      ids=", ".join(df.id.astype(str))), size=9)
        return
    doc.para(tx.t("pri_intro", lang, n=ctx.samples), size=8.5)
    from .charts import prior_dots

    sc = ctx.scenario
    doc.figure(prior_dots(ctx, rows, float(sc["on_track"]), float(sc["off_track"])))
    doc.para(tx.t("pri_chart_note", lang), size=7.5, tone="muted")
    cols, body = sensitivity_rows(ctx, rows)
    doc.table(cols, body, size=6.8)
    doc.heading(tx.t("pri_reading", lang), bookmark=False)
    doc.bullets([sentence(ctx, r) for r in rows.itertuples()], size=8)
    assumed = df[df.kind.astype(str) == "assumption"].id.astype(str).tolist()
    if assumed:
        doc.para(tx.t("pri_assumed", lang, ids=", ".join(assumed)), size=7.5, tone="muted")
    k = pd.to_numeric(rows.get("pareto_k_max"), errors="coerce").max() if "pareto_k_max" in rows else np.nan
    doc.para(tx.t("pri_method", lang, k=f"{k:.2f}" if np.isfinite(k) else "–", file=rf.PRIOR_SENSITIVITY),
             size=7, tone="muted")


def _p(r, key: str | None = None) -> str:
    """'0.31 ± 0.02': P(met) now (``key`` None) or under a scaling, with its error."""
    if key is None:
        return tx.fmt_p_se(r.p_met, getattr(r, "p_met_se", None))
    return tx.fmt_p_se(getattr(r, f"p_met_prior_{key}"), getattr(r, f"p_met_prior_{key}_se", None))


def _verdicts(ctx, r) -> dict[str, str]:
    """The verdict now and under each scaling."""
    sc = ctx.scenario
    on, off = float(sc["on_track"]), float(sc["off_track"])
    out = {"now": verdict_of(float(r.p_met), on, off)}
    for key, _ in ALPHA_KEYS:
        out[key] = verdict_of(float(getattr(r, f"p_met_prior_{key}")), on, off)
    return out


def _signed(v: float) -> str:
    return f"{v:+.2f}".replace("-", "−")


def params_text(ctx, r) -> list[str]:
    """The parameters the target's P(met) rests on, each 'name (+0.01/−0.03)' in the report's language."""
    return [f"{ctx.param_label(name)} ({_signed(wider)}/{_signed(narrower)})"
            for name, wider, narrower in parse_rests_on(getattr(r, "rests_on", ""))]


def sensitivity_rows(ctx, rows: pd.DataFrame) -> tuple[list[Col], list[list]]:
    """The table: target, P(met) now, wider, narrower (each ± its error), the verdicts, the parameters."""
    lang = ctx.lang
    cols = [Col(tx.t("tbl_target", lang), 1.7), Col(tx.t("pri_now", lang), 1.05, "right"),
            Col(tx.t("pri_wider", lang), 1.05, "right"), Col(tx.t("pri_narrower", lang), 1.05, "right"),
            Col(tx.t("pri_verdicts", lang), 1.35), Col(tx.t("pri_rests_on", lang), 2.6)]
    body = []
    for r in rows.itertuples():
        v = _verdicts(ctx, r)
        tone = VERDICT_TONE.get(v["now"])
        shown = [cell(tx.verdict_label(v[k], lang), tone=VERDICT_TONE.get(v[k])) for k in ("wider", "narrower")]
        names = params_text(ctx, r)
        if lang == "zh":  # the parameter's own name under its Chinese one, so the CSV can be found again
            names = [f"{label}\n  {n}" for label, (n, _, _) in zip(names, parse_rests_on(r.rests_on), strict=True)]
        body.append([f"{r.id}\n{tx.indicator_label(r.indicator, lang)}", cell(_p(r), tone=tone), _p(r, "wider"),
                     _p(r, "narrower"),
                     {"text": f"{shown[0]['text']} / {shown[1]['text']}",
                      **({"tone": "risk"} if v["wider"] != v["now"] or v["narrower"] != v["now"] else {})},
                     "\n".join(names) or tx.t("pri_none", lang)])
    return cols, body


def sentence(ctx, r) -> str:
    """One plain sentence (or three) on whether the target's verdict rests on the priors."""
    lang = ctx.lang
    v = _verdicts(ctx, r)
    parts = [tx.t("pri_head", lang, id=r.id, indicator=tx.indicator_label(r.indicator, lang), p=_p(r),
                  pw=_p(r, "wider"), pn=_p(r, "narrower"))]
    changed = [(key, v[key]) for key, _ in ALPHA_KEYS if v[key] != v["now"]]
    for key, verdict in changed:
        change = abs(float(getattr(r, f"p_met_prior_{key}")) - float(r.p_met))
        se = float(getattr(r, f"p_met_prior_{key}_se", np.nan))
        real = change > 2 * se if np.isfinite(se) else True
        parts.append(tx.t("pri_changes" if real else "pri_near", lang, how=tx.t(f"pri_how_{key}", lang),
                          verdict=tx.verdict_label(verdict, lang)))
    if not changed:
        parts.append(tx.t("pri_same", lang, verdict=tx.verdict_label(v["now"], lang)))
        if str(getattr(r, "prior_sensitive", "")).lower() == "true":
            parts.append(tx.t("pri_moves", lang, change=f"{float(r.max_change):.2f}"))
    names = [ctx.param_label(name) for name, _, _ in parse_rests_on(getattr(r, "rests_on", ""))]
    parts.append(tx.t("pri_params", lang, names=("、" if lang == "zh" else ", ").join(names)) if names
                 else tx.t("pri_no_params", lang))
    return ("" if lang == "zh" else " ").join(parts)
