"""Global sensitivity of a scenario's targets: Sobol' indices and Morris screening (SALib).

Factors
-------
* every calibrated parameter of ``calibration/parameters.yaml`` that the scenario does not fix;
  its range is, with ``ranges="auto"`` (the default), the 1st-99th percentile of the posterior
  draws in ``calibration/posterior.csv`` when that file exists, else the prior range low-high
  of ``parameters.yaml`` (``ranges="prior"`` or ``"posterior"`` force one of them). A parameter
  with a loguniform prior (and a positive range) is sampled uniformly in log space, the others
  uniformly. The box of marginal posterior ranges ignores posterior correlations: it spans more
  combinations than the posterior supports, so read posterior-range indices as "what the
  remaining uncertainty of each parameter could do", not as a variance decomposition of the
  posterior predictive;
* each uncertain parameter the scenario declares: ``{low, high}`` replaces the range above,
  ``{scale: [lo, hi]}`` is an extra factor ``scale:<name>`` multiplying the value;
* each lever with an ``uncertainty`` in the scenario: one factor ``lever:<name>``, the shift or
  scale drawn once per member (as in :meth:`innosd.levers.LeverPath.sample`).

Outputs
-------
For each target of the scenario, ``<id>`` is the quantity the target compares (the indicator,
or its change since ``change_since``) at its deadline, and ``<id>:met`` is the 0/1 indicator
that the target is met. ``<indicator>@<year>`` is an indicator at a year (``every_year`` adds
them for every year of each targeted indicator). An output that does not vary over the sample
(e.g. a target met by every member) has no indices: its rows are NaN and it is listed in
``df.attrs["constant_outputs"]``.

All samples go through the ensemble engine in one ``model.run`` call (the engine chunks).
The CLI command ``innosd sensitivity`` is a thin layer over :func:`sobol` and :func:`morris`.
"""

from __future__ import annotations

import time as _time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from . import paths
from .errors import InputError
from .indicators import INDICATORS

SOBOL_COLUMNS = ["output", "parameter", "S1", "S1_conf", "ST", "ST_conf"]
MORRIS_COLUMNS = ["output", "parameter", "mu_star", "mu_star_conf", "sigma"]
RANGES = ("auto", "prior", "posterior")


# --------------------------------------------------------------------------- factors
@dataclass(frozen=True)
class Factor:
    """One input varied by the analysis. ``low``/``high`` are in the parameter's own units."""

    name: str        # name shown in results: parameter name, 'lever:<lever>' or 'scale:<parameter>'
    kind: str        # 'parameter', 'scale' or 'lever'
    target: str      # model constant or lever name
    low: float
    high: float
    log: bool        # sampled uniformly in log space
    source: str      # where the range comes from
    mode: str = ""   # for levers: 'shift' or 'scale'

    @property
    def bounds(self) -> list[float]:
        """Bounds in sampling coordinates (log for ``log``)."""
        return [float(np.log(self.low)), float(np.log(self.high))] if self.log else [self.low, self.high]

    def to_natural(self, x: np.ndarray) -> np.ndarray:
        return np.exp(x) if self.log else x


def read_priors(path: Path | None = None) -> dict:
    """name -> {low, high, prior, default, ...} from calibration/parameters.yaml."""
    path = Path(path or paths.PARAMETERS_YAML)
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return dict(data.get("parameters") or {})


def factors(scenario, model, ranges: str = "auto", posterior: Path | None = None,
            priors: dict | None = None) -> tuple[list[Factor], str]:
    """The factors of a scenario and a one-line description of where their ranges come from."""
    if ranges not in RANGES:
        raise InputError("--ranges", "", f"unknown range source {ranges!r}", "use auto, prior or posterior")
    priors = read_priors() if priors is None else priors
    post_path = Path(posterior or paths.CALIBRATION / "posterior.csv")
    use_post = ranges == "posterior" or (ranges == "auto" and post_path.is_file())
    if use_post and not post_path.is_file():
        raise InputError(str(post_path), "", "no posterior to take ranges from",
                         "run `innosd calibrate` first, or use --ranges prior")
    post = pd.read_csv(post_path) if use_post else None
    out: list[Factor] = []
    fixed = set(scenario.parameters)
    declared = {up.name: up for up in scenario.uncertain_parameters if not up.scale}
    n_post = 0
    for name, spec in priors.items():
        if name not in model.constants or name in fixed or name in declared:
            continue
        lo, hi = float(spec["low"]), float(spec["high"])
        source = "parameters.yaml low-high"
        if post is not None and name in post.columns:
            col = post[name].to_numpy(float)
            col = col[np.isfinite(col)]
            if col.size:
                lo, hi = (float(v) for v in np.quantile(col, [0.01, 0.99]))
                source = "posterior 1st-99th percentile"
                n_post += 1
        if not hi > lo:
            continue  # pinned by the posterior: nothing to vary
        log = str(spec.get("prior", "uniform")).lower() == "loguniform" and lo > 0
        out.append(Factor(name, "parameter", name, lo, hi, log, source))
    for up in scenario.uncertain_parameters:
        if up.high <= up.low:
            continue
        if up.scale:
            out.append(Factor(f"scale:{up.name}", "scale", up.name, up.low, up.high, False,
                              "scenario (scale of the value)"))
        else:
            out.append(Factor(up.name, "parameter", up.name, up.low, up.high, False, "scenario low-high"))
    for name, lever in scenario.levers.items():
        if lever.uncertainty:
            kind, lo, hi = lever.uncertainty
            if hi > lo:
                out.append(Factor(f"lever:{name}", "lever", name, lo, hi, False,
                                  f"scenario lever uncertainty ({kind})", kind))
    if not out:
        raise InputError(str(scenario.path), "parameters", "nothing uncertain to analyse",
                         "declare uncertain parameters or lever uncertainties in the scenario")
    if use_post:
        label = (f"posterior {post_path.name}: 1st-99th percentiles for {n_post} parameters"
                 + (" (others from parameters.yaml)" if n_post < sum(f.kind == 'parameter' for f in out) else ""))
    else:
        label = "parameters.yaml low-high (prior ranges; no posterior used)"
    return out, label


def problem(fs: list[Factor]) -> dict:
    """SALib problem definition (bounds in sampling coordinates)."""
    return {"num_vars": len(fs), "names": [f.name for f in fs], "bounds": [f.bounds for f in fs]}


# --------------------------------------------------------------------------- outputs
@dataclass(frozen=True)
class Output:
    name: str
    indicator: str
    year: int
    target: object = None   # a scenario Target or None
    met: bool = False


def resolve_outputs(scenario, outputs=None, every_year: bool = False) -> list[Output]:
    """Output specs from names: target ids, '<id>:met', '<indicator>@<year>'; None = every target."""
    by_id = {t.id: t for t in scenario.targets}
    specs: list[Output] = []
    if outputs is None:
        if not scenario.targets:
            raise InputError(str(scenario.path), "targets", "the scenario has no targets to analyse",
                             "pass --output INDICATOR --year YEAR")
        for t in scenario.targets:
            specs += [Output(t.id, t.indicator, t.year, t), Output(f"{t.id}:met", t.indicator, t.year, t, True)]
    else:
        for name in ([outputs] if isinstance(outputs, str) else outputs):
            name = str(name)
            if name in by_id:
                t = by_id[name]
                specs.append(Output(name, t.indicator, t.year, t))
            elif name.endswith(":met") and name[:-4] in by_id:
                t = by_id[name[:-4]]
                specs.append(Output(name, t.indicator, t.year, t, True))
            elif "@" in name:
                ind, _, year = name.partition("@")
                if ind not in INDICATORS:
                    import difflib

                    close = difflib.get_close_matches(ind, list(INDICATORS), n=3)
                    raise InputError("--output", "", f"unknown indicator {ind!r}",
                                     "did you mean " + " or ".join(close) + "?" if close
                                     else "use an indicator name such as tech_contract_turnover")
                try:
                    y = int(year)
                except ValueError:
                    raise InputError("--year", "", f"{year!r} is not a year", "write a year such as 2027") from None
                if not scenario.start <= y <= scenario.end:
                    raise InputError("--year", "", f"{y} is outside the horizon {scenario.start}..{scenario.end}",
                                     f"use a year from {scenario.start} to {scenario.end}")
                specs.append(Output(f"{ind}@{y}", ind, y))
            else:
                raise InputError("--output", "", f"unknown output {name!r}",
                                 "use a target id (" + ", ".join(by_id) + "), '<id>:met' or INDICATOR@YEAR")
    if every_year:
        for ind in dict.fromkeys(s.indicator for s in specs):
            for y in range(scenario.start + 1, scenario.end + 1):
                specs.append(Output(f"{ind}@{y}", ind, y))
    return list({s.name: s for s in specs}.values())


# --------------------------------------------------------------------------- running
def _inputs(scenario, model, fs: list[Factor], X: np.ndarray) -> tuple[dict, dict]:
    """Engine params and lookups for sample matrix ``X`` (n, D) in natural units."""
    n = X.shape[0]
    params: dict = {k: float(v) for k, v in scenario.parameters.items()}
    for j, f in enumerate(fs):
        if f.kind == "parameter":
            params[f.target] = X[:, j].copy()
    for j, f in enumerate(fs):
        if f.kind == "scale":
            base = params.get(f.target, model.constants[f.target])
            params[f.target] = np.asarray(base, float) * X[:, j]
    lookups = {}
    for name, lever in scenario.levers.items():
        lookups[name] = (lever.x, lever.y)
    for j, f in enumerate(fs):
        if f.kind == "lever":
            lever = scenario.levers[f.target]
            y = np.broadcast_to(lever.y, (n, lever.y.size)).copy()
            acting = lever.x >= lever.acts_from
            u = X[:, j][:, None]
            y[:, acting] = y[:, acting] + u if f.mode == "shift" else y[:, acting] * u
            if lever.limits is not None:
                y = np.clip(y, *lever.limits)
            lookups[f.target] = (lever.x, y)
    return params, lookups


def evaluate(scenario, model, fs: list[Factor], X: np.ndarray, specs: list[Output],
             log: bool = False) -> dict[str, np.ndarray]:
    """Run every row of ``X`` (natural units) in one engine call; output name -> values (n,).

    ``log``: values (not met indicators) are replaced by their natural log when all are positive.
    """
    params, lookups = _inputs(scenario, model, fs, X)
    variables = list(dict.fromkeys(INDICATORS[s.indicator].variable for s in specs))
    res = model.run(n=X.shape[0], params=params, lookups=lookups, final_time=float(scenario.end),
                    outputs=variables)
    time = np.asarray(res.time)

    def col(ind: str, year: float) -> np.ndarray:
        i = int(np.argmin(np.abs(time - year)))
        return np.asarray(res[INDICATORS[ind].variable])[:, i]

    out = {}
    for s in specs:
        y = col(s.indicator, s.year)
        t = s.target
        if t is not None and t.change_since is not None:
            y = y - col(s.indicator, t.change_since)
        if s.met:
            y = (y >= t.value if t.comparison == ">=" else y <= t.value).astype(float)
        elif log and np.all(y > 0):
            y = np.log(y)
        out[s.name] = y
    return out


def _sample_natural(fs: list[Factor], Xs: np.ndarray) -> np.ndarray:
    X = np.empty_like(Xs, dtype=float)
    for j, f in enumerate(fs):
        X[:, j] = f.to_natural(Xs[:, j])
    return X


def _prepare(scenario, model, outputs, every_year, ranges, posterior):
    if isinstance(scenario, (str, Path)):
        from .scenario import load_scenario

        scenario = load_scenario(scenario, model)
    if model is None:
        from .model import load_model

        model = load_model(scenario.model_path)
    fs, label = factors(scenario, model, ranges, posterior)
    specs = resolve_outputs(scenario, outputs, every_year)
    return scenario, model, fs, label, specs


def _attrs(df, method, scenario, fs, label, seed, n, n_runs, seconds, constant, log=False):
    df.attrs.update({"log": bool(log),
        "method": method, "scenario": scenario.name, "ranges": label, "seed": seed, "n": n,
        "n_runs": n_runs, "seconds": seconds, "constant_outputs": constant,
        "factors": [asdict(f) for f in fs],
    })
    return df


def _analyse_outputs(specs, Y: dict, prob: dict, analyze, columns: list[str], sort_by: str):
    """Rows of indices for every output, sorted by ``sort_by``; NaN rows for an output that is
    constant or not finite (returned in the second list when constant)."""
    rows, constant = [], []
    for s in specs:
        y = Y[s.name]
        if not np.all(np.isfinite(y)) or np.ptp(y) == 0:
            if np.all(np.isfinite(y)):
                constant.append(s.name)
            rows += [dict({c: np.nan for c in columns[2:]}, output=s.name, parameter=name)
                     for name in prob["names"]]
            continue
        part = pd.DataFrame({"output": s.name, "parameter": prob["names"], **analyze(y)})
        rows += part.sort_values(sort_by, ascending=False).to_dict("records")
    return rows, constant


def sobol(scenario, model=None, n: int = 512, outputs=None, seed: int | None = None,
          every_year: bool = False, ranges: str = "auto", num_resamples: int = 100,
          conf_level: float = 0.95, posterior: Path | None = None, log: bool = False) -> pd.DataFrame:
    """First-order and total Sobol' indices of each output with respect to each factor.

    ``scenario`` is a Scenario or a path; ``n`` the base sample (a power of two), giving
    ``n * (D + 2)`` runs for D factors (Saltelli's scheme, no second-order indices);
    ``seed`` defaults to the scenario's. Returns a DataFrame with columns output, parameter,
    S1, S1_conf, ST, ST_conf (confidence half-widths at ``conf_level``), sorted by ST within
    each output; ``df.attrs`` holds the factors, their range source and the run count.
    ``log=True`` analyses the natural log of each (positive) value output: for outputs spread
    over orders of magnitude, whose variance the largest values would otherwise dominate.
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    if n < 2 or n & (n - 1):
        raise InputError("--n", "", f"{n} is not a power of two", "use a power of two such as 256, 512 or 1024")
    t0 = _time.perf_counter()
    scenario, model, fs, label, specs = _prepare(scenario, model, outputs, every_year, ranges, posterior)
    seed = scenario.seed if seed is None else int(seed)
    prob = problem(fs)
    Xs = sobol_sample.sample(prob, n, calc_second_order=False, scramble=True, seed=seed)
    Y = evaluate(scenario, model, fs, _sample_natural(fs, Xs), specs, log)
    def analyze(y):
        r = sobol_analyze.analyze(prob, y, calc_second_order=False, num_resamples=num_resamples,
                                  conf_level=conf_level, print_to_console=False, seed=seed)
        return {k: r[k] for k in SOBOL_COLUMNS[2:]}

    rows, constant = _analyse_outputs(specs, Y, prob, analyze, SOBOL_COLUMNS, "ST")
    df = pd.DataFrame(rows, columns=SOBOL_COLUMNS)
    return _attrs(df, "sobol", scenario, fs, label, seed, n, len(Xs), _time.perf_counter() - t0, constant, log)


def morris(scenario, model=None, n: int = 100, outputs=None, seed: int | None = None,
           every_year: bool = False, ranges: str = "auto", num_levels: int = 4,
           num_resamples: int = 1000, conf_level: float = 0.95,
           posterior: Path | None = None, log: bool = False) -> pd.DataFrame:
    """Morris elementary effects: ``n`` trajectories, ``n * (D + 1)`` runs.

    Returns columns output, parameter, mu_star, mu_star_conf, sigma (in the output's units
    per step of ``num_levels / (2 (num_levels - 1))`` of a factor's range), sorted by mu_star.
    """
    from SALib.analyze import morris as morris_analyze
    from SALib.sample import morris as morris_sample

    if n < 2:
        raise InputError("--n", "", f"{n} trajectories are too few", "use at least 2 (e.g. 50-200)")
    t0 = _time.perf_counter()
    scenario, model, fs, label, specs = _prepare(scenario, model, outputs, every_year, ranges, posterior)
    seed = scenario.seed if seed is None else int(seed)
    prob = problem(fs)
    Xs = morris_sample.sample(prob, n, num_levels=num_levels, seed=seed)
    Y = evaluate(scenario, model, fs, _sample_natural(fs, Xs), specs, log)
    def analyze(y):
        r = morris_analyze.analyze(prob, Xs, y, conf_level=conf_level, num_resamples=num_resamples,
                                   num_levels=num_levels, print_to_console=False, seed=seed)
        return {k: r[k] for k in MORRIS_COLUMNS[2:]}

    rows, constant = _analyse_outputs(specs, Y, prob, analyze, MORRIS_COLUMNS, "mu_star")
    df = pd.DataFrame(rows, columns=MORRIS_COLUMNS)
    return _attrs(df, "morris", scenario, fs, label, seed, n, len(Xs), _time.perf_counter() - t0, constant, log)


def over_time(scenario, model=None, indicators=None, method: str = "sobol", n: int | None = None,
              seed: int | None = None, ranges: str = "auto", years=None, **kwargs) -> pd.DataFrame:
    """Indices of indicators at every year (one engine pass): columns indicator, year + the method's.

    ``indicators`` defaults to the scenario's targeted indicators; ``years`` to start+1..end.
    """
    if isinstance(scenario, (str, Path)):
        from .scenario import load_scenario

        scenario = load_scenario(scenario, model)
    if isinstance(indicators, str):
        indicators = [indicators]
    indicators = indicators or list(dict.fromkeys(t.indicator for t in scenario.targets))
    years = list(years) if years is not None else list(range(scenario.start + 1, scenario.end + 1))
    names = [f"{ind}@{y}" for ind in indicators for y in years]
    fn = {"sobol": sobol, "morris": morris}.get(method)
    if fn is None:
        raise InputError("--method", "", f"unknown method {method!r}", "use sobol or morris")
    df = fn(scenario, model, n=n or (256 if method == "sobol" else 50), outputs=names, seed=seed,
            ranges=ranges, **kwargs)
    split = df["output"].str.rsplit("@", n=1, expand=True)
    out = df.assign(indicator=split[0], year=split[1].astype(int))
    out.attrs = dict(df.attrs)
    return out[["indicator", "year"] + list(df.columns)]


# --------------------------------------------------------------------------- reporting
def measure(df: pd.DataFrame) -> str:
    return "ST" if "ST" in df.columns else "mu_star"


def top_drivers(df: pd.DataFrame, k: int = 5) -> dict[str, pd.DataFrame]:
    """output -> its ``k`` largest rows by ST (Sobol) or mu_star (Morris), outputs with indices only."""
    m = measure(df)
    out = {}
    for name, rows in df.groupby("output", sort=False):
        rows = rows.dropna(subset=[m])
        if len(rows):
            out[name] = rows.sort_values(m, ascending=False).head(k)
    return out


def format_top(df: pd.DataFrame, k: int = 5) -> str:
    """The top drivers of each output as text (what the CLI prints)."""
    m = measure(df)
    lines = []
    const = df.attrs.get("constant_outputs", [])
    for name, rows in top_drivers(df, k).items():
        lines.append(f"{name}:")
        for r in rows.itertuples():
            if m == "ST":
                lines.append(f"  {r.parameter:<42} ST {r.ST:6.3f} ±{r.ST_conf:5.3f}   S1 {r.S1:6.3f} ±{r.S1_conf:5.3f}")
            else:
                lines.append(f"  {r.parameter:<42} mu* {r.mu_star:10.4g} ±{r.mu_star_conf:9.3g}   sigma {r.sigma:10.4g}")
    for name in const:
        lines.append(f"{name}: does not vary over the sample (no indices)")
    return "\n".join(lines)


def plot(df: pd.DataFrame, path: str | Path | None = None, top: int = 8, outputs=None):
    """Horizontal bars of ST (with S1) or mu_star (with its confidence) for the top drivers per output.

    ``outputs`` defaults to the outputs without '@' (deadline outputs), or all when there are none.
    Returns the matplotlib Figure; saved to ``path`` when given.
    """
    import matplotlib.pyplot as plt  # the backend is left alone: Agg headless, inline in notebooks

    m = measure(df)
    tops = top_drivers(df, top)
    names = list(outputs) if outputs is not None else [o for o in tops if "@" not in o] or list(tops)
    names = [o for o in names if o in tops]
    ncols = 2 if len(names) > 1 else 1
    nrows = max(1, -(-len(names) // ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(6.2 * ncols, 0.35 * top * nrows + 1.2 * nrows), squeeze=False)
    for ax, name in zip(axes.flat, names):
        rows = tops[name].iloc[::-1]
        yy = np.arange(len(rows))
        if m == "ST":
            ax.barh(yy, rows["ST"], xerr=rows["ST_conf"], color="tab:blue", alpha=0.85, label="total (ST)")
            ax.barh(yy, rows["S1"].clip(lower=0), height=0.45, color="tab:orange", label="first order (S1)")
            ax.set_xlim(0, max(1.0, float((rows["ST"] + rows["ST_conf"]).max()) * 1.05))
            ax.set_xlabel("Sobol' index (share of variance)")
        else:
            ax.barh(yy, rows["mu_star"], xerr=rows["mu_star_conf"], color="tab:blue", alpha=0.85, label="mu*")
            ax.set_xlabel("Morris mu* (output units)")
        ax.set_yticks(yy, rows["parameter"], fontsize=8)
        ax.set_title(name, fontsize=10)
        ax.grid(axis="x", alpha=0.3)
    for ax in list(axes.flat)[len(names):]:
        ax.axis("off")
    method = df.attrs.get("method", m)
    fig.suptitle(f"{df.attrs.get('scenario', '')}: {method} sensitivity, top {top} drivers "
                 f"({df.attrs.get('n_runs', '?')} runs)", fontsize=11)
    top_space = 1.0 - 0.62 / fig.get_figheight()  # room for the title and, under it, the legend
    if names:  # one legend for the figure, under the title: clear of every bar and label
        handles, labels = axes.flat[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="upper center", ncol=len(labels), fontsize=8, frameon=False,
                   bbox_to_anchor=(0.5, 1.0 - 0.3 / fig.get_figheight()))
    fig.tight_layout(rect=(0, 0, 1, top_space))
    if path is not None:
        fig.savefig(path, dpi=120)
        plt.close(fig)
    return fig


def plot_over_time(df: pd.DataFrame, indicator: str | None = None, top: int = 6, ax=None):
    """Lines of ST (or mu_star) by year for the ``top`` drivers (by their mean) of one indicator of
    :func:`over_time`'s table. Returns the matplotlib Figure."""
    import matplotlib.pyplot as plt

    m = measure(df)
    indicator = indicator or str(df["indicator"].iloc[0])
    sub = df[df["indicator"] == indicator]
    wide = sub.pivot(index="year", columns="parameter", values=m)
    keep = wide.mean().sort_values(ascending=False).index[:top]
    fig, ax = (plt.subplots(figsize=(7, 4)) if ax is None else (ax.figure, ax))
    for p in keep:
        ax.plot(wide.index, wide[p], marker="o", ms=3, label=p)
    ax.set_xlabel("year")
    ax.set_ylabel("total Sobol' index ST" if m == "ST" else "Morris mu*")
    ax.set_title(f"{indicator}: sensitivity over time", fontsize=11)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))  # beside the lines
    fig.tight_layout()
    return fig


def write(df: pd.DataFrame, out_dir: str | Path) -> tuple[Path, Path]:
    """``sensitivity_<method>.csv`` and ``.png`` in ``out_dir``; returns both paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    method = df.attrs.get("method", "sobol" if "ST" in df.columns else "morris")
    csv = out_dir / f"sensitivity_{method}.csv"
    png = out_dir / f"sensitivity_{method}.png"
    df.to_csv(csv, index=False, float_format="%.6g")
    plot(df, png)
    return csv, png
