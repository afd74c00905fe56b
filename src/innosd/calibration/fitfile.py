"""The one reader of a calibration's ``fit.yaml`` (written by :mod:`.summary`).

A plain file reader: it imports PyYAML and nothing that runs the model or the sampler, so the ensemble
(which needs a vintage's year) and the report (which shows the whole file) both read through it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

__all__ = ["read_fit", "fit_vintage"]


def read_fit(path) -> dict | None:
    """A calibration's ``fit.yaml`` as a dict, read once per file version.

    Parameters
    ----------
    path : str or pathlib.Path
        The ``fit.yaml`` file, or the calibration folder holding it.

    Returns
    -------
    dict or None
        The file's mapping; None when the file is absent, unreadable or not a mapping (a report shows
        "no calibration committed" then, and a run has no vintage year).
    """
    p = Path(path)
    if p.is_dir():
        p = p / "fit.yaml"
    try:
        st = p.stat()
    except OSError:
        return None
    return _read(str(p), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=8)
def _read(path: str, mtime_ns: int, size: int) -> dict | None:
    """Parse ``path``; the stamp (mtime, size) in the cache key makes an edited file read again."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser is ~10x faster on a large fit.yaml
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=loader)  # noqa: S506 - a safe loader
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    return data if isinstance(data, dict) else None


def fit_vintage(path) -> int | None:
    """The data vintage (``settings.until``, the last data year fitted) of a calibration, or None.

    Parameters
    ----------
    path : str or pathlib.Path
        The ``fit.yaml`` file, or the calibration folder holding it.

    Returns
    -------
    int or None
        None when the file is absent or names no vintage.
    """
    fit = read_fit(path) or {}
    settings = fit.get("settings") if isinstance(fit.get("settings"), dict) else {}
    until = settings.get("until", fit.get("vintage"))
    try:
        return int(until) if until is not None else None
    except (TypeError, ValueError):
        return None
