"""What the page writes: a scenario file into the scenarios folder, and the PDF report of a scenario.

A scenario is checked before it is written: its text is validated as a scenario file of the
project (:func:`innosd.scenario.load_scenario`, as ``innosd validate`` does) from a temporary
copy, then written with :func:`innosd.atomic.atomic_file`, so the folder holds either the old
file or the complete new one. Only files the page saved itself may be overwritten.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from .. import paths
from ..atomic import atomic_file
from ..errors import InputError
from .settings import apply, scenario_yaml
from .workspace import PageError, Workspace, scenario_file


def save(explorer, base_name: str, year_text, values: dict, name: str, description: str = "",
         lang: str = "zh") -> Path:
    """Save the settings over scenario ``base_name`` as ``scenarios/NAME.yaml`` that extends it.

    Parameters
    ----------
    explorer : innosd.explorer.view.Explorer
    base_name : str
        The opened scenario.
    year_text, values
        The decision year and the lever values as the page holds them.
    name : str
        The new scenario's name, as typed (a bare name; ``.yaml`` may be given).
    description : str
        Optional text for ``description:``.
    lang : {"zh", "en"}

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    innosd.errors.InputError
        For a bad name, a name taken by a file the page did not write (a bundled scenario, say), the
        opened scenario itself, settings with a bad value, or a text that does not validate; nothing
        is written then.
    """
    ws: Workspace = explorer.workspace
    path = scenario_file(ws.folder, name, exists=False)
    base, _, _, base_year = explorer.opened(base_name)
    if path.resolve() == base.path.resolve():
        raise PageError("name", f"{path.name} is the scenario it would extend", "choose a new name",
                        f"{path.name} 是当前打开的情景本身：请换一个新文件名")
    if path.exists() and not ws.saved_by_page(path):
        raise PageError("name", f"{path.name} exists and was not saved from this page",
                        "choose another name (the page overwrites only scenarios it saved)",
                        f"{path.name} 已存在且不是本页保存的文件：请换一个文件名（本页只覆盖自己保存的情景）")
    model = ws.model()
    applied = apply(base, model, year_text, values, lang)
    if not applied.ok:
        bad = applied.year_error or "; ".join(f"{k}: {v}" for k, v in applied.errors.items())
        raise PageError("settings", f"a value needs correcting ({bad})", "correct the value shown in red",
                        f"有数值需要更正（{bad}）：请先改正标红的数值")
    year = int(float(str(year_text).strip()))
    text = scenario_yaml(path.stem, base, applied.entries, year, base_year, description)
    check(ws, path.name, text)
    with atomic_file(path, encoding="utf-8") as fh:
        fh.write(text)
    return path


def check(ws: Workspace, filename: str, text: str):
    """Validate scenario ``text`` as file ``filename`` of the project (a temporary copy); returns the Scenario.

    Raises
    ------
    innosd.errors.InputError
        As ``innosd validate`` would, naming the file as it will be called.
    """
    from ..scenario import load_scenario

    with tempfile.TemporaryDirectory(prefix="innosd-explorer-") as tmp:
        copy = Path(tmp) / filename
        copy.write_text(text, encoding="utf-8")
        try:
            with paths.use(ws.project):
                return load_scenario(copy, model=ws.model(), project=ws.project)
        except InputError as exc:
            raise InputError(f"scenarios/{filename}", exc.field, exc.problem, exc.fix) from None


def report(explorer, name: str, lang: str = "zh") -> Path:
    """Run scenario ``name`` of the folder and write its run folder and PDF report, as ``innosd run --report`` does.

    The run folder (:func:`innosd.outputs.write_run`) and its what-it-takes table are written to
    ``reports/NAME/``, then the PDF is rendered from that folder by :func:`innosd.report.write_report`
    (through :func:`innosd.publish.publish`, the same sequence as the command line's).

    Returns
    -------
    pathlib.Path
        The PDF, ``reports/NAME/NAME.pdf`` in the project.
    """
    from ..publish import publish

    ws: Workspace = explorer.workspace
    sc = ws.scenario(name)
    judged = explorer.run(sc)
    with paths.use(ws.project):
        return publish(judged, ws.project.reports / sc.name, None, lang)
