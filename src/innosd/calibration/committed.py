"""A committed calibration read back as calibration runs, one per model structure.

``innosd forecast --until Y`` with the committed settings would recalibrate to bitwise the committed
posterior (same data, code and seed); :func:`committed_runs` reads that posterior instead, so the forecast
and the tests built on it take seconds. Each returned :class:`CommittedRun` has what the forecast and the
scores need (the problem, the draws x and sigma_d, settings, measurement, structure, log evidence).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .calibrate import Settings, vintage_folder, vintage_problem
from .likelihood import Problem
from .measurement import Measurement
from .structures import Structure, load_structures


@dataclass
class CommittedRun:
    """One structure's committed posterior: the attributes of a CalibrationRun the forecast reads."""

    settings: Settings
    measurement: Measurement
    problem: Problem
    x: np.ndarray                 # (draws, p) model constants, in problem.priors order
    sigma_d: np.ndarray           # (draws, g) discrepancy sigmas, in problem.groups order
    structure: Structure | None
    diagnostics: dict = field(default_factory=dict)

    @property
    def priors(self):
        """The priors of the structure's parameters (the problem's)."""
        return self.problem.priors


def committed_settings(until: int) -> Settings | None:
    """The settings the committed calibration of vintage ``until`` was made with (None when there is none)."""
    fit = vintage_folder(until) / "fit.yaml"
    if not fit.is_file():
        return None
    data = yaml.safe_load(fit.read_text(encoding="utf-8")) or {}
    s = data.get("settings") or {}
    known = set(Settings.__dataclass_fields__)
    return Settings(**{k: v for k, v in s.items() if k in known})


def committed_runs(until: int, model=None) -> list[CommittedRun]:
    """The committed calibration of vintage ``until`` as one run per structure (one run when it has none)."""
    from ..model import load_model

    model = model or load_model()
    folder = Path(vintage_folder(until))
    settings = committed_settings(until)
    post = pd.read_csv(folder / "posterior.csv")
    fit = yaml.safe_load((folder / "fit.yaml").read_text(encoding="utf-8")) or {}
    evidence = {s["name"]: (s["log_evidence"], s["log_evidence_se"]) for s in fit.get("structures") or []}
    dg = fit.get("diagnostics") or {}
    found = load_structures(model=model) if "structure" in post.columns else []
    out = []
    for st in found or [None]:
        rows = post if st is None else post[post["structure"] == st.name]
        problem, meas = vintage_problem(until, model, structure=st)
        x = rows[list(problem.priors.names)].to_numpy(float)
        sd = rows[[f"sigma_d.{g}" for g in problem.groups]].to_numpy(float)
        z, se = evidence[st.name] if st is not None else (dg.get("log_evidence"), dg.get("log_evidence_se"))
        out.append(CommittedRun(settings, meas, problem, x, sd, st,
                                {"log_evidence": float(z or 0.0), "log_evidence_se": float(se or 0.0)}))
    return out
