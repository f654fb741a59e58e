"""Saving ingested pages: documents, revisions, duplicates, and what was extracted from them."""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import Connection, delete, insert, select, tuple_, update

from skazal.records import Entity, IngestedPage, Page
from skazal.store.dialects import insert_missing
from skazal.store.lemmas import lemmatise, name_forms, words
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


def save_page(connection: Connection, item: IngestedPage) -> str:
    """Save one page inside the caller's transaction; returns new, unchanged, revision or duplicate."""
    stored = connection.execute(
        select(documents.c.id, documents.c.outlet_id, documents.c.content_hash, documents.c.revision).where(
            documents.c.address == address(item)
        )
    ).first()
    if stored is not None:
        if stored.content_hash == item.content_hash:
            return UNCHANGED
        _replace_revision(connection, stored.id, stored.outlet_id, stored.revision + 1, item)
        return REVISION
    original = _document_with_hash(connection, item.content_hash)
    outlet_id = _outlet_id(connection, item.outlet)
    document_id = _insert_document(connection, item, outlet_id, duplicate_of=original)
    if original is not None:
        return DUPLICATE
    _insert_contents(connection, document_id, outlet_id, 1, item)
    return NEW


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
    for derived in (search_entries, quotes, mentions, sources):
        connection.execute(delete(derived).where(derived.c.document_id == document_id))
    fields = _document_fields(item) | {"revision": number, "duplicate_of": None}
    connection.execute(update(documents).where(documents.c.id == document_id).values(fields))
    _insert_contents(connection, document_id, outlet_id, number, item)


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


def save_entities(connection: Connection, found: Iterable[Entity]) -> dict[tuple[str, str], int]:
    """Merge entities into the corpus by canonical name and type; their ids by (type, name)."""
    merged: dict[tuple[str, str], set[str]] = {}
    for entity in found:
        merged.setdefault((entity.type, entity.name), set()).update(entity.aliases)
    if not merged:
        return {}
    insert_missing(connection, entities, [{"type": etype, "name": name} for etype, name in merged])
    rows = connection.execute(
        select(entities.c.id, entities.c.type, entities.c.name).where(
            tuple_(entities.c.type, entities.c.name).in_(list(merged))
        )
    )
    ids = {(row.type, row.name): row.id for row in rows}
    aliases = [{"entity_id": ids[key], "alias": alias} for key, names in merged.items() for alias in names]
    terms = [
        {"entity_id": ids[key], "term": term}
        for key, names in merged.items()
        for term in name_terms({key[1], *names})
    ]
    insert_missing(connection, entity_aliases, aliases)
    insert_missing(connection, entity_terms, terms)
    return ids


def _insert_mentions(connection: Connection, document_id: int, page: Page, ids: dict[tuple[str, str], int]) -> None:
    rows = [
        {
            "document_id": document_id,
            "entity_id": ids[(entity.type, entity.name)],
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
    connection: Connection, document_id: int, outlet_id: int | None, item: IngestedPage, ids: dict[tuple[str, str], int]
) -> list[int]:
    if not item.page.quotes:
        return []
    rows = []
    for quote in item.page.quotes:
        speaker, cue = quote.speaker, quote.cue
        rows.append(
            {
                "document_id": document_id,
                "outlet_id": outlet_id,
                "day": day(item),
                "speaker_id": ids[(speaker.type, speaker.name)] if speaker else None,
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
