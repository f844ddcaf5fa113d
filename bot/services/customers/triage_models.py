"""Learning from the store's own rated comments: train, report, apply (see ``learning`` for the model).

``train_models`` fits one model per language on the scored comments of the store, measures it held
out (cross-validation) beside the lexicons, and saves it as a new version. A version is *active*
(applied to new comments at import and by ``rescore_open``) only when it had at least
``MIN_LABELS`` labels and its blend beat the lexicons held out; otherwise nothing changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, func, select

from bot.services.customers import learning, learning_features
from bot.services.customers.learning import Model
from bot.services.customers.reading import read_sentiment
from bot.services.customers.sentiment import sentiment_label
from models.triage_model import TriageModel
from models.verbatim import Status, Verbatim

MIN_LABELS = 100  # rated comments (negative or positive) a language needs before a model is used
MAX_LABELS = 50_000  # the most recent ones
MAX_CHARS = 4_000_000  # and at most this much text (~7M features, ~250 MB while fitting): long reviews
LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class Blender:
    """The active model of each language and its share in the blend."""

    models: dict[str, tuple[Model, float, int]]  # language -> (model, weight, version)

    def apply(self, texts: Sequence[str], languages: Sequence[str], values: Sequence[float | None]) -> list:
        """``values`` (the lexicons' readings) blended with each language's model, where there is one."""
        out = list(values)
        for language, (model, weight, _version) in self.models.items():
            at = [
                i
                for i, (lang, v) in enumerate(zip(languages, values, strict=True))
                if lang == language and v is not None
            ]
            if not at or weight <= 0:
                continue
            polarity = model.polarity([texts[i] for i in at])
            for i, m in zip(at, polarity, strict=True):
                out[i] = max(-1.0, min(1.0, (1 - weight) * float(values[i]) + weight * float(m)))  # type: ignore[arg-type]
        return out

    def apply_to_reads(self, reads: list[tuple], texts: list[str]) -> list[tuple]:
        """Triage reads (language, sentiment, label, reasons, risks) with sentiments blended, relabelled."""
        values = self.apply(texts, [r[0] for r in reads], [r[1] for r in reads])
        return [
            read if value == read[1] else (read[0], value, sentiment_label(value), *read[3:])
            for read, value in zip(reads, values, strict=True)
        ]


NO_MODELS = Blender({})


@dataclass(frozen=True)
class TrainOutcome:
    language: str
    labels: int
    used: bool
    version: int | None = None
    evaluation: learning.Evaluation | None = None
    note: str = ""


def labelled_comments(session: Session, language: str) -> tuple[list[str], list[bool]]:
    """The most recent scored comments in ``language`` with a clear label (low or high score)."""
    rows = session.exec(
        select(Verbatim.text, Verbatim.score, Verbatim.scale)
        .where(Verbatim.language == language, col(Verbatim.score).is_not(None), Verbatim.text != "")
        .order_by(col(Verbatim.received_at).desc(), col(Verbatim.id).desc())
        .limit(MAX_LABELS * 2)
    ).all()
    texts: list[str] = []
    negative: list[bool] = []
    chars = 0
    for text, score, scale in rows:
        label = learning.label_of(score, scale)
        if label is not None:
            chars += min(len(text), learning_features.MAX_CHARS)
            if len(texts) >= MAX_LABELS or chars > MAX_CHARS:
                break
            texts.append(text)
            negative.append(label)
    return texts, negative


def train_models(session: Session, *, now: datetime, min_labels: int = MIN_LABELS) -> list[TrainOutcome]:
    """A new model version per language with enough labels; the blend is used only if it helps."""
    return [_train_one(session, language, now=now, min_labels=min_labels) for language in LANGUAGES]


def _train_one(session: Session, language: str, *, now: datetime, min_labels: int) -> TrainOutcome:
    texts, negative = labelled_comments(session, language)
    if not learning.enough(negative, min_labels):
        note = f"{len(texts)} rated comments, {min_labels} needed (at least {learning.MIN_PER_CLASS} of each side)"
        return TrainOutcome(language, len(texts), used=False, note=note)
    lexicons = [_lexicon_value(t, language) for t in texts]
    evaluation = learning.cross_validate(texts, negative, lexicons)
    model = learning.fit(texts, negative)
    used = evaluation.weight > 0
    version = (
        session.exec(select(func.max(TriageModel.version)).where(TriageModel.language == language)).one() or 0
    ) + 1
    if used:
        for old in session.exec(
            select(TriageModel).where(TriageModel.language == language, TriageModel.active)
        ):
            old.active = False
            session.add(old)
    session.add(
        TriageModel(
            language=language, version=version, created_at=now, labels=evaluation.labels,
            negatives=evaluation.negatives, auc_lexicons=evaluation.auc_lexicons, auc_model=evaluation.auc_model,
            auc_blend=evaluation.auc_blend, weight=evaluation.weight, buckets=learning.BUCKETS, active=used,
            weights=learning.to_bytes(model),
        )
    )  # fmt: skip
    session.flush()
    note = "" if used else "the lexicons alone did as well held out: not used"
    return TrainOutcome(language, len(texts), used, version, evaluation, note)


def _lexicon_value(text: str, language: str) -> float:
    reading = read_sentiment(text, language)
    return 0.0 if reading is None else reading.value


def active_blender(session: Session) -> Blender:
    """The active model of each language (none: the lexicons alone)."""
    rows = session.exec(select(TriageModel).where(TriageModel.active)).all()
    return Blender({r.language: (learning.from_bytes(r.weights), r.weight, r.version) for r in rows})


def model_versions(session: Session) -> list[TriageModel]:
    """Every saved version, newest first per language."""
    return list(
        session.exec(
            select(TriageModel).order_by(TriageModel.language, col(TriageModel.version).desc())
        ).all()
    )


def latest_training(session: Session) -> tuple[datetime | None, int]:
    """When the newest model was trained (None: never), and how many scored comments in en/fr have text."""
    last = session.exec(select(func.max(TriageModel.created_at))).one()
    rated = session.exec(
        select(func.count()).where(
            col(Verbatim.language).in_(LANGUAGES), col(Verbatim.score).is_not(None), Verbatim.text != ""
        )
    ).one()
    if last is not None and last.tzinfo is None:  # SQLite aggregates come back naive (UTC)
        last = last.replace(tzinfo=UTC)
    return last, rated


def count_labels(session: Session) -> dict[str, int]:
    return {language: len(labelled_comments(session, language)[0]) for language in LANGUAGES}


def untreated_ids(session: Session) -> list[int]:
    query = select(col(Verbatim.id)).where(Verbatim.status != Status.TREATED.value).order_by(col(Verbatim.id))
    return [i for i in session.exec(query).all() if i is not None]
