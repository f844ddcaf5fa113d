"""Real `symmetry serve` processes on loopback, against the local Slack stand-in (tests, benchmarks).

with Replicas(3, database_url=url, api_url=standin.api_url) as fleet:
    fleet.kill(0)            # SIGKILL, like a crashed container
    fleet.urls               # the live ones
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bot.sandbox.harness import BOT_TOKEN, SANDBOX_SECRET_KEY, SIGNING_SECRET


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Replicas:
    def __init__(self, n: int, *, database_url: str, api_url: str, log_dir: Path, **settings: object) -> None:
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SYMMETRY_"))},
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": api_url,
            "DATABASE_URL": database_url,
            "SYMMETRY_SECRET_KEY": SANDBOX_SECRET_KEY,
            "SYMMETRY_LOG_LEVEL": "INFO",
            **{k: str(v) for k, v in settings.items()},
        }
        self.log_dir = log_dir
        self.procs: list[subprocess.Popen[bytes] | None] = []
        self.ports: list[int] = []
        for _ in range(n):
            self.start_one()

    def start_one(self) -> int:
        port = free_port()
        log = (self.log_dir / f"replica-{len(self.procs)}.log").open("wb")
        cmd = [
            sys.executable,
            "-c",
            "from bot.cli import main; main()",
            "serve",
            "--port",
            str(port),
            "--host",
            "127.0.0.1",
        ]
        self.procs.append(subprocess.Popen(cmd, env=self.env, stdout=log, stderr=subprocess.STDOUT))
        self.ports.append(port)
        return len(self.procs) - 1

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        for i, port in enumerate(self.ports):
            while self.procs[i] is not None:
                if self.procs[i].poll() is not None:  # type: ignore[union-attr]
                    raise RuntimeError(f"replica {i} exited: {self.log(i)[-2000:]}")
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"replica {i} not ready: {self.log(i)[-2000:]}")
                time.sleep(0.2)

    def log(self, i: int) -> str:
        return (self.log_dir / f"replica-{i}.log").read_text(errors="replace")

    @property
    def urls(self) -> list[str]:
        return [f"http://127.0.0.1:{p}" for p, proc in zip(self.ports, self.procs, strict=True) if proc]

    def alive(self) -> list[int]:
        return [i for i, p in enumerate(self.procs) if p is not None and p.poll() is None]

    def kill(self, i: int) -> None:
        proc = self.procs[i]
        if proc is not None:
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            self.procs[i] = None

    def stop(self) -> None:
        for i, proc in enumerate(self.procs):
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                self.procs[i] = None

    def __enter__(self) -> Replicas:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
