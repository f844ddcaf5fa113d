"""The survey's wording (EN/FR) and its rotating driver bank, from bot/data/survey_questions.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.errors import InvalidInput

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "survey_questions.yaml"
LANGUAGES = ("en", "fr")
FIXED = ("quality", "recommend", "enps", "reason", "comment")
SCALES = ("zero_ten", "one_five")


@dataclass(frozen=True)
class Driver:
    key: str
    text: dict[str, str]


@dataclass(frozen=True)
class QuestionBank:
    questions: dict[str, dict[str, str]]
    drivers: tuple[Driver, ...]
    scale: dict[str, dict[str, list[str]]]
    source: str

    def text(self, key: str, language: str) -> str:
        return self.questions[key][language if language in LANGUAGES else "en"]

    def driver_for_round(self, number: int) -> Driver:
        """Round 1 asks the first driver, round 2 the second..., then the bank starts again."""
        return self.drivers[(max(number, 1) - 1) % len(self.drivers)]

    def driver(self, key: str) -> Driver | None:
        return next((d for d in self.drivers if d.key == key), None)

    def ends(self, scale: str, language: str) -> list[str]:
        return self.scale[scale][language if language in LANGUAGES else "en"]


def load_questions(path: Path | None = None) -> QuestionBank:
    """The bank at `path` (default: the shipped one); a malformed file is one clear InvalidInput."""
    source = path or DEFAULT_PATH
    try:
        data = yaml.safe_load(Path(source).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"survey questions file not found: {source}") from None
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{source}: not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise InvalidInput(f"{source}: must be a mapping with questions, drivers and scale")
    return QuestionBank(
        questions={key: _wording(data.get("questions"), key, source) for key in FIXED},
        drivers=_drivers(data.get("drivers"), source),
        scale={key: _ends(data.get("scale"), key, source) for key in SCALES},
        source=str(source),
    )


def _wording(section: Any, key: str, source: Path) -> dict[str, str]:
    entry = section.get(key) if isinstance(section, dict) else None
    if not isinstance(entry, dict):
        raise InvalidInput(f"{source}: questions.{key} is missing (it needs en and fr wording)")
    for lang in LANGUAGES:
        text = entry.get(lang)
        if not isinstance(text, str) or not text.strip() or len(text) > 300:
            raise InvalidInput(f"{source}: questions.{key}.{lang} must be text of 1-300 characters")
    return {lang: entry[lang].strip() for lang in LANGUAGES}


def _drivers(section: Any, source: Path) -> tuple[Driver, ...]:
    if not isinstance(section, list) or not section:
        raise InvalidInput(f"{source}: drivers must be a non-empty list")
    drivers, seen = [], set()
    for n, entry in enumerate(section, start=1):
        key = entry.get("key") if isinstance(entry, dict) else None
        if not isinstance(key, str) or not key.replace("_", "").isalnum() or key != key.lower():
            raise InvalidInput(f"{source}: driver {n} needs a lowercase key (letters, digits, _)")
        if key in seen:
            raise InvalidInput(f"{source}: driver {key!r} is listed twice")
        seen.add(key)
        drivers.append(Driver(key, _wording({key: entry}, key, source)))
    return tuple(drivers)


def _ends(section: Any, key: str, source: Path) -> dict[str, list[str]]:
    entry = section.get(key) if isinstance(section, dict) else None
    ok = isinstance(entry, dict) and all(
        isinstance(entry.get(lang), list) and len(entry[lang]) == 2 for lang in LANGUAGES
    )
    if not ok:
        raise InvalidInput(f"{source}: scale.{key} needs en and fr lists of two labels")
    return {lang: [str(v) for v in entry[lang]] for lang in LANGUAGES}  # type: ignore[index]
