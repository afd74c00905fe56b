"""Units as base units with rational exponents: parsing (``patents/(yiyuan*Year)``), algebra, printing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

DIMENSIONLESS = {"dmnl", "dimensionless", "fraction", "percent", "%", "1", "unitless", "nd"}
ALIASES = {"years": "Year", "year": "Year", "yr": "Year", "yrs": "Year", "Years": "Year",
           "months": "Month", "month": "Month", "days": "Day", "day": "Day"}


class UnitsSyntaxError(ValueError):
    """A units string that cannot be parsed."""


# --------------------------------------------------------------------------- units algebra
@dataclass(frozen=True)
class Units:
    """Base-unit exponents, e.g. firms/Year = {'firms': 1, 'Year': -1}. ``free`` marks a bare number."""

    dims: tuple = ()
    free: bool = False

    @staticmethod
    def of(d: dict, free: bool = False) -> "Units":
        """Units from a mapping base unit -> exponent (zero exponents dropped)."""
        return Units(tuple(sorted((k, Fraction(v)) for k, v in d.items() if v != 0)), free)

    @property
    def d(self) -> dict:
        """The exponents as a dict."""
        return dict(self.dims)

    @property
    def dimensionless(self) -> bool:
        """True when no base unit is left."""
        return not self.dims

    def __mul__(self, other: "Units") -> "Units":
        d = self.d
        for k, v in other.dims:
            d[k] = d.get(k, 0) + v
        return Units.of(d, self.free and other.free)

    def __truediv__(self, other: "Units") -> "Units":
        return self * other ** -1

    def __pow__(self, p) -> "Units":
        p = Fraction(p).limit_denominator(1000)
        return Units.of({k: v * p for k, v in self.dims}, self.free)

    def same(self, other: "Units") -> bool:
        """Equal dimensions (a bare number's freedom ignored)."""
        return self.dims == other.dims

    def __str__(self) -> str:
        return format_units(self.d)


NUMBER = Units((), free=True)
DMNL = Units(())


def format_units(d: dict) -> str:
    """``{'firms': 1, 'Year': -1}`` -> ``firms/Year``; ``{}`` -> ``Dmnl``."""
    def term(k, v):
        v = abs(v)
        return k if v == 1 else f"{k}^{v}" if v.denominator == 1 else f"{k}^({v})"

    num = [term(k, v) for k, v in sorted(d.items()) if v > 0]
    den = [term(k, v) for k, v in sorted(d.items()) if v < 0]
    if not num and not den:
        return "Dmnl"
    top = "*".join(num) if num else "1"
    if not den:
        return top
    return f"{top}/{den[0]}" if len(den) == 1 else f"{top}/({'*'.join(den)})"


_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?)"
                    r"|(?P<name>[A-Za-z_$%\u0080-\uffff][\w$%\u0080-\uffff]*)"
                    r"|(?P<op>[*/^()]))")


def parse_units(text: str) -> Units:
    """Parse a Vensim units string; a range suffix such as ``Year [0,?]`` is dropped."""
    s = re.sub(r"\[.*\]\s*$", "", str(text)).strip()
    if not s:
        raise UnitsSyntaxError("empty units")
    tokens, pos = [], 0
    while pos < len(s):
        m = _TOKEN.match(s, pos)
        if not m or m.end() == pos:
            raise UnitsSyntaxError(f"cannot read units {text!r} at {s[pos:]!r}")
        pos = m.end()
        kind = m.lastgroup
        tokens.append((kind, m.group(kind)))
        if pos < len(s) and not s[pos:].strip():
            break
    parser = _UnitsParser(tokens, text)
    u = parser.expr()
    if parser.i != len(tokens):
        raise UnitsSyntaxError(f"cannot read units {text!r}")
    return Units(u.dims)


class _UnitsParser:
    def __init__(self, tokens, text):
        self.t, self.i, self.text = tokens, 0, text

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else (None, None)

    def take(self):
        tok = self.peek()
        self.i += 1
        return tok

    def expr(self) -> Units:
        u = self.power()
        while self.peek()[1] in ("*", "/"):
            op = self.take()[1]
            v = self.power()
            u = u * v if op == "*" else u / v
        return u

    def power(self) -> Units:
        u = self.atom()
        if self.peek()[1] == "^":
            self.take()
            sign = 1
            if self.peek()[1] == "(":
                self.take()
                kind, val = self.take()
                if self.peek()[1] == "/":
                    self.take()
                    _, den = self.take()
                    val = Fraction(val) / Fraction(den)
                if self.take()[1] != ")":
                    raise UnitsSyntaxError(f"unbalanced parentheses in {self.text!r}")
            else:
                kind, val = self.take()
                if kind != "num":
                    raise UnitsSyntaxError(f"exponent must be a number in {self.text!r}")
            u = u ** (sign * Fraction(val))
        return u

    def atom(self) -> Units:
        kind, val = self.take()
        if val == "(":
            u = self.expr()
            if self.take()[1] != ")":
                raise UnitsSyntaxError(f"unbalanced parentheses in {self.text!r}")
            return u
        if kind == "num":
            if Fraction(val) != 1:
                raise UnitsSyntaxError(f"only the number 1 may stand in units, in {self.text!r}")
            return DMNL
        if kind == "name":
            if val.lower() in DIMENSIONLESS:
                return DMNL
            return Units.of({ALIASES.get(val, val): 1})
        raise UnitsSyntaxError(f"cannot read units {self.text!r}")
