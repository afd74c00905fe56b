"""Benchmark: loop dominance (Loops That Matter) of the 2027 plan over 200 members, in one process.

    python benchmarks/bench_loops.py [--samples 200]

Times :func:`innosd.loops.dominance.loop_dominance` (one engine run saving every variable at every TIME STEP,
then every loop of up to 20 variables scored for every member at once), and one PySD run of the model in the
same session: scoring the same members with PySD would need at least one PySD run per member (more: the
partial changes of every link need the equations re-evaluated), so ``speedup_vs_pysd_lower_bound`` is
members x PySD seconds / our seconds. Goal: <= 30 s on the 2-core machine. Last line: JSON.
"""

from __future__ import annotations

import argparse
import json
import time

GOAL_SECONDS = 30.0


def _pysd_seconds() -> float:
    import shutil
    import tempfile
    import warnings
    from pathlib import Path

    import pysd

    from innosd import paths

    tmp = Path(tempfile.mkdtemp(prefix="bench-loops-"))
    try:
        shutil.copy(paths.MODEL_FILE, tmp / paths.MODEL_FILE.name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m = pysd.read_vensim(str(tmp / paths.MODEL_FILE.name))
            t = time.perf_counter()
            m.run()
        return time.perf_counter() - t
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv=None) -> dict:
    from innosd import paths
    from innosd.loops.dominance import loop_dominance
    from innosd.model import load_model
    from innosd.scenario import load_scenario

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=200)
    args = ap.parse_args(argv)
    sc = load_scenario(paths.SCENARIOS / "tianjin-2027-plan.yaml")
    model = load_model(sc.model_path)
    model.run(n=2, final_time=2017)                    # compile outside the timed part
    t0 = time.perf_counter()
    res = loop_dominance(sc, model, samples=args.samples)
    seconds = time.perf_counter() - t0
    pysd_run = _pysd_seconds()
    out = {"samples": args.samples, "loops_scored": len(res.loops), "rows": len(res.table),
           "seconds": round(seconds, 3), "pysd_seconds_per_run": round(pysd_run, 3),
           "speedup_vs_pysd_lower_bound": round(args.samples * pysd_run / seconds, 1),
           "goal_met": bool(seconds <= GOAL_SECONDS)}
    print(f"loop dominance of {sc.name}: {len(res.loops)} loops, {args.samples} members, {seconds:.1f} s "
          f"(goal <= {GOAL_SECONDS:.0f} s); one PySD run {pysd_run:.1f} s")
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
