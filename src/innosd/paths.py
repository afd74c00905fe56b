"""Where the project's content folders are (model/, scenarios/, calibration/, reports/)."""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The repository root: $INNOSD_HOME, else the checkout this package was installed from."""
    env = os.environ.get("INNOSD_HOME")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "model").is_dir() and (parent / "pyproject.toml").is_file():
            return parent
    return Path.cwd()


ROOT = project_root()
MODEL_FILE = ROOT / "model" / "tianjin_innovation.mdl"
SCENARIOS = ROOT / "scenarios"
CALIBRATION = ROOT / "calibration"
REPORTS = ROOT / "reports"
OBSERVED_CSV = CALIBRATION / "observed.csv"
PARAMETERS_YAML = CALIBRATION / "parameters.yaml"
SOURCES = ROOT.parent / "shared" / "sources"
