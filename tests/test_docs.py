"""The design notes stay true: the paths docs/ARCHITECTURE.md names exist, the README names what the manifest asks for."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PATH = re.compile(r"`((?:bot|handlers|jobs|models|tests|docs|benchmarks)/[\w./]*)`")


def test_every_path_in_the_architecture_notes_exists() -> None:
    named = set(PATH.findall((ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")))
    assert len(named) > 20
    assert sorted(p for p in named if not (ROOT / p).exists()) == []


def test_the_readme_names_every_command_and_scope_the_manifest_asks_for() -> None:
    from bot.slack.manifest import build_manifest

    manifest = build_manifest(base_url="https://x.example.com", socket_mode=False)
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    for command in manifest["features"]["slash_commands"]:
        assert f"`{command['command']}`" in readme, command["command"]
    for scope in manifest["oauth_config"]["scopes"]["bot"]:
        assert f" {scope} " in readme.replace("`", " "), scope


def test_every_setting_is_in_env_example_and_in_the_readme_table() -> None:
    from bot.config import Settings

    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert re.search(rf"^#?\s*{name}=", example, re.M), f"{name} missing from .env.example"
        assert readme.count(f"| `{name}` |") == 1, f"{name}: one row in the README settings table"
