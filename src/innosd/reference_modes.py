"""Reference modes: every calibrated series' observed values 2013-2022 in one figure (model/reference_modes.png).

The dynamic hypothesis in model/README.md starts from these: the behaviour over time the model's loops are
meant to produce. One panel per model variable the calibration compares (calibration/measurement.yaml), with
every observed row of its series (actuals filled, estimates and uncertain-year actuals hollow, lower bounds as
triangles, rows before 2016 grey: they feed the naive baseline only). ``innosd describe --write`` redraws it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

#: Series left out of the figure: the model's initial values or its lever inputs (one point, no behaviour).
INPUT_ONLY = {"incubators", "science_commissioners_cumulative", "municipal_tech_enterprises"}
_KIND_STYLE = {
    "actual": {"marker": "o", "fc": "C0"},
    "estimate": {"marker": "o", "fc": "white"},
    "actual-uncertain-year": {"marker": "s", "fc": "white"},
    "lower-bound": {"marker": "^", "fc": "white"},
}


def reference_series():
    """(variable, [(series, rows)]) for every compared model variable, in measurement.yaml order."""
    from .calibration.measurement import COMPARED_KINDS, load_measurement

    meas = load_measurement()
    obs = meas.observed
    out: dict[str, list] = {}
    for name, s in meas.series.items():
        if name in INPUT_ONLY:
            continue
        rows = obs[(obs.region == meas.region) & (obs.indicator == name) & obs.kind.isin(COMPARED_KINDS)]
        if not rows.empty:
            out.setdefault(s["variable"] + ("_diff" if s["transform"] == "annual_difference" else ""), []).append(
                (name, rows.sort_values("year")))
    return list(out.items())


def reference_figure():
    """The figure (matplotlib Figure) of :func:`reference_series`."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .fonts import use_cjk_font
    from .indicators import INDICATORS

    use_cjk_font()
    series = reference_series()
    cols = 4
    rows = int(np.ceil(len(series) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.3 * rows), squeeze=False)
    for ax, (var, parts) in zip(axes.flat, series, strict=False):
        base = var.removesuffix("_diff")
        title = INDICATORS[base].en if base in INDICATORS else base.replace("_", " ")
        zh = INDICATORS[base].zh if base in INDICATORS else ""
        ax.set_title(f"{title}{' (new a year)' if var.endswith('_diff') else ''}\n{zh}", fontsize=7.5)
        for k, (name, r) in enumerate(parts):
            for kind, g in r.groupby("kind"):
                style = _KIND_STYLE.get(kind, _KIND_STYLE["actual"])
                early = g.year < 2016
                for mask, color in ((early, "0.6"), (~early, f"C{k}")):
                    if mask.any():
                        ax.scatter(g.year[mask], g.value[mask], s=22, marker=style["marker"], edgecolors=color,
                                   facecolors=color if style["fc"] != "white" else "white", zorder=3,
                                   label=None)
            main = r[r.kind != "lower-bound"]
            if len(main) > 1:
                ax.plot(main.year, main.value, color=f"C{k}", lw=0.8, alpha=0.6)
            if len(parts) > 1:
                ax.plot([], [], color=f"C{k}", marker="o", lw=0.8, label=name)
        if len(parts) > 1:
            ax.legend(fontsize=5.5, frameon=False, loc="best")
        ax.set_xlim(2012.5, 2022.5)
        ax.axvline(2016, color="0.8", lw=0.6, ls="--")
        ax.tick_params(labelsize=6.5)
        ax.grid(alpha=0.25)
    for ax in list(axes.flat)[len(series):]:
        ax.set_axis_off()
    fig.suptitle("Reference modes: every calibrated series, 2013-2022 (filled: actual; hollow: estimate or "
                 "uncertain year; triangle: lower bound; grey: before the model starts in 2016)", fontsize=8)
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    return fig


def write_reference_modes(path: str | Path) -> bool:
    """Draw :func:`reference_figure` into ``path`` (PNG, no timestamp); True when the bytes changed."""
    import io

    import matplotlib.pyplot as plt

    fig = reference_figure()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    plt.close(fig)
    path = Path(path)
    data = buf.getvalue()
    if path.is_file() and path.read_bytes() == data:
        return False
    from .atomic import atomic_file

    with atomic_file(path, "wb") as fh:
        fh.write(data)
    return True
