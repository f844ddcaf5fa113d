"""Slack listeners, one module per feature flow, each with register(app, deps)."""

from handlers import digest, home, kpi, symmetry

HANDLER_MODULES = [digest, home, kpi, symmetry]
