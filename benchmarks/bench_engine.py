"""Benchmark: PySD vs the NumPy ensemble engine, on the Tianjin model and on a subscripted model.

Run from the repository root::

    python benchmarks/bench_engine.py [--model model/tianjin_innovation.mdl] [--pysd-runs 20]
                                      [--array-pysd-runs 3] [--only tianjin|arrays]

Prints tables, then as its last line one JSON object with the figures.

Tianjin, 2016-2035: every run draws each constant as default x U(0.5, 1.5).
Engine runs store the stocks at every SAVEPER time (``outputs=cm.stocks``);
one extra n=100,000 run stores every non-constant variable, for reference.
Peak memory is the ``tracemalloc`` peak of Python and NumPy allocations during
one ``cm.run`` (a separate, untimed run, because tracing slows allocation down).

Subscripted: an SIR epidemic over 16 districts (``SIR_16``, below: three
stocks and a third-order SMOOTH per district, travel between districts through
SUM, a VMAX), 180 days, TIME STEP 0.25; every run draws each district's
contact rate and recovery time.  PySD runs it through xarray; the engine as
arrays (n, 16).
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

from innosd.engine import compile_model  # noqa: E402 (after the sys.path line: the benchmark runs from a checkout without an install)

FINAL_TIME = 2035
SIR_16 = """{UTF-8}
District: %s ~ ~ Sixteen districts. |
Population[District] = 50000 ~ People ~ |
Initial Infected[District] = 10 ~ People ~ |
Contact Rate[District] = 0.4 ~ 1/Day ~ |
Recovery Time[District] = 7 ~ Day ~ |
Travel Rate = 0.01 ~ 1/Day ~ |
Reporting Delay = 3 ~ Day ~ |
Susceptible[District] = INTEG(-Infection[District],
    Population[District] - Initial Infected[District]) ~ People ~ |
Infected[District] = INTEG(Infection[District] + Import[District] - Recovery[District],
    Initial Infected[District]) ~ People ~ |
Recovered[District] = INTEG(Recovery[District], 0) ~ People ~ |
Infection[District] = Contact Rate[District] * Susceptible[District] * Infected[District]
    / Population[District] ~ People/Day ~ |
Recovery[District] = Infected[District] / Recovery Time[District] ~ People/Day ~ |
Import[District] = Travel Rate * (Mean Infected - Infected[District]) ~ People/Day ~ |
Mean Infected = SUM(Infected[District!]) / ELMCOUNT(District) ~ People ~ |
Reported[District] = SMOOTH3(Infected[District], Reporting Delay) ~ People ~ |
Total Infected = SUM(Infected[District!]) ~ People ~ |
Peak District Reported = VMAX(Reported[District!]) ~ People ~ |
FINAL TIME = 180 ~ Day ~ |
INITIAL TIME = 0 ~ Day ~ |
SAVEPER = 1 ~ Day ~ |
TIME STEP = 0.25 ~ Day ~ |
""" % ", ".join("d%d" % (i + 1) for i in range(16))


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


def array_draws(n, rng):
    """Per-district contact rate and recovery time of the subscripted model: (n, 16)."""
    return {"contact_rate": rng.uniform(0.2, 0.6, (n, 16)),
            "recovery_time": rng.uniform(4.0, 10.0, (n, 16))}


def bench_arrays(runs, rng):
    """(PySD s/run, {n: engine s}) on the 16-district SIR model."""
    import pysd

    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        path = Path(tmp) / "sir_16_districts.mdl"
        path.write_text(SIR_16)
        cm = compile_model(path)
        model = pysd.read_vensim(str(path))
        model.run()
        params = [{k: v[0] for k, v in array_draws(1, rng).items()} for _ in range(runs)]
        start = time.perf_counter()
        for p in params:
            model.run(params={k: pysd_array(model, k, v) for k, v in p.items()})
        pysd_s = (time.perf_counter() - start) / runs
        seconds = {}
        for n, repeat in ((1, 5), (1_000, 3), (10_000, 3)):
            draws_n = array_draws(n, rng)
            cm.run(n=min(n, 10), params={k: v[:10] for k, v in draws_n.items()},
                   outputs=cm.stocks)
            best = np.inf
            for _ in range(repeat):
                start = time.perf_counter()
                res = cm.run(n=n, params=draws_n, outputs=cm.stocks)
                best = min(best, time.perf_counter() - start)
            assert res["infected"].shape == (n, len(res.time), 16)
            seconds[n] = best
    return pysd_s, seconds


def pysd_array(model, name, values):
    """A (16,) array as the xarray PySD expects for a subscripted constant."""
    import xarray as xr

    dims = model.components._subscript_dict
    return xr.DataArray(values, {"District": dims["District"]}, ["District"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(ROOT / "model" / "tianjin_innovation.mdl"))
    parser.add_argument("--pysd-runs", type=int, default=20)
    parser.add_argument("--array-pysd-runs", type=int, default=3)
    parser.add_argument("--only", choices=["tianjin", "arrays"])
    args = parser.parse_args()
    summary = {}
    if args.only != "arrays":
        summary.update(tianjin(args))
    if args.only != "tianjin":
        rng = np.random.default_rng(20160102)
        pysd_s, seconds = bench_arrays(args.array_pysd_runs, rng)
        print("subscripted model: SIR over 16 districts, 0-180 days, TIME STEP 0.25, "
              "SAVEPER 1; 32 constants varied; engine stores the 3 stocks (n, T, 16)")
        print("%-8s %9s %12s %14s %12s" % ("engine", "n", "seconds", "runs/s", "x PySD"))
        print("%-8s %9d %12.4f %14.2f %12.0f" % ("PySD", 1, pysd_s, 1 / pysd_s, 1))
        for n, s in seconds.items():
            print("%-8s %9d %12.4f %14.1f %12.0f" % ("engine", n, s, n / s, n / s * pysd_s))
        summary.update({
            "arrays_pysd_runs_per_s": 1 / pysd_s,
            "arrays_engine_runs_per_s_1": 1 / seconds[1],
            "arrays_engine_runs_per_s_1000": 1_000 / seconds[1_000],
            "arrays_engine_runs_per_s_10000": 10_000 / seconds[10_000],
            "arrays_ratio_10000": 10_000 / seconds[10_000] * pysd_s,
            "arrays_model": "SIR, 16 districts",
        })
    print(json.dumps(summary))


def tianjin(args):
    """Run the Tianjin part; print its table and return its JSON figures."""
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
    return {
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


if __name__ == "__main__":
    main()
