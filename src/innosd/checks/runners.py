"""Running the checks: extreme conditions, bounds, integration error and units, against a model file."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .. import paths
from ..errors import InputError
from .spec import DEFAULT_CHECKS, CheckResult, Finding, load_checks, validate_checks


def _prior_box(model) -> list[tuple[str, float, float, bool]]:
    from ..sensitivity import read_priors

    out = []
    for name, s in read_priors().items():
        if name in model.constants:
            lo, hi = float(s["low"]), float(s["high"])
            out.append((name, lo, hi, str(s.get("prior", "")).lower() == "loguniform" and lo > 0))
    return out


def _draws(model, samples: int, seed: int, corners: bool = False) -> dict[str, np.ndarray]:
    """Parameter arrays (k,): the defaults first, then ``samples`` prior draws (and corners)."""
    box = _prior_box(model)
    rng = np.random.default_rng(seed)
    cols = {}
    for name, lo, hi, log in box:
        u = rng.uniform(size=samples)
        v = np.exp(np.log(lo) + u * (np.log(hi) - np.log(lo))) if log else lo + u * (hi - lo)
        extra = []
        if corners:
            extra = [lo, hi]  # all-low and all-high corners
        cols[name] = np.concatenate([[model.constants[name]], v, extra])
    if corners and box:
        # alternating corners: even-indexed parameters low, odd high, and the reverse
        for k, (name, lo, hi, _) in enumerate(box):
            cols[name] = np.concatenate([cols[name], [lo if k % 2 == 0 else hi, hi if k % 2 == 0 else lo]])
    return cols


ALL_TIME = np.array([-1.0e9, 1.0e9])


def _lever_constant(value: float):
    """A lookup table holding ``value`` at every time."""
    return (ALL_TIME, np.full(2, float(value)))


def _split_set(model, settings: dict, shown: str, cid: str):
    params, lookups = {}, {}
    for name, value in (settings or {}).items():
        if name in model.lookups:
            lookups[name] = _lever_constant(value)
        elif name in model.constants or (name in model.variables and model.variables[name].kind in ("aux", "flow")):
            params[name] = float(value)   # a constant, or an auxiliary held at this value
        else:
            import difflib

            close = difflib.get_close_matches(name, list(model.constants) + list(model.lookups), n=3)
            raise InputError(shown, f"checks[{cid}].set.{name}", "not a constant or lever of the model",
                             ("did you mean " + " or ".join(close) + "?") if close
                             else "use a model constant or lever name")
    return params, lookups


def _window(time: np.ndarray, e: dict, start: float) -> np.ndarray:
    lo = float(e.get("from", start))
    hi = float(e.get("to", time[-1]))
    return (time >= lo - 1e-9) & (time <= hi + 1e-9)


def _bounds_findings(res, stocks, bounds: dict, label: str) -> list[Finding]:
    default = float(bounds.get("default", np.inf))
    bad = []
    worst = ("", 0.0)
    for s in stocks:
        x = np.asarray(res[s])
        cap = float(bounds.get(s, default))
        if not np.all(np.isfinite(x)):
            bad.append(f"{s} not finite")
        elif x.min() < -1e-9 * max(1.0, np.abs(x).max()):
            bad.append(f"{s} negative (min {x.min():.4g})")
        elif x.max() >= cap:
            bad.append(f"{s} reaches {x.max():.4g} >= bound {cap:.4g}")
        elif np.isfinite(cap) and x.max() / cap > worst[1]:
            worst = (s, x.max() / cap)
    msg = "; ".join(bad) if bad else (f"largest stock relative to its bound: {worst[0]} at {worst[1]:.2g} of it"
                                      if worst[0] else "all stocks finite and non-negative")
    return [Finding(f"{label}: stocks finite, >= 0 and below bounds", not bad, msg)]


def _expect(e: dict, res, base, time: np.ndarray, start: float) -> Finding:
    var = e["variable"]
    win = _window(time, e, start)
    x = np.asarray(res[var])[:, win]
    t = time[win]
    span = f"{t[0]:g}-{t[-1]:g}" if t.size else "no years"
    if "trend" in e:
        kind = e["trend"]
        d = np.diff(x, axis=1)
        scale = 1e-12 * np.maximum(1.0, np.abs(x[:, :-1]))
        ok_m = {"decreasing": d < -scale, "increasing": d > scale,
                "non_increasing": d <= scale, "non_decreasing": d >= -scale}[kind]
        item = f"{var} {kind.replace('_', '-')} {span}"
        bad = ~ok_m.all(axis=1)
        if t.size < 2:
            return Finding(item, False, "fewer than two saved years in the window")
        msg = (f"holds in all {x.shape[0]} runs" if not bad.any() else
               f"fails in {bad.sum()} of {x.shape[0]} runs (first: run {np.argmax(bad)}, "
               f"values {np.round(x[np.argmax(bad)], 4).tolist()})")
        return Finding(item, not bad.any(), msg)
    if "vs_baseline" in e:
        kind = e["vs_baseline"]
        b = np.asarray(base[var])[:, win]
        tol = 1e-9 * np.maximum(1.0, np.abs(b))
        ok_m = {"lower": x < b - tol, "higher": x > b + tol, "not_higher": x <= b + tol,
                "not_lower": x >= b - tol}[kind]
        item = f"{var} {kind.replace('_', ' ')} than baseline {span}"
        bad = ~ok_m.all(axis=1)
        i = int(np.argmax(bad))
        rel = (x - b) / np.where(np.abs(b) > 0, np.abs(b), 1.0)
        msg = (f"holds in all {x.shape[0]} runs (change at {t[-1]:g}: {np.median(rel[:, -1]):+.1%} median)"
               if not bad.any() else
               f"fails in {bad.sum()} of {x.shape[0]} runs (first: run {i}, relative change "
               f"{np.round(rel[i], 4).tolist()})")
        return Finding(item, not bad.any(), msg)
    kind = e["is"]
    tol = float(e.get("tolerance", 1e-9))
    ok_m = {"zero": np.abs(x) <= tol, "positive": x > 0, "non_negative": x >= -tol}[kind]
    bad = ~ok_m.all(axis=1)
    item = f"{var} {kind.replace('_', '-')} {span}"
    msg = (f"holds in all {x.shape[0]} runs" if not bad.any()
           else f"fails in {bad.sum()} runs (range {x.min():.4g}..{x.max():.4g})")
    return Finding(item, not bad.any(), msg)


# --------------------------------------------------------------------------- tests
def _extreme(c: dict, model, spec: dict, shown: str) -> CheckResult:
    r = CheckResult(c["id"], c["test"], str(c.get("description", "")).strip())
    final = float(c.get("final_time", spec.get("final_time", model.control["final_time"])))
    draws = _draws(model, int(c.get("samples", spec.get("samples", 0))), int(c.get("seed", spec.get("seed", 1))))
    k = len(next(iter(draws.values()))) if draws else 1
    params, lookups = _split_set(model, c.get("set"), shown, c["id"])
    variables = list(dict.fromkeys([e["variable"] for e in c.get("expect") or []] + list(model.stocks)))
    for v in variables:
        model.resolve(v, model.output_names("all"), "output")
    base = model.run(n=k, params=dict(draws), final_time=final, outputs=variables)
    run = model.run(n=k, params={**draws, **params}, lookups=lookups, final_time=final, outputs=variables)
    time = np.asarray(run.time)
    start = float(model.control["initial_time"])
    for e in c.get("expect") or []:
        r.findings.append(_expect(e, run, base, time, start + (1 if "vs_baseline" in e else 0)))
    r.findings += _bounds_findings(run, model.stocks, spec.get("bounds") or {}, "under the condition")
    r.findings += _bounds_findings(base, model.stocks, spec.get("bounds") or {}, "baseline")
    r.summary = f"{k} parameter set(s) (defaults{' + prior draws' if k > 1 else ''}), to {final:g}"
    return r


def _bounds(c: dict, model, spec: dict, shown: str) -> CheckResult:
    r = CheckResult(c["id"], c["test"], str(c.get("description", "")).strip())
    final = float(c.get("final_time", spec.get("final_time", model.control["final_time"])))
    seed = int(c.get("seed", spec.get("seed", 1)))
    draws = _draws(model, int(c.get("samples", 200)), seed, corners=True)
    k = len(next(iter(draws.values())))
    rng = np.random.default_rng(seed + 1)
    lookups = {}
    levers = [name for name in model.lookups if name in getattr(model, "lookup_limits", {})]
    for name in levers:
        lo, hi = model.lookup_limits[name]
        pick = rng.choice([lo, hi], size=k)
        lookups[name] = (ALL_TIME, np.repeat(pick[:, None], 2, axis=1))
    res = model.run(n=k, params=draws, lookups=lookups, final_time=final, outputs=list(model.stocks))
    r.findings += _bounds_findings(res, model.stocks, spec.get("bounds") or {}, f"{k} extreme runs")
    r.summary = (f"{k} runs: defaults, {int(c.get('samples', 200))} prior draws and 4 corners of the prior box, "
                 f"{len(levers)} levers each at its declared low or high limit, to {final:g}")
    return r


def _integration(c: dict, model, spec: dict, shown: str) -> CheckResult:
    r = CheckResult(c["id"], c["test"], str(c.get("description", "")).strip())
    final = float(c.get("final_time", spec.get("final_time", model.control["final_time"])))
    factor = float(c.get("time_step_factor", 0.5))
    tol = float(c.get("tolerance", 0.02))
    floor = float(c.get("abs_floor", 1e-6))
    draws = _draws(model, int(c.get("samples", 0)), int(c.get("seed", spec.get("seed", 1))))
    k = len(next(iter(draws.values()))) if draws else 1
    dt = float(model.control["time_step"])
    a = model.run(n=k, params=draws, final_time=final, outputs=list(model.stocks))
    b = model.run(n=k, params=draws, final_time=final, time_step=dt * factor, saveper=model.control["saveper"],
                  outputs=list(model.stocks))
    worst = (0.0, "", 0.0, 0)
    per_stock = {}
    for s in model.stocks:
        x, y = np.asarray(a[s]), np.asarray(b[s])
        rel = np.abs(x - y) / np.maximum(np.abs(y), floor)
        rel = np.where(np.isfinite(rel), rel, np.inf)
        per_stock[s] = float(rel.max())
        if rel.max() >= worst[0]:
            i, j = np.unravel_index(int(np.argmax(rel)), rel.shape)
            worst = (float(rel.max()), s, float(np.asarray(a.time)[j]), int(i))
    r.value = worst[0]
    ok = worst[0] < tol
    top = sorted(per_stock.items(), key=lambda kv: -kv[1])[:3]
    r.findings.append(Finding(
        f"every stock within {tol:.1%} when TIME STEP {dt:g} -> {dt * factor:g}", ok,
        f"max relative difference {worst[0]:.3%} ({worst[1]} in {worst[2]:g}, run {worst[3]}); "
        "largest: " + ", ".join(f"{s} {v:.2%}" for s, v in top)))
    r.summary = (f"{k} parameter set(s), TIME STEP {dt:g} vs {dt * factor:g}, to {final:g}: "
                 f"max relative difference {worst[0]:.2%} (tolerance {tol:.1%})")
    return r


def _units(c: dict, model, spec: dict, shown: str) -> CheckResult:
    from ..units import check_units

    r = CheckResult(c["id"], c["test"], str(c.get("description", "")).strip())
    rep = check_units(model.path)
    by_var: dict[str, list] = {}
    for m in rep.mismatches:
        by_var.setdefault(m.key, []).append(m)
    for key, ms in by_var.items():
        r.findings.append(Finding(key, False, "; ".join(f"{m.where}: {m.left} vs {m.right}" for m in ms)))
    for x in spec.get("expected_failures") or []:
        if x["check"] == c["id"] and x.get("item") and x["item"] not in by_var:
            r.findings.append(Finding(x["item"], True, "units now consistent"))
    if not by_var:
        r.findings.append(Finding("all equations", True, f"{rep.checked} equations consistent"))
    r.summary = (f"{rep.checked} equations checked, time unit {rep.time_units}, {len(rep.mismatches)} mismatches"
                 + (f", {len(rep.skipped)} not checked" if rep.skipped else ""))
    r.value = float(len(rep.mismatches))
    return r


RUNNERS = {"extreme-conditions": _extreme, "bounds": _bounds, "integration": _integration, "units": _units}


def run_checks(model_path: str | Path | None = None, checks: str | Path | dict | None = None,
               only: list[str] | None = None) -> list[CheckResult]:
    """Run the checks of ``checks`` (a path or an already-loaded mapping) on the model at ``model_path``."""
    from ..model import load_model

    if isinstance(checks, dict):
        spec, shown = validate_checks(checks), "checks"
    else:
        shown = str(checks or DEFAULT_CHECKS)
        spec = load_checks(checks)
    model = load_model(model_path or (paths.ROOT / spec["model"] if spec.get("model") else None))
    expected = spec.get("expected_failures") or []
    results = []
    for c in spec["checks"]:
        if only and c["id"] not in only:
            continue
        r = RUNNERS[c["test"]](c, model, spec, shown)
        for x in expected:
            if x["check"] != c["id"]:
                continue
            reason = " ".join(str(x["reason"]).split())
            if not x.get("item"):
                r.expected = reason
                for f in r.findings:
                    if not f.ok:
                        f.expected_failure = reason
            else:
                for f in r.findings:
                    if f.item == x["item"]:
                        f.expected_failure = reason
        results.append(r)
    return results
