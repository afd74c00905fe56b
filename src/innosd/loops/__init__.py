"""Loop dominance: which feedback loop drives which indicator when (Loops That Matter).

* :mod:`.scores`    - link scores, loop scores and relative loop scores from one engine run (all members at once)
* :mod:`.dominance` - a scenario's loops per targeted indicator and year, the dominant loop per period, loops.csv
* :mod:`.chart`     - the chart of relative loop scores over time
* :mod:`.write`     - loops.csv and loops.png written into a run folder

The loops and their names (R1…, B1…) are those of :func:`innosd.diagram.loops.named_loops`, the same as in the
model's README and diagrams.
"""
