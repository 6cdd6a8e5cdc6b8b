"""The CP-SAT API the model, the search and the explanations use: ``cp_model``'s names
(``CpModel``, ``CpSolver``, ``IntVar``, ``OPTIMAL``, ...), from ``planner.cpsat_proto`` on the
OR-Tools releases it is verified against, else from ``ortools.sat.python.cp_model`` itself.

``planner.cpsat_proto`` writes the same model proto without importing pandas and numpy, which
``cp_model`` loads at import time (about 0.2 s of start-up). It builds on OR-Tools' internal C++
extension API, so it is used only on the releases in ``VERIFIED`` (pyproject.toml pins OR-Tools
below the next one) and never when ``PLANNER_CPSAT=cp_model`` is set.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import ortools

# OR-Tools releases (major, minor) whose extension API planner.cpsat_proto is verified against.
VERIFIED = ((9, 15),)


def uses_proto_adapter(version: str, setting: str | None) -> bool:
    """Whether to use ``planner.cpsat_proto`` with this OR-Tools version and ``PLANNER_CPSAT``."""
    major, minor = (int(part) for part in version.split(".")[:2])
    return (major, minor) in VERIFIED and setting != "cp_model"


VERSION: str = getattr(ortools, "__version__", "0.0")  # the installed OR-Tools release
PROTO_ADAPTER = uses_proto_adapter(VERSION, os.environ.get("PLANNER_CPSAT"))

if TYPE_CHECKING or PROTO_ADAPTER:
    from planner.cpsat_proto import (
        FEASIBLE,
        INFEASIBLE,
        OPTIMAL,
        UNKNOWN,
        CpModel,
        CpSolver,
        CpSolverStatus,
        IntVar,
        LinearExpr,
    )
else:
    from ortools.sat.python.cp_model import (
        FEASIBLE,
        INFEASIBLE,
        OPTIMAL,
        UNKNOWN,
        CpModel,
        CpSolver,
        CpSolverStatus,
        IntVar,
        LinearExpr,
    )

__all__ = [
    "FEASIBLE",
    "INFEASIBLE",
    "OPTIMAL",
    "PROTO_ADAPTER",
    "UNKNOWN",
    "VERSION",
    "CpModel",
    "CpSolver",
    "CpSolverStatus",
    "IntVar",
    "LinearExpr",
]
