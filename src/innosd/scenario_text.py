"""Chinese versions of a scenario's free text: the optional ``*_zh`` fields, their checks, and text in a language.

A scenario is written in whichever language its author writes (the bundled ones in English, with the
plans' targets quoted verbatim in Chinese). Each free-text field may have a Chinese twin with the same
name and the suffix ``_zh`` (scenarios/README.md):

========================  ===================================================================
``description_zh``        the description
``assumptions_zh``        a list with one sentence per entry of ``assumptions``, in the same order
``targets[].label_zh``    a target's label
``targets[].note_zh``     a target's note
``not_represented[].reason_zh``  why the model does not represent a plan target
========================  ===================================================================

The Chinese report shows the ``_zh`` text where there is one, else the original; the English report and the
terminal show the original. Quotes are never translated: they are verbatim from the plan documents.
"""

from __future__ import annotations

import difflib
import re

from .errors import InputError

__all__ = ["SUFFIX", "TOP_LEVEL", "TARGET", "NOT_REPRESENTED", "tidy", "has_chinese", "check_translations",
           "in_language"]

SUFFIX = "_zh"
TOP_LEVEL = ("description_zh", "assumptions_zh")   #: top-level keys
TARGET = ("label_zh", "note_zh")                    #: keys of a target
NOT_REPRESENTED = ("reason_zh",)                    #: keys of a not_represented entry


_WIDE = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"  # CJK ideographs and full-width punctuation
_WIDE_GAP = re.compile(f"(?<=[{_WIDE}])\\s+(?=[{_WIDE}])")


def tidy(text: str) -> str:
    """Text as shown: runs of white space as one space, and none between two Chinese characters.

    YAML folds a block of several lines (``description_zh: >``) with a space at each line break; in Chinese
    that space is wrong, so a Chinese text may be broken across lines anywhere.
    """
    return _WIDE_GAP.sub("", " ".join(str(text).split()))


def has_chinese(text) -> bool:
    """True when ``text`` holds at least one CJK ideograph (U+3400-U+9FFF)."""
    return any("\u3400" <= c <= "\u9fff" for c in str(text))


def _chinese(f: str, fld: str, value, what: str) -> str:
    """``value`` as checked Chinese text (raises InputError naming ``fld``)."""
    if not isinstance(value, str) or not value.strip():
        raise InputError(f, fld, f"must be text (the {what} in Chinese)",
                         f"write {fld.rsplit('.', 1)[-1]}: followed by the Chinese text, or leave the key out")
    if not has_chinese(value):
        raise InputError(f, fld, "has no Chinese characters",
                         f"write the {what} in Chinese here (the original stays in {fld.rsplit('.', 1)[-1][:-3]}), "
                         "or leave the key out")
    return tidy(value)


def check_translations(f: str, raw: dict) -> dict:
    """Check the ``*_zh`` fields of a scenario's (merged) keys and return them.

    Parameters
    ----------
    f : str
        The scenario file as shown in messages.
    raw : dict
        The scenario's keys, its ``extends`` chain merged in; the keys themselves are known (the caller
        checks unknown keys, whose lists include :data:`TOP_LEVEL` and :data:`TARGET`).

    Returns
    -------
    dict
        ``description`` (str or None), ``assumptions`` (list or None), ``targets`` ({id: {label, note}}),
        ``not_represented`` ([reason or None, ...] in the order of the entries).

    Raises
    ------
    innosd.errors.InputError
        A field that is not Chinese text, an ``assumptions_zh`` whose length differs from ``assumptions``, or
        an unknown ``*_zh`` key in a ``not_represented`` entry.
    """
    out: dict = {"description": None, "assumptions": None, "targets": {}, "not_represented": []}
    if raw.get("description_zh") is not None:
        out["description"] = _chinese(f, "description_zh", raw["description_zh"], "description")
    if raw.get("assumptions_zh") is not None:
        zh, en = raw["assumptions_zh"], raw.get("assumptions") or []
        if not isinstance(zh, list):
            raise InputError(f, "assumptions_zh", "must be a list of sentences, one per assumption",
                             "write each translated assumption as '- text', in the order of assumptions")
        if len(zh) != len(en):
            raise InputError(f, "assumptions_zh", f"has {len(zh)} sentences but assumptions has {len(en)}",
                             "translate each assumption once, in the same order")
        out["assumptions"] = [_chinese(f, f"assumptions_zh[{i}]", s, "assumption") for i, s in enumerate(zh)]
    for i, t in enumerate(raw.get("targets") or []):
        if isinstance(t, dict):
            fld = f"targets[{t.get('id', i)}]"
            out["targets"][str(t.get("id", i))] = {k[:-3]: _chinese(f, f"{fld}.{k}", t[k], k[:-3].replace("_", " "))
                                                   for k in TARGET if t.get(k) is not None}
    for i, item in enumerate(raw.get("not_represented") or []):
        reason = None
        if isinstance(item, dict):
            for key in item:
                if str(key).endswith(SUFFIX) and key not in NOT_REPRESENTED:
                    close = difflib.get_close_matches(str(key), NOT_REPRESENTED, n=1, cutoff=0.5)
                    raise InputError(f, f"not_represented[{i}].{key}", "unknown key",
                                     f"did you mean {close[0]!r}?" if close else "use reason_zh")
            if item.get("reason_zh") is not None:
                reason = _chinese(f, f"not_represented[{i}].reason_zh", item["reason_zh"], "reason")
        out["not_represented"].append(reason)
    return out


def in_language(record: dict, key: str, lang: str) -> str:
    """``record[key]`` in ``lang``: its ``key_zh`` twin in Chinese when set, else the original ('' when neither).

    Parameters
    ----------
    record : dict
        A scenario record (summary.json's ``scenario``), a target's or a not_represented entry.
    key : str
        The field, e.g. ``description`` or ``reason``.
    lang : {"zh", "en"}
        The language wanted.
    """
    if lang == "zh":
        zh = record.get(key + SUFFIX)
        if isinstance(zh, str) and zh.strip():
            return tidy(zh)
    value = record.get(key)
    return "" if value is None else str(value)
