"""loops.csv and loops.png written into a run folder (``innosd loops``, ``innosd run --loops``/``--report``)."""

from __future__ import annotations

from pathlib import Path


def write_loops(result, folder, lang: str = "zh") -> list[Path]:
    """Write loops.csv and loops.png into ``folder`` (each file all or nothing).

    Parameters
    ----------
    result : innosd.loops.dominance.LoopDominance
        The loop dominance of a scenario's members.
    folder : pathlib.Path
        The run folder (it must exist).
    lang : {"zh", "en"}
        Language of the chart.

    Returns
    -------
    list of pathlib.Path
        The two files written: :data:`innosd.runfolder.LOOPS` and :data:`innosd.runfolder.LOOPS_CHART`.
    """
    import matplotlib.pyplot as plt

    from ..atomic import atomic_file
    from ..display import csv_number
    from ..runfolder import LOOPS, LOOPS_CHART
    from .chart import loop_chart

    csv, png = folder / LOOPS, folder / LOOPS_CHART
    with atomic_file(csv) as fh:
        result.table.to_csv(fh, index=False, float_format=csv_number)
    fig = loop_chart(result, lang=lang)
    with atomic_file(png, "wb") as fh:
        fig.savefig(fh, format="png", dpi=110, metadata={"Software": None})
    plt.close(fig)
    return [csv, png]
