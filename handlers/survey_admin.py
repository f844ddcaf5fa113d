"""`/symmetry report [period] [for team]` and `/symmetry survey ...` (admins), as answers to the
/symmetry command (handlers/symmetry.py dispatches; the work is in services and jobs)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.db import session_scope
from bot.entry.deps import Deps
from bot.errors import InvalidInput
from bot.services.employees import survey_admin
from bot.services.kpi.ask import NO_CHART
from bot.services.kpi.charts import ChartUnavailable
from bot.services.people.roles import find_person, require_admin
from bot.services.reports.charts import symmetry_chart, symmetry_title
from bot.services.reports.symmetry_service import report_for
from bot.services.reports.symmetry_text import report_text

LANG = re.compile(r"--lang\s+(en|fr)\b", re.IGNORECASE)
FOR_TEAM = re.compile(r"\s+(?:for|pour)\s+(.+)$", re.IGNORECASE)
SURVEY_USAGE = "survey status | schedule --team T --day monday --at 10:00 --days-open 3 | open --team T | close --team T | questions"


@dataclass(frozen=True)
class ChartedText:
    """An answer with a PNG beside it (the adapter uploads the chart, then says where it went)."""

    text: str
    png: bytes
    title: str
    filename: str


def answer_report(deps: Deps, actor: str, text: str) -> ChartedText | str:
    """`report last month for Paris`, `report this quarter` (the asker's own team), FR words too."""
    rest = text.split(maxsplit=1)[1] if len(text.split()) > 1 else ""
    lang = LANG.search(rest)
    language = lang.group(1).lower() if lang else "en"
    rest = LANG.sub("", rest).strip()
    team = None
    if match := FOR_TEAM.search(rest):
        team, rest = match.group(1).strip(), rest[: match.start()]
    with session_scope(deps.factory) as session:
        if team is None:
            person = find_person(session, actor)
            if person is None or person.team_id is None:
                raise InvalidInput("Which team? Add `for <team>` (you are in no team yet).")
            from models.team import Team

            team = session.get(Team, person.team_id).name  # type: ignore[union-attr]
        report = report_for(
            session,
            team=team,
            period=rest.strip() or "last month",
            language=language,
            taxonomy=deps.taxonomy,
            now=deps.clock.now(),
            viewer=actor,
            slack_admins_are_admins=deps.settings.SYMMETRY_SLACK_ADMINS_ARE_ADMINS,
        )
        words = report_text(report, deps.taxonomy)
    try:
        png = deps.charts.draw(symmetry_chart, report)
    except ChartUnavailable:
        return f"{words}\n{NO_CHART}"
    return ChartedText(words, png, symmetry_title(report), f"symmetry-{report.team}.png".replace(" ", "_"))


def answer_survey(deps: Deps, actor: str, text: str) -> str:
    words = text.split(maxsplit=2)
    action, rest = (words[1] if len(words) > 1 else "status"), (words[2] if len(words) > 2 else "")
    with session_scope(deps.factory) as session:
        require_admin(session, actor, slack_admins_are_admins=deps.settings.SYMMETRY_SLACK_ADMINS_ARE_ADMINS)
        if action == "status":
            return "\n".join(survey_admin.status_lines(session))
        if action == "questions":
            return "\n".join(survey_admin.questions_lines(deps.survey_questions))
        if action == "schedule":
            return survey_admin.schedule(
                session, survey_admin.parse_schedule_text(rest), now=deps.clock.now()
            )
    if action in ("open", "close"):
        change = survey_admin.parse_schedule_text(rest)
        return open_round_now(deps, change.team) if action == "open" else close_round_now(deps, change.team)
    raise InvalidInput(f"unknown survey action {action!r}", hints=[f"/symmetry {SURVEY_USAGE}"])


def open_round_now(deps: Deps, team: str) -> str:
    """A round for `team` now, DMs sent at Slack's pace (`/symmetry survey open`, the App Home button)."""
    from bot.services.people.teams import get_team
    from bot.slack.client import make_web_client
    from jobs.survey_open import open_for_team
    from jobs.survey_send import send_due

    client = make_web_client(deps.settings)
    with session_scope(deps.factory) as session:
        found = get_team(session, team)
    outcome = open_for_team(deps, found, client=client, now=deps.clock.now())
    if outcome.status == "skipped":
        return f"{found.name}: round skipped, {outcome.detail}"
    report = send_due(deps, client=client, round_id=outcome.round_id)
    return f"{found.name}: round {outcome.number} open; DMs sent {report.sent}, failed {report.failed}."


def close_round_now(deps: Deps, team: str) -> str:
    """Close `team`'s open round and post its results (`/symmetry survey close`, the App Home button)."""
    from bot.slack.client import make_web_client
    from jobs.survey_close import tick

    with session_scope(deps.factory) as session:
        survey_admin.close_now(session, team=team, now=deps.clock.now())
    posted = tick(deps, client=make_web_client(deps.settings), now=deps.clock.now())
    return "Closed. " + ("; ".join(posted) if posted else "Nothing to post (no channel set).")
