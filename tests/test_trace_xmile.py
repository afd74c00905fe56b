"""Tracing causes and uses, link and loop polarity, Chinese names, and the XMILE export."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO

MDL = REPO / "model" / "tianjin_innovation.mdl"


@pytest.fixture(scope="module")
def structure():
    from innosd.structure import read_structure

    return read_structure(MDL)


def _names_in(lines):
    return [re.sub(r"^[│├└─ ]*", "", ln).split(" = ")[0].split("  (")[0].split(" (")[0] for ln in lines]


def _closure(start, step):
    seen, todo = set(), [start]
    while todo:
        n = todo.pop()
        for k in step(n):
            if k not in seen:
                seen.add(k)
                todo.append(k)
    return seen


def test_causes_tree_lists_the_inputs_down_to_constants(structure):
    from innosd.diagram.trace import tree

    lines = tree(structure, "tech smes")
    assert lines[0].startswith("tech smes = sme pool + chuying")
    direct = [n for ln, n in zip(lines, _names_in(lines), strict=True) if re.match(r"^[├└]── ", ln)]
    assert direct == ["sme pool", "chuying"]
    assert set(_names_in(lines)) == _closure("tech smes", lambda n: structure[n].causes) | {"tech smes"}
    assert any(ln.endswith("tech enterprises initial = 88000  [constant, firms]") for ln in lines)
    expanded = [n for ln, n in zip(lines, _names_in(lines), strict=True)
                if "(see above)" not in ln and structure[n].causes]
    assert len(expanded) == len(set(expanded)), "a variable was expanded twice"
    assert any(ln.strip("│├└─ ").startswith("sme pool  (see above)") for ln in lines), "loops must end"


def test_uses_tree_lists_what_a_variable_drives(structure):
    from innosd.diagram.trace import tree

    users = {n: {m for m, e in structure.items() if n in e.causes} for n in structure}
    lines = tree(structure, "knowledge stock", uses=True)
    direct = {n for ln, n in zip(lines, _names_in(lines), strict=True) if re.match(r"^[├└]── ", ln)}
    assert direct == {"knowledge depreciation", "knowledge index", "invention patent grants"}
    assert set(_names_in(lines)) == _closure("knowledge stock", users.__getitem__) | {"knowledge stock"}
    assert "tech contract turnover" in _names_in(lines)


def test_depth_limits_the_tree(structure):
    from innosd.diagram.trace import tree

    lines = tree(structure, "sme registrations", depth=1)
    assert len(lines) == 1 + len(structure["sme registrations"].causes)
    assert any("more cause" in ln for ln in lines)


def test_trace_command_accepts_vensim_python_and_chinese_names(capsys):
    from innosd.cli import main

    for name in ("knowledge stock", "knowledge_stock", "Knowledge Stock", "知识存量"):
        assert main(["trace", name, "--depth", "1"]) == 0
        out = capsys.readouterr().out
        assert out.splitlines()[0].startswith("knowledge stock (知识存量) = INTEG(rd expenditure")


def test_trace_of_an_unknown_name_is_one_line_with_did_you_mean(capsys):
    from innosd.cli import main

    assert main(["trace", "tech sme"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1
    assert "did you mean 'tech smes'" in captured.err
    assert main(["trace", "x", "--depth", "-1"]) == 2


# ---------------------------------------------------------------- polarity


def _ast(tree):
    from pysd.translators.structures import abstract_expressions as ae

    if isinstance(tree, (int, float)):
        return tree
    if isinstance(tree, str):
        return ae.ReferenceStructure(tree, None)
    op, a, b = tree
    if op in ("min", "max", "xidz"):
        args = (_ast(a), _ast(b)) + ((1.0,) if op == "xidz" else ())
        return ae.CallStructure(ae.ReferenceStructure(op, None), args)
    return ae.ArithmeticStructure([op], (_ast(a), _ast(b)))


def _eval(tree, env):
    if isinstance(tree, (int, float)):
        return float(tree)
    if isinstance(tree, str):
        return env[tree]
    op, a, b = tree
    x, y = _eval(a, env), _eval(b, env)
    return {"+": x + y, "*": x * y, "/": x / y, "min": min(x, y), "max": max(x, y), "xidz": x / y,
            "-": x - y}[op]


def _has_op(tree, ops) -> bool:
    return isinstance(tree, tuple) and (tree[0] in ops or _has_op(tree[1], ops) or _has_op(tree[2], ops))


def _has_leaf(tree, name) -> bool:
    return tree == name if not isinstance(tree, tuple) else _has_leaf(tree[1], name) or _has_leaf(tree[2], name)


_leaf = st.one_of(st.sampled_from(["x", "y"]), st.floats(0.5, 3.0))
_positive = st.recursive(_leaf, lambda sub: st.tuples(st.sampled_from(["+", "*", "/", "min", "max", "xidz"]), sub, sub),
                         max_leaves=6)


@settings(max_examples=200, deadline=None)
@given(_positive, st.booleans(), st.floats(0.5, 4.0), st.floats(0.5, 4.0))
def test_link_polarity_agrees_with_the_numerical_derivative(tree, negate, x, y):
    """Whenever a sign is read off an expression of positive quantities, the function moves that way.

    And a sign is read off whenever one is certain: an expression built only of +, *, min and max never falls
    as one of its positive inputs rises, so it gets +1 where x appears (-1 negated) and 0 where it does not.
    """
    from innosd.diagram.loops import expression_sign

    if negate:
        tree = ("-", 10.0, tree)
    sign = expression_sign(_ast(tree), "x", {})
    if not _has_op(tree, ("/", "xidz")):
        has_x = _has_leaf(tree, "x")
        assert sign == (0 if not has_x else -1 if negate else 1), (tree, sign)
    h = 1e-6
    diff = _eval(tree, {"x": x + h, "y": y}) - _eval(tree, {"x": x, "y": y})
    if sign in (1, -1):
        assert diff * sign >= -1e-12
    elif sign == 0:
        assert abs(diff) < 1e-12


def test_model_loops_have_the_polarity_of_their_design(structure):
    from innosd.diagram.loops import named_loops

    loops = named_loops(structure)
    by_vars = {frozenset(lp.variables): lp for lp in loops}
    assert by_vars[frozenset({"gdp", "gdp growth"})].polarity == 1
    for s, e in structure.items():
        if e.kind == "stock":
            for f in e.outflows:
                if frozenset({s, f}) in by_vars:
                    assert by_vars[frozenset({s, f})].polarity == -1, (s, f)
    # the technology market: certified firms buy technology, which lets more firms qualify
    market = [lp for lp in loops if {"tech contract turnover", "high tech eligibility", "high tech enterprises"}
              <= set(lp.variables) and "high tech expiries" not in lp.variables]
    assert market and all(lp.polarity == 1 for lp in market)
    # the knowledge engine (certified R&D -> knowledge -> firms -> certification) is longer than the README's bound
    engine = [lp for lp in named_loops(structure, max_length=20) if {"rd expenditure", "tech enterprise formation",
              "sme registrations", "high tech eligibility", "high tech enterprises"} <= set(lp.variables)
              and "high tech expiries" not in lp.variables and "high tech headroom" not in lp.variables
              and not any("cap" in v or "capacity" in v for v in lp.variables)]
    assert engine and all(lp.polarity == 1 for lp in engine)
    headroom = min((lp for lp in loops if "formation headroom" in lp.variables), key=lambda lp: len(lp.variables))
    assert headroom.polarity == -1 and set(headroom.variables) == {"tech enterprises unregistered", "tech enterprises",
                                                                   "formation headroom", "tech enterprise formation"}
    goal = [lp for lp in loops if "chuying goal pressure" in lp.variables and len(lp.variables) == 4]
    assert len(goal) == 1 and goal[0].polarity == -1
    reinforcing = [lp.name for lp in loops if lp.polarity == 1]
    assert reinforcing == [f"R{i}" for i in range(1, len(reinforcing) + 1)]


def test_every_drawn_variable_has_one_chinese_name(structure):
    from collections import Counter

    from innosd.diagram import names

    zh = names.chinese_names(structure, MDL)
    assert names.missing(structure, MDL) == []
    assert names.stale_entries(structure, MDL) == []
    twice = [v for v, k in Counter(zh.values()).items() if k > 1]
    assert not twice, f"Chinese names used twice: {twice}"
    assert zh["knowledge stock"] == "知识存量" and zh["lingjun active"] == "现有科技领军企业"


# ---------------------------------------------------------------- XMILE


@pytest.mark.slow
def test_xmile_export_runs_in_pysd_like_the_mdl(tmp_path, capsys):
    import shutil

    import pysd
    from lxml import etree

    from innosd.cli import main

    out = tmp_path / "tianjin.xmile"
    assert main(["export", "--xmile", str(out)]) == 0
    doc = etree.parse(str(out))
    ns = {"x": "http://docs.oasis-open.org/xmile/ns/XMILE/v1.0"}
    assert len(doc.xpath("//x:variables/x:stock", namespaces=ns)) == 19
    outflows = doc.xpath("//x:stock[@name='sme pool']/x:outflow/text()", namespaces=ns)
    assert outflows == ["chuying_promotions", "sme_exits"]
    assert doc.xpath("//x:aux[@name='knowledge index']/x:eqn/text()", namespaces=ns)[0].startswith("SAFEDIV(")
    assert len(doc.xpath("//x:views/x:view", namespaces=ns)) == 7
    assert doc.xpath("//x:gf[@name='gdp growth path']/x:yscale/@max", namespaces=ns) == ["0.2"]
    xm = pysd.read_xmile(str(out))
    shutil.copy(MDL, tmp_path / MDL.name)
    ve = pysd.read_vensim(str(tmp_path / MDL.name))
    a = ve.run()
    b = xm.run(return_timestamps=a.index.values)

    def key(c):
        return c.lower().replace("_", " ")
    cols = {key(c): c for c in b.columns}
    compared = 0
    for c in a.columns:
        if key(c) in ("saveper", "time step") or key(c) not in cols:
            continue
        np.testing.assert_allclose(b[cols[key(c)]].to_numpy(float), a[c].to_numpy(float), rtol=1e-9, atol=1e-9,
                                   err_msg=c)
        compared += 1
    assert compared >= 110


def test_xmile_export_refuses_a_builtin_xmile_lacks(tmp_path, capsys):
    from innosd.cli import main

    mdl = tmp_path / "pulse.mdl"
    mdl.write_text("x = PULSE(2, 1)\n~ Dmnl\n~ a pulse\n|\n"
                   "FINAL TIME = 4\n~ Year\n~\n|\nINITIAL TIME = 0\n~ Year\n~\n|\n"
                   "SAVEPER = 1\n~ Year\n~\n|\nTIME STEP = 1\n~ Year\n~\n|\n", encoding="utf-8")
    assert main(["export", "--xmile", str(tmp_path / "p.xmile"), "--model", str(mdl)]) == 2
    err = capsys.readouterr().err
    assert "x: uses PULSE, which XMILE cannot express" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "p.xmile").exists()
