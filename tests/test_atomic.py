"""All-or-nothing outputs: an interrupted writer leaves nothing half-written, concurrent writers one complete result."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from conftest import REPO

SRC = str(REPO / "src")

# A writer process: puts N files carrying its own tag into FINAL, optionally pausing (and saying so)
# half-way, so the test can interrupt it there.
WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from innosd.atomic import atomic_dir
    final, tag, pause = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    with atomic_dir(final) as tmp:
        for i in range(20):
            (tmp / f"part{i}.txt").write_text(tag * 1000)
            if i == 10 and pause:
                print("half", flush=True)
                time.sleep(pause)
    print("done", flush=True)
""")


_STARTED: list[subprocess.Popen] = []


@pytest.fixture(autouse=True)
def _close_pipes():
    """Close the writers' pipes after each test (an unclosed pipe is a ResourceWarning, an error here)."""
    yield
    while _STARTED:
        proc = _STARTED.pop()
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


def writer(final, tag, pause=0.0):
    env = {**os.environ, "PYTHONPATH": SRC}
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(final), tag, str(pause)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _STARTED.append(proc)
    return proc


def contents(final):
    """The set of tags in the result folder (one when complete and from one writer) and the file count."""
    files = sorted(final.iterdir())
    return {f.read_text()[:1] for f in files}, len(files)


def leftovers(folder, name):
    return [p.name for p in folder.iterdir() if p.name.startswith(f".{name}.") and not p.name.endswith(".lock")]


def test_interrupted_writer_leaves_the_previous_result(tmp_path):
    final = tmp_path / "result"
    first = writer(final, "A")
    assert first.wait(60) == 0
    assert contents(final) == ({"A"}, 20)
    proc = writer(final, "B", pause=30)
    assert proc.stdout.readline().strip() == "half"
    proc.send_signal(signal.SIGINT)
    proc.wait(30)
    assert proc.returncode != 0
    assert contents(final) == ({"A"}, 20), "the previous complete result is untouched"
    assert leftovers(tmp_path, "result") == []


def test_interrupted_first_writer_leaves_no_folder(tmp_path):
    final = tmp_path / "result"
    proc = writer(final, "A", pause=30)
    assert proc.stdout.readline().strip() == "half"
    proc.send_signal(signal.SIGINT)
    proc.wait(30)
    assert not final.exists()
    assert leftovers(tmp_path, "result") == []


def test_killed_writer_is_swept_by_the_next(tmp_path):
    final = tmp_path / "result"
    proc = writer(final, "A", pause=30)
    assert proc.stdout.readline().strip() == "half"
    proc.kill()  # SIGKILL: no clean-up possible; its temporary folder stays hidden
    proc.wait(30)
    assert not final.exists() and len(leftovers(tmp_path, "result")) == 1
    assert writer(final, "B").wait(60) == 0
    assert contents(final) == ({"B"}, 20)
    assert leftovers(tmp_path, "result") == []


def test_concurrent_writers_leave_one_complete_result(tmp_path):
    final = tmp_path / "result"
    for _ in range(3):
        procs = [writer(final, tag) for tag in "ABCDEF"]
        codes = [p.wait(120) for p in procs]
        assert codes == [0] * 6, [p.stderr.read() for p in procs]
        tags, count = contents(final)
        assert len(tags) == 1 and count == 20
        assert leftovers(tmp_path, "result") == []


def _wait_for(proc, text: str, timeout: float = 120.0) -> str:
    r"""Read ``proc``'s stderr until ``text`` appears (progress lines end in \r, not \n); return what was read."""
    seen, end = "", time.monotonic() + timeout
    while text not in seen and time.monotonic() < end:
        ch = proc.stderr.read(1)
        if not ch:
            break
        seen += ch
    assert text in seen, seen
    return seen


def _run(args, cwd=None, progress="0", **kw):
    env = {**os.environ, "PYTHONPATH": SRC, "INNOSD_PROGRESS": progress}
    return subprocess.Popen([sys.executable, "-m", "innosd", *map(str, args)], env=env, cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def test_two_runs_into_one_folder(tmp_path):
    """Two `innosd run`s into the same --out at once: one complete, self-consistent result."""
    import json

    import pandas as pd

    out = tmp_path / "out"
    scenario = REPO / "scenarios" / "tianjin-2027-plan.yaml"
    argv = ["run", scenario, "--samples", "300", "--out", out, "--no-charts"]
    procs = [_run([*argv, "--seed", seed]) for seed in (1, 2)]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert sorted(f.name for f in out.iterdir()) == ["drivers.csv", "levers.csv", "parameters.csv",
                                                     "prior_sensitivity.csv", "structure.json", "summary.json",
                                                     "targets.csv", "trajectories.csv"]
    seed = json.loads((out / "summary.json").read_text())["provenance"]["seed"]
    assert set(pd.read_csv(out / "targets.csv")["seed"]) == {seed}, "targets.csv and summary.json from one run"
    assert leftovers(tmp_path, "out") == []


@pytest.mark.parametrize("sig,code,said", [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")],
                         ids=["ctrl-c", "sigterm"])
def test_interrupted_run_writes_nothing(tmp_path, sig, code, said):
    out = tmp_path / "out"
    scenario = REPO / "scenarios" / "tianjin-2027-plan.yaml"
    proc = _run(["run", scenario, "--samples", "150000", "--out", out], progress="1")
    seen = _wait_for(proc, "running 150,000 members")  # the ensemble is running: interrupt it there
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    err = seen + err
    if proc.returncode == 0:  # pragma: no cover - the machine ran 150,000 members in 4 s
        pytest.skip("the run finished before it could be interrupted")
    assert proc.returncode == code, err
    assert "Traceback" not in err and err.strip().splitlines()[-1].endswith(f"{said}: no half-written output was left")
    assert not out.exists()
    assert leftovers(tmp_path, "out") == []
