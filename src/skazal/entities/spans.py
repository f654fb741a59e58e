"""natasha's spans, corrected: where a name starts and stops, and which spans name nobody.

natasha cuts some names in two ("Нейл" + "Патрик Харрис"), takes an office or a neighbour's
surname into others ("Президент Петр Порошенко", "защитник Алёхиной Александр Подрабинёк") and
tags common words that open a sentence ("Весной"); the dictionary tells these apart.
"""
from __future__ import annotations

from collections.abc import Sequence

from natasha import Doc
from natasha.doc import DocToken

from skazal.entities.lexicon import is_role, known_parses
from skazal.entities.spot import CLOSING_QUOTES, OPENING_QUOTES
from skazal.nlp import models

PROPER_TAGS = ("Name", "Surn", "Patr", "Geox", "Orgn", "Trad")
FUNCTION_WORDS = frozenset({"ADVB", "PRCL", "CONJ", "PREP", "INTJ", "PRED"})
# A name never runs past these.
STOPS = frozenset({"(", "|", "/", "!", "?", ";"})
# Two people side by side ("Ахметов і Коломойський") are two names.
PERSON_STOPS = STOPS | {"и", "і"}
DASHES = frozenset({"—", "–", ":"})
# Legal forms written before a company's name in quotes ("ООО «Еврохим-БМУ»"); not part of the name.
LEGAL_FORMS = frozenset(
    {"ООО", "ОАО", "ЗАО", "ПАО", "АО", "НАО", "ОДО", "ЧУП", "ФГУП", "ГУП", "МУП", "НАК", "МИА", "АНО"}
)
EDGE_PUNCTUATION = OPENING_QUOTES | CLOSING_QUOTES | frozenset("()[],.:;—–-")


def joined_spans(doc: Doc) -> list[tuple[int, int, str]]:
    """natasha's spans, with a name it cut in two put together again ("Нейл" + "Патрик Харрис")."""
    spans: list[tuple[int, int, str]] = []
    previous = None
    for span in doc.spans:
        if previous is not None and _one_name(previous, span, doc.text):
            spans[-1] = (spans[-1][0], span.stop, span.type)
        else:
            spans.append((span.start, span.stop, span.type))
        previous = span
    return spans


def _one_name(before, after, text: str) -> bool:
    """A one-word name that is no surname and the name right after it in the same case are one
    person's name; so is a name and its spelling in brackets ("Картера Уилкерсона (Carter Wilkerson)")."""
    if before.type != after.type:
        return False
    between = text[before.stop:after.start].strip()
    if between == "(" and text[after.stop:after.stop + 1] == ")":
        return True
    return (
        before.type == "PER"
        and len(before.tokens) == 1
        and not between
        and before.tokens[0].feats.get("Case") == after.tokens[0].feats.get("Case")
        and not _is_surname(before.tokens[0].text)
    )


def _is_surname(word: str) -> bool:
    """A surname ("Адвокат Алёхиной Александр Подрабинёк") ends one name and never opens another."""
    return any("Surn" in p.tag for p in models().morph_vocab(word.lower()))


def trim_front(tokens: Sequence[DocToken], first: int, stop: int) -> int:
    """Skip what natasha took into a person's name before it: an office ("Президент Петр
    Порошенко"), a noun for people or someone else's surname before a first name."""
    while first < stop and (
        is_role(tokens[first])
        or stop - first > 1 and _never_named(tokens[first].text)
        or stop - first > 1 and _not_of_the_name(tokens[first], tokens[first + 1])
    ):
        first += 1
    return first


def latin_gloss(tokens: Sequence[DocToken], stop: int) -> list[str]:
    """The name in Latin letters in brackets right after a name ("(Roberta Cozza)"), if any."""
    if stop >= len(tokens) or tokens[stop].text != "(":
        return []
    close = next((i for i in range(stop + 1, min(len(tokens), stop + 6)) if tokens[i].text == ")"), None)
    words = [t.text for t in tokens[stop + 1:close]] if close else []
    return words if words and all(w.isascii() and w.isalpha() for w in words) else []


def missed_first_name(tokens: Sequence[DocToken], first: int, sentence_starts: set[int], taken: set[int]) -> int:
    """Take in a first name natasha left out ("директор Нейл Патрик Харрис"): a capitalised
    word naming someone, in the case of the name, right before it."""
    if first == 0 or first >= len(tokens) or first - 1 in taken or tokens[first].start in sentence_starts:
        return first
    before, name = tokens[first - 1], tokens[first]
    if (
        before.pos == "PROPN"
        and before.text[:1].isupper()
        and before.text.isalpha()
        and not before.text.isupper()
        and before.feats.get("Animacy") == "Anim"
        and before.feats.get("Case") == name.feats.get("Case")
        and not _never_named(before.text)
        and not _only_common(before.text)
        and not _is_surname(before.text)
    ):
        return first - 1
    return first


def _never_named(word: str) -> bool:
    """An adverb, a particle or a conjunction ("Сегодня Луценко")."""
    parses = models().morph_vocab(word.lower())
    return len(word) > 1 and all(p.is_known and p.tag.POS in FUNCTION_WORDS for p in parses)


def _not_of_the_name(word: DocToken, first_name: DocToken) -> bool:
    """A word before a first name that is no part of the name: a noun for people ("Украинка
    Юлия Паратова") or another person's surname in another case ("защитник Алёхиной Александр")."""
    if not is_first_name(first_name.text):
        return False
    if _only_common(word.text):
        return True
    case = first_name.feats.get("Case")
    surnames = [p for p in models().morph_vocab(word.text.lower()) if "Surn" in p.tag]
    return bool(surnames) and all(p.feats.get("Case") != case for p in surnames)


def _only_common(word: str) -> bool:
    """A word the dictionary knows only as a common noun for people ("Украинка", "Терапевт")."""
    parses = models().morph_vocab(word.lower())
    return all(p.is_known and p.tag.POS == "NOUN" and p.tag.animacy == "anim" for p in parses) and not any(
        tag in p.tag for p in parses for tag in PROPER_TAGS
    )


def is_first_name(word: str) -> bool:
    return any(p.is_known and "Name" in p.tag for p in models().morph_vocab(word.lower()))


def trim(text: str, tokens: Sequence[DocToken], first: int, stop: int, etype: str) -> tuple[int, int]:
    """The words of a span that are the name: not a gloss in brackets ("Роберта Козза (Roberta
    Cozza)"), nothing past a line break or a bar, not the legal form before a name in quotes
    ("ЗАО «Газета.Ru»"), and no quotation marks around it."""
    stops = PERSON_STOPS if etype == "PER" else STOPS
    for i in range(first + 1, stop):
        if tokens[i].text in stops or "\n" in text[tokens[i - 1].stop:tokens[i].start]:
            stop = i
            break
    quotes = [i for i in range(first, stop) if tokens[i].text in OPENING_QUOTES | CLOSING_QUOTES]
    if len(quotes) == 2 and first < quotes[0] and quotes[1] == stop - 1 and all(
        _names_a_kind(t.text) for t in tokens[first : quotes[0]]
    ):
        # 'ООО "ККЗБ"', 'Холдинг "Газпром-Медиа"' with the closing mark: the name between the marks
        first, stop = quotes[0] + 1, quotes[1]
    elif len(quotes) == 1 and first < quotes[0] < stop - 1:
        q = quotes[0]
        opens = tokens[q].text in OPENING_QUOTES and (tokens[q].text != '"' or text[tokens[stop - 1].stop:][:1] == '"')
        first, stop = (q + 1, stop) if opens else (first, q)
    while first < stop and tokens[first].text in EDGE_PUNCTUATION:
        first += 1
    while stop > first and tokens[stop - 1].text in EDGE_PUNCTUATION and tokens[stop - 1].text != ".":
        stop -= 1
    return first, stop


def _names_a_kind(word: str) -> bool:
    """A legal form ("ООО", "ОАО") or a common noun for a kind of body ("Холдинг", "компания")."""
    if word in LEGAL_FORMS:
        return True
    parses = known_parses(word)
    return bool(parses) and all(p.tag.POS == "NOUN" and not set(PROPER_TAGS) & set(p.tag.grammemes) for p in parses)


def is_first_name_only(words: Sequence[DocToken], tokens: Sequence[DocToken], first: int) -> bool:
    """A lone word the dictionary knows only as a first name, not in quotes, names a person
    whatever natasha tagged it ("митрополит Епифаний")."""
    if len(words) != 1 or first > 0 and tokens[first - 1].text in OPENING_QUOTES:
        return False
    parses = known_parses(words[0].text)
    return bool(parses) and all("Name" in p.tag and p.feats.get("Number") == "Sing" for p in parses)


def is_common_word(
    words: Sequence[DocToken], etype: str, sentence_starts: set[int], tokens: Sequence[DocToken], first: int
) -> bool:
    """A lone word the dictionary knows only as a common word is no name: a particle ("Даже") or
    an office ("Замглавы") anywhere; an adjective ("Пензенским") or a plural ("Банки") unless
    in quotes; for a person, a noun where a sentence opens ("Весной"), since there its capital
    letter says nothing. A line in capitals ("ПОСЛЕДНИЕ НОВОСТИ") is no name either."""
    if len(words) != 1:
        return all(_is_common_capitals(w.text) for w in words)
    word = words[0].text
    if len(word) < 2:
        return True
    parses = models().morph_vocab(word.lower())
    if _is_common_capitals(word):
        return True
    if not all(p.is_known for p in parses) or any(tag in p.tag for p in parses for tag in PROPER_TAGS):
        return False
    opens = words[0].start in sentence_starts or first > 0 and tokens[first - 1].text in OPENING_QUOTES | DASHES
    if is_role(words[0]) or all(p.tag.POS in FUNCTION_WORDS for p in parses):
        return True
    # a short adjective is never written with a capital mid-sentence: there the dictionary's
    # "карасина" (from "карасиный") is the surname "Карасин" in the genitive
    if all(p.tag.POS not in ("NOUN", "ADJF") for p in parses):
        return opens or any(p.tag.POS != "ADJS" for p in parses)
    quoted = first > 0 and tokens[first - 1].text in OPENING_QUOTES
    if all(p.tag.POS != "NOUN" for p in parses) and (etype == "PER" or not quoted):
        return True
    if etype != "PER":
        return words[0].feats.get("Number") == "Plur" and not quoted
    return opens


def _is_common_capitals(word: str) -> bool:
    """A common word written in capitals ("НОВОСТИ"), not an abbreviation ("МИД")."""
    if not word.isupper() or len(word) < 5:
        return False
    parses = [p for p in models().morph_vocab(word.lower()) if p.is_known]
    return bool(parses) and not any(tag in p.tag for p in parses for tag in (*PROPER_TAGS, "Abbr"))


def not_a_person(words: Sequence[DocToken]) -> str | None:
    """The type of a lone word natasha tags as a person that the dictionary knows only as a thing:
    a place ("Сердобск") is LOC, anything else inanimate ("Инстаграма") ORG; None for a word
    that may name someone."""
    if len(words) != 1:
        return None
    parses = models().morph_vocab(words[0].text.lower())
    if not parses or not all(p.is_known and p.tag.POS == "NOUN" and p.tag.animacy == "inan" for p in parses):
        return None
    if any(tag in p.tag for p in parses for tag in ("Name", "Surn", "Patr")):
        return None
    return "LOC" if all("Geox" in p.tag for p in parses) else "ORG"
