"""Coach constraint files (TOML): read, validated against ``Constraints``."""

from __future__ import annotations

import tomllib
from pathlib import Path

from planner.constraints import Constraints


class ConfigError(ValueError):
    """A constraint file that cannot be used; the message lists every problem."""


def load_constraints(path: Path) -> Constraints:
    from pydantic import ValidationError

    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    try:
        return Constraints.model_validate(data)
    except ValidationError as exc:
        raise ConfigError("\n".join(
            f"{path}: {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors(include_url=False)
        )) from None
