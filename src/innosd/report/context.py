"""Everything one report is made from, gathered once from a finished run folder."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path

import pandas as pd

from .. import __version__
from ..errors import InputError
from ..runfolder import RunFolder
from . import text as tx


@dataclass
class Context:
    """A run folder, the report's language and date, and what sections derive from them.

    Attributes
    ----------
    run : RunFolder
        The finished run the report renders from.
    lang : {"zh", "en"}
        Report language.
    date : datetime
        Report date (SOURCE_DATE_EPOCH when set).
    extra : dict
        Facts one section leaves for a later one (e.g. which sensitivity file was shown).
    """

    run: RunFolder
    lang: str
    date: datetime
    extra: dict = field(default_factory=dict)

    @property
    def summary(self) -> dict:
        """``summary.json`` of the run."""
        return self.run.summary

    @property
    def scenario(self) -> dict:
        """The scenario record the run wrote (name, description, region, start, end, thresholds, files...)."""
        return self.summary["scenario"]

    @property
    def prov(self) -> dict:
        """The run's provenance (hashes, seed, engine, version)."""
        return self.summary.get("provenance", {})

    @property
    def calibration(self) -> dict:
        """The calibration record: label, path, sha256, vintage, draws."""
        return self.summary.get("run", {}).get("calibration", {})

    @property
    def samples(self) -> int:
        """Ensemble size n."""
        return int(self.summary.get("samples", 0))

    @property
    def seed(self) -> int:
        """The run's seed."""
        return int(self.summary.get("run", {}).get("seed", self.prov.get("seed", 0)))

    @property
    def engine(self) -> str:
        """'numpy' or 'pysd'."""
        return str(self.summary.get("run", {}).get("engine", self.prov.get("engine", "numpy")))

    @cached_property
    def table(self) -> pd.DataFrame:
        """``targets.csv`` (one row per target)."""
        return self.run.targets.reset_index(drop=True)

    @property
    def data_year(self) -> int | None:
        """The latest observation year the run's data hold (None: no observations for the region)."""
        return self.summary.get("data_year")

    @property
    def plan_period(self) -> tuple[int, int] | None:
        """Two years before the earliest target year to the latest (the plan period shaded on charts)."""
        from .analysis import plan_period

        return plan_period(self.table.year.astype(int).tolist() if len(self.table) else [])

    @cached_property
    def observed(self) -> pd.DataFrame:
        """The region's rows of calibration/observed.csv."""
        from ..observed import load_observed

        df = load_observed()
        return df[df.region == self.scenario["region"]].reset_index(drop=True)

    def history(self, indicator: str) -> pd.DataFrame:
        """Observed actuals and estimates of ``indicator`` in the region, by year."""
        from ..observed import HISTORY_KINDS

        df = self.observed
        return df[(df.indicator == indicator) & df.kind.isin(HISTORY_KINDS)].sort_values("year")

    @cached_property
    def source_keys(self) -> dict[str, str]:
        """Source -> short key (S1, S2, ...) in order of first use: observations, targets, unrepresented."""
        keys: dict[str, str] = {}
        sources = list(self.observed.source) + list(self.table.get("source", []))
        sources += [str(i.get("source", "")) for i in self.summary.get("not_represented", [])]
        for src in sources:
            if tx.is_set(src) and src not in keys:
                keys[src] = f"S{len(keys) + 1}"
        return keys

    @property
    def calibration_dir(self) -> Path:
        """The folder of the run's calibration (its posterior.csv, fit.yaml, fit_table.csv): a vintage's own."""
        from .. import paths

        path = self.calibration.get("path")
        return (paths.ROOT / path).parent if path else paths.CALIBRATION

    @property
    def cal(self) -> str:
        """:attr:`calibration_dir` as shown in the report ('calibration', 'calibration/vintages/2016')."""
        from .. import paths

        try:
            return self.calibration_dir.resolve().relative_to(paths.ROOT.resolve()).as_posix()
        except ValueError:
            return self.calibration_dir.name

    def fit_files(self):
        """(fit_table.csv, fit.yaml) of the run's calibration; None for each one absent."""
        from .analysis import fit_files

        return fit_files(self.calibration_dir)

    def param_label(self, name: str) -> str:
        """A model constant's name as the report shows it: its Chinese name in Chinese, else as written.

        The Chinese names come from ``structure.json`` (the model's glossary or documentation, at run time).
        """
        if self.lang != "zh":
            return name
        names = (self.run.structure or {}).get("names_zh", {})
        return names.get(name) or names.get(name.replace("_", " ")) or name

    def calibration_label(self) -> str:
        """Where the parameters come from, in the report's language."""
        c = self.calibration
        if not c.get("path"):
            return tx.t("calib_defaults", self.lang)
        return tx.t("calib_posterior", self.lang, path=c["path"], n=c.get("draws", "?"), sha=str(c.get("sha256"))[:12])

    def engine_label(self) -> str:
        """The engine in a few words."""
        return tx.t("engine_pysd_short" if self.engine == "pysd" else "engine_numpy_short", self.lang)

    def footer(self) -> str:
        """The reproducibility line printed on every page."""
        p = self.prov
        return tx.t("footer_line", self.lang, version=p.get("innosd_version", __version__),
                    scenario=self.scenario["name"], sha=str(p.get("scenario_sha256", ""))[:12],
                    model=str(p.get("model_sha256", ""))[:12],
                    calib=str(p.get("calibration_sha256") or tx.t("none", self.lang))[:12],
                    seed=self.seed, n=self.samples, engine=self.engine)

    def commands(self) -> list[str]:
        """The commands that make this report again: the run, then the report from its folder."""
        sc = self.scenario
        folder = f"reports/{sc['name']}"
        return [f"innosd run {sc.get('path', sc['name'])} --samples {self.samples} --seed {self.seed} --out {folder}",
                f"SOURCE_DATE_EPOCH={int(self.date.timestamp())} innosd report {folder} --lang {self.lang}"]


def report_date() -> datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else now; UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().lstrip("-").isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.now(timezone.utc).replace(microsecond=0)


def build_context(run: RunFolder, lang: str) -> Context:
    """The context of one report of ``run`` in ``lang``.

    Raises
    ------
    innosd.errors.InputError
        When ``lang`` is unknown or the run folder was written by an innosd without the scenario record.
    """
    if lang not in tx.LANGS:
        raise InputError("lang", "", f"unknown report language {lang!r}", "use zh or en")
    if "scenario" not in run.summary:
        raise InputError(str(run.path / "summary.json"), "scenario", "written by an older innosd (no scenario record)",
                         "run the scenario again, then render the report from its folder")
    return Context(run=run, lang=lang, date=report_date())
