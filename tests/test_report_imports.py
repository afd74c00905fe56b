"""The report reads result files and never runs the model: its import graph reaches no engine or sampler.

(Moved from test_report.py, which had reached the 400-line limit.)
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "innosd"


def _imports(path: Path, package: str) -> set[str]:
    """Innosd modules a file imports (at any level, including inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("innosd")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.startswith("innosd"):
                out.add(mod)
                out |= {f"{mod}.{a.name}" for a in node.names}
    return out


def _module_file(name: str) -> Path | None:
    if name == "innosd":
        return SRC / "__init__.py"
    rel = Path(*name.split(".")[1:])
    for p in (SRC / rel.with_suffix(".py"), SRC / rel / "__init__.py"):
        if p.is_file():
            return p
    return None


def test_the_report_imports_nothing_that_runs_the_model():
    """Import graph from innosd.report: no engine, ensemble, searches, samplers or calibration runs."""
    forbidden = ("innosd.engine", "innosd.ensemble", "innosd.whatittakes", "innosd.sensitivity", "innosd.api",
                 "innosd.targets", "innosd.compare", "innosd.model", "innosd.calibration.calibrate",
                 "innosd.calibration.mcmc", "innosd.calibration.forecast", "innosd.calibration.fit",
                 "innosd.calibration.smc", "innosd.calibration.backtest",
                 "innosd.calibration.likelihood", "innosd.outputs", "innosd.runtables", "innosd.cli")
    seen, todo = set(), ["innosd.report"] + [f"innosd.report.{p.stem}" for p in (SRC / "report").glob("*.py")]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = _module_file(name)
        if path is None:
            continue
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        todo += sorted(_imports(path, package))
        parts = name.split(".")
        todo += [".".join(parts[:k]) for k in range(2, len(parts))]  # importing a.b.c runs a.b's __init__
    bad = sorted(m for m in seen if _module_file(m) and any(m == f or m.startswith(f + ".") for f in forbidden))
    assert not bad, bad
    assert "innosd.report.typeset" in seen and "innosd.runfolder" in seen  # the walk did follow the imports
