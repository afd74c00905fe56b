"""Everything one report is made from, gathered once: the run, its verdicts, files and their hashes."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from .. import __version__, paths
from . import analysis


@dataclass
class Context:
    result: object  # EnsembleResult
    table: pd.DataFrame  # targets.evaluate(result)
    lang: str
    model: object  # compiled engine model
    plan_period: tuple[int, int] | None
    data_year: int | None
    files: dict[str, str]  # shown path -> sha256
    date: datetime
    extra: dict = field(default_factory=dict)

    @property
    def scenario(self):
        return self.result.scenario

    @property
    def prov(self) -> dict:
        return self.result.provenance

    def target(self, tid: str):
        return next(t for t in self.scenario.targets if t.id == tid)

    def footer(self) -> str:
        """The reproducibility line printed on every page."""
        p = self.prov
        calib = (p.get("calibration_sha256") or "none")[:12]
        return (f"innosd {p.get('innosd_version', __version__)} · scenario {self.scenario.name} "
                f"sha256 {p['scenario_sha256'][:12]} · model {p['model_sha256'][:12]} · calibration {calib} · "
                f"seed {self.result.seed} · n {self.result.n} · {self.result.engine}")

    def command(self) -> str:
        """The command that makes this report again."""
        sc = self.scenario
        return (f"SOURCE_DATE_EPOCH={int(self.date.timestamp())} innosd report {_shown(sc.path)} "
                f"--samples {self.result.n} --seed {self.result.seed} --lang {self.lang}")


def report_date() -> datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else now; UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().lstrip("-").isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.now(timezone.utc).replace(microsecond=0)


def build_context(result, table: pd.DataFrame, lang: str, model=None) -> Context:
    from ..model import load_model

    sc = result.scenario
    model = model or load_model(sc.model_path)
    files = {}
    for label, p in (("scenario", sc.path), ("model", Path(sc.model_path)),
                     ("parameters", paths.PARAMETERS_YAML), ("observed", paths.OBSERVED_CSV),
                     ("posterior", paths.CALIBRATION / "posterior.csv"),
                     ("fit", paths.CALIBRATION / "fit.yaml"), ("fit_table", paths.CALIBRATION / "fit_table.csv")):
        p = Path(p)
        if p.is_file():
            files[_shown(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
    return Context(result=result, table=table.reset_index(drop=True), lang=lang, model=model,
                   plan_period=analysis.plan_period(sc.targets), data_year=result.calibration.vintage or analysis.data_year(sc.region),
                   files=files, date=report_date())


def _shown(p) -> str:
    """A path relative to the project root where possible (the same on every machine)."""
    p = Path(p).resolve()
    try:
        return str(p.relative_to(paths.ROOT))
    except ValueError:
        return p.name
