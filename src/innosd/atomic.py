"""All-or-nothing writes: a result folder or file appears complete or not at all.

Outputs are written into a hidden temporary sibling (``.NAME.tmp-PID-XXXX``) and moved into place
only when every file is written. A crash or Ctrl-C before that removes the temporary; a process
killed outright leaves it hidden, and the next write to the same folder sweeps it away (its
process is gone). The swap of the old result for the new one happens under an exclusive lock
(``.NAME.lock`` beside it), so two runs into the same folder at once leave one complete result:
the one that finished last.

>>> with atomic_dir(Path("reports/x")) as tmp:
...     (tmp / "a.csv").write_text("...")
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

__all__ = ["atomic_dir", "atomic_file"]


@contextmanager
def atomic_dir(final: Path):
    """Yield a temporary folder that replaces ``final`` only if the ``with`` block succeeds.

    Parameters
    ----------
    final : pathlib.Path
        The result folder. Its parent is created when missing.
    """
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    _sweep(final)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.tmp-{os.getpid()}-", dir=final.parent))
    old = None
    try:
        yield tmp
        with _lock(final), _no_interrupt():
            if final.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{final.name}.old-{os.getpid()}-", dir=final.parent))
                os.rename(final, old / "previous")  # renames within one folder: atomic
            os.rename(tmp, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # gone already when the block succeeded
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


@contextmanager
def atomic_file(final: Path, mode: str = "w", encoding: str | None = "utf-8"):
    """Yield a file object whose content replaces ``final`` only if the ``with`` block succeeds.

    Parameters
    ----------
    final : pathlib.Path
        The file to write; its parent folder is created when missing.
    mode : {"w", "wb"}
        Text or binary.
    encoding : str, optional
        For text mode.
    """
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{final.name}.tmp-{os.getpid()}-", dir=final.parent)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else encoding, newline=None) as fh:
            yield fh
        os.replace(name, final)  # atomic on POSIX and Windows
    except BaseException:
        try:
            os.unlink(name)
        except OSError:
            pass
        raise


@contextmanager
def _lock(final: Path):
    """An exclusive inter-process lock on ``final`` (a lock file beside it)."""
    path = final.parent / f".{final.name}.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if os.name == "nt":  # pragma: no cover - Windows
            import msvcrt

            while True:
                try:
                    msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                    break
                except OSError:
                    continue
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


@contextmanager
def _no_interrupt():
    """Defer Ctrl-C (SIGINT) and SIGTERM during the two renames, so the swap is never left halfway."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = {s: signal.signal(s, lambda sig, frame: caught.append(sig)) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        if caught:
            os.kill(os.getpid(), caught[0])


def _sweep(final: Path) -> None:
    """Remove temporaries beside ``final`` left by processes that no longer exist."""
    for p in final.parent.glob(f".{final.name}.*-*-*"):
        parts = p.name[len(final.name) + 2:].split("-")
        if len(parts) < 3 or parts[0] not in ("tmp", "old"):
            continue
        try:
            pid = int(parts[1])
        except ValueError:
            continue
        if pid != os.getpid() and not _alive(pid):
            if p.is_dir():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists but not ours (PermissionError), or a platform without signals
        return True
    return True
