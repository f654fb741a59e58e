"""One person, several names: "Путин", "В. Путин" and "Владимир Путин" are one speaker across documents.

Every entity row is a name as pages give it. `entities.person_id` points at the row of the person
that name belongs to (for the person's fullest name, its own row); quotes and mentions point at the
person, and keep the name they were written with beside it (`quotes.speaker_name_id`,
`mentions.name_id`), so nothing is lost and a name can be moved to another person later.

People are grouped per surname, as the gold sets match names: equal after lower-casing and "ё" → "е",
or the same surname with agreeing first names. Two full first names agree only when equal
("Александр" and "Алексей Лукашенко" are two people; the scorer's same-first-letter rule is for an
initial), an initial agrees with the first names it opens ("Д. Медведев" → "Дмитрий Медведев", not
"Сергей Медведев"), and a name without a first name agrees with every one. A surname is compared as
written, so "Ольга Медведева" never meets "Медведев".

A name that agrees with several people ("Лукашенко" beside "Александр" and "Виктор Лукашенко") joins
the one named in at least DOMINANCE times as many documents as the next, and otherwise stays a person
of its own: a quote given to the wrong person is worse than a person shown under two names. Because
that choice depends on counts, a surname's names are grouped again whenever a page names one of
them; grouping only ever reads the names of that surname, never the corpus.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, select, update

from skazal.store.lemmas import fold
from skazal.store.schema import entities, mentions, quotes

PERSON = "PER"
DOMINANCE = 10
# Words of a name: letters, with hyphenated parts kept together ("Трамп-младший" is not "Трамп").
NAME_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


@dataclass(frozen=True, slots=True)
class PersonName:
    """A person's name taken apart; first name and patronymic are full words, initials, or absent."""

    surname: str
    first: str | None = None
    first_initial: str | None = None
    patronymic: str | None = None
    patronymic_initial: str | None = None

    @property
    def fullness(self) -> tuple[int, int]:
        """How much of the name is given: 2 for a full word, 1 for an initial, 0 for none."""
        return (2 if self.first else 1 if self.first_initial else 0,
                2 if self.patronymic else 1 if self.patronymic_initial else 0)

    def agrees(self, other: PersonName) -> bool:
        """Whether both may name one person (same surname, no first name or patronymic against it)."""
        return (self.surname == other.surname
                and _parts_agree(self.first, self.first_initial, other.first, other.first_initial)
                and _parts_agree(self.patronymic, self.patronymic_initial, other.patronymic,
                                 other.patronymic_initial))


def _parts_agree(word: str | None, initial: str | None, other_word: str | None, other_initial: str | None) -> bool:
    if word and other_word:
        return word == other_word
    return not (initial and other_initial) or initial == other_initial


def parse_name(name: str) -> PersonName | None:
    """The parts of a person's name ("Дмитрий Медведев", "Д. А. Медведев", "Медведев Д.А.", "Медведев");
    None for what does not read as one (lower-case words, more than three words, digits)."""
    tokens = NAME_WORD.findall(name)
    if not tokens or len(tokens) > 3 or re.search(r"\d", name) or not all(token[0].isupper() for token in tokens):
        return None
    folded = [fold(token) for token in tokens]
    full = [token for token in folded if len(token) > 1]
    if len(full) == 1 and (len(folded) == 1 or len(folded[0]) == 1 or len(folded[-1]) == 1):
        # "Медведев", "Д. Медведев", "Д. А. Медведев", "Медведев Д.А." (initials before or after it)
        first, patronymic = ([token for token in folded if len(token) == 1] + [None, None])[:2]
        return PersonName(surname=full[0], first_initial=first, patronymic_initial=patronymic)
    if len(folded) == 2 and len(full) == 2:
        return PersonName(surname=full[1], first=full[0], first_initial=full[0][0])
    if len(folded) == 3 and len(folded[0]) > 1 and len(folded[2]) > 1:
        # "Владимир Владимирович Путин", "Дмитрий А. Медведев"
        middle = folded[1]
        return PersonName(surname=folded[2], first=folded[0], first_initial=folded[0][0],
                          patronymic=middle if len(middle) > 1 else None, patronymic_initial=middle[0])
    return None


def surname_of(name: str, type: str) -> str | None:
    """The key a person's names are grouped under; None for other entities and unreadable names."""
    parsed = parse_name(name) if type == PERSON else None
    return parsed.surname if parsed else None


@dataclass(frozen=True, slots=True)
class StoredName:
    id: int
    name: str
    documents: int  # how many documents name it (as an entity or a speaker)


@dataclass
class _Person:
    head: PersonName
    ids: list[int] = field(default_factory=list)
    documents: int = 0


def group_names(names: Sequence[StoredName]) -> dict[int, int]:
    """The person of each name (the id of the person's fullest name), for names of one surname."""
    parsed = {name.id: parse_name(name.name) for name in names}
    people: list[_Person] = []
    person_of: dict[int, int] = {}
    # The fullest names first, so that each name meets the people it might join already formed.
    for name in sorted(names, key=lambda n: (*(-part for part in _fullness(parsed[n.id])), -len(n.name), n.id)):
        own = parsed[name.id]
        if own is None:
            person_of[name.id] = name.id
            continue
        chosen = _chosen(own, [person for person in people if person.head.agrees(own)])
        if chosen is None:
            chosen = _Person(head=own)
            people.append(chosen)
        chosen.ids.append(name.id)
        chosen.documents += name.documents
        person_of[name.id] = chosen.ids[0]
    return person_of


def _fullness(name: PersonName | None) -> tuple[int, int]:
    return name.fullness if name else (0, 0)


def _chosen(name: PersonName, candidates: list[_Person]) -> _Person | None:
    """The person a name joins: the one it agrees with, or among several the dominant one; else none."""
    exact = [person for person in candidates if person.head.fullness == name.fullness]
    if exact:
        return exact[0]  # the same name, written with "ё" or in another case
    if len(candidates) < 2:
        return candidates[0] if candidates else None
    first, second = sorted(candidates, key=lambda person: -person.documents)[:2]
    dominant = first.documents >= DOMINANCE * second.documents and first.documents > second.documents
    return first if dominant else None


def person_of(connection: Connection, entity_id: int) -> int:
    """The person an entity id stands for: itself, unless it is another name of someone (an old link)."""
    return connection.execute(select(entities.c.person_id).where(entities.c.id == entity_id)).scalar() or entity_id


def regroup(connection: Connection, surnames: Collection[str] | None = None) -> None:
    """Group the names of these surnames (of every one, if None) into people again, moving the quotes
    and mentions of any name whose person changed."""
    query = select(entities.c.id, entities.c.name, entities.c.surname, entities.c.person_id,
                   entities.c.documents).where(entities.c.type == PERSON, entities.c.surname.is_not(None))
    if surnames is not None:
        if not surnames:
            return
        query = query.where(entities.c.surname.in_(sorted(surnames)))
    by_surname: dict[str, list] = defaultdict(list)
    for row in connection.execute(query):
        by_surname[row.surname].append(row)
    for rows in by_surname.values():
        person_of = group_names([StoredName(id=row.id, name=row.name, documents=row.documents) for row in rows])
        _move(connection, [(row.id, row.person_id, person_of[row.id])
                            for row in rows if row.person_id != person_of[row.id]])


def _move(connection: Connection, changes: Iterable[tuple[int, int | None, int]]) -> None:
    """Point names, and the quotes and mentions written with them, at their new people."""
    moved: dict[tuple[int | None, int], list[int]] = defaultdict(list)
    for name_id, old, new in changes:
        moved[(old, new)].append(name_id)
    for (old, new), name_ids in moved.items():
        connection.execute(update(entities).where(entities.c.id.in_(name_ids)).values(person_id=new))
        if old is None:
            continue  # a new name: nothing was written with it yet
        connection.execute(update(quotes).where(quotes.c.speaker_id == old, quotes.c.speaker_name_id.in_(name_ids))
                           .values(speaker_id=new))
        connection.execute(update(mentions).where(mentions.c.entity_id == old, mentions.c.name_id.in_(name_ids))
                           .values(entity_id=new))
