"""Engine vs the reference tool's output and vs PySD on the shared conformance models."""

from __future__ import annotations

import io
import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from innosd.engine import UnsupportedConstructError, compile_model

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "conformance"
CONTROL_COLUMNS = {"FINAL TIME", "INITIAL TIME", "SAVEPER", "TIME STEP"}
EXPECTED_UNSUPPORTED = {"tests/arithmetics": "subscript"}

FOLDERS = sorted(
    "%s/%s" % (p.parent.name, p.name)
    for group in ("tests", "samples") for p in (SHARED / group).glob("*") if p.is_dir()
) if SHARED.is_dir() else []

pytestmark = pytest.mark.skipif(
    not SHARED.is_dir(), reason="conformance models not found at %s" % SHARED)


def _model(folder: str) -> Path:
    return next((SHARED / folder).glob("*.mdl"))


def _reference(folder: str) -> pd.DataFrame | None:
    files = sorted((SHARED / folder).glob("output.*"))
    if not files:
        return None
    text = files[0].read_text(errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    frame = pd.read_csv(io.StringIO(text), sep="\t" if files[0].suffix == ".tab" else ",")
    return frame.set_index(frame.columns[0])


@pytest.fixture(scope="module")
def pysd_runs(tmp_path_factory):
    """PySD's run of each folder's model (translated from a temporary copy), cached."""
    import pysd

    cache = {}

    def get(folder):
        if folder not in cache:
            tmp = tmp_path_factory.mktemp(folder.replace("/", "_"))
            copy = tmp / _model(folder).name
            shutil.copy(_model(folder), copy)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                cache[folder] = pysd.read_vensim(str(copy)).run()
        return cache[folder]

    return get


def _engine_frame(folder):
    cm = compile_model(_model(folder))
    return cm.run(outputs=cm.output_names("all")).to_frame()


@pytest.mark.parametrize("folder", sorted(EXPECTED_UNSUPPORTED))
def test_expected_unsupported(folder):
    with pytest.raises(UnsupportedConstructError, match=EXPECTED_UNSUPPORTED[folder]) as err:
        compile_model(_model(folder))
    assert _model(folder).name in str(err.value)


@pytest.mark.parametrize("folder", [f for f in FOLDERS if f not in EXPECTED_UNSUPPORTED])
def test_matches_reference_output(folder):
    ref = _reference(folder)
    if ref is None:
        assert folder == "samples/Lotka_Volterra", "only Lotka_Volterra lacks reference output"
        return
    sim = _engine_frame(folder)
    compared = 0
    for column in ref.columns:
        if column.strip() in CONTROL_COLUMNS:
            continue
        assert column in sim.columns, "%s: variable %r missing from engine output" % (folder, column)
        expected = pd.to_numeric(ref[column], errors="coerce").to_numpy(float)
        times = ref.index.to_numpy(float)
        rows = np.abs(sim.index.to_numpy()[None, :] - times[:, None]).argmin(axis=1)
        got = sim[column].to_numpy(float)[rows]
        keep = ~np.isnan(expected)
        bad = keep & ~(np.abs(got - expected) <= 1e-5 + 1e-4 * np.abs(expected))
        assert not bad.any(), "%s %r at t=%s: engine %s vs reference %s" % (
            folder, column, times[bad][:3], got[bad][:3], expected[bad][:3])
        compared += 1
    assert compared > 0


@pytest.mark.slow
@pytest.mark.parametrize("folder", [f for f in FOLDERS if f not in EXPECTED_UNSUPPORTED])
def test_matches_pysd(folder, pysd_runs):
    ref = pysd_runs(folder)
    sim = _engine_frame(folder)
    np.testing.assert_array_equal(sim.index.to_numpy(), ref.index.to_numpy(float))
    for column in ref.columns:
        if column in CONTROL_COLUMNS:
            continue
        assert column in sim.columns, "%s: %r missing" % (folder, column)
        expected = ref[column].to_numpy(float)
        np.testing.assert_allclose(sim[column].to_numpy(), expected, rtol=1e-9, atol=1e-12,
                                   err_msg="%s %r" % (folder, column))
