"""The generated section of the model folder's README: the pictures, the stocks and flows, the loops."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..structure import stock_flow_table

GENERATED_START = "<!-- generated from the model file by `innosd describe --write`: do not edit by hand -->"
GENERATED_END = "<!-- end of generated section -->"
#: Most loops listed in the README.
MAX_LISTED = 100


def markdown(info, pictures: dict[str, Path] | None = None, max_loops: int | None = MAX_LISTED) -> str:
    """The README section for the model described by ``info`` (:class:`innosd.diagram.build.ModelInfo`).

    Parameters
    ----------
    info : ModelInfo
        Structure, loops and names of the model.
    pictures : dict, optional
        Picture name (``structure.svg`` …) -> path; linked by file name (default: the plain names).
    max_loops : int or None
        List at most this many loops (None: all).
    """
    from .plan import view_title

    pic = {k: Path(v).name for k, v in (pictures or {}).items()}

    def name(key):
        return pic.get(key, key)

    groups = list(dict.fromkeys(view_title(e.group) for e in info.structure.values()
                                if e.kind not in ("control", "time")))
    intro = (f"The stock-and-flow diagram is the sketch Vensim opens: {len(groups)} views, one per group of the "
             f"file ({', '.join(groups)}); levers in green, variables from another view as grey `<shadows>`, "
             f"each information arrow with its polarity. Chinese: [{name('structure_zh.svg')}]"
             f"({name('structure_zh.svg')}), [{name('loops_zh.svg')}]({name('loops_zh.svg')}).")
    lines = [intro, "",
             f"![Stock-and-flow diagram, one panel per view]({name('structure.svg')})", "",
             f"![Causal-loop diagram of the main feedback loops]({name('loops.svg')})", "",
             "| stock | units | inflows | outflows |", "|---|---|---|---|"]
    for row in stock_flow_table(info.structure):
        lines.append(f"| {row['stock']} | {row['units']} | {', '.join(row['inflows']) or '–'} | "
                     f"{', '.join(row['outflows']) or '–'} |")
    n_r = sum(lp.polarity == 1 for lp in info.loops)
    n_b = sum(lp.polarity == -1 for lp in info.loops)
    lines += ["", f"{len(info.loops)} feedback loops pass through at least one stock: {n_r} reinforcing (R), "
              f"{n_b} balancing (B)" + (f", {len(info.loops) - n_r - n_b} of undetermined polarity (U)"
                                         if len(info.loops) > n_r + n_b else "")
              + ". Polarity is the product of the link signs read from the equations; loops are numbered "
              "shortest first within each polarity, so the names change when the equations do.", "",
              "| loop | polarity | path |", "|---|---|---|"]
    shown = info.loops if max_loops is None else info.loops[:max_loops]
    for lp in shown:
        lines.append(f"| {lp.name} | {lp.kind} | {' → '.join(lp.variables + lp.variables[:1])} |")
    if len(shown) < len(info.loops):
        lines += ["", f"… and {len(info.loops) - len(shown)} more (`innosd describe` lists them all)."]
    return "\n".join(lines)


def readme_section(readme_path) -> str:
    """The generated section of the README at ``readme_path`` (without the markers)."""
    text = Path(readme_path).read_text(encoding="utf-8")
    if GENERATED_START not in text or GENERATED_END not in text:
        raise InputError(str(readme_path), "", "has no generated section",
                         f"add the two lines {GENERATED_START} and {GENERATED_END} where it should go")
    return text.split(GENERATED_START, 1)[1].split(GENERATED_END, 1)[0].strip("\n")


def update_readme(info, readme_path, pictures: dict[str, Path] | None = None) -> bool:
    """Rewrite the generated section of ``readme_path``; True when it changed."""
    readme_section(readme_path)                      # refuses a README without markers
    text = Path(readme_path).read_text(encoding="utf-8")
    head, rest = text.split(GENERATED_START, 1)
    _, tail = rest.split(GENERATED_END, 1)
    new = head + GENERATED_START + "\n" + markdown(info, pictures) + "\n" + GENERATED_END + tail
    if new == text:
        return False
    Path(readme_path).write_text(new, encoding="utf-8")
    return True
