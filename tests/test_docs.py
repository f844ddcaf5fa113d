"""The design notes stay true: every file or directory docs/ARCHITECTURE.md names exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PATH = re.compile(r"`((?:bot|handlers|jobs|models|tests|docs|benchmarks)/[\w./]*)`")


def test_every_path_in_the_architecture_notes_exists() -> None:
    named = set(PATH.findall((ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")))
    assert len(named) > 20
    assert sorted(p for p in named if not (ROOT / p).exists()) == []
