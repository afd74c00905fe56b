"""Model structures: the formulations behind the model's structure switch, and their weights by evidence.

``calibration/parameters.yaml`` declares them under ``structures``: the switch (a model constant), and per
structure its value, a description and the parameters that act only in it. Each structure is calibrated on its
own (:func:`structure_priors` drops the other structures' parameters, :func:`fixed_constants` holds the switch);
:func:`evidence_weights` turns their log evidences into weights (equal prior weights), which
``calibration/structures.csv`` records per data vintage and the ensemble uses to draw members.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import paths
from ..errors import InputError
from .priors import Priors

#: Columns of calibration/structures.csv, in order (documented in calibration/README.md).
COLUMNS = ("vintage", "structure", "switch", "value", "log_evidence", "log_evidence_se", "weight", "description")
STRUCTURES_CSV = "structures.csv"


@dataclass(frozen=True)
class Structure:
    """One formulation: ``name``, the ``switch`` constant and its ``value``, ``description``, own ``parameters``."""

    name: str
    switch: str
    value: float
    description: str
    parameters: tuple[str, ...]


def load_structures(path: str | Path | None = None, model=None) -> list[Structure]:
    """The structures declared in parameters.yaml, in file order; [] when it declares none.

    Raises
    ------
    InputError
        When the section is malformed, or (given ``model``) the switch is not a model constant.
    """
    from .. import textio

    path = Path(path or paths.PARAMETERS_YAML)
    shown = textio.shown(path)
    data, _ = textio.read_yaml(path, "yaml", "parameters file")
    spec = data.get("structures") if isinstance(data, dict) else None
    if not spec:
        return []
    switch = spec.get("switch") if isinstance(spec, dict) else None
    options = spec.get("options") if isinstance(spec, dict) else None
    if not isinstance(switch, str) or not isinstance(options, dict) or len(options) < 2:
        raise InputError(shown, "structures", "needs a switch (a model constant) and at least two options",
                         "write structures: {switch: NAME, options: {a: {value: 0, ...}, b: {value: 1, ...}}}")
    if model is not None and switch not in model.constants:
        raise InputError(shown, "structures.switch", f"{switch!r} is not a constant of the model",
                         "name the model constant that selects the formulation")
    known = set(data.get("parameters") or {})
    out, values = [], set()
    for name, opt in options.items():
        fld = f"structures.options.{name}"
        value = opt.get("value") if isinstance(opt, dict) else None
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise InputError(shown, f"{fld}.value", "must be a number", "write value: 0 (the switch's value)")
        params = tuple(opt.get("parameters") or ())
        unknown = [p for p in params if p not in known]
        if unknown:
            raise InputError(shown, f"{fld}.parameters", f"{', '.join(unknown)} not under parameters",
                             "list parameters declared in the parameters section")
        if float(opt["value"]) in values:
            raise InputError(shown, f"{fld}.value", "repeats another structure's value", "give each its own value")
        values.add(float(opt["value"]))
        out.append(Structure(str(name), switch, float(opt["value"]), " ".join(str(opt.get("description", "")).split()),
                             params))
    return out


def structure_priors(priors: Priors, structure: Structure | None, structures: list[Structure]) -> Priors:
    """``priors`` without the parameters that act only in the other structures (all of them for None)."""
    if structure is None:
        return priors
    others = {p for s in structures if s.name != structure.name for p in s.parameters}
    return priors.subset([n for n in priors.names if n not in others])


def fixed_constants(structure: Structure | None) -> dict:
    """Model constants a structure's calibration holds: its switch value."""
    return {} if structure is None else {structure.switch: structure.value}


def label_members(values: np.ndarray, structures: list[Structure]) -> np.ndarray:
    """Structure name (n,) of each member from its switch value (n,); '' where no structure has that value."""
    values = np.asarray(values, float)
    out = np.full(values.shape, "", dtype=object)
    for s in structures:
        out[np.isclose(values, s.value)] = s.name
    return out


def evidence_weights(log_evidence: np.ndarray) -> np.ndarray:
    """Posterior structure weights (k,) from log evidences (k,) with equal prior weights."""
    z = np.asarray(log_evidence, float)
    w = np.exp(z - np.max(z))
    return w / w.sum()


def run_weights(runs) -> np.ndarray:
    """Weights (k,) of calibration runs of several structures by their log evidence ([1] for one run)."""
    if len(runs) == 1:
        return np.ones(1)
    return evidence_weights([r.diagnostics["log_evidence"] for r in runs])


def mix(draws: list[np.ndarray], weights: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Pool per-structure draws (k_s, ...) into one sample of the mixture.

    As many draws as all structures have together, taken from each structure in proportion to its weight
    (with replacement).
    """
    if len(draws) == 1:
        return draws[0]
    total = sum(len(d) for d in draws)
    counts = np.floor(np.asarray(weights, float) * total).astype(int)
    counts[np.argmax(weights)] += total - counts.sum()
    parts = [d[rng.integers(0, len(d), size=c)] for d, c in zip(draws, counts, strict=True) if c > 0]
    return np.concatenate(parts, axis=0)


def mixture_log_evidence(log_evidence: np.ndarray) -> float:
    """Log of the evidence averaged over the structures with equal prior weights."""
    z = np.asarray(log_evidence, float)
    m = float(np.max(z))
    return m + float(np.log(np.mean(np.exp(z - m))))


def structures_table(vintage: int, structures: list[Structure], log_evidence, log_evidence_se) -> pd.DataFrame:
    """The rows of structures.csv for one vintage (weights sum to 1)."""
    w = evidence_weights(log_evidence)
    return pd.DataFrame([{"vintage": int(vintage), "structure": s.name, "switch": s.switch, "value": s.value,
                          "log_evidence": float(z), "log_evidence_se": float(se), "weight": float(wi),
                          "description": s.description}
                         for s, z, se, wi in zip(structures, log_evidence, log_evidence_se, w, strict=True)],
                        columns=list(COLUMNS))


def update_structures_csv(table: pd.DataFrame, path: str | Path | None = None) -> Path:
    """Replace the rows of ``table``'s vintage in calibration/structures.csv (other vintages kept), atomically."""
    from ..atomic import atomic_file

    path = Path(path or paths.CALIBRATION / STRUCTURES_CSV)
    old = read_structures_csv(path)
    if not old.empty:
        old = old[~old.vintage.isin(table.vintage.unique())]
    new = pd.concat([old, table], ignore_index=True) if not old.empty else table
    new = new.sort_values(["vintage"], kind="stable").reset_index(drop=True)
    with atomic_file(path) as fh:
        new.to_csv(fh, index=False, float_format="%.6g")
    return path


def read_structures_csv(path: str | Path | None = None) -> pd.DataFrame:
    """calibration/structures.csv (empty frame when absent)."""
    path = Path(path or paths.CALIBRATION / STRUCTURES_CSV)
    if not path.is_file():
        return pd.DataFrame(columns=list(COLUMNS))
    return pd.read_csv(path)
