"""The part of ``ortools.sat.python.cp_model`` the planner uses, written straight into the model
proto of OR-Tools' C++ extension (``cp_model_helper``) and solved by its ``SolveWrapper``.

``cp_model`` imports pandas and numpy, which the planner never uses and which cost more start-up
time than the whole default solve. The classes here keep ``cp_model``'s names and semantics for the
methods the planner calls, and write the same proto ``cp_model`` writes, field for field
(tests/test_cpsat_proto.py). The linear expressions are the extension's own (``IntVar`` arithmetic);
what ``cp_model`` does in C++ through ``CpBaseModel`` (whose constructor loads numpy) is done here
in Python. That extension API is internal to OR-Tools and changes between releases: use this module
through ``planner.cpsat``, which picks it only on the releases it was verified against.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ortools.sat.python import cp_model_helper as cmh
from ortools.util.python.sorted_interval_list import Domain

IntVar = cmh.IntVar
LinearExpr = cmh.LinearExpr
CpSolverStatus = cmh.CpSolverStatus
UNKNOWN = cmh.CpSolverStatus.UNKNOWN
FEASIBLE = cmh.CpSolverStatus.FEASIBLE
INFEASIBLE = cmh.CpSolverStatus.INFEASIBLE
OPTIMAL = cmh.CpSolverStatus.OPTIMAL

INT_MIN = -(2**63)
INT_MAX = 2**63 - 1


def _literals(args: tuple[Any, ...]) -> Iterable[Any]:
    """``f(a, b)`` and ``f([a, b])`` alike, as ``cp_model`` takes them."""
    if len(args) == 1 and isinstance(args[0], (list, tuple)):
        return args[0]
    if len(args) == 1 and not isinstance(args[0], (cmh.LinearExpr, bool, int)):
        return list(args[0])
    return args


def _write_expression(proto: Any, expr: Any) -> None:
    """A linear expression (or an integer) into a ``LinearExpressionProto``."""
    if isinstance(expr, int):
        proto.offset = expr
        return
    flat = cmh.FlatIntExpr(expr)
    proto.vars.extend([var.index for var in flat.vars])
    proto.coeffs.extend(flat.coeffs)
    proto.offset = flat.offset


class Constraint:
    """A constraint of the model: ``only_enforce_if`` guards it with literals."""

    def __init__(self, model: CpModel, index: int, proto: Any) -> None:
        self._model = model
        self.index = index
        self.proto = proto

    def only_enforce_if(self, *literals: Any) -> Constraint:
        """Enforce the constraint only when every literal holds (one, several or a list)."""
        self.proto.enforcement_literal.extend(
            [
                self._model._constant(int(lit)) if isinstance(lit, bool) else lit.index
                for lit in _literals(literals)
            ]
        )
        return self


class CpModel:
    """A CP-SAT model: variables, constraints and the objective, as ``cp_model.CpModel``."""

    def __init__(self) -> None:
        self._proto = cmh.CpModelProto()
        self._constants: dict[int, int] = {}
        self._constraints = 0
        self._add_constraint = self._proto.constraints.add

    @property
    def proto(self) -> Any:
        """The ``CpModelProto``."""
        return self._proto

    # --- variables ---------------------------------------------------------------------------

    def new_int_var(self, lb: int, ub: int, name: str) -> cmh.IntVar:
        return cmh.IntVar(self._proto).with_name(name).with_domain(Domain(lb, ub))

    def new_bool_var(self, name: str) -> cmh.IntVar:
        return cmh.IntVar(self._proto).with_name(name).with_domain(Domain(0, 1))

    def new_constant(self, value: int) -> cmh.IntVar:
        return cmh.IntVar(self._proto, self._constant(value))

    def get_int_var_from_proto_index(self, index: int) -> cmh.IntVar:
        if index < 0 or index >= len(self._proto.variables):
            raise ValueError(f"get_int_var_from_proto_index: out of bound index {index}")
        return cmh.IntVar(self._proto, index)

    def _constant(self, value: int) -> int:
        """The index of the unnamed fixed variable holding ``value`` (one per value)."""
        if value not in self._constants:
            self._constants[value] = len(self._proto.variables)
            self._proto.variables.add().domain.extend([value, value])
        return self._constants[value]

    def _literal(self, literal: Any) -> int:
        """The proto index of a Boolean literal (``not(x)`` is ``-x.index - 1``)."""
        if isinstance(literal, cmh.IntVar):
            if not literal.is_boolean:
                raise TypeError(f"Invalid boolean literal: {literal}")
            return literal.index
        if isinstance(literal, cmh.NotBooleanVariable):
            return literal.index
        if isinstance(literal, bool):
            return self._constant(int(literal))
        if isinstance(literal, int) and literal in (1, -1, 0, -2):  # -1 = ~False, -2 = ~True
            return self._constant(int(literal in (1, -1)))
        raise TypeError(f"Invalid boolean literal: {literal!r}")

    # --- constraints -------------------------------------------------------------------------

    def _new_constraint(self) -> tuple[Constraint, Any]:
        proto = self._add_constraint()
        self._constraints += 1
        return Constraint(self, self._constraints - 1, proto), proto

    def add(self, ct: Any) -> Constraint:
        """A linear relation (``x + 2 * y <= 5``, ``x == y``), or a constant ``True``/``False``."""
        if isinstance(ct, cmh.BoundedLinearExpression):
            constraint, proto = self._new_constraint()
            linear = proto.linear
            linear.vars.extend([var.index for var in ct.vars])
            linear.coeffs.extend(ct.coeffs)
            bounds, offset = ct.bounds.flattened_intervals(), ct.offset
            if offset:
                bounds = [
                    b if b in (INT_MIN, INT_MAX) else max(INT_MIN, min(INT_MAX, b - offset))
                    for b in bounds
                ]
            linear.domain.extend(bounds)
            return constraint
        if isinstance(ct, bool):
            return self.add_bool_or([True]) if ct else self.add_bool_or([])
        raise TypeError(f"not supported: CpModel.add({type(ct).__name__!r})")

    def _bool_argument(self, kind: str, literals: tuple[Any, ...]) -> Constraint:
        constraint, proto = self._new_constraint()
        getattr(proto, kind).literals.extend([self._literal(lit) for lit in _literals(literals)])
        return constraint

    def add_bool_or(self, *literals: Any) -> Constraint:
        """At least one literal holds."""
        return self._bool_argument("bool_or", literals)

    def add_bool_and(self, *literals: Any) -> Constraint:
        """Every literal holds."""
        return self._bool_argument("bool_and", literals)

    def add_implication(self, a: Any, b: Any) -> Constraint:
        """``a`` implies ``b``."""
        return self.add_bool_and(b).only_enforce_if(a)

    def add_max_equality(self, target: Any, *expressions: Any) -> Constraint:
        """``target == max(expressions)``."""
        constraint, proto = self._new_constraint()
        lin_max = proto.lin_max
        _write_expression(lin_max.target, target)
        for expr in _literals(expressions):
            _write_expression(lin_max.exprs.add(), expr)
        return constraint

    # --- objective, hints and assumptions ----------------------------------------------------

    def _set_objective(self, obj: Any, maximize: bool) -> None:
        self.clear_objective()
        objective = self._proto.objective
        if isinstance(obj, int):
            objective.offset = obj
            objective.scaling_factor = 1.0
            return
        if not isinstance(obj, cmh.LinearExpr) or not obj.is_integer():
            raise TypeError(f"{type(obj).__name__!r} is not a valid integer objective")
        flat = cmh.FlatIntExpr(obj)
        objective.vars.extend([var.index for var in flat.vars])
        sign = -1 if maximize else 1
        objective.scaling_factor = float(sign)
        objective.offset = sign * flat.offset
        objective.coeffs.extend([sign * c for c in flat.coeffs])

    def maximize(self, obj: Any) -> None:
        self._set_objective(obj, maximize=True)

    def minimize(self, obj: Any) -> None:
        self._set_objective(obj, maximize=False)

    def has_objective(self) -> bool:
        return bool(self._proto.has_objective() or self._proto.has_floating_point_objective())

    def clear_objective(self) -> None:
        self._proto.clear_objective()
        self._proto.clear_floating_point_objective()

    def add_hint(self, var: Any, value: int) -> None:
        """A value the search tries first."""
        hint = self._proto.solution_hint
        if var.index >= 0:
            hint.vars.append(var.index)
            hint.values.append(int(value))
        else:
            hint.vars.append(-var.index - 1)
            hint.values.append(int(not value))

    def clear_hints(self) -> None:
        self._proto.clear_solution_hint()

    def add_assumptions(self, literals: Iterable[Any]) -> None:
        """Literals the search assumes; an infeasible core names some of them."""
        for literal in literals:
            self._proto.assumptions.append(self._literal(literal))

    def clear_assumptions(self) -> None:
        self._proto.assumptions.clear()

    def clone(self) -> CpModel:
        """A copy: what is added to one leaves the other as it was."""
        copy = CpModel()
        copy._proto.copy_from(self._proto)
        copy._constants = dict(self._constants)
        copy._constraints = self._constraints
        return copy


class CpSolver:
    """Solves a ``CpModel`` with ``parameters``; then reads the solution, as
    ``cp_model.CpSolver``."""

    def __init__(self) -> None:
        self.parameters = cmh.SatParameters()
        self._response: Any = None

    def solve(self, model: CpModel) -> Any:
        wrapper = cmh.SolveWrapper()
        wrapper.set_parameters(self.parameters)
        self._response = wrapper.solve(model.proto)
        return self._response.status

    @property
    def response_proto(self) -> Any:
        if self._response is None:
            raise RuntimeError("solve() has not been called.")
        return self._response

    def value(self, expression: Any) -> int:
        return int(cmh.ResponseHelper.value(self.response_proto, expression))

    def boolean_value(self, literal: Any) -> bool:
        return bool(cmh.ResponseHelper.boolean_value(self.response_proto, literal))

    @property
    def objective_value(self) -> float:
        return float(self.response_proto.objective_value)

    @property
    def best_objective_bound(self) -> float:
        return float(self.response_proto.best_objective_bound)

    @property
    def deterministic_time(self) -> float:
        return float(self.response_proto.deterministic_time)

    @property
    def wall_time(self) -> float:
        return float(self.response_proto.wall_time)

    def sufficient_assumptions_for_infeasibility(self) -> list[int]:
        return list(
            cmh.ResponseHelper.sufficient_assumptions_for_infeasibility(self.response_proto)
        )
