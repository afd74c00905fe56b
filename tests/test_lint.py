"""Lint: the whole tree is ruff clean under the project's configuration, and no module is over 400 lines.

The configuration (pyproject.toml [tool.ruff]) selects pycodestyle, pyflakes, isort, bugbear, complexity
and numpy docstrings; each ignore there carries its reason.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

#: Every Python folder of the repository.
CLEAN = ["src", "tests", "benchmarks", "docs"]

LONG_MODULE = 400  # lines: the house rule for a module's size


def _ruff() -> list[str]:
    exe = shutil.which("ruff")
    return [exe] if exe else [sys.executable, "-m", "ruff"]  # ruff is in the test extra


def test_clean_modules_pass_ruff():
    proc = subprocess.run(_ruff() + ["check", "--no-cache", "--output-format", "concise", *CLEAN], cwd=REPO,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]


@pytest.mark.parametrize("path", CLEAN)
def test_clean_modules_are_under_400_lines(path):
    p = REPO / path
    for f in [p] if p.is_file() else sorted(p.rglob("*.py")):
        n = len(f.read_text(encoding="utf-8").splitlines())
        assert n <= LONG_MODULE, f"{f.relative_to(REPO)} has {n} lines"


def _imports(source: str, module: str) -> set[str]:
    """The absolute names of the modules ``source`` imports, relative imports resolved from ``module``.

    ``module`` is the dotted name of the file (``innosd.explorer.publish``; a package's ``__init__`` is
    ``innosd.explorer.__init__``).
    """
    package = module.rsplit(".", 1)[0].split(".")
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level:
            base = package[:len(package) - node.level + 1] + ([node.module] if node.module else [])
            if node.module:                     # `from . import x` imports x, not the package's own __init__
                names.add(".".join(base))
            names |= {".".join(base + [a.name]) for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add(node.module)
    return names


def test_the_library_never_imports_the_command_line():
    """Data flows one way: the CLI calls the library, never the reverse (the explorer included)."""
    offenders = []
    for f in sorted((REPO / "src" / "innosd").rglob("*.py")):
        rel = f.relative_to(REPO / "src" / "innosd")
        if rel.parts[0] == "cli" or rel.name == "__main__.py":
            continue
        module = ".".join(f.relative_to(REPO / "src").with_suffix("").parts)
        bad = sorted(n for n in _imports(f.read_text(encoding="utf-8"), module)
                     if n == "innosd.cli" or n.startswith("innosd.cli."))
        offenders += [f"{rel}: {n}" for n in bad]
    assert not offenders, offenders


@pytest.mark.parametrize("source,module,found", [
    ("from ..cli.report import publish", "innosd.explorer.publish", "innosd.cli.report"),
    ("from . import cli", "innosd.outputs", "innosd.cli"),
    ("from .cli import main", "innosd.__init__", "innosd.cli"),
    ("import innosd.cli.loops", "innosd.outputs", "innosd.cli.loops"),
    ("def f():\n    from ..cli import common", "innosd.loops.write", "innosd.cli.common"),
])
def test_the_import_check_resolves_relative_imports(source, module, found):
    assert found in _imports(source, module)


def _module_graph() -> dict[str, set[str]]:
    """Each innosd module and the innosd modules it imports anywhere in its file (function-level ones too)."""
    files = {}
    for f in (REPO / "src" / "innosd").rglob("*.py"):
        name = ".".join(f.relative_to(REPO / "src").with_suffix("").parts)
        files[name.removesuffix(".__init__")] = (f, name)

    def module(n: str) -> str | None:
        parts = n.split(".")
        while parts and ".".join(parts) not in files:
            parts.pop()
        return ".".join(parts) or None

    return {m: {r for n in _imports(f.read_text(encoding="utf-8"), name) if (r := module(n)) and r != m}
            for m, (f, name) in files.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` (as a path that returns to its start), or None."""
    state: dict[str, int] = {}       # 1: on the current path, 2: done
    path: list[str] = []

    def visit(v: str) -> list[str] | None:
        state[v] = 1
        path.append(v)
        for w in sorted(graph.get(v, ())):
            if state.get(w) == 1:
                return path[path.index(w):] + [w]
            if w not in state and (found := visit(w)):
                return found
        state[v] = 2
        path.pop()
        return None

    for v in sorted(graph):
        if v not in state and (found := visit(v)):
            return found
    return None


def test_no_import_cycles_anywhere_in_the_package():
    """Not even through imports inside functions: each module's dependencies come before it."""
    cycle = _cycle(_module_graph())
    assert cycle is None, " -> ".join(cycle)


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None
