"""Benchmark: MAP plus a converged posterior (4 independent SMC runs) of the latest vintage (goal: <= 120 s).

    python benchmarks/bench_calibration.py [--until 2022] [--particles 1200] [--seed 2016]

Times what ``innosd calibrate`` does with the committed settings: every model structure calibrated
(:func:`calibrate_structures`, the structures side by side in one process per CPU), and prints a
readable summary; the last line is a JSON object with seconds_total, per structure seconds_map,
seconds_smc, engine calls, members simulated, rhat_max, ess_bulk_min, log_evidence (and its se), the
worst over the structures, and whether both goals were met (time <= 120 s; rhat_max <= 1.01 and
ess_bulk_min >= 400 for every structure). It also times one PySD run of the model in the same session,
for the ratio the house rules ask for. Nothing is written to calibration/.
"""

from __future__ import annotations

import argparse
import json
import time

GOAL_SECONDS = 120.0


def _pysd_seconds() -> float:
    """Seconds for one PySD run of the model to 2022 (the reference runner)."""
    import shutil
    import tempfile
    from pathlib import Path

    import pysd

    from innosd import paths

    tmp = Path(tempfile.mkdtemp(prefix="bench-cal-"))
    try:
        mdl = tmp / paths.MODEL_FILE.name
        shutil.copy(paths.MODEL_FILE, mdl)
        m = pysd.read_vensim(str(mdl))
        t = time.perf_counter()
        m.run(final_time=2022)
        return time.perf_counter() - t
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv=None) -> dict:
    from innosd.calibration.calibrate import LAST_DATA_YEAR, Settings, calibrate_structures
    from innosd.calibration.summary import format_summary
    from innosd.model import load_model

    d = Settings()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--until", type=int, default=LAST_DATA_YEAR)
    ap.add_argument("--particles", type=int, default=d.particles)
    ap.add_argument("--seed", type=int, default=d.seed)
    args = ap.parse_args(argv)

    t_load = time.perf_counter()
    model = load_model()
    model.run(n=2, final_time=2017)                    # compile outside the timed part
    t0 = time.perf_counter()
    runs = calibrate_structures(Settings(until=args.until, particles=args.particles, seed=args.seed), model=model,
                                progress=False)
    total = time.perf_counter() - t0
    pysd_run = _pysd_seconds()
    members = sum(int(r.problem.members) for r in runs)
    calls = sum(int(r.problem.engine_calls) for r in runs)
    print(f"model load + compile: {t0 - t_load:.1f} s")
    per = {}
    for run in runs:
        name = run.structure.name if run.structure is not None else "model"
        dg = run.diagnostics
        print(format_summary(run))
        print(f"{name}: MAP {run.seconds['map']:.1f} s, SMC {run.seconds['smc']:.1f} s; "
              f"R-hat max {dg['rhat_max']:.4f}, bulk ESS min {dg['ess_bulk_min']:.0f}, "
              f"log evidence {dg['log_evidence']:.2f} ± {dg['log_evidence_se']:.2f}")
        per[name] = {"seconds_map": round(run.seconds["map"], 3), "seconds_smc": round(run.seconds["smc"], 3),
                     "engine_calls": int(run.problem.engine_calls), "rhat_max": round(dg["rhat_max"], 4),
                     "ess_bulk_min": round(dg["ess_bulk_min"], 1), "log_evidence": round(dg["log_evidence"], 3),
                     "log_evidence_se": round(dg["log_evidence_se"], 3), "identified": int(run.identified.sum())}
    print(f"{len(runs)} structures, total {total:.1f} s wall (goal <= {GOAL_SECONDS:.0f} s); {calls} engine calls, "
          f"{members} members simulated; PySD would need {members * pysd_run / 3600:.0f} h for them "
          f"({pysd_run:.2f} s a run)")
    rhat = max(p["rhat_max"] for p in per.values())
    ess = min(p["ess_bulk_min"] for p in per.values())
    converged = bool(rhat <= 1.01 and ess >= 400)
    out = {
        "until": args.until, "particles": args.particles, "runs": len(runs[0].runs), "structures": per,
        "seconds_total": round(total, 3), "n_model_evaluations": calls, "n_members_simulated": members,
        "rhat_max": rhat, "ess_bulk_min": ess,
        "pysd_seconds_per_run": round(pysd_run, 3),
        "speedup_vs_pysd": round(members * pysd_run / total, 1),
        "converged": converged,
        "goal_met": bool(total <= GOAL_SECONDS and converged),
    }
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
