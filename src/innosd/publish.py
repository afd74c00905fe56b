"""Publish a judged run: its run folder, what it would take for the targets below the confidence, the PDF.

The one sequence behind ``innosd run --report``, ``innosd report SCENARIO`` and the explorer's report
button: write the run folder's files (:func:`innosd.outputs.write_run`), search what it would take to lift
each target below :data:`CONFIDENCE` and write ``what_it_takes.csv``, then render the PDF from the folder
alone (:func:`innosd.report.write_report`).

All of it is built in one hidden temporary folder beside the destination and moved into place once, at
the end (:func:`innosd.atomic.atomic_outputs`): Ctrl-C or a crash at any stage leaves no folder where
there was none and a previous folder untouched, PDF and ``what_it_takes.csv`` included; two publishes into
one folder at once leave one complete result. A PDF given its own path (``-o``) outside the folder is
rendered to a temporary file beside that path and committed in the same step, right after the folder
is moved into place, so the folder and the PDF appear together or not at all.

The search runs the model, so this module sits beside the run folder's writer (:mod:`innosd.outputs`), not
in :mod:`innosd.report`, which only reads a folder. ``innosd report RUN_FOLDER`` calls :func:`render` only.
"""

from __future__ import annotations

from pathlib import Path

from . import progress
from .errors import InputError

WIT_SAMPLES = 200  # members of the what-it-takes search (it runs dozens of ensembles per target)
CONFIDENCE = 0.8   # P(met) below which a target gets a what-it-takes search


def publish(judged, out: Path, output, lang: str, charts: bool = True, loops=None) -> Path:
    """Write a judged run's folder, its what-it-takes table and its report, all or nothing (see the module).

    Parameters
    ----------
    judged : innosd.api.Run
        The run and its targets table (:func:`innosd.api.run`).
    out : pathlib.Path
        The run folder to write (replaced as a whole, once everything in it is written).
    output : str or pathlib.Path or None
        The PDF's path (None: ``<out>/<scenario name>.pdf``); replaced right after the folder.
    lang : {"zh", "en"}
        Report language.
    charts : bool, default True
        Write the PNG charts into the folder too.
    loops : innosd.loops.dominance.LoopDominance, optional
        Loop scores of the run: adds loops.csv and loops.png to the folder (the report's loop section).

    Returns
    -------
    pathlib.Path
        The PDF written.

    Raises
    ------
    innosd.errors.InputError
        For a PDF path that cannot be written; nothing is written then.
    """
    from .atomic import atomic_outputs
    from .outputs import write_run

    out = Path(out)
    pdf = Path(output) if output else out / f"{judged.scenario.name}.pdf"
    with atomic_outputs(out) as staging:
        tmp = staging.folder
        try:  # first, so an unwritable PDF path stops before the search
            staged_pdf = staging.file(pdf)  # in the temporary folder, or a temporary beside an outside path
        except OSError as exc:
            raise InputError(str(pdf), "", f"cannot write the report ({exc.strerror})",
                             "choose a writable path for the PDF") from None
        with progress.stage(f"writing the results to {out}"):
            write_run(judged.result, judged.table, tmp, charts=charts, loops=loops, staged=True)
        write_what_it_takes(judged, tmp)
        render(tmp, staged_pdf, lang, judged.scenario.name, shown=out)
    return pdf


def write_what_it_takes(judged, out: Path, confidence: float = CONFIDENCE) -> Path:
    """Search what it would take for the targets below ``confidence`` and write ``what_it_takes.csv`` into ``out``.

    Parameters
    ----------
    judged : innosd.api.Run
        The run whose targets table says which targets fall short.
    out : pathlib.Path
        The run folder.
    confidence : float, default :data:`CONFIDENCE`
        The P(met) each search aims for.

    Returns
    -------
    pathlib.Path
        The table written (:data:`innosd.runfolder.WHAT_IT_TAKES` in ``out``). The searches use at most
        :data:`WIT_SAMPLES` members, the run's seed and its calibration.
    """
    from .model import load_model
    from .outputs import write_table
    from .runfolder import WHAT_IT_TAKES
    from .whatittakes import needs_search, what_it_takes_table

    sc, result = judged.scenario, judged.result
    targets = needs_search(judged.table, confidence)
    table = what_it_takes_table(sc, load_model(sc.model_path), confidence, targets=targets,
                                samples=min(result.n, WIT_SAMPLES), seed=result.seed, calibration=result.calibration)
    return write_table(table, out / WHAT_IT_TAKES)


def render(folder: Path, output, lang: str, name: str | None = None, shown: Path | None = None) -> Path:
    """Render the report of run folder ``folder`` into ``output`` (default ``<folder>/<name>.pdf``).

    Parameters
    ----------
    folder : pathlib.Path
        A finished run folder.
    output : str or pathlib.Path or None
        The PDF's path.
    lang : {"zh", "en"}
        Report language.
    name : str, optional
        The scenario's name, for the default PDF name (default: the one the folder's summary.json records,
        else the folder's name).
    shown : pathlib.Path, optional
        The path the report names the folder by, when ``folder`` is a temporary one moved there afterwards.

    Returns
    -------
    pathlib.Path
        The PDF written.

    Raises
    ------
    innosd.errors.InputError
        For a folder that is not a finished run, or a PDF path that cannot be written.
    """
    from .report import write_report
    from .runfolder import open_run

    folder = Path(folder)
    if name is None:
        name = open_run(folder).summary.get("scenario", {}).get("name") or folder.name
    pdf = Path(output) if output else folder / f"{name}.pdf"
    try:
        with progress.stage("writing the PDF report"):
            return write_report(folder, pdf, lang=lang, shown=shown)
    except PermissionError as exc:
        raise InputError(str(pdf), "", f"cannot write the report ({exc.strerror})",
                         "choose a writable path for the PDF") from None
