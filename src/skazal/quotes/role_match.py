"""Whether a role noun the cue names ("российский президент", "глава государства") fits the role
the page gives a person ("президент России"): the same office, and the same place or body.

Roles are compared as signatures: the office (the role noun, or what a periphrasis such as
"глава государства" stands for) and its complements (place adjectives and nouns: "России",
"обороны"), each cut to a stem so that case forms and "российский" / "России" meet.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from natasha.doc import DocToken

from skazal.quotes.body import Body
from skazal.quotes.lexicon import Lexicon
from skazal.quotes.names import normal

STEM = 5
# "российский", "донецкий": adjectives of a place, complements of a role; "бывший" is not one
PLACE_ADJECTIVE_ENDINGS = ("ский", "цкий", "ской")


@dataclass(frozen=True, slots=True)
class RoleSignature:
    office: str
    complements: frozenset[str]

    def agrees(self, other: RoleSignature) -> bool | None:
        """True where both name a complement and share one, False where both name complements and
        none is shared ("министр обороны" and "министр финансов"), None where either names none."""
        if not self.complements or not other.complements:
            return None
        return bool(self.complements & other.complements)


def stem(word: str) -> str:
    return normal(word)[:STEM]


def signature(office: str, complements: list[str], lex: Lexicon) -> RoleSignature:
    """The signature of an office and its complements, a periphrasis replaced by what it stands
    for ("глава" + "государства" → "президент")."""
    stems = {stem(word) for word in complements}
    office_stem = stem(office)
    for first, rest, meant_office, meant_complements in _stemmed_periphrases(lex):
        if first == office_stem and rest <= stems:
            stems = (stems - rest) | meant_complements
            office_stem = meant_office
            break
    return RoleSignature(office_stem, frozenset(stems))


@cache
def _stemmed_periphrases(lex: Lexicon) -> tuple[tuple[str, frozenset[str], str, frozenset[str]], ...]:
    """Each periphrasis as stems: its role noun, its complements, and the office and complements
    it stands for ("глава государство" → "глава", {"госуд"}, "прези", {})."""
    stemmed = []
    for phrase, meaning in lex.role_periphrases:
        (first, *rest), (office, *complements) = phrase.split(), meaning.split()
        stemmed.append((stem(first), frozenset(map(stem, rest)), stem(office), frozenset(map(stem, complements))))
    return tuple(stemmed)


def phrase_signature(body: Body, head: DocToken, lex: Lexicon) -> RoleSignature:
    """The signature of a role noun in the text with what depends on it ("Руководитель
    украинского внешнеполитического ведомства")."""
    complements = []
    periphrasis_words = _periphrasis_words(lex)
    for token in _modifiers(body, head):
        word = normal(token.lemma or token.text)
        place = word.endswith(PLACE_ADJECTIVE_ENDINGS) or stem(word) in periphrasis_words
        if token.pos in ("NOUN", "PROPN") or token.pos == "ADJ" and place:
            complements.append(word)
    return signature(normal(head.lemma or head.text), complements, lex)


def _modifiers(body: Body, head: DocToken, depth: int = 3) -> list[DocToken]:
    """The adjectives and nouns that qualify `head`, and theirs ("украинского внешнеполитического
    ведомства"); not a clause about it."""
    found = []
    for child in body.children(head):
        if child.rel in ("amod", "nmod"):
            found.append(child)
            if depth > 1:
                found += _modifiers(body, child, depth - 1)
    return found


def role_signature(role: str, lex: Lexicon) -> RoleSignature:
    """The signature of a role as the page gives it ("президент Украины", "бывший глава МИД")."""
    words = role.split()
    at = next((i for i, word in enumerate(words) if normal(word) in lex.roles), 0)
    complements = [w for w in words[at + 1 :] if w != "и"]
    return signature(words[at] if words else "", complements, lex)


@cache
def _periphrasis_words(lex: Lexicon) -> frozenset[str]:
    return frozenset(word for _, rest, _, _ in _stemmed_periphrases(lex) for word in rest)
