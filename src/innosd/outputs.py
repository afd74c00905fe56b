"""Write a run's results, all or nothing: every file the report renders from.

``trajectories.csv``, ``targets.csv``, ``summary.json``, ``parameters.csv``, ``levers.csv``,
``drivers.csv`` and ``charts/`` (names in :mod:`innosd.runfolder`, which reads them back).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from . import runfolder as rf
from .atomic import atomic_dir, atomic_file
from .display import csv_number
from .ensemble import EnsembleResult
from .indicators import INDICATORS

QUANTILES = {"q05": 0.05, "q25": 0.25, "median": 0.5, "q75": 0.75, "q95": 0.95}


def trajectories_table(result: EnsembleResult, indicators=None) -> pd.DataFrame:
    """Long table of quantiles over members: one row per (indicator, year).

    Parameters
    ----------
    result : EnsembleResult
        The ensemble; ``result.data[name]`` is (n, T).
    indicators : list of str, optional
        Indicators to write (default: every indicator of the result).

    Returns
    -------
    pandas.DataFrame
        Columns indicator, year, unit, q05, q25, median, q75, q95, mean.
    """
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


def written_indicators(result: EnsembleResult) -> list[str]:
    """Indicators of ``trajectories.csv``: outputs, targeted ones, and every one observed in the region.

    The report's fit plots draw the observed ones against the run's bands.
    """
    from .observed import HISTORY_KINDS, load_observed

    sc = result.scenario
    obs = load_observed()
    seen = set(obs[(obs.region == sc.region) & obs.kind.isin(HISTORY_KINDS)].indicator)
    return list(dict.fromkeys(list(sc.outputs) + [t.indicator for t in sc.targets]
                              + [name for name in INDICATORS if name in seen and name in result.data]))


def data_year(region: str) -> int | None:
    """The latest year of an observation (actual or estimate) for ``region``; None when there is none."""
    from .observed import HISTORY_KINDS, load_observed

    df = load_observed()
    sel = df[(df.region == region) & df.kind.isin(HISTORY_KINDS)]
    return int(sel.year.max()) if len(sel) else None


def write_run(result: EnsembleResult, table: pd.DataFrame, out_dir: Path, charts: bool = True, model=None,
              loops=None) -> Path:
    """Write every output of a run into ``out_dir`` atomically (the folder is replaced as a whole).

    Parameters
    ----------
    result : EnsembleResult
        The ensemble.
    table : pandas.DataFrame
        Its target table (:func:`innosd.targets.evaluate`).
    out_dir : pathlib.Path
        The run folder.
    charts : bool
        Also draw ``charts/<indicator>.png`` for each targeted indicator.
    model : CompiledModel, optional
        The model the run used (default: compiled, and cached, from the scenario's model file).
    loops : LoopDominance, optional
        Loop dominance of the run's scenario (:func:`innosd.loops.dominance.loop_dominance`): adds
        ``loops.csv`` and ``loops.png``.

    Returns
    -------
    pathlib.Path
        ``out_dir``.
    """
    from . import runtables
    from .calibration.prior_sensitivity import prior_sensitivity
    from .model import load_model

    sc = result.scenario
    model = model if model is not None else load_model(sc.model_path)
    with atomic_dir(out_dir) as tmp:
        trajectories_table(result, written_indicators(result)).to_csv(tmp / rf.TRAJECTORIES, index=False,
                                                                     float_format=csv_number)
        prov = result.provenance
        targets = table.assign(**{k: prov[k] for k in ("scenario_sha256", "model_sha256", "calibration",
                                                       "seed", "innosd_version")})
        targets.to_csv(tmp / rf.TARGETS, index=False, float_format=csv_number)
        for name, df in ((rf.PARAMETERS, runtables.parameter_table(result, model)),
                         (rf.LEVERS, runtables.lever_table(result, model)),
                         (rf.DRIVERS, runtables.driver_table(result, model))):
            df.to_csv(tmp / name, index=False, float_format=csv_number)
        prior_sensitivity(result, table).to_csv(tmp / rf.PRIOR_SENSITIVITY, index=False, float_format=csv_number)
        summary = {
            "vintage": result.calibration.vintage,   # the last year of data the forecast reads (None: no calibration)
            "provenance": prov,
            "samples": result.n,
            "horizon": [sc.start, sc.end],
            "targets": json.loads(table.to_json(orient="records")),
            "not_represented": sc.not_represented,
            "data_year": result.calibration.vintage or data_year(sc.region),  # the vintage the run rests on
            "run": {"engine": result.engine, "seed": result.seed, "samples": result.n,
                    "calibration": {"label": result.calibration.label, "path": result.calibration.path,
                                    "sha256": result.calibration.sha256, "vintage": result.calibration.vintage,
                                    "draws": len(result.calibration.draws)}},
            "scenario": runtables.scenario_record(sc, model),
            "files": runtables.input_files(sc, result.calibration),
        }
        if result.structure_names:   # the model structures the members were drawn from, with their shares
            summary["structures"] = {n: float(np.mean(result.structures == n)) for n in result.structure_names}
        (tmp / rf.SUMMARY).write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
        (tmp / rf.STRUCTURE).write_text(json.dumps(runtables.structure_record(sc.model_path), ensure_ascii=False),
                                        encoding="utf-8")
        if loops is not None:
            from .loops.write import write_loops

            write_loops(loops, tmp)
        if charts:
            import matplotlib.pyplot as plt

            from .plots import fan_chart

            (tmp / "charts").mkdir()
            for ind in dict.fromkeys(t.indicator for t in sc.targets):
                fig = fan_chart(result, ind, sc.targets)
                fig.savefig(tmp / "charts" / f"{ind}.png", dpi=110, metadata={"Software": None})
                plt.close(fig)
    return out_dir


def write_table(df: pd.DataFrame, path: Path) -> Path:
    """Write one result table into a run folder atomically (a reader never sees half a file); returns ``path``."""
    path = Path(path)
    with atomic_file(path) as fh:
        df.to_csv(fh, index=False, float_format=csv_number)
    return path
