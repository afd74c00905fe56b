"""The backtest section: how the calibrated model's past forecasts scored against two baselines.

The backtest belongs to the project, not to the run: ``innosd backtest`` writes ``reports/backtest/scores.csv``
of the project the run was made in (:func:`innosd.runfolder.backtest_folder`). The section reads that file
only; when it is absent, it says how to produce it.
"""

from __future__ import annotations

import hashlib

import numpy as np

from .. import paths
from .. import runfolder as rf
from ..calibration.scores import LABELS, METHODS
from . import text as tx
from .document import Col, cell


def _pct(v) -> str:
    return "–" if v is None or not np.isfinite(float(v)) else f"{100 * float(v):.0f}%"


def _num(v) -> str:
    return "–" if v is None or not np.isfinite(float(v)) else f"{float(v):.2f}"


def render(doc, ctx) -> None:
    """Intro, the headline sentence, the chart and the table by origin; or how to run the backtest."""
    lang = ctx.lang
    doc.section("backtest", tx.section_title("backtest", lang))
    folder = rf.backtest_folder(paths.ROOT)
    shown = _shown(folder)
    found = rf.read_backtest(folder)
    if found is None:
        doc.para(tx.t("bt_missing", lang, folder=shown), size=9)
        return
    obs, summary = found
    sha = hashlib.sha256((folder / rf.BACKTEST_SCORES).read_bytes()).hexdigest()[:12]
    doc.para(tx.t("bt_intro", lang, to=int(obs.year.max()), file=f"{shown}/{rf.BACKTEST_SCORES}", sha=sha), size=8.5)
    total = summary[summary.origin.astype(str) == "all"].set_index("method")
    if {"model", "trend", "carry_forward"} <= set(total.index):
        doc.para(tx.t("bt_summary", lang, n=int(total.loc["model", "n_common"]),
                      model=_num(total.loc["model", "crps_log_common"]),
                      trend=_num(total.loc["trend", "crps_log_common"]),
                      carry=_num(total.loc["carry_forward", "crps_log_common"]),
                      cov90=_pct(total.loc["model", "coverage90_common"]),
                      cov50=_pct(total.loc["model", "coverage50_common"])), size=8.5)
    from .charts import backtest as chart

    doc.figure(chart(obs, summary, lang))
    doc.heading(tx.t("bt_table", lang), bookmark=False)
    cols, rows = score_rows(summary, lang)
    doc.table(cols, rows, size=7)
    per = obs[obs.method == "model"].groupby("origin").size()
    doc.para(tx.t("bt_caution", lang, lo=int(per.min()), hi=int(per.max())), size=7.5, tone="muted")


def score_rows(summary, lang: str) -> tuple[list[Col], list[list]]:
    """One row per origin (then "all") and method: n, coverage of the 50% and 90% intervals, CRPS, interval score.

    On the values every method forecasts (the ``*_common`` columns), so the methods compare like with like;
    the best CRPS of each origin is in green.
    """
    cols = [Col(tx.t("bt_origin", lang), 0.7), Col(tx.t("bt_method", lang), 2.0), Col(tx.t("bt_n", lang), 0.5, "right"),
            Col(tx.t("bt_cov50", lang), 0.9, "right"), Col(tx.t("bt_cov90", lang), 0.9, "right"),
            Col(tx.t("bt_crps", lang), 0.7, "right"), Col(tx.t("bt_is90", lang), 1.1, "right")]
    order = sorted({str(o) for o in summary.origin if str(o) != "all"}, key=lambda o: float(o)) + ["all"]
    rows = []
    for origin in order:
        g = summary[summary.origin.astype(str) == origin].set_index("method")
        g = g.loc[[m for m in METHODS if m in g.index]]
        best = g.crps_log_common.astype(float).idxmin() if g.crps_log_common.notna().any() else None
        for i, (method, r) in enumerate(g.iterrows()):
            crps = _num(r.crps_log_common)
            rows.append([(LABELS["all"][lang] if origin == "all" else str(int(float(origin)))) if i == 0 else "",
                         LABELS[method][lang], str(int(r.n_common)), _pct(r.coverage50_common),
                         _pct(r.coverage90_common), cell(crps, tone="on") if method == best else crps,
                         _num(r.interval_score90_log_common)])
    return cols, rows


def _shown(folder) -> str:
    """The backtest folder as the report names it: relative to the project ('reports/backtest')."""
    try:
        return folder.resolve().relative_to(paths.ROOT.resolve()).as_posix()
    except ValueError:
        return str(folder)
