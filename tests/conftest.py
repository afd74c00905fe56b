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


@pytest.fixture(scope="session")
def pysd_tianjin(tmp_path_factory):
    """PySD's translation of the Tianjin model (a temporary copy), shared: translating takes ~15 s."""
    import shutil
    import warnings

    import pysd

    mdl = REPO / "model" / "tianjin_innovation.mdl"
    copy = tmp_path_factory.mktemp("pysd-tianjin") / mdl.name
    shutil.copy(mdl, copy)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pysd.read_vensim(str(copy))
