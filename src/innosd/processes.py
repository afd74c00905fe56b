"""Worker processes for work that holds the GIL (engine calls of a few thousand members): one home for the pool.

The calibration (model structures side by side) and the portfolio search (candidates of a generation) use it.
Processes start fresh (``forkserver``, ``spawn`` where there is none): nothing is inherited from the parent's
threads (progress bars, the explorer's server), so a lock held by one of them at fork time cannot hang a worker.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor


def process_pool(workers: int, initializer: Callable | None = None, initargs: tuple = ()) -> ProcessPoolExecutor:
    """A pool of ``workers`` fresh Python processes.

    Parameters
    ----------
    workers : int
        Number of processes (at least 1).
    initializer : callable, optional
        Run once in each process when it starts (e.g. compile the model), with ``initargs``.
    initargs : tuple
        Arguments of ``initializer``; they travel to each process pickled.

    Returns
    -------
    concurrent.futures.ProcessPoolExecutor
        Shut it down (or use it in a ``with`` block) when done.
    """
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(max(1, int(workers)), mp_context=multiprocessing.get_context(method),
                               initializer=initializer, initargs=initargs)
