"""Word lists the reader scores with: the VADER lexicons (English, French, emoji) shipped in
bot/data/lexicons (MIT, see NOTICE), and our own rules' words (negations, intensifiers, phrases).

Valences are on VADER's scale, -4 (worst) to +4 (best). Multi-word entries ("fed up", "en colère")
are kept apart and matched as word pairs. Everything is loaded once per process.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data" / "lexicons"

# Our rules (not from the packages). A negation flips and damps the next sentiment words of its clause.
NEGATIONS = {
    "en": frozenset(
        """not no never none nobody nothing neither nor cannot without hardly barely nowhere
        don't doesn't didn't isn't aren't wasn't weren't won't wouldn't can't couldn't shouldn't
        haven't hasn't hadn't ain't dont doesnt didnt isnt arent wasnt werent wont wouldnt cant
        couldnt shouldnt havent hasnt hadnt aint n't""".split()
    ),
    "fr": frozenset("pas jamais rien aucun aucune aucunement nullement sans ni guère personne".split()),
}
INTENSIFIERS = {
    "en": {
        **dict.fromkeys(
            """very really extremely so too absolutely completely totally utterly incredibly
            super highly truly especially exceptionally terribly awfully most such""".split(),
            0.3,
        ),
        **dict.fromkeys("slightly somewhat barely kinda kind sort little bit fairly quite".split(), -0.3),
    },
    "fr": {
        **dict.fromkeys(
            """très trop vraiment extrêmement tellement absolument complètement totalement
            vachement super hyper particulièrement entièrement si""".split(),
            0.3,
        ),
        **dict.fromkeys("peu légèrement assez plutôt moyennement".split(), -0.3),
    },
}
# Phrases whose meaning is not the sum of their words (valence on VADER's scale).
PHRASES = {
    "en": {
        "never again": -3.0, "not worth": -2.0, "waste of": -2.5, "no thanks": -1.0, "no longer": -0.5,
        "not bad": 1.0, "no problem": 1.5, "no problems": 1.5, "no issues": 1.5, "no complaints": 2.0,
        "no worries": 1.5, "still waiting": -2.0, "still no": -1.5, "rip off": -3.0, "ripped off": -3.0,
        "fell apart": -2.0, "stopped working": -2.5, "doesn't work": -2.5, "does not work": -2.5,
        "didn't work": -2.5, "not working": -2.5, "broke down": -2.0, "five stars": 3.0, "5 stars": 3.0,
        "one star": -2.5, "1 star": -2.5, "zero stars": -3.0, "0 stars": -3.0, "must have": 2.0,
        "well done": 2.5, "thank you": 1.5, "thanks a lot": 2.0, "highly recommend": 3.0,
        "do not recommend": -3.0, "don't recommend": -3.0, "would not recommend": -3.0,
        "wouldn't recommend": -3.0, "not recommend": -3.0, "stay away": -3.0, "go elsewhere": -2.0,
    },
    "fr": {
        "pas terrible": -1.8, "pas top": -1.5, "pas mal": 1.2, "sans plus": -0.8, "plus jamais": -3.0,
        "à fuir": -3.2, "a fuir": -3.2, "fuyez": -3.2, "aucun problème": 1.5, "aucun souci": 1.5,
        "rien à redire": 2.5, "rien a redire": 2.5, "toujours pas": -1.5, "toujours rien": -2.0,
        "toujours aucune": -1.5, "toujours aucun": -1.5, "je recommande": 2.5, "je déconseille": -3.0,
        "à éviter": -3.0, "a eviter": -3.0, "à éviter absolument": -3.5, "ne fonctionne pas": -2.5,
        "ne marche pas": -2.5, "de mal en pis": -2.5, "service client": 0.0, "prise en charge": 0.0,
        "rapport qualité prix": 0.0, "n'importe quoi": -2.5, "rien à voir": 0.0, "sans problème": 1.5,
        "sans souci": 1.5, "sans soucis": 1.5, "pas de souci": 1.5, "pas de problème": 1.5,
    },
}  # fmt: skip
# A clause ends here: a negation or an intensifier does not cross it.
CLAUSE_BREAKS = frozenset(". , ; : ! ? but however mais cependant pourtant".split())
CONTRASTS = frozenset("but however although mais cependant pourtant toutefois".split())


@dataclass(frozen=True, slots=True)
class Lexicon:
    words: dict[str, float]  # one-word entries
    pairs: dict[str, float]  # "w1 w2" entries (our phrases win over the lexicon's)
    triples: dict[str, float]
    negations: frozenset[str]
    intensifiers: dict[str, float]
    starts: frozenset[str]  # first words of the pairs and triples
    notable: frozenset[str]  # every token the reader acts on: words, starts, negations, contrasts


def _read_vader(path: Path, separator: str) -> dict[str, float]:
    table: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, sep, rest = line.partition(separator)
        if sep and word.strip():
            try:
                table[word.strip().lower().replace("’", "'")] = float(rest.split("\t")[0])
            except ValueError:
                continue
    return table


@functools.cache
def vader_lexicon(language: str) -> Lexicon:
    """VADER's lexicon for "en" (vaderSentiment) or "fr" (vaderSentiment-fr), with our rule words."""
    if language == "en":
        table = _read_vader(DATA / "vader_en.txt", "\t")
    elif language == "fr":
        table = _read_vader(DATA / "vader_fr.txt", "->")
    else:
        raise ValueError(f"no lexicon for language {language!r}")
    entries = {**table, **PHRASES[language]}
    words = {w: v for w, v in entries.items() if " " not in w}
    pairs = {w: v for w, v in entries.items() if w.count(" ") == 1}
    triples = {w: v for w, v in entries.items() if w.count(" ") == 2}
    starts = frozenset(w.split(" ")[0] for w in (*pairs, *triples))
    return Lexicon(
        words=words,
        pairs=pairs,
        triples=triples,
        negations=NEGATIONS[language],
        intensifiers=INTENSIFIERS[language],
        starts=starts,
        notable=frozenset(words) | starts | NEGATIONS[language] | CONTRASTS,
    )


# Emoji whose VADER name has no sentiment word ("thumbs up"): our valences.
EMOJI = {
    "👍": 2.0,
    "👎": -2.0,
    "👌": 1.5,
    "🙏": 1.0,
    "💯": 2.0,
    "🤮": -3.0,
    "🤬": -3.0,
    "🖕": -3.0,
    "💩": -2.5,
}


@functools.cache
def emoji_valences() -> dict[str, float]:
    """Emoji -> valence: VADER's emoji lexicon names each emoji in words ("crying face"); the name is
    scored with the English lexicon (mean of its known words), emoji with no scored word are left out."""
    words = vader_lexicon("en").words
    out: dict[str, float] = {}
    for line in (DATA / "vader_emoji.txt").read_text(encoding="utf-8").splitlines():
        emoji, _, name = line.strip().partition("\t")
        known = [words[w] for w in re.findall(r"[a-z']+", name.lower()) if w in words]
        if emoji and known:
            out[emoji] = sum(known) / len(known)
    return out | EMOJI


@functools.cache
def emoticons() -> dict[str, float]:
    """ASCII emoticons of the English lexicon (":)", ":-(", "<3"...), longest first."""
    faces = {
        w: v for w, v in vader_lexicon("en").words.items() if len(w) >= 2 and not re.search(r"[a-z0-9]", w)
    }
    faces.update({w: v for w, v in vader_lexicon("en").words.items() if w in ("<3", ":d", ":p", "xd", ";d")})
    return dict(sorted(faces.items(), key=lambda kv: -len(kv[0])))
