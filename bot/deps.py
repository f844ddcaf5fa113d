"""What handlers, jobs and the CLI share: settings, a session factory, a clock, the taxonomy."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.db import SessionFactory
from bot.services.taxonomy import Taxonomy, load_taxonomy


@dataclass
class Deps:
    settings: Settings
    factory: SessionFactory
    clock: Clock = SystemClock()

    @cached_property
    def taxonomy(self) -> Taxonomy:
        return load_taxonomy(self.settings.SYMMETRY_TAXONOMY)
