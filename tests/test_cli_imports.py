"""`symmetry import` on messy real-world exports, `imports list/undo`, `teams`, one clear line per error."""

from __future__ import annotations

import csv
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from bot.cli.app import app

runner = CliRunner()
HEADER = ["note", "assureur", "produit", "date_publication", "avis"]
ROWS = [
    ["1", "Assur A", "auto", "06/09/2021", "Sinistre jamais réglé, je vais résilier."],
    ["5", "Assur A", "habitation", "17/09/2021", "Très bon accueil; merci"],
    ["2", "Assur B", "santé", "08/09/2021", "Remboursement très lent"],
]
MAP = ["--source", "avis", "--scale", "stars", "--map", "score=note", "--map", "text=avis"]
MAP += ["--map", "received_at=date_publication", "--map", "team=assureur", "--map", "reason=produit"]


def _french_excel(path: Path, rows: list[list[str]] = ROWS) -> Path:
    with path.open("w", newline="", encoding="cp1252") as handle:
        csv.writer(handle, delimiter=";").writerows([HEADER, *rows])
    return path


def _run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def _one_line_error(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code != 0 and "Traceback" not in result.output, result.output
    errors = [line for line in result.output.splitlines() if "error" in line]
    assert len(errors) == 1, result.output
    return errors[0]


def test_a_french_excel_export_imports_as_it_comes_and_can_be_undone(env: Path) -> None:
    # Wrong before: a cp1252 file gave a UnicodeDecodeError traceback; `;` made one column.
    path = _french_excel(env / "avis.csv")
    result = _run("import", str(path), *MAP)
    assert result.exit_code == 0, result.output
    assert "semicolon-separated, cp1252" in result.output and "dates read as dd/mm/yyyy" in result.output
    assert "3 added" in result.output and "batch 1" in result.output and "3 as history" in result.output
    listed = _run("imports", "list").output
    assert "avis.csv" in listed and "3 added" in listed
    assert "3 rows removed" in _run("imports", "undo", "1").output
    assert "already undone" in _one_line_error(_run("imports", "undo", "1"))


def test_dry_run_shows_mapping_rows_and_counts_and_writes_nothing(env: Path) -> None:
    path = _french_excel(env / "avis.csv")
    result = _run("import", str(path), *MAP, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "text              <- avis" in result.output and "Remboursement très lent" in result.output
    assert "3 rows read: 3 valid, 0 rejected" in result.output
    assert "no imports yet" in _run("imports", "list").output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--map", "score=Note"], "did you mean 'note'"),
        (["--map", "text=avis,produit"], "text=avis+produit"),
        (["--map", "text=avis", "--map", "text=produit"], "given twice"),
    ],
)
def test_mapping_mistakes_are_one_line_before_any_row(env: Path, args: list[str], expected: str) -> None:
    path = _french_excel(env / "avis.csv")
    base = ["--source", "avis", "--scale", "stars", "--map", "received_at=date_publication"]
    assert expected in _one_line_error(_run("import", str(path), *base, *args))


def test_unreadable_files_and_settings_are_one_line(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    binary = env / "scan.csv"
    binary.write_bytes(b"%PDF-1.7\x00\x00\x01" * 50)
    assert "binary" in _one_line_error(_run("import", str(binary), *MAP))
    cp1252 = _french_excel(env / "avis.csv")
    assert "--encoding" in _one_line_error(_run("import", str(cp1252), *MAP, "--encoding", "utf-8"))
    monkeypatch.setenv("DATABASE_URL", "symmetry.db")
    assert "not a database URL" in _one_line_error(_run("imports", "list"))
    monkeypatch.setenv("DATABASE_URL", "mysql://u@localhost/db")
    assert "not installed" in _one_line_error(_run("imports", "list"))


def test_rejects_file_keeps_the_original_columns(env: Path) -> None:
    path = _french_excel(env / "avis.csv", [*ROWS, ["9", "Assur A", "auto", "09/09/2021", "trop"]])
    result = _run("import", str(path), *MAP, "--skip-invalid")
    assert "1 rejected" in result.output
    with (env / "avis.csv.rejects.csv").open(encoding="utf-8") as handle:
        saved = list(csv.DictReader(handle))
    assert saved == [
        {
            **dict(zip(HEADER, ["9", "Assur A", "auto", "09/09/2021", "trop"], strict=True)),
            "line": "5",
            "reject reason": "score 9 is out of range for stars (1-5)",
        }
    ]


def test_teams_commands(env: Path) -> None:
    _run("teams", "add", "Jackson Park")
    assert "did you mean 'Jackson Park'" in _one_line_error(_run("teams", "add", "Jakson Park"))
    assert "did you mean 'Jackson Park'" in _one_line_error(
        _run("digest", "--team", "Jakson Park", "--dry-run")
    )
    assert "fr" in _run("teams", "add", "jackson park", "--language", "fr").output
    assert "now 'JP'" in _run("teams", "rename", "Jackson Park", "JP").output
    _run("teams", "add", "Other")
    assert "merged into" in _run("teams", "merge", "Other", "JP").output
    assert "removed" in _run("teams", "remove", "JP").output
    assert "no teams yet" in _run("teams", "list").output
    _run("teams", "add", "Care")
    _run("people", "manage", "U0BOB", "Care")
    assert "U0BOB removed (was manager)" in _run("people", "remove", "U0BOB").output
    assert "no person 'U0BOB'" in _one_line_error(_run("people", "remove", "U0BOB"))


def test_ingest_refuses_wrong_types_and_impossible_dates_with_400(harness, now) -> None:  # type: ignore[no-untyped-def]
    url = f"{harness.url}/ingest/verbatims?source=typeform"
    headers = {"Authorization": "Bearer sandbox-ingest-token"}
    good = {"external_id": "t1", "received_at": now.isoformat(), "text": "ok", "score": 9, "scale": "nps"}
    listed = httpx.post(url, json=[{**good, "team": ["Alpha", "Beta"]}], headers=headers)
    assert listed.status_code == 400
    assert "team must be text or a number, not a list" in listed.json()["errors"][0]["reason"]
    beyond = httpx.post(url, json=[{**good, "received_at": "9999-12-31T23:59:59-05:00"}], headers=headers)
    assert beyond.status_code == 400 and "does not match" in beyond.json()["errors"][0]["reason"]
    future = httpx.post(url, json=[{**good, "received_at": "2031-01-01T00:00:00Z"}], headers=headers)
    assert future.status_code == 400 and "in the future" in future.json()["errors"][0]["reason"]
