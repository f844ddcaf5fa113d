"""Every slash command, declared once: the manifest (bot/slack/manifest.py) lists these, and each
handlers module registers the commands whose `handler` is its key, so the two cannot drift.

`/symmetry` carries help and admin work as subcommands (`/symmetry grant @x manager`); each one names
the handler key that runs it (handlers/symmetry.py holds the table). To add a command: a line in
COMMANDS (and its listener in the handlers module of that key); to add a subcommand: a line in
SUBCOMMANDS and its function in handlers/symmetry.py's table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SlashCommand:
    command: str  # "/nps"
    description: str  # shown by Slack's command picker (max 2000 chars; keep it short)
    usage_hint: str  # shown after the command in the picker
    handler: str  # which handlers module answers it: "kpi", "symmetry"
    employee: bool = False  # off with SYMMETRY_EMPLOYEE_FEATURES=false (bot/slack/employees_off.py)


@dataclass(frozen=True, slots=True)
class Subcommand:
    name: str  # first word after /symmetry
    usage: str  # how to type it, after "/symmetry "
    description: str
    handler: str  # key in handlers/symmetry.py's table
    admin: bool = False
    employee: bool = False  # off with SYMMETRY_EMPLOYEE_FEATURES=false


SYMMETRY = "/symmetry"
COMMANDS: tuple[SlashCommand, ...] = (
    SlashCommand("/nps", "NPS for a period, team or channel", "last week by channel", "kpi"),
    SlashCommand("/csat", "CSAT for a period, team or channel", "this month by channel", "kpi"),
    SlashCommand(
        "/enps",
        "eNPS from the weekly survey (anonymous, whole rounds)",
        "last month by team | last round",
        "kpi",
        employee=True,
    ),
    SlashCommand(
        "/kpi",
        "Any KPI: /kpi nps last month for Billing, /kpi participation last round (/kpi help)",
        "nps trend 12 weeks | participation last round | help",
        "kpi",
    ),
    SlashCommand(
        "/pulse",
        "How do you feel about work today? (1-5, anonymous by default)",
        "[1-5 | help]",
        "pulse",
        True,
    ),
    SlashCommand(
        "/bestfailure", "Tell a best failure: what went wrong, what you did", "[list | help]", "stories", True
    ),
    SlashCommand(
        "/suggest",
        "A suggestion to your team's managers (anonymous by default)",
        "[your idea | list | help]",
        "suggestions",
        employee=True,
    ),
    SlashCommand(
        SYMMETRY, "Help, and admin: roles and teams", "help | grant | assign | manage | people", "symmetry"
    ),
)
SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand("help", "help", "what each command does", "help"),
    Subcommand(
        "report",
        "report [period] [for team]",
        "the symmetry report: what employees believe beside what customers say",
        "report",
        employee=True,
    ),
    Subcommand(
        "survey",
        "survey status | schedule --team T --day monday --at 10:00 | open --team T | close --team T | questions",
        "the weekly survey (also in the App Home: Open a round now, Close round now, Status)",
        "survey",
        admin=True,
        employee=True,
    ),
    Subcommand(
        "grant", "grant @someone manager", "give a role (agent, manager, admin)", "people", admin=True
    ),
    Subcommand("revoke", "revoke @someone manager", "take a role back", "people", admin=True),
    Subcommand("assign", "assign @someone <team>", "put someone in their own team", "people", admin=True),
    Subcommand("manage", "manage @someone <team>", "make someone a manager of a team", "people", admin=True),
    Subcommand("people", "people", "who sees what", "people", admin=True),
)


def commands_for(handler: str) -> list[SlashCommand]:
    return [c for c in COMMANDS if c.handler == handler]


def subcommand(name: str) -> Subcommand | None:
    return next((s for s in SUBCOMMANDS if s.name == name.lower()), None)


def help_text() -> str:
    """What `/symmetry help` answers: every command and subcommand, one line each."""
    lines = ["*Symmetry commands*"]
    lines += [f"• `{c.command} {c.usage_hint}`: {c.description}" for c in COMMANDS if c.command != SYMMETRY]
    lines.append(f"• `{SYMMETRY} help`: this list")
    lines += [
        f"• `{SYMMETRY} {s.usage}`: {s.description}" for s in SUBCOMMANDS if not s.admin and s.name != "help"
    ]
    lines.append("*Admin* (admins only)")
    lines += [f"• `{SYMMETRY} {s.usage}`: {s.description}" for s in SUBCOMMANDS if s.admin]
    lines.append(
        "Ask in words, e.g. `/nps last week by channel`, `/kpi participation last round`, or mention "
        "@Symmetry with a question; `/kpi help` lists the metrics."
    )
    return "\n".join(lines)


def moved_to_symmetry(text: str) -> str:
    """The one line `/kpi grant …` answers now that admin work lives under /symmetry."""
    return f"Admin commands moved to {SYMMETRY}: type `{SYMMETRY} {' '.join(text.split())}`."
