"""Progress on stderr for long commands: stages, and a bar where there is a count.

Shown only when stderr is a terminal (set ``INNOSD_PROGRESS=1`` to force it on, ``0`` to force it
off); piped or redirected output, notebooks and tests stay quiet. Library code may call these: they
never print to stdout and cost nothing when quiet.

>>> from innosd import progress
>>> with progress.stage("running 1,000 members"):
...     run()
>>> for scenario in progress.track(files, "scenarios"):
...     ...

The whole API is :func:`stage`, :func:`track` and :func:`enabled`.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

__all__ = ["enabled", "stage", "track"]

T = TypeVar("T")


def enabled() -> bool:
    """True when progress is shown: stderr is a terminal, unless ``INNOSD_PROGRESS`` says otherwise."""
    forced = os.environ.get("INNOSD_PROGRESS", "").strip()
    if forced in ("0", "1"):
        return forced == "1"
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


@contextmanager
def stage(text: str):
    """Show ``text …`` on stderr while the block runs, then ``text: 1.2 s`` (nothing when not enabled).

    Parameters
    ----------
    text : str
        What is being done, e.g. ``"running 1,000 members"``.
    """
    if not enabled():
        yield
        return
    start = time.perf_counter()
    sys.stderr.write(f"{text} …\r")
    sys.stderr.flush()
    ok = False
    try:
        yield
        ok = True
    finally:
        seconds = time.perf_counter() - start
        sys.stderr.write(f"\x1b[2K{text}: {seconds:.1f} s\n" if ok else "\x1b[2K\n")
        sys.stderr.flush()


def track(items: Iterable[T], text: str, total: int | None = None) -> Iterator[T]:
    """Iterate over ``items`` with a progress bar labelled ``text`` on stderr (plain iteration when not enabled).

    Parameters
    ----------
    items : iterable
        What to iterate over.
    text : str
        The bar's label, e.g. ``"scenarios"``.
    total : int, optional
        The number of items when ``items`` has no ``len``.
    """
    if not enabled():
        yield from items
        return
    from tqdm import tqdm

    with tqdm(items, desc=text, total=total, file=sys.stderr, leave=True, dynamic_ncols=True,
              bar_format="{desc}: {n_fmt}/{total_fmt} {bar} {elapsed}<{remaining}") as bar:
        yield from bar
