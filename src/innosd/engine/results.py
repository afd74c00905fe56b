"""Ensemble simulation results."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd


class Results:
    """Saved trajectories of an ensemble run.

    Attributes
    ----------
    time : ndarray (T,)
        Saved times (model time unit).
    names : dict
        python name -> Vensim name, in output order.
    subscripts : dict
        python name -> {dimension: element names} ({} for a scalar variable).

    Notes
    -----
    ``res[name]`` is an array (n, T) for a scalar variable and (n, T, *dims) for a
    subscripted one; ``name`` is a python or Vensim name, optionally with
    elements as in the reference files (``"stock[a1,b2]"``, giving (n, T)).
    """

    def __init__(self, time: np.ndarray, data: dict, names: dict, resolve, subscripts=None):
        self.time = time
        self._data = data
        self.names = names
        self._resolve = resolve
        self.subscripts = subscripts or {py: {} for py in data}

    @property
    def n(self) -> int:
        """Number of members."""
        return next(iter(self._data.values())).shape[0] if self._data else 0

    def __getitem__(self, name: str) -> np.ndarray:  # noqa: D105
        if isinstance(name, str) and name.endswith("]") and "[" in name:
            base, _, inner = name[:-1].partition("[")
            py = self._resolve(base.strip(), self._data, "output")
            elements = [e.strip() for e in inner.split(",")]
            subs = list(self.subscripts[py].values())
            if len(elements) != len(subs):
                raise KeyError(f"'{name}': {len(elements)} subscripts for {len(subs)} "
                               "dimensions")
            try:
                index = tuple(coords.index(e) for e, coords in zip(elements, subs, strict=True))
            except ValueError:
                raise KeyError(f"'{name}': unknown element; dimensions are "
                               f"{self.subscripts[py]}") from None
            return self._data[py][(slice(None), slice(None)) + index]
        return self._data[self._resolve(name, self._data, "output")]

    def __contains__(self, name) -> bool:  # noqa: D105
        try:
            self[name]
        except KeyError:
            return False
        return True

    def keys(self):
        """Python names of the stored outputs."""
        return self._data.keys()

    def columns(self, py: str) -> list:
        """Column names of one output: its Vensim name, with ``[e1,e2]`` per element."""
        subs = self.subscripts.get(py) or {}
        if not subs:
            return [self.names[py]]
        return ["{}[{}]".format(self.names[py], ",".join(combo))
                for combo in itertools.product(*subs.values())]

    def to_xarray(self):
        """xarray.Dataset, one variable (member, time, *dims) per output, named by python name."""
        import xarray as xr

        coords = {"member": np.arange(self.n), "time": self.time}
        variables = {}
        for py, arr in self._data.items():
            subs = self.subscripts.get(py) or {}
            coords.update({dim: list(elements) for dim, elements in subs.items()})
            variables[py] = (("member", "time") + tuple(subs), arr, {"long_name": self.names[py]})
        return xr.Dataset(variables, coords=coords)

    def to_frame(self, member: int = 0) -> pd.DataFrame:
        """Wide frame of one member: index ``time``, one column per scalar or element."""
        columns = {}
        for py, arr in self._data.items():
            values = arr[member].reshape(arr.shape[1], -1)
            for j, column in enumerate(self.columns(py)):
                columns[column] = values[:, j]
        return pd.DataFrame(columns, index=pd.Index(self.time, name="time"))
