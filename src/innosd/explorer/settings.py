"""One tab's settings: the levers' values over an opened scenario, turned into a scenario to run or save.

A control per policy lever shows the level the lever takes. A lever the scenario leaves alone takes
the new level from the decision year (``step: {year: DECISION_YEAR, to: VALUE}``); a lever the
scenario sets keeps the scenario's own timing and form and only its level changes (a ``step``'s or
``ramp``'s ``to``, a ``constant``, a ``table``'s values from the decision year). The same entries
are what "save as scenario" writes under ``levers:``, so the saved file runs exactly what the page
showed. Every entry goes through :func:`innosd.levers.parse_lever`, the scenario files' own check.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import math
import unicodedata
from dataclasses import dataclass
from typing import Any

import numpy as np
import yaml

from ..errors import InputError
from ..indicators import EXOGENOUS_LEVERS, LEVERS, resolve_lever
from ..levers import parse_lever
from . import text as tx

#: Relative difference below which a control still holds the scenario's value (no change).
SAME = 1e-9
#: Lever forms whose level the page can set; others (``growth``: a rate, not a level) are changed in the file.
EDITABLE = ("constant", "step", "ramp", "table", "steps")
#: Forms that map years to values: the page sets the values from the decision year on.
BY_YEAR = ("table", "steps")


@dataclass(frozen=True)
class LeverControl:
    """A policy lever as the page shows it.

    Attributes
    ----------
    name : str
        The model's lookup name (``new_incubators_path``).
    low, high : float
        The lever's range declared in the model file (the control's ends), in the lever's unit.
    step : float
        The slider's step.
    value : float
        The level the opened scenario gives the lever (its ``to``, ``constant`` or last table value;
        the model's own path in the decision year when the scenario leaves the lever alone).
    form : str or None
        The scenario's form for the lever (``step``, ``ramp`` ...), None when it leaves it alone.
    first_year : int or None
        The calendar year the scenario's own change acts from (None: not set by the scenario).
    spec : dict or None
        The scenario's entry for the lever (None: not set).
    editable : bool
        False for a lever the scenario sets as a growth rate (its level is not one number) or in a form
        the page does not know.
    """

    name: str
    low: float
    high: float
    step: float
    value: float
    form: str | None = None
    first_year: int | None = None
    spec: Any = None
    editable: bool = True

    @property
    def uncertainty(self):
        """The scenario's ``uncertainty:`` of the lever (kept when the level changes), or None."""
        return self.spec.get("uncertainty") if isinstance(self.spec, dict) else None


def policy_levers(model) -> list[str]:
    """Every policy lever of ``model``, in the order of :data:`innosd.indicators.LEVERS`.

    The programmes what-it-takes searches, the government R&D budget, and the plan targets and caps of each
    tier of the enterprise ladder; not the exogenous conditions (:data:`innosd.indicators.EXOGENOUS_LEVERS`).
    """
    return [n for n in LEVERS if n in model.lookups and n not in EXOGENOUS_LEVERS]


def controls(scenario, model, year: int) -> list[LeverControl]:
    """The controls of every policy lever of ``model`` for ``scenario`` with decision year ``year``."""
    out = []
    for name in policy_levers(model):
        low, high = model.lookup_limits.get(name) or (0.0, max(1.0, 4 * _default_at(model, name, year)))
        lever = scenario.levers.get(name)
        if lever is None:
            out.append(LeverControl(name, low, high, _step(low, high), _default_at(model, name, year)))
            continue
        spec = lever.spec
        form = lever.form
        editable = form in EDITABLE
        value = _level(spec, form) if editable else float(lever.y[-1])
        out.append(LeverControl(name, low, high, _step(low, high), value, form, lever.first_year, spec, editable))
    return out


def _default_at(model, name: str, year: int) -> float:
    x, y = model.lookups[name]
    return float(np.interp(year, np.asarray(x, float), np.asarray(y, float)))


def _step(low: float, high: float) -> float:
    """A round slider step of about 1/200 of the range (1 for counts from 0 to 200 and more)."""
    raw = (high - low) / 200.0
    if raw <= 0:
        return 1.0
    mag = 10 ** math.floor(math.log10(raw))
    return float(next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw))


def _level(spec: dict, form: str) -> float:
    body = spec[form]
    if form in ("step", "ramp"):
        return float(body["to"])
    if form in BY_YEAR:
        return float(body[max(body, key=float)])
    return float(body)


def parse_number(text) -> float:
    """A number typed in the page: full-width digits, thousands separators and spaces are accepted.

    Raises
    ------
    ValueError
        When ``text`` is not a finite number.
    """
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        value = float(text)
    else:
        s = unicodedata.normalize("NFKC", str(text if text is not None else "")).strip()
        s = s.replace(",", "").replace("，", "").replace(" ", "")
        value = float(s)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def entry(control: LeverControl, value: float, year: int) -> dict:
    """The scenario entry (``levers:`` YAML) that gives ``control``'s lever the level ``value``."""
    v = plain(value)
    spec = control.spec
    if control.form is None:
        out = {"step": {"year": int(year), "to": v}}
    elif control.form in ("step", "ramp"):
        out = {control.form: {**spec[control.form], "to": v}}
    elif control.form == "constant":
        out = {"constant": v}
    else:  # table / steps: the values from the decision year on (every value when they are all the same)
        body = {int(k): float(x) for k, x in spec[control.form].items()}
        if len(set(body.values())) == 1:
            table = {k: v for k in body}
        else:
            table = {k: (v if k >= year else plain(x)) for k, x in body.items()}
            table[int(year)] = v
        out = {control.form: dict(sorted(table.items()))}
    if control.uncertainty is not None:
        out["uncertainty"] = control.uncertainty
    return out


def plain(value: float) -> float | int:
    """``value`` as YAML shows it best: a whole number as an int, else ten significant digits."""
    v = float(value)
    return int(v) if v.is_integer() and abs(v) < 1e15 else float(f"{v:.10g}")


@dataclass
class Applied:
    """The outcome of :func:`apply`: the scenario to run, the changed entries, and a message per bad control."""

    scenario: Any
    entries: dict[str, dict]
    errors: dict[str, str]
    year_error: str | None = None

    @property
    def ok(self) -> bool:
        """True when every control holds a valid value."""
        return not self.errors and self.year_error is None


def parse_year(text, scenario) -> int:
    """The decision year typed in the page, inside the scenario's horizon (ValueError otherwise)."""
    year = parse_number(text)
    if not year.is_integer() or not scenario.start < year <= scenario.end:
        raise ValueError(text)
    return int(year)


def apply(scenario, model, year_text, values: dict[str, Any], lang: str = "zh") -> Applied:
    """The opened ``scenario`` with the levers set to ``values`` (name -> typed text or number).

    Parameters
    ----------
    scenario : innosd.scenario.Scenario
        The scenario opened in the page.
    model : CompiledModel
        Its compiled model (lever tables and ranges).
    year_text : str or int
        The decision year as typed.
    values : dict
        Lever name -> the value typed or set with the slider; levers not given keep the scenario's value.
    lang : {"zh", "en"}
        Language of the messages.

    Returns
    -------
    Applied
        ``scenario`` is None when a value is bad; ``errors`` maps each bad lever to its message.
    """
    try:
        year = parse_year(year_text, scenario)
    except ValueError:
        return Applied(None, {}, {}, tx.t("bad_year", lang, low=scenario.start + 1, high=scenario.end))
    entries, errors, paths = {}, {}, {}
    for c in controls(scenario, model, year):
        if c.name not in values or not c.editable:
            continue
        try:
            v = parse_number(values[c.name])
        except ValueError:
            errors[c.name] = tx.t("bad_number", lang)
            continue
        if not c.low - 1e-12 <= v <= c.high + 1e-12:
            errors[c.name] = tx.t("out_of_range", lang, low=f"{c.low:g}", high=f"{c.high:g}")
            continue
        if abs(v - c.value) <= SAME * max(1.0, abs(c.value)):
            continue
        spec = entry(c, v, year)
        try:
            paths[c.name] = parse_lever("explorer", f"levers.{c.name}", spec, model.lookups[c.name],
                                        model.lookup_limits.get(c.name), scenario.start, scenario.end)
        except InputError as exc:
            errors[c.name] = f"{exc.problem}; {exc.fix}"
            continue
        entries[c.name] = spec
    if errors:
        return Applied(None, entries, errors)
    return Applied(changed(scenario, entries, paths), entries, {})


def changed(scenario, entries: dict[str, dict], paths: dict):
    """A copy of ``scenario`` with the lever ``entries`` (parsed into ``paths``) in place of its own."""
    if not entries:
        return scenario
    raw = dict(scenario.raw)
    levers = {k: v for k, v in (raw.get("levers") or {}).items() if resolve_lever(k) not in entries}
    raw["levers"] = {**levers, **entries}
    text = scenario.text + "\n# changed in the explorer:\n" + yaml.safe_dump(
        {"levers": entries}, allow_unicode=True, sort_keys=False)
    return dataclasses.replace(scenario, levers={**scenario.levers, **paths}, raw=raw, text=text,
                               sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())


def scenario_yaml(name: str, base, entries: dict[str, dict], year: int, base_year: int,
                  description: str = "") -> str:
    """The text of a scenario file that ``extends`` the opened scenario with the changed lever ``entries``.

    Parameters
    ----------
    name : str
        The new scenario's name (its file name without ``.yaml``).
    base : innosd.scenario.Scenario
        The opened scenario (a file in the scenarios folder).
    entries : dict
        Lever name -> entry (:func:`entry`).
    year, base_year : int
        The decision year set in the page and the opened scenario's; written as ``decision_year:``
        when they differ and scenario files have that key.
    description : str
        The planner's description (default: one naming the base and the changes).
    """
    from .. import scenario as scenario_module
    from .workspace import MARK

    stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    changes = "; ".join(f"{n} {tx.describe(e, 'en')}" for n, e in entries.items()) or "no lever changed"
    default = f"{base.name} with changes made in the explorer: {changes}"
    doc: dict[str, Any] = {"name": name, "extends": base.path.name, "description": description.strip() or default}
    if year != base_year and "decision_year" in scenario_module.TOP_LEVEL_KEYS:
        doc["decision_year"] = int(year)
    body = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)
    if entries:
        body += "levers:\n" + "".join(
            f"  {n}: " + yaml.safe_dump(e, allow_unicode=True, default_flow_style=True, sort_keys=False,
                                        width=1000).strip() + "\n"
            for n, e in entries.items())
    return f"{MARK}, {stamp}, from {base.path.name}\n" + body
