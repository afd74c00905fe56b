"""All-or-nothing writes: a result folder or file appears complete or not at all.

Outputs are written into a hidden temporary sibling (``.NAME.tmp-PID-XXXX``) and moved into place
only when every file is written. A crash or Ctrl-C before that removes the temporary; a process
killed outright leaves it hidden, and the next write to the same folder sweeps it away (its
process is gone). The swap of the old result for the new one happens under an exclusive lock
(``.NAME.lock`` beside it), so two runs into the same folder at once leave one complete result:
the one that finished last.

A folder and files outside it (a PDF given its own path) can be committed together
(:func:`atomic_outputs`): the folder is swapped in first, then each file replaces its destination, all in
one step under the folder's lock with Ctrl-C deferred. The lock file is removed when the lock is released.
What is created gets the usual permissions (0o777 / 0o666 less the process umask), not the private ones
of :mod:`tempfile`.

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

__all__ = ["Staging", "atomic_dir", "atomic_file", "atomic_outputs"]


class Staging:
    """What an :func:`atomic_outputs` block writes into: a temporary folder, and staged files beside their destinations.

    Attributes
    ----------
    folder : pathlib.Path
        The temporary folder that becomes the result folder.
    """

    def __init__(self, final: Path, folder: Path):
        self.final, self.folder = final, folder
        self.files: dict[Path, Path] = {}  # destination -> staged temporary beside it

    def file(self, final: Path) -> Path:
        """The temporary path to write ``final`` (a file outside the folder) to; it replaces ``final`` at the commit.

        A destination inside the result folder maps to the same place in :attr:`folder` instead.

        Parameters
        ----------
        final : pathlib.Path
            The file's destination; its parent folder is created when missing.

        Raises
        ------
        OSError
            When the destination's folder cannot be created or written.
        """
        final = Path(final)
        try:
            return self.folder / final.resolve().relative_to(self.final.resolve())
        except ValueError:
            pass
        if final not in self.files:
            final.parent.mkdir(parents=True, exist_ok=True)
            _sweep(final)
            fd, name = tempfile.mkstemp(prefix=f".{final.name}.tmp-{os.getpid()}-", dir=final.parent)
            os.close(fd)
            _usual_mode(Path(name), 0o666)
            self.files[final] = Path(name)
        return self.files[final]


@contextmanager
def atomic_outputs(final: Path):
    """Yield a :class:`Staging` whose folder replaces ``final``, and whose staged files theirs, only on success.

    The commit happens once, at the end of the ``with`` block, under the lock of ``final`` and with
    Ctrl-C and SIGTERM deferred: first the folder is swapped in, then each staged file replaces its
    destination (``os.replace``). An exception or interrupt before that removes every temporary and
    leaves the previous folder and files exactly as they were.

    Parameters
    ----------
    final : pathlib.Path
        The result folder. Its parent is created when missing.
    """
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    _sweep(final)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.tmp-{os.getpid()}-", dir=final.parent))
    _usual_mode(tmp, 0o777)
    staging = Staging(final, tmp)
    old = None
    try:
        yield staging
        with _lock(final), _no_interrupt():
            if final.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{final.name}.old-{os.getpid()}-", dir=final.parent))
                os.rename(final, old / "previous")  # renames within one folder: atomic
            os.rename(tmp, final)
            for dest, staged in staging.files.items():
                os.replace(staged, dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # gone already when the block succeeded
        for staged in staging.files.values():
            staged.unlink(missing_ok=True)  # likewise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


@contextmanager
def atomic_dir(final: Path):
    """Yield a temporary folder that replaces ``final`` only if the ``with`` block succeeds.

    Parameters
    ----------
    final : pathlib.Path
        The result folder. Its parent is created when missing.
    """
    with atomic_outputs(final) as staging:
        yield staging.folder


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
        _usual_mode(Path(name), 0o666)
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
    """An exclusive inter-process lock on ``final``: a lock file beside it, removed again on release.

    The holder unlinks the file before it lets go. A waiter that then gets the lock on the unlinked
    file sees that the path no longer names the file it locked and tries again on a fresh one, so
    two processes never both hold the lock (the usual flock-and-unlink protocol).
    """
    path = final.parent / f".{final.name}.lock"
    if os.name == "nt":  # pragma: no cover - Windows: an open file cannot be unlinked; the file stays
        import msvcrt

        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            while True:
                try:
                    msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                    break
                except OSError:
                    continue
            yield
        finally:
            os.close(fd)
        return
    import fcntl

    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # the holder before us removed it: lock the new one
    try:
        yield
    finally:
        try:
            os.unlink(path)
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


def _usual_mode(path: Path, full: int) -> None:
    """Give ``path`` (made private by :mod:`tempfile`) the mode an ordinary create would: ``full`` less the umask."""
    os.chmod(path, full & ~_umask())


def _umask() -> int:
    """The process umask, read without changing it where the platform allows (other threads may be creating files)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # no /proc: the classic set-and-restore
    os.umask(mask)
    return mask
