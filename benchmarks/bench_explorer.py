"""Benchmark: one lever change in the scenario explorer (``innosd serve``), 1,000 members, after warm-up.

Goal on the 2-core machine: <= 300 ms from the change to the redrawn page. Measured through the page's
own update path on the 2027 plan (samples: 1000), alternating values so every change runs the ensemble:

- ``callback``: the page's update request (the same ``/_dash-update-component`` POST the browser sends)
  through Dash's dispatch and the explorer's callback: settings -> ``innosd.api.run`` -> table, fan
  charts, JSON (Flask's test client, no network);
- ``browser``: in headless Chromium (Debian's ``/usr/bin/chromium``; skipped when absent): type a value
  and press Enter; timed in the page from that Enter to the last redraw of the target table and the fan
  charts (Plotly's ``plotly_afterplot``). ``driver`` adds Playwright's typing and polling around it.

PySD is timed in the same run (one member of the same scenario with ``engine="pysd"``); ``x_pysd`` is
how many times longer PySD would take for the 1,000 members than the page takes for the whole change.

    python benchmarks/bench_explorer.py            # ~40 s; last line is JSON
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCENARIO = "tianjin-2027-plan"
LEVER = "certification_support"
VALUES = (1.1, 1.3, 1.5, 1.7, 1.9, 1.2, 1.4, 1.6, 1.8, 2.0)
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


def payload(explorer, value: float, lang: str = "zh") -> dict:
    """The update request the page sends when ``LEVER`` is set to ``value`` (Dash's callback protocol)."""
    from innosd.explorer.settings import policy_levers

    levers = policy_levers(explorer.workspace.model())
    _, controls, _, year = explorer.opened(SCENARIO)
    values = {c.name: f"{c.value:g}" for c in controls} | {LEVER: f"{value:g}"}

    def each(role, prop):
        return [{"id": {"lever": n, "role": role}, "property": prop} for n in levers]

    outputs = [{"id": "table", "property": "children"}, {"id": "fans", "property": "figure"},
               {"id": "meta", "property": "children"}, each("msg", "children"), each("card", "className"),
               each("note", "children"), {"id": "year-msg", "property": "children"},
               {"id": "status", "property": "children"}, {"id": "costs", "property": "children"}]
    name = "..table.children...fans.figure...meta.children..." + "...".join(
        f'{{"lever":["ALL"],"role":"{r}"}}.{p}' for r, p in (("msg", "children"), ("card", "className"),
                                                             ("note", "children"))) \
        + "...year-msg.children...status.children...costs.children.."
    inputs = [[{**i, "value": values[i["id"]["lever"]]} for i in each("value", "value")],
              {"id": "year", "property": "value", "value": str(year)},
              {"id": "lang", "property": "data", "value": lang},
              {"id": "panel-scenario", "property": "data", "value": SCENARIO}]
    state = [[{**i, "value": None} for i in each("msg", "children")],
             [{**i, "value": "lever"} for i in each("card", "className")]]
    return {"output": name, "outputs": outputs, "inputs": inputs, "state": state,
            "changedPropIds": [f'{{"lever":"{LEVER}","role":"value"}}.value']}


def bench_callback(app) -> list[float]:
    client = app.server.test_client()
    client.get("/")  # the first request builds Dash's callback map
    times = []
    for i, value in enumerate((1.05,) + VALUES):
        body = payload(app.explorer, value)
        t0 = time.perf_counter()
        response = client.post("/_dash-update-component", json=body)
        seconds = time.perf_counter() - t0
        if response.status_code != 200 or b"targets-table" not in response.data:
            raise SystemExit(f"the update request failed: {response.status_code} {response.data[:300]!r}")
        if i:  # the first is the warm-up
            times.append(seconds)
    return times


def bench_browser(app) -> tuple[list[float], list[float]] | None:
    """(in-page times from the Enter to the last redraw, times as the driver sees them), in seconds."""
    if not Path(CHROMIUM).exists():
        return None
    from playwright.sync_api import sync_playwright

    from innosd.explorer import Server

    server = Server(app, "127.0.0.1", 0).start()
    times, driven = [], []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.goto(server.url)
            page.wait_for_selector("#updated")
            # In the page: the time of the Enter that commits the value, and of the last redraw after it
            page.evaluate("""() => { const gd = document.querySelector('#fans .js-plotly-plot');
                window.__drawn = 0;
                gd.on('plotly_afterplot', () => { window.__drawn += 1; window.__t1 = performance.now(); });
                new MutationObserver(() => { window.__t1 = performance.now(); }).observe(
                    document.querySelector('#table'), {childList: true, subtree: true, characterData: true});
                document.addEventListener('keydown', e => { if (e.key === 'Enter') window.__t0 = performance.now(); },
                                          true); }""")
            box = page.locator(f'input[name="{LEVER}"]')
            for i, value in enumerate((1.05,) + VALUES):
                before = page.get_attribute("#updated", "data-run")
                drawn = page.evaluate("window.__drawn")
                t0 = time.perf_counter()
                box.fill(f"{value:g}")
                box.press("Enter")
                page.wait_for_function(
                    "([run, drawn]) => { const s = document.querySelector('#updated');"
                    " return s && s.dataset.run !== run && window.__drawn > drawn; }",
                    arg=[before, drawn], polling="raf", timeout=30000)
                if i:
                    driven.append(time.perf_counter() - t0)
                    page.wait_for_timeout(150)  # nothing more is drawn after the run's redraw
                    times.append(page.evaluate("(window.__t1 - window.__t0) / 1000"))
            browser.close()
    finally:
        server.stop()
    return times, driven


def bench_pysd() -> float:
    from innosd.api import run

    t0 = time.perf_counter()
    run(REPO / "scenarios" / f"{SCENARIO}.yaml", samples=1, engine="pysd")
    return time.perf_counter() - t0


def main() -> None:
    sys.path.insert(0, str(REPO / "src"))
    from innosd import paths
    from innosd.explorer import create_app

    app = create_app(paths.Project.at(REPO))
    members = app.explorer.workspace.scenario(SCENARIO).samples
    callback = bench_callback(app)
    app.explorer._runs.clear()  # the browser's changes run the ensemble again too
    measured = bench_browser(app)
    browser, driven = measured if measured else (None, None)
    pysd = bench_pysd()
    cb = statistics.median(callback)
    end = statistics.median(browser) if browser else None
    worst = end if end is not None else cb
    print(f"explorer, {SCENARIO}, {members:,} members, {LEVER} changed {len(VALUES)} times after warm-up:")
    print(f"  update callback (Dash dispatch + api.run + table + charts): median {cb * 1000:.0f} ms, "
          f"max {max(callback) * 1000:.0f} ms")
    if browser:
        print(f"  in Chromium, from the Enter that commits the value to the last redraw (table and fan charts): "
              f"median {end * 1000:.0f} ms, max {max(browser) * 1000:.0f} ms; as the test driver sees it (typing "
              f"included): median {statistics.median(driven) * 1000:.0f} ms")
    else:
        print(f"  in Chromium: skipped ({CHROMIUM} not installed)")
    print(f"  PySD, one member of the same scenario: {pysd:.2f} s, so {members:,} members ~ {pysd * members:.0f} s "
          f"(x {pysd * members / worst:,.0f} the page's change); goal <= 300 ms: "
          f"{'met' if worst <= 0.3 else 'NOT met'}")
    print(json.dumps({
        "scenario": SCENARIO, "members": members, "changes": len(VALUES),
        "callback_ms_median": round(cb * 1000, 1), "callback_ms_max": round(max(callback) * 1000, 1),
        "browser_ms_median": round(end * 1000, 1) if end is not None else None,
        "browser_ms_max": round(max(browser) * 1000, 1) if browser else None,
        "driver_ms_median": round(statistics.median(driven) * 1000, 1) if driven else None,
        "pysd_seconds_one_member": round(pysd, 3), "x_pysd": round(pysd * members / worst),
        "goal_ms": 300, "met": worst <= 0.3,
    }))


if __name__ == "__main__":
    main()
