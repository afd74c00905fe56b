"""Draw docs/dataflow.svg: the data flow from scenario YAML to the PDF report (run: python docs/dataflow.py).

Boxes are the stages, labelled with the module that owns each; arrows point the one way data flows.
The SVG is reproducible (fixed id salt, no date), so it only changes when this file does.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - after the backend is chosen
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

OUT = Path(__file__).with_name("dataflow.svg")

# (key, x, y, title, module, fill): the stages, left to right in three rows.
BOXES = [
    ("yaml", 0.0, 2.0, "scenario YAML", "scenarios/*.yaml", "#fdf0d2"),
    ("scenario", 1.0, 2.0, "validated Scenario", "innosd.scenario, levers, indicators", "#e6ecf3"),
    ("params", 2.0, 2.0, "parameter sets", "innosd.ensemble (posterior draws)", "#e6ecf3"),
    ("ensemble", 3.0, 2.0, "ensemble trajectories", "innosd.engine (compiled .mdl)", "#e6ecf3"),
    ("verdicts", 4.0, 2.0, "target verdicts", "innosd.targets, innosd.api.run", "#e6ecf3"),
    ("model", 2.0, 3.0, "model + calibration", "model/*.mdl, calibration/", "#fdf0d2"),
    ("searches", 4.0, 1.0, "what it takes, sensitivity", "innosd.whatittakes, innosd.sensitivity", "#e6ecf3"),
    ("folder", 3.0, 1.0, "run folder (CSV, JSON)", "innosd.outputs -> innosd.runfolder", "#e2f1e3"),
    ("report", 2.0, 1.0, "PDF report", "innosd.report (Typst)", "#e2f1e3"),
    ("web", 1.0, 1.0, "terminal table, web page", "innosd.cli", "#e2f1e3"),
]
ARROWS = [("yaml", "scenario"), ("scenario", "params"), ("params", "ensemble"), ("ensemble", "verdicts"),
          ("model", "params"), ("model", "ensemble"), ("verdicts", "folder"), ("verdicts", "searches"),
          ("searches", "folder"), ("folder", "report"), ("verdicts", "web")]
W, H = 0.94, 0.5


def main() -> Path:
    """Draw the diagram and write it to docs/dataflow.svg; returns the path."""
    plt.rcParams["svg.hashsalt"] = "innosd-docs"
    fig, ax = plt.subplots(figsize=(11, 4.2))
    where = {}
    for key, x, y, title, module, fill in BOXES:
        ax.add_patch(FancyBboxPatch((x - W / 2, y - H / 2), W, H, boxstyle="round,pad=0.02", fc=fill, ec="#1f4e79",
                                    lw=1))
        ax.text(x, y + 0.07, title, ha="center", va="center", fontsize=9.5, color="#1d1d1d")
        ax.text(x, y - 0.12, module, ha="center", va="center", fontsize=6.2, color="#5f6368")
        where[key] = (x, y)
    for a, b in ARROWS:
        (x0, y0), (x1, y1) = where[a], where[b]
        if y0 == y1:
            start, end = (x0 + W / 2 * (1 if x1 > x0 else -1), y0), (x1 - W / 2 * (1 if x1 > x0 else -1), y1)
        else:
            start, end = (x0, y0 + H / 2 * (1 if y1 > y0 else -1)), (x1, y1 - H / 2 * (1 if y1 > y0 else -1))
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12, color="#1f4e79", lw=1.1))
    ax.text(-0.45, 0.45, "Data flows one way: the report reads the run folder and never runs the model; "
            "the web page runs scenarios through innosd.api.run like `innosd run`.", fontsize=8, color="#5f6368")
    ax.set_xlim(-0.55, 4.55)
    ax.set_ylim(0.35, 3.35)
    ax.set_axis_off()
    fig.tight_layout()
    fig.savefig(OUT, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return OUT


if __name__ == "__main__":
    print(main())
