"""Slack listeners, one module per feature flow, each with register(app, deps)."""

from handlers import digest, home, kpi, pulse, stories, suggestions, survey, survey_home, symmetry

HANDLER_MODULES = [digest, home, kpi, pulse, stories, suggestions, survey, survey_home, symmetry]
