"""The seams between the layers: no import cycle among planner's modules, click and the command
line only in planner/cli*.py, and commands that need no solver never load OR-Tools."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "planner"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
# The command line: the group, its commands, and ``python -m planner``.
COMMAND_LINE = ("planner.cli", "planner.__main__")


def imports(name: str) -> set[str]:
    """Every module ``name`` imports, at the top or inside a function (TYPE_CHECKING included)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def planner_imports(name: str) -> set[str]:
    """The planner modules ``name`` imports (a package's name stands for its ``__init__``)."""
    return {m for m in imports(name) if m in MODULES and m != name}


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle as [a, b, ..., a], or [] when there is none."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = "done"
        stack.pop()
        return []

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return []


def test_the_walker_sees_function_level_and_relative_imports() -> None:
    assert "planner.batch" in planner_imports("planner.cli_batch")  # inside the command
    assert "planner.toml_text" in planner_imports("planner.config")
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_among_planner_modules() -> None:
    graph = {name: planner_imports(name) for name in MODULES}
    assert find_cycle(graph) == []


def test_only_the_command_line_imports_click_or_a_command_module() -> None:
    offenders = {}
    for name in MODULES:
        if name.startswith(COMMAND_LINE):
            continue
        bad = {
            m for m in imports(name) if m.split(".")[0] == "click" or m.startswith("planner.cli")
        }
        if bad:
            offenders[name] = sorted(bad)
    assert offenders == {}


def test_nothing_imports_the_command_group() -> None:
    importers = [n for n in MODULES if n != "planner.__main__" and "planner.cli" in imports(n)]
    assert importers == []


def run_python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return done.stdout.strip()


def test_help_is_instant_without_heavy_imports() -> None:
    code = (
        "import sys, planner.cli; "
        "print(sorted(m for m in ('ortools', 'pydantic') if m in sys.modules))"
    )
    assert run_python(code) == "[]"


@pytest.fixture(scope="module")
def plan_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from planner.constraints import Constraints
    from planner.solve import solve

    request = Constraints().with_overrides(**{"schedule.weeks": 2, "equipment.profile": "home"})
    path = tmp_path_factory.mktemp("plan") / "plan.json"
    path.write_text(solve(request, time_limit=60).plan.model_dump_json())
    return path


@pytest.mark.parametrize("command", ["validate", "check"])
def test_commands_without_a_solver_never_load_ortools(command: str, plan_file: Path) -> None:
    args = (
        ["validate", "examples/client.toml"] if command == "validate" else ["check", str(plan_file)]
    )
    code = (
        "import sys\n"
        "from planner.cli import main\n"
        f"main.main({args!r}, standalone_mode=False)\n"
        "print('ortools' in sys.modules)\n"
    )
    assert run_python(code).splitlines()[-1] == "False"


def test_the_command_line_skips_pydantic_plugins_unless_asked() -> None:
    probe = (
        "import os, sys; sys.argv = ['planner']; import planner.cli; "
        "print(repr(os.environ['PYDANTIC_DISABLE_PLUGINS']))"
    )
    for given, expected in ((None, "'__all__'"), ("", "''"), ("logfire", "'logfire'")):
        env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
        if given is not None:
            env["PYDANTIC_DISABLE_PLUGINS"] = given
        done = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
        )
        assert done.stdout.strip() == expected
