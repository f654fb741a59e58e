"""The stored documents as the linker reads them: each article with its stored quotes, entities and
sources, so that linking the corpus runs no model again.

A duplicate (the same text at another address, a reprint) is an article of its own outlet and time,
with its original's body and quotes.
"""
from __future__ import annotations

from sqlalchemy import Connection, func, select

from skazal.ingest.records import ArticleRecord, published_at
from skazal.linking.records import AnalysedArticle, SpokenWords
from skazal.store.schema import documents, entities, mentions, outlets, quotes, revisions, sources


def stored_articles(connection: Connection) -> list[AnalysedArticle]:
    """Every stored document as an analysed article, by document id."""
    holder = func.coalesce(documents.c.duplicate_of, documents.c.id).label("holder")
    rows = connection.execute(
        select(documents.c.id, documents.c.url, documents.c.location, documents.c.title, documents.c.published,
               outlets.c.name.label("outlet"), holder)
        .select_from(documents.outerjoin(outlets, outlets.c.id == documents.c.outlet_id))
        .order_by(documents.c.id)
    ).all()
    bodies = _current_bodies(connection)
    said = _quotes(connection)
    named = _entities(connection)
    cited = _sources(connection)
    found = []
    for row in rows:
        if row.holder not in bodies:
            continue
        published, precision = published_at(row.published)
        record = ArticleRecord(url=row.url or row.location, title=row.title or "", text=bodies[row.holder],
                               outlet=row.outlet, published=published, time_precision=precision)
        found.append(AnalysedArticle(record, tuple(said.get(row.holder, ())), tuple(named.get(row.holder, ())),
                                     tuple(cited.get(row.holder, ()))))
    return found


def _current_bodies(connection: Connection) -> dict[int, str]:
    rows = connection.execute(
        select(revisions.c.document_id, revisions.c.body)
        .join(documents, (documents.c.id == revisions.c.document_id) & (documents.c.revision == revisions.c.number))
    )
    return {row.document_id: row.body for row in rows}


def _quotes(connection: Connection) -> dict[int, list[SpokenWords]]:
    """Each document's quotes in body order, the speaker as the page named them (canonical form)."""
    rows = connection.execute(
        select(quotes.c.document_id, quotes.c.kind, quotes.c.text, entities.c.name, quotes.c.start, quotes.c.end)
        .select_from(quotes.outerjoin(entities, entities.c.id == quotes.c.speaker_name_id))
        .order_by(quotes.c.document_id, quotes.c.id)
    )
    found: dict[int, list[SpokenWords]] = {}
    for row in rows:
        found.setdefault(row.document_id, []).append(SpokenWords(row.kind, row.text, row.name, row.start, row.end))
    return found


def _entities(connection: Connection) -> dict[int, list[str]]:
    """Each document's entities as the page named them, in the order it first mentions them."""
    first = func.min(mentions.c.id).label("first")
    rows = connection.execute(
        select(mentions.c.document_id, entities.c.name, first)
        .join(entities, entities.c.id == mentions.c.name_id)
        .group_by(mentions.c.document_id, entities.c.id, entities.c.name)
        .order_by(mentions.c.document_id, first)
    )
    found: dict[int, list[str]] = {}
    for row in rows:
        found.setdefault(row.document_id, []).append(row.name)
    return found


def _sources(connection: Connection) -> dict[int, list[str]]:
    rows = connection.execute(select(sources.c.document_id, sources.c.name).order_by(sources.c.document_id,
                                                                                     sources.c.id))
    found: dict[int, list[str]] = {}
    for row in rows:
        found.setdefault(row.document_id, []).append(row.name)
    return found
