"""The `symmetry` command as an admin uses it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from bot.cli.app import app
from bot.slack.commands import COMMANDS

runner = CliRunner()


def _invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), catch_exceptions=False)


def _reviews(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["note", "assureur", "produit", "date_publication", "avis"])
        writer.writerows(rows)
    return path


MAP = [
    "--source",
    "reviews",
    "--scale",
    "stars",
    "--date-format",
    "dd/mm/yyyy",
    "--map",
    "score=note",
    "--map",
    "text=avis",
    "--map",
    "received_at=date_publication",
    "--map",
    "team=assureur",
    "--map",
    "reason=produit",
]
ROWS = [
    ["1", "Assur A", "auto", "06/09/2021", "Sinistre jamais réglé, je vais résilier."],
    ["5", "Assur A", "habitation", "07/09/2021", "Très bon accueil, merci"],
    ["2", "Assur B", "sante", "08/09/2021", "Remboursement très lent"],
]


def test_manifest_declares_everything_the_admin_needs(env: Path) -> None:
    result = _invoke("manifest", "--url", "https://symmetry.example.com")
    manifest = yaml.safe_load(result.output)
    commands = {c["command"]: c for c in manifest["features"]["slash_commands"]}
    assert (
        set(commands)
        == {"/nps", "/csat", "/kpi", "/enps", "/symmetry", "/pulse", "/suggest", "/bestfailure"}
        == {c.command for c in COMMANDS}
    )
    assert commands["/symmetry"]["usage_hint"].startswith("help")
    assert commands["/nps"]["url"] == "https://symmetry.example.com/slack/events"
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert {
        "commands",
        "chat:write",
        "files:write",
        "users:read",
        "im:write",
        "im:history",
        "groups:read",
    } <= set(manifest["oauth_config"]["scopes"]["bot"])
    assert manifest["settings"]["interactivity"]["request_url"].endswith("/slack/events")
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == {
        "app_home_opened",
        "app_mention",
    }
    socket = yaml.safe_load(_invoke("manifest", "--socket").output)
    assert (
        socket["settings"]["socket_mode_enabled"] is True
        and "url" not in socket["features"]["slash_commands"][0]
    )


def test_a_wrong_setting_stops_with_one_clear_line(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYMMETRY_TIMEZONE", "Europe/Pariss")
    result = runner.invoke(app, ["teams", "list"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "configuration error: setting SYMMETRY_TIMEZONE: unknown timezone 'Europe/Pariss' (use an IANA name such as Europe/Paris)"
    ]
    monkeypatch.setenv("SYMMETRY_TIMEZONE", "UTC")
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 2 and "missing setting SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET" in result.output


def test_import_with_a_mapping_then_again_adds_nothing(env: Path) -> None:
    path = _reviews(env / "reviews.csv", ROWS)
    first = _invoke("import", str(path), *MAP)
    assert first.exit_code == 0 and "3 added, 0 already there, 0 rejected" in first.output
    assert "new teams: Assur A, Assur B" in first.output
    second = _invoke("import", str(path), *MAP)
    assert "0 added, 3 already there" in second.output


def test_a_bad_file_is_reported_by_line_and_nothing_is_written(env: Path) -> None:
    path = _reviews(
        env / "bad.csv",
        ROWS
        + [
            ["9", "Assur A", "auto", "09/09/2021", "hors échelle"],
            ["3", "Assur A", "auto", "31/02/2021", "date impossible"],
        ],
    )
    result = runner.invoke(app, ["import", str(path), *MAP])
    assert result.exit_code == 1
    assert "line 5: score 9 is out of range for stars (1-5)" in result.output
    assert "line 6: date '31/02/2021' does not match dd/mm/yyyy" in result.output
    assert "nothing written: 2 of 5 rows are invalid" in result.output
    kept = runner.invoke(app, ["import", str(path), *MAP, "--skip-invalid"])
    assert kept.exit_code == 0 and "3 added" in kept.output and "bad.csv.rejects.csv" in kept.output
    assert (env / "bad.csv.rejects.csv").read_text(encoding="utf-8").count("\n") == 3
    assert "pass --skip-invalid to keep the good rows" in result.output  # the CLI's words


def test_option_errors_are_phrased_with_the_options_flag(env: Path) -> None:
    path = _reviews(env / "reviews.csv", ROWS)
    no_source = runner.invoke(app, ["import", str(path), *MAP, "--source", "  "])
    assert no_source.exit_code == 1
    assert "error: --source needs a short name (1-64 characters), e.g. --source qualtrics" in no_source.output
    bad_map = runner.invoke(app, ["import", str(path), *MAP, "--map", "comment=avis"])
    assert bad_map.exit_code == 1 and "--map 'comment=avis': unknown field 'comment'" in bad_map.output
    odd = env / "reviews.data"
    odd.write_text("x", encoding="utf-8")
    unknown = runner.invoke(app, ["import", str(odd), *MAP])
    assert unknown.exit_code == 1 and "or pass --format" in unknown.output


def test_teams_are_configured_and_checked(env: Path) -> None:
    assert (
        "channel C0TEAM1"
        in _invoke("teams", "add", "Care", "--channel", "C0TEAM1", "--digest-at", "7:05").output
    )
    bad = runner.invoke(app, ["teams", "add", "Care", "--channel", "general"])
    assert bad.exit_code == 1 and "not a Slack channel id" in bad.output
    bad_time = runner.invoke(app, ["teams", "add", "Care", "--digest-at", "25:00"])
    assert bad_time.exit_code == 1 and "not HH:MM" in bad_time.output
    assert "C0TEAM1" in _invoke("teams", "list").output and "07:05" in _invoke("teams", "list").output


def test_digest_dry_run_shows_the_digest_and_posts_nothing(env: Path) -> None:
    path = _reviews(env / "reviews.csv", ROWS)
    _invoke("import", str(path), *MAP, "--digest-all")  # 2021 reviews: history unless said otherwise
    _invoke("teams", "add", "Assur A", "--channel", "C0ASSURA")
    result = _invoke("digest", "--dry-run")
    assert "=== Assur A → C0ASSURA" in result.output
    assert result.output.index("je vais résilier") < result.output.index("Très bon accueil")
    again = _invoke("digest", "--dry-run")
    assert "=== Assur A → C0ASSURA" in again.output  # a preview leaves no ledger behind
    no_token = runner.invoke(app, ["digest"])
    assert no_token.exit_code == 2 and "SLACK_BOT_TOKEN" in no_token.output


def test_ask_prints_the_same_answer_as_slack(env: Path) -> None:
    path = _reviews(env / "reviews.csv", ROWS)
    _invoke("import", str(path), *MAP)
    result = _invoke("ask", "csat since 2021-09-01 by team")
    # stars are not CSAT: nothing to answer, said plainly
    assert result.exit_code == 0 and "No CSAT responses" in result.output
    bad = runner.invoke(app, ["ask", "nps last weak"])
    assert bad.exit_code == 1 and "Did you mean" in bad.output


def test_triage_train_status_and_rescore(env: Path) -> None:
    few = _invoke("triage", "train")
    assert few.exit_code == 0 and "fr: 0 labels · no model" in few.output and "100 needed" in few.output
    assert "no model yet" in _invoke("triage", "status").output
    rows = [
        [
            str(1 if n % 2 else 5),
            "Assur A",
            "auto",
            "06/09/2021",
            f"Dossier {'bloqué' if n % 2 else 'réglé'} n°{n}",
        ]
        for n in range(160)
    ]
    assert _invoke("import", str(_reviews(env / "rated.csv", rows)), *MAP).exit_code == 0
    trained = _invoke("triage", "train", "--rescore")
    assert "fr: 160 labels · v1" in trained.output and "held-out AUC lexicons" in trained.output
    status = _invoke("triage", "status").output
    assert "fr: 160 rated comments" in status and "fr v1" in status and "blend" in status
    assert _invoke("triage", "rescore").output.strip() == "rescored 160 untreated verbatims"


def test_digest_exits_non_zero_when_any_team_failed(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from bot.sandbox import SlackStandIn

    today = date.today().strftime("%d/%m/%Y")  # received today: both teams have something new
    path = _reviews(
        env / "reviews.csv",
        [[r[0], r[1].replace("Assur B", "Assur A"), r[2], today, r[4]] for r in ROWS]
        + [["2", "Assur B", "auto", today, "Toujours rien"]],
    )
    _invoke("import", str(path), *MAP)
    _invoke("teams", "add", "Assur A", "--channel", "C0ASSURA")
    _invoke("teams", "add", "Assur B", "--channel", "C0GONE")  # a channel Slack does not know
    with SlackStandIn() as slack:
        slack.add_channel("C0ASSURA", "assur-a")
        monkeypatch.setenv("SLACK_BOT_TOKEN", slack.bot_token)
        monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
        monkeypatch.setenv("SLACK_API_URL", slack.api_url)
        result = runner.invoke(app, ["digest"])
        assert len(slack.messages("C0ASSURA")) == 1, result.output
    assert result.exit_code == 1
    assert "Assur A: posted" in result.output and "Assur B: failed" in result.output
