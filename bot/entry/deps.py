"""What handlers, jobs and the CLI share (settings, a session factory, a clock, the taxonomy), built once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.clock import Clock, SystemClock
from bot.config import Settings, load_settings
from bot.db import SessionFactory, make_engine, session_factory, upgrade
from bot.services.customers.taxonomy import Taxonomy, load_taxonomy
from bot.services.employees.survey_questions import QuestionBank, load_questions

if TYPE_CHECKING:
    from bot.entry.answer_process import AnswerProcess
    from bot.entry.answers import AnswerQueue
    from bot.entry.chart_workers import ChartWorkers


@dataclass
class Deps:
    settings: Settings
    factory: SessionFactory
    clock: Clock = SystemClock()
    answer_process: AnswerProcess | None = None  # set by build_app when answers run in a child process

    def answers_full(self) -> bool:
        """More than SYMMETRY_ANSWER_QUEUE_SIZE answers wait: a command is acked with "busy"."""
        if self.answer_process is not None:
            return self.answer_process.full()
        return self.answers.full()

    @cached_property
    def taxonomy(self) -> Taxonomy:
        return load_taxonomy(self.settings.SYMMETRY_TAXONOMY)

    @cached_property
    def answers(self) -> AnswerQueue:
        """The queue Slack answers wait on (started on first use)."""
        from bot.entry.answers import AnswerQueue

        return AnswerQueue(
            workers=self.settings.SYMMETRY_ANSWER_WORKERS, size=self.settings.SYMMETRY_ANSWER_QUEUE_SIZE
        )

    @cached_property
    def charts(self) -> ChartWorkers:
        """Where charts are drawn: `SYMMETRY_CHART_PROCESSES` worker processes (0: the calling thread)."""
        from bot.entry.chart_workers import ChartWorkers

        return ChartWorkers.shared(self.settings.SYMMETRY_CHART_PROCESSES)

    @cached_property
    def survey_questions(self) -> QuestionBank:
        return load_questions(self.settings.SYMMETRY_SURVEY_QUESTIONS)


def build_deps(settings: Settings | None = None, *, clock: Clock | None = None, migrate: bool = True) -> Deps:
    """Settings -> engine -> (schema upgraded) -> Deps. Raises ConfigError / DatabaseUnavailable."""
    settings = settings or load_settings()
    engine = make_engine(settings.DATABASE_URL)
    if migrate:
        upgrade_once(engine)
    return Deps(settings=settings, factory=session_factory(engine), clock=clock or SystemClock())


MIGRATION_LOCK = 0x53594D55  # replicas starting together upgrade the schema one after the other


def upgrade_once(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        upgrade(engine)
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
        try:
            upgrade(engine)
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
