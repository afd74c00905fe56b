"""Write a run's results: trajectories.csv, targets.csv, summary.json and charts, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from .atomic import atomic_dir
from .display import csv_number
from .ensemble import EnsembleResult
from .indicators import INDICATORS

QUANTILES = {"q05": 0.05, "q25": 0.25, "median": 0.5, "q75": 0.75, "q95": 0.95}


def trajectories_table(result: EnsembleResult, indicators=None) -> pd.DataFrame:
    """Long table: indicator, year, unit, then quantiles and mean over members."""
    rows = []
    for name in indicators or result.data:
        y = result.data[name]
        qs = np.quantile(y, list(QUANTILES.values()), axis=0)
        for j, year in enumerate(result.time):
            row = {"indicator": name, "year": int(round(year)), "unit": INDICATORS[name].unit}
            row.update({k: float(qs[i, j]) for i, k in enumerate(QUANTILES)})
            row["mean"] = float(y[:, j].mean())
            rows.append(row)
    return pd.DataFrame(rows)


def write_run(result: EnsembleResult, table: pd.DataFrame, out_dir: Path, charts: bool = True, loops=None) -> Path:
    """Write every output of a run into ``out_dir`` atomically; returns ``out_dir``.

    ``loops`` (a :class:`innosd.loops.dominance.LoopDominance`) adds loops.csv and loops.png.
    """
    from .calibration.prior_sensitivity import prior_sensitivity
    from .plots import fan_chart

    sc = result.scenario
    with atomic_dir(out_dir) as tmp:
        indicators = list(dict.fromkeys(list(sc.outputs) + [t.indicator for t in sc.targets]))
        trajectories_table(result, indicators).to_csv(tmp / "trajectories.csv", index=False, float_format=csv_number)
        prov = result.provenance
        targets = table.assign(**{k: prov[k] for k in ("scenario_sha256", "model_sha256", "calibration",
                                                       "seed", "innosd_version")})
        targets.to_csv(tmp / "targets.csv", index=False, float_format=csv_number)
        prior_sensitivity(result, table).to_csv(tmp / "prior_sensitivity.csv", index=False, float_format=csv_number)
        summary = {
            "provenance": prov,
            "samples": result.n,
            "horizon": [sc.start, sc.end],
            "targets": json.loads(table.to_json(orient="records")),
            "not_represented": sc.not_represented,
        }
        if result.structure_names:   # the model structures the members were drawn from, with their shares
            summary["structures"] = {n: float(np.mean(result.structures == n)) for n in result.structure_names}
        (tmp / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
        if loops is not None:
            from .cli.loops import write_loops

            write_loops(loops, tmp)
        if charts:
            import matplotlib.pyplot as plt

            (tmp / "charts").mkdir()
            for ind in dict.fromkeys(t.indicator for t in sc.targets):
                fig = fan_chart(result, ind, sc.targets)
                fig.savefig(tmp / "charts" / f"{ind}.png", dpi=110, metadata={"Software": None})
                plt.close(fig)
    return out_dir
