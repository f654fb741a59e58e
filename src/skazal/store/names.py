"""Finding a speaker by any form of the name: "Лукашенко", "Лукашенко А.Г.", "Александра Лукашенко".

Each part of a stored name is kept with every dictionary form pymorphy3 gives it (entity_terms);
a query part matches when its own forms meet them. Initials must agree with the name parts that
the full words did not already match.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, Select, select

from skazal.store.lemmas import fold, name_forms, words
from skazal.store.schema import entities, entity_terms


@dataclass(frozen=True)
class NameQuery:
    parts: tuple[frozenset[str], ...]  # the forms of each full word
    initials: tuple[str, ...]

    @classmethod
    def parse(cls, name: str) -> NameQuery:
        tokens = [match.group() for match in words(name)]
        return cls(
            parts=tuple(name_forms(token) for token in tokens if len(token) > 1),
            initials=tuple(fold(token) for token in tokens if len(token) == 1 and token.isalpha()),
        )

    def fits(self, name: str) -> bool:
        """Whether a stored canonical name answers this query."""
        stored = [name_forms(match.group()) for match in words(name) if len(match.group()) > 1]
        unmatched = [forms for forms in stored if not any(forms & part for part in self.parts)]
        return all(initial in {form[0] for form in forms} for initial, forms in zip(self.initials, unmatched))


def speaker_ids(connection: Connection, name: str) -> list[int]:
    """The ids of every entity the name may refer to (of the person, for a person's names)."""
    query = NameQuery.parse(name)
    if not query.parts:
        return []
    wanted = set().union(*query.parts)
    rows = connection.execute(
        select(entity_terms.c.entity_id, entity_terms.c.term).where(entity_terms.c.term.in_(sorted(wanted)))
    )
    terms: dict[int, set[str]] = {}
    for row in rows:
        terms.setdefault(row.entity_id, set()).add(row.term)
    candidates = [entity_id for entity_id, found in terms.items() if _every_part_met(query.parts, found)]
    if not candidates:
        return []
    named = connection.execute(
        select(entities.c.person_id, entities.c.name).where(entities.c.id.in_(candidates))
    )
    return sorted({row.person_id for row in named if query.fits(row.name)})


def narrowed_to_name(connection: Connection, query: Select, entity_id: ColumnElement, name: str | None
                     ) -> Select | None:
    """`query` kept to the entities `name` may refer to (all, if no name); None when it refers to none."""
    if name is None:
        return query
    ids = speaker_ids(connection, name)
    return query.where(entity_id.in_(ids)) if ids else None


def _every_part_met(parts: Collection[frozenset[str]], found: set[str]) -> bool:
    return all(part & found for part in parts)
