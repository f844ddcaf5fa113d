"""deploy/: the compose file and the proxy agree (the 3-replica behaviour itself: tests/entry/test_replicas.py)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

DEPLOY = Path(__file__).parent.parent / "deploy"


def test_compose_runs_postgres_three_replicas_and_a_proxy_that_knows_them() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    replicas = sorted(name for name in services if name.startswith("symmetry-"))
    assert replicas == ["symmetry-1", "symmetry-2", "symmetry-3"]
    for name in replicas:
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgresql://")
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
    upstream = re.findall(r"server (symmetry-\d):3000", (DEPLOY / "nginx.conf").read_text())
    assert upstream == replicas
    assert set(services["proxy"]["depends_on"]) == set(replicas)
    assert "client_max_body_size 1m" in (DEPLOY / "nginx.conf").read_text()
