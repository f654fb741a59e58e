"""People, organisations and places the page names, in its body, title, teasers and photo captions.

natasha tags the body (its Doc is shared with the other stages) and, in one more pass, the short
texts around it. The entity lexicon corrects what it gets wrong on news: generic words and
awards tagged as names, names in «», abbreviations, "Кремль" as an actor.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from natasha import Doc
from natasha.doc import DocToken

from skazal.entities.lexicon import EntityLexicon, fold, lexicon, role_nouns
from skazal.entities.merge import Found, merge
from skazal.entities.normalise import common_name, person_name
from skazal.entities.roles import role_after, role_before
from skazal.entities.spot import CLOSING_QUOTES, OPENING_QUOTES, named_in_credit, preceding_word, sites, spot_names
from skazal.nlp import analyse, models
from skazal.records import Article, Entity, Mention

PROPER_TAGS = ("Name", "Surn", "Patr", "Geox", "Orgn", "Trad")
FUNCTION_WORDS = frozenset({"ADVB", "PRCL", "CONJ", "PREP", "INTJ", "PRED"})
# A name never runs past these.
STOPS = frozenset({"(", "|", "/", "!", "?", ";"})
# Two people side by side ("Ахметов і Коломойський") are two names.
PERSON_STOPS = STOPS | {"и", "і"}
DASHES = frozenset({"—", "–", ":"})
EDGE_PUNCTUATION = OPENING_QUOTES | CLOSING_QUOTES | frozenset("()[],.:;—–-")


@dataclass(frozen=True, slots=True)
class Region:
    """A stretch of an analysed text that is one part of the page ("body", "teaser:2", ...)."""

    where: str
    start: int
    stop: int


def find_entities(article: Article, doc: Doc) -> tuple[Entity, ...]:
    """Entities of the page, one per canonical name and type, with every mention and alias."""
    rules = lexicon()
    found = list(_found_in(doc, [Region("body", 0, len(doc.text))], rules))
    short_text, regions = _short_texts(article)
    if short_text:
        found.extend(_found_in(analyse(short_text), regions, rules))
    return merge(found, rules)


def _short_texts(article: Article) -> tuple[str, list[Region]]:
    """Title, teasers, captions and credits joined into one text for a single natasha pass."""
    parts = [("title", article.title)]
    parts += [(f"teaser:{i}", teaser) for i, teaser in enumerate(article.teasers)]
    parts += [(f"caption:{i}", image.caption) for i, image in enumerate(article.images)]
    parts += [(f"credit:{i}", image.credit) for i, image in enumerate(article.images)]
    text, regions = "", []
    for where, part in parts:
        if not part or not part.strip():
            continue
        if text:
            # a full stop between parts keeps the sentence splitter from joining two headlines
            text += "\n\n" if text.rstrip()[-1:] in ".!?…»\"" else ".\n\n"
        regions.append(Region(where, len(text), len(text) + len(part)))
        text += part
    return text, regions


def _found_in(doc: Doc, regions: Sequence[Region], rules: EntityLexicon) -> Iterator[Found]:
    tokens = doc.tokens
    starts = [t.start for t in tokens]
    sentence_starts = {s.tokens[0].start for s in doc.sents if s.tokens} | {r.start for r in regions}
    # a line break opens a sentence too: subheadings often lack a full stop
    sentence_starts |= {t.start for prev, t in zip(tokens, tokens[1:]) if "\n" in doc.text[prev.stop:t.start]}
    taken: set[int] = set()
    for start, stop, etype in _joined_spans(doc):
        region = _region_of(regions, start, stop)
        first, stop = _trim(doc.text, tokens, bisect_left(starts, start), bisect_left(starts, stop), etype)
        if etype == "PER":
            first = _trim_role(tokens, first, stop, rules)
            first = _missed_first_name(tokens, first, sentence_starts, taken)
        taken.update(range(first, stop))
        # a photographer in a credit signs the picture like a byline: named by the page, not in it
        if region is None or first >= stop or etype == "PER" and region.where.startswith("credit:"):
            continue
        f = _found_from_span(doc.text, tokens, first, stop, etype, region, sentence_starts, rules)
        if f:
            yield f
    for region in regions:
        yield from _sites_in(doc.text, tokens, starts, region, taken, rules)
        yield from _spotted_in(doc.text, tokens, starts, region, taken, rules)
        if region.where.startswith("credit:"):
            yield from _credit_names(doc.text, tokens, starts, region, taken, rules)


def _joined_spans(doc: Doc) -> list[tuple[int, int, str]]:
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


def _found_from_span(
    text: str,
    tokens: list[DocToken],
    first: int,
    stop: int,
    etype: str,
    region: Region,
    sentence_starts: set[int],
    rules: EntityLexicon,
) -> Found | None:
    words = tokens[first:stop]
    before = preceding_word(tokens, first)
    if before is not None and fold(before.lemma or before.text) in rules.not_after:
        return None
    if _is_common_word(words, etype, sentence_starts, tokens, first):
        return None
    name = person_name(words, _latin_gloss(tokens, stop)) if etype == "PER" else common_name(words)
    if len(name) < 2 or rules.is_not_name(name):
        return None
    known = rules.known.get(fold(name))
    if known:
        name, etype = known
    etype = rules.types.get(fold(name), etype)
    lowest = _sentence_start_index(tokens, first, sentence_starts, region)
    role = None
    if etype == "PER":
        highest = _sentence_stop_index(tokens, stop, sentence_starts, region)
        role = role_before(tokens, first, lowest) or role_after(tokens, stop, highest)
    return Found(name, etype, _mention(text, tokens, first, stop, region), role)


def _spotted_in(text: str, tokens, starts, region: Region, taken: set[int], rules: EntityLexicon) -> Iterator[Found]:
    lo, hi = bisect_left(starts, region.start), bisect_left(starts, region.stop)
    for spotted in spot_names(tokens[lo:hi], {i - lo for i in taken if lo <= i < hi}, rules):
        first, stop = spotted.start + lo, spotted.stop + lo
        taken.update(range(first, stop))
        yield Found(spotted.name, spotted.type, _mention(text, tokens, first, stop, region))


def _sites_in(text: str, tokens, starts, region: Region, taken: set[int], rules: EntityLexicon) -> Iterator[Found]:
    for start, stop in sites(text[region.start:region.stop], rules):
        first, last = bisect_left(starts, region.start + start), bisect_left(starts, region.start + stop)
        if first < last and not taken.intersection(range(first, last)):
            taken.update(range(first, last))
            name = text[region.start + start:region.start + stop]
            yield Found(name, "ORG", Mention(start, stop, name, region.where))


def _credit_names(text: str, tokens, starts, region: Region, taken: set[int], rules: EntityLexicon) -> Iterator[Found]:
    """Agencies a credit names that no rule above found, each part of the credit on its own."""
    credit = text[region.start:region.stop]
    for start, stop in named_in_credit(credit, rules):
        first, last = bisect_left(starts, region.start + start), bisect_left(starts, region.start + stop)
        name = credit[start:stop]
        if not taken.intersection(range(first, last)) and not rules.is_not_name(name):
            yield Found(name, rules.types.get(fold(name), "ORG"), Mention(start, stop, name, region.where))


def _trim_role(tokens: Sequence[DocToken], first: int, stop: int, rules: EntityLexicon) -> int:
    """Skip what natasha took into a person's name before it: an office ("Президент Петр
    Порошенко"), a noun for people or someone else's surname before a first name."""
    while first < stop and (
        fold(tokens[first].lemma or "") in rules.role_nouns
        or stop - first > 1 and _never_named(tokens[first].text)
        or stop - first > 1 and _not_of_the_name(tokens[first], tokens[first + 1])
    ):
        first += 1
    return first


def _latin_gloss(tokens: Sequence[DocToken], stop: int) -> list[str]:
    """The name in Latin letters in brackets right after a name ("(Roberta Cozza)"), if any."""
    if stop >= len(tokens) or tokens[stop].text != "(":
        return []
    close = next((i for i in range(stop + 1, min(len(tokens), stop + 6)) if tokens[i].text == ")"), None)
    words = [t.text for t in tokens[stop + 1:close]] if close else []
    return words if words and all(w.isascii() and w.isalpha() for w in words) else []


def _missed_first_name(tokens: Sequence[DocToken], first: int, sentence_starts: set[int], taken: set[int]) -> int:
    """Take in a first name natasha left out ("директор Нейл Патрик Харрис"): a capitalised
    word naming someone, in the case of the name, right before it."""
    if first == 0 or first - 1 in taken or tokens[first].start in sentence_starts:
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
    if not _is_first_name(first_name.text):
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


def _is_first_name(word: str) -> bool:
    return any(p.is_known and "Name" in p.tag for p in models().morph_vocab(word.lower()))


def _trim(text: str, tokens: Sequence[DocToken], first: int, stop: int, etype: str) -> tuple[int, int]:
    """The words of a span that are the name: not a gloss in brackets ("Роберта Козза (Roberta
    Cozza)"), nothing past a line break or a bar, not the legal form before a name in quotes
    ("ЗАО «Газета.Ru»"), and no quotation marks around it."""
    stops = PERSON_STOPS if etype == "PER" else STOPS
    for i in range(first + 1, stop):
        if tokens[i].text in stops or "\n" in text[tokens[i - 1].stop:tokens[i].start]:
            stop = i
            break
    quotes = [i for i in range(first, stop) if tokens[i].text in OPENING_QUOTES | CLOSING_QUOTES]
    if len(quotes) == 1 and first < quotes[0] < stop - 1:
        q = quotes[0]
        opens = tokens[q].text in OPENING_QUOTES and (tokens[q].text != '"' or text[tokens[stop - 1].stop:][:1] == '"')
        first, stop = (q + 1, stop) if opens else (first, q)
    while first < stop and tokens[first].text in EDGE_PUNCTUATION:
        first += 1
    while stop > first and tokens[stop - 1].text in EDGE_PUNCTUATION and tokens[stop - 1].text != ".":
        stop -= 1
    return first, stop


def _is_common_word(words, etype: str, sentence_starts: set[int], tokens, first: int) -> bool:
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
    if all(p.tag.POS not in ("NOUN", "ADJF") for p in parses) or fold(words[0].lemma or "") in role_nouns():
        return True
    quoted = first > 0 and tokens[first - 1].text in OPENING_QUOTES
    if all(p.tag.POS != "NOUN" for p in parses) and (etype == "PER" or not quoted):
        return True
    if etype != "PER":
        return words[0].feats.get("Number") == "Plur" and not quoted
    return words[0].start in sentence_starts or first > 0 and tokens[first - 1].text in OPENING_QUOTES | DASHES


def _is_common_capitals(word: str) -> bool:
    """A common word written in capitals ("НОВОСТИ"), not an abbreviation ("МИД")."""
    if not word.isupper() or len(word) < 5:
        return False
    parses = [p for p in models().morph_vocab(word.lower()) if p.is_known]
    return bool(parses) and not any(tag in p.tag for p in parses for tag in (*PROPER_TAGS, "Abbr"))


def _sentence_start_index(tokens, first: int, sentence_starts: set[int], region: Region) -> int:
    i = first
    while i > 0 and tokens[i].start not in sentence_starts and tokens[i - 1].start >= region.start:
        i -= 1
    return i


def _sentence_stop_index(tokens, stop: int, sentence_starts: set[int], region: Region) -> int:
    i = stop
    while i < len(tokens) and tokens[i].start not in sentence_starts and tokens[i].stop <= region.stop:
        i += 1
    return i


def _region_of(regions: Sequence[Region], start: int, stop: int) -> Region | None:
    return next((r for r in regions if r.start <= start and stop <= r.stop), None)


def _mention(text: str, tokens: Sequence[DocToken], first: int, stop: int, region: Region) -> Mention:
    start, end = tokens[first].start, tokens[stop - 1].stop
    return Mention(start - region.start, end - region.start, text[start:end], region.where)
