"""Where a project's content folders are (model/, scenarios/, calibration/, reports/).

A *project* is a folder with a ``model/`` folder holding a Vensim ``.mdl`` file, beside
``scenarios/``, ``calibration/`` and ``reports/`` (the repository is one). Commands work from any
folder: the project a scenario runs in is found, in this order, from ``--project``; the
scenario file's folder and its parents; the project of the scenario it ``extends``; the project
innosd is installed from (:func:`installed`). See :func:`innosd.scenario.find_project`.

The module attributes ``ROOT``, ``MODEL_FILE``, ``SCENARIOS``, ``CALIBRATION``, ``REPORTS``,
``OBSERVED_CSV``, ``PARAMETERS_YAML`` and ``SOURCES`` are the folders of the *current* project:
the one made current with :func:`use` (per thread / task, through a context variable), else the
installed one. Read them as ``paths.REPORTS`` at call time, never ``from paths import REPORTS``.
"""

from __future__ import annotations

import contextvars
import os
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODEL_NAME = "tianjin_innovation.mdl"


@dataclass(frozen=True)
class Project:
    """A project folder and where its outputs go.

    Attributes
    ----------
    root : pathlib.Path
        The folder holding ``model/``, ``scenarios/``, ``calibration/``.
    reports : pathlib.Path
        Where outputs are written: ``root/reports`` for a scenario inside the project, else
        ``reports/`` beside the scenario file (the planner's own folder).
    """

    root: Path
    reports: Path

    @classmethod
    def at(cls, root: str | Path) -> Project:
        """The project at ``root`` with its own ``reports/`` folder."""
        root = Path(root).resolve()
        return cls(root, root / "reports")

    @property
    def model_file(self) -> Path:
        """The project's model: ``model/tianjin_innovation.mdl``, else the only ``.mdl`` in ``model/``."""
        default = self.root / "model" / MODEL_NAME
        if default.is_file():
            return default
        found = sorted((self.root / "model").glob("*.mdl"))
        return found[0] if len(found) == 1 else default

    @property
    def scenarios(self) -> Path:
        """The project's scenario files: ``scenarios/``."""
        return self.root / "scenarios"

    @property
    def calibration(self) -> Path:
        """The project's calibration folder (priors, measurement model, posteriors): ``calibration/``."""
        return self.root / "calibration"

    @property
    def sources(self) -> Path:
        """The cited source documents: ``../shared/sources`` beside the project."""
        return self.root.parent / "shared" / "sources"


def is_project(folder: Path) -> bool:
    """True when ``folder`` holds a ``model/`` folder with a ``.mdl`` file."""
    model = folder / "model"
    try:
        return model.is_dir() and any(model.glob("*.mdl"))
    except OSError:
        return False


def enclosing(path: str | Path) -> Project | None:
    """The project containing ``path`` (a file or folder): it or its nearest parent that is one."""
    p = Path(path).resolve()
    for folder in ([p] if p.is_dir() else []) + list(p.parents):
        if is_project(folder):
            return Project.at(folder)
    return None


@lru_cache(maxsize=1)
def installed() -> Project:
    """The project innosd is installed from: ``$INNOSD_HOME``, else the checkout holding this package."""
    env = os.environ.get("INNOSD_HOME")
    if env:
        return Project.at(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "model").is_dir() and (parent / "pyproject.toml").is_file():
            return Project.at(parent)
    return Project.at(Path.cwd())


_CURRENT: contextvars.ContextVar[Project | None] = contextvars.ContextVar("innosd_project", default=None)


def chosen() -> Project | None:
    """The project made current with :func:`use`, or None when none was chosen."""
    return _CURRENT.get()


def current() -> Project:
    """The current project: the one chosen with :func:`use`, else :func:`installed`."""
    return _CURRENT.get() or installed()


@contextmanager
def use(project: Project | str | Path | None):
    """Make ``project`` current inside the ``with`` block (None: leave the current one)."""
    if project is None:
        yield current()
        return
    if not isinstance(project, Project):
        project = Project.at(project)
    token = _CURRENT.set(project)
    try:
        yield project
    finally:
        _CURRENT.reset(token)


def project_root() -> Path:
    """The current project's folder (kept for callers of the old API)."""
    return current().root


_ATTRIBUTES = {
    "ROOT": lambda p: p.root,
    "MODEL_FILE": lambda p: p.model_file,
    "SCENARIOS": lambda p: p.scenarios,
    "CALIBRATION": lambda p: p.calibration,
    "REPORTS": lambda p: p.reports,
    "OBSERVED_CSV": lambda p: p.calibration / "observed.csv",
    "PARAMETERS_YAML": lambda p: p.calibration / "parameters.yaml",
    "SOURCES": lambda p: p.sources,
}


def __getattr__(name: str):
    """``paths.REPORTS`` and friends: the folders of :func:`current`."""
    if name in _ATTRIBUTES:
        return _ATTRIBUTES[name](current())
    raise AttributeError(f"module 'innosd.paths' has no attribute {name!r}")
