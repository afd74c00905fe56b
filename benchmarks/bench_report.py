"""Benchmark: `innosd report` of the 2027 scenario with 2,000 members, as whole processes.

Two timings: the full pipeline (``innosd report SCENARIO``: model compile, ensemble, run folder,
what-it-takes search and the Typst PDF) and the re-render of the finished run folder
(``innosd report RUN_FOLDER``: reading files and typesetting only). Goal on the 2-core machine:
the full pipeline in <= 20 s. Prints a summary; the last line is JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOAL = 20.0


def timed(cmd: list[str], env: dict) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) of one command; exits with its stderr when it fails."""
    before = os.times()
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO)
    wall = time.perf_counter() - t0
    after = os.times()
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return wall, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def main() -> None:
    """Time both commands ``BENCH_RUNS`` times (default 2) and print the best of each."""
    scenario = REPO / "scenarios" / "tianjin-2027-plan.yaml"
    runs = int(os.environ.get("BENCH_RUNS", "2"))
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    with tempfile.TemporaryDirectory() as out:
        pdf, folder = Path(out) / "bench.pdf", Path(out) / "run"
        full_cmd = [sys.executable, "-m", "innosd", "report", str(scenario), "--samples", "2000", "--out", str(folder),
                    "-o", str(pdf)]
        again_cmd = [sys.executable, "-m", "innosd", "report", str(folder), "-o", str(pdf)]
        full = [timed(full_cmd, env) for _ in range(runs)]
        again = [timed(again_cmd, env) for _ in range(runs)]
        from pypdf import PdfReader

        pages = len(PdfReader(str(pdf)).pages)
        size = pdf.stat().st_size
    best, best_again = min(w for w, _ in full), min(w for w, _ in again)
    print(f"innosd report tianjin-2027-plan --samples 2000: best {best:.2f} s of {runs} "
          f"({', '.join(f'{w:.2f}' for w, _ in full)}); CPU {min(c for _, c in full):.1f} s; "
          f"re-render from the run folder {best_again:.2f} s (CPU {min(c for _, c in again):.1f} s); "
          f"{pages} pages, {size / 1e6:.2f} MB; goal <= {GOAL:.0f} s ({'met' if best <= GOAL else 'NOT met'})")
    print(json.dumps({"seconds": round(best, 3), "runs": [round(w, 3) for w, _ in full],
                      "cpu_seconds": round(min(c for _, c in full), 3), "rerender_seconds": round(best_again, 3),
                      "rerender_cpu_seconds": round(min(c for _, c in again), 3), "pages": pages, "bytes": size,
                      "samples": 2000, "goal_seconds": GOAL}))


if __name__ == "__main__":
    main()
