"""bot/services and models stay Slack-free: handlers, jobs and the CLI call them, never the reverse."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("slack_bolt", "slack_sdk", "bot.slack", "handlers", "jobs", "bot.sandbox", "bot.entry.app")


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_services_and_models_import_nothing_from_slack_or_the_adapters() -> None:
    offenders = []
    files = sorted((ROOT / "bot" / "services").rglob("*.py")) + sorted((ROOT / "models").rglob("*.py"))
    assert len(files) > 10
    for path in files:
        for name in _imports(path):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []
