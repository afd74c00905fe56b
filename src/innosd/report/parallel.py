"""Run one function in a forked child while this process goes on (the machine has two cores).

Where fork is not available, or the child fails to start, the function runs here when its
result is asked for: the result is the same either way, only the time differs.
"""

from __future__ import annotations

import multiprocessing as mp
import pickle
import traceback


class Background:
    """``fn(*args)`` started now in a child process; :meth:`get` returns its value (or raises its error)."""

    def __init__(self, fn, *args):
        self.fn, self.args = fn, args
        self.proc = self.conn = None
        try:
            ctx = mp.get_context("fork")
        except ValueError:
            return
        try:
            recv, send = ctx.Pipe(duplex=False)
            self.proc = ctx.Process(target=_child, args=(send, fn, args), daemon=True)
            self.proc.start()
            send.close()
            self.conn = recv
        except OSError:
            self.proc = self.conn = None

    def get(self):
        if self.proc is None:
            return self.fn(*self.args)
        try:
            data = self.conn.recv_bytes()
        except EOFError:  # the child died without a word: do the work here
            data = None
        finally:
            self.conn.close()
            self.proc.join()
        if data is None:
            return self.fn(*self.args)
        ok, value = pickle.loads(data)
        if ok:
            return value
        raise RuntimeError(value)


def _child(conn, fn, args) -> None:
    try:
        payload = pickle.dumps((True, fn(*args)), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it
        payload = pickle.dumps((False, f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"))
    try:
        conn.send_bytes(payload)
    finally:
        conn.close()
