"""The analyst's PDF report, rendered from a finished run folder (Chinese by default, or English).

``write_report(run_dir, pdf_path, lang="zh")`` reads the files ``innosd run`` (and
``what-it-takes --all``, ``sensitivity``) wrote into ``run_dir`` and typesets one A4 PDF with
Typst: cover, executive summary, target table, fan charts, what it would take, calibration,
sensitivity, assumptions, the model, data sources and method notes, with bookmarks, page
numbers and a reproducibility footer. Same run folder and SOURCE_DATE_EPOCH, same bytes.

This package never runs the model: it imports nothing from the engine, the ensemble, the
searches or the samplers (a test checks the import graph).

Adding a section: write ``render(doc, ctx)`` (add blocks to the Document from the Context), give
it a title in :mod:`innosd.report.strings`, and list it in :data:`SECTIONS` with the run-folder
files it needs; when none of them is present the section is left out (``missing="omit"``) or the
section itself says how to produce them (``missing="explain"``).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .. import runfolder as rf

__all__ = ["write_report", "Section", "SECTIONS", "sections_for"]


@dataclass(frozen=True)
class Section:
    """One report section: its key (title in strings.SECTIONS), how it renders, the files it needs.

    Attributes
    ----------
    key : str
        Section key; its title is ``strings.SECTIONS[key]``.
    render : str
        ``module:function`` of ``render(doc, ctx)`` inside :mod:`innosd.report`.
    needs : tuple of str
        Run-folder files the section reads; empty when it always renders.
    missing : {"explain", "omit"}
        With none of ``needs`` present: render anyway (the section says how to produce them) or leave it out.
    """

    key: str
    render: str
    needs: tuple[str, ...] = ()
    missing: str = "explain"

    def function(self) -> Callable:
        """The ``render(doc, ctx)`` function."""
        import importlib

        module, name = self.render.split(":")
        return getattr(importlib.import_module(f"{__name__}.{module}"), name)


#: The report's sections in order.
SECTIONS = (
    Section("cover", "sections:cover"),
    Section("summary", "sections:summary"),
    Section("targets", "sections:target_table"),
    Section("fans", "sections:fans", (rf.TRAJECTORIES,)),
    Section("structures", "dominance:structures"),
    Section("loops", "dominance:loops", (rf.LOOPS,), missing="explain"),
    Section("whatittakes", "sections:what_it_takes", (rf.WHAT_IT_TAKES,)),
    Section("portfolios", "portfolios:render", (rf.OPTIMISE_PARETO,)),
    Section("calibration", "evidence:calibration"),
    Section("priors", "priorsens:render", (rf.PRIOR_SENSITIVITY,)),
    Section("backtest", "backtest:render"),
    Section("sensitivity", "evidence:sensitivity", rf.SENSITIVITY + (rf.DRIVERS,)),
    Section("assumptions", "appendix:assumptions"),
    Section("model", "appendix:model"),
    Section("sources", "appendix:sources"),
    Section("method", "appendix:method"),
)


def sections_for(run) -> list[Section]:
    """The sections a report of ``run`` (a RunFolder) shows: those whose files are present or that explain."""
    return [s for s in SECTIONS if s.missing != "omit" or not s.needs or any(run.file(f) for f in s.needs)]


def write_report(run_dir, pdf_path, lang: str = "zh", shown=None) -> Path:
    """Typeset the report of the finished run in ``run_dir`` into ``pdf_path``.

    Parameters
    ----------
    run_dir : str or pathlib.Path
        A folder written by ``innosd run`` (:func:`innosd.outputs.write_run`).
    pdf_path : str or pathlib.Path
        Where the PDF goes (written atomically).
    lang : {"zh", "en"}
        Report language.
    shown : str or pathlib.Path, optional
        The path the report names the folder by (default ``run_dir``): where a temporary ``run_dir`` will be
        moved once the PDF is in it (:func:`innosd.publish.publish`), so the PDF is the same either way.

    Returns
    -------
    pathlib.Path
        ``pdf_path``.

    Raises
    ------
    innosd.errors.InputError
        For a folder that is not a finished run, an unknown ``lang`` or an unwritable ``pdf_path``.
    """
    import matplotlib

    from .. import __version__
    from .charts import rc_params
    from .context import build_context
    from .document import Document
    from .text import t
    from .typeset import compile_pdf, write_pdf

    run = rf.open_run(run_dir)
    run.shown = Path(shown) if shown is not None else run.path
    ctx = build_context(run, lang)
    with tempfile.TemporaryDirectory(prefix="innosd-report-") as build, matplotlib.rc_context(rc_params(lang)):
        doc = Document(Path(build))
        for section in sections_for(ctx.run):
            section.function()(doc, ctx)
        sc = ctx.scenario
        zh = lang == "zh"
        meta = {
            "title": f"{t('report_title', lang)} — {sc['name']}",
            "author": "innosd",
            "subject": (sc.get("description") or sc["name"])[:500],
            "keywords": ["innosd", sc["name"], f"seed {ctx.seed}", f"scenario sha256 {ctx.prov.get('scenario_sha256')}",
                         f"innosd {__version__}"],
            "lang": lang, "region": "cn" if zh else "gb",
            "fonts": ["Noto Sans CJK SC", "DejaVu Sans"] if zh else ["DejaVu Sans", "Noto Sans CJK SC"],
            "mono": ["DejaVu Sans Mono", "Noto Sans Mono CJK SC"],
            "header": f"{sc['name']} · {ctx.date:%Y-%m-%d}",
            "footer": ctx.footer(),
            "page": t("footer_page", lang, i="{i}", n="{n}"),
        }
        pdf = compile_pdf(Path(build), meta, doc.blocks, ctx.date)
    return write_pdf(pdf, Path(pdf_path))
