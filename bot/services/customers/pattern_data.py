"""TextBlob's and textblob-fr's sentiment data, loaded without importing the packages themselves.

``import textblob`` (or any of its modules) runs the package's ``__init__``, which imports NLTK: about
40 MB of memory in every process that reads comments (the importer and each triage worker), for code
the reader never calls. The reader needs only Pattern's ``_text`` module (pure standard library: the
``Sentiment`` lexicon class, the punctuation, abbreviation, emoticon and sarcasm rules) and the two
``Sentiment`` lexicons as the packages build them. This module loads ``textblob/_text.py`` from the
installed package as a stand-alone module and builds the two lexicons with the packages' own arguments
and ``load`` rules (English: "terrible" also read as the adverb "terribly"; French: accents-free forms).
textblob-fr's ``_text.Sentiment`` is the same code as TextBlob's (a Python 2 copy), so one class serves.

``tests/services/customers/test_pattern_data.py`` checks that both lexicons are, entry for entry, the
packages' own.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import os
from pathlib import Path
from types import ModuleType
from typing import Any


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)  # finds a top-level package without running its __init__
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"the {name} package is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


@functools.cache
def pattern_text() -> ModuleType:
    """textblob/_text.py as a stand-alone module (it imports the standard library only)."""
    path = _package_dir("textblob") / "_text.py"
    spec = importlib.util.spec_from_file_location("_symmetry_pattern_text", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _english_load(self: Any, path: str | None = None) -> None:  # textblob/en/__init__.py: Sentiment.load
    pattern_text().Sentiment.load(self, path)
    if not path:
        for w, pos in list(dict.items(self)):
            if "JJ" in pos:
                if w.endswith("y"):
                    w = w[:-1] + "i"
                if w.endswith("le"):
                    w = w[:-2]
                p, s, i = pos["JJ"]
                self.annotate(w + "ly", "RB", p, s, i)


def _french_load(self: Any, path: str | None = None) -> None:  # textblob_fr/fr.py: Sentiment.load
    pattern_text().Sentiment.load(self, path)
    if not path:
        for w, pos in list(self.items()):
            w0 = w
            if not w.endswith(("à", "è", "é", "ê", "ï")):
                for accented, plain in (("à", "a"), ("é", "e"), ("è", "e"), ("ê", "e"), ("ï", "i")):
                    w = w.replace(accented, plain)
            if w != w0:
                for tag, (p, s, i) in pos.items():
                    self.annotate(w, tag, p, s, i)


@functools.cache
def english_sentiment() -> Any:
    """``textblob.en.sentiment``, built with the package's arguments."""
    text = pattern_text()
    kind = type("EnglishSentiment", (text.Sentiment,), {"load": _english_load})
    return kind(
        path=os.path.join(_package_dir("textblob") / "en", "en-sentiment.xml"),
        synset="wordnet_id",
        negations=("no", "not", "n't", "never"),
        modifiers=("RB",),
        modifier=lambda w: w.endswith("ly"),
        language="en",
    )


@functools.cache
def french_sentiment() -> Any:
    """``textblob_fr.fr.sentiment``, built with the package's arguments."""
    kind = type("FrenchSentiment", (pattern_text().Sentiment,), {"load": _french_load})
    return kind(
        path=os.path.join(_package_dir("textblob_fr"), "fr-sentiment.xml"),
        synset=None,
        negations=("n'", "ne", "ni", "non", "pas", "rien", "sans", "aucun", "jamais"),
        modifiers=("RB",),
        modifier=lambda w: w.endswith("ment"),
        language="fr",
    )


@functools.cache
def french_abbreviations() -> frozenset[str]:
    """``textblob_fr.fr.ABBREVIATIONS``, read from the module's source (a literal set)."""
    tree = ast.parse((_package_dir("textblob_fr") / "fr.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "ABBREVIATIONS" for t in node.targets
        ):
            call = node.value
            assert isinstance(call, ast.Call) and call.args, (
                "textblob_fr.fr.ABBREVIATIONS is no longer set((...))"
            )
            return frozenset(ast.literal_eval(call.args[0]))
    raise ImportError("textblob_fr.fr.ABBREVIATIONS not found")
