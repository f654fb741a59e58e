"""People, organisations and places the page names, in its body, title, teasers and photo captions.

natasha tags the body (its Doc is shared with the other stages) and, in one more pass, the short
texts around it. The entity lexicon corrects what it gets wrong on news: generic words and
awards tagged as names, names in «», abbreviations, "Кремль" as an actor.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from natasha import Doc
from natasha.doc import DocToken

from skazal.entities.lexicon import EntityLexicon, fold, lexicon
from skazal.entities.merge import Found, merge
from skazal.entities.normalise import common_name, family_surname, person_name
from skazal.entities.roles import role_after, role_before
from skazal.entities.spans import (
    is_common_word,
    is_first_name,
    is_first_name_only,
    joined_spans,
    latin_gloss,
    missed_first_name,
    not_a_person,
    trim,
    trim_front,
)
from skazal.entities.spot import named_in_credit, preceding_word, sites, spot_names
from skazal.nlp import analyse, lemma_among
from skazal.records import Article, Entity, Mention

# letters of a surname that stay the same in its case forms ("Алибасов", "Алибасова")
SURNAME_STEM = 5
# a word after one of these is a place, whatever person shares its name ("в Уэйко", "из Бари")
PLACE_PREPOSITIONS = frozenset({"в", "во", "из", "на", "до", "под", "около", "близ", "возле", "через", "у"})


@dataclass(frozen=True, slots=True)
class Region:
    """A stretch of an analysed text that is one part of the page ("body", "teaser:2", ...)."""

    where: str
    start: int
    stop: int


def find_entities(article: Article, doc: Doc, short_doc: Doc | None = None) -> tuple[Entity, ...]:
    """Entities of the page, one per canonical name and type, with every mention and alias.

    `doc` is the analysed body; `short_doc`, the analysed `short_texts(article)` where the caller
    analysed them along with the body."""
    rules = lexicon()
    texts = [(_Tagged.of(doc, [Region("body", 0, len(doc.text))]), [Region("body", 0, len(doc.text))])]
    short_text, regions = short_texts(article)
    if short_text:
        short = short_doc if short_doc is not None else analyse(short_text)
        texts.append((_Tagged.of(short, regions), regions))
    found = [f for tagged, regions in texts for f in _found_in(tagged, regions, rules)]
    surnames = _surnames(found)
    for tagged, regions in texts:
        found.extend(_surnames_again(tagged, regions, surnames))
    first_names = _first_names(found)
    # "поступок Бари" after "Бари Алибасова" is the man, not the Italian city; "в Уэйко" stays a place
    body_tokens = texts[0][0].tokens
    body_starts = [t.start for t in body_tokens]

    def word_before(f: Found) -> str | None:
        at = bisect_left(body_starts, f.mention.start) if f.mention.where == "body" else 0
        return fold(body_tokens[at - 1].text) if at > 0 else None

    found = [_as_first_name(f, first_names, word_before) for f in found]
    for tagged, regions in texts:
        found.extend(_first_names_again(tagged, regions, first_names))
    return merge(found, rules)


def _as_first_name(f: Found, first_names: dict[str, str], word_before: Callable[[Found], str | None]) -> Found:
    """A lone word the tagger took for a place or a body that is the first name of a person named in full."""
    if f.type == "PER" or " " in f.name.strip():
        return f
    full = first_names.get(fold(f.name))
    return Found(full, "PER", f.mention, f.role) if full and word_before(f) not in PLACE_PREPOSITIONS else f


def short_texts(article: Article) -> tuple[str, list[Region]]:
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


@dataclass(slots=True)
class _Tagged:
    """One analysed text and what the finders share on it: where tokens and sentences start, and
    which tokens are already in a name."""

    doc: Doc
    starts: list[int]
    sentence_starts: set[int]
    taken: set[int]
    # tokens of a span natasha tagged and the rules turned down ("Урин" opening a sentence is
    # also a common noun): a surname named elsewhere on the page may still claim them
    dropped: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, doc: Doc, regions: Sequence[Region]) -> _Tagged:
        tokens = doc.tokens
        sentence_starts = {s.tokens[0].start for s in doc.sents if s.tokens} | {r.start for r in regions}
        # a line break opens a sentence too: subheadings often lack a full stop
        sentence_starts |= {t.start for prev, t in zip(tokens, tokens[1:]) if "\n" in doc.text[prev.stop:t.start]}
        return cls(doc, [t.start for t in tokens], sentence_starts, set())

    @property
    def tokens(self) -> list[DocToken]:
        return self.doc.tokens

    def token_range(self, start: int, stop: int) -> tuple[int, int]:
        """Indices of the tokens between two character offsets."""
        return bisect_left(self.starts, start), bisect_left(self.starts, stop)

    def is_free(self, first: int, stop: int) -> bool:
        return first < stop and not self.taken.intersection(range(first, stop))

    def mention(self, first: int, stop: int, region: Region) -> Mention:
        start, end = self.tokens[first].start, self.tokens[stop - 1].stop
        return Mention(start - region.start, end - region.start, self.doc.text[start:end], region.where)

    def sentence_bounds(self, first: int, stop: int, region: Region) -> tuple[int, int]:
        """Indices of the first token of the sentence around `tokens[first:stop]` and of the token after it."""
        tokens, opens, lowest, highest = self.tokens, self.sentence_starts, first, stop
        while lowest > 0 and tokens[lowest].start not in opens and tokens[lowest - 1].start >= region.start:
            lowest -= 1
        while highest < len(tokens) and tokens[highest].start not in opens and tokens[highest].stop <= region.stop:
            highest += 1
        return lowest, highest


def _found_in(tagged: _Tagged, regions: Sequence[Region], rules: EntityLexicon) -> Iterator[Found]:
    doc, tokens = tagged.doc, tagged.tokens
    named: list[tuple[int, int, Found]] = []
    for start, stop, etype in joined_spans(doc):
        if etype == "PER" and any(ch.isdigit() for ch in doc.text[start:stop]):
            # "Ми-6", "Т-34": no person's name has a digit; the tagger took a body or a thing
            etype = "ORG"
        region = _region_of(regions, start, stop)
        first, stop = trim(doc.text, tokens, *tagged.token_range(start, stop), etype)
        if etype == "PER":
            first = trim_front(tokens, first, stop)
            first = missed_first_name(tokens, first, tagged.sentence_starts, tagged.taken)
        tagged.taken.update(range(first, stop))
        # a photographer in a credit signs the picture like a byline: named by the page, not in it
        if region is None or first >= stop or etype == "PER" and region.where.startswith("credit:"):
            continue
        f = _found_from_span(tagged, first, stop, etype, region, rules)
        if f:
            named.append((first, stop, f))
        else:
            tagged.dropped.update(range(first, stop))
    yield from _with_family_names(tokens, named)
    for region in regions:
        yield from _sites_in(tagged, region, rules)
        yield from _spotted_in(tagged, region, rules)
        if region.where.startswith("credit:"):
            yield from _credit_names(tagged, region, rules)


def _found_from_span(
    tagged: _Tagged, first: int, stop: int, etype: str, region: Region, rules: EntityLexicon
) -> Found | None:
    tokens = tagged.tokens
    words = tokens[first:stop]
    before = preceding_word(tokens, first)
    if before is not None and lemma_among(before, rules.not_after) and not _author_of_work(before, words, etype, rules):
        return None
    if is_common_word(words, etype, tagged.sentence_starts, tokens, first):
        return None
    if etype == "PER":
        outlet = len(words) > 1 and fold(words[-1].text) in rules.outlet_words
        etype = not_a_person(words) or ("ORG" if outlet else etype)
    if etype == "PER":
        if len(words) == 1 and family_surname(words[0].text, None) is not None:
            return None  # a family or a dynasty ("Вилковы решили", "династия Романовых"), no one person
        name = person_name(words, latin_gloss(tokens, stop), _after_first_name_and(tokens, first))
    else:
        name = common_name(words)
    if len(name) < 2 or rules.is_not_name(name):
        return None
    known = rules.known_spelling(name)
    if known:
        name, etype = known
    etype = rules.types.get(fold(name), etype)
    if etype != "PER" and is_first_name_only(words, tokens, first):
        etype = "PER"
    role = None
    if etype == "PER":
        lowest, highest = tagged.sentence_bounds(first, stop, region)
        role = role_before(tokens, first, lowest) or role_after(tokens, stop, highest)
    return Found(name, etype, tagged.mention(first, stop, region), role)


def _after_first_name_and(tokens: Sequence[DocToken], first: int) -> bool:
    """The name follows a capitalised word and "и": "Андрея и Елену Вилковых"."""
    return first >= 2 and tokens[first - 1].text == "и" and tokens[first - 2].text[:1].isupper()


def _with_family_names(tokens: Sequence[DocToken], named: list[tuple[int, int, Found]]) -> Iterator[Found]:
    """The names found, a first name that shares the next one's family name given it too
    ("Андрея и Елену Вилковых": "Андрей Вилков")."""
    for (_, stop, f), following in zip(named, [*named[1:], None]):
        if following is not None and f.type == following[2].type == "PER" and len(f.name.split()) == 1:
            next_first, next_stop, _ = following
            if next_first == stop + 1 and tokens[stop].text == "и" and next_stop - next_first > 1:
                gender = tokens[stop - 1].feats.get("Gender")
                surname = family_surname(tokens[next_stop - 1].text, gender, coordinated=True)
                if surname is not None:
                    f = Found(f"{f.name} {surname}", f.type, f.mention, f.role)
        yield f


def _spotted_in(tagged: _Tagged, region: Region, rules: EntityLexicon) -> Iterator[Found]:
    lo, hi = tagged.token_range(region.start, region.stop)
    for spotted in spot_names(tagged.tokens[lo:hi], {i - lo for i in tagged.taken if lo <= i < hi}, rules):
        first, stop = spotted.start + lo, spotted.stop + lo
        tagged.taken.update(range(first, stop))
        yield Found(spotted.name, spotted.type, tagged.mention(first, stop, region))


def _sites_in(tagged: _Tagged, region: Region, rules: EntityLexicon) -> Iterator[Found]:
    for start, stop in sites(tagged.doc.text[region.start:region.stop], rules):
        first, last = tagged.token_range(region.start + start, region.start + stop)
        if tagged.is_free(first, last):
            tagged.taken.update(range(first, last))
            name = tagged.doc.text[region.start + start:region.start + stop]
            yield Found(name, "ORG", Mention(start, stop, name, region.where))


def _credit_names(tagged: _Tagged, region: Region, rules: EntityLexicon) -> Iterator[Found]:
    """Agencies a credit names that no rule above found, each part of the credit on its own."""
    credit = tagged.doc.text[region.start:region.stop]
    for start, stop in named_in_credit(credit, rules):
        name = credit[start:stop]
        free = tagged.is_free(*tagged.token_range(region.start + start, region.start + stop))
        if free and not rules.is_not_name(name):
            yield Found(name, rules.types.get(fold(name), "ORG"), Mention(start, stop, name, region.where))


def _surnames(found: Sequence[Found]) -> dict[str, str]:
    """The surnames of the people the page names in full, folded, each with its spelling."""
    surnames = {}
    for f in found:
        words = f.name.split()
        if f.type == "PER" and len(words) > 1 and len(words[-1]) > 2 and words[-1][:1].isupper():
            surnames.setdefault(fold(words[-1]), words[-1])
    return surnames


def _surnames_again(tagged: _Tagged, regions: Sequence[Region], surnames: dict[str, str]) -> Iterator[Found]:
    """A surname natasha found in one sentence and missed in another ("…; Урин сообщил"): a free
    capitalised word that is that surname, as written or in another case."""
    if not surnames:
        return
    for i, token in enumerate(tagged.tokens):
        word = fold(token.text)
        free = i not in tagged.taken or i in tagged.dropped
        if not free or not token.text[:1].isupper() or not token.text.isalpha() or len(word) < 3:
            continue
        surname = next((s for s in surnames if _may_be_form_of(word, s)), None)
        if surname is None or surname != word and fold(person_name([token])) != surname:
            continue
        region = _region_of(regions, token.start, token.stop)
        if region is not None:
            tagged.taken.add(i)
            tagged.dropped.discard(i)
            yield Found(surnames[surname], "PER", tagged.mention(i, i + 1, region))


def _first_names(found: Sequence[Found]) -> dict[str, str]:
    """The first name of each person the page names in full, folded, with the full name; a first
    name two people share is left out."""
    names: dict[str, dict[str, str]] = {}
    for f in found:
        words = f.name.split()
        if f.type == "PER" and len(words) == 2 and len(words[0]) > 2 and words[0][:1].isupper():
            # "Бари Алибасова" and "Бари Алибасов" are one man: surnames told apart by their stems
            names.setdefault(fold(words[0]), {}).setdefault(fold(words[1])[:SURNAME_STEM], f.name)
    return {first: next(iter(people.values())) for first, people in names.items() if len(people) == 1}


def _first_names_again(tagged: _Tagged, regions: Sequence[Region], first_names: dict[str, str]) -> Iterator[Found]:
    """ "Сам Бари не унывает" after "Бари Алибасова": a free capitalised word inside a sentence that is
    the first name of one person the page names in full, as written."""
    if not first_names:
        return
    for i, token in enumerate(tagged.tokens):
        if not token.text[:1].isupper():
            continue
        free = i not in tagged.taken or i in tagged.dropped
        full = first_names.get(fold(token.text)) if free else None
        # a capitalised first word of a sentence may be a common word ("Вера в …", "Надежда есть")
        if full is None or token.start in tagged.sentence_starts:
            continue
        region = _region_of(regions, token.start, token.stop)
        if region is not None:
            tagged.taken.add(i)
            tagged.dropped.discard(i)
            yield Found(full, "PER", tagged.mention(i, i + 1, region))


def _may_be_form_of(word: str, surname: str) -> bool:
    """The word could be the surname in some case: the same stem, an ending of three letters at most."""
    return word.startswith(surname[:-1]) and len(word) - len(surname) <= 3


def _region_of(regions: Sequence[Region], start: int, stop: int) -> Region | None:
    return next((r for r in regions if r.start <= start and stop <= r.stop), None)


def _author_of_work(before: DocToken, words: Sequence[DocToken], etype: str, rules: EntityLexicon) -> bool:
    """ "программы Елены Малышевой": a first name and a surname after a work name its author or host."""
    return (
        etype == "PER"
        and len(words) >= 2
        and lemma_among(before, rules.works)
        and is_first_name(words[0].text)
        and words[0].text[:1].isupper()
    )
