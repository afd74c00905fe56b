"""Load the model file through the engine, with the lever ranges declared in it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from . import paths
from .errors import InputError


def load_model(path: str | Path | None = None):
    """The compiled engine model for ``path`` (default: the bundled Tianjin model).

    Adds ``path`` and ``lookup_limits`` (python name -> (ymin, ymax) from the lookup's
    declared range) to the engine's CompiledModel. Cached per file and modification time.
    """
    p = Path(path or paths.MODEL_FILE).resolve()
    if not p.is_file():
        raise InputError(str(p), "", "model file not found", "pass the path of a Vensim .mdl file")
    return _load(str(p), p.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _load(path: str, mtime: int):
    from .engine import compile_model

    cm = compile_model(path)
    if not hasattr(cm, "lookup_limits"):
        cm.lookup_limits = _lookup_limits(path, cm)
    return cm


def _lookup_limits(path: str, cm) -> dict[str, tuple[float, float]]:
    from pysd.translators.vensim.vensim_file import VensimFile

    vf = VensimFile(path)
    vf.parse()
    by_name = {info.name: py for py, info in cm.variables.items()}
    out = {}
    for section in vf.get_abstract_model().sections:
        for el in section.elements:
            for comp in el.components:
                ast = comp.ast
                if type(ast).__name__ == "LookupsStructure" and el.name in by_name:
                    out[by_name[el.name]] = (float(ast.y_limits[0]), float(ast.y_limits[1]))
    return out
