"""Benchmark: Sobol' indices of the 2027 turnover target over every calibrated parameter.

Run from the repository root::

    python benchmarks/bench_sensitivity.py [--n 1024] [--ranges prior] [--repeat 3]

Scenario ``scenarios/tianjin-2027-plan.yaml``, output ``turnover-2027`` (tech-contract turnover
in 2027), factors: every parameter of calibration/parameters.yaml plus the scenario's uncertain
GDP-growth lever, Saltelli sampling with N = 1024 (N (D + 2) runs), one engine pass, SALib
analysis with 100 bootstrap resamples. The goal is 10 s for the whole analysis (sampling, runs,
analysis) with the model already compiled; compiling the model is timed separately (it is done
once per process and cached). ``seconds`` is the best of ``--repeat`` timings.

Prints a summary, then as its last line one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from innosd import sensitivity as sens  # noqa: E402 - after this checkout's src/ is first on sys.path
from innosd.model import load_model  # noqa: E402
from innosd.scenario import load_scenario  # noqa: E402

GOAL_SECONDS = 10.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1024)
    ap.add_argument("--ranges", choices=["auto", "prior", "posterior"], default="prior")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=20270101)
    args = ap.parse_args()

    t0 = time.perf_counter()
    model = load_model(ROOT / "model" / "tianjin_innovation.mdl")
    compile_s = time.perf_counter() - t0
    sc = load_scenario(ROOT / "scenarios" / "tianjin-2027-plan.yaml", model)

    timings, df = [], None
    for _ in range(max(1, args.repeat)):
        t = time.perf_counter()
        df = sens.sobol(sc, model, n=args.n, outputs=["turnover-2027"], seed=args.seed, ranges=args.ranges)
        timings.append(time.perf_counter() - t)
    best = min(timings)
    runs = int(df.attrs["n_runs"])
    d = len(df.attrs["factors"])
    print(f"Sobol' sensitivity of turnover-2027 ({sc.name}), {d} factors, N={args.n}: {runs} runs")
    print(f"ranges: {df.attrs['ranges']}")
    print(f"model compile (once per process): {compile_s:.2f} s")
    print("analysis timings (s): " + ", ".join(f"{t:.2f}" for t in timings)
          + f"; best {best:.2f} s = {runs / best:,.0f} runs/s; goal <= {GOAL_SECONDS:g} s: "
          + ("met" if best <= GOAL_SECONDS else "NOT met"))
    print("top drivers (ST):")
    for r in df.head(5).itertuples():
        print(f"  {r.parameter:<40} ST {r.ST:.3f} ±{r.ST_conf:.3f}  S1 {r.S1:.3f} ±{r.S1_conf:.3f}")
    print(json.dumps({
        "benchmark": "sensitivity_sobol_turnover_2027", "n": args.n, "factors": d, "n_runs": runs,
        "seconds": round(best, 3), "runs_per_s": round(runs / best, 1), "timings": [round(t, 3) for t in timings],
        "compile_seconds": round(compile_s, 3), "goal_seconds": GOAL_SECONDS, "goal_met": best <= GOAL_SECONDS,
        "ranges": args.ranges,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
