"""The import rule: bot/services and models stay Slack-free and adapter-free (handlers, jobs, the CLI
and the entry points call them, never the reverse), and the entry points never import the CLI (the CLI
starts the server, so the server importing the CLI would be a cycle)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ADAPTERS = ("slack_bolt", "slack_sdk", "bot.slack", "handlers", "jobs", "bot.sandbox", "bot.entry", "bot.cli")


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def _offenders(files: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in files
        for name in _imports(path)
        if any(name == f or name.startswith(f + ".") for f in forbidden)
    ]


def _py(*parts: str) -> list[Path]:
    return sorted(ROOT.joinpath(*parts).rglob("*.py"))


def test_services_and_models_import_nothing_from_slack_or_the_adapters() -> None:
    files = _py("bot", "services") + _py("models")
    assert len(files) > 10
    assert _offenders(files, ADAPTERS) == []


def test_the_entry_points_and_the_listeners_never_import_the_cli() -> None:
    files = _py("bot", "entry") + _py("handlers") + _py("jobs") + _py("bot", "slack")
    assert len(files) > 10
    assert _offenders(files, ("bot.cli",)) == []


def test_the_rule_catches_an_offender(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nfrom bot.entry.deps import Deps\n")
    names = _imports(bad)
    assert names == ["os", "bot.entry.deps"]
    assert any(n == f or n.startswith(f + ".") for n in names for f in ADAPTERS)
