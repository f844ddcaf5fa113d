"""`symmetry triage train|status|rescore`: learn from the store's own rated comments, see how well, apply."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.helpers import friendly

triage_app = typer.Typer(
    help="How comments are read: models learnt from your rated comments.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(triage_app, name="triage")


@triage_app.command("train")
@friendly
def train(
    min_labels: Annotated[int, typer.Option(help="rated comments a language needs")] = 100,
    rescore: Annotated[bool, typer.Option(help="then rescore the open verbatims")] = False,
) -> None:
    """Fit a model per language on the store's scored comments; used only if it beats the lexicons held out."""
    from bot.entry.deps import build_deps
    from jobs.triage_train import train_and_rescore

    deps = build_deps()
    for line in train_and_rescore(deps, now=deps.clock.now(), min_labels=min_labels, rescore=rescore):
        typer.echo(line)


@triage_app.command("status")
@friendly
def status() -> None:
    """Labels per language, each model version with its held-out AUCs, and which one is in use."""
    from bot.db import session_scope
    from bot.entry.deps import build_deps
    from bot.services.customers.triage_models import count_labels, model_versions

    deps = build_deps()
    with session_scope(deps.factory) as session:
        labels, versions = count_labels(session), model_versions(session)
        for language, n in labels.items():
            typer.echo(f"{language}: {n} rated comments with a clear label (low or high score)")
        if not versions:
            typer.echo("no model yet: the lexicons read every comment (symmetry triage train)")
        for m in versions:
            typer.echo(
                f"{m.language} v{m.version} {m.created_at:%Y-%m-%d %H:%M} · {m.labels} labels · held-out AUC "
                f"lexicons {m.auc_lexicons:.3f}, model {m.auc_model:.3f}, blend {m.auc_blend:.3f} "
                f"(model weight {m.weight:.2f}) · {'IN USE' if m.active else 'not used'}"
            )


@triage_app.command("rescore")
@friendly
def rescore() -> None:
    """Read the open and claimed verbatims again with the current rules and the models in use."""
    from bot.entry.deps import build_deps
    from jobs.triage_train import rescore_all

    deps = build_deps()
    typer.echo(f"rescored {rescore_all(deps, now=deps.clock.now()):,} untreated verbatims")
