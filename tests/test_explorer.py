"""The scenario explorer (``innosd serve``) in a real browser (tests/test_explorer_settings.py: the rest).

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

from explorer_helpers import PLAN, files

CHROMIUM = "/usr/bin/chromium"
N_LEVERS = 18   # a control per lever of the model but the GDP path (test_explorer_settings checks which)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="module")
def server(explorer_project):
    from innosd.explorer import Server, create_app

    srv = Server(create_app(explorer_project), "127.0.0.1", 0).start()  # warmed: the plan has run once
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
    description = page.locator(".description").inner_text()
    assert "Work Plan" not in description and "2027" in description          # the scenario's description_zh
    assert "数据截至 2022 年" in page.locator("#vintage").inner_text()
    rows = page.locator("#targets-table tbody tr")
    assert rows.count() == 4
    assert float(p_met(page, "turnover-2027")) > 0
    assert page.locator('tr[data-target="turnover-2027"] .chip').inner_text() in ("有望达成", "存在风险", "难以达成")
    assert page.locator('tr[data-target="new-incubators-2025-2027"] .p-value').inner_text() == "-"
    assert page.locator(".lever").count() == N_LEVERS
    assert f"自 {year} 年起（决策年份）" in page.locator(".lever .note").first.inner_text()
    assert page.locator("#fans .main-svg").count() >= 1 and page.locator("#fans .scatterlayer .trace").count() >= 10
    assert page.locator("input#year").input_value() == str(year)
    local = server.url.rstrip("/")
    outside = [u for u in page.requests if not (u.startswith((local + "/", "data:")) or u == local)]
    assert page.requests and outside == [], outside
    assert any(u.endswith("/_innosd/fonts/cjk.otf") for u in page.requests) and page.errors == []
    assert page.context.blocked == []


def test_moving_a_lever_changes_p_met_and_a_bad_value_changes_nothing(page, explorer_project):
    before = p_met(page, "tech-smes-2027")
    drag(page, "certification_support", 0.6)  # 0-3: about 1.8
    after = p_met(page, "tech-smes-2027")
    assert float(after) > float(before) + 0.2
    assert "changed" in page.locator('[id*="certification_support"][id*="card"]').get_attribute("class")
    assert page.locator('tr[data-target="tech-smes-2027"] .p-change').inner_text().startswith("+")
    spending = page.locator("#costs-box").inner_text()
    assert "认定支持力度" in spending and "亿元" in spending
    assert 1.6 <= float(page.locator('input[name="certification_support"]').input_value()) <= 2.0

    def on_disk():
        reports = explorer_project.reports
        return files(explorer_project.scenarios), files(reports) if reports.exists() else {}

    before_disk = on_disk()
    set_value(page, "new_incubators_path", "5000")
    msg = page.locator('[id*="new_incubators_path"][id*="msg"]')
    assert msg.inner_text() == "超出范围：请输入 0 至 100 之间的数值"
    assert "bad" in page.locator('[id*="new_incubators_path"][id*="card"]').get_attribute("class")
    assert p_met(page, "tech-smes-2027") == after and "上次的有效设定" in page.locator("#status").inner_text()
    set_value(page, "new_incubators_path", "很多")
    assert msg.inner_text() == "请输入数字（如 25 或 0.045）"
    assert on_disk() == before_disk
    year = page.locator("input#year")
    shown = year.input_value()
    year_now = int(shown)
    before = page.get_attribute("#status > span", "data-stamp")
    year.fill("2050")
    year.press("Enter")
    page.wait_for_function("s => document.querySelector('#status > span').getAttribute('data-stamp') !== s", arg=before)
    assert page.locator("#year-msg").inner_text() == "请输入 2017 至 2030 之间的年份"
    assert on_disk() == before_disk
    before = page.get_attribute("#status > span", "data-stamp")
    year.fill(shown)
    year.press("Enter")
    page.wait_for_function("s => document.querySelector('#status > span').getAttribute('data-stamp') !== s", arg=before)
    set_value(page, "new_incubators_path", "30")  # the last bad value: now every value is valid again
    assert msg.inner_text() == "" and page.locator("#year-msg").inner_text() == ""
    # 30 a year from the decision year; a change in 2025 itself reaches the stocks for seven of its eight steps
    expect = 3 * 30 if year_now < 2025 else 0.125 * 12 + 0.875 * 30 + 2 * 30
    shown_value = float(page.locator('tr[data-target="new-incubators-2025-2027"] td').nth(3).inner_text())
    assert shown_value == pytest.approx(expect, rel=2e-3)  # the table shows about three significant digits


def test_save_as_scenario_writes_a_file_that_extends_the_plan_and_validates(page, explorer_project, explorer):
    from innosd.cli import main

    set_value(page, "conversion_quota_path", "2000")
    page.fill("#save-name", "../outside")
    page.click("#save")
    page.wait_for_selector("#save-msg .error")
    assert "不可用" in page.locator("#save-msg").inner_text()
    assert not (explorer_project.root / "outside.yaml").exists()

    page.fill("#save-name", "more-conversion")
    page.click("#save")
    page.wait_for_selector("#saved-path")
    path = explorer_project.scenarios / "more-conversion.yaml"
    try:
        assert "scenarios/more-conversion.yaml" in page.locator("#saved-path").inner_text()
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert raw["extends"] == f"{PLAN}.yaml"
        year = explorer.opened(PLAN)[3]
        assert raw["levers"] == {"conversion_quota_path": {"step": {"year": year, "to": 2000}}}
        assert main(["validate", str(path), "--project", str(explorer_project.root)]) == 0
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

    before = page.get_attribute("#updated", "data-run")
    page.click("#reset")  # back to the scenario's own settings
    page.wait_for_function("run => (document.querySelector('#updated') || {}).dataset?.run !== run", arg=before)
    assert page.locator('input[name="certification_support"]').input_value() == "1"
    assert page.locator(".lever.changed").count() == 0 and page.locator(".p-change").count() == 0

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


def test_a_scenario_file_with_a_problem_is_one_line_and_the_page_stays(page, explorer_project):
    bad = explorer_project.scenarios / "broken-by-hand.yaml"
    bad.write_text("name: broken-by-hand\nextends: tianjin-2027-plan.yaml\nlevers:\n  new_incubators_path: lots\n",
                   encoding="utf-8")
    try:
        page.reload()
        page.wait_for_selector("#updated", timeout=120_000)
        shown = p_met(page, "turnover-2027")
        page.locator("#scenario").click()
        page.locator(".dash-dropdown-option, [role=option]").filter(has_text="broken-by-hand").first.click()
        page.wait_for_selector("#open-msg .error")
        assert "broken-by-hand.yaml: levers.new_incubators_path" in page.locator("#open-msg").inner_text()
        assert p_met(page, "turnover-2027") == shown and page.locator(".lever").count() == N_LEVERS
        assert page.locator(".scenario-pick").inner_text().strip().startswith(PLAN)
    finally:
        bad.unlink()


@pytest.mark.slow
def test_the_report_button_writes_the_run_folder_and_the_pdf_of_the_settings(page, explorer_project, explorer):
    set_value(page, "certification_support", "1.3")
    page.fill("#save-name", "report-of-settings")
    with page.expect_download(timeout=300_000) as download:
        page.click("#report")
    folder = explorer_project.reports / "report-of-settings"
    pdf = folder / "report-of-settings.pdf"
    try:
        assert download.value.suggested_filename == pdf.name and pdf.read_bytes()[:5] == b"%PDF-"
        assert (folder / "targets.csv").is_file() and (folder / "summary.json").is_file()
        saved = yaml.safe_load((explorer_project.scenarios / "report-of-settings.yaml").read_text(encoding="utf-8"))
        year = explorer.opened(PLAN)[3]
        assert saved["levers"] == {"certification_support": {"step": {"year": year, "to": 1.3}}}
        assert "reports/report-of-settings/report-of-settings.pdf" in page.locator("#save-msg").inner_text()
    finally:
        (explorer_project.scenarios / "report-of-settings.yaml").unlink(missing_ok=True)


def test_screenshot(page, explorer_project, tmp_path):
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
