"""Helpers of the explorer's tests (their fixtures ``explorer_project`` and ``explorer`` are in conftest.py)."""

from __future__ import annotations

from pathlib import Path

PLAN = "tianjin-2027-plan"


def files(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file under ``folder``: (size, modification time), to show that nothing was written."""
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}
