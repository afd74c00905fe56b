"""Benchmark: `innosd run` of the 2027 scenario with 2,000 posterior draws, as a whole process.

Goal on the 2-core machine: <= 10 s. Last line: JSON with ``seconds``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    scenario = REPO / "scenarios" / "tianjin-2027-plan.yaml"
    with tempfile.TemporaryDirectory() as out:
        cmd = [sys.executable, "-m", "innosd", "run", str(scenario), "--samples", "2000", "--out", out]
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, capture_output=True, text=True)
            times.append(time.perf_counter() - t0)
            if proc.returncode != 0:
                raise SystemExit(proc.stderr)
    best = min(times)
    print(f"innosd run tianjin-2027-plan --samples 2000: best {best:.2f} s of {len(times)} "
          f"({', '.join(f'{t:.2f}' for t in times)}); goal <= 10 s")
    print(json.dumps({"seconds": round(best, 3), "runs": [round(t, 3) for t in times], "samples": 2000}))


if __name__ == "__main__":
    main()
