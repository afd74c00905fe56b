"""Engine arrays: subscripted models against element runs, vector functions, allocation, API."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innosd.engine import compile_model
from innosd.engine.errors import ParameterError

CONTROL = """
FINAL TIME = 30 ~ Day ~ |
INITIAL TIME = 0 ~ Day ~ |
SAVEPER = 1 ~ Day ~ |
TIME STEP = 0.25 ~ Day ~ |
"""

SIR = """{UTF-8}
Population = 1000 ~ People ~ |
Infectivity = 0.3 ~ 1/Day ~ |
Duration = 5 ~ Day ~ |
Susceptible = INTEG(-Succumbing, Population - 5) ~ People ~ |
Infectious = INTEG(Succumbing - Recovering, 5) ~ People ~ |
Recovered = INTEG(Recovering, 0) ~ People ~ |
Succumbing = Susceptible * Infectious / Population * Infectivity ~ People/Day ~ |
Recovering = DELAY1(Infectious / Duration, 1) ~ People/Day ~ |
Peak = SMOOTH3(Infectious, 2) ~ People ~ |
"""

SIR_ARRAYS = """{UTF-8}
Region: %(elements)s ~ ~ |
Population[Region] = 1000 ~ People ~ |
Infectivity[Region] = 0.3 ~ 1/Day ~ |
Duration[Region] = 5 ~ Day ~ |
Susceptible[Region] = INTEG(-Succumbing[Region], Population[Region] - 5) ~ People ~ |
Infectious[Region] = INTEG(Succumbing[Region] - Recovering[Region], 5) ~ People ~ |
Recovered[Region] = INTEG(Recovering[Region], 0) ~ People ~ |
Succumbing[Region] = Susceptible[Region] * Infectious[Region] / Population[Region]
    * Infectivity[Region] ~ People/Day ~ |
Recovering[Region] = DELAY1(Infectious[Region] / Duration[Region], 1) ~ People/Day ~ |
Peak[Region] = SMOOTH3(Infectious[Region], 2) ~ People ~ |
Total Infectious = SUM(Infectious[Region!]) ~ People ~ |
Least Infectious = VMIN(Infectious[Region!]) ~ People ~ |
Most Infectious = VMAX(Infectious[Region!]) ~ People ~ |
Product = PROD(Duration[Region!] / 5 + Infectious[Region!] / 1000) ~ ~ |
"""


def _elements(prefix, k):
    return ", ".join("%s%d" % (prefix, i + 1) for i in range(k))


def _compile(tmp_path, body, name="m.mdl"):
    path = tmp_path / name
    path.write_text(body + CONTROL)
    return compile_model(path)


@pytest.fixture(scope="module")
def scalar_sir(tmp_path_factory):
    return _compile(tmp_path_factory.mktemp("sir"), SIR)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(k=st.integers(1, 5), seed=st.integers(0, 2**31 - 1))
def test_k_independent_copies_equal_k_scalar_runs(tmp_path_factory, scalar_sir, k, seed):
    """A model over k regions is k copies of the scalar model, element by element."""
    model = SIR_ARRAYS % {"elements": _elements("r", k)}
    arrays = _compile(tmp_path_factory.mktemp("sir_k"), model)
    rng = np.random.default_rng(seed)
    params = {"population": rng.uniform(500, 5000, k), "infectivity": rng.uniform(0.05, 0.9, k),
              "duration": rng.uniform(0.5, 10, k)}
    res = arrays.run(params=params)
    ref = scalar_sir.run(params=params)  # k members of the scalar model
    for name in ("susceptible", "infectious", "recovered", "succumbing", "recovering", "peak"):
        assert res[name].shape == (1, len(res.time), k)
        np.testing.assert_allclose(res[name][0], ref[name].T, rtol=1e-13, atol=1e-12,
                                   err_msg=name)
    infectious = res["infectious"][0]
    np.testing.assert_allclose(res["total_infectious"][0], infectious.sum(axis=1), rtol=1e-12)
    np.testing.assert_array_equal(res["least_infectious"][0], infectious.min(axis=1))
    np.testing.assert_array_equal(res["most_infectious"][0], infectious.max(axis=1))
    factors = params["duration"] / 5 + infectious / 1000
    np.testing.assert_allclose(res["product"][0], factors.prod(axis=1), rtol=1e-12)


@pytest.fixture(scope="module")
def sir3(tmp_path_factory):
    return _compile(tmp_path_factory.mktemp("sir3"), SIR_ARRAYS % {"elements": _elements("r", 3)})


def test_per_member_subscripted_params_equal_single_runs(sir3):
    rng = np.random.default_rng(3)
    infectivity = rng.uniform(0.1, 0.6, (4, 3))
    ens = sir3.run(params={"Infectivity": infectivity, "duration": [2.0, 5.0, 9.0]},
                   chunk_size=3)
    assert ens["infectious"].shape == (4, 31, 3)
    for i in range(4):
        one = sir3.run(params={"infectivity": infectivity[i], "duration": [2.0, 5.0, 9.0]})
        for name in one.keys():
            np.testing.assert_array_equal(ens[name][i], one[name][0], err_msg=name)


def test_subscripted_parameter_shapes_are_checked(sir3):
    with pytest.raises(ParameterError, match=r"\(n, 3\)"):
        sir3.run(params={"infectivity": np.ones(4)})
    res = sir3.run(params={"infectivity": 0.1})  # one value for every element
    np.testing.assert_array_equal(res["infectious"][0, :, 0], res["infectious"][0, :, 2])


def test_results_name_elements_as_vensim_does(sir3):
    res = sir3.run(n=2, outputs=["Infectious", "Total Infectious"])
    frame = res.to_frame(1)
    assert list(frame.columns) == ["Infectious[r1]", "Infectious[r2]", "Infectious[r3]",
                                   "Total Infectious"]
    np.testing.assert_array_equal(frame["Infectious[r2]"], res["infectious"][1, :, 1])
    np.testing.assert_array_equal(res["Infectious[r3]"], res["infectious"][:, :, 2])
    ds = res.to_xarray()
    assert ds["infectious"].dims == ("member", "time", "Region")
    assert list(ds["Region"].values) == ["r1", "r2", "r3"]
    assert sir3.variables["infectious"].subscripts == {"Region": ["r1", "r2", "r3"]}
    assert sir3.constants["duration"].shape == (3,)


ALIGN = """{UTF-8}
A: a1, a2, a3 ~ ~ |
B: b1, b2 ~ ~ |
Sub: a2, a3 ~ ~ |
C: c1, c2 -> B ~ ~ |
X[A, B] = 1, 2; 3, 4; 5, 6 ~ ~ |
Transposed[B, A] = X[A, B] * Time ~ ~ |
Up[A, B] = Y[A] ~ ~ |
Y[A] = 10, 20, 30 ~ ~ |
Picked[B] = X[a2, B] + Y[a3] ~ ~ |
Part[Sub] = Y[Sub] + 1 ~ ~ |
Mapped[A, B] = Z[A, C] ~ ~ |
Z[A, c1] = X[A, b1] * 100 ~ ~ |
Z[A, c2] = X[A, b2] * 1000 ~ ~ |
Exc[A, B] :EXCEPT: [a1, b2] = X[A, B] ~ ~ |
Exc[a1, b2] = -1 ~ ~ |
Rank[A] = VECTOR RANK(Y[A], 0) ~ ~ |
Total[B] = SUM(X[A!, B]) ~ ~ |
"""


@pytest.fixture(scope="module")
def align(tmp_path_factory):
    return _compile(tmp_path_factory.mktemp("align"), ALIGN)


def test_transposition_updimensioning_selection_mapping_except(align):
    res = align.run(outputs=align.output_names("all"))
    x = np.array([[1, 2], [3, 4], [5, 6]], dtype=float)
    np.testing.assert_array_equal(res["transposed"][0], x.T[None] * res.time[:, None, None])
    np.testing.assert_array_equal(res["up"][0, 0], [[10, 10], [20, 20], [30, 30]])
    np.testing.assert_array_equal(res["picked"][0, 0], x[1] + 30)
    np.testing.assert_array_equal(res["part"][0, 0], [21, 31])
    np.testing.assert_array_equal(res["z"][0, 0], np.c_[x[:, 0] * 100, x[:, 1] * 1000])
    np.testing.assert_array_equal(res["mapped"][0, 0], res["z"][0, 0])
    np.testing.assert_array_equal(res["exc"][0, 0], [[1, -1], [3, 4], [5, 6]])
    np.testing.assert_array_equal(res["rank"][0, 0], [3, 2, 1])
    np.testing.assert_array_equal(res["total"][0, 0], x.sum(axis=0))


ALLOC = """{UTF-8}
Who: %(elements)s ~ ~ |
Request[Who] = 1 ~ ~ |
Priority[Who] = 1 ~ ~ |
Profile: ptype, ppriority, pwidth, pextra ~ ~ |
Profiles[Who, Profile] = 1 ~ ~ |
Supply = 1 ~ ~ |
Width = 1 ~ ~ |
By Priority[Who] = ALLOCATE BY PRIORITY(Request[Who], Priority[Who], ELMCOUNT(Who), Width,
    Supply) ~ ~ |
Available[Who] = ALLOCATE AVAILABLE(Request[Who], Profiles[Who, ptype], Supply) ~ ~ |
"""


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(k=st.integers(1, 6), seed=st.integers(0, 2**31 - 1), kind=st.sampled_from([1, 2, 3, 4]))
def test_allocations_conserve_supply(tmp_path_factory, k, seed, kind):
    """Each gets at most its request, nothing negative, and supply is used up to the total."""
    cm = _compile(tmp_path_factory.mktemp("alloc"), ALLOC % {"elements": _elements("w", k)})
    rng = np.random.default_rng(seed)
    n = 5
    request = rng.choice([0.0, 1.0], (n, k), p=[0.2, 0.8]) * rng.uniform(0, 10, (n, k))
    profiles = np.stack([np.full((n, k), float(kind)), rng.uniform(0, 10, (n, k)),
                         rng.uniform(0.5, 5, (n, k)), np.zeros((n, k))], axis=-1)
    supply = rng.uniform(0, 1.2, n) * request.sum(axis=1)
    res = cm.run(params={"request": request, "priority": rng.uniform(0, 10, (n, k)),
                         "width": rng.uniform(0.5, 5, n), "supply": supply,
                         "profiles": profiles}, final_time=0)
    for name in ("by_priority", "available"):
        got = res[name][:, 0]
        assert np.all(got >= -1e-12) and np.all(got <= request + 1e-9), name
        np.testing.assert_allclose(got.sum(axis=1), np.minimum(supply, request.sum(axis=1)),
                                   rtol=1e-9, atol=1e-9, err_msg=name)


RANDOM = """{UTF-8}
Region: (r1-r3) ~ ~ |
U[Region] = RANDOM UNIFORM(-1, 2, 0) ~ ~ |
N = RANDOM NORMAL(-1, 1, 0, 0.5, 3) ~ ~ |
E[Region] = RANDOM EXPONENTIAL(0, 5, 1, 2, 0) ~ ~ |
Z = RANDOM 0 1() ~ ~ |
Acc[Region] = INTEG(U[Region], 0) ~ ~ |
"""


def test_random_functions_draw_per_member_from_the_seed(tmp_path):
    cm = _compile(tmp_path, RANDOM)
    a, b, c = (cm.run(n=2000, seed=s) for s in (7, 7, 8))
    for name in a.keys():
        np.testing.assert_array_equal(a[name], b[name], err_msg=name)
        assert not np.array_equal(a[name], c[name]), name
    u, nrm, e, z = a["u"], a["n"], a["e"], a["z"]
    assert u.shape == (2000, 31, 3) and nrm.shape == (2000, 31)
    assert u.min() >= -1 and u.max() <= 2 and abs(u.mean() - 0.5) < 0.02
    assert nrm.min() >= -1 and nrm.max() <= 1 and abs(nrm.mean()) < 0.02
    assert e.min() >= 1 and e.max() <= 5 and z.min() >= 0 and z.max() <= 1
    # members and elements are independent draws
    assert abs(np.corrcoef(u[:, 5, 0], u[:, 5, 1])[0, 1]) < 0.1
    assert np.unique(u[:, 5, 0]).size == 2000


DATA_MODEL = """{UTF-8}
Region: north, south ~ ~ |
Demand[Region] :INTERPOLATE: ~ ~ |
Level == 3 ~ ~ |
Stock[Region] = INTEG(Demand[Region] * Level, 0) ~ ~ |
"""


def test_data_variables_read_from_data_files(tmp_path):
    (tmp_path / "series.tab").write_text(
        "Time\tDemand[north]\tDemand[south]\n0\t1\t10\n10\t2\t30\n30\t2\t30\n")
    path = tmp_path / "data.mdl"
    path.write_text(DATA_MODEL + CONTROL)
    cm = compile_model(path, data_files=[tmp_path / "series.tab"])
    res = cm.run()
    assert cm.variables["demand"].kind == "data"
    np.testing.assert_allclose(res["demand"][0, :11, 0], 1 + np.arange(11) / 10)
    np.testing.assert_allclose(res["demand"][0, 10:, 1], 30)
    assert res["stock"][0, 1, 1] == pytest.approx(0.25 * 3 * (10 + 10.5 + 11 + 11.5))
