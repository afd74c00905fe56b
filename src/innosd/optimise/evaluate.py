"""Judge many candidate portfolios on the same futures: one batched pass, locally or on a Dask cluster.

A generation of k candidates is cut into tasks of a few candidates each, every candidate run on
all n futures (candidates x members per task). Each candidate is one engine call with its own
lever tables and the same parameter draws, lever draws and predictive noise, so its result does
not depend on which task, process or worker ran it: the same seed gives the same numbers locally
and on any number of Dask workers.

Locally the tasks run in worker processes, one per CPU, started once per search (they compile the model
and receive the futures once). Threads would share one interpreter: at 1,000 members an engine call is
mostly Python work per time step, which holds the GIL, so two threads ran a generation no faster than
one, while two processes run it 2.5 times as fast (benchmarks/README.md).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import UserError
from ..indicators import INDICATORS
from ..processes import process_pool
from ..targets import ASSUMPTION_RTOL, met_matrix

#: How long to wait for a Dask scheduler to answer before giving up.
CONNECT_TIMEOUT = "10s"


class SchedulerError(UserError):
    """The Dask scheduler given with ``--scheduler`` cannot be used (one line, exit 2)."""

    def __init__(self, address: str, problem: str, fix: str):
        self.address, self.problem, self.fix = address, problem, fix
        super().__init__(self.line())

    def line(self) -> str:
        """``error: --scheduler ADDRESS: PROBLEM; fix: FIX``."""
        return f"error: --scheduler {self.address}: {self.problem}; fix: {self.fix}"


@dataclass
class Evaluation:
    """Target outcomes of k candidates on n futures, T targets.

    Attributes
    ----------
    met : numpy.ndarray
        (k, T) number of futures meeting each target.
    fixed : numpy.ndarray
        (k, T) True where the target's quantity is the same in every future (set by assumption).
    median : numpy.ndarray
        (k, T) median over futures of each target's quantity, in the target's unit.
    values : numpy.ndarray or None
        (k, n, T) each future's quantity, when asked for (robustness).
    """

    met: np.ndarray
    fixed: np.ndarray
    median: np.ndarray
    values: np.ndarray | None = None


@dataclass(frozen=True)
class ModelRef:
    """A model file a worker compiles for itself: its path, text and sha256 (the text travels if the path does not)."""

    path: str
    text: str
    sha256: str

    @classmethod
    def of(cls, model) -> ModelRef:
        """The reference of a compiled model (read from its file)."""
        data = Path(model.path).read_bytes()
        return cls(str(model.path), data.decode("utf-8"), hashlib.sha256(data).hexdigest())


_MODELS: dict = {}


def _model(ref):
    """The compiled model for ``ref`` in this process (compiled once; from a private copy when the path differs)."""
    if not isinstance(ref, ModelRef):
        return ref
    if ref.sha256 in _MODELS:
        return _MODELS[ref.sha256]
    if ref.sha256 not in _MODELS:
        from ..engine import compile_model

        path = Path(ref.path)
        if not (path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == ref.sha256):
            folder = Path(tempfile.mkdtemp(prefix="innosd-model-"))
            path = folder / Path(ref.path).name
            path.write_text(ref.text, encoding="utf-8")
        _MODELS[ref.sha256] = compile_model(path)
    return _MODELS[ref.sha256]


def run_block(model, futures, targets, start: int, candidates: list, keep: bool = False) -> list:
    """Run candidates on every future: a task of the batched pass (runs on a thread or a Dask worker).

    Parameters
    ----------
    model : CompiledModel or ModelRef
    futures : Futures
    targets : list of Target
    start : int
        The model's first year (the horizon's start).
    candidates : list of dict
        Per candidate, the optimised levers' paths (lever -> LeverPath).
    keep : bool
        Also return every future's target quantities.

    Returns
    -------
    list of tuple
        Per candidate ``(met (T,), fixed (T,), median (T,), values (n, T) or None)``.
    """
    model = _model(model)
    n = futures.n
    final = float(max(t.year for t in targets))
    variables = sorted({INDICATORS[t.indicator].variable for t in targets})
    # arrays that arrive over the network may be unaligned views of a message: numpy runs slower on those
    params = {k: _aligned(v) for k, v in futures.params.items()}
    base = {k: (x, _aligned(y)) for k, (x, y) in futures.lookups.items()}
    noise = {k: _aligned(v) for k, v in futures.noise.items()}
    out = []
    for cand in candidates:
        lookups = dict(base)
        for lever, path in cand.items():
            u = futures.draws.get(lever)
            lookups[lever] = (path.x, path.with_draw(u, n) if u is not None and path.uncertainty else path.y)
        res = model.run(n=n, params=params, lookups=lookups, final_time=final, outputs=variables, workers=1)
        data = {}
        for v in variables:
            y = np.asarray(res[v])
            data[v] = y * noise[v][:, : y.shape[1]] if v in noise else y
        values = np.empty((n, len(targets)))
        for i, t in enumerate(targets):
            y = data[INDICATORS[t.indicator].variable]
            values[:, i] = y[:, t.year - start] - (y[:, t.change_since - start] if t.change_since is not None else 0.0)
        met = np.array([met_matrix(values[:, i], t).sum() for i, t in enumerate(targets)])
        median = np.median(values, axis=0)
        fixed = (np.ptp(values, axis=0) <= ASSUMPTION_RTOL * np.maximum(1.0, np.abs(median))) & (n > 1)
        out.append((met, fixed, median, values if keep else None))
    return out


def _aligned(a):
    """``a`` as an aligned, C-ordered array (a copy only when it is not one already)."""
    return np.require(a, dtype=float, requirements=("A", "C")) if isinstance(a, np.ndarray) else a


_LOCAL: dict = {}   # a local worker process's model, futures, targets and start (set once by _start_local)


def _start_local(ref, futures, targets, start: int) -> None:
    """Initialise a local worker process: compile the model once and keep the search's futures."""
    _LOCAL.update(model=_model(ref), futures=futures, targets=targets, start=start)


def _run_local(block: list, keep: bool) -> list:
    """:func:`run_block` in a local worker process, on what :func:`_start_local` kept."""
    return run_block(_LOCAL["model"], _LOCAL["futures"], _LOCAL["targets"], _LOCAL["start"], block, keep)


class Evaluator:
    """Evaluates generations of candidates on fixed futures, in local processes or on a Dask cluster.

    Parameters
    ----------
    model : CompiledModel
    targets : list of Target
    start : int
        The model's first year.
    scheduler : str, optional
        ``tcp://HOST:PORT`` of a Dask scheduler; None: local processes.
    workers : int, optional
        Local worker processes (default: one per CPU; 1 runs every candidate in this process).
    """

    def __init__(self, model, targets, start: int, scheduler: str | None = None, workers: int | None = None):
        self.model, self.targets, self.start = model, list(targets), start
        self.futures = None
        self.workers = workers or os.cpu_count() or 1
        self.client = _connect(scheduler) if scheduler else None  # an unreachable scheduler fails here, first
        self.runs = 0
        self.pool = None
        if self.client is not None:
            self._model_ref = ModelRef.of(model)
            self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))

    def attach(self, futures) -> None:
        """Judge every candidate on ``futures`` (sent once to every Dask worker)."""
        self.futures = futures
        if self.client is not None:
            self._futures = self.client.scatter(futures, broadcast=True)
            self.client.run(_model, self._model_ref)  # every worker compiles the model once, before the clock runs
        elif self.workers > 1:
            self._close_pool()
            self.pool = process_pool(self.workers, _start_local,
                                     (ModelRef.of(self.model), futures, self.targets, self.start))
            list(self.pool.map(_ready, range(self.workers)))   # started and compiled before the clock runs

    @property
    def where(self) -> str:
        """Where candidates run, for provenance."""
        if self.client is None:
            return f"local, {self.workers} process{'es' if self.workers > 1 else ''}"
        return f"dask {self.client.scheduler.address}, {self.workers} workers"

    def evaluate(self, candidates: list, keep: bool = False) -> Evaluation:
        """Outcomes of the candidates (a list of lever -> LeverPath dicts), all in one batched pass."""
        k = len(candidates)
        if k == 0:
            T = len(self.targets)
            return Evaluation(np.zeros((0, T), int), np.zeros((0, T), bool), np.zeros((0, T)))
        size = max(1, -(-k // (4 * self.workers)))     # four tasks per worker: even loads, little traffic
        blocks = [candidates[i:i + size] for i in range(0, k, size)]
        if self.client is None and self.pool is None:
            parts = [run_block(self.model, self.futures, self.targets, self.start, b, keep) for b in blocks]
        elif self.client is None:
            parts = list(self.pool.map(_run_local, blocks, [keep] * len(blocks)))
        else:
            tasks = self.client.map(run_block, [self._model_ref] * len(blocks), [self._futures] * len(blocks),
                                    [self.targets] * len(blocks), [self.start] * len(blocks), blocks,
                                    [keep] * len(blocks), pure=False)
            parts = self.client.gather(tasks)
        rows = [r for part in parts for r in part]
        self.runs += k * self.futures.n
        return Evaluation(np.array([r[0] for r in rows]), np.array([r[1] for r in rows]),
                          np.array([r[2] for r in rows]), np.array([r[3] for r in rows]) if keep else None)

    def close(self) -> None:
        """Stop the local worker processes, or release the Dask client (the cluster itself keeps running)."""
        self._close_pool()
        if self.client is not None:
            self.client.close()
            self.client = None

    def _close_pool(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None


def _ready(_: int) -> bool:
    """A no-op task: returns once the worker that runs it has started and compiled the model."""
    return "model" in _LOCAL


def _connect(address: str):
    """A Dask client for ``address``; one line with the fix when distributed is missing or nobody answers."""
    try:
        from distributed import Client
    except ImportError:
        raise SchedulerError(address, "the Dask 'distributed' package is not installed",
                             "pip install distributed (or leave out --scheduler to run locally)") from None
    if not isinstance(address, str) or "://" not in address:
        raise SchedulerError(address, "not a scheduler address", "give tcp://HOST:PORT, e.g. tcp://127.0.0.1:8786")
    try:
        return Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise SchedulerError(address, f"no Dask scheduler answers ({type(exc).__name__})",
                             "start one with `dask scheduler` and workers with `dask worker ADDRESS`, "
                             "or leave out --scheduler to run locally") from None
