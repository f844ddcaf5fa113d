"""Learning from the store's own rated comments: nothing changes without enough labels; with them, a
model is used only after it beat the lexicons held out, new imports and `rescore` then apply it."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlmodel import select

from bot.db import session_scope
from bot.services.customers.reading import read_sentiment
from bot.services.customers.rescore import rescore_untreated
from bot.services.customers.triage_models import active_blender, model_versions, train_models
from models import TriageModel, Verbatim
from tests.factories import TAXONOMY, add_verbatims, make_team, record

# Words the lexicons do not know: only the company's own ratings tell which side they are on.
BAD, GOOD = ["zorblaxed", "glorped", "snarfed"], ["crispy", "tidy", "prompt"]
THINGS = ["parcel", "order", "claim", "invoice", "account", "meter"]


def rated(n: int, *, now, start: int = 0) -> list[dict]:  # type: ignore[no-untyped-def]
    rng = random.Random(n)
    rows = []
    for i in range(start, start + n):
        negative = i % 2 == 0
        word = rng.choice(BAD if negative else GOOD)
        text = f"The {rng.choice(THINGS)} was {word} again, the {rng.choice(THINGS)} too"
        rows.append(record(i, now=now, text=text, score=rng.choice([0, 2, 5] if negative else [9, 10])))
    return rows


def _sentiment(factory, external_id: str) -> float:  # type: ignore[no-untyped-def]
    with session_scope(factory) as session:
        return session.exec(select(Verbatim.sentiment).where(Verbatim.external_id == external_id)).one()


def test_without_enough_labels_nothing_changes(factory, now) -> None:  # type: ignore[no-untyped-def]
    make_team(factory, now=now)
    add_verbatims(factory, rated(60, now=now), now=now)
    with session_scope(factory) as session:
        outcomes = train_models(session, now=now)
    assert [(o.language, o.used, o.version) for o in outcomes] == [("en", False, None), ("fr", False, None)]
    assert "100 needed" in outcomes[0].note
    with session_scope(factory) as session:
        assert model_versions(session) == [] and active_blender(session).models == {}
    add_verbatims(factory, [record(999, now=now, text="The meter was zorblaxed", score=None)], now=now)
    assert _sentiment(factory, "r999") == read_sentiment("The meter was zorblaxed", "en").value  # type: ignore[union-attr]


def test_a_model_that_beats_the_lexicons_held_out_is_used_for_imports_and_rescore(factory, now) -> None:  # type: ignore[no-untyped-def]
    make_team(factory, now=now)
    add_verbatims(factory, [record(900, now=now, text="The parcel was snarfed", score=None)], now=now)
    before = _sentiment(factory, "r900")
    add_verbatims(factory, rated(240, now=now), now=now)
    with session_scope(factory) as session:
        [en, fr] = train_models(session, now=now)
    assert en.used and en.version == 1 and not fr.used
    assert en.evaluation is not None and en.evaluation.auc_blend > en.evaluation.auc_lexicons + 0.2
    assert en.evaluation.weight > 0 and en.evaluation.labels == 240

    add_verbatims(factory, [record(901, now=now, text="The parcel was snarfed", score=None)], now=now)
    assert _sentiment(factory, "r901") < before - 0.1  # a new import reads it with the model
    assert _sentiment(factory, "r900") == before  # the old one waits for a rescore
    with session_scope(factory) as session:
        treated = session.exec(select(Verbatim).where(Verbatim.external_id == "r2")).one()
        treated.status, treated_sentiment = "treated", treated.sentiment
        session.add(treated)
    with session_scope(factory) as session:
        count = rescore_untreated(session, taxonomy=TAXONOMY, blender=active_blender(session), now=now)
    assert count == 241 + 1 - 1
    assert _sentiment(factory, "r900") == _sentiment(factory, "r901")
    assert _sentiment(factory, "r2") == treated_sentiment


def test_each_training_is_a_new_version_and_only_the_newest_useful_one_is_active(factory, now) -> None:  # type: ignore[no-untyped-def]
    make_team(factory, now=now)
    add_verbatims(factory, rated(200, now=now), now=now)
    with session_scope(factory) as session:
        train_models(session, now=now)
    with session_scope(factory) as session:
        train_models(session, now=now + timedelta(days=7))
    with session_scope(factory) as session:
        versions = [(m.language, m.version, m.active) for m in model_versions(session)]
        stored = session.exec(select(TriageModel)).first()
    assert versions == [("en", 2, True), ("en", 1, False)]
    assert stored is not None and len(stored.weights) > 100_000  # the weights live in the store


def test_training_reads_the_most_recent_rated_comments_up_to_a_text_budget(factory, now, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from bot.services.customers import triage_models

    make_team(factory, now=now)
    long = "The parcel was zorblaxed and " + "the meter too " * 20  # 309 characters
    rows = [record(i, now=now, text=long, score=0 if i % 2 else 10, hours_ago=i + 1) for i in range(10)]
    add_verbatims(factory, rows, now=now)
    monkeypatch.setattr(triage_models, "MAX_CHARS", 4 * len(long))
    with session_scope(factory) as session:
        texts, negative = triage_models.labelled_comments(session, "en")
    assert len(texts) == 4 and negative == [False, True, False, True]  # r0..r3, the newest
