"""Chinese names of a model's variables and views, for the Chinese diagrams and for ``innosd trace``.

Two sources, in this order:

1. the glossary beside the model file, ``<model>.zh.yaml`` (``variables:`` and ``views:``
   mappings from the English name to the Chinese one);
2. the variable's documentation string when it opens with a Chinese term, the way the
   Tianjin model writes its indicators: ``研发投入强度 R&D expenditure as % of GDP ...``, or
   ``LEVER 新增孵化器 new incubators a year ...``. Only a term of three or more Chinese
   characters counts, so that a sentence such as ``雏鹰 firms leaving the tier`` is not
   mistaken for a name.

A variable with neither keeps its English name (:func:`missing` lists them).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..errors import InputError
from ..structure import Element, norm

_CJK = re.compile(r"[\u3400-\u9fff]")
_LEAD = re.compile(r"^(?:LEVER\s+)?(\S+)")


def glossary_path(model_path) -> Path:
    """The glossary file of the model at ``model_path``: ``<stem>.zh.yaml`` beside it."""
    p = Path(model_path)
    return p.with_name(p.stem + ".zh.yaml")


def read_glossary(model_path) -> dict[str, dict[str, str]]:
    """The glossary of the model as ``{"variables": {name: zh}, "views": {title: zh}}`` (empty if absent)."""
    path = glossary_path(model_path)
    if not path.is_file():
        return {"variables": {}, "views": {}}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise InputError(str(path), "", f"not valid YAML ({str(exc).splitlines()[0]})",
                         "write it as two mappings, variables: and views:, of English name: Chinese name") from None
    out = {}
    for key in ("variables", "views"):
        section = data.get(key) or {}
        if not isinstance(section, dict):
            raise InputError(str(path), key, "is not a mapping", "write one 'English name: Chinese name' per line")
        out[key] = {str(k): str(v) for k, v in section.items()}
    return out


def doc_term(doc: str) -> str | None:
    """The Chinese term a documentation string opens with, or None."""
    m = _LEAD.match(doc.strip())
    if not m:
        return None
    term = m.group(1).rstrip(",;:.")
    return term if len(_CJK.findall(term)) >= 3 else None


def chinese_names(structure: dict[str, Element], model_path) -> dict[str, str]:
    """English name -> Chinese name for every variable that has one (glossary first, then documentation).

    Parameters
    ----------
    structure : dict
        :func:`innosd.structure.read_structure` of the model.
    model_path : path-like
        The model file (its glossary is ``<stem>.zh.yaml`` beside it).
    """
    glossary = {norm(k): v for k, v in read_glossary(model_path)["variables"].items()}
    out = {}
    for name, e in structure.items():
        zh = glossary.get(norm(name)) or doc_term(e.doc)
        if zh:
            out[name] = zh
    return out


def view_titles_zh(model_path) -> dict[str, str]:
    """View title -> Chinese title, from the glossary's ``views`` (keyed by group name or view title)."""
    from .plan import view_title

    return {view_title(k): v for k, v in read_glossary(model_path)["views"].items()}


def missing(structure: dict[str, Element], model_path) -> list[str]:
    """Variables drawn in the diagram that have no Chinese name (file order)."""
    zh = chinese_names(structure, model_path)
    return [n for n, e in structure.items() if e.kind != "control" and n not in zh]


def stale_entries(structure: dict[str, Element], model_path) -> list[str]:
    """Glossary entries that name no variable of the model."""
    known = {norm(n) for n in structure}
    return [k for k in read_glossary(model_path)["variables"] if norm(k) not in known]
