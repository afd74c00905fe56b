"""The planner's live scenario explorer: a local web page over :func:`innosd.api.run`.

``innosd serve`` opens it on the 2027 plan. The planner picks a scenario of the scenarios folder,
moves a policy lever and sees every target's P(met), median and 90% interval and the fan charts
redrawn (one engine pass over the ensemble); saves the settings as a scenario that ``extends`` the
opened one; writes the PDF report; compares two saved scenarios. Chinese by default, English on a click.

Modules: :mod:`~innosd.explorer.workspace` (the project's model and scenarios, safe file names),
:mod:`~innosd.explorer.settings` (lever controls and the entries they write),
:mod:`~innosd.explorer.view` (the update path), :mod:`~innosd.explorer.figures` (fan charts),
:mod:`~innosd.explorer.tables` and :mod:`~innosd.explorer.layout` (components),
:mod:`~innosd.explorer.publish` (save and report), :mod:`~innosd.explorer.app` (the Dash app and server).
"""

from __future__ import annotations

__all__ = ["Server", "create_app", "warm_up"]


def __getattr__(name: str):
    # Dash is imported only when the page is wanted (the rest of innosd does not need it).
    if name in __all__:
        from . import app

        return getattr(app, name)
    raise AttributeError(f"module 'innosd.explorer' has no attribute {name!r}")
