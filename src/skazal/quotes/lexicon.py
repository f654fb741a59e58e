"""The reported-speech lexicon (skazal/data/speech_cues.toml), loaded once."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable
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
    kind_nouns: frozenset[str]
    members: frozenset[str]
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
    role_periphrases: tuple[tuple[str, str], ...]
    speech_nouns: frozenset[str]
    expressing_verbs: frozenset[str]
    opinion_nouns: frozenset[str]
    sending_verbs: frozenset[str]
    message_nouns: frozenset[str]
    written_words: frozenset[str]
    term_nouns: frozenset[str]
    staff: frozenset[str]
    roles: frozenset[str]
    # every verb that can introduce reported content: speech, opinion and question verbs
    cues: frozenset[str]
    # every verb that speaks through its object ("выразил надежду")
    speaking_verbs: frozenset[str]

    def names_a_body(self, lemma: str) -> bool:
        """A noun of a body that speaks for itself ("полиция", "минздрав", "пресс-служба")."""
        return lemma in self.institutions or lemma.split("-")[-1] in self.institutions

    def speaks_through(self, verb_lemma: str, object_lemmas: Callable[[], Iterable[str]]) -> bool:
        """A verb with a noun of its kind as its object: "дают прогноз", "сделал заявление",
        "выразил надежду", "отправил сообщение". `object_lemmas` is called only for such a verb:
        reading a token's objects parses its whole sentence."""
        for verbs, nouns in (
            (self.light_verbs, self.speech_nouns),
            (self.expressing_verbs, self.opinion_nouns | self.speech_nouns),
            (self.sending_verbs, self.message_nouns),
        ):
            if verb_lemma in verbs:
                return any(lemma in nouns for lemma in object_lemmas())
        return False


def _role_nouns() -> set[str]:
    path = resources.files("skazal.data").joinpath("role_nouns.txt")
    if not path.is_file():
        return set()
    lines = path.read_text(encoding="utf-8").splitlines()
    return {
        line.strip().lower().replace("ё", "е") for line in lines if line.strip() and not line.lstrip().startswith("#")
    }


PAIRS = ("surname_endings", "abbreviations", "role_periphrases")
DERIVED = ("roles", "cues", "speaking_verbs")


@cache
def lexicon() -> Lexicon:
    raw = tomllib.loads(resources.files("skazal.data").joinpath("speech_cues.toml").read_text(encoding="utf-8"))
    words = {
        name: frozenset(raw[name]) for name in Lexicon.__dataclass_fields__ if name not in PAIRS + DERIVED
    }
    words.update({name: tuple((a, b) for a, b in raw[name]) for name in PAIRS})
    words["outlets"] = frozenset(name.lower() for name in raw["outlets"])
    roles = {role.split()[0] for role in _role_nouns()} | set(raw["roles"])
    cues = words["speech"] | words["opinion"] | words["question"]
    speaking = words["light_verbs"] | words["expressing_verbs"] | words["sending_verbs"]
    return Lexicon(roles=frozenset(roles), cues=cues, speaking_verbs=speaking, **words)
