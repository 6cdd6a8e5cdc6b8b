"""Proven-optimal multi-week posterior-chain training blocks, planned with CP-SAT.

The Python API: ``from planner import solve, check, Request``. ``Request`` holds the rules of a
block (``planner.constraints.Constraints``), ``solve(request)`` plans it (``planner.solve.solve``)
and ``check(plan)`` re-checks a plan's JSON data (``planner.check.check_plan``). They are imported
on first use, so that ``import planner`` stays cheap.
"""

from __future__ import annotations

import sys
import types
from importlib import import_module
from typing import Any

__version__ = "0.1.0"
__all__ = ["Request", "__version__", "check", "solve"]

# Public name -> (module, attribute).
API = {
    "Request": ("planner.constraints", "Constraints"),
    "solve": ("planner.solve", "solve"),
    "check": ("planner.check", "check_plan"),
}


def __getattr__(name: str) -> Any:
    if name not in API:
        raise AttributeError(f"module 'planner' has no attribute {name!r}")
    module, attribute = API[name]
    return getattr(import_module(module), attribute)


class _Package(types.ModuleType):
    """Keeps ``planner.solve`` and ``planner.check`` the functions of the API: importing the
    modules of the same names would otherwise record the modules under those names."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in API and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
