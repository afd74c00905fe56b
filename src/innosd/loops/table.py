"""loops.csv: its columns and the periods each loop dominates (no model code: the report reads this)."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Columns of loops.csv, in order (defined in reports/README.md).
COLUMNS = ("structure", "indicator", "variable", "year", "rank", "loop", "polarity", "relative_score", "q05", "q95",
           "dominant_share", "members", "path")
#: The ``structure`` of the rows over every member.
ALL = "all"


def periods(table: pd.DataFrame, structure: str = ALL) -> pd.DataFrame:
    """The dominant loop (rank 1) per indicator merged over consecutive years, one row per period.

    Columns indicator, start, end, loop, polarity, relative_score (mean over the period), dominant_share
    (mean), path.
    """
    top = table[(table["rank"] == 1) & (table["structure"] == structure)].sort_values(["indicator", "year"])
    out = []
    for ind, g in top.groupby("indicator", sort=False):
        cur = None
        for r in g.itertuples():
            if cur is not None and r.loop == cur["loop"] and r.year == cur["end"] + 1:
                cur["end"] = r.year
                cur["scores"].append(r.relative_score)
                cur["shares"].append(r.dominant_share)
                continue
            if cur is not None:
                out.append(cur)
            cur = {"indicator": ind, "start": r.year, "end": r.year, "loop": r.loop, "polarity": r.polarity,
                   "scores": [r.relative_score], "shares": [r.dominant_share], "path": r.path}
        if cur is not None:
            out.append(cur)
    return pd.DataFrame([{**{k: v for k, v in p.items() if k not in ("scores", "shares")},
                          "relative_score": float(np.mean(p["scores"])), "dominant_share": float(np.mean(p["shares"]))}
                         for p in out],
                        columns=["indicator", "start", "end", "loop", "polarity", "relative_score", "dominant_share",
                                 "path"])
