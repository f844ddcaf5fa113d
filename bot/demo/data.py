"""Realistic generated verbatims for the demo and the tests: English and French, several teams,
channels, reasons and scores. Written by the project (templates + a seeded RNG): no third-party text."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta

TEAMS = {
    "London Care": {"language": "en", "scale": "csat", "timezone": "Europe/London", "channel_id": "C0LONDON"},
    "Paris Sinistres": {
        "language": "fr",
        "scale": "nps",
        "timezone": "Europe/Paris",
        "channel_id": "C0PARIS",
    },
    "Montreal Chat": {
        "language": "mixed",
        "scale": "nps",
        "timezone": "America/Toronto",
        "channel_id": "C0MTL",
    },
}
CHANNELS = ["phone", "email", "chat", "store"]
LEVELS = ["level 1", "level 2", "expert"]
AGENTS = ["Alice Martin", "Bruno Diaz", "Chloé Petit", "Dev Patel", "Emma Roy", "Farid Benali"]

EN = {
    "bad": [
        "My {thing} arrived {days} days late and nobody answered my emails. I want to cancel my subscription.",
        "Third time I call about the same {thing} problem, still no answer. Absolutely terrible service.",
        "You charged me twice for my {thing}. If this is not refunded this week I will contact my lawyer.",
        "The agent was rude and hung up on me. I am switching to a competitor.",
        "Waited 45 minutes on hold to talk about my {thing}. Disappointing and frustrating.",
        "The {thing} I received is broken and the replacement never came. Very poor quality.",
        "I can't log in to my account since the update and the chat bot is useless.",
        "The charger overheated and started a small fire. This is dangerous, please call me back.",
    ],
    "mid": [
        "The {thing} was fine but delivery took longer than announced.",
        "Agent was polite, but I had to explain my {thing} issue twice.",
        "Okay overall. The website is a bit confusing when you want to change your {thing}.",
    ],
    "good": [
        "Great service, the agent solved my {thing} problem in five minutes. Thank you!",
        "Very helpful and friendly, my refund for the {thing} was processed quickly.",
        "Excellent follow-up on my {thing}, I really appreciate the callback.",
        "Fast delivery and a lovely handwritten note. Perfect!",
    ],
    "things": ["order", "parcel", "invoice", "refund", "phone", "subscription", "delivery", "bill"],
}
FR = {
    "bad": [
        "Mon dossier de sinistre traîne depuis {days} jours, personne ne répond. Je vais résilier mon contrat.",
        "Troisième relance pour le même {thing}, toujours pas de réponse. Service déplorable.",
        "Vous m'avez prélevé deux fois la cotisation. Sans remboursement je saisis le médiateur.",
        "Conseiller désagréable et incompétent, je change d'assureur dès l'échéance.",
        "Attente interminable au téléphone pour un simple {thing}. Très déçu.",
        "Le réparateur n'est jamais venu, la fuite d'eau a causé un début d'incendie électrique, c'est dangereux.",
    ],
    "mid": [
        "Le {thing} a été traité mais les délais sont longs.",
        "Accueil correct, mais j'ai dû rappeler pour avoir une réponse sur mon {thing}.",
        "Tarif un peu cher pour ce niveau de service.",
    ],
    "good": [
        "Très bon accueil, mon {thing} a été réglé rapidement. Merci beaucoup !",
        "Conseillère très professionnelle et à l'écoute, je recommande.",
        "Indemnisation rapide après mon sinistre, service excellent.",
        "Rapide, efficace et aimable. Parfait.",
    ],
    "things": ["sinistre", "dossier", "contrat", "remboursement", "devis", "avenant", "échéancier"],
}
EDGE = [
    "<!channel> URGENT <@U0BOSS> my order is wrong!!! 😡😡😡 <https://evil.example|click here>",
    "Service ok 👍 mais le délai… 😐 & <script>alert(1)</script>",
    "bahut bura service, paisa wapas karo jaldi ????",
]


def _score(band: str, scale: str, rng: random.Random) -> int:
    if scale == "nps":
        return {"bad": rng.randint(0, 4), "mid": rng.randint(5, 8), "good": rng.randint(9, 10)}[band]
    return {"bad": rng.randint(1, 2), "mid": 3, "good": rng.randint(4, 5)}[band]


def generate(rows: int, *, now: datetime, seed: int = 7, days: int = 3) -> Iterator[dict]:
    """`rows` canonical records spread over the last `days` days, as import/ingest expect them."""
    rng = random.Random(seed)
    names = list(TEAMS)
    for n in range(rows):
        team = names[n % len(names)]
        conf = TEAMS[team]
        lang = conf["language"] if conf["language"] != "mixed" else rng.choice(["en", "fr"])
        bank = EN if lang == "en" else FR
        band = rng.choices(["bad", "mid", "good"], weights=[3, 3, 4])[0]
        text = rng.choice(bank[band]).format(thing=rng.choice(bank["things"]), days=rng.randint(3, 30))
        if n % 97 == 13:
            text = EDGE[(n // 97) % len(EDGE)]
        if n % 11 == 5:
            text = ""  # score-only responses are common
        yield {
            "external_id": f"demo-{seed}-{n:06d}",
            "received_at": (now - timedelta(minutes=rng.randint(5, days * 24 * 60))).isoformat(),
            "text": text,
            "score": _score(band, conf["scale"], rng),
            "scale": conf["scale"],
            "channel": rng.choice(CHANNELS),
            "team": team,
            "agent": rng.choice(AGENTS),
            "processing_level": rng.choice(LEVELS),
        }
