"""The scenario explorer (``innosd serve``): its settings and files, and the page in a real browser.

The browser tests drive Debian's Chromium (``/usr/bin/chromium``, ``apt-get install chromium``) with
Playwright against the app served on a free port of 127.0.0.1 in a background thread, over a copy
of the project whose scenarios folder the tests may write into. They skip, saying so, only when that
Chromium is missing. ``INNOSD_EXPLORER_SCREENSHOT=docs/explorer.png`` also writes the README's screenshot.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innosd import paths
from innosd.errors import InputError

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
PLAN = "tianjin-2027-plan"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> paths.Project:
    """A project whose model and calibration are the repository's and whose scenarios folder is a copy."""
    root = tmp_path_factory.mktemp("explorer")
    proj = root / "project"
    proj.mkdir()
    for name in ("model", "calibration"):
        (proj / name).symlink_to(REPO / name, target_is_directory=True)
    if (REPO.parent / "shared").is_dir():  # the cited sources, so quotes are checked as in the repository
        (root / "shared").symlink_to(REPO.parent / "shared", target_is_directory=True)
    shutil.copytree(REPO / "scenarios", proj / "scenarios")
    return paths.Project.at(proj)


@pytest.fixture(scope="module")
def explorer(project):
    from innosd.explorer.view import Explorer
    from innosd.explorer.workspace import Workspace

    return Explorer(Workspace(project))


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


# ----------------------------------------------------------------------------------------------------
# File names typed in the page


@pytest.mark.parametrize("name", ["../evil", "..", "/etc/passwd", "sub/x", "sub\\x", "C:\\x", ".hidden", "",
                                  "a.b", "x" * 81, "-x", "名字/../x", "~/x", "x\x00y"])
def test_names_that_would_leave_the_folder_are_refused(project, name):
    from innosd.explorer.workspace import scenario_file

    with pytest.raises(InputError, match="plain file name"):
        scenario_file(project.scenarios, name, exists=False)


def test_plain_names_stay_in_the_folder(project):
    from innosd.explorer.workspace import scenario_file

    assert scenario_file(project.scenarios, "more-incubators", exists=False) == project.scenarios / "more-incubators.yaml"
    assert scenario_file(project.scenarios, "孵化器_2025.yaml", exists=False).name == "孵化器_2025.yaml"
    assert scenario_file(project.scenarios, PLAN, exists=True).is_file()
    with pytest.raises(InputError, match="no scenario"):
        scenario_file(project.scenarios, "not-there", exists=True)


def test_links_out_of_the_folder_are_refused(project, tmp_path):
    from innosd.explorer.workspace import Workspace, scenario_file

    outside = tmp_path / "outside.yaml"
    outside.write_text("name: outside\n", encoding="utf-8")
    link = project.scenarios / "linked-out.yaml"
    link.symlink_to(outside)
    try:
        for exists in (True, False):
            with pytest.raises(InputError, match="link out of the scenarios folder"):
                scenario_file(project.scenarios, "linked-out", exists=exists)
        assert "linked-out" not in Workspace(project).names()
        assert outside.read_text(encoding="utf-8") == "name: outside\n"
    finally:
        link.unlink()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=30))
def test_any_typed_name_is_a_file_directly_in_the_folder_or_refused(project, name):
    from innosd.explorer.workspace import scenario_file

    try:
        path = scenario_file(project.scenarios, name, exists=False)
    except InputError:
        return
    assert path.parent == project.scenarios.resolve()
    assert path.suffix == ".yaml" and not path.name.startswith(".")


# ----------------------------------------------------------------------------------------------------
# Settings: lever controls, the entries they write, saving


def test_a_control_for_every_policy_lever_with_its_range(explorer, model):
    from innosd.whatittakes import POLICY_LEVERS

    sc, controls, vintage, year = explorer.opened("tianjin-2027-programmes")
    assert {c.name for c in controls} == set(POLICY_LEVERS)
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
    # from 2026: 12 in 2025, then 40 a year, less the first quarter of 2026 (integrated at 12; scenarios/README.md)
    assert built(2026) == 12 + 0.25 * 12 + 0.75 * 40 + 40
    assert built(2028) == 36  # after the deadline: the model's own 12 a year


def test_a_growth_path_is_shown_but_changed_only_in_the_file(explorer, project):
    from innosd.explorer.settings import apply

    path = project.scenarios / "growing.yaml"
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


def test_a_saved_scenario_extends_the_base_validates_and_runs_what_the_page_showed(explorer, project, tmp_path):
    from innosd.api import run
    from innosd.cli import main
    from innosd.explorer.publish import save

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
        assert main(["validate", str(path), "--project", str(project.root)]) == 0
        with paths.use(project):
            again = run(path, model=explorer.workspace.model())
        assert [r["p"] for r in view.rows] == [("-" if k == "assumption" else f"{p:.2f}")
                                               for p, k in zip(again.table["p_met"], again.table["kind"])]
        assert [r["median"] for r in view.rows] == [r["median"] for r in
                                                     __import__("innosd.explorer.view", fromlist=["rows"]).rows(
                                                         again.table, None, 2030, "en")]
    finally:
        path.unlink()


def test_saving_refuses_what_it_must_not_overwrite_and_writes_nothing(explorer, project):
    from innosd.explorer.publish import save

    before = _files(project.scenarios)
    for name, problem in ((PLAN, "the scenario it would extend"), ("tianjin-2022-plan", "not saved from this page"),
                          ("../escape", "plain file name"), ("/tmp/escape", "plain file name")):
        with pytest.raises(InputError, match=problem):
            save(explorer, PLAN, "2023", {"new_incubators_path": "30"}, name)
    with pytest.raises(InputError, match="needs correcting"):
        save(explorer, PLAN, "2023", {"new_incubators_path": "300"}, "fine-name")
    assert _files(project.scenarios) == before
    assert not (project.root.parent / "escape.yaml").exists() and not Path("/tmp/escape.yaml").exists()


def test_the_page_overwrites_only_what_it_saved(explorer, project):
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


def test_serve_listens_on_this_computer_only_by_default(project):
    from innosd.cli import build_parser
    from innosd.explorer import Server, create_app

    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.no_browser) == ("127.0.0.1", 8050, False)
    server = Server(create_app(project), args.host, 0)
    try:
        assert server._server.socket.getsockname()[0] == "127.0.0.1" and server.url.startswith("http://127.0.0.1:")
    finally:
        server.stop()


def test_a_busy_port_is_one_line(project, capsys):
    import socket

    from innosd.cli import main

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        assert main(["serve", "--no-browser", "--port", str(port), "--project", str(project.root)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("error: --port: cannot listen on 127.0.0.1:") and "--port" in err[-1].split("fix:")[1]


# ----------------------------------------------------------------------------------------------------
# The page in Chromium


@pytest.fixture(scope="module")
def server(project):
    from innosd.explorer import Server, create_app

    app = create_app(project)
    app.explorer.update(PLAN, "2023", {}, "zh")  # compile the model and run the plan once: the page opens at once
    srv = Server(app, "127.0.0.1", 0).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian's Chromium is not installed ({CHROMIUM} is missing): apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    offline(context, server)
    pg = context.new_page()
    pg.requests = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.goto(server.url)
    pg.wait_for_selector("#updated", timeout=120_000)
    yield pg
    context.close()


def offline(context, server) -> list[str]:
    """Block every request of ``context`` that does not go to ``server`` (the network is off); returns those blocked."""
    blocked = []
    local = server.url.rstrip("/")

    def route(r):
        if r.request.url.startswith((local + "/", "data:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    context.blocked = blocked
    return blocked


def p_met(pg, target: str) -> str:
    return pg.locator(f'tr[data-target="{target}"] .p-value').inner_text()


def set_value(pg, lever: str, value: str) -> None:
    """Type a value into a lever's box and wait for the page to show its results (or its message)."""
    before = pg.get_attribute("#status > span", "data-stamp")
    box = pg.locator(f'input[name="{lever}"]')
    box.fill(value)
    box.press("Enter")
    pg.wait_for_function("stamp => { const s = document.querySelector('#status > span');"
                         " return s && s.getAttribute('data-stamp') !== stamp; }", arg=before, timeout=30_000)


def drag(pg, lever: str, share: float) -> None:
    """Drag a lever's slider handle to ``share`` of its track and wait for the new results."""
    card = pg.locator(f'[id*="{lever}"][id*="card"]')
    track = card.locator(".dash-slider-track").bounding_box()
    thumb = card.locator('[role="slider"]').bounding_box()
    before = pg.get_attribute("#updated", "data-run")
    pg.mouse.move(thumb["x"] + thumb["width"] / 2, thumb["y"] + thumb["height"] / 2)
    pg.mouse.down()
    pg.mouse.move(track["x"] + track["width"] * share, track["y"] + track["height"] / 2, steps=4)
    pg.mouse.up()
    pg.wait_for_function("run => { const s = document.querySelector('#updated');"
                         " return s && s.getAttribute('data-run') !== run; }", arg=before, timeout=30_000)


def test_the_page_opens_on_the_2027_plan_with_results_and_fetches_nothing_from_outside(page, server, explorer):
    year = explorer.opened(PLAN)[3]  # the plan's decision year: its own, else the year after the vintage
    assert page.locator(".scenario-pick").inner_text().strip().startswith(PLAN)
    assert page.locator("h1").inner_text() == "科技创新目标情景分析"
    assert "数据截至 2022 年" in page.locator("#vintage").inner_text()
    rows = page.locator("#targets-table tbody tr")
    assert rows.count() == 4
    assert float(p_met(page, "turnover-2027")) > 0 and page.locator('tr[data-target="turnover-2027"] .chip').inner_text()
    assert page.locator('tr[data-target="new-incubators-2025-2027"] .p-value').inner_text() == "-"
    assert page.locator(".lever").count() == 7
    assert f"自 {year} 年起（决策年份）" in page.locator(".lever .note").first.inner_text()
    assert page.locator("#fans .main-svg").count() >= 1 and page.locator("#fans .scatterlayer .trace").count() >= 10
    assert page.locator("input#year").input_value() == str(year)
    local = server.url.rstrip("/")
    outside = [u for u in page.requests if not (u.startswith((local + "/", "data:")) or u == local)]
    assert page.requests and outside == [], outside
    assert any(u.endswith("/_innosd/fonts/cjk.otf") for u in page.requests) and page.errors == []
    assert page.context.blocked == []


def test_moving_a_lever_changes_p_met_and_a_bad_value_changes_nothing(page, project):
    before = p_met(page, "tech-smes-2027")
    drag(page, "certification_support", 0.6)  # 0-3: about 1.8
    after = p_met(page, "tech-smes-2027")
    assert float(after) > float(before) + 0.2
    assert "changed" in page.locator('[id*="certification_support"][id*="card"]').get_attribute("class")
    assert page.locator('tr[data-target="tech-smes-2027"] .p-change').inner_text().startswith("+")
    assert 1.6 <= float(page.locator('input[name="certification_support"]').input_value()) <= 2.0

    on_disk = _files(project.root / "scenarios"), _files(project.reports) if project.reports.exists() else {}
    set_value(page, "new_incubators_path", "5000")
    msg = page.locator('[id*="new_incubators_path"][id*="msg"]')
    assert msg.inner_text() == "超出范围：请输入 0 至 100 之间的数值"
    assert "bad" in page.locator('[id*="new_incubators_path"][id*="card"]').get_attribute("class")
    assert p_met(page, "tech-smes-2027") == after and "上次的有效设定" in page.locator("#status").inner_text()
    set_value(page, "new_incubators_path", "很多")
    assert msg.inner_text() == "请输入数字（如 25 或 0.045）"
    assert on_disk == (_files(project.root / "scenarios"), _files(project.reports) if project.reports.exists() else {})
    set_value(page, "new_incubators_path", "30")
    assert msg.inner_text() == "" and page.locator('tr[data-target="new-incubators-2025-2027"] td').nth(3).inner_text() == "90"


def test_save_as_scenario_writes_a_file_that_extends_the_plan_and_validates(page, project, explorer):
    from innosd.cli import main

    set_value(page, "conversion_quota_path", "2000")
    page.fill("#save-name", "../outside")
    page.click("#save")
    page.wait_for_selector("#save-msg .error")
    assert "不可用" in page.locator("#save-msg").inner_text()
    assert not (project.root / "outside.yaml").exists()

    page.fill("#save-name", "more-conversion")
    page.click("#save")
    page.wait_for_selector("#saved-path")
    path = project.scenarios / "more-conversion.yaml"
    try:
        assert "scenarios/more-conversion.yaml" in page.locator("#saved-path").inner_text()
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert raw["extends"] == f"{PLAN}.yaml"
        year = explorer.opened(PLAN)[3]
        assert raw["levers"] == {"conversion_quota_path": {"step": {"year": year, "to": 2000}}}
        assert main(["validate", str(path), "--project", str(project.root)]) == 0
        page.locator("#scenario").click()
        assert page.locator(".dash-dropdown-option, [role=option]").filter(has_text="more-conversion").count() == 1
    finally:
        path.unlink(missing_ok=True)


def test_two_tabs_keep_their_own_settings(browser, server):
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    offline(context, server)
    a, b = context.new_page(), context.new_page()
    for pg in (a, b):
        pg.goto(server.url)
        pg.wait_for_selector("#updated", timeout=120_000)
    start = p_met(a, "tech-smes-2027")
    set_value(a, "certification_support", "2")
    set_value(b, "rd_intensity_policy_increment", "1")
    b.reload()
    b.wait_for_selector("#updated")
    assert p_met(b, "tech-smes-2027") == start  # a reload shows the plan, not the other tab's change
    set_value(b, "rd_intensity_policy_increment", "1")
    assert a.locator('input[name="rd_intensity_policy_increment"]').input_value() == "0"
    assert b.locator('input[name="certification_support"]').input_value() == "1"
    assert float(p_met(a, "tech-smes-2027")) > float(p_met(b, "tech-smes-2027")) > float(start)
    context.close()


def test_english_on_a_click_keeps_the_settings_and_the_compare_view(page):
    set_value(page, "certification_support", "1.5")
    p = p_met(page, "tech-smes-2027")
    page.click("#lang-button")
    page.wait_for_function("() => document.querySelector('h1').innerText.startsWith('Innovation')")
    page.wait_for_function("() => (document.querySelector('#updated') || {}).innerText?.startsWith('updated')")
    assert page.locator('input[name="certification_support"]').input_value() == "1.5"
    assert p_met(page, "tech-smes-2027") == p
    assert "Data up to 2022" in page.locator("#vintage").inner_text()
    assert page.locator('tr[data-target="tech-smes-2027"] .chip').inner_text() in ("on track", "at risk", "off track")

    page.get_by_text("Compare", exact=True).click()
    page.wait_for_selector("#compare-result")
    table = page.locator("#compare-result")
    assert "tianjin-2027-programmes" in table.locator("thead").inner_text()
    assert table.locator('tr[data-target="turnover-2027"] .p-value').count() == 2


def test_choosing_a_scenario_shows_its_levers(page):
    before = page.get_attribute("#updated", "data-run")
    page.locator("#scenario").click()
    page.locator(".dash-dropdown-option, [role=option]").filter(has_text="tianjin-2027-programmes").first.click()
    page.wait_for_function("() => document.querySelector('input[name=\"new_incubators_path\"]').value === '19'")
    page.wait_for_function("run => (document.querySelector('#updated') || {}).dataset?.run !== run", arg=before)
    assert "自 2025 年起（情景设定：阶跃）" in page.locator('[id*="new_incubators_path"][id*="note"]').inner_text()
    assert "不确定性：加 [-100, 100]" in page.locator('[id*="commissioner_dispatch_path"][id*="note"]').inner_text()
    assert page.locator('tr[data-target="new-incubators-2025-2027"] .chip').inner_text() == "按假设达成"


@pytest.mark.slow
def test_the_report_button_writes_the_run_folder_and_the_pdf_of_the_settings(page, project, explorer):
    set_value(page, "certification_support", "1.3")
    page.fill("#save-name", "report-of-settings")
    with page.expect_download(timeout=300_000) as download:
        page.click("#report")
    folder = project.reports / "report-of-settings"
    pdf = folder / "report-of-settings.pdf"
    try:
        assert download.value.suggested_filename == pdf.name and pdf.read_bytes()[:5] == b"%PDF-"
        assert (folder / "targets.csv").is_file() and (folder / "summary.json").is_file()
        saved = yaml.safe_load((project.scenarios / "report-of-settings.yaml").read_text(encoding="utf-8"))
        year = explorer.opened(PLAN)[3]
        assert saved["levers"] == {"certification_support": {"step": {"year": year, "to": 1.3}}}
        assert "reports/report-of-settings/report-of-settings.pdf" in page.locator("#save-msg").inner_text()
    finally:
        (project.scenarios / "report-of-settings.yaml").unlink(missing_ok=True)


def test_screenshot(page, project, tmp_path):
    """A picture of the page as a planner sees it (docs/explorer.png with INNOSD_EXPLORER_SCREENSHOT)."""
    drag(page, "certification_support", 0.5)
    set_value(page, "new_incubators_path", "25")
    page.mouse.move(700, 5)  # no tooltip left over the levers
    page.wait_for_timeout(400)  # let the fan charts finish drawing
    shot = tmp_path / "explorer.png"
    page.screenshot(path=str(shot), full_page=True)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000
    width, height = np.frombuffer(data[16:24], dtype=">u4")
    assert width == 1440 and height >= 1000
    target = os.environ.get("INNOSD_EXPLORER_SCREENSHOT")
    if target:
        shutil.copyfile(shot, target)
