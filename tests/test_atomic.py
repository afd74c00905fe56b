"""All-or-nothing outputs: an interrupted writer leaves nothing half-written, concurrent writers one complete result."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

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
    """Temporaries and lock files beside result ``name`` (none once every writer is done)."""
    return [p.name for p in folder.iterdir() if p.name.startswith(f".{name}.")]


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


# --- publish (run --report, report SCENARIO, the explorer's button): the folder, what it takes and the PDF at once

def _snapshot(*roots):
    """Every file under ``roots`` (folders or files) with its bytes: equal snapshots mean byte-identical outputs."""
    snap = {}
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        snap.update({str(p): p.read_bytes() for p in files})
    return snap


def _interrupt_the_pdf(monkeypatch):
    """Make the PDF stage raise KeyboardInterrupt (Ctrl-C) once it starts, after the folder and what it takes."""
    import innosd.report

    stages = []

    def interrupted(run_dir, pdf_path, lang="zh", **kw):
        from innosd.runfolder import WHAT_IT_TAKES

        stages.append(sorted(p.name for p in Path(run_dir).iterdir()))
        assert WHAT_IT_TAKES in stages[-1], "the PDF stage comes after what it takes"
        raise KeyboardInterrupt

    monkeypatch.setattr(innosd.report, "write_report", interrupted)
    return stages


def _cli(argv, capsys):
    from innosd import cli

    code = cli.main([str(a) for a in argv])
    return code, capsys.readouterr().err


@pytest.fixture
def umask_027():
    """An unusual umask, so modes that follow it cannot pass by accident (tempfile would give 0700/0600)."""
    previous = os.umask(0o027)
    yield 0o027
    os.umask(previous)


def test_publish_is_all_or_nothing(tmp_path, monkeypatch, capsys, umask_027):
    """Ctrl-C at the PDF stage: no folder where there was none; a previous complete result byte for byte."""
    import stat

    import innosd.cli.loops
    from innosd.runfolder import WHAT_IT_TAKES

    out, pdf = tmp_path / "reports" / "plan", tmp_path / "elsewhere" / "plan.pdf"
    scenario = REPO / "scenarios" / "tianjin-2027-plan.yaml"
    monkeypatch.chdir(REPO)
    monkeypatch.setattr(innosd.cli.loops, "DEFAULT_SAMPLES", 20)  # loops.csv is not what is tested: keep it short
    argv = ["run", scenario, "--report", "--samples", "100", "--no-charts", "--out", out]

    with monkeypatch.context() as m:
        stages = _interrupt_the_pdf(m)
        code, err = _cli(argv, capsys)
    assert code == 130 and stages, err
    assert err.strip().splitlines()[-1] == "interrupted: no half-written output was left"
    assert sorted(p.name for p in out.parent.iterdir()) == [], "nothing at all: no folder, temporary or lock"

    code, err = _cli(argv, capsys)  # a complete run
    assert code == 0, err
    names = {p.name for p in out.iterdir()}
    assert {WHAT_IT_TAKES, "summary.json", "targets.csv", "tianjin-2027-plan.pdf"} <= names
    assert [p.name for p in out.parent.iterdir()] == ["plan"], "no lock file or temporary beside the folder"
    assert stat.S_IMODE(out.stat().st_mode) == 0o777 & ~umask_027
    for f in out.iterdir():
        assert stat.S_IMODE(f.stat().st_mode) == (0o777 if f.is_dir() else 0o666) & ~umask_027, f.name
    before = _snapshot(out)

    # again, as `innosd report SCENARIO -o PDF` (the PDF outside the folder), interrupted at the PDF
    with monkeypatch.context() as m:
        _interrupt_the_pdf(m)
        code, err = _cli(["report", scenario, "--samples", "100", "--seed", "7", "--out", out, "-o", pdf], capsys)
    assert code == 130, err
    assert _snapshot(out) == before, "the previous result, PDF and what_it_takes.csv included, is untouched"
    assert [p.name for p in out.parent.iterdir()] == ["plan"]
    assert list(pdf.parent.iterdir()) == [], "no staged PDF left beside its path"


def test_a_folder_and_an_outside_file_commit_together(tmp_path, umask_027):
    """atomic_outputs: both appear (usual modes, nothing else left), or on an error neither changes."""
    import stat

    from innosd.atomic import atomic_outputs

    final, outside = tmp_path / "run", tmp_path / "pdfs" / "r.pdf"
    for version in ("1", "2"):
        with atomic_outputs(final) as st:
            (st.folder / "a.csv").write_text(version)
            st.file(outside).write_text(version)
            assert st.file(final / "inner.pdf") == st.folder / "inner.pdf", "a path inside maps into the folder"
            assert not outside.exists() or outside.read_text() != version, "nothing is replaced before the end"
        assert (final / "a.csv").read_text() == outside.read_text() == version
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pdfs", "run"]
    assert [p.name for p in outside.parent.iterdir()] == ["r.pdf"]
    assert stat.S_IMODE(final.stat().st_mode) == 0o750
    assert stat.S_IMODE(outside.stat().st_mode) == 0o640
    with pytest.raises(RuntimeError), atomic_outputs(final) as st:
        (st.folder / "a.csv").write_text("3")
        st.file(outside).write_text("3")
        raise RuntimeError("a crash before the end")
    assert (final / "a.csv").read_text() == outside.read_text() == "2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pdfs", "run"]
    assert [p.name for p in outside.parent.iterdir()] == ["r.pdf"]


def test_the_lock_is_exclusive_and_leaves_no_file(tmp_path):
    """A lock removed on release must still exclude: a waiter that got the removed file takes the new one."""
    import threading

    from innosd.atomic import _lock

    final = tmp_path / "result"
    inside, overlaps = [0], []

    def hold():
        for _ in range(30):
            with _lock(final):
                inside[0] += 1
                overlaps.append(inside[0])
                time.sleep(0.001)
                inside[0] -= 1

    # flock locks belong to the open file, so threads exclude one another as processes do
    threads = [threading.Thread(target=hold) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(overlaps) == 120 and max(overlaps) == 1
    assert list(tmp_path.iterdir()) == []
