"""Reading scenario files: the ``extends`` chain, and the project a scenario runs in.

Validation of the merged keys is :mod:`innosd.scenario`'s; this module only finds and reads files.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from . import paths, textio
from .errors import InputError

_shown = textio.shown


def find_project(path: str | Path, explicit: str | Path | None = None) -> paths.Project:
    """The project a scenario file runs in, and where its outputs go.

    Searched in this order: ``explicit`` (``--project``); the scenario file's folder and its
    parents; the project of the scenario it ``extends``; the project innosd is installed from.
    Outputs go to the project's ``reports/`` when the scenario is inside the project (or the project
    was given explicitly), else to ``reports/`` beside the scenario file.

    Parameters
    ----------
    path : str or pathlib.Path
        The scenario file.
    explicit : str or pathlib.Path, optional
        A project folder named by the user; refused when it holds no ``model/*.mdl``.
    """
    if explicit is not None:
        root = Path(explicit)
        if not paths.is_project(root):
            raise InputError(_shown(root), "project", "not a project folder (no model/*.mdl in it)",
                             "give the folder holding model/, scenarios/ and calibration/, e.g. the repository")
        return paths.Project.at(root)
    path = Path(path)
    own = paths.enclosing(path.parent)
    if own is not None:
        return own
    root = _project_of_base(path, seen=()) or paths.installed()
    return paths.Project(root.root, path.resolve().parent / "reports")


def _project_of_base(path: Path, seen: tuple) -> paths.Project | None:
    """The project of the scenario ``path`` extends (following a chain of ``extends``), if any."""
    raw, _ = _parse(path)
    if not isinstance(raw, dict) or "extends" not in raw or path.resolve() in seen:
        return None
    base = _resolve_extends(path, raw["extends"], paths.installed())
    return paths.enclosing(base.parent) or _project_of_base(base, seen + (path.resolve(),))


def _parse(path: Path):
    shown = _shown(path)
    if not path.is_file() and not path.is_dir():
        raise InputError(shown, "", "file not found",
                         f"check the path; bundled scenarios are in {_shown(paths.installed().scenarios)}/")
    return textio.read_yaml(path, "scenario", "scenario file")


def read_raw(path: Path, project: paths.Project) -> tuple[dict, textio.Text]:
    """The scenario's keys with its ``extends`` chain merged in, and the file's own text.

    Raises
    ------
    innosd.errors.InputError
        For an unreadable file, a file that is not a mapping, a missing base or a circle of ``extends``.
    """
    return _read_yaml(path, (), project)


def _read_yaml(path: Path, seen: tuple, project: paths.Project) -> tuple[dict, textio.Text]:
    shown = _shown(path)
    raw, text = _parse(path)
    if not isinstance(raw, dict):
        raise InputError(shown, "(top level)", "a scenario must be a mapping of keys to values",
                         "start the file with 'name: <file name>' and the other keys of scenarios/README.md")
    if "extends" in raw:
        base_path = _resolve_extends(path, raw["extends"], project)
        if base_path.resolve() in seen or base_path.resolve() == path.resolve():
            raise InputError(shown, "extends", "scenarios extend each other in a circle",
                             "make the base scenario not extend this one")
        base, _ = _read_yaml(base_path, seen + (path.resolve(),), project)
        raw = _merge(base, raw)
    return raw, text


def _resolve_extends(path: Path, name, project: paths.Project) -> Path:
    """``extends:`` as a path relative to the scenario file, then as a bare name in the project's scenarios/."""
    shown = _shown(path)
    if not isinstance(name, str) or not name.strip():
        raise InputError(shown, "extends", f"must be a scenario file name, got {name!r}",
                         "write e.g. extends: tianjin-2027-plan.yaml")
    candidates = [path.parent / name]
    if Path(name).name == name:  # a bare name: also look in the project's scenarios/
        candidates.append(project.scenarios / name)
    candidates += [c.with_name(c.name + ".yaml") for c in candidates if c.suffix not in (".yaml", ".yml")]
    for c in candidates:
        if c.is_file():
            return c
    known = sorted(p.name for p in project.scenarios.glob("*.yaml")) if project.scenarios.is_dir() else []
    close = difflib.get_close_matches(Path(name).name, known, n=2, cutoff=0.6)
    close = [c for c in close if c != name]
    if close:
        fix = "did you mean " + " or ".join(repr(c) for c in close) + "?"
    elif known:
        fix = f"give a path relative to {shown}, or one of {_shown(project.scenarios)}/: " + ", ".join(known[:6])
    else:
        fix = f"give the base scenario's path relative to {shown}"
    raise InputError(shown, "extends", f"base scenario {name!r} not found beside this file or in "
                     f"{_shown(project.scenarios)}/", fix)


def _merge(base: dict, child: dict) -> dict:
    """Child keys win; mappings (parameters, levers, uncertainty, ...) merge one level deep.

    A child that rewrites a text (``description``) without its Chinese twin (``description_zh``) drops the
    base's twin too: it translated the base's text, not the child's.
    """
    out = {k: v for k, v in base.items() if k not in ("name", "extends")}
    for key, value in child.items():
        if key == "extends":
            continue
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
        if f"{key}_zh" not in child:
            out.pop(f"{key}_zh", None)
    return out


def model_path(path: Path, raw: dict, project: paths.Project) -> Path:
    """The model file a scenario names (relative to the scenario), else its project's model."""
    if "model" in raw:
        if not isinstance(raw["model"], str):
            raise InputError(_shown(path), "model", f"must be a file name, got {raw['model']!r}",
                             "give the .mdl path relative to the scenario, or leave 'model' out")
        p = (path.parent / raw["model"]).resolve()
        if not p.is_file():
            raise InputError(_shown(path), "model", f"model file {raw['model']!r} not found",
                             "give the .mdl path relative to the scenario, "
                             "or leave 'model' out for the project's model")
        return p
    return project.model_file
