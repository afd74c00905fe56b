"""Tables a run writes for the report besides the target table: parameters, levers, drivers, scenario record.

Each function takes the ensemble (and the compiled model where defaults are needed) and returns a
plain DataFrame or dict; :func:`innosd.outputs.write_run` writes them into the run folder, and the
report reads them back (:mod:`innosd.runfolder`) instead of running anything.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from . import paths
from .levers import default_grid
from .quantity import target_value


def parameter_table(result, model) -> pd.DataFrame:
    """Each parameter the run drew or the scenario set: default, median and 90% interval, scenario override.

    Parameters
    ----------
    result : EnsembleResult
        The run; ``result.params`` is (n, p).
    model : CompiledModel
        For the defaults (``model.constants``).

    Returns
    -------
    pandas.DataFrame
        Columns parameter, default, median, q05, q95 (model units), override (text, empty when none).
    """
    sc, params = result.scenario, result.params
    overrides = {k: f"= {v:g}" for k, v in sc.parameters.items()}
    for up in sc.uncertain_parameters:
        overrides[up.name] = f"× U[{up.low:g}, {up.high:g}]" if up.scale else f"U[{up.low:g}, {up.high:g}]"
    rows = []
    for name in dict.fromkeys(list(params.columns) + list(overrides)):
        v = params[name].to_numpy(float) if name in params.columns else np.array([np.nan])
        q05, med, q95 = np.quantile(v, [0.05, 0.5, 0.95])
        rows.append({"parameter": name, "default": model.constants.get(name, np.nan), "median": med,
                     "q05": q05, "q95": q95, "override": overrides.get(name, "")})
    return pd.DataFrame(rows, columns=["parameter", "default", "median", "q05", "q95", "override"])


def lever_table(result, model) -> pd.DataFrame:
    """Every lever of the model by calendar year: the model's default path, the scenario's, its band.

    Returns
    -------
    pandas.DataFrame
        Columns lever, year (calendar year whose flows the value drives), default, scenario (NaN when
        the scenario leaves the lever at its default), low, high (the declared uncertainty, NaN when none).
    """
    sc = result.scenario
    x = default_grid(sc.start, sc.end)
    frames = []
    for name, (dx, dy) in model.lookups.items():
        part = pd.DataFrame({"lever": name, "year": x,  # lever tables are in calendar years (innosd.levers)
                             "default": np.interp(x, np.asarray(dx, float), np.asarray(dy, float))})
        part["scenario"] = part["low"] = part["high"] = np.nan
        lever = sc.levers.get(name)
        if lever is not None:
            y = np.interp(x, lever.x, lever.y)
            part["scenario"] = y
            if lever.uncertainty:
                kind, lo, hi = lever.uncertainty
                low, high = (y + lo, y + hi) if kind == "shift" else (y * lo, y * hi)
                if lever.limits:
                    low, high = np.clip(low, *lever.limits), np.clip(high, *lever.limits)
                acting = x >= lever.acts_from
                part.loc[acting, "low"], part.loc[acting, "high"] = low[acting], high[acting]
        frames.append(part)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["lever", "year", "default", "scenario", "low", "high"])


def lever_draws(result, model) -> pd.DataFrame:
    """Per-member draw (n rows) of every lever with declared uncertainty, or an empty frame.

    The run does not keep these draws, so they are drawn again from the run's seed in the run's
    order (parameters first, then levers); the parameter draws are compared with the run's to make
    sure the replay matches (an empty frame when it does not).
    """
    from .ensemble import parameter_sets

    sc = result.scenario
    if not any(lv.uncertainty for lv in sc.levers.values()):
        return pd.DataFrame(index=range(result.n))
    rng = np.random.default_rng(result.seed)
    params = parameter_sets(sc, model, result.calibration, result.n, rng)
    if not params.reset_index(drop=True).equals(result.params.reset_index(drop=True)):
        return pd.DataFrame(index=range(result.n))
    cols = {}
    for name, lever in sc.levers.items():
        if lever.uncertainty:
            kind, lo, hi = lever.uncertainty
            cols[f"{name} ({kind})"] = rng.uniform(lo, hi, size=(result.n, 1))[:, 0]
    return pd.DataFrame(cols)


def driver_table(result, model) -> pd.DataFrame:
    """Spearman rank correlation of each varying input with each target's quantity in its deadline year.

    Parameters
    ----------
    result : EnsembleResult
        The run (n members).
    model : CompiledModel
        The model the run used (to replay lever draws).

    Returns
    -------
    pandas.DataFrame
        Columns target, input, rho; within a target the largest |rho| first. A target whose quantity
        does not vary, or a run where no input varies, has no rows.
    """
    params = result.params.reset_index(drop=True)
    keep = [c for c in params.columns if params[c].nunique() > 1]
    inputs = pd.concat([params[keep], lever_draws(result, model)], axis=1)
    rows = []
    if inputs.shape[1]:
        ranks = inputs.rank()
        for t in result.scenario.targets:
            y = target_value(result.time, result.data[t.indicator], t)
            if np.ptp(y) == 0:
                continue
            ry = pd.Series(y).rank()
            rho = ranks.corrwith(ry).dropna()
            for name, v in rho.reindex(rho.abs().sort_values(ascending=False).index).items():
                rows.append({"target": t.id, "input": name, "rho": float(v)})
    return pd.DataFrame(rows, columns=["target", "input", "rho"])


def structure_record(model_path) -> dict:
    """The model's feedback loops, stocks and Chinese variable names, read (not run) from its .mdl file.

    Written into the run folder so the report never parses the model itself.

    Returns
    -------
    dict
        ``loops``: lists of variable names (reinforcing, then balancing, then undetermined; shortest first
        within each), ``loop_names``: their names (R1…, B1…, U1…); ``stocks``: name, units, inflows, outflows,
        doc; ``names_zh``: English name -> Chinese name where the model's glossary or documentation has one.
    """
    from .diagram.loops import named_loops
    from .diagram.names import chinese_names
    from .structure import read_structure, stock_flow_table

    structure = read_structure(str(Path(model_path).resolve()))
    loops = named_loops(structure)               # R1…/B1… as the model README, the diagram and `innosd loops` name them
    return {"loops": [list(lp.variables) for lp in loops], "loop_names": [lp.name for lp in loops],
            "stocks": stock_flow_table(structure), "names_zh": chinese_names(structure, model_path)}


def scenario_record(scenario, model) -> dict:
    """What the report shows of the scenario itself, so it never has to load or validate it again.

    Returns
    -------
    dict
        name, description, region, horizon, thresholds, calibrated, assumptions, their Chinese twins
        (``description_zh``, ``assumptions_zh``, and each target's label and note in ``target_text``), model
        file, the model's time step and save period, and the text of the scenario file and each file it extends.
    """
    return {
        "name": scenario.name,
        "description": scenario.description,
        "region": scenario.region,
        "start": scenario.start,
        "end": scenario.end,
        "on_track": scenario.on_track,
        "off_track": scenario.off_track,
        "calibrated": scenario.calibrated,
        "assumptions": list(scenario.assumptions),
        # the Chinese twins of the free text (innosd.scenario_text; None / absent where not translated)
        "description_zh": scenario.zh.get("description"),
        "assumptions_zh": scenario.zh.get("assumptions"),
        "target_text": {str(t.get("id")): {k: str(t[k]) for k in ("label", "note", "label_zh", "note_zh") if t.get(k)}
                        for t in scenario.raw.get("targets") or [] if isinstance(t, dict)},
        "path": shown(scenario.path),
        "project": str(paths.ROOT),  # where a re-render finds the model, calibration and data files
        "model_path": shown(scenario.model_path),
        "control": {k: model.control.get(k) for k in ("time_step", "saveper") if k in model.control},
        "files": [{"path": shown(p), "text": text} for p, text in scenario_files(scenario.path)],
    }


def scenario_files(path: Path) -> list[tuple[Path, str]]:
    """The scenario file's text and, for a scenario that extends others, each base file's text."""
    out, seen = [], set()
    path = Path(path)
    while path.is_file() and path.resolve() not in seen:
        seen.add(path.resolve())
        text = path.read_text(encoding="utf-8", errors="replace")
        out.append((path, text))
        try:
            raw = yaml.safe_load(text)
        except yaml.YAMLError:
            break
        if not isinstance(raw, dict) or "extends" not in raw:
            break
        nxt = path.parent / str(raw["extends"])
        path = nxt if nxt.is_file() else paths.SCENARIOS / str(raw["extends"])
    return out


def input_files(scenario, calibration=None) -> dict[str, str]:
    """Shown path -> sha256 of every input file the run rests on (scenario, model, calibration, data).

    The calibration files are those of the run's own vintage (beside its posterior.csv).
    """
    path = getattr(calibration, "path", None)
    folder = paths.ROOT / Path(path).parent if path else paths.CALIBRATION
    files = {}
    for p in (scenario.path, Path(scenario.model_path), paths.PARAMETERS_YAML, paths.OBSERVED_CSV,
              folder / "posterior.csv", folder / "fit.yaml", folder / "fit_table.csv"):
        p = Path(p)
        if p.is_file():
            files[shown(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
    return files


def shown(p) -> str:
    """A path relative to the project root where possible (the same on every machine), else its name."""
    p = Path(p).resolve()
    try:
        return str(p.relative_to(paths.ROOT))
    except ValueError:
        return p.name
