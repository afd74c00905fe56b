"""The model's Vensim sketch and its pictures: complete, one arrow per dependency, no overlaps, never stale.

The checks below read the structure from the equations and the diagram from the sketch, and
compare the two independently of how the diagram was planned. Tests that lay a diagram out need
Graphviz's ``dot`` (Debian package ``graphviz``); they skip, saying so, where it is missing.
"""

from __future__ import annotations

import shutil
from itertools import combinations

import numpy as np
import pytest

from conftest import REPO, SHARED

MDL = REPO / "model" / "tianjin_innovation.mdl"
SAMPLES = SHARED / "conformance" / "samples"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None,
                               reason="Graphviz's 'dot' is not installed (apt-get install graphviz)")


def _drawn(structure):
    return {n for n, e in structure.items() if e.kind not in ("control", "time")}


def check_sketch(structure, sketch):
    """Assert that ``sketch`` draws exactly the equations in ``structure`` (see the module notes)."""
    drawn = _drawn(structure)
    home, info_arrows, pipes = {}, [], set()
    for view in sketch.views:
        by_id = view.by_id()
        ids = [it.id for it in view.items] + [a.id for a in view.arrows]
        assert len(ids) == len(set(ids)), f"{view.title}: an id is used twice"
        names = [it.name for it in view.items if it.type == "variable" and not it.shadow]
        shadows = [it.name for it in view.items if it.type == "variable" and it.shadow]
        assert len(names) == len(set(names)), f"{view.title}: a variable is drawn twice"
        assert len(shadows) == len(set(shadows)), f"{view.title}: a shadow variable is drawn twice"
        assert not set(names) & set(shadows), f"{view.title}: a variable is also its own shadow"
        for it in view.items:
            if it.type == "variable" and it.shadow:
                assert "128-128-128" in it.style, f"{it.name}: shadow variable not marked grey"
            elif it.type == "variable":
                assert (it.role == "stock") == (structure[it.name].kind == "stock"), it.name
        for n in names:
            assert n not in home, f"{n} is defined in views {home[n]!r} and {view.title!r}"
            home[n] = view.title
        flows = view.valve_flows()
        assert len(flows) == sum(it.type == "valve" for it in view.items), f"{view.title}: a valve has no flow name"
        for a in view.arrows:
            assert a.src in by_id and a.dst in by_id, f"{view.title}: arrow {a.id} joins a missing element"
            src, dst = by_id[a.src], by_id[a.dst]
            if a.pipe:
                assert src.type == "valve" and (dst.type == "cloud" or dst.role == "stock"), a
                if dst.type == "variable":
                    flow, stock = flows[src.id].name, dst.name
                    assert flow in (structure[stock].inflows if a.head else structure[stock].outflows), (flow, stock)
                    pipes.add((flow, stock))
            else:
                cause, effect = view.variable_at(a.src), view.variable_at(a.dst)
                assert cause and effect, f"{view.title}: arrow {a.id} does not join two variables"
                assert not (dst.type == "variable" and dst.shadow), f"arrow into shadow {effect}"
                info_arrows.append((cause, effect))
    assert set(home) == drawn, f"missing {sorted(drawn - set(home))[:5]}, unknown {sorted(set(home) - drawn)[:5]}"
    for view in sketch.views:
        for it in view.items:
            if it.type == "variable" and it.shadow:
                defined_elsewhere = it.name in home and home[it.name] != view.title
                assert defined_elsewhere or structure[it.name].kind in ("time", "control"), it.name
    deps = {(c, e) for e in drawn for c in structure[e].causes if c != e}
    assert len(info_arrows) == len(set(info_arrows)), "a dependency has two information arrows"
    assert not set(info_arrows) & pipes, "a flow has both a pipe and an arrow into the same stock"
    assert set(info_arrows) | pipes == deps, (f"missing {sorted(deps - set(info_arrows) - pipes)[:5]}, "
                                             f"not in the equations {sorted((set(info_arrows) | pipes) - deps)[:5]}")


def check_no_overlaps(sketch):
    for view in sketch.views:
        for a, b in combinations(view.items, 2):
            assert (a.x, a.y) != (b.x, b.y), f"{view.title}: {a.name or a.type} and {b.name or b.type} share a position"
            l1, t1, r1, b1 = a.box
            l2, t2, r2, b2 = b.box
            assert r1 <= l2 or r2 <= l1 or b1 <= t2 or b2 <= t1, \
                f"{view.title}: {a.name or a.type} overlaps {b.name or b.type}"


@pytest.fixture(scope="module")
def committed():
    from innosd.diagram.sketch import read_sketch
    from innosd.structure import read_structure

    return read_structure(MDL), read_sketch(MDL)


def test_committed_sketch_draws_every_equation_once(committed):
    structure, sketch = committed
    assert [v.title for v in sketch.views] == ["Economy and R&D", "Invention patents", "Incubation",
                                               "Enterprise ladder", "National high-tech enterprises",
                                               "Technology market"]
    check_sketch(structure, sketch)


def test_committed_sketch_has_no_overlaps_and_marks_every_loop(committed):
    from innosd.diagram.loops import named_loops

    structure, sketch = committed
    check_no_overlaps(sketch)
    marks = sorted(it.name for v in sketch.views for it in v.items if it.type == "comment")
    assert marks == sorted(lp.name for lp in named_loops(structure))


def test_committed_sketch_is_not_stale():
    from innosd.diagram.build import stale

    assert stale(MDL) == [], "the sketch in the model file is stale: run `innosd describe --write`"


def test_sketch_text_round_trips(committed):
    from innosd.diagram.sketch import format_sketch, read_sketch_text

    _, sketch = committed
    assert format_sketch(sketch) == read_sketch_text(MDL)


@pytest.mark.slow
def test_pysd_reads_the_sketched_file_with_the_same_equations_and_results(tmp_path):
    """The sketch changes nothing PySD builds: same equations, same run, and one PySD module per view."""
    import json

    import pysd
    from pysd.translators.vensim.vensim_file import VensimFile

    from innosd.diagram.sketch import split_model_text

    head, _, tail = split_model_text(MDL.read_text(encoding="utf-8"))
    bare = tmp_path / "bare.mdl"
    bare.write_text(head + tail, encoding="utf-8")
    shutil.copy(MDL, tmp_path / "sketched.mdl")

    def eqs(p):
        vf = VensimFile(p)
        vf.parse()
        return [(c.name, c.expression, c.units, c.documentation) for c in vf.sections[0].components]
    assert eqs(tmp_path / "sketched.mdl") == eqs(bare)
    a = pysd.read_vensim(str(tmp_path / "sketched.mdl")).run()
    b = pysd.read_vensim(str(bare)).run()
    assert a.equals(b)
    split = pysd.read_vensim(str(tmp_path / "sketched.mdl"), split_views=True)
    c = split.run()
    assert np.array_equal(c[a.columns].to_numpy(), a.to_numpy())
    modules = json.loads((tmp_path / "modules_sketched" / "_modules.json").read_text())
    assert len(modules) == 6 and sum(len(v) for v in modules.values()) == len(set().union(*modules.values()))


@needs_dot
@pytest.mark.parametrize("sample", ["teacup", "SIR", "Lotka_Volterra", "simple_harmonic_oscillator"])
def test_generator_is_generic(tmp_path, sample):
    """Any model PySD reads gets a complete, overlap-free sketch, and PySD's results do not change."""
    import pysd

    from innosd.diagram import build
    from innosd.diagram.sketch import format_sketch, read_sketch, write_sketch_text
    from innosd.structure import read_structure

    src = next((SAMPLES / sample).glob("*.mdl"))
    before = pysd.read_vensim(str(shutil.copy(src, tmp_path / "before.mdl"))).run()
    mdl = tmp_path / "model.mdl"
    shutil.copy(src, mdl)
    old_head = src.read_text(encoding="utf-8").split("\\\\\\---///")[0]
    write_sketch_text(mdl, format_sketch(build.build_sketch(build.load(mdl))))
    assert mdl.read_text(encoding="utf-8").startswith(old_head), "equations changed"
    structure, sketch = read_structure(mdl), read_sketch(mdl)
    check_sketch(structure, sketch)
    check_no_overlaps(sketch)
    assert build.stale(mdl) == []
    after = pysd.read_vensim(str(mdl)).run()
    assert after.equals(before)


@needs_dot
def test_a_changed_equation_makes_the_sketch_stale_until_regenerated(tmp_path):
    from innosd.diagram import build
    from innosd.diagram.sketch import format_sketch, write_sketch_text

    mdl = tmp_path / MDL.name
    text = MDL.read_text(encoding="utf-8")
    old = "tech smes=\n\tsme pool + chuying\n"
    assert old in text
    mdl.write_text(text.replace(old, "tech smes=\n\tsme pool + chuying + dengling\n"), encoding="utf-8")
    problems = build.stale(mdl)
    assert problems and any("dengling" in p and "arrows" in p for p in problems), problems
    write_sketch_text(mdl, format_sketch(build.build_sketch(build.load(mdl))))
    assert build.stale(mdl) == []


def test_pictures_are_drawn_from_the_current_sketch():
    from innosd.diagram import build
    from innosd.diagram.sketch import read_sketch_text

    stamp = build.fingerprint(build.load(MDL), read_sketch_text(MDL))
    for name, path in build.picture_paths(MDL).items():
        assert path.is_file(), f"{name} is missing: run `innosd describe --write`"
        assert build.picture_stamp(path) == stamp, f"{name} is stale: run `innosd describe --write`"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_labels_in_the_picture_do_not_overlap_and_fit_their_boxes(committed, lang):
    """Render the diagram and measure every label as drawn."""
    import matplotlib.pyplot as plt

    from innosd.diagram import build
    from innosd.diagram.draw import arrange, draw_sketch

    structure, sketch = committed
    info = build.load(MDL)
    fig = draw_sketch(sketch, structure, lang, zh=info.zh, titles=info.titles_zh)
    ax = fig.axes[0]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    inv = ax.transData.inverted()
    boxes = []
    for t in ax.texts:
        gid = t.get_gid() or ""
        if not gid.startswith(("label:", "loop:")):
            continue
        (x0, y0), (x1, y1) = inv.transform(t.get_window_extent(renderer).get_points())
        boxes.append((gid, min(x0, x1) + 0.4, min(y0, y1) + 0.4, max(x0, x1) - 0.4, max(y0, y1) - 0.4))
    plt.close(fig)
    assert len(boxes) > 150
    for (g1, *a), (g2, *b) in combinations(boxes, 2):
        assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], f"{g1} overlaps {g2} ({lang})"
    # every variable's label lies inside the box the sketch gives it
    offsets = {v.title: (dx, dy) for v, dx, dy in arrange(sketch)}
    slack = 2.0
    for view in sketch.views:
        dx, dy = offsets[view.title]
        for it in view.items:
            if it.type != "variable":
                continue
            mine = [b for g, *b in boxes if g == f"label:{it.name}"
                    and it.x - it.w - slack <= (b[0] + b[2]) / 2 - dx <= it.x + it.w + slack
                    and it.y - it.h - slack <= (b[1] + b[3]) / 2 - dy <= it.y + it.h + slack]
            assert mine, f"{it.name}: label not drawn in its box ({lang})"
            for b in mine:
                assert b[0] - dx >= it.x - it.w - slack and b[2] - dx <= it.x + it.w + slack, f"{it.name} too wide"
