"""Errors raised by the engine."""

from __future__ import annotations


class UnsupportedConstructError(Exception):
    """The model uses a construct the NumPy engine cannot compile.

    The message names the model file, the variable and the construct.
    """

    def __init__(self, model: str, variable: str, construct: str):
        self.model, self.variable, self.construct = str(model), variable, construct
        super().__init__(
            f"{self.model}: variable '{variable}' uses unsupported construct {construct}"
        )
