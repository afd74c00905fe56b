"""Typeset the report's blocks into a PDF with Typst (the ``typst`` package ships the compiler).

Fonts come from local files only: Noto Sans CJK SC from ``mplfonts`` and DejaVu from matplotlib
(:func:`innosd.fonts.report_fonts`); system fonts are ignored and nothing is fetched. The PDF's
dates come from the report date (SOURCE_DATE_EPOCH when set), so equal input gives equal bytes.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from ..errors import InputError
from ..fonts import report_fonts

TEMPLATE = Path(__file__).with_name("template.typ")


def font_dir(root: Path) -> Path:
    """A folder of links to the report's font files (Typst scans folders, not single files)."""
    d = root / "fonts"
    d.mkdir(exist_ok=True)
    for f in report_fonts():
        link = d / f.name
        try:
            link.symlink_to(f)
        except OSError:  # no symlinks here (e.g. some Windows set-ups): copy the file instead
            link.write_bytes(f.read_bytes())
    return d


def compile_pdf(build_dir: Path, meta: dict, blocks: list[dict], date: datetime) -> bytes:
    """The PDF of ``blocks`` laid out by ``template.typ``, as bytes.

    Parameters
    ----------
    build_dir : pathlib.Path
        Folder holding the figures the blocks name; report.json and the template are written there.
    meta : dict
        title, author, keywords, subject, lang, region, fonts, mono, header, footer, page.
    blocks : list of dict
        The document (:class:`innosd.report.document.Document` ``.blocks``).
    date : datetime
        The report date, written as the PDF's creation date.
    """
    import typst

    (build_dir / "report.json").write_text(json.dumps({"meta": meta, "blocks": blocks}, ensure_ascii=False),
                                           encoding="utf-8")
    main = build_dir / "main.typ"
    main.write_text(TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
    fonts = font_dir(build_dir)
    return typst.compile(str(main), root=str(build_dir), font_paths=[str(fonts)], ignore_system_fonts=True,
                         timestamp=int(date.timestamp()))


def write_pdf(data: bytes, path: Path) -> Path:
    """Write ``data`` to ``path`` atomically (:func:`innosd.atomic.atomic_file`: a reader never sees half a PDF)."""
    from ..atomic import atomic_file

    path = Path(path)
    try:
        with atomic_file(path, "wb") as fh:
            fh.write(data)
    except OSError as exc:  # an unwritable or impossible path: one line, nothing left behind
        raise InputError(str(path), "", f"cannot write the report ({exc.strerror})",
                         "choose a writable path for the PDF") from None
    return path
