"""One-member simulation as a wide table, with either engine (for ``innosd simulate``)."""

from __future__ import annotations

import shutil
import tempfile
import warnings
from pathlib import Path

import pandas as pd

from .compiled import compile_model

CONTROL_NAMES = ("INITIAL TIME", "FINAL TIME", "TIME STEP", "SAVEPER")


def simulate_csv(path, engine: str = "numpy") -> pd.DataFrame:
    """Run ``path`` over its own control settings with default parameters.

    Returns a frame whose first column is ``Time`` followed by one column per
    model variable (Vensim names, model order, control variables and lookups
    excluded).  ``engine`` is ``"numpy"`` (this engine) or ``"pysd"`` (PySD's
    own translation, run from a temporary copy of the model).
    """
    cm = compile_model(path)
    columns = [cm.variables[py].name for py in cm.output_names("all")]
    if engine == "numpy":
        frame = cm.run(outputs=cm.output_names("all")).to_frame(0)
    elif engine == "pysd":
        frame = run_pysd(path)
        frame = frame[[c for c in columns if c in frame.columns]].astype(float)
    else:
        raise ValueError("engine must be 'numpy' or 'pysd', got %r" % engine)
    frame.index.name = "Time"
    return frame.reset_index()


def run_pysd(path, **run_kwargs) -> pd.DataFrame:
    """PySD's ``read_vensim(path).run(**run_kwargs)`` on a temporary copy of the model."""
    import pysd

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / Path(path).name
        shutil.copy(path, copy)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = pysd.read_vensim(str(copy))
            return model.run(**run_kwargs)
