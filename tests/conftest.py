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
