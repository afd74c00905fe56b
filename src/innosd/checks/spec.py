"""The checks file (``model/checks.yaml``): its vocabulary, validation, and the results' shape and text."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .. import paths
from ..errors import InputError

TESTS = ("extreme-conditions", "bounds", "integration", "units")
TRENDS = ("decreasing", "increasing", "non_increasing", "non_decreasing")
VS_BASELINE = ("lower", "higher", "not_higher", "not_lower")
IS = ("zero", "positive", "non_negative")
DEFAULT_CHECKS = paths.ROOT / "model" / "checks.yaml"


@dataclass
class Finding:
    """One tested statement: ``item`` (e.g. 'knowledge_stock decreasing'), passed or not, and why."""

    item: str
    ok: bool
    message: str = ""
    expected_failure: str | None = None   # the reason, when listed in expected_failures

    @property
    def status(self) -> str:
        """pass, fail, or xfail/xpass for an item listed in expected_failures."""
        if self.expected_failure is not None:
            return "xpass" if self.ok else "xfail"
        return "pass" if self.ok else "fail"


@dataclass
class CheckResult:
    """The outcome of one check: its findings, a one-line summary and (integration) the largest error."""

    id: str
    test: str
    description: str
    findings: list = field(default_factory=list)
    summary: str = ""
    value: float | None = None   # e.g. the max integration error
    expected: str | None = None  # reason, when the whole check is listed in expected_failures

    @property
    def status(self) -> str:
        """The worst finding's status (xpass when a check listed as failing passes)."""
        states = {f.status for f in self.findings}
        if self.expected is not None and "fail" not in states and "xfail" not in states:
            return "xpass"
        if "fail" in states:
            return "fail"
        if "xfail" in states:
            return "xfail"
        if "xpass" in states:
            return "xpass"
        return "pass"

    @property
    def ok(self) -> bool:
        """True unless a finding failed that is not an expected failure."""
        return self.status != "fail"


# --------------------------------------------------------------------------- loading
def load_checks(path: str | Path | None = None) -> dict:
    """Read and validate checks.yaml; returns the mapping (checks, bounds, expected_failures, ...)."""
    path = Path(path or DEFAULT_CHECKS)
    shown = str(path)
    if not path.is_file():
        raise InputError(shown, "", "checks file not found", "pass --checks PATH or restore model/checks.yaml")
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise InputError(shown, "", f"not valid YAML ({exc})".splitlines()[0], "fix the YAML syntax") from None
    return validate_checks(spec, shown)


def validate_checks(spec: dict, shown: str = "checks.yaml") -> dict:
    """Check the structure of a checks file's content; returns it unchanged.

    Raises
    ------
    innosd.errors.InputError
        Naming the file ``shown`` and the field at fault.
    """
    if not isinstance(spec, dict) or not isinstance(spec.get("checks"), list):
        raise InputError(shown, "checks", "missing list of checks", "write checks: [- id: ..., test: ...]")
    ids = set()
    for i, c in enumerate(spec["checks"]):
        fld = f"checks[{i}]"
        if not isinstance(c, dict) or "id" not in c or "test" not in c:
            raise InputError(shown, fld, "each check needs id and test",
                             "write - {id: no-rd, test: extreme-conditions, ...}")
        if c["id"] in ids:
            raise InputError(shown, f"{fld}.id", f"duplicate id {c['id']!r}", "give each check its own id")
        ids.add(c["id"])
        if c["test"] not in TESTS:
            raise InputError(shown, f"{fld}.test", f"unknown test {c['test']!r}", "use one of " + ", ".join(TESTS))
        for j, e in enumerate(c.get("expect") or []):
            _validate_expectation(e, f"{fld}.expect[{j}]", shown)
    for i, x in enumerate(spec.get("expected_failures") or []):
        if not isinstance(x, dict) or "check" not in x or not x.get("reason"):
            raise InputError(shown, f"expected_failures[{i}]", "needs check and reason",
                             "write - {check: units, item: variable_name, reason: ...}")
        if x["check"] not in ids:
            raise InputError(shown, f"expected_failures[{i}].check", f"no check with id {x['check']!r}",
                             "use the id of a check above")
    return spec


def _validate_expectation(e, fld: str, shown: str) -> None:
    """One ``expect:`` item: a variable and exactly one of trend, vs_baseline, is, with a known value."""
    if not isinstance(e, dict) or "variable" not in e:
        raise InputError(shown, fld, "needs a variable", "write {variable: x, trend: decreasing}")
    kinds = [k for k in ("trend", "vs_baseline", "is") if k in e]
    if len(kinds) != 1:
        raise InputError(shown, fld, "needs exactly one of trend, vs_baseline, is",
                         "e.g. {variable: incubators, trend: decreasing}")
    allowed = {"trend": TRENDS, "vs_baseline": VS_BASELINE, "is": IS}[kinds[0]]
    if e[kinds[0]] not in allowed:
        raise InputError(shown, f"{fld}.{kinds[0]}", f"unknown value {e[kinds[0]]!r}",
                         "use one of " + ", ".join(allowed))


def format_results(results: list[CheckResult], verbose: bool = False) -> str:
    """The results as text: one line per check, failing findings (all with ``verbose``), then the counts."""
    lines = []
    for r in results:
        lines.append(f"{r.status.upper():5} {r.id} [{r.test}] {r.summary}")
        reasons = []
        for f in r.findings:
            if verbose or f.status != "pass":
                lines.append(f"      {f.status:5} {f.item}: {f.message}")
            if f.expected_failure and f.expected_failure not in reasons:
                reasons.append(f.expected_failure)
        if r.expected and r.expected not in reasons:
            reasons.append(r.expected)
        for reason in reasons:
            lines.append(f"      expected failure: {reason}")
        if r.status == "xpass":
            lines.append("      now passing: remove its entry from expected_failures")
    n = {s: sum(r.status == s for r in results) for s in ("pass", "fail", "xfail", "xpass")}
    lines.append(f"checks: {n['pass']} pass, {n['fail']} fail"
                 + (f", {n['xfail']} expected failures" if n["xfail"] else "")
                 + (f", {n['xpass']} expected failures now passing" if n["xpass"] else ""))
    return "\n".join(lines)
