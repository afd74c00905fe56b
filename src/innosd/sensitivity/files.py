"""The files of a sensitivity study: its table and its chart (a module of its own: plots reads tables)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..outputs import write_table
from .plots import plot


def write(df: pd.DataFrame, out_dir: str | Path) -> tuple[Path, Path]:
    """``sensitivity_<method>.csv`` and ``.png`` in ``out_dir`` (a run folder: the report reads the CSV).

    The CSV is written atomically, so a report rendered meanwhile never reads half of it.
    Returns both paths.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    method = df.attrs.get("method", "sobol" if "ST" in df.columns else "morris")
    csv = out_dir / f"sensitivity_{method}.csv"
    png = out_dir / f"sensitivity_{method}.png"
    write_table(df, csv)
    plot(df, png)
    return csv, png
