"""The entity lexicon (corrections, known names, role nouns), loaded once from package data."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from natasha.doc import DocToken
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from skazal.nlp import models

# Known names this long may be misspelt by a letter on a page; shorter ones ("МИД", "СК") may not.
MIN_MISSPELT = 8


def fold(name: str) -> str:
    """The form names compare in: lower case, ё read as е, single spaces."""
    return " ".join(name.replace("ё", "е").replace("Ё", "Е").lower().split())


@dataclass(frozen=True, slots=True)
class EntityLexicon:
    not_names: frozenset[str]
    not_name_patterns: tuple[re.Pattern, ...]
    not_after: frozenset[str]
    works: frozenset[str]
    outlet_words: frozenset[str]
    quoted_name_max_words: int
    latin_terms: frozenset[str]
    domains: frozenset[str]
    credit_words: frozenset[str]
    types: dict[str, str]  # folded name → type
    known: dict[str, tuple[str, str]]  # folded name → (spelling, type)
    diminutives: dict[str, tuple[str, ...]]  # folded short name → full first names
    same: dict[str, str]  # folded name → folded first name of its group ("ес" → "европейский союз")
    role_nouns: frozenset[str]
    role_prefixes: tuple[str, ...]

    def known_spelling(self, name: str) -> tuple[str, str] | None:
        """The known name `name` is, or a long one-word name it misspells by one letter or two swapped
        ("Роскомназдор" for "Роскомнадзор")."""
        folded = fold(name)
        if folded in self.known:
            return self.known[folded]
        if " " in folded or len(folded) < MIN_MISSPELT:
            return None
        near = process.extract(folded, self.known.keys(), scorer=DamerauLevenshtein.distance, score_cutoff=1, limit=2)
        return self.known[near[0][0]] if len(near) == 1 else None

    def is_not_name(self, name: str) -> bool:
        folded = fold(name)
        return folded in self.not_names or any(p.search(name) for p in self.not_name_patterns)


def _data(name: str) -> str:
    return resources.files("skazal.data").joinpath(name).read_text(encoding="utf-8")


@cache
def role_nouns() -> frozenset[str]:
    """Lemmas of nouns naming an office or occupation ("посол", "пресс-секретарь")."""
    lines = (line.strip() for line in _data("role_nouns.txt").splitlines())
    return frozenset(fold(line) for line in lines if line and not line.startswith("#"))


def is_role(token: DocToken) -> bool:
    """A token naming an office or occupation, hyphenated ones too ("экс-президент",
    "политик-голлист"), not a thing named after one ("Премьер-лига")."""
    lemma = fold(token.lemma or token.text)
    nouns = role_nouns()
    if lemma in nouns:
        return True
    first, _, last = lemma.partition("-")
    if not last:
        return _compound_role(lemma, nouns)
    return last.split("-")[-1] in nouns or first in nouns and not _names_a_thing(last)


def _compound_role(lemma: str, nouns: frozenset[str]) -> bool:
    """A role noun after a combining form, written as one word ("техноблогер", "телеведущий")."""
    return any(
        lemma.startswith(prefix) and len(lemma) - len(prefix) >= 4 and lemma[len(prefix):] in nouns
        for prefix in lexicon().role_prefixes
    )


def names_people_in_common(word: str) -> bool:
    """A word the dictionary knows only as a common noun for people ("Публицист" opening a sentence),
    never as a first name, surname or patronymic."""
    parses = known_parses(word)
    return bool(parses) and all(
        p.tag.POS == "NOUN" and p.tag.animacy == "anim" and not {"Name", "Surn", "Patr"} & set(p.tag.grammemes)
        for p in parses
    )


def known_parses(word: str) -> list:
    """The dictionary's parses of a word it knows, read in lower case."""
    return [p for p in models().morph_vocab(word.lower()) if p.is_known]


def _names_a_thing(word: str) -> bool:
    return any(p.is_known and p.tag.POS == "NOUN" and p.tag.animacy == "inan" for p in models().morph_vocab(word))


@cache
def lexicon() -> EntityLexicon:
    rules = tomllib.loads(_data("entity_rules.toml"))
    names = tomllib.loads(_data("entity_names.toml"))
    known = {fold(n): (n, etype) for etype, spelled in names["known"].items() for n in spelled}
    return EntityLexicon(
        not_names=frozenset(fold(n) for n in rules["not_names"]),
        not_name_patterns=tuple(re.compile(p, re.IGNORECASE) for p in rules["not_name_patterns"]),
        not_after=frozenset(fold(w) for w in rules["not_after"]),
        works=frozenset(fold(w) for w in rules["works"]),
        outlet_words=frozenset(fold(w) for w in rules["outlet_words"]),
        quoted_name_max_words=rules["quoted_name_max_words"],
        latin_terms=frozenset(rules["latin_terms"]),
        domains=frozenset(rules["domains"]),
        credit_words=frozenset(fold(w) for w in rules["credit_words"]),
        types={fold(n): t for n, t in names["types"].items()},
        known=known,
        diminutives={fold(short): tuple(full) for short, full in names["diminutives"].items()},
        same={fold(name): fold(group[0]) for group in names["same"]["groups"] for name in group},
        role_nouns=role_nouns(),
        role_prefixes=tuple(rules["role_prefixes"]),
    )
