"""English / French / undetermined, for short customer comments, without a model.

Each word of the comment (its first 300 characters: enough, and cheap) votes:

* "en" if it is an English function word or a word of TextBlob's English sentiment lexicon,
* "fr" if it is a French function word, a word of textblob-fr's lexicon, an elision
  ("l'", "qu'", "j'"...) or an unknown word with letters French uses and its neighbours do not
  (è, ê, à, ç, œ...; not é, which Spanish, Italian and Portuguese share),
* "other" if it is a common word of Hinglish, Spanish, German, Italian, Portuguese or Dutch,
  or an unknown word with their letters (ñ, á, ß, ã, ...),
* nothing if it is shared by English and French ("excellent", "service", "super", "ok").

The language with most votes wins, except: no votes, a tie between English and French, or
"other" at least as strong as the winner give "und" (so do "????", emoji and digits), and so
does a comment of six words or more where under a fifth of the words vote for the winner.
"und" means "do not guess": the sentiment is then reported as unknown, not as neutral.
"""

from __future__ import annotations

import functools
import re
import string
from collections import Counter

from bot.services.customers.sentiment import lexicon

EN, FR, UNDETERMINED = "en", "fr", "und"
SCAN_CHARS = 300
MIN_WORDS_FOR_COVERAGE = 6
MIN_COVERAGE = 0.2

_OTHER, _NEUTRAL = "other", ""
_PLAIN = frozenset(string.ascii_lowercase + string.whitespace)  # letters and spaces, kept as they are
_FRENCH_ELISION = re.compile(r"\b(?:l|d|j|qu|n|s|c|m|t|jusqu|lorsqu|puisqu)'(?=[^\W\d_])")  # l'avis
_ENGLISH_CONTRACTION = re.compile(r"(?<=[^\W\d_])'(?:t|s|m|re|ve|ll|d)\b")  # don't, it's, I'm
_ONE_LETTER_WORDS = frozenset("a i y à".split())
_FRENCH_LETTERS = frozenset("èêàâçùûîïôœë")  # not é: Spanish, Italian and Portuguese use it
_OTHER_LETTERS = frozenset("ñáíóúãõßäöåøì")

_ENGLISH_WORDS = """
the an and or but if of to in at for with from by about into onto over under as is are was were
be been being am do does did done doing have has had having will would can could should shall
may might must i my mine you your yours he him his she her hers it its we our ours they them
their theirs this that these those there here what which who whom whose when where why how not
no yes yeah very so too just only also still yet again never always ever all any some every each
both more most much many than then now because after before since until while though although
thank thanks thx pls plz please get got getting help helped problem issue order ordered
customer call called calls time day days week weeks month months year years money refund
delivery delivered deliver product products account agent staff wait waited waiting received
receive nothing anything something someone anyone everyone nobody nothing way out up down off
back even well really being want wanted need needed know knew said told asked ask give gave
take took make made why went go going gone come came keep kept tried try still sent send
phone email online website support team manager executive replacement cancelled cancel
isn't don't didn't doesn't can't won't wasn't weren't haven't hasn't couldn't wouldn't i'm it's
price prices quality experience pay paid hours work job company store shop item items package
parcel shipping courier bill billing invoice charge charged fee fees claim claims policy insurance
car house home login password avoid recommend waste rubbish useless awful
""".split()

_FRENCH_WORDS = """
le la les un une des du de au aux et ou mais donc car ni que qui quoi dont où ce cet cette ces
mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs je tu il elle nous vous ils elles
on me te se lui y en ne pas plus jamais rien très trop bien mal tout tous toute toutes avec sans
pour par dans sur sous chez entre depuis pendant avant après est sont été être avoir ai as avons
avez ont fait faire suis était étaient sera serait merci bonjour aussi encore toujours déjà
quand comme si même alors puis ça cela ceci chose aucun aucune ras assurance assureur contrat
sinistre prix devis dossier mois jours semaines ans conseiller conseillère téléphone appel
remboursement rembourser livraison commande colis reçu attente délai réponse peu beaucoup moins
fuir arnaque arnaqueurs escroc escrocs voleur voleurs honte scandale conseil agence agences
prélèvement résiliation résilier garantie garanties cotisation tarif tarifs voiture maison
habitation mutuelle santé courrier relance rapide facile difficile inutile suis avais avait pouvez peut faut veux voulais dois doit
""".split()

_OTHER_WORDS = """
hai hain nahi nahin nhi bahut bohot bohut accha acha achha tha thi kya kyu kyun mera meri mere
mujhe aap aapka aapki aapke apna apne hum humara ke ki ka ko bhi kar karo karna kiya kiye diya
diye gaya gaye gayi raha rahi rahe hua hui hoga abhi kab kaise kuch koi sab sirf lekin aur yeh
ye woh vo jab tab paisa paise bekar bakwas bilkul theek thik jaldi mat baar aayi aaya nai sahi
galat glat wala wale wali isse usse iska uska unka matlab bhai ji
el los las del muy pero por para una uno con está están esta este eso esto nada gracias bueno
buena malo mala servicio nunca siempre también cuando donde porque tengo tiene hay fue pedido
dinero mucho poco todo hola usted ustedes
und der das nicht ist sehr mit ich auch ein eine einen nach wir sie schlecht gut kein keine nur
noch schon aber oder wenn weil bitte danke für über wurde wird habe haben leider
il della dello degli gli molto sono anche questo questa perché grazie buono cattivo che ho hanno
servizio ancora sempre mai niente tutto nessuno
não muito obrigado obrigada você isso com atendimento péssimo bom ruim nao
het een niet zeer heel maar ook wij dank goed slecht bedankt
""".split()

_NEUTRAL_WORDS = """
a on me plus non ok okay top super excellent service services internet app application site web
email mail sms bravo taxi hotel client clients contact information question message simple long
date note sales close laid dure mate chic cons
""".split()

# French lexicon words spelt like English ones ("flexible", "content", "abusive"): no vote.
_ENGLISH_LOOKING = re.compile(
    r"(?:(?<!m)ent|ant|able|ible|ive|al|ic|ous|ure|ion|ate|ist|ism|ile|ine|ide|ude)$"
)


@functools.cache
def _vocabulary() -> dict[str, str]:
    """word -> "en" | "fr" | "other" | "" (neutral), built once from the lists and lexicons."""
    english = set(_ENGLISH_WORDS) | {w for w in lexicon(EN).words if len(w) > 1 or w in _ONE_LETTER_WORDS}
    french = set(_FRENCH_WORDS) | {w for w in lexicon(FR).words if len(w) > 1 or w in _ONE_LETTER_WORDS}
    shared = (english & french) | set(_NEUTRAL_WORDS)
    shared |= {w for w in french - set(_FRENCH_WORDS) if w.isascii() and _ENGLISH_LOOKING.search(w)}
    vocab = {w: _OTHER for w in _OTHER_WORDS}
    vocab.update({w: EN for w in english - shared})
    vocab.update({w: FR for w in french - shared})
    vocab.update({w: _NEUTRAL for w in shared})
    return vocab


def _letter_runs(text: str) -> list[str]:
    """The runs of letters in ``text``: every other character, met once, becomes a space."""
    for char in set(text).difference(_PLAIN):
        if not char.isalpha() and not char.isspace():
            text = text.replace(char, " ")
    return text.split()


def _count_votes(text: str) -> tuple[int, int, int, int]:
    """(English, French, other) votes and the number of words, counted at C speed where possible."""
    vocab = _vocabulary()
    lowered = text[:SCAN_CHARS].lower().replace("’", "'")
    words = _letter_runs(lowered)
    votes = Counter(map(vocab.get, words))
    elisions = len(_FRENCH_ELISION.findall(lowered)) if "'" in lowered else 0
    contractions = len(_ENGLISH_CONTRACTION.findall(lowered)) if "'" in lowered else 0
    en, fr, other = votes[EN] + contractions, votes[FR] + elisions, votes[_OTHER]
    if votes[None] and not lowered.isascii():  # unknown words: do their letters tell?
        for word in set(words).difference(vocab):
            if not word.isascii():
                if not _FRENCH_LETTERS.isdisjoint(word):
                    fr += words.count(word)
                elif not _OTHER_LETTERS.isdisjoint(word):
                    other += words.count(word)
    return en, fr, other, len(words) - elisions - contractions


# Mojibake: UTF-8 read as Latin-1/cp1252 ("Ã©" for "é", "â€™" for "’"), and characters lost in
# transit ("?" or U+FFFD standing for letters of a script the export could not encode).
_MOJIBAKE = re.compile("Ã[\u0080-\u00bf]|â€|Â[\u00a0-\u00bf]|ï¿½")
_LOST = re.compile("[?\ufffd]{2,}")
MIN_LOST_SHARE = 0.3


def is_unreadable(text: str) -> bool:
    """Whether ``text`` is mostly lost characters ("????", "�") or shows mojibake: not to be guessed at."""
    sample = text[:SCAN_CHARS]
    if _MOJIBAKE.search(sample):
        return True
    if "?" not in sample and "\ufffd" not in sample:
        return False
    lost = sum(len(run) for run in _LOST.findall(sample))
    if not lost:
        return False
    letters = sum(1 for char in sample if char.isalpha())
    return lost >= MIN_LOST_SHARE * (lost + letters)


def detect_language(text: str | None) -> str:
    """ "en", "fr" or "und" for a customer comment (see the module docstring for the rule)."""
    if not text:
        return UNDETERMINED
    en, fr, other, n_words = _count_votes(text)
    best = max(en, fr)
    if best == 0 or en == fr or other >= best:
        return UNDETERMINED
    if n_words >= MIN_WORDS_FOR_COVERAGE and best < MIN_COVERAGE * n_words:
        return UNDETERMINED
    return EN if en > fr else FR
