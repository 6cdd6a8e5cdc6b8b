"""Proven-optimal multi-week posterior-chain training blocks, planned with CP-SAT.

The Python API: ``from planner import solve, check, Request``. ``Request`` holds the rules of a
block (``planner.constraints.Constraints``), ``solve(request)`` plans it (``planner.solve.solve``)
and ``check(plan)`` re-checks a plan's JSON data (``planner.check.check_plan``).

``EXTENSION`` lists what a heuristic or another formulation of the same rules builds on (the
benchmarks' baselines use nothing else): the instance and its index maps, the model's variables and
rule functions, and ``plan_from``, which turns any ``Choice`` into a plan with its objective
recomputed. Every name is imported on first use, so that ``import planner`` stays cheap.
"""

from __future__ import annotations

import sys
import types
from importlib import import_module
from typing import Any

__version__ = "0.1.0"
# Public name -> (module, attribute): the API an app uses ...
API = {
    "Request": ("planner.constraints", "Constraints"),
    "solve": ("planner.solve", "solve"),
    "check": ("planner.check", "check_plan"),
    "Result": ("planner.solve", "Result"),
    "NoPlan": ("planner.solve", "NoPlan"),
    "Plan": ("planner.plan", "Plan"),
}
# ... and what a heuristic or another formulation of the rules builds on.
EXTENSION = {
    "DAYS": ("planner.constraints", "DAYS"),
    "FREQUENCY_GROUPS": ("planner.constraints", "FREQUENCY_GROUPS"),
    "Exercise": ("planner.catalog", "Exercise"),
    "MAX_FATIGUE": ("planner.catalog", "MAX_FATIGUE"),
    "Instance": ("planner.instance", "Instance"),
    "build_instance": ("planner.instance", "build_instance"),
    "load_catalog": ("planner.instance", "load_catalog"),
    "equipment_of": ("planner.instance", "equipment_of"),
    "coach_order": ("planner.instance", "coach_order"),
    "fixed_item_seconds": ("planner.instance", "fixed_item_seconds"),
    "ramp_up_seconds": ("planner.instance", "ramp_up_seconds"),
    "Vars": ("planner.model", "Vars"),
    "RULES": ("planner.model", "RULES"),
    "Term": ("planner.model", "Term"),
    "Choice": ("planner.solution", "Choice"),
    "days_of": ("planner.solution", "days_of"),
    "plan_from": ("planner.solution", "plan_from"),
    "cpsat": ("planner.cpsat", ""),  # the CP-SAT module the model is built with (the module)
}
__all__ = ["__version__", *API, *EXTENSION]


def __getattr__(name: str) -> Any:
    if name not in API and name not in EXTENSION:
        raise AttributeError(f"module 'planner' has no attribute {name!r}")
    module, attribute = API.get(name) or EXTENSION[name]
    return getattr(import_module(module), attribute) if attribute else import_module(module)


class _Package(types.ModuleType):
    """Keeps ``planner.solve`` and ``planner.check`` the functions of the API: importing the
    modules of the same names would otherwise record the modules under those names."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in API and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
