"""Benchmark: `innosd report` of the 2027 scenario with 2,000 members, as a whole process.

Goal on the 2-core machine: <= 20 s (model compile, ensemble, what-it-takes search and the
PDF). Prints a summary; the last line is JSON with ``seconds``.
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


def main() -> None:
    scenario = REPO / "scenarios" / "tianjin-2027-plan.yaml"
    runs = int(os.environ.get("BENCH_RUNS", "2"))
    with tempfile.TemporaryDirectory() as out:
        pdf = Path(out) / "bench.pdf"
        cmd = [sys.executable, "-m", "innosd", "report", str(scenario), "--samples", "2000", "-o", str(pdf)]
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
        times, cpu = [], []
        for _ in range(runs):
            before = os.times()
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO)
            times.append(time.perf_counter() - t0)
            after = os.times()
            cpu.append((after.children_user - before.children_user) + (after.children_system - before.children_system))
            if proc.returncode != 0:
                raise SystemExit(proc.stderr)
        from pypdf import PdfReader

        pages = len(PdfReader(str(pdf)).pages)
        size = pdf.stat().st_size
    best = min(times)
    print(f"innosd report tianjin-2027-plan --samples 2000: best {best:.2f} s of {len(times)} "
          f"({', '.join(f'{t:.2f}' for t in times)}); CPU {min(cpu):.1f} s; {pages} pages, "
          f"{size / 1e6:.2f} MB; goal <= {GOAL:.0f} s ({'met' if best <= GOAL else 'NOT met'})")
    print(json.dumps({"seconds": round(best, 3), "runs": [round(t, 3) for t in times],
                      "cpu_seconds": round(min(cpu), 3), "pages": pages, "bytes": size, "samples": 2000,
                      "goal_seconds": GOAL}))


if __name__ == "__main__":
    main()
