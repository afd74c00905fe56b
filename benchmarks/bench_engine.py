"""Benchmark: PySD vs the NumPy ensemble engine on the Tianjin model, 2016-2035.

Run from the repository root::

    python benchmarks/bench_engine.py [--model model/tianjin_innovation.mdl] [--pysd-runs 20]

Prints a table, then as its last line one JSON object with the figures.
Every run draws each constant as default x U(0.5, 1.5).  Engine runs store
the stocks at every SAVEPER time (``outputs=cm.stocks``); one extra n=100,000
run stores every non-constant variable, for reference.  Peak memory is the
``tracemalloc`` peak of Python and NumPy allocations during one ``cm.run``
(a separate, untimed run, because tracing slows allocation down).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import tracemalloc
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from innosd.engine import compile_model  # noqa: E402

FINAL_TIME = 2035


def draws(cm, n, rng):
    """Constants x U(0.5, 1.5): dict name -> array (n,)."""
    return {k: v * rng.uniform(0.5, 1.5, n) for k, v in cm.constants.items()}


def bench_pysd(path, cm, runs, rng):
    import pysd

    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        copy = Path(tmp) / Path(path).name
        shutil.copy(path, copy)
        model = pysd.read_vensim(str(copy))
        model.run(final_time=FINAL_TIME)
        params = [{k: float(v[0]) for k, v in draws(cm, 1, rng).items()} for _ in range(runs)]
        start = time.perf_counter()
        for p in params:
            model.run(params=p, final_time=FINAL_TIME)
        return (time.perf_counter() - start) / runs


def bench_engine(cm, n, rng, outputs, repeat):
    params = draws(cm, n, rng)
    cm.run(n=min(n, 100), params={k: v[:min(n, 100)] for k, v in params.items()},
           final_time=FINAL_TIME, outputs=outputs)
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        res = cm.run(n=n, params=params, final_time=FINAL_TIME, outputs=outputs)
        best = min(best, time.perf_counter() - start)
    assert res[outputs[0] if outputs else cm.stocks[0]].shape == (n, len(res.time))
    return best


def peak_mib(cm, n, rng, outputs):
    params = draws(cm, n, rng)
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    cm.run(n=n, params=params, final_time=FINAL_TIME, outputs=outputs)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    params_mib = sum(v.nbytes for v in params.values()) / 2**20
    return peak / 2**20, params_mib


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(ROOT / "model" / "tianjin_innovation.mdl"))
    parser.add_argument("--pysd-runs", type=int, default=20)
    args = parser.parse_args()
    rng = np.random.default_rng(20160101)
    cm = compile_model(args.model)
    outputs = list(cm.stocks)

    pysd_s = bench_pysd(args.model, cm, args.pysd_runs, rng)
    rows = [("PySD", 1, pysd_s, 1 / pysd_s)]
    seconds = {}
    for n, repeat in ((1, 20), (1_000, 5), (10_000, 3), (100_000, 2)):
        seconds[n] = bench_engine(cm, n, rng, outputs, repeat)
        rows.append(("engine", n, seconds[n], n / seconds[n]))
    all_outputs_s = bench_engine(cm, 100_000, rng, None, 1)
    peak, params_mib = peak_mib(cm, 100_000, rng, outputs)
    peak_all, _ = peak_mib(cm, 100_000, rng, None)

    print("model %s, %s to %s, TIME STEP %s, SAVEPER %s; %d constants varied; CPUs %d"
          % (Path(args.model).name, cm.control["initial_time"], FINAL_TIME,
             cm.control["time_step"], cm.control["saveper"], len(cm.constants), os.cpu_count()))
    print("engine outputs: the %d stocks at each SAVEPER time" % len(outputs))
    print("%-8s %9s %12s %14s %12s" % ("engine", "n", "seconds", "runs/s", "x PySD"))
    for name, n, s, rate in rows:
        print("%-8s %9d %12.4f %14.1f %12.0f" % (name, n, s, rate, rate * pysd_s))
    print("n=100000 storing all %d non-constant variables: %.3f s, tracemalloc peak %.0f MiB"
          % (len(cm.output_names()), all_outputs_s, peak_all))
    print("n=100000 peak memory (tracemalloc, Python+NumPy allocations during run): %.0f MiB "
          "(plus %.0f MiB of caller-held parameter arrays)" % (peak, params_mib))
    summary = {
        "pysd_runs_per_s": 1 / pysd_s,
        "engine_runs_per_s_1": 1 / seconds[1],
        "engine_runs_per_s_1000": 1_000 / seconds[1_000],
        "engine_runs_per_s_10000": 10_000 / seconds[10_000],
        "engine_runs_per_s_100000": 100_000 / seconds[100_000],
        "ratio_10000": (10_000 / seconds[10_000]) * pysd_s,
        "seconds_100000": seconds[100_000],
        "peak_mib_100000": peak,
        "peak_method": "tracemalloc",
        "seconds_100000_all_outputs": all_outputs_s,
        "peak_mib_100000_all_outputs": peak_all,
        "outputs": "stocks",
        "final_time": FINAL_TIME,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
