"""Ensemble simulation results."""

from __future__ import annotations

import numpy as np
import pandas as pd


class Results:
    """Saved trajectories of an ensemble run.

    ``time``: ndarray (T,) saved times (model time unit); ``res[name]``:
    ndarray (n, T) for a python or Vensim variable name; ``names`` maps python
    names to Vensim names, in output order.
    """

    def __init__(self, time: np.ndarray, data: dict, names: dict, resolve):
        self.time = time
        self._data = data
        self.names = names
        self._resolve = resolve

    @property
    def n(self) -> int:
        """Number of members."""
        return next(iter(self._data.values())).shape[0] if self._data else 0

    def __getitem__(self, name: str) -> np.ndarray:
        return self._data[self._resolve(name, self._data, "output")]

    def __contains__(self, name) -> bool:
        try:
            self._resolve(name, self._data, "output")
        except KeyError:
            return False
        return True

    def keys(self):
        return self._data.keys()

    def to_xarray(self):
        """xarray.Dataset with one variable (member, time) per output, named by python name."""
        import xarray as xr

        coords = {"member": np.arange(self.n), "time": self.time}
        return xr.Dataset(
            {py: (("member", "time"), arr, {"long_name": self.names[py]})
             for py, arr in self._data.items()},
            coords=coords,
        )

    def to_frame(self, member: int = 0) -> pd.DataFrame:
        """Wide frame of one member: index ``time``, columns Vensim names."""
        frame = pd.DataFrame(
            {self.names[py]: arr[member] for py, arr in self._data.items()},
            index=pd.Index(self.time, name="time"),
        )
        return frame
