"""User-facing input errors: one line naming the file, the field, the problem and the fix."""

from __future__ import annotations


class InputError(Exception):
    """Bad input from a planner: printed as one line, exit code 2, no traceback."""

    def __init__(self, file: str, field: str, problem: str, fix: str):
        self.file, self.field, self.problem, self.fix = str(file), field, problem, fix
        super().__init__(self.line())

    def line(self) -> str:
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"error: {where}: {self.problem}; fix: {self.fix}"
