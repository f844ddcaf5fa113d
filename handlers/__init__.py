"""Slack listeners, one module per feature flow, each with register(app, deps)."""

from importlib import import_module
from types import ModuleType

NAMES = (
    "digest",
    "home",
    "kpi",
    "pulse",
    "stories",
    "suggestions",
    "survey",
    "survey_home",
    "survey_replies",
    "symmetry",
)
HANDLER_MODULES: list[ModuleType] = [import_module(f"handlers.{name}") for name in NAMES]
