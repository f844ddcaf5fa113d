"""What every CLI command shares: errors as one clear line, in the terminal's words (flags)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

import typer

from bot.errors import ConfigError, Phrasebook, UserFacingError

P = ParamSpec("P")
R = TypeVar("R")

# The CLI's words for service errors that name an option (the HTTP API and Slack have their own).
CLI_PHRASES: Phrasebook = {
    "source_invalid": "--source needs a short name (1-64 characters), e.g. --source qualtrics",
    "mapping_malformed": '--map {item!r}: write it as field=Column, e.g. --map text="Customer Remarks"',
    "mapping_unknown_field": "--map {item!r}: unknown field {name!r}; fields are {fields}",
    "format_unknown": "cannot tell the format of {name}: name it .csv or .jsonl, or pass --format",
}


def cli_message(error: UserFacingError) -> str:
    return error.phrase(CLI_PHRASES)


def friendly(func: Callable[P, R]) -> Callable[P, R]:
    """Settings and user errors end the command with one clear line, never a traceback."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except ConfigError as exc:
            typer.secho(f"configuration error: {exc}", fg="red", err=True)
            raise typer.Exit(2) from None
        except UserFacingError as exc:
            typer.secho(f"error: {cli_message(exc)}", fg="red", err=True)
            for hint in exc.hints:
                typer.echo(f"  • {hint}", err=True)
            raise typer.Exit(1) from None

    return wrapper
