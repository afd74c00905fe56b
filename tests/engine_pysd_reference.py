"""Which conformance models PySD 3.14.3 itself reproduces (run once, by hand; slow).

Usage, from the repository root::

    PYTHONPATH=src python tests/engine_pysd_reference.py [--jobs 2] > pysd_reference.json

For every model file (``.mdl``, ``.xmile``) of every folder of
``../shared/conformance/{tests,samples,more}`` that has a reference output, PySD
translates and runs the model (in a child process, from a temporary copy of the
folder) and its output is compared with the reference by the engine's rule
(:func:`innosd.engine.reference.compare`).  The JSON printed maps
``folder/model-file`` to ``"pass"`` or to the reason PySD fails; the result is
recorded as data in ``tests/test_engine_conformance.py`` (``PYSD_FAILS``), so the
test suite never has to run PySD over every folder.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "conformance"
# data files a model reads at run time (PySD's ``data_files`` argument)
DATA_FILES = {"more/data_from_other_model": ["data.tab"]}


def model_files(shared=SHARED):
    """``folder/file`` keys of every model file in a folder with a reference output."""
    keys = []
    for group in ("tests", "samples", "more"):
        for folder in sorted((shared / group).glob("*")):
            if not folder.is_dir() or not list(folder.glob("output.*")):
                continue
            for model in sorted(folder.iterdir()):
                if model.suffix.lower() in (".mdl", ".xmile"):
                    keys.append("%s/%s/%s" % (group, folder.name, model.name))
    return keys


def run_one(key: str) -> str:
    """PySD's verdict on one model (runs in this process)."""
    import pysd

    from innosd.engine.reference import compare, compared_columns, read_reference

    source = SHARED / key
    folder = "/".join(key.split("/")[:2])
    ref = read_reference(next(source.parent.glob("output.*")))
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        copy = Path(tmp) / source.parent.name
        shutil.copytree(source.parent, copy)
        path = copy / source.name
        reader = pysd.read_xmile if path.suffix.lower() == ".xmile" else pysd.read_vensim
        data = [str(copy / f) for f in DATA_FILES.get(folder, [])] or None
        model = reader(str(path), data_files=data)
        names = set(model.namespace) | set(model.namespace.values())
        columns = [c for c in compared_columns(ref) if c.split("[")[0] in names]
        if not columns:
            return "no reference column is a model variable"
        sim = model.run(return_columns=columns)
    result = compare(sim, ref)
    if len(columns) < len(compared_columns(ref)):
        result.missing += [c for c in compared_columns(ref) if c not in columns]
    return "pass" if result.ok else "differs: " + result.summary(2).replace("\n", "; ")


def _child(key: str, timeout: float) -> str:
    try:
        done = subprocess.run([sys.executable, __file__, "--one", key], capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "error: timed out after %d s" % timeout
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["exit %d" % done.returncode])[-1]
        return "error: " + last[:300]
    return done.stdout.strip().splitlines()[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(run_one(args.one))
        return
    keys = model_files()
    with ThreadPoolExecutor(args.jobs) as pool:
        verdicts = dict(zip(keys, pool.map(lambda k: _child(k, args.timeout), keys), strict=True))
    for key, verdict in verdicts.items():
        print("%-75s %s" % (key, verdict[:150]), file=sys.stderr)
    print(json.dumps(verdicts, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
