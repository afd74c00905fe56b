"""One-member simulation as a wide table, with either engine (for ``innosd simulate``)."""

from __future__ import annotations

import shutil
import tempfile
import warnings
from pathlib import Path

import pandas as pd

from .compiled import compile_model
from .errors import ParameterError, UnsupportedConstructError
from .translate import XMILE_SUFFIXES

CONTROL_NAMES = ("INITIAL TIME", "FINAL TIME", "TIME STEP", "SAVEPER")


def simulate_csv(path, engine: str = "numpy", data_files=None) -> pd.DataFrame:
    """Run ``path`` over its own control settings with default parameters.

    Parameters
    ----------
    path : str or Path
        Vensim (``.mdl``) or XMILE (``.xmile``, ``.xml``, ``.stmx``) model.
    engine : {"numpy", "pysd"}
        This engine, or PySD's own translation run from a temporary copy of the
        model's folder (slow; the reference).
    data_files : list of str or Path, optional
        Files with the series of ``:DATA:`` variables.

    Returns
    -------
    pandas.DataFrame
        First column ``Time``, then one column per model variable in model order
        (control variables and lookups excluded); a subscripted variable has one
        column per element, named as in Vensim's output files: ``name[e1,e2]``.
    """
    if engine == "numpy":
        cm = compile_model(path, data_files)
        frame = cm.run(outputs=cm.output_names("all")).to_frame(0)
    elif engine == "pysd":
        # PySD alone (the engine may not compile the model); columns in model order when
        # the engine can tell it, else in PySD's order
        frame = run_pysd(path, data_files)
        frame = frame[[c for c in frame.columns if c not in CONTROL_NAMES]].astype(float)
        try:
            cm = compile_model(path, data_files)
            order = cm.run(outputs=cm.output_names("all"), final_time=cm.control[
                "initial_time"]).to_frame(0).columns
            frame = frame[[c for c in order if c in frame.columns]
                          + [c for c in frame.columns if c not in set(order)]]
        except UnsupportedConstructError:
            pass
    else:
        raise ParameterError(f"engine must be 'numpy' or 'pysd', got {engine!r}")
    frame.index.name = "Time"
    return frame.reset_index()


def run_pysd(path, data_files=None, **run_kwargs) -> pd.DataFrame:
    """PySD's ``read_vensim``/``read_xmile`` + ``run`` on a temporary copy of the model's folder.

    The files beside the model are copied too (not sub-folders): PySD writes its
    translation next to the model, and a model may read data files beside it.
    """
    import pysd

    path = Path(path).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        for sibling in path.parent.iterdir():
            if sibling.is_file() and sibling.suffix != ".py":
                shutil.copy(sibling, Path(tmp) / sibling.name)
        copy = Path(tmp) / path.name
        reader = pysd.read_xmile if path.suffix.lower() in XMILE_SUFFIXES else pysd.read_vensim
        files = [str(Path(f).resolve()) for f in data_files] if data_files else None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = reader(str(copy), data_files=files)
            return model.run(**run_kwargs)
