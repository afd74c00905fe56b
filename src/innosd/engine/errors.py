"""Errors raised by the engine."""

from __future__ import annotations


class UnsupportedConstructError(Exception):
    """The model uses a construct the NumPy engine cannot compile.

    The message is one line naming the model file, the variable and the construct.

    Parameters
    ----------
    model : str or Path
        The model file.
    variable : str
        The variable (as written in the model) whose equation uses the construct.
    construct : str
        What is not supported, e.g. ``function VECTOR ELM MAP``.
    """

    def __init__(self, model, variable: str, construct: str):
        self.model, self.variable, self.construct = str(model), variable, construct
        super().__init__(
            f"{self.model}: variable '{variable}' uses unsupported construct {construct}"
        )


class SimulationError(Exception):
    """A model equation fails while running (PySD would raise too).

    For instance a negative request to ALLOCATE BY PRIORITY, or a VECTOR SELECT
    error action that fires.
    """


class ParameterError(ValueError):
    """A parameter, lookup or control value passed to :meth:`CompiledModel.run` is unusable.

    Subclasses ``ValueError`` so callers that caught the engine's former ``ValueError``
    keep working.
    """
