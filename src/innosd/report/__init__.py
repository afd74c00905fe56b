"""The analyst's PDF report: every section generated from a run, in Chinese (default) or English.

``write_report(result, table, pdf_path, lang="zh")`` writes one A4 PDF that reads on its own:
cover, executive summary, target table, fan charts, what it would take, calibration,
sensitivity, assumptions, the model, data sources and method notes, with bookmarks, page
numbers and a reproducibility footer. Same run and SOURCE_DATE_EPOCH, same bytes.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from .text import LANGS

__all__ = ["write_report"]


def write_report(result, table, pdf_path, lang: str = "zh", model=None) -> Path:
    """Write the report of ``result`` (an EnsembleResult) judged by ``table`` (targets.evaluate) to ``pdf_path``."""
    import matplotlib

    from . import analysis, appendix, evidence, sections
    from .context import build_context
    from .layout import Document, rc_params, render
    from .outline import finish
    from .parallel import Background
    from .text import t

    if lang not in LANGS:
        raise InputError("--lang", "", f"unknown report language {lang!r}", "use zh or en")
    ctx = build_context(result, table, lang, model)
    # The what-it-takes search runs dozens of ensembles: start it now, in a child process where possible.
    ctx.extra["what_it_takes"] = Background(analysis.what_it_takes, result, ctx.table, ctx.model)
    ctx.extra["structure"] = Background(appendix.model_structure, str(ctx.scenario.model_path))
    sc = ctx.scenario
    steps = [sections.cover, sections.summary, sections.target_table, sections.fans, sections.what_it_takes,
             evidence.calibration, evidence.sensitivity, appendix.assumptions, appendix.model, appendix.sources,
             appendix.method]
    header = f"{sc.name} · {ctx.date:%Y-%m-%d}"
    with matplotlib.rc_context(rc_params()):
        parts = {}
        for step in [s for s in steps if s is not sections.what_it_takes] + [sections.what_it_takes]:
            parts[step] = Document(header)  # what it takes last: its search has had the most time
            step(parts[step], ctx)
        doc = Document(header)
        for step in steps:
            doc.extend(parts[step])
        pdfs = render(doc, _metadata(ctx), ctx.footer(), lambda i, n: t("footer_page", lang, i=i, n=n))
    return finish(pdfs, Path(pdf_path), doc.outline())


def matplotlib_version() -> str:
    import matplotlib

    return matplotlib.__version__


def _metadata(ctx) -> dict:
    from .. import __version__
    from .text import t

    sc = ctx.scenario
    return {
        "Title": f"{t('report_title', ctx.lang)} — {sc.name}",
        "Author": "innosd",
        "Subject": sc.description[:500] if sc.description else sc.name,
        "Keywords": f"innosd; {sc.name}; seed {ctx.result.seed}; scenario sha256 {sc.sha256}",
        "Creator": f"innosd {__version__} report",
        "Producer": f"innosd {__version__} (matplotlib {matplotlib_version()}, pypdf)",
        "CreationDate": ctx.date,
    }
