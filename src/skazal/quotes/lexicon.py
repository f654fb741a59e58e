"""The reported-speech lexicon (skazal/data/speech_cues.toml), loaded once."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Lexicon:
    speech: frozenset[str]
    opinion: frozenset[str]
    question: frozenset[str]
    naming: frozenset[str]
    passing_on: frozenset[str]
    impersonal: frozenset[str]
    complementisers: frozenset[str]
    interrogatives: frozenset[str]
    according_nouns: frozenset[str]
    source_nouns: frozenset[str]
    anonymous: frozenset[str]
    spokespeople: frozenset[str]
    press_services: frozenset[str]
    media: frozenset[str]
    outlets: frozenset[str]
    institutions: frozenset[str]
    documents: frozenset[str]
    document_cues: frozenset[str]
    interviews: frozenset[str]
    epicene: frozenset[str]
    kin: frozenset[str]
    light_verbs: frozenset[str]
    outlet_words: frozenset[str]
    reported_in: frozenset[str]
    surname_endings: tuple[tuple[str, str], ...]
    abbreviations: tuple[tuple[str, str], ...]
    speech_nouns: frozenset[str]
    roles: frozenset[str]
    # every verb that can introduce reported content: speech, opinion and question verbs
    cues: frozenset[str]

    def speaks_through(self, verb_lemma: str, object_lemmas: Iterable[str]) -> bool:
        """A light verb with a noun of speech as its object ("дают прогноз", "сделал заявление")."""
        return verb_lemma in self.light_verbs and any(lemma in self.speech_nouns for lemma in object_lemmas)


def _role_nouns() -> set[str]:
    path = resources.files("skazal.data").joinpath("role_nouns.txt")
    if not path.is_file():
        return set()
    lines = path.read_text(encoding="utf-8").splitlines()
    return {
        line.strip().lower().replace("ё", "е") for line in lines if line.strip() and not line.lstrip().startswith("#")
    }


PAIRS = ("surname_endings", "abbreviations")


@cache
def lexicon() -> Lexicon:
    raw = tomllib.loads(resources.files("skazal.data").joinpath("speech_cues.toml").read_text(encoding="utf-8"))
    words = {
        name: frozenset(raw[name]) for name in Lexicon.__dataclass_fields__ if name not in PAIRS + ("roles", "cues")
    }
    words.update({name: tuple((a, b) for a, b in raw[name]) for name in PAIRS})
    words["outlets"] = frozenset(name.lower() for name in raw["outlets"])
    roles = {role.split()[0] for role in _role_nouns()} | set(raw["roles"])
    cues = words["speech"] | words["opinion"] | words["question"]
    return Lexicon(roles=frozenset(roles), cues=cues, **words)
