"""Shared fixtures: the compiled Tianjin model and paths."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def model():
    from innosd.model import load_model

    return load_model(REPO / "model" / "tianjin_innovation.mdl")


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="module")
def explorer_project(tmp_path_factory):
    """For the explorer's tests: a project with the repository's model and calibration and a copy of its scenarios."""
    import shutil

    from innosd import paths

    root = tmp_path_factory.mktemp("explorer")
    proj = root / "project"
    proj.mkdir()
    for name in ("model", "calibration"):
        (proj / name).symlink_to(REPO / name, target_is_directory=True)
    if (REPO.parent / "shared").is_dir():  # the cited sources, so quotes are checked as in the repository
        (root / "shared").symlink_to(REPO.parent / "shared", target_is_directory=True)
    shutil.copytree(REPO / "scenarios", proj / "scenarios")
    return paths.Project.at(proj)


@pytest.fixture(scope="module")
def explorer(explorer_project):
    from innosd.explorer.view import Explorer
    from innosd.explorer.workspace import Workspace

    return Explorer(Workspace(explorer_project))
