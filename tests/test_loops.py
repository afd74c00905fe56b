"""Loops That Matter: link and loop scores on a textbook model, and loop dominance of a scenario."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import REPO

LOGISTIC = REPO / "tests" / "fixtures" / "logistic_growth.mdl"


@pytest.fixture(scope="module")
def logistic():
    from innosd.diagram.loops import named_loops
    from innosd.engine import compile_model
    from innosd.loops.scores import LinkScorer, loop_scores, relative_scores, simulate
    from innosd.structure import read_structure

    model = compile_model(LOGISTIC)
    structure = read_structure(LOGISTIC)
    loops = named_loops(structure)
    k = np.array([0.3, 0.5, 0.8])                     # three members with different growth rates
    run = simulate(model, 3, {"maximum_fractional_birth_rate": k}, {}, 40.0)
    scorer = LinkScorer(model, run)
    scorer.set_flows(structure)
    return run, loops, relative_scores(loop_scores(scorer, loops)), scorer


def test_logistic_has_one_reinforcing_and_one_balancing_loop(logistic):
    _, loops, _, _ = logistic
    assert [(lp.name, lp.polarity) for lp in loops] == [("R1", 1), ("B1", -1)]
    assert loops[1].variables == ("population", "fractional birth rate", "births")


def test_reinforcing_dominates_before_the_inflection_balancing_after(logistic):
    """The published dominance shift of the logistic model: growth loop before P = K/2, saturation after."""
    run, _, rel, _ = logistic
    r, b = rel[0], rel[1]                             # (members, steps)
    pop = run.values["population"][:, 1:]
    moving = np.abs(r) + np.abs(b) > 0                # (at the carrying capacity only rounding moves)
    before, after = pop < 450, (pop > 550) & (pop < 999) & moving
    assert np.all(r[before] > np.abs(b[before])) and np.all(r[before] > 0)
    assert after.sum() > 100 and np.all(np.abs(b[after]) > r[after]) and np.all(b[after] < 0)
    # the shift happens at the inflection point (half the carrying capacity), member by member
    for m in range(pop.shape[0]):
        switch = np.argmax(np.abs(b[m]) > r[m])
        assert pop[m, switch] == pytest.approx(500, rel=0.1)   # finite steps: up to 6% late for fast growth
    # relative scores: signs are the polarities, sizes sum to one while anything moves
    np.testing.assert_allclose((np.abs(r) + np.abs(b))[moving], 1.0, rtol=1e-9)


def test_link_scores_follow_the_definition(logistic):
    """Link score x -> z = |Δxz / Δz| * sign(Δxz / Δx), checked by hand on births = population x rate."""
    run, _, _, scorer = logistic
    v = run.values
    p, f, z = v["population"], v["fractional_birth_rate"], v["births"]
    d_pz = p[:, 1:] * f[:, :-1] - z[:, :-1]           # births with only population moved
    expected = np.abs(d_pz / np.diff(z, axis=1)) * np.sign(d_pz / np.diff(p, axis=1))
    ok = np.abs(np.diff(z, axis=1)) > 1e-9
    np.testing.assert_allclose(scorer.score("population", "births")[ok], expected[ok], rtol=1e-9)
    # a flow into its stock: +|f / net| (one inflow: exactly 1 while the stock moves)
    s = scorer.score("births", "population")
    np.testing.assert_allclose(s[np.abs(np.diff(p, axis=1)) > 1e-9], 1.0)
    # the balancing link: a higher population lowers the fractional birth rate
    assert np.all(scorer.score("population", "fractional_birth_rate")[ok] < 0)


@pytest.fixture(scope="module")
def plan2022(model):
    from innosd.loops.dominance import loop_dominance
    from innosd.scenario import load_scenario

    sc = load_scenario(REPO / "scenarios" / "tianjin-2022-plan.yaml")
    return loop_dominance(sc, model, samples=40, seed=5)


def test_dominance_table_covers_every_targeted_indicator(plan2022):
    from innosd.loops.dominance import ALL, COLUMNS, periods

    t = plan2022.table
    assert list(t.columns) == list(COLUMNS)
    targeted = list(dict.fromkeys(x.indicator for x in plan2022.scenario.targets))
    assert plan2022.indicators == targeted
    assert set(t.indicator) | set(plan2022.without_loops) == set(targeted)
    assert set(t.structure) >= {ALL}
    assert t.polarity.isin(["reinforcing", "balancing", "undetermined"]).all()
    # a loop's median relative score has its polarity's sign (or is zero)
    sign = np.sign(t.relative_score)
    assert ((t.polarity != "reinforcing") | (sign >= 0)).all()
    assert ((t.polarity != "balancing") | (sign <= 0)).all()
    assert ((t.dominant_share >= 0) & (t.dominant_share <= 1)).all()
    per = periods(t)
    assert set(per.indicator) <= set(targeted) and (per.start <= per.end).all()
    # loop names are the diagram's: every loop named in the table is one of the model's named loops
    names = {lp.name: lp for lp in plan2022.loops}
    for r in t.drop_duplicates("loop").itertuples():
        assert r.path == " → ".join(names[r.loop].variables + names[r.loop].variables[:1])


def test_goal_seeking_loop_drives_lingjun_while_the_plan_target_is_in_force(plan2022):
    """The goal-seeking push drives 领军 while the plan target is in force.

    In the goal-seeking structure the push towards the 2022 target (a balancing loop through the published
    register) is what moves cumulative 领军 recognitions in the plan's first years, and nothing once the plan
    has ended; in the fixed-share structure it never acts.
    """
    t = plan2022.table
    lj = t[(t.indicator == "lingjun")]
    goal = lj[(lj.structure == "goal_seeking") & (lj["rank"] == 1)]
    # the fixture's 40 members (seed 5) include goal-seeking ones (a third of the weight): none would test nothing
    assert not goal.empty, "no goal-seeking member drawn: the test would check nothing"
    first = goal[goal.year.between(2020, 2021)]
    assert len(first) == 2 and first.path.str.contains("lingjun goal pressure").all()
    assert (first.polarity == "balancing").all()
    push = lj.path.str.contains("lingjun goal pressure")
    assert not lj[push & (lj.year >= 2024) & (lj.structure != "fixed_share")].relative_score.abs().gt(1e-9).any()
    assert not lj[push & (lj.structure == "fixed_share")].relative_score.abs().gt(1e-9).any()


def test_loops_command_writes_csv_and_chart(tmp_path, capsys):
    from innosd.cli import main

    rc = main(["loops", str(REPO / "scenarios" / "tianjin-2027-plan.yaml"), "--samples", "20", "--out", str(tmp_path)])
    assert rc == 0
    out = capsys.readouterr().out
    assert "tech_smes" in out and "no feedback loop drives it" in out
    table = pd.read_csv(tmp_path / "loops.csv")
    assert {"structure", "indicator", "year", "loop", "polarity", "relative_score"} <= set(table.columns)
    assert (tmp_path / "loops.png").stat().st_size > 10_000


def test_loops_command_bad_input_is_one_line(tmp_path, capsys):
    from innosd.cli import main

    rc = main(["loops", str(tmp_path / "missing.yaml")])
    err = capsys.readouterr().err
    assert rc == 2 and len(err.strip().splitlines()) == 1 and "fix:" in err


def test_loops_named_in_the_model_readme_are_current():
    """The README's loop names are the loop finder's.

    The hand-written table of the loops the plans rely on (model/README.md) names each loop as the loop finder
    does (R…/B… shortest first within each polarity, up to the length `innosd loops` scores).
    """
    import re

    from innosd.diagram.loops import named_loops
    from innosd.loops.dominance import MAX_LENGTH
    from innosd.structure import read_structure

    text = (REPO / "model" / "README.md").read_text(encoding="utf-8")
    table = text.split("## Loops the plans rely on", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| ([RB]\d+) \| (reinforcing|balancing) \| ([^|]+) \|", table, re.MULTILINE)
    assert len(rows) >= 8
    loops = {lp.name: lp for lp in named_loops(read_structure(REPO / "model" / "tianjin_innovation.mdl"),
                                               max_length=MAX_LENGTH)}
    for name, kind, path in rows:
        lp = loops[name]
        assert lp.kind == kind, name
        assert " → ".join(lp.variables + lp.variables[:1]) == path.strip(), name
    # and the names the README's generated list uses are the same loops (the shorter bound keeps the numbering)
    short = {lp.name: lp.variables for lp in named_loops(read_structure(REPO / "model" / "tianjin_innovation.mdl"))}
    assert all(loops[n].variables == v for n, v in short.items())
