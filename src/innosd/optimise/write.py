"""Write a search's result folder: tables, the chart of the front, and one scenario file per portfolio.

The folder appears complete or not at all (:func:`innosd.atomic.atomic_dir`). Columns are defined
in reports/README.md.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np
import yaml

from .. import __version__
from ..atomic import atomic_dir
from ..display import csv_number
from ..runfolder import OPTIMISE_FILES
from . import tables

FILES = OPTIMISE_FILES  # the names live with the run folder's other files (innosd.runfolder)


def write_results(search, out: Path, lang: str = "zh", chart: bool = True) -> Path:
    """Write every result file of ``search`` into the folder ``out`` (replaced as a whole).

    Parameters
    ----------
    search : Search
    out : pathlib.Path
        The result folder.
    lang : {"zh", "en"}
        Language of the chart's labels.
    chart : bool
        Draw the front (PNG).

    Returns
    -------
    pathlib.Path
        ``out``.
    """
    out = Path(out)
    frames = {"pareto": tables.pareto(search), "cheapest": tables.cheapest(search),
              "robustness": tables.robustness(search), "failure_conditions": tables.failure_conditions(search),
              "futures": search.robustness.futures, "costs": tables.costs(search)}
    with atomic_dir(out) as tmp:
        for key, df in frames.items():
            df.to_csv(tmp / FILES[key], index=False, float_format=csv_number, lineterminator="\n")
        folder = tmp / FILES["portfolios"]
        folder.mkdir()
        for i, name in search.names().items():
            text = portfolio_yaml(search, i, name, out / FILES["portfolios"])
            (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
        (tmp / FILES["summary"]).write_text(json.dumps(_summary(search), ensure_ascii=False, indent=2) + "\n",
                                            encoding="utf-8")
        if chart:
            from ..plots import front_chart

            fig = front_chart(frames["pareto"], frames["robustness"], search.settings["confidence"], lang,
                              frames["costs"])
            fig.savefig(tmp / FILES["chart"], dpi=150)
            import matplotlib.pyplot as plt

            plt.close(fig)
    return out


def portfolio_yaml(search, index: int, name: str, folder: Path) -> str:
    """A scenario file that ``extends`` the base scenario with the portfolio's levers (``innosd run`` reproduces it).

    ``folder`` is where the file will live; ``extends`` is the base's path relative to it. The
    file fixes the search's samples and seed, so ``innosd run`` judges it on the same futures.
    """
    sc, sp, a = search.scenario, search.space, search.archive
    base = Path(os.path.relpath(Path(sc.path).resolve(), Path(folder).resolve())).as_posix()
    p = [f"{t.id} {a.p[index, j]:.2f}" for j, t in enumerate(sc.targets) if not a.fixed[index, j]]
    doc = {
        "name": name,
        "extends": base,
        "description": (f"Portfolio {name} of `innosd optimise {Path(sc.path).name}` (seed {search.settings['seed']}, "
                        f"{search.futures.n} futures): {a.cost[index]:,.2f} 亿元 beyond the base scenario over "
                        f"{sp.first}-{sp.last}; P(met) {', '.join(p) or 'n/a'}; lowest {a.min_p[index]:.2f}. "
                        f"Levers change only from the decision year {sp.first}."),
        "uncertainty": {"samples": int(search.futures.n), "seed": int(search.settings["seed"])},
        "levers": {lv: sp.spec(j, float(a.levels[index, j]), int(a.starts[index, j]))
                   for j, lv in enumerate(sp.levers)},
    }
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100, default_flow_style=None)


def _summary(search) -> dict:
    """optimise.json: settings, the chosen portfolio, the sentences and the provenance of the inputs."""
    sc, names = search.scenario, search.names()
    chosen = search.robustness.chosen
    model_bytes = Path(sc.model_path).read_bytes()
    return {
        "scenario": sc.name,
        "settings": {k: (float(v) if isinstance(v, np.floating) else v) for k, v in search.settings.items()},
        "levers": search.space.levers,
        "targets": [{"id": t.id, "indicator": t.indicator, "year": t.year, "comparison": t.comparison,
                     "goal": t.value, "unit": t.unit} for t in sc.targets],
        "front_size": int(len(search.front)),
        "chosen": names.get(int(chosen)) if chosen is not None else None,
        "summary": tables.summary(search),
        "files": FILES,
        "provenance": {"scenario_sha256": sc.sha256, "model_sha256": hashlib.sha256(model_bytes).hexdigest(),
                       "calibration": search.settings.get("calibration"), "innosd_version": __version__},
    }
