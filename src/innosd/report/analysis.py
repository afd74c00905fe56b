"""Numbers the report derives from a run: plan period, data date, inputs that vary, drivers of each target.

Nothing here draws; every function returns plain values or DataFrames.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from .. import paths
from ..observed import HISTORY_KINDS, load_observed
from ..targets import target_series

TOP_DRIVERS = 8
WIT_SAMPLES = 200  # members for the what-it-takes search (it runs dozens of ensembles per target)


def plan_period(targets) -> tuple[int, int] | None:
    """The plan period shaded on the charts: two years before the earliest target year to the latest.

    A 2022 plan (2020-2022) and a 2027 plan (2025-2027) both come out as their plans' own periods.
    """
    years = [t.year for t in targets]
    if not years:
        return None
    return min(years) - 2, max(years)


def data_year(region: str) -> int | None:
    """The latest year of an observation (actual or estimate) for ``region``; None when there is none."""
    df = load_observed()
    sel = df[(df.region == region) & df.kind.isin(HISTORY_KINDS)]
    return int(sel.year.max()) if len(sel) else None


def target_values(result) -> dict[str, np.ndarray]:
    """Target id -> the compared quantity (n,) in its deadline year."""
    out = {}
    for t in result.scenario.targets:
        time, series = target_series(result, t)
        out[t.id] = series[:, int(np.argmin(np.abs(time - t.year)))]
    return out


def lever_draws(result, model) -> pd.DataFrame:
    """Per-member draw of every lever with declared uncertainty (the shift or scale factor), or an empty frame.

    The run does not keep these draws, so they are drawn again from the run's seed in the
    run's order (parameters first, then levers); the parameter draws are compared with the
    run's to make sure the replay matches.
    """
    from ..ensemble import parameter_sets

    sc = result.scenario
    uncertain = [name for name, lv in sc.levers.items() if lv.uncertainty]
    if not uncertain:
        return pd.DataFrame(index=range(result.n))
    rng = np.random.default_rng(result.seed)
    params = parameter_sets(sc, model, result.calibration, result.n, rng)
    if not params.reset_index(drop=True).equals(result.params.reset_index(drop=True)):
        return pd.DataFrame(index=range(result.n))
    cols = {}
    for name, lever in sc.levers.items():
        if not lever.uncertainty:
            continue
        kind, lo, hi = lever.uncertainty
        cols[f"{name} ({kind})"] = rng.uniform(lo, hi, size=(result.n, 1))[:, 0]
    return pd.DataFrame(cols)


def varying_inputs(result, model) -> pd.DataFrame:
    """The inputs that vary across members: parameter columns with spread, and lever draws."""
    params = result.params.reset_index(drop=True)
    keep = [c for c in params.columns if params[c].nunique() > 1]
    return pd.concat([params[keep], lever_draws(result, model)], axis=1)


def spearman(inputs: pd.DataFrame, outputs: dict[str, np.ndarray]) -> dict[str, pd.Series]:
    """Target id -> Spearman rank correlation with each input (NaN-free, largest |rho| first).

    An output that does not vary gives an empty Series.
    """
    ranks = inputs.rank()
    out = {}
    for tid, y in outputs.items():
        if len(inputs.columns) == 0 or np.ptp(y) == 0:
            out[tid] = pd.Series(dtype=float)
            continue
        ry = pd.Series(y).rank()
        rho = ranks.apply(lambda col: col.corr(ry)).dropna()
        out[tid] = rho.reindex(rho.abs().sort_values(ascending=False).index)
    return out


def sensitivity_file(name: str) -> tuple[str, pd.DataFrame, str] | None:
    """(file shown, table, metric) from reports/<name>/sensitivity_sobol.csv or sensitivity_morris.csv."""
    for fname, metrics in (("sensitivity_sobol.csv", ("ST", "S1")), ("sensitivity_morris.csv", ("mu_star", "sigma"))):
        p = paths.REPORTS / name / fname
        if not p.is_file():
            continue
        try:
            df = pd.read_csv(p)
        except (OSError, ValueError, pd.errors.ParserError):
            continue
        key = next((c for c in ("target", "output") if c in df.columns), None)
        metric = next((m for m in metrics if m in df.columns), None)
        if key is None or metric is None or "parameter" not in df.columns:
            continue
        return f"reports/{name}/{fname}", df.rename(columns={key: "output"}), metric
    return None


def drivers_from_file(df: pd.DataFrame, metric: str, target) -> pd.DataFrame:
    """Rows of a sensitivity table for one target (by id, else by indicator), largest ``metric`` first."""
    rows = df[df.output.astype(str) == target.id]
    if rows.empty:
        rows = df[df.output.astype(str) == target.indicator]
    return rows.dropna(subset=[metric]).sort_values(metric, ascending=False).head(TOP_DRIVERS)


def what_it_takes(result, table: pd.DataFrame, model, confidence: float = 0.8, max_samples: int = WIT_SAMPLES):
    """(status, DataFrame or message, members) for the targets below ``confidence``.

    status is 'unavailable' (no innosd.whatittakes), 'none' (nothing below ``confidence``),
    'failed' or 'ok'. The search runs many ensembles, so it uses at most ``max_samples``
    members drawn with the run's seed (all of the run's members when it has no more).
    """
    ids = [r.id for r in table.itertuples() if r.verdict != "on track" or r.p_met < confidence]
    try:
        from ..whatittakes import what_it_takes_table
    except ImportError:
        return "unavailable", None, 0
    if not ids:
        return "none", None, 0
    import inspect

    members = min(result.n, max_samples)
    kw = {}
    accepted = inspect.signature(what_it_takes_table).parameters
    if "samples" in accepted and "seed" in accepted:
        kw = {"samples": members, "seed": result.seed}
    try:
        df = what_it_takes_table(result.scenario, model, confidence=confidence, targets=ids, **kw)
    except ImportError:
        return "unavailable", None, 0
    except Exception as exc:  # the report still goes out, saying why this section is empty
        return "failed", f"{type(exc).__name__}: {exc}", members
    return "ok", df, members


def fit_files() -> tuple[pd.DataFrame | None, dict | None]:
    """calibration/fit_table.csv and calibration/fit.yaml when committed (None for each one absent)."""
    table_path, fit_path = paths.CALIBRATION / "fit_table.csv", paths.CALIBRATION / "fit.yaml"
    return _fit_files(str(table_path), _stamp(table_path), str(fit_path), _stamp(fit_path))


def _stamp(p) -> tuple:
    try:
        st = p.stat()
        return st.st_mtime_ns, st.st_size
    except OSError:
        return ()


@lru_cache(maxsize=2)
def _fit_files(table_path: str, table_stamp: tuple, fit_path: str, fit_stamp: tuple):
    import yaml

    table = fit = None
    if table_stamp:
        try:
            table = pd.read_csv(table_path)
        except (OSError, ValueError, pd.errors.ParserError):
            table = None
    if fit_stamp:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser reads the 100 kB file 10x faster
        try:
            with open(fit_path, encoding="utf-8") as fh:
                fit = yaml.load(fh, Loader=loader)  # noqa: S506 - a safe loader
        except (OSError, yaml.YAMLError):
            fit = None
        if not isinstance(fit, dict):
            fit = None
    return table, fit
