"""The `symmetry` command, one module per command group (see bot/cli/app.py for the root)."""

from bot.cli.app import main

__all__ = ["main"]
