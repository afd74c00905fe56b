"""Reading a sensitivity result: its measure, top drivers and the text the CLI prints."""

from __future__ import annotations

import pandas as pd


def measure(df: pd.DataFrame) -> str:
    """The ranking column of a result table: ``ST`` (Sobol) or ``mu_star`` (Morris)."""
    return "ST" if "ST" in df.columns else "mu_star"


def top_drivers(df: pd.DataFrame, k: int = 5) -> dict[str, pd.DataFrame]:
    """Output -> its ``k`` largest rows by ST (Sobol) or mu_star (Morris), outputs with indices only."""
    m = measure(df)
    out = {}
    for name, rows in df.groupby("output", sort=False):
        rows = rows.dropna(subset=[m])
        if len(rows):
            out[name] = rows.sort_values(m, ascending=False).head(k)
    return out


def format_top(df: pd.DataFrame, k: int = 5) -> str:
    """The top drivers of each output as text (what the CLI prints)."""
    m = measure(df)
    lines = []
    const = df.attrs.get("constant_outputs", [])
    for name, rows in top_drivers(df, k).items():
        lines.append(f"{name}:")
        for r in rows.itertuples():
            if m == "ST":
                lines.append(f"  {r.parameter:<42} ST {r.ST:6.3f} ±{r.ST_conf:5.3f}   S1 {r.S1:6.3f} ±{r.S1_conf:5.3f}")
            else:
                lines.append(f"  {r.parameter:<42} mu* {r.mu_star:10.4g} ±{r.mu_star_conf:9.3g}"
                             f"   sigma {r.sigma:10.4g}")
    for name in const:
        lines.append(f"{name}: does not vary over the sample (no indices)")
    return "\n".join(lines)
