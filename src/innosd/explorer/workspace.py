r"""What the page works on: one project's model and its scenarios folder, and safe file names in it.

The server holds only what every browser tab shares and nobody changes: the compiled model and the
validated scenario files (cached by modification time). Each tab's own settings live in that tab
(:mod:`innosd.explorer.settings`), so two tabs never see each other's changes.

A file name typed in the page is a bare name inside the scenarios folder: :func:`scenario_file`
refuses paths (``../``, ``/etc/x``, ``C:\x``), hidden names and symbolic links that lead out of it.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from ..errors import InputError

#: A scenario file name a planner may type: letters (Chinese too), digits, ``-`` and ``_``; no path.
NAME = re.compile(r"[0-9A-Za-z\u4e00-\u9fff][0-9A-Za-z\u4e00-\u9fff_\-]{0,79}")
#: The first line of a file the page saved; only such files may be overwritten from the page.
MARK = "# saved by the innosd explorer"


class PageError(InputError):
    """An :class:`~innosd.errors.InputError` of the page, with its message in Chinese too (``zh``)."""

    def __init__(self, field: str, problem: str, fix: str, zh: str):
        super().__init__("scenario name" if field == "name" else field, "", problem, fix)
        self.zh = zh


def message(exc: InputError, lang: str) -> str:
    """The one line the page shows for ``exc`` in ``lang`` (Chinese where the page has the words)."""
    if lang == "zh" and getattr(exc, "zh", None):
        return exc.zh
    text = exc.line().removeprefix("error: ")
    return ("未通过校验：" + text) if lang == "zh" else text


def scenario_file(folder: Path, name: str, *, exists: bool) -> Path:
    """The file ``NAME.yaml`` inside ``folder`` for a name typed in the page.

    Parameters
    ----------
    folder : pathlib.Path
        The project's scenarios folder.
    name : str
        A bare scenario name, with or without ``.yaml``.
    exists : bool
        True to open a file (it must be a file inside ``folder``), False to write one (it must not be
        a symbolic link).

    Returns
    -------
    pathlib.Path
        ``folder / "NAME.yaml"``.

    Raises
    ------
    innosd.errors.InputError
        For a name with a path in it, a hidden or empty name, a link out of the folder, or a missing file.
    """
    text = unicodedata.normalize("NFKC", str(name or "")).strip()
    stem = re.sub(r"\.ya?ml$", "", text, flags=re.IGNORECASE)
    if not NAME.fullmatch(stem):
        raise PageError("name", f"{_short(text)!r} is not a plain file name",
                        "use letters, digits, - and _ only (no folders, no dots), e.g. more-incubators",
                        f"文件名“{_short(text)}”不可用：只能用字母、汉字、数字、- 和 _"
                        "（不含文件夹和点），如 more-incubators")
    root = Path(folder).resolve()
    path = root / f"{stem}.yaml"
    if path.is_symlink() and (not exists or not path.resolve().is_relative_to(root)):
        raise PageError("name", f"{stem}.yaml is a link out of the scenarios folder", "choose another name",
                        f"{stem}.yaml 是指向情景文件夹之外的链接：请换一个文件名")
    if exists and not path.resolve().is_file():
        raise PageError("name", f"no scenario {stem}.yaml in the scenarios folder",
                        "choose one of the listed scenarios", f"情景文件夹中没有 {stem}.yaml：请从列表中选择")
    return path


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


@dataclass
class Workspace:
    """A project's model and scenarios, shared by every tab of the page (read-only after loading).

    Attributes
    ----------
    project : innosd.paths.Project
        The project whose ``scenarios/`` the page lists and saves into, and whose ``reports/`` it writes.
    """

    project: paths.Project

    def __post_init__(self):
        self._lock = threading.Lock()
        self._scenarios: dict[str, tuple[int, object]] = {}

    @property
    def folder(self) -> Path:
        """The scenarios folder."""
        return self.project.scenarios

    def model(self):
        """The compiled model of the project (compiled once; the engine caches it by file and time)."""
        from ..model import load_model

        with paths.use(self.project):
            return load_model(self.project.model_file)

    def names(self) -> list[str]:
        """The scenario names (file names without ``.yaml``) in the scenarios folder, sorted; links out skipped."""
        root = self.folder.resolve()
        out = []
        for p in sorted(root.glob("*.yaml")):
            if NAME.fullmatch(p.stem) and p.resolve().is_relative_to(root) and p.resolve().is_file():
                out.append(p.stem)
        return out

    def scenario(self, name: str):
        """The validated scenario ``name`` of the scenarios folder (cached until its file changes).

        Raises
        ------
        innosd.errors.InputError
            For a name that is not a scenario of the folder, or a scenario file with a problem.
        """
        from ..scenario import load_scenario

        path = scenario_file(self.folder, name, exists=True)
        stamp = self.stamp()  # a change to any file of the folder (a base it extends, say) reloads
        with self._lock:
            hit = self._scenarios.get(path.name)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        with paths.use(self.project):
            sc = load_scenario(path, model=self.model(), project=self.project)
        with self._lock:
            self._scenarios[path.name] = (stamp, sc)
        return sc

    def stamp(self) -> tuple:
        """Names, sizes and modification times of the folder's scenario files."""
        out = []
        for p in sorted(self.folder.glob("*.y*ml")):
            try:
                st = p.stat()
            except OSError:
                continue
            out.append((p.name, st.st_size, st.st_mtime_ns))
        return tuple(out)

    def saved_by_page(self, path: Path) -> bool:
        """True when ``path`` is a file the page saved (its first line is :data:`MARK`)."""
        try:
            with open(path, encoding="utf-8") as fh:
                return fh.readline().startswith(MARK)
        except (OSError, UnicodeDecodeError):
            return False


def vintage_of(workspace: Workspace, scenario) -> int | None:
    """The data vintage a scenario is judged as of: its ``as_of``, else the latest committed calibration."""
    from ..ensemble import committed_vintages

    if scenario.as_of is not None:
        return scenario.as_of
    with paths.use(workspace.project):
        years = committed_vintages()
    return years[-1] if years else None


def decision_year(scenario, vintage: int | None) -> int:
    """The first year a lever change acts: the scenario's ``decision_year``, else the year after the vintage.

    Clipped to the scenario's horizon.
    """
    if hasattr(scenario, "first_decision_year"):  # the scenario's own rule, where scenarios have one
        return int(scenario.first_decision_year(vintage))
    own = scenario.raw.get("decision_year")
    year = int(own) if own else (vintage + 1 if vintage else scenario.start + 1)
    return min(max(year, scenario.start + 1), scenario.end)
