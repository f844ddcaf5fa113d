"""What every CLI command shares: errors as one clear line."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

import typer

from bot.errors import ConfigError, UserFacingError

F = TypeVar("F", bound=Callable[..., object])


def friendly(func: F) -> F:
    """Settings and user errors end the command with one clear line, never a traceback."""

    @wraps(func)
    def wrapper(*args: object, **kwargs: object) -> object:
        try:
            return func(*args, **kwargs)
        except ConfigError as exc:
            typer.secho(f"configuration error: {exc}", fg="red", err=True)
            raise typer.Exit(2) from None
        except UserFacingError as exc:
            typer.secho(f"error: {exc.message}", fg="red", err=True)
            for hint in exc.hints:
                typer.echo(f"  • {hint}", err=True)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]
