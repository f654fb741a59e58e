"""Finding a speaker by any form of the name: "Лукашенко", "Лукашенко А.Г.", "Александра Лукашенко".

Each part of a stored name is kept with every dictionary form pymorphy3 gives it (entity_terms);
a query part matches when its own forms meet them. Initials must agree with the name parts that
the full words did not already match. Surnames in -ов, -ев, -ин and -ын decline by one pattern that
pymorphy3's dictionary does not always know ("Мантурова" reads only as the village "Мантурово"), so a
query word of that pattern also stands for its nominative forms.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, Select, or_, select

from skazal.store.lemmas import fold, name_forms, words
from skazal.store.schema import entities, entity_terms

# A surname's stem, then the ending of a case form of it, masculine, feminine or plural.
DECLINED_SURNAME = re.compile(r"(.{2,}?(?:ов|ев|ин|ын))(а|у|ым|ом|е|ой|ою|ы|ых|ыми)?")


def surname_forms(word: str) -> frozenset[str]:
    """The nominative forms ("мантуров", "мантурова") of a word declined as a surname in -ов, -ев, -ин or
    -ын ("Мантурова", "Мантуровым"); none for a word of another shape."""
    declined = DECLINED_SURNAME.fullmatch(fold(word))
    if declined is None:
        return frozenset()
    stem = declined.group(1)
    return frozenset({stem, stem + "а"})


def query_forms(word: str) -> frozenset[str]:
    """The forms a name part typed in a query may meet: its dictionary forms and, for a surname's shape,
    the nominative forms of that surname."""
    return name_forms(word) | surname_forms(word)


@dataclass(frozen=True)
class NameQuery:
    parts: tuple[frozenset[str], ...]  # the forms of each full word
    initials: tuple[str, ...]
    typed: str | None = None  # the last full word as typed so far ("Песк"): a name part it begins meets it

    @classmethod
    def parse(cls, name: str, typing: bool = False) -> NameQuery:
        """The query a name gives; `typing` for one still being typed, whose last word may be cut short."""
        tokens = [match.group() for match in words(name)]
        full = [token for token in tokens if len(token) > 1]
        return cls(
            parts=tuple(query_forms(token) for token in full),
            initials=tuple(fold(token) for token in tokens if len(token) == 1 and token.isalpha()),
            typed=fold(full[-1]) if typing and full else None,
        )

    def meets(self, part: int, term: str) -> bool:
        """Whether a stored name part (a folded form) answers the query's `part`-th word."""
        return term in self.parts[part] or (part == len(self.parts) - 1 and self.typed is not None
                                            and term.startswith(self.typed))

    def fits(self, name: str) -> bool:
        """Whether a stored canonical name answers this query."""
        # A stored initial stands as the one form it gives, so "А. Медведев" does not answer "Д. Медведев".
        stored = [name_forms(word) if len(word) > 1 else frozenset({fold(word)})
                  for word in (match.group() for match in words(name)) if len(word) > 1 or word.isalpha()]
        unmatched = [forms for forms in stored
                     if not any(self.meets(part, form) for part in range(len(self.parts)) for form in forms)]
        return all(initial in {form[0] for form in forms} for initial, forms in zip(self.initials, unmatched))


def speaker_ids(connection: Connection, name: str, typing: bool = False) -> list[int]:
    """The ids of every entity the name may refer to (of the person, for a person's names); `typing`
    for a name still being typed, whose last word also meets the names it begins."""
    query = NameQuery.parse(name, typing)
    if not query.parts:
        return []
    wanted = entity_terms.c.term.in_(sorted(set().union(*query.parts)))
    if query.typed is not None:
        wanted = or_(wanted, entity_terms.c.term.startswith(query.typed, autoescape=True))
    # One statement: each name's matching terms with its person and canonical name.
    found = connection.execute(
        select(entity_terms.c.entity_id, entity_terms.c.term, entities.c.person_id, entities.c.name)
        .join(entities, entities.c.id == entity_terms.c.entity_id).where(wanted)
    ).all()
    terms: dict[int, set[str]] = {}
    named: dict[int, tuple[int, str]] = {}
    for row in found:
        terms.setdefault(row.entity_id, set()).add(row.term)
        named[row.entity_id] = (row.person_id, row.name)
    return sorted({named[entity_id][0] for entity_id, met in terms.items()
                   if _every_part_met(query, met) and query.fits(named[entity_id][1])})


def narrowed_to_name(connection: Connection, query: Select, entity_id: ColumnElement, name: str | None
                     ) -> Select | None:
    """`query` kept to the entities `name` may refer to (all, if no name); None when it refers to none."""
    if name is None:
        return query
    ids = speaker_ids(connection, name)
    return query.where(entity_id.in_(ids)) if ids else None


def _every_part_met(query: NameQuery, found: set[str]) -> bool:
    return all(any(query.meets(part, term) for term in found) for part in range(len(query.parts)))
