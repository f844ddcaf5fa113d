"""Reading quality on labelled real data: AUC of the product's priority (text only) and of each component.

    .venv/bin/python benchmarks/bench_reading.py [--quick] [--seed 1]

For each labelled file of ../shared/data (read at run time, never copied), comments are split into a
negative class and a positive one, and every ranking is scored by its AUC: the chance that a negative
comment ranks as more urgent (reads worse) than a positive one, ties counted half.

* en_review_sentences.csv: label negative vs positive;
* fr_insurance_reviews.csv: 1-2 stars vs 4-5 stars, text only (the stars are withheld);
* csat_support_sample.csv: comments with CSAT 1-2 vs 4-5 (a small sample: read its AUC with care).

Rankings, each on the text alone:
* old formula: the priority before this reader (25 x -TextBlob polarity below -0.1, else 0; risks);
* TextBlob: TextBlob's polarity (textblob-fr's for French); VADER rules: the VADER lexicon of the
  language with our negation/intensifier/phrase/emoji rules; lexicons: their ensemble (the reader);
* product: `triage_text` (language detection, the reader, risks) + `compute_priority` with no score,
  equal priorities broken by the reading as the digest does;
* learning, simulated: a model is learnt on one half as if those were the company's rated comments
  (cross-validated weight, exactly `triage_models`' code) and the other half is scored, never the
  comments it learnt from (English: a random half; French: half of the insurers). The same held-out
  half is also scored by the lexicons alone and the model alone. The learnt half's own cross-validated
  AUCs (what `symmetry triage train` reports, and what chose the blend's weight) are printed first.
  No model trained here is kept.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
from common import NOW, table  # noqa: E402

SMALL = 400  # a class below this size: the AUC's sampling error is a few hundredths


def load(name: str, limit: int | None) -> list[tuple[str, bool, str]] | None:
    """(text, negative?, group) of the labelled comments of one file."""
    path = common.data_file(name)
    if path is None:
        return None
    out = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if name.startswith("en_"):
                out.append((row["text"], row["label"] == "negative", row["site"]))
                continue
            text, score = (
                (row["avis"], row["note"])
                if name.startswith("fr_")
                else (row["Customer Remarks"], row["CSAT Score"])
            )
            if not text.strip() or not score.strip().isdigit():
                continue
            if int(score) in (1, 2, 4, 5):
                out.append((text, int(score) <= 2, row.get("assureur", "")))
    return out[:limit] if limit else out


def product_key(text: str, taxonomy, language: str | None = None) -> tuple[float, float | None]:  # type: ignore[no-untyped-def]
    """Urgency of a comment by the product (higher first) and its reading."""
    from bot.services.customers.triage import triage_text

    tri = triage_text(text, language_hint=language, taxonomy=taxonomy)
    return urgency(tri.sentiment, tri.sentiment_label, tri.risks), tri.sentiment


def urgency(sentiment, label, risks) -> float:  # type: ignore[no-untyped-def]
    from bot.services.customers.priority import compute_priority

    value = compute_priority(
        score=None, scale="stars", sentiment=sentiment, sentiment_label=label, risks=risks,
        received_at=NOW - timedelta(hours=1), now=NOW,
    ).value  # fmt: skip
    return value - (
        0.2 if sentiment is None else sentiment / 10
    )  # the digest's tie-break: worse reading first


def old_formula(text: str, language: str, taxonomy) -> float:  # type: ignore[no-untyped-def]
    from bot.services.customers.sentiment import polarity

    p = polarity(text, language)
    points = round(25 * min(-p, 1.0)) if p is not None and p < -0.1 else 0
    return min(100, points + min(30, 20 * len(taxonomy.scan(text, language)[1])))


def evaluate(name: str, rows: list[tuple[str, bool, str]], language: str, taxonomy, seed: int) -> list[tuple]:  # type: ignore[no-untyped-def]
    import numpy as np

    from bot.services.customers import learning
    from bot.services.customers.reading import read_sentiment

    y = np.array([neg for _, neg, _ in rows])
    readings = [read_sentiment(t, language) for t, _, _ in rows]
    scores = {  # higher = more urgent
        "old formula (before)": [old_formula(t, language, taxonomy) for t, _, _ in rows],
        "TextBlob alone": [-r.textblob for r in readings],
        "VADER rules alone": [-r.vader for r in readings],
        "lexicons (the reader)": [-r.value for r in readings],
        "product priority (text only)": [product_key(t, taxonomy)[0] for t, _, _ in rows],
    }
    out = [
        (name, label, len(y), int(y.sum()), f"{learning.auc_of(-np.array(s), y):.3f}")
        for label, s in scores.items()
    ]
    return out + simulate_learning(name, rows, language, taxonomy, seed)


def split(name: str, rows: list, seed: int) -> tuple[list[int], list[int]]:
    rng = random.Random(seed)
    if name.startswith("fr_"):  # half of the insurers learn, the other half is scored
        groups = sorted({g for _, _, g in rows})
        rng.shuffle(groups)
        learn = set(groups[: len(groups) // 2])
        return [i for i, r in enumerate(rows) if r[2] in learn], [
            i for i, r in enumerate(rows) if r[2] not in learn
        ]
    order = list(range(len(rows)))
    rng.shuffle(order)
    return sorted(order[: len(order) // 2]), sorted(order[len(order) // 2 :])


def simulate_learning(name: str, rows: list, language: str, taxonomy, seed: int) -> list[tuple]:  # type: ignore[no-untyped-def]
    import numpy as np

    from bot.services.customers import learning
    from bot.services.customers.triage_models import MIN_LABELS, Blender, _lexicon_value

    learn, scored = split(name, rows, seed)
    texts, negative = [rows[i][0] for i in learn], [rows[i][1] for i in learn]
    if not learning.enough(negative, MIN_LABELS):
        return [(name, "learning (simulated): too few labels for a model", len(learn), sum(negative), "-")]
    evaluation = learning.cross_validate(texts, negative, [_lexicon_value(t, language) for t in texts])
    model = learning.fit(texts, negative)
    blender = Blender({language: (model, evaluation.weight, 0)})
    test = [rows[i] for i in scored]
    y = np.array([neg for _, neg, _ in test])
    lex = np.array([_lexicon_value(t, language) for t, _, _ in test])
    alone = model.polarity([t for t, _, _ in test])
    product = []
    for t, _, _ in test:
        from bot.services.customers.triage import triage_text

        tri = triage_text(t, taxonomy=taxonomy)
        [(lang, s, label, _r, risks)] = blender.apply_to_reads(
            [(tri.language, tri.sentiment, tri.sentiment_label, tri.reasons, tri.risks)], [t]
        )
        product.append(urgency(s, label, risks))
    held = f"held-out half ({len(test)} scored, {len(learn)} learnt, weight {evaluation.weight})"
    cv = f"learnt half, cross-validated as `triage train` reports it: lexicons {evaluation.auc_lexicons:.3f}, model"
    return [
        (
            name,
            f"  {cv} {evaluation.auc_model:.3f}, blend",
            len(learn),
            sum(negative),
            f"{evaluation.auc_blend:.3f}",
        ),
        (name, f"  lexicons alone, {held}", len(y), int(y.sum()), f"{learning.auc_of(lex, y):.3f}"),
        (name, "  trained model alone, same half", len(y), int(y.sum()), f"{learning.auc_of(alone, y):.3f}"),
        (
            name,
            "  reading with learning (the blend), same half",
            len(y),
            int(y.sum()),
            f"{learning.auc_of(learning.blend(lex, alone, evaluation.weight), y):.3f}",
        ),
        (
            name,
            "  product priority with learning, same half",
            len(y),
            int(y.sum()),
            f"{learning.auc_of(-np.array(product), y):.3f}",
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the first 3,000 comments of each file")
    parser.add_argument("--seed", type=int, default=1, help="the random halves of the learning simulation")
    parser.add_argument("--files", default="en,fr,csat", help="which files: en, fr, csat (comma-separated)")
    args = parser.parse_args()
    from bot.services.customers.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    print(f"bench_reading: {common.machine_note()}")
    results = []
    for name, language in (
        ("en_review_sentences.csv", "en"), ("fr_insurance_reviews.csv", "fr"), ("csat_support_sample.csv", "en")
    ):  # fmt: skip
        if name.split("_")[0] not in args.files.split(","):
            continue
        rows = load(name, 3_000 if args.quick else None)
        if rows is None:
            print(f"{name}: absent, skipped")
            continue
        started = time.perf_counter()
        results += evaluate(name, rows, language, taxonomy, args.seed)
        print(f"  {name}: {len(rows):,} comments read in {time.perf_counter() - started:.0f} s", flush=True)
    print()
    print(
        table(
            ["file", "ranking (text only)", "n", "negatives", "AUC"], results, title="Negative above positive"
        )
    )
    if any(n < SMALL for _, _, n, _, _ in results):
        print(
            f"\nSamples under {SMALL} comments (the CSAT file: 162): their AUC can move by a few hundredths."
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
