"""The report as a list of blocks (headings, paragraphs, tables, figures) that the Typst template lays out.

Sections add blocks here; nothing in this module measures text or breaks lines: Typst does
(:mod:`innosd.report.typeset`, ``template.typ``). Every block is plain JSON, so text is never
interpreted as markup. Figures are matplotlib figures saved as SVG (vector) next to the JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: Colours by name (the template has the same palette).
TONES = ("ink", "muted", "accent", "on", "risk", "off", "assumed")
VERDICT_TONE = {"on track": "on", "at risk": "risk", "off track": "off", "met by assumption": "assumed",
                "not met by assumption": "assumed", "set by assumption": "assumed"}


@dataclass(frozen=True)
class Col:
    """A table column: head text, relative width, alignment, monospaced or not."""

    head: str
    width: float = 1.0
    align: str = "left"
    mono: bool = False


def cell(text, tone: str | None = None, fill: str | None = None) -> dict:
    """A table cell with a text colour (``tone``) and/or a background (a verdict tone), for :meth:`Document.table`."""
    out = {"text": str(text)}
    if tone:
        out["tone"] = tone
    if fill:
        out["fill"] = fill
    return out


class Document:
    """Blocks of one report, and the figures they show (written to ``build_dir`` as SVG).

    Parameters
    ----------
    build_dir : pathlib.Path
        Folder the figures are saved in (the typesetter's root).
    """

    def __init__(self, build_dir: Path):
        self.build_dir = Path(build_dir)
        self.blocks: list[dict] = []
        self._figures = 0
        self._target = self.blocks

    def _add(self, block: dict) -> None:
        self._target.append(block)

    def section(self, key: str, title: str, hidden: bool = False) -> None:
        """Start section ``key`` on a new page; ``title`` is its heading and top-level bookmark."""
        self._target = self.blocks
        self._add({"type": "section", "key": key, "title": title, "hidden": hidden})

    def heading(self, text: str, bookmark: bool = True) -> None:
        """A subheading; with ``bookmark`` it is also a second-level bookmark."""
        self._add({"type": "heading", "text": text, "bookmark": bookmark})

    def para(self, text: str, size: float | None = None, tone: str = "ink", mono: bool = False) -> None:
        """A paragraph (Typst breaks its lines, CJK included)."""
        self._add({"type": "para", "text": str(text), "size": size, "tone": tone, "mono": mono})

    def bullets(self, items, size: float | None = None) -> None:
        """A bulleted list of plain strings."""
        self._add({"type": "bullets", "items": [str(i) for i in items], "size": size})

    def code(self, text: str, size: float = 6.6) -> None:
        """Verbatim text in the monospaced font (a scenario file, a command)."""
        self._add({"type": "code", "text": str(text), "size": size})

    def table(self, cols: list[Col], rows: list[list], size: float = 7.0, header: bool = True) -> None:
        """A table whose rows break across pages (the header repeats); cells are strings or :func:`cell`."""
        body = [[c if isinstance(c, dict) else {"text": "" if c is None else str(c)} for c in row] for row in rows]
        self._add({"type": "table", "size": size, "header": header,
                   "columns": [{"head": c.head, "width": c.width, "align": c.align, "mono": c.mono} for c in cols],
                   "rows": body})

    def figure(self, fig, width: float = 1.0, caption: list[dict] | None = None) -> None:
        """A matplotlib figure as SVG at ``width`` (share of the text width), closed afterwards."""
        self._add({"type": "figure", "path": self._save(fig), "width": width, "caption": caption or []})

    def image(self, path: Path, width: float = 1.0, height: float | None = None) -> None:
        """An image file (SVG or PNG) at ``width`` (share of the text width), at most ``height`` points tall."""
        import shutil

        self._figures += 1
        name = f"img-{self._figures:03d}{Path(path).suffix.lower()}"
        shutil.copyfile(path, self.build_dir / name)  # the typesetter reads files under its root only
        self._add({"type": "figure", "path": name, "width": width, "height": height, "caption": []})

    def counts(self, items: list[tuple[int, str, str]]) -> None:
        """Boxes of (count, label, verdict) side by side: the verdicts at a glance."""
        self._add({"type": "counts", "items": [{"n": n, "label": label, "tone": VERDICT_TONE.get(v, "ink")}
                                               for n, label, v in items]})

    def box(self, title: str, lines: list[str], verdict: str, emphasis: int = 1) -> None:
        """A tinted box of one target: title, lines (line ``emphasis`` in the verdict's colour)."""
        self._add({"type": "box", "title": title, "lines": lines, "tone": VERDICT_TONE.get(verdict, "ink"),
                   "emphasis": emphasis})

    def landscape(self) -> None:
        """The following blocks, up to the next section or :meth:`portrait`, go on landscape pages.

        The blocks of the current section so far (its heading included) move onto the landscape page
        too, so a section that opens with a wide figure does not leave a near-empty portrait page.
        """
        start = max((i for i, b in enumerate(self.blocks) if b["type"] == "section"), default=len(self.blocks))
        page = {"type": "landscape", "blocks": self.blocks[start:]}
        del self.blocks[start:]
        self.blocks.append(page)
        self._target = page["blocks"]

    def portrait(self) -> None:
        """Back to portrait pages after :meth:`landscape`."""
        self._target = self.blocks

    def _save(self, fig) -> str:
        import matplotlib.pyplot as plt

        self._figures += 1
        name = f"fig-{self._figures:03d}.svg"
        # no date and a fixed id salt: the same figure gives the same bytes (reproducible PDF)
        fig.savefig(self.build_dir / name, format="svg", metadata={"Date": None, "Creator": None})
        plt.close(fig)
        return name
