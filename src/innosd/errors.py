"""User-facing errors: one line naming the file, the field, the problem and the fix.

Every problem a user can cause (a bad scenario, a missing file, an option out of range) is a
:class:`UserError`. The command line prints its :meth:`~UserError.line` and exits with code 2;
the library never prints. Library code names its own parameters (``samples``, ``until``); the
command line translates them into the flags a user typed (``--samples``, ``--until``).
"""

from __future__ import annotations


class UserError(Exception):
    """Base class of every error caused by a user's input (exit code 2, no traceback).

    Subclasses provide :meth:`line`, the one line printed on stderr.
    """

    def line(self) -> str:
        """The one-line message printed for this error."""
        return f"error: {self}"


class InputError(UserError):
    """Bad input: printed as ``error: FILE: FIELD: PROBLEM; fix: FIX``.

    Parameters
    ----------
    file : str
        The file (or, for a library call, the argument) the problem is in.
    field : str
        The field inside the file (empty when the whole file is meant).
    problem : str
        What is wrong, in the user's terms.
    fix : str
        What to do about it.
    """

    def __init__(self, file: str, field: str, problem: str, fix: str):
        self.file, self.field, self.problem, self.fix = str(file), field, problem, fix
        super().__init__(self.line())

    def line(self) -> str:
        """The one-line message: ``error: FILE: FIELD: PROBLEM; fix: FIX``.

        Control characters in any part (a key typed with a newline, say) are shown escaped, so the
        message is always one line.
        """
        where = f"{self.file}: {self.field}" if self.field else self.file
        return _one_line(f"error: {where}: {self.problem}; fix: {self.fix}")


def _one_line(text: str) -> str:
    r"""``text`` with control characters written as escapes (``\n``, ``\x08``)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)
