"""The scenario explorer's settings and files (no browser): names typed in the page, lever entries, saving, serving."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer_helpers import PLAN, files
from innosd import paths
from innosd.errors import InputError

# File names typed in the page


@pytest.mark.parametrize("name", ["../evil", "..", "/etc/passwd", "sub/x", "sub\\x", "C:\\x", ".hidden", "",
                                  "a.b", "x" * 81, "-x", "名字/../x", "~/x", "x\x00y"])
def test_names_that_would_leave_the_folder_are_refused(explorer_project, name):
    from innosd.explorer.workspace import scenario_file

    with pytest.raises(InputError, match="plain file name"):
        scenario_file(explorer_project.scenarios, name, exists=False)


def test_plain_names_stay_in_the_folder(explorer_project):
    from innosd.explorer.workspace import scenario_file

    assert scenario_file(explorer_project.scenarios, "more-incubators", exists=False).name == "more-incubators.yaml"
    assert scenario_file(explorer_project.scenarios, "孵化器_2025.yaml", exists=False).name == "孵化器_2025.yaml"
    assert scenario_file(explorer_project.scenarios, PLAN, exists=True).is_file()
    with pytest.raises(InputError, match="no scenario"):
        scenario_file(explorer_project.scenarios, "not-there", exists=True)


def test_links_out_of_the_folder_are_refused(explorer_project, tmp_path):
    from innosd.explorer.workspace import Workspace, scenario_file

    outside = tmp_path / "outside.yaml"
    outside.write_text("name: outside\n", encoding="utf-8")
    link = explorer_project.scenarios / "linked-out.yaml"
    link.symlink_to(outside)
    try:
        for exists in (True, False):
            with pytest.raises(InputError, match="link out of the scenarios folder"):
                scenario_file(explorer_project.scenarios, "linked-out", exists=exists)
        assert "linked-out" not in Workspace(explorer_project).names()
        assert outside.read_text(encoding="utf-8") == "name: outside\n"
    finally:
        link.unlink()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=30))
def test_any_typed_name_is_a_file_directly_in_the_folder_or_refused(explorer_project, name):
    from innosd.explorer.workspace import scenario_file

    try:
        path = scenario_file(explorer_project.scenarios, name, exists=False)
    except InputError:
        return
    assert path.parent == explorer_project.scenarios.resolve()
    assert path.suffix == ".yaml" and not path.name.startswith(".")


# ----------------------------------------------------------------------------------------------------
# Settings: lever controls, the entries they write, saving


def by_name(controls) -> dict:
    return {c.name: c for c in controls}


def test_a_control_for_every_policy_lever_with_its_range(explorer, model):
    from innosd.whatittakes import POLICY_LEVERS

    sc, controls, vintage, year = explorer.opened("tianjin-2027-programmes")
    # every lever table of the model (functions of Time read from the .mdl) but the GDP path, an assumption
    assert {c.name for c in controls} == set(model.lookups) - {"gdp_growth_path"}
    assert set(POLICY_LEVERS) < {c.name for c in controls} and "government_rd_budget_path" in by_name(controls)
    assert vintage == 2022 and year == (sc.raw.get("decision_year") or vintage + 1)
    by = {c.name: c for c in controls}
    assert (by["new_incubators_path"].low, by["new_incubators_path"].high) == model.lookup_limits["new_incubators_path"]
    assert by["new_incubators_path"].value == 19 and by["new_incubators_path"].first_year == 2025
    assert by["certification_support"].form is None and by["certification_support"].value == 1


def test_unchanged_settings_run_the_scenario_itself(explorer):
    from innosd.explorer.settings import apply

    sc, controls, _, year = explorer.opened(PLAN)
    applied = apply(sc, explorer.workspace.model(), year, {c.name: str(c.value) for c in controls})
    assert applied.ok and applied.entries == {} and applied.scenario is sc


def test_bad_values_are_named_and_nothing_runs(explorer):
    from innosd.explorer.settings import apply

    sc, _, _, year = explorer.opened(PLAN)
    applied = apply(sc, explorer.workspace.model(), year,
                    {"new_incubators_path": "abc", "conversion_quota_path": "99999", "certification_support": "1.5"},
                    "en")
    assert applied.scenario is None
    assert set(applied.errors) == {"new_incubators_path", "conversion_quota_path"}
    assert "number" in applied.errors["new_incubators_path"] and "0 to 5000" in applied.errors["conversion_quota_path"]
    assert apply(sc, explorer.workspace.model(), "2050", {}, "en").year_error.startswith("enter a year")


@pytest.mark.parametrize("spec, value, expect", [
    (None, 30, {"step": {"year": 2024, "to": 30}}),
    ({"step": {"year": 2025, "to": 19}}, 25, {"step": {"year": 2025, "to": 25}}),
    ({"ramp": {"start": 2021, "end": 2025, "to": 0.5}}, 0.8, {"ramp": {"start": 2021, "end": 2025, "to": 0.8}}),
    ({"constant": 2}, 1.5, {"constant": 1.5}),
    ({"table": {2017: 12}}, 20, {"table": {2017: 20}}),
    ({"table": {2020: 10, 2022: 12, 2026: 14}}, 20, {"table": {2020: 10, 2022: 12, 2024: 20, 2026: 20}}),
    ({"steps": {2021: 1.2, 2026: 1.5}}, 2, {"steps": {2021: 1.2, 2024: 2, 2026: 2}}),
    ({"step": {"year": 2025, "to": 900}, "uncertainty": {"shift": [-100, 100]}}, 1000,
     {"step": {"year": 2025, "to": 1000}, "uncertainty": {"shift": [-100, 100]}}),
])
def test_a_lever_keeps_the_scenarios_timing_and_takes_the_new_level(spec, value, expect):
    from innosd.explorer.settings import LeverControl, entry

    form = None if spec is None else next(k for k in spec if k != "uncertainty")
    assert entry(LeverControl("x", 0, 5000, 1, 0, form, None, spec), value, 2024) == expect


def test_the_decision_year_is_when_a_lever_the_scenario_leaves_alone_changes(explorer):
    def built(year):  # incubators built in 2025-2027 at 40 a year from the decision year
        view = explorer.update(PLAN, str(year), {"new_incubators_path": "40"}, "en")
        return float(next(r["median"] for r in view.rows if r["id"] == "new-incubators-2025-2027"))

    assert built(2023) == built(2024) == 120  # three whole years at 40
    # from 2026: 12 in 2025, then 40 a year, less the first eighth of 2026 (integrated at 12; scenarios/README.md)
    assert built(2026) == 12 + 0.125 * 12 + 0.875 * 40 + 40
    assert built(2028) == 36  # after the deadline: the model's own 12 a year


def test_a_growth_path_is_shown_but_changed_only_in_the_file(explorer, explorer_project):
    from innosd.explorer.settings import apply

    path = explorer_project.scenarios / "growing.yaml"
    path.write_text("name: growing\nextends: tianjin-2027-plan.yaml\nlevers:\n"
                    "  new_incubators_path: {growth: {from_year: 2024, rate: 0.1}}\n", encoding="utf-8")
    try:
        sc, controls, _, year = explorer.opened("growing")
        control = next(c for c in controls if c.name == "new_incubators_path")
        assert not control.editable and control.form == "growth"
        applied = apply(sc, explorer.workspace.model(), year, {"new_incubators_path": "50"})
        assert applied.ok and applied.entries == {}
    finally:
        path.unlink()


def test_a_saved_scenario_extends_the_base_validates_and_runs_what_the_page_showed(explorer, explorer_project):
    from innosd.api import run
    from innosd.cli import main
    from innosd.explorer.publish import save
    from innosd.explorer.view import rows

    values = {"certification_support": "1.4", "commissioner_dispatch_path": "1,200", "new_incubators_path": "２５"}
    view = explorer.update("tianjin-2027-programmes", "2024", values, "en")
    path = save(explorer, "tianjin-2027-programmes", "2024", values, "saved-by-test", "a test", "en")
    try:
        text = path.read_text(encoding="utf-8")
        raw = yaml.safe_load(text)
        assert raw["extends"] == "tianjin-2027-programmes.yaml" and raw["name"] == "saved-by-test"
        assert raw["levers"] == {"certification_support": {"step": {"year": 2024, "to": 1.4}},
                                 "new_incubators_path": {"step": {"year": 2025, "to": 25}},
                                 "commissioner_dispatch_path": {"step": {"year": 2025, "to": 1200},
                                                                "uncertainty": {"shift": [-100, 100]}}}
        assert main(["validate", str(path), "--project", str(explorer_project.root)]) == 0
        with paths.use(explorer_project):
            again = run(path, model=explorer.workspace.model())
        # every cell the page showed, P(met) and medians included, is what the saved file gives
        def cells(table_rows):
            return [{k: v for k, v in r.items() if k != "p_change"} for r in table_rows]

        assert cells(view.rows) == cells(rows(again.table, None, 2030, "en", 2024))
        assert float(again.table.set_index("id").loc["tech-smes-2027", "p_met"]) == pytest.approx(
            view.rows[1]["p_value"])
    finally:
        path.unlink()


def test_saving_refuses_what_it_must_not_overwrite_and_writes_nothing(explorer, explorer_project):
    from innosd.explorer.publish import save

    before = files(explorer_project.scenarios)
    for name, problem in ((PLAN, "the scenario it would extend"), ("tianjin-2022-plan", "not saved from this page"),
                          ("../escape", "plain file name"), ("/tmp/escape", "plain file name")):
        with pytest.raises(InputError, match=problem):
            save(explorer, PLAN, "2023", {"new_incubators_path": "30"}, name)
    with pytest.raises(InputError, match="needs correcting"):
        save(explorer, PLAN, "2023", {"new_incubators_path": "300"}, "fine-name")
    assert files(explorer_project.scenarios) == before
    assert not (explorer_project.root.parent / "escape.yaml").exists() and not Path("/tmp/escape.yaml").exists()


def test_the_page_overwrites_only_what_it_saved(explorer, explorer_project):
    from innosd.explorer.publish import save

    path = save(explorer, PLAN, "2023", {"new_incubators_path": "30"}, "twice")
    try:
        save(explorer, PLAN, "2023", {"new_incubators_path": "31"}, "twice")
        assert yaml.safe_load(path.read_text(encoding="utf-8"))["levers"]["new_incubators_path"]["step"]["to"] == 31
    finally:
        path.unlink()


def test_the_page_changes_p_met_the_way_the_model_does(explorer):
    low = explorer.update(PLAN, "2023", {"certification_support": "1"}, "en")
    high = explorer.update(PLAN, "2023", {"certification_support": "2"}, "en")
    p = {r["id"]: r["p_value"] for r in low.rows}
    q = {r["id"]: r["p_value"] for r in high.rows}
    assert q["tech-smes-2027"] > p["tech-smes-2027"] + 0.2
    assert high.rows[0]["p_change"].startswith("+") and low.rows[0]["p_change"] == ""
    panels = [a["text"] for a in high.figure["layout"]["annotations"] if a["text"].startswith("<b>")]
    assert len(panels) == 4 and "Tech-contract turnover" in panels[0]


def test_serve_listens_on_this_computer_only_by_default(explorer_project):
    from innosd.cli import build_parser
    from innosd.explorer import Server, create_app

    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.no_browser) == ("127.0.0.1", 8050, False)
    server = Server(create_app(explorer_project, warm=False), args.host, 0)
    try:
        assert server._server.socket.getsockname()[0] == "127.0.0.1" and server.url.startswith("http://127.0.0.1:")
    finally:
        server.stop()


def test_a_busy_port_is_one_line(explorer_project, capsys):
    import socket

    from innosd.cli import main

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        assert main(["serve", "--no-browser", "--port", str(port), "--project", str(explorer_project.root)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("error: --port: cannot listen on 127.0.0.1:") and "--port" in err[-1].split("fix:")[1]
    folder = str(explorer_project.root)
    assert main(["serve", "--no-browser", "--host", "no-such-host.invalid", "--project", folder]) == 2
    assert capsys.readouterr().err.strip().splitlines()[-1].startswith("error: --host: unknown address")


def test_the_target_table_escapes_what_the_scenario_file_says(explorer):
    from innosd.explorer.tables import target_table

    view = explorer.update(PLAN, "2023", {}, "en")
    row = dict(view.rows[0], label='<img src=x onerror="alert(1)">', id="a&b")
    markup = target_table([row], "en")[0].children
    assert "<img" not in markup and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in markup
    assert 'data-target="a&amp;b"' in markup and markup.count("<tr") == 2


def test_innosd_serve_serves_the_page_on_this_computer_until_stopped(explorer_project):
    import re
    import signal
    import subprocess
    import sys
    import time
    import urllib.request

    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    proc = subprocess.Popen([sys.executable, "-m", "innosd", "serve", "--no-browser", "--port", "0",
                             "--project", str(explorer_project.root)], stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline, url = time.monotonic() + 120, None
        while url is None and time.monotonic() < deadline:
            line = proc.stderr.readline()
            found = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
            url = found.group(1) if found else None
            assert line or proc.poll() is None, "innosd serve stopped before serving"
        assert url, "innosd serve printed no address"
        with urllib.request.urlopen(url, timeout=30) as response:
            assert response.status == 200 and b"innosd explorer" in response.read()
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            assert proc.wait(timeout=30) == 0
        finally:
            proc.stderr.close()
            if proc.poll() is None:
                proc.kill()


def test_the_page_states_what_a_change_spends_beyond_the_opened_scenario(explorer):
    from innosd.optimise.costs import load_costs

    sc, _, _, year = explorer.opened(PLAN)
    per_unit = load_costs(sc, explorer.workspace.model())
    view = explorer.update(PLAN, str(year), {"new_incubators_path": "22", "certification_support": "1.2"}, "en")
    last = max(t.year for t in sc.targets)
    years = last - year + 1  # the decision year to the last target year, as innosd optimise counts
    assert view.budget_years == (year, last)
    incubators, certification = (per_unit[n].cost_per_unit for n in ("new_incubators_path", "certification_support"))
    assert view.costs["new_incubators_path"] == pytest.approx((22 - 12) * years * incubators)
    assert view.costs["certification_support"] == pytest.approx(0.2 * years * certification)
    assert explorer.update(PLAN, str(year), {}, "en").costs == {}
