"""Names of people as pages write them: sex, the fullest form, the genitive, a mistyped surname."""

from __future__ import annotations

from natasha.doc import DocToken

from skazal.entities.merge import first_names_agree
from skazal.entities.normalise import person_name
from skazal.nlp import models
from skazal.records import Entity

MIN_FUZZY_SURNAME = 6


def normal(word: str | None) -> str:
    """A word compared as the lexicon writes it: lower case, "е" for "ё"."""
    return (word or "").lower().replace("ё", "е")


def family(word: DocToken, verb: DocToken | None) -> bool:
    """ "Пчелинцевы подчеркивают": a surname in the plural with a plural verb names the family."""
    if word.pos != "PROPN" or verb is None or not verb.feats or verb.feats.get("Number") != "Plur":
        return False
    forms = models().morph_vocab.parse(word.text.lower())
    return any(f.feats.get("Number") == "Plur" and f.feats.get("Case") == "Nom" and "Surn" in str(f.tag) for f in forms)


def gender_of(verb: DocToken | None) -> str | None:
    """The sex a past-tense verb or a noun of a person shows ("сказала", "мать"), if any."""
    if verb is None or not verb.feats or verb.feats.get("Number") == "Plur":
        return None
    return verb.feats.get("Gender") if verb.feats.get("Gender") in ("Masc", "Fem") else None


def nominative_phrase(phrase: list[DocToken], head: DocToken) -> str:
    """The phrase from its head on, the head in the nominative. A name is put in the nominative
    as the entities' names are, not by its lemma: the lemma of a surname the dictionary does not
    know is often a common word's ("Карасина" → "карасиный", "Урин" → "урина")."""
    words = [t for t in phrase if t.start >= head.start and t.pos != "PUNCT" and t.rel != "case"]
    first = head.lemma or head.text
    if head.text[:1].isupper() and head.pos == "PROPN":
        first = head.text if head.text.isupper() else person_name([head])
    feats = head.feats or {}
    described: list[str] = []
    if head.pos == "NOUN" and feats.get("Case") == "Nom":
        # "Оппозиционные партии заявили": a body named by a phrase keeps its number and adjectives
        if feats.get("Number") == "Plur" and not head.text.isupper():
            first = head.text.lower()
        described = [
            t.text.lower() for t in phrase if t.start < head.start and t.rel == "amod" and t.head_id == head.id
        ]
    if not words:
        return " ".join([*described, first])
    return " ".join([*described, first] + [t.text for t in words[1:]])


def genitive(name: str) -> str:
    """A nominative name in the genitive: "Александр Лукашенко" → "Александра Лукашенко"."""
    vocab = models().morph_vocab
    words = []
    for word in name.split():
        forms = [form for form in vocab.parse(word) if form.feats.get("Case") == "Nom"]
        inflected = forms[0].inflect({"Gen"}) if forms else None
        new = inflected.word if inflected else word.lower()
        words.append(new[:1].upper() + new[1:] if word[:1].isupper() else new)
    return " ".join(words)


def fullest_names(entities: tuple[Entity, ...]) -> dict[str, str]:
    """Each person's name mapped to the fullest name the page gives for the same surname, allowing
    one mistyped letter in a lone surname ("Сабурова" for "Екатерина Сабирова")."""
    people = [e for e in entities if e.type == "PER" and e.name.split()]
    fullest: dict[str, str] = {}
    for entity in people:
        words = entity.name.split()
        best = entity.name
        for other in people:
            other_words = other.name.split()
            if len(other_words) <= len(best.split()):
                continue
            first_agrees = len(words) == 1 or first_names_agree(words[0], other_words[0])
            if first_agrees and same_surname(entity, other):
                best = other.name
        fullest[entity.name] = best
    return fullest


def same_surname(entity: Entity, other: Entity) -> bool:
    if normal(entity.name.split()[-1]) == normal(other.name.split()[-1]):
        return True
    if len(entity.name.split()) > 1:
        return False
    written = {normal(m.text.split()[-1]) for m in entity.mentions if m.text.split()}
    theirs = {normal(m.text.split()[-1]) for m in other.mentions if m.text.split()}
    return any(len(a) >= MIN_FUZZY_SURNAME and one_letter_apart(a, b) for a in written for b in theirs)


def one_letter_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and a[0] == b[0] and sum(x != y for x, y in zip(a, b)) == 1
