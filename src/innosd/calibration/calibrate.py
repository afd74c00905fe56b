"""The calibration pipeline: data vintage -> MAP -> independent SMC runs -> posterior draws and diagnostics.

Writing the files (posterior.csv, fit.yaml, fit_table.csv) is :mod:`.summary`'s job.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import paths
from ..errors import InputError
from .fit import MapResult, fit_map
from .likelihood import Problem
from .measurement import Measurement, load_measurement
from .priors import Priors, load_priors
from .settings import (  # noqa: F401 - the settings and vintages are re-exported here
    COMMITTED_VINTAGES,
    DEFAULT_SEED,
    FIRST_VINTAGE,
    LAST_DATA_YEAR,
    Settings,
)
from .smc import SMCRun, diagnostics, smc_runs
from .stats import identifiability
from .structures import Structure, fixed_constants, load_structures, structure_priors


@dataclass
class CalibrationRun:
    """A finished calibration: the problem, the MAP, the SMC runs and the pooled posterior draws."""

    settings: Settings
    priors: Priors
    measurement: Measurement
    problem: Problem
    map: MapResult
    runs: list[SMCRun]
    diagnostics: dict
    theta: np.ndarray          # (draws, d) pooled particles of all runs, sampler coordinates
    log_lik: np.ndarray        # (draws,)
    width_ratio: np.ndarray    # (p,)
    identified: np.ndarray     # (p,) bool
    seconds: dict = field(default_factory=dict)
    structure: Structure | None = None   # the model structure calibrated (None: the model as it stands)

    @property
    def x(self) -> np.ndarray:
        """Posterior draws of the model constants, (draws, p) in model units."""
        return self.problem.split(self.theta)[0]

    @property
    def sigma_d(self) -> np.ndarray:
        """Posterior draws of the discrepancy sigmas, (draws, g)."""
        return self.problem.split(self.theta)[1]

    @property
    def log_prob(self) -> np.ndarray:
        """Unnormalised log posterior of each draw (draws,)."""
        return self.log_lik + self.problem.log_prior(self.theta)

    def frame(self) -> pd.DataFrame:
        """The posterior draws as posterior.csv holds them, one row per draw.

        Columns: one per model constant (the structure's switch included), ``sigma_d.<group>``, then
        structure, run, log_lik and log_prob.
        """
        df = pd.DataFrame(self.x, columns=list(self.priors.names))
        for name, value in self.problem.fixed.items():
            df[name] = float(value)
        for j, g in enumerate(self.problem.groups):
            df[f"sigma_d.{g}"] = self.sigma_d[:, j]
        if self.structure is not None:
            df["structure"] = self.structure.name
        df["run"] = np.repeat(np.arange(len(self.runs)), [len(r.theta) for r in self.runs])
        df["log_lik"] = self.log_lik
        df["log_prob"] = self.log_prob
        return df


def vintage_problem(until: int, model, measurement: Measurement | None = None,
                    structure: Structure | None = None) -> tuple[Problem, Measurement]:
    """The likelihood of data vintage ``until``: every compared row with year <= until, nothing later.

    With ``structure``, the model's structure switch is held at its value and the parameters acting only in
    the other structures are left out (held at their defaults, where they have no effect).

    Raises
    ------
    InputError
        When the vintage holds no compared row (e.g. before the model's first year).
    """
    meas = measurement or load_measurement()
    obs = meas.comparisons(until=until)
    if obs.empty:
        raise InputError("until", str(until), f"no observation in {meas.horizon_start}-{until} to calibrate on",
                         f"use a vintage from {FIRST_VINTAGE} to {LAST_DATA_YEAR}")
    from ..plan_targets import known_target_lookups

    priors = structure_priors(load_priors(model=model), structure, load_structures(model=model))
    problem = Problem(model, priors, obs, discrepancy_scale=meas.discrepancy_scale, fixed=fixed_constants(structure))
    problem.lookups = known_target_lookups(model, until)     # a later plan is unknown to this vintage
    return problem, meas


def calibrate(settings: Settings | None = None, model=None, progress: bool = True, log=None,
              measurement: Measurement | None = None, structure: Structure | None = None) -> CalibrationRun:
    """Calibrate on the data vintage ``settings.until`` (one model structure).

    Parameters
    ----------
    settings : Settings, optional
        Defaults reproduce the committed calibration.
    model : CompiledModel, optional
        The engine model (default: the bundled one).
    progress : bool
        A bar per SMC run on stderr when it is a terminal.
    log : callable, optional
        Receives one-line progress messages (the CLI prints them).
    measurement : Measurement, optional
        A measurement model over another observed table (tests).
    structure : Structure, optional
        The model structure to calibrate (:func:`calibrate_structures` runs every one); None calibrates the
        model as it stands.

    Returns
    -------
    CalibrationRun
    """
    from ..model import load_model

    s = settings or Settings()
    log = log or (lambda *_: None)
    model = model or load_model()
    problem, meas = vintage_problem(s.until, model, measurement, structure)
    obs = problem.obs
    tag = f"structure {structure.name}, " if structure is not None else ""
    log(f"{tag}vintage {s.until}: {problem.p} parameters + {len(problem.groups)} discrepancy sigmas on {problem.m} "
        f"observations ({int(obs.year.min())}-{int(obs.year.max())}, {obs.series.nunique()} series, "
        f"{int(problem.censored.sum())} lower bounds)")
    t0 = time.perf_counter()
    mp = fit_map(problem, np.random.default_rng(s.seed), starts=s.starts, max_nfev=s.max_nfev, log=log)
    t1 = time.perf_counter()
    log(f"MAP: chi2 {mp.chi2:.2f} over {problem.m} observations ({t1 - t0:.1f} s)")
    runs = smc_runs(problem.log_lik, problem.log_prior, problem.sample_prior, s.particles,
                    [np.random.default_rng([s.seed, k]) for k in range(s.runs)], ess_fraction=s.ess_fraction,
                    jump=s.jump, final_jump=s.final_jump, progress=progress, label=f"{tag}SMC, {s.runs} runs")
    for k, r in enumerate(runs):
        log(f"SMC run {k + 1}/{s.runs}: {r.stages} tempering stages, {sum(r.moves)} moves, "
            f"log evidence {r.log_evidence:.2f}")
    log(f"SMC: {s.runs} runs in lockstep, {time.perf_counter() - t1:.1f} s")
    t2 = time.perf_counter()
    diag = diagnostics(runs, np.random.default_rng([s.seed, 99]), transform=problem.reported)
    theta = np.vstack([r.theta for r in runs])
    log_lik = np.concatenate([r.log_lik for r in runs])
    ratio, ident = identifiability(problem.priors.u_of_z(theta[:, : problem.p]), s.threshold)
    return CalibrationRun(s, problem.priors, meas, problem, mp, runs, diag, theta, log_lik, ratio, ident,
                          {"map": t1 - t0, "smc": t2 - t1, "total": time.perf_counter() - t0}, structure)


def calibrate_structures(settings: Settings | None = None, model=None, progress: bool = True, log=None,
                         measurement: Measurement | None = None, workers: int | None = None) -> list[CalibrationRun]:
    """Calibrate every model structure declared in parameters.yaml on the vintage (one run when none is).

    Each structure gets the same settings and seed; their log evidences weigh them
    (:func:`.structures.evidence_weights`). The structures are independent, so they are calibrated side by
    side in worker processes, one per CPU (each structure's runs already share one engine pass a step); the
    result is the same as one structure after the other.

    Parameters
    ----------
    settings : Settings, optional
        The vintage, particles, runs and seed (default: the committed calibration's).
    model : CompiledModel, optional
        The model (default: the current project's).
    progress : bool
        Progress on stderr (one line per structure when they run side by side).
    log : callable, optional
        Receives each line of the calibration's log (str); in worker processes the lines are collected
        and passed on, structure by structure, when the structures are done.
    measurement : Measurement, optional
        The measurement model (default: calibration/measurement.yaml and observed.csv).
    workers : int, optional
        Processes to calibrate the structures in (default: one per CPU; 1: one after the other here).

    Returns
    -------
    list of CalibrationRun
        One per structure, in the order parameters.yaml declares them.
    """
    import os

    from ..model import load_model

    model = model or load_model()
    structures = load_structures(model=model) or [None]
    workers = min(workers or os.cpu_count() or 1, len(structures))
    if workers <= 1:
        return [calibrate(settings, model, progress, log, measurement, st) for st in structures]
    return _side_by_side(settings, model, progress, log, measurement, structures, workers)


def _side_by_side(settings, model, progress, log, measurement, structures, workers) -> list[CalibrationRun]:
    """:func:`calibrate` of each structure in a worker process of its own; the model is re-attached here."""
    from .. import progress as bar
    from ..processes import process_pool

    root = paths.current().root
    names = ", ".join(st.name for st in structures)
    with bar.stage(f"calibrating {len(structures)} structures side by side ({names})") if progress else _nothing(), \
            process_pool(workers) as pool:
        jobs = [pool.submit(_calibrate_in_worker, settings, str(model.path), root, measurement, st)
                for st in structures]
        done = [job.result() for job in jobs]
    runs = []
    for run, lines in done:
        run.problem.model = model
        for line in lines:
            (log or (lambda *_: None))(line)
        runs.append(run)
    return runs


def _calibrate_in_worker(settings, model_path: str, root, measurement, structure):
    """Calibrate one structure in a worker process; returns the run (without its model) and its log lines."""
    from ..model import load_model

    lines: list[str] = []
    with paths.use(root):
        run = calibrate(settings, load_model(model_path), False, lines.append, measurement, structure)
    run.problem.model = None          # compiled code does not travel between processes; the parent has its own
    return run, lines


@contextmanager
def _nothing():
    yield


def predictions(run: CalibrationRun, obs: pd.DataFrame, x: np.ndarray | None = None) -> np.ndarray:
    """Model values (draws, m) at the rows of ``obs`` for the posterior draws (one engine pass)."""
    pb = Problem(run.problem.model, run.priors, obs, fixed=run.problem.fixed)
    pb.lookups = run.problem.lookups
    return pb.predict(run.x if x is None else x)


def vintage_folder(until: int) -> Path:
    """Where the calibration of vintage ``until`` (a calendar year) is committed.

    calibration/ for the latest data year, else calibration/vintages/YEAR/.
    """
    return paths.CALIBRATION if until == LAST_DATA_YEAR else paths.CALIBRATION / "vintages" / str(until)
