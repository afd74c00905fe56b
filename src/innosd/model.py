"""Load the model file through the engine, with the lever ranges declared in it."""

from __future__ import annotations

from pathlib import Path

from . import paths
from .errors import InputError


def load_model(path: str | Path | None = None):
    """The compiled engine model for ``path`` (default: the bundled Tianjin model).

    The engine's CompiledModel carries the lever ranges declared in the file
    (``lookup_limits``). The engine caches it per file and modification time.
    """
    p = Path(path or paths.MODEL_FILE).resolve()
    if not p.is_file():
        raise InputError(str(p), "", "model file not found", "pass the path of a Vensim .mdl file")
    from .engine import compile_model

    return compile_model(p)
