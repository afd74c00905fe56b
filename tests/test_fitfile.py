"""A calibration's fit.yaml has one reader, used by the ensemble (the vintage) and the report (the whole file)."""

from __future__ import annotations

import os

from innosd.calibration import fitfile
from innosd.ensemble import _vintage
from innosd.report.analysis import fit_files


def test_the_ensemble_and_the_report_read_fit_yaml_through_one_reader(tmp_path, monkeypatch):
    fit = tmp_path / "fit.yaml"
    fit.write_text("settings:\n  until: 2019\n  seed: 1\ndiagnostics:\n  rhat_max: 1.004\n", encoding="utf-8")
    (tmp_path / "fit_table.csv").write_text("series,n\ngdp,3\n", encoding="utf-8")
    calls = []
    real = fitfile._read.__wrapped__
    monkeypatch.setattr(fitfile, "_read", lambda *a: calls.append(a[0]) or real(*a))
    assert _vintage(fit) == 2019
    table, data = fit_files(tmp_path)
    assert data["diagnostics"]["rhat_max"] == 1.004 and list(table.series) == ["gdp"]
    assert calls == [str(fit), str(fit)]
    calls.clear()
    from innosd import ensemble, paths

    assert ensemble.committed_vintages()[-1] == 2022 and ensemble.vintage_path(2022).name == "posterior.csv"
    assert calls and set(calls) == {str(paths.CALIBRATION / "fit.yaml")}  # the latest vintage, read by the reader


def test_an_edited_fit_yaml_is_read_again_and_a_broken_one_is_none(tmp_path):
    fit = tmp_path / "fit.yaml"
    fit.write_text("settings: {until: 2019}\n", encoding="utf-8")
    assert fitfile.fit_vintage(fit) == 2019
    fit.write_text("settings: {until: 2020}\n", encoding="utf-8")
    st = fit.stat()
    os.utime(fit, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert fitfile.fit_vintage(tmp_path) == 2020                  # the folder works too
    fit.write_text("settings: [unclosed\n", encoding="utf-8")
    os.utime(fit, ns=(st.st_atime_ns, st.st_mtime_ns + 2 * 10**9))
    assert fitfile.read_fit(fit) is None and fitfile.fit_vintage(fit) is None
    assert fitfile.read_fit(tmp_path / "absent.yaml") is None
