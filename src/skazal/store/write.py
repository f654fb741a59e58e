"""Saving ingested pages: documents, revisions, duplicates, and what was extracted from them."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Row, delete, insert, select, tuple_, union, update

from skazal.records import Entity, IngestedPage, Page
from skazal.store.connect import StoreError
from skazal.store.dialects import insert_missing
from skazal.store.kill_points import KILL_AT, kill_point
from skazal.store.lemmas import lemmatise, name_forms, words
from skazal.store.people import regroup, surname_of
from skazal.store.schema import (
    documents,
    entities,
    entity_aliases,
    entity_terms,
    mentions,
    outlets,
    quotes,
    revisions,
    search_entries,
    sources,
)

NEW, UNCHANGED, REVISION, DUPLICATE = "new", "unchanged", "revision", "duplicate"
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def address(item: IngestedPage) -> str:
    """What identifies a document across fetches: its URL, or where it was read from."""
    return item.url or item.location


def day(item: IngestedPage) -> str | None:
    """The day a page is filed under (YYYY-MM-DD): its publication date, else the day it was fetched."""
    for stamp in (item.page.article.published, item.fetched_at):
        if stamp and ISO_DAY.match(stamp):
            return stamp[:10]
    return None


@dataclass(frozen=True)
class KnownText(IngestedPage):
    """A page read but not analysed, because the store held its text when it was read (unchanged at
    its address, or a duplicate of another document): it is saved only as one of those two."""


class TextNoLongerStored(StoreError):
    """A page saved without its analysis would now be new or a revision: the store changed meanwhile."""


def save_page(connection: Connection, item: IngestedPage) -> str:
    """Save one page inside the caller's transaction; returns new, unchanged, revision or duplicate."""
    stored, original, outcome = _placed(connection, address(item), item.content_hash)
    if KILL_AT is not None:
        _kill_in_transaction(connection)
    if item.feed_text and stored is not None and not stored.feed_text:
        return UNCHANGED  # a fetched page is never replaced by its feed's text of it
    if isinstance(item, KnownText) and outcome not in (UNCHANGED, DUPLICATE):
        raise TextNoLongerStored(f"its text was stored when it was read and would now be {outcome}: ingest it again")
    if outcome == REVISION:
        _replace_revision(connection, stored.id, stored.outlet_id, stored.revision + 1, item)
    elif outcome in (NEW, DUPLICATE):
        outlet_id = _outlet_id(connection, item.outlet)
        document_id = _insert_document(connection, item, outlet_id, duplicate_of=original)
        if outcome == NEW:
            _insert_contents(connection, document_id, outlet_id, 1, item)
    return outcome


def _kill_in_transaction(connection: Connection) -> None:
    # The first page of a transaction is saved with the transaction open and nothing written yet; the
    # second, with one page of the batch written and not committed.
    transaction = connection.get_transaction()
    written = connection.info["kill_point_pages"] if connection.info.get("kill_point_of") is transaction else 0
    connection.info["kill_point_of"], connection.info["kill_point_pages"] = transaction, written + 1
    if written < 2:
        kill_point("mid-batch" if written else "after-begin")


def outcome_of(connection: Connection, at: str, content_hash: str) -> str:
    """What saving a page of this address and body hash would be now: new, unchanged, revision or duplicate."""
    return _placed(connection, at, content_hash)[2]


def _placed(connection: Connection, at: str, content_hash: str) -> tuple[Row | None, int | None, str]:
    """The document stored at the address, the first document of that text elsewhere, and the outcome."""
    stored = _document_at(connection, at)
    if stored is not None:
        return stored, None, UNCHANGED if stored.content_hash == content_hash else REVISION
    original = _document_with_hash(connection, content_hash)
    return None, original, NEW if original is None else DUPLICATE


def _document_at(connection: Connection, at: str) -> Row | None:
    return connection.execute(
        select(documents.c.id, documents.c.outlet_id, documents.c.content_hash, documents.c.revision,
               documents.c.feed_text).where(documents.c.address == at)
    ).first()


def _document_with_hash(connection: Connection, content_hash: str) -> int | None:
    return connection.execute(
        select(revisions.c.document_id).where(revisions.c.content_hash == content_hash).limit(1)
    ).scalar()


def _document_fields(item: IngestedPage) -> dict:
    article = item.page.article
    return {
        "location": item.location,
        "url": item.url,
        "content_hash": item.content_hash,
        "title": article.title,
        "published": article.published,
        "day": day(item),
        "author": article.author,
        "rubric": article.rubric,
        "fetched_at": item.fetched_at,
        "saved_at": now(),
        "feed_text": item.feed_text,
    }


def _insert_document(
    connection: Connection, item: IngestedPage, outlet_id: int | None, duplicate_of: int | None
) -> int:
    row = _document_fields(item) | {
        "address": address(item),
        "outlet_id": outlet_id,
        "duplicate_of": duplicate_of,
        "revision": 0 if duplicate_of else 1,
    }
    return connection.execute(insert(documents).values(row).returning(documents.c.id)).scalar_one()


def _replace_revision(
    connection: Connection, document_id: int, outlet_id: int | None, number: int, item: IngestedPage
) -> None:
    named_before = _names_in(connection, document_id)
    _count_documents(connection, named_before, -1)
    for derived in (search_entries, quotes, mentions, sources):
        connection.execute(delete(derived).where(derived.c.document_id == document_id))
    fields = _document_fields(item) | {"revision": number, "duplicate_of": None}
    connection.execute(update(documents).where(documents.c.id == document_id).values(fields))
    _insert_contents(connection, document_id, outlet_id, number, item)
    # A person the old revision named and the new one does not counts one document less.
    surnames = select(entities.c.surname).where(entities.c.id.in_(named_before), entities.c.surname.is_not(None))
    regroup(connection, set(connection.execute(surnames).scalars()))


def _outlet_id(connection: Connection, name: str | None) -> int | None:
    if not name:
        return None
    insert_missing(connection, outlets, [{"name": name}])
    return connection.execute(select(outlets.c.id).where(outlets.c.name == name)).scalar_one()


def _insert_contents(
    connection: Connection, document_id: int, outlet_id: int | None, number: int, item: IngestedPage
) -> None:
    page = item.page
    connection.execute(
        insert(revisions).values(
            document_id=document_id,
            number=number,
            content_hash=item.content_hash,
            title=page.article.title,
            published=page.article.published,
            body=page.body,
            fetched_at=item.fetched_at,
            saved_at=now(),
        )
    )
    entity_ids = save_entities(connection, _entities_of(page))
    _insert_mentions(connection, document_id, page, entity_ids)
    quote_ids = _insert_quotes(connection, document_id, outlet_id, item, entity_ids)
    _insert_sources(connection, document_id, page)
    filed = {"document_id": document_id, "outlet_id": outlet_id, "day": day(item)}
    entries = [filed | {"quote_id": None, "lemmas": lemmatise(page.body)}]
    entries += [
        filed | {"quote_id": quote_id, "lemmas": lemmatise(quote.text)}
        for quote_id, quote in zip(quote_ids, page.quotes)
    ]
    connection.execute(insert(search_entries), entries)


def _entities_of(page: Page) -> list[Entity]:
    speakers = [Entity(name=quote.speaker.name, type=quote.speaker.type) for quote in page.quotes if quote.speaker]
    return list(page.entities) + speakers


def name_terms(names: Iterable[str]) -> set[str]:
    """What a speaker lookup can meet an entity by: every dictionary form of each name part."""
    terms: set[str] = set()
    for name in names:
        for match in words(name):
            if len(match.group()) > 1:
                terms |= name_forms(match.group())
    return terms


@dataclass(frozen=True)
class Named:
    """An entity as one page names it, and the person (or other entity) that name belongs to."""

    name_id: int
    person_id: int


def save_entities(connection: Connection, found: Iterable[Entity]) -> dict[tuple[str, str], Named]:
    """Merge the entities of one page into the corpus by canonical name and type, count the page for
    each, and group the names of their people again; each by (type, name)."""
    merged: dict[tuple[str, str], set[str]] = {}
    for entity in found:
        merged.setdefault((entity.type, entity.name), set()).update(entity.aliases)
    if not merged:
        return {}
    surnames = {key: surname_of(key[1], key[0]) for key in merged}
    insert_missing(connection, entities, [
        {"type": etype, "name": name, "surname": surnames[(etype, name)]} for etype, name in merged
    ])
    ids = _entity_ids(connection, merged)
    _count_documents(connection, ids.values(), +1)
    # A name of no person's surname is its own entity; the others are grouped with their surname's.
    connection.execute(
        update(entities)
        .where(entities.c.id.in_([ids[key] for key, surname in surnames.items() if surname is None]),
               entities.c.person_id.is_(None))
        .values(person_id=entities.c.id)
    )
    regroup(connection, {surname for surname in surnames.values() if surname is not None})
    people = dict(connection.execute(
        select(entities.c.id, entities.c.person_id).where(entities.c.id.in_(sorted(ids.values())))
    ).all())
    aliases = [{"entity_id": ids[key], "alias": alias} for key, names in merged.items() for alias in names]
    terms = [
        {"entity_id": ids[key], "term": term}
        for key, names in merged.items()
        for term in name_terms({key[1], *names})
    ]
    insert_missing(connection, entity_aliases, aliases)
    insert_missing(connection, entity_terms, terms)
    return {key: Named(name_id=entity_id, person_id=people[entity_id]) for key, entity_id in ids.items()}


def _entity_ids(connection: Connection, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    rows = connection.execute(
        select(entities.c.id, entities.c.type, entities.c.name).where(
            tuple_(entities.c.type, entities.c.name).in_(list(keys))
        )
    )
    return {(row.type, row.name): row.id for row in rows}


def _count_documents(connection: Connection, entity_ids: Iterable[int], change: int) -> None:
    """Count a document in (or out of) the tally of each entity it names."""
    chosen = sorted(set(entity_ids))
    if chosen:
        connection.execute(
            update(entities).where(entities.c.id.in_(chosen)).values(documents=entities.c.documents + change)
        )


def _names_in(connection: Connection, document_id: int) -> list[int]:
    """The entities a document's current revision names, as entities or speakers."""
    named = union(
        select(mentions.c.name_id.label("id")).where(mentions.c.document_id == document_id),
        select(quotes.c.speaker_name_id.label("id")).where(quotes.c.document_id == document_id),
    ).subquery()
    return [entity_id for entity_id in connection.execute(select(named.c.id)).scalars() if entity_id is not None]


def _insert_mentions(connection: Connection, document_id: int, page: Page, ids: dict[tuple[str, str], Named]
                     ) -> None:
    rows = [
        {
            "document_id": document_id,
            "entity_id": ids[(entity.type, entity.name)].person_id,
            "name_id": ids[(entity.type, entity.name)].name_id,
            "start": mention.start,
            "end": mention.end,
            "text": mention.text,
            "part": mention.where,
        }
        for entity in page.entities
        for mention in entity.mentions
    ]
    if rows:
        connection.execute(insert(mentions), rows)


def _insert_quotes(
    connection: Connection, document_id: int, outlet_id: int | None, item: IngestedPage,
    ids: dict[tuple[str, str], Named],
) -> list[int]:
    if not item.page.quotes:
        return []
    rows = []
    for quote in item.page.quotes:
        speaker, cue = quote.speaker, quote.cue
        named = ids[(speaker.type, speaker.name)] if speaker else None
        rows.append(
            {
                "document_id": document_id,
                "outlet_id": outlet_id,
                "day": day(item),
                "speaker_id": named.person_id if named else None,
                "speaker_name_id": named.name_id if named else None,
                "speaker_role": speaker.role if speaker else None,
                "kind": quote.kind,
                "text": quote.text,
                "start": quote.start,
                "end": quote.end,
                "cue_lemma": cue.lemma if cue else None,
                "cue_form": cue.form if cue else None,
                "cue_start": cue.start if cue else None,
                "cue_end": cue.end if cue else None,
                "anonymous_description": quote.anonymous_description,
                "confidence": quote.confidence,
                "nested": quote.nested,
            }
        )
    inserted = connection.execute(insert(quotes).returning(quotes.c.id, sort_by_parameter_order=True), rows)
    return list(inserted.scalars())


def _insert_sources(connection: Connection, document_id: int, page: Page) -> None:
    rows = [
        {"document_id": document_id, "name": src.name, "phrase": src.phrase, "start": src.start, "end": src.end}
        for src in page.sources
    ]
    if rows:
        connection.execute(insert(sources), rows)
