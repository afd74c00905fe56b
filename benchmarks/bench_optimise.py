"""Benchmark: `innosd optimise` on the 2027 plan (all 7 policy levers: level and start year each).

Goals on the 2-core machine: one generation of 200 candidates x 1,000 futures <= 5 s, the default
search (200 x 1,000, 15 generations after the first, then the robustness pass and PRIM) <= 120 s, locally. Also
measured: member-runs/s, the same generation in one process, the speed-up with 2 Dask workers (a
LocalCluster of two processes), and PySD's time for one member in the same run. Last line: JSON.

    python benchmarks/bench_optimise.py            # everything
    python benchmarks/bench_optimise.py --quick    # the generation timings only
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PLAN = REPO / "scenarios" / "tianjin-2027-plan.yaml"
CANDIDATES, FUTURES, REPEATS = 200, 1000, 3


def generation_seconds(scheduler: str | None = None, workers: int | None = None) -> tuple[float, list[float]]:
    """Best and all times of evaluating one generation (200 random candidates x 1,000 futures)."""
    from innosd.ensemble import load_calibration
    from innosd.model import load_model
    from innosd.optimise.costs import load_costs
    from innosd.optimise.evaluate import Evaluator
    from innosd.optimise.futures import draw_futures
    from innosd.optimise.search import initial_population
    from innosd.optimise.space import Space
    from innosd.scenario import load_scenario

    sc = load_scenario(PLAN)
    model = load_model(sc.model_path)
    cal = load_calibration(model)
    space = Space(sc, model, load_costs(sc, model), sc.first_decision_year(cal.vintage))
    futures = draw_futures(sc, model, cal, FUTURES, sc.seed, space.levers)
    evaluator = Evaluator(model, sc.targets, sc.start, scheduler=scheduler, workers=workers)
    evaluator.attach(futures)
    times = []
    try:
        for r in range(REPEATS):
            levels, starts = space.decode(initial_population(space, CANDIDATES, r))
            t0 = time.perf_counter()
            evaluator.evaluate(space.paths(levels, starts))  # paths and the engine pass: what a generation costs
            times.append(time.perf_counter() - t0)
    finally:
        evaluator.close()
    return min(times), times


def pysd_member_seconds() -> float:
    """PySD's time for one member of the 2027 plan (the reference runner)."""
    from innosd.ensemble import run_scenario
    from innosd.model import load_model
    from innosd.scenario import load_scenario

    sc = load_scenario(PLAN)
    model = load_model(sc.model_path)
    t0 = time.perf_counter()
    run_scenario(sc, model, samples=2, seed=1, engine="pysd")
    return (time.perf_counter() - t0) / 2


def main(argv: list[str]) -> None:
    quick = "--quick" in argv
    load = os.getloadavg()
    local, local_all = generation_seconds()
    rate = CANDIDATES * FUTURES / local
    cpus = os.cpu_count() or 1
    print(f"one generation, {CANDIDATES} candidates x {FUTURES:,} futures, {cpus} local processes (the default): "
          f"best {local:.2f} s ({', '.join(f'{t:.2f}' for t in local_all)}); {rate:,.0f} member-runs/s; goal <= 5 s")
    one, one_all = generation_seconds(workers=1)
    print(f"the same in one process: best {one:.2f} s ({', '.join(f'{t:.2f}' for t in one_all)}); "
          f"the {cpus} processes are {one / local:.2f} x as fast")
    result = {"generation_seconds": round(local, 3), "generation_runs": [round(t, 3) for t in local_all],
              "local_processes": cpus, "one_process_seconds": round(one, 3), "processes_speedup": round(one / local, 2),
              "member_runs_per_second": round(rate), "candidates": CANDIDATES, "futures": FUTURES,
              "load_average": [round(v, 2) for v in load]}
    if not quick:
        from distributed import LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            dask, dask_all = generation_seconds(cluster.scheduler_address)
        print(f"one generation on 2 Dask workers: best {dask:.2f} s ({', '.join(f'{t:.2f}' for t in dask_all)}); "
              f"speed-up {one / dask:.2f} x over one process, {local / dask:.2f} x over the local processes")
        from innosd.optimise import optimise

        t0 = time.perf_counter()
        found = optimise(PLAN)
        total = time.perf_counter() - t0
        s = found.settings
        print(f"default search: {s['generations']} generations of {s['population']} x {s['samples']:,}: "
              f"{total:.1f} s in all ({s['search_seconds']:.1f} s searching, {s['evaluated']:,} portfolios, "
              f"front of {len(found.front)}); goal <= 120 s")
        pysd = pysd_member_seconds()
        print(f"PySD, one member: {pysd:.2f} s; the generation would take {pysd * CANDIDATES * FUTURES / 3600:,.0f} h "
              f"(x {pysd * rate:,.0f})")
        result.update({"dask_generation_seconds": round(dask, 3), "dask_workers": 2,
                       "dask_speedup": round(one / dask, 2),
                       "dask_vs_local_processes": round(local / dask, 2), "default_search_seconds": round(total, 1),
                       "default_search_searching_seconds": s["search_seconds"], "evaluated": s["evaluated"],
                       "front_size": int(len(found.front)), "pysd_member_seconds": round(pysd, 3),
                       "ratio_vs_pysd": round(pysd * rate)})
    result["load_average_end"] = [round(v, 2) for v in os.getloadavg()]
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
