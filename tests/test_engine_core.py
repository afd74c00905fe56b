"""Engine behaviour: ensembles, chunking, per-member parameters and lookups, errors, API."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innosd.engine import ParameterError, UnsupportedConstructError, compile_model, simulate_csv
from innosd.engine.simulate import run_pysd

CONTROL = """
FINAL TIME = 20 ~ Month ~ |
INITIAL TIME = 0 ~ Month ~ |
SAVEPER = 1 ~ Month ~ |
TIME STEP = 0.25 ~ Month ~ |
"""

TEACUP = """{UTF-8}
Characteristic Time = 10 ~ Minutes ~ |
Heat Loss to Room = (Teacup Temperature - Room Temperature) / Characteristic Time ~ F/Minute ~ |
Room Temperature = 70 ~ F ~ |
Teacup Temperature = INTEG(-Heat Loss to Room, 180) ~ F ~ |
"""

MIXED = """{UTF-8}
Input = 5 + STEP(10, 3) + RAMP(0.5, 2, 8) + PULSE(4, 2) ~ units ~ |
Delay Time = 3 ~ Month ~ |
Smooth Time = 2 ~ Month ~ |
Fixed Time = 2 ~ Month ~ |
Order = 3 ~ Dmnl ~ |
Effect Table( (0,0),(5,1),(10,4),(20,5) ) ~ Dmnl ~ |
Effect = Effect Table(Input) ~ Dmnl ~ |
Inline = WITH LOOKUP(Time, ((0,1),(10,2),(20,0))) ~ Dmnl ~ |
D1 = DELAY1(Input, Delay Time) ~ units ~ |
D3 = DELAY3I(Input, Delay Time, 2) ~ units ~ |
DN = DELAY N(Input, Delay Time, 1, Order) ~ units ~ |
DF = DELAY FIXED(Input, Fixed Time, 0) ~ units ~ |
S3 = SMOOTH3(Input, Smooth Time) ~ units ~ |
SN = SMOOTH N(Input, Smooth Time, Input, Order) ~ units ~ |
Tr = TREND(Input, Smooth Time, 0.1) ~ 1/Month ~ |
Stock = INTEG(Effect * Inline + D1 - Stock / Smooth Time, INITIAL(Input)) ~ units ~ |
Stock Start = INITIAL(Stock) ~ units ~ |
Ratio = XIDZ(Stock, D3 - 5, 1) + ZIDZ(DF, SN) + MODULO(Time, 3) + INTEGER(S3 / 3) ~ Dmnl ~ |
"""


def _write(tmp_path, body, name="m.mdl"):
    path = tmp_path / name
    path.write_text(body + CONTROL)
    return path


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    return compile_model(_write(tmp_path_factory.mktemp("mixed"), MIXED))


@pytest.fixture(scope="module")
def teacup_path(tmp_path_factory):
    return _write(tmp_path_factory.mktemp("teacup"), TEACUP, "teacup.mdl")


def test_metadata(mixed):
    assert mixed.control == {"initial_time": 0.0, "final_time": 20.0, "time_step": 0.25,
                             "saveper": 1.0}
    assert mixed.constants["delay_time"] == 3.0
    assert set(mixed.lookups) == {"effect_table", "inline"}
    assert mixed.stocks == ["stock"]
    info = mixed.variables["stock"]
    assert (info.name, info.kind, info.units) == ("Stock", "stock", "units")
    assert "INTEG" in info.expression
    assert mixed.variables["effect_table"].kind == "lookup"
    assert mixed.variables["order"].kind == "constant"


def test_identical_members_and_chunks_are_bitwise_equal(mixed):
    one = mixed.run()
    many = mixed.run(n=7, chunk_size=3)
    big = mixed.run(n=7, chunk_size=10_000)
    assert one.time.shape == (21,) and many["stock"].shape == (7, 21)
    for name in one.keys():
        np.testing.assert_array_equal(many[name], np.repeat(one[name], 7, axis=0), err_msg=name)
        np.testing.assert_array_equal(many[name], big[name], err_msg=name)


def test_initial_keeps_the_initial_value(mixed):
    res = mixed.run(n=2, params={"delay_time": [1.0, 4.0]})
    assert np.ptp(res["stock"][0]) > 0
    np.testing.assert_array_equal(res["stock_start"], np.repeat(res["stock"][:, :1], 21, axis=1))


def test_per_member_params_equal_single_runs(mixed):
    values = {"delay_time": [3.0, 0.5, 0.3], "smooth_time": [2.0, 0.3, 5.0],
              "fixed_time": [2.0, 0.1, 3.3], "order": [3, 2, 5]}
    ens = mixed.run(params=values, chunk_size=2)
    assert ens.n == 3
    for i in range(3):
        single = mixed.run(params={k: v[i] for k, v in values.items()})
        for name in single.keys():
            np.testing.assert_array_equal(ens[name][i], single[name][0], err_msg=name)


def test_per_member_lookups_equal_single_runs(mixed):
    x = np.array([0.0, 5.0, 10.0, 20.0])
    ys = np.array([[0.0, 1.0, 4.0, 5.0], [1.0, 1.0, 2.0, 3.0], [5.0, 0.0, 2.0, -1.0]])
    ens = mixed.run(lookups={"Effect Table": (x, ys), "inline": (x, ys[::-1])})
    for i in range(3):
        single = mixed.run(lookups={"effect_table": (x, ys[i]), "Inline": (x, ys[2 - i])})
        np.testing.assert_allclose(ens["stock"][i], single["stock"][0], rtol=1e-14)
        np.testing.assert_allclose(ens["effect"][i], single["effect"][0], rtol=1e-14)


def test_lookup_extrapolation_is_constant(tmp_path):
    cm = compile_model(_write(tmp_path, "{UTF-8}\nT((0,1),(5,3)) ~ ~ |\nY = T(Time - 5) ~ ~ |\n"))
    y = cm.run()["y"][0]
    assert y[0] == 1.0 and y[-1] == 3.0
    per_member = cm.run(lookups={"t": ([0, 5], [[1, 3], [2, 4]])})["y"]
    np.testing.assert_array_equal(per_member[:, 0], [1, 2])
    np.testing.assert_array_equal(per_member[:, -1], [3, 4])
    np.testing.assert_allclose(per_member[0], y)


def test_unknown_names_raise_keyerror_with_close_matches(mixed):
    with pytest.raises(KeyError, match="delay_time"):
        mixed.run(params={"delay_tme": 1.0})
    with pytest.raises(KeyError, match="Effect Table"):
        mixed.run(lookups={"Effect Tabel": ([0, 1], [0, 1])})
    with pytest.raises(KeyError, match="unknown output"):
        mixed.run(outputs=["stok"])


def test_names_accept_vensim_and_python(mixed):
    a = mixed.run(params={"Delay Time": 2.0}, outputs=["Stock", "D1"])
    b = mixed.run(params={"delay_time": 2.0}, outputs=["stock", "d1"])
    np.testing.assert_array_equal(a["Stock"], b["stock"])
    assert list(a.keys()) == ["stock", "d1"]


@pytest.mark.parametrize("equation,construct", [
    ("RANDOM POISSON(0, 10, 5, 1, 0, 1)", "RANDOM POISSON"),
    ("GET XLS DATA('data.xlsx', 'Sheet1', '1', 'B2')", "GET XLS"),
    ("VMAX(Time, 2)", "VMAX"),
])
def test_unsupported_construct_names_variable(tmp_path, equation, construct):
    path = _write(tmp_path, "{UTF-8}\nBad Variable = %s ~ ~ |\nOk = 1 ~ ~ |\n" % equation)
    with pytest.raises(UnsupportedConstructError) as err:
        compile_model(path)
    message = str(err.value)
    assert "Bad Variable" in message and construct in message and "m.mdl" in message


def test_results_exports(mixed):
    res = mixed.run(n=2, params={"delay_time": [1.0, 2.0]}, outputs=["Stock", "D1"])
    ds = res.to_xarray()
    assert ds["stock"].dims == ("member", "time") and ds["stock"].shape == (2, 21)
    frame = res.to_frame(member=1)
    assert list(frame.columns) == ["Stock", "D1"]
    np.testing.assert_array_equal(frame["D1"].to_numpy(), res["d1"][1])


def test_control_overrides(mixed):
    res = mixed.run(final_time=10, saveper=0.5, outputs=["stock"])
    assert res.time[0] == 0 and res.time[-1] == 10 and len(res.time) == 21
    full = mixed.run(outputs=["stock"])
    np.testing.assert_array_equal(res["stock"][0, ::2], full["stock"][0, :11])


@pytest.mark.slow
def test_simulate_csv_engines_agree(teacup_path):
    a = simulate_csv(teacup_path, engine="numpy")
    b = simulate_csv(teacup_path, engine="pysd")
    assert list(a.columns) == list(b.columns) and a.columns[0] == "Time"
    np.testing.assert_allclose(a.to_numpy(float), b.to_numpy(float), rtol=1e-12)


@pytest.fixture(scope="module")
def mixed_pysd(tmp_path_factory):
    import pysd

    tmp = tmp_path_factory.mktemp("mixed_pysd")
    path = _write(tmp, MIXED, "mixed.mdl")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pysd.read_vensim(str(path)), compile_model(path)


@pytest.mark.slow
@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(delay=st.floats(0.25, 6), smooth=st.floats(0.2, 6), fixed=st.floats(0.1, 5),
       order=st.integers(1, 4))
def test_property_matches_pysd(mixed_pysd, delay, smooth, fixed, order):
    model, cm = mixed_pysd
    params = {"delay_time": delay, "smooth_time": smooth, "fixed_time": fixed, "order": order}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = model.run(params=params)
    res = cm.run(params=params).to_frame()
    np.testing.assert_array_equal(res.index.to_numpy(), ref.index.to_numpy(float))
    for column in res.columns:
        np.testing.assert_allclose(res[column].to_numpy(), ref[column].to_numpy(float),
                                   rtol=1e-9, atol=1e-12, err_msg=column)


STATEFUL_EXTRAS = """{UTF-8}
Input = 5 + STEP(10, 3) + RAMP(0.5, 2, 8) ~ units ~ |
Average Time = 2 ~ Month ~ |
Horizon = 4 ~ Month ~ |
Forecasted = FORECAST(Input, Average Time, Horizon) ~ units ~ |
Sampled = SAMPLE IF TRUE(MODULO(Time, 3) = 0, Input, -1) ~ units ~ |
Warm = ACTIVE INITIAL(Input * 2, 1) ~ units ~ |
Stock = INTEG(Warm - Stock / 4, Warm) ~ units ~ |
"""


@pytest.mark.slow
def test_forecast_sample_if_true_active_initial_match_pysd(tmp_path):
    path = _write(tmp_path, STATEFUL_EXTRAS, "extras.mdl")
    ref = run_pysd(path, params={"average_time": 3.0})
    res = compile_model(path).run(params={"average_time": 3.0}).to_frame()
    assert res["Stock"].iloc[0] == 1.0  # ACTIVE INITIAL: the initial value starts the stock
    for column in res.columns:
        np.testing.assert_allclose(res[column].to_numpy(), ref[column].to_numpy(float),
                                   rtol=1e-9, atol=1e-12, err_msg=column)


def test_time_dependent_control_variables(tmp_path):
    body = ("{UTF-8}\nLimit = 12 ~ ~ |\nClock = Time * 2 ~ ~ |\nS = INTEG(1, 0) ~ ~ |\n"
            "FINAL TIME = IF THEN ELSE(Clock > Limit, Time, 20) ~ ~ |\n"
            "INITIAL TIME = 0 ~ ~ |\nSAVEPER = 1 ~ ~ |\nTIME STEP = 1 ~ ~ |\n")
    path = tmp_path / "ctl.mdl"
    path.write_text(body)
    cm = compile_model(path)
    assert cm.run().time[-1] == 7  # Clock > 12 from t = 7 on: the run stops there
    assert cm.run(params={"limit": 4}).time[-1] == 3
    with pytest.raises(ParameterError, match="FINAL TIME differs between members"):
        cm.run(params={"limit": [4.0, 12.0]})


def test_subscripted_unsupported_construct_is_one_line(tmp_path):
    path = _write(tmp_path, "{UTF-8}\nA: a1, a2 ~ ~ |\nX[A] = 1, 2 ~ ~ |\n"
                            "Mapped[A] = VECTOR ELM MAP(X[a1], 1) ~ ~ |\n")
    with pytest.raises(UnsupportedConstructError) as err:
        compile_model(path)
    message = str(err.value)
    assert "Mapped" in message and "VECTOR ELM MAP" in message and "\n" not in message


XMILE_TEACUP = """<?xml version="1.0" encoding="utf-8"?>
<xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
  <header><name>teacup</name></header>
  <sim_specs><start>0</start><stop>10</stop><dt>0.5</dt></sim_specs>
  <dimensions><dim name="Cup"><elem name="small"/><elem name="large"/></dim></dimensions>
  <model><variables>
    <stock name="Temperature"><dimensions><dim name="Cup"/></dimensions>
      <eqn>180</eqn><outflow>Heat_Loss</outflow></stock>
    <flow name="Heat_Loss"><dimensions><dim name="Cup"/></dimensions>
      <element subscript="small"><eqn>(Temperature[small] - Room) / 5</eqn></element>
      <element subscript="large"><eqn>(Temperature[large] - Room) / 20</eqn></element></flow>
    <aux name="Room"><eqn>70</eqn></aux>
  </variables></model>
</xmile>
"""


def test_simulate_takes_xmile_and_names_elements(tmp_path, capsys):
    from innosd.cli import main

    path = tmp_path / "teacup.xmile"
    path.write_text(XMILE_TEACUP)
    frame = simulate_csv(path)
    # names as written in the file (XMILE writes spaces as underscores), model order
    assert list(frame.columns) == ["Time", "Room", "Heat_Loss[small]", "Heat_Loss[large]",
                                   "Temperature[small]", "Temperature[large]"]
    assert frame["Temperature[small]"].iloc[1] == pytest.approx(180 - 0.5 * 110 / 5)
    assert frame["Temperature[large]"].iloc[1] == pytest.approx(180 - 0.5 * 110 / 20)
    assert main(["simulate", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ",".join(frame.columns) and len(out) == 22
