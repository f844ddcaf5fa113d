"""Slack listeners, one module per feature flow, each with register(app, deps)."""

from handlers import digest, home, kpi, pulse, suggestions, survey, symmetry

HANDLER_MODULES = [digest, home, kpi, pulse, suggestions, survey, symmetry]
