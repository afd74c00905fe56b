"""Fan charts of the targeted indicators for the page: Plotly figures as plain dicts (no validation cost).

One panel per indicator (or per "change since" quantity a target counts): the 90% and 50% bands and
the median over the ensemble, the observed figures from calibration/observed.csv (filled up to the
data vintage, hollow after it), each target's goal, and the decision year.
"""

from __future__ import annotations

import math

import numpy as np

from ..indicators import INDICATORS
from ..observed import history
from ..targets import target_series
from . import text as tx

BLUE = "#1f5fa8"
RED = "#c0392b"
GREY = "#7f8c8d"
FONT = "'Noto Sans CJK SC Web', 'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', sans-serif"
PANEL_HEIGHT = 250


def panels(result) -> list[tuple[str, int | None, list]]:
    """The panels of a run: (indicator, change_since, targets on it), in the scenario's target order."""
    out: dict[tuple[str, int | None], list] = {}
    for t in result.scenario.targets:
        out.setdefault((t.indicator, t.change_since), []).append(t)
    return [(ind, since, ts) for (ind, since), ts in out.items()]


def fan_figure(result, lang: str = "zh", vintage: int | None = None, decision_year: int | None = None) -> dict:
    """A Plotly figure (dict) with one fan chart per targeted quantity of ``result``, two to a row.

    Parameters
    ----------
    result : innosd.ensemble.EnsembleResult
        The ensemble: ``data[indicator]`` is (n, T) at ``time`` (T,).
    lang : {"zh", "en"}
        Titles and legend language.
    vintage : int, optional
        The data vintage: observed figures after it are drawn hollow, and a dotted line marks it.
    decision_year : int, optional
        Drawn as a dashed line.
    """
    items = panels(result)
    cols = 2 if len(items) > 1 else 1
    rows = max(1, math.ceil(len(items) / cols))
    traces, shapes, notes, layout = [], [], [], {}
    # room between rows for the x labels and the title of the panel below
    gap_x, gap_y = 0.08, 70 / (PANEL_HEIGHT * rows + 40 * (rows - 1))
    for k, (ind, since, targets) in enumerate(items):
        r, c = divmod(k, cols)
        ax = "" if k == 0 else str(k + 1)
        x0 = c * (1 + gap_x) / cols
        x1 = x0 + (1 - gap_x * (cols - 1)) / cols
        height = (1 - gap_y * (rows - 1)) / rows
        y1 = 1 - r * (height + gap_y)
        y0 = max(0.0, y1 - height)
        first = since if since is not None else min([result.time[0]] + _observed_years(result, ind))
        layout[f"xaxis{ax}"] = {"domain": [x0, x1], "anchor": f"y{ax}", "showgrid": True, "gridcolor": "#eceff3",
                                "dtick": 2, "tickformat": "d", "zeroline": False,
                                "range": [first - 0.5, result.time[-1] + 0.5]}
        layout[f"yaxis{ax}"] = {"domain": [y0, y1], "anchor": f"x{ax}", "gridcolor": "#eceff3", "zeroline": False,
                                "tickformat": ",~r", "rangemode": "tozero" if since is not None else "normal"}
        traces += _fan(result, ind, since, targets[0], ax, lang)
        if since is None:
            traces += _history(result, ind, ax, lang, vintage)
        for t in targets:
            traces.append({"type": "scatter", "x": [t.year], "y": [t.value], "xaxis": f"x{ax}", "yaxis": f"y{ax}",
                           "mode": "markers", "marker": {"symbol": "star", "size": 14, "color": RED,
                                                         "line": {"color": "white", "width": 1}},
                           "name": tx.t("legend_goal", lang), "legendgroup": "goal",
                           "hovertemplate": f"{t.id}: {'≥' if t.comparison == '>=' else '≤'}%{{y:,}}<extra></extra>"})
            shapes.append(_hline(ax, t.value))
        for year, dash, key in ((vintage, "dot", "vintage_line"), (decision_year, "dash", "decision_line")):
            if year is not None and first <= year <= result.time[-1]:
                shapes.append({"type": "line", "xref": f"x{ax}", "yref": f"y{ax} domain", "x0": year, "x1": year,
                               "y0": 0, "y1": 1, "line": {"color": GREY, "width": 1, "dash": dash}})
                left = key == "vintage_line" and year - first >= 2  # else there is no room left of the line
                notes.append({"text": tx.t(key, lang, year=year), "xref": f"x{ax}", "yref": f"y{ax} domain",
                              "x": year, "y": 0.98 if left or key == "decision_line" else 0.9,
                              "xanchor": "right" if left else "left", "yanchor": "top", "showarrow": False,
                              "font": {"size": 9.5, "color": GREY}, "xshift": -3 if left else 3})
        notes.append({"text": f"<b>{_title(ind, since, lang)}</b>", "xref": f"x{ax} domain", "yref": f"y{ax} domain",
                      "x": 0, "y": 1.0, "xanchor": "left", "yanchor": "bottom", "showarrow": False,
                      "font": {"size": 13, "color": "#1b2733"}})
    seen = set()
    for tr in traces:  # each legend entry once: the first trace of its group that has a name
        tr["showlegend"] = "name" in tr and tr.get("legendgroup") not in seen
        if tr["showlegend"]:
            seen.add(tr.get("legendgroup"))
    layout.update({
        "height": PANEL_HEIGHT * rows + 40 + 40 * (rows - 1), "margin": {"l": 60, "r": 20, "t": 40, "b": 30},
        "font": {"family": FONT, "size": 11, "color": "#34495e"}, "plot_bgcolor": "white", "paper_bgcolor": "white",
        "showlegend": True, "legend": {"orientation": "h", "x": 0, "y": 1.0 + 40 / (PANEL_HEIGHT * rows),
                                       "yanchor": "bottom", "font": {"size": 11}},
        "shapes": shapes, "annotations": notes, "hovermode": "x unified", "uirevision": "keep",
    })
    return {"data": traces, "layout": layout}


def _title(indicator: str, since: int | None, lang: str) -> str:
    ind = INDICATORS[indicator]
    name = ind.zh if lang == "zh" else ind.en
    unit = ind.zh_unit if lang == "zh" else ind.unit
    if since is not None:
        name += " · " + tx.t("change_since", lang, year=since)
    return f"{name}（{unit}）" if lang == "zh" else f"{name} ({unit})"


def _fan(result, ind, since, target, ax, lang) -> list[dict]:
    time, series = target_series(result, target) if since is not None else (result.time, result.data[ind])
    keep = time >= (since if since is not None else time[0])
    x = [round(float(v)) for v in time[keep]]
    q = np.quantile(series[:, keep], [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    common = {"type": "scatter", "x": x, "xaxis": f"x{ax}", "yaxis": f"y{ax}", "mode": "lines", "hoverinfo": "skip"}
    out = []
    if series.shape[0] > 1:  # each band one closed polygon: upper edge left to right, lower edge back
        for lo, hi, key, alpha in ((0, 4, "legend_90", 0.16), (1, 3, "legend_50", 0.32)):
            out.append({**common, "x": x + x[::-1], "y": _round(q[hi]) + _round(q[lo])[::-1], "fill": "toself",
                        "line": {"width": 0}, "fillcolor": f"rgba(31,95,168,{alpha})", "name": tx.t(key, lang),
                        "legendgroup": key})
    out.append({**common, "y": _round(q[2]), "line": {"color": BLUE, "width": 2.5}, "name": tx.t("legend_median", lang),
                "legendgroup": "median", "hoverinfo": None,
                "hovertemplate": "%{y:,.4~r}<extra>" + tx.t("legend_median", lang) + "</extra>"})
    return out


def _history(result, ind, ax, lang, vintage) -> list[dict]:
    h = history(result.scenario.region, ind)
    if h.empty:
        return []
    out = []
    later = h.year > vintage if vintage is not None else h.year > 1e9
    for part, key, fill in ((h[~later], "legend_history", "#1b2733"), (h[later], "legend_later", "white")):
        if part.empty:
            continue
        out.append({"type": "scatter", "x": [int(v) for v in part.year], "y": [float(v) for v in part.value],
                    "xaxis": f"x{ax}", "yaxis": f"y{ax}", "mode": "markers", "name": tx.t(key, lang),
                    "legendgroup": key,
                    "marker": {"size": 7, "color": fill, "line": {"color": "#1b2733", "width": 1.5}},
                    "hovertemplate": "%{y:,}<extra>" + tx.t(key, lang) + "</extra>"})
    return out


def _observed_years(result, indicator: str) -> list[int]:
    return [int(y) for y in history(result.scenario.region, indicator).year]


def _hline(ax: str, value: float) -> dict:
    return {"type": "line", "xref": f"x{ax} domain", "yref": f"y{ax}", "x0": 0, "x1": 1, "y0": value, "y1": value,
            "line": {"color": RED, "width": 1, "dash": "dash"}}


def _round(values: np.ndarray) -> list[float]:
    """Values with 6 significant digits (a smaller page, the same picture)."""
    return [float(f"{v:.6g}") for v in values]
