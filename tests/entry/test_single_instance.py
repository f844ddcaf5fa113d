"""SQLite is single-instance: a second `serve` on the same file stops with a clear line."""

from __future__ import annotations

import subprocess
import sys

from bot.config import Settings
from bot.entry import runner

SECOND = """
import sys
from bot.config import Settings
from bot.entry.runner import single_instance_on_sqlite
from bot.errors import ConfigError
try:
    single_instance_on_sqlite(Settings(_env_file=None, DATABASE_URL=sys.argv[1]))
except ConfigError as exc:
    print(exc)
    sys.exit(2)
"""


def test_a_second_process_on_the_same_sqlite_file_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path}/symmetry.db"
    runner.single_instance_on_sqlite(Settings(_env_file=None, DATABASE_URL=url))  # type: ignore[call-arg]
    second = subprocess.run([sys.executable, "-c", SECOND, url], capture_output=True, text=True)
    assert second.returncode == 2 and "SQLite runs one instance" in second.stdout
    other = subprocess.run(
        [sys.executable, "-c", SECOND, f"sqlite:///{tmp_path}/other.db"], capture_output=True
    )
    assert other.returncode == 0  # another file is another store
