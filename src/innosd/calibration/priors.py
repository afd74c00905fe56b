"""Priors from calibration/parameters.yaml and the coordinates the fit works in.

Three coordinates for a parameter with range [low, high]:

* ``x``: the model constant itself.
* ``u`` in [0, 1]: the prior's CDF, ``(x - low) / (high - low)`` for a uniform prior and
  ``(log x - log low) / (log high - log low)`` for a loguniform one. The prior is flat in ``u``.
* ``z = logit(u)``, unbounded: the MCMC samples here. The prior density in ``z`` is
  ``u (1 - u)`` (the Jacobian), so ``log prior(z) = sum(log u + log(1 - u))`` up to a constant.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import paths

KINDS = ("uniform", "loguniform")


@dataclass(frozen=True)
class Priors:
    """The calibrated parameters' priors, one entry per parameter in the order of ``names``.

    Every prior is uniform in ``x`` or in ``log x`` over ``[low, high]`` (see the module docstring for the
    three coordinates ``x``, ``u`` and ``z``). Arrays below are shape ``(p,)``.

    Attributes
    ----------
    names : tuple of str
        The model constants' Python names, as in parameters.yaml.
    low, high : numpy.ndarray
        Range of each parameter, in the parameter's own unit (``units``).
    log : numpy.ndarray of bool
        True where the prior is loguniform.
    default : numpy.ndarray
        The value used when a parameter is not sampled (parameters.yaml ``default``, else the midpoint).
    units : tuple of str
        Each parameter's unit as written in parameters.yaml ('' when none); empty tuple when not read.
    why : tuple of str
        Each parameter's ``why`` note (the reasoning behind its range); empty tuple when not read.
    """

    names: tuple[str, ...]
    low: np.ndarray
    high: np.ndarray
    log: np.ndarray      # bool: loguniform
    default: np.ndarray
    units: tuple[str, ...] = ()  # each parameter's unit as written in parameters.yaml ('' when none)
    why: tuple[str, ...] = ()    # each parameter's 'why' note (the reasoning behind its range)

    @property
    def p(self) -> int:
        """Number of parameters."""
        return len(self.names)

    # ---------------------------------------------------------------- u <-> x
    def _lo_hi(self):
        lo = np.where(self.log, np.log(np.where(self.log, self.low, 1.0)), self.low)
        hi = np.where(self.log, np.log(np.where(self.log, self.high, 1.0)), self.high)
        return lo, hi

    def to_x(self, u: np.ndarray) -> np.ndarray:
        """Model constants from prior-CDF coordinates.

        Parameters
        ----------
        u : numpy.ndarray, shape (..., p)
            Prior CDF values in [0, 1].

        Returns
        -------
        numpy.ndarray, shape (..., p)
            The model constants ``x`` in each parameter's unit.
        """
        lo, hi = self._lo_hi()
        v = lo + np.asarray(u, float) * (hi - lo)
        return np.where(self.log, np.exp(np.where(self.log, v, 0.0)), v)

    def to_u(self, x: np.ndarray) -> np.ndarray:
        """Prior-CDF coordinates of model constants (the inverse of :meth:`to_x`).

        Parameters
        ----------
        x : numpy.ndarray, shape (..., p)
            Model constants in each parameter's unit; non-positive values of a loguniform parameter are
            floored at 1e-300 before the log.

        Returns
        -------
        numpy.ndarray, shape (..., p)
            ``u``; inside [0, 1] when ``x`` is inside the range, outside it otherwise (not clipped).
        """
        lo, hi = self._lo_hi()
        x = np.asarray(x, float)
        v = np.where(self.log, np.log(np.where(self.log, np.maximum(x, 1e-300), 1.0)), x)
        return (v - lo) / (hi - lo)

    # ---------------------------------------------------------------- z <-> u
    @staticmethod
    def u_of_z(z: np.ndarray) -> np.ndarray:
        """Logistic map from the sampler's unbounded ``z`` (any shape) to ``u`` in (0, 1), same shape."""
        return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, float)))  # logistic, overflow-free

    @staticmethod
    def z_of_u(u: np.ndarray) -> np.ndarray:
        """Logit map from ``u`` (any shape) to ``z``, same shape; ``u`` is clipped to [1e-12, 1 - 1e-12] first."""
        u = np.clip(np.asarray(u, float), 1e-12, 1 - 1e-12)
        return np.log(u) - np.log1p(-u)

    def to_x_from_z(self, z):
        """Model constants ``x`` (..., p) from the sampler's coordinates ``z`` (..., p)."""
        return self.to_x(self.u_of_z(z))

    @staticmethod
    def log_prior_z(z: np.ndarray) -> np.ndarray:
        """Log prior density in z (..., p) -> (...): sum of log u + log(1-u) = -softplus(-z) - softplus(z)."""
        a = np.abs(np.asarray(z, float))      # softplus(-z) + softplus(z) = |z| + 2 log(1 + exp(-|z|))
        return -(a + 2.0 * np.log1p(np.exp(-a))).sum(axis=-1)

    @staticmethod
    def penalty_residual(u: np.ndarray) -> np.ndarray:
        """Signed residuals r with -r^2/2 = log(4 u (1-u)): the z-space prior as least-squares terms.

        Smooth through u = 1/2 (r ~ 2*sqrt(2)*(u - 1/2)); adding them makes the least-squares optimum
        the mode of the density the MCMC samples (in z) and keeps prior-dominated parameters interior.
        """
        u = np.clip(np.asarray(u, float), 1e-12, 1 - 1e-12)
        return np.sign(u - 0.5) * np.sqrt(np.maximum(-2.0 * np.log(4.0 * u * (1.0 - u)), 0.0))

    def sample_u(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Draw ``n`` points from the prior in ``u`` coordinates: an array (n, p) uniform on [0, 1)."""
        return rng.uniform(size=(n, self.p))

    def subset(self, names) -> Priors:
        """The priors of some parameters only, in the order given.

        Parameters
        ----------
        names : sequence of str
            Parameter names, each one of ``self.names`` (ValueError otherwise: a programming error).

        Returns
        -------
        Priors
            A new instance with ``len(names)`` parameters, units and notes carried over.
        """
        idx = [self.names.index(n) for n in names]
        units = tuple(self.units[i] for i in idx) if self.units else ()
        why = tuple(self.why[i] for i in idx) if self.why else ()
        return Priors(tuple(names), self.low[idx], self.high[idx], self.log[idx], self.default[idx], units, why)


def load_priors(path: str | Path | None = None, model=None) -> Priors:
    """Read parameters.yaml; check ranges (and, given ``model``, that every name is a model constant).

    Raises
    ------
    innosd.errors.InputError
        One line naming the file, the parameter and the fix (the file is read by :mod:`innosd.textio`).
    """
    from .. import textio
    from ..errors import InputError

    path = Path(path or paths.PARAMETERS_YAML)
    shown = textio.shown(path)
    data, _ = textio.read_yaml(path, "yaml", "parameters file")
    spec = data.get("parameters") if isinstance(data, dict) else None
    if not isinstance(spec, dict) or not spec:
        raise InputError(shown, "parameters", "missing or not a mapping of parameter name to prior",
                         "restore calibration/parameters.yaml (git checkout -- calibration/parameters.yaml)")
    names, low, high, log, default, units, why = [], [], [], [], [], [], []
    for name, d in spec.items():
        fld = f"parameters.{name}"
        if not isinstance(d, dict):
            raise InputError(shown, fld, "must be a mapping with low, high (and prior, default)",
                             "write e.g. {low: 0.1, high: 0.5, prior: uniform}")
        kind = str(d.get("prior", "uniform"))
        if kind not in KINDS:
            raise InputError(shown, f"{fld}.prior", f"'{kind}' is not one of {', '.join(KINDS)}",
                             "use uniform or loguniform")
        lo, hi = (_number(shown, f"{fld}.{k}", d.get(k)) for k in ("low", "high"))
        if not lo < hi or (kind == "loguniform" and lo <= 0):
            raise InputError(shown, fld, f"bad range [{lo}, {hi}] for a {kind} prior",
                             "use low < high (and low > 0 for loguniform)")
        if model is not None and name not in model.constants:
            raise InputError(shown, fld, "not a constant of the model", "use the constant's Python name from the .mdl")
        names.append(name)
        low.append(lo)
        high.append(hi)
        log.append(kind == "loguniform")
        default.append(_number(shown, f"{fld}.default", d.get("default", (lo + hi) / 2)))
        units.append(str(d.get("unit", "") or ""))
        why.append(str(d.get("why", "") or ""))
    return Priors(tuple(names), np.array(low), np.array(high), np.array(log, bool), np.array(default),
                  tuple(units), tuple(why))


def prior_records(path: str | Path | None = None) -> dict[str, dict]:
    """Name -> {low, high, prior, default, unit, why, why_zh}: :func:`load_priors` as plain records.

    For the report and the sensitivity studies; ``why_zh`` comes from :func:`why_zh` ('' when not translated).
    """
    pr = load_priors(path)
    zh = why_zh(path)
    return {name: {"low": float(pr.low[i]), "high": float(pr.high[i]),
                   "prior": "loguniform" if pr.log[i] else "uniform", "default": float(pr.default[i]),
                   "unit": pr.units[i], "why": pr.why[i], "why_zh": zh.get(name, "")}
            for i, name in enumerate(pr.names)}


def why_zh(path: str | Path | None = None) -> dict[str, str]:
    """The Chinese ``why`` notes: ``parameters.zh.yaml`` beside parameters.yaml (``why_zh: {name: text}``).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        The parameters.yaml whose notes are wanted (default the project's).

    Returns
    -------
    dict
        name -> Chinese note; empty when the file is absent. Names parameters.yaml lacks are kept (a test
        checks that the bundled file names only parameters).

    Raises
    ------
    innosd.errors.InputError
        When the file is not a mapping ``why_zh: {name: text}``.
    """
    from .. import textio
    from ..errors import InputError

    base = Path(path or paths.PARAMETERS_YAML)
    zh = base.with_name(base.stem + ".zh.yaml")
    if not zh.is_file():
        return {}
    data, _ = textio.read_yaml(zh, "yaml", "parameter notes file")
    notes = data.get("why_zh") if isinstance(data, dict) else None
    if not isinstance(notes, dict) or not all(isinstance(v, str) for v in notes.values()):
        raise InputError(textio.shown(zh), "why_zh", "must be a mapping of parameter name to Chinese text",
                         "write why_zh: {gdp_initial: \"...\"} (see calibration/parameters.zh.yaml)")
    return {str(k): v.strip() for k, v in notes.items()}


def _number(shown: str, fld: str, value) -> float:
    from ..errors import InputError

    if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(float(value)):
        raise InputError(shown, fld, f"must be a finite number, got {value!r}", "write a plain number")
    return float(value)
