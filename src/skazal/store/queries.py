"""Reading the corpus: quotes, who is quoted most, and corpus counts; every list takes a `Scope`."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Select, distinct, func, select

from skazal.store.connect import StoreError
from skazal.store.dialects import full_text
from skazal.store.lemmas import query_lemmas
from skazal.store.names import narrowed_to_name
from skazal.store.people import person_of
from skazal.store.schema import documents, entities, failures, mentions, outlets, quotes, revisions, search_entries


@dataclass(frozen=True)
class Scope:
    """Which part of the corpus a query looks at: days (YYYY-MM-DD, inclusive), an outlet, a row limit."""

    since: str | None = None
    until: str | None = None
    outlet: str | None = None
    limit: int | None = None


@dataclass(frozen=True)
class QuoteFilter:
    """Which quotes to list: by a speaker's name in any form or id, kind, document, words they hold."""

    speaker: str | None = None
    speaker_id: int | None = None
    kind: str | None = None
    document_id: int | None = None
    words: str | None = None


@dataclass(frozen=True)
class StoredQuote:
    quote_id: int
    document_id: int
    speaker_id: int | None
    speaker: str | None
    speaker_type: str | None
    role: str | None
    kind: str
    text: str
    cue: str | None
    day: str | None
    outlet: str | None
    title: str | None
    url: str | None
    location: str
    anonymous_description: str | None
    confidence: float
    start: int
    end: int
    feed_text: bool = False  # said in a feed's text of the article, its page not fetched


@dataclass(frozen=True)
class SpeakerCount:
    id: int
    speaker: str
    type: str
    quotes: int
    documents: int
    first: str | None
    last: str | None
    outlet: str | None = None
    period: str | None = None


@dataclass(frozen=True)
class CorpusStats:
    documents: int
    revisions: int
    duplicates: int
    quotes: int
    speakers: int
    entities: int
    outlets: int
    failures: int


WHOLE_CORPUS = Scope()
PERIODS = {"day": 10, "month": 7, "year": 4}


def within(query: Select, scope: Scope, day, outlet_id) -> Select:
    """`query` narrowed to the scope's days and outlet, given the columns that hold them."""
    if scope.since:
        query = query.where(day >= scope.since)
    if scope.until:
        query = query.where(day <= scope.until)
    if scope.outlet:
        query = query.where(outlet_id == select(outlets.c.id).where(outlets.c.name == scope.outlet).scalar_subquery())
    return query


def find_quotes(connection: Connection, scope: Scope, which: QuoteFilter = QuoteFilter(), offset: int = 0,
                oldest_first: bool = False) -> list[StoredQuote]:
    """Quotes, the newest (or the oldest) first, an undated quote last, narrowed by `which` and the scope."""
    if oldest_first:
        order = (quotes.c.day.asc().nulls_last(), quotes.c.id.asc())
    else:
        order = (quotes.c.day.desc().nulls_last(), quotes.c.id.desc())
    # Choose the quotes on the (speaker, day) or (outlet, day) index alone, then fetch their details.
    chosen = select(quotes.c.id).order_by(*order).limit(scope.limit).offset(offset or None)
    chosen = narrowed_quotes(connection, chosen, which)
    if chosen is None:
        return []
    chosen = within(chosen, scope, quotes.c.day, quotes.c.outlet_id).subquery("chosen")
    query = (
        select(
            quotes.c.id.label("quote_id"),
            quotes.c.document_id,
            quotes.c.speaker_id,
            entities.c.name.label("speaker"),
            entities.c.type.label("speaker_type"),
            quotes.c.speaker_role.label("role"),
            quotes.c.kind,
            quotes.c.text,
            quotes.c.cue_form.label("cue"),
            quotes.c.day,
            outlets.c.name.label("outlet"),
            documents.c.title,
            documents.c.url,
            documents.c.location,
            quotes.c.anonymous_description,
            quotes.c.confidence,
            quotes.c.start,
            quotes.c.end,
            documents.c.feed_text,
        )
        .select_from(chosen)
        .join(quotes, quotes.c.id == chosen.c.id)
        .join(documents, documents.c.id == quotes.c.document_id)
        .outerjoin(entities, entities.c.id == quotes.c.speaker_id)
        .outerjoin(outlets, outlets.c.id == quotes.c.outlet_id)
        .order_by(*order)
    )
    return [StoredQuote(**row._mapping) for row in connection.execute(query)]


def narrowed_quotes(connection: Connection, query: Select, which: QuoteFilter) -> Select | None:
    """`query` over quotes narrowed by the filter; None when no quote can match."""
    query = narrowed_to_name(connection, query, quotes.c.speaker_id, which.speaker)
    if query is None:
        return None
    if which.speaker_id is not None:
        query = query.where(quotes.c.speaker_id == person_of(connection, which.speaker_id))
    if which.kind is not None:
        query = query.where(quotes.c.kind == which.kind)
    if which.document_id is not None:
        query = query.where(quotes.c.document_id == which.document_id)
    if which.words is not None:
        query = query.where(quotes.c.id.in_(quotes_holding(connection, which.words)))
    return query


def quotes_holding(connection: Connection, text: str) -> Select:
    """The ids of the quotes holding every word of `text`, in any form."""
    return _holding(connection, text, search_entries.c.quote_id, search_entries.c.quote_id.is_not(None))


def bodies_holding(connection: Connection, text: str) -> Select:
    """The ids of the documents whose body holds every word of `text`, in any form."""
    return _holding(connection, text, search_entries.c.document_id, search_entries.c.quote_id.is_(None))


def _holding(connection: Connection, text: str, found, entries) -> Select:
    lemmas = query_lemmas(text)
    if not lemmas:
        raise StoreError(f"nothing to search for in {text!r}: give at least one word")
    index = full_text(connection.dialect.name, lemmas)
    return select(found).select_from(index.source).where(index.condition, entries)


def speaker_columns() -> list:
    """A SpeakerCount's columns, over quotes joined to their speakers."""
    return [
        entities.c.id,
        entities.c.name.label("speaker"),
        entities.c.type,
        func.count(quotes.c.id).label("quotes"),
        func.count(distinct(quotes.c.document_id)).label("documents"),
        func.min(quotes.c.day).label("first"),
        func.max(quotes.c.day).label("last"),
    ]


def count_speakers(connection: Connection, scope: Scope, by: tuple[str, ...] = (), name: str | None = None,
                   offset: int = 0) -> list[SpeakerCount]:
    """Who is quoted most (named speakers only), optionally per outlet and per day, month or year;
    with `name`, only those it may refer to in any form."""
    extra = {}
    if "outlet" in by:
        extra["outlet"] = outlets.c.name
    for period, width in PERIODS.items():
        if period in by:
            extra["period"] = func.substr(quotes.c.day, 1, width)
    query = (
        select(*speaker_columns(), *(column.label(label) for label, column in extra.items()))
        .select_from(quotes)
        .join(entities, entities.c.id == quotes.c.speaker_id)
        .group_by(entities.c.id, entities.c.name, entities.c.type, *extra.values())
        .order_by(func.count(quotes.c.id).desc(), entities.c.name, entities.c.id, *extra.values())
        .limit(scope.limit)
        .offset(offset or None)
    )
    if "outlet" in by:
        query = query.outerjoin(outlets, outlets.c.id == quotes.c.outlet_id)
    query = narrowed_to_name(connection, query, entities.c.id, name)
    if query is None:
        return []
    query = within(query, scope, quotes.c.day, quotes.c.outlet_id)
    return [SpeakerCount(**row._mapping) for row in connection.execute(query)]


def corpus_stats(connection: Connection, scope: Scope) -> CorpusStats:
    """How much the corpus holds (failures are counted whatever the scope)."""

    def count(expression, table, day, outlet_id, *conditions) -> int:
        query = within(select(expression).select_from(table).where(*conditions), scope, day, outlet_id)
        return connection.execute(query).scalar_one()

    stored = documents.c.duplicate_of.is_(None)
    scoped_revisions = revisions.join(documents, documents.c.id == revisions.c.document_id)
    mentioned = mentions.join(documents, documents.c.id == mentions.c.document_id)
    return CorpusStats(
        documents=count(func.count(), documents, documents.c.day, documents.c.outlet_id, stored),
        revisions=count(func.count(), scoped_revisions, documents.c.day, documents.c.outlet_id),
        duplicates=count(func.count(), documents, documents.c.day, documents.c.outlet_id, ~stored),
        quotes=count(func.count(), quotes, quotes.c.day, quotes.c.outlet_id),
        speakers=count(func.count(distinct(quotes.c.speaker_id)), quotes, quotes.c.day, quotes.c.outlet_id),
        entities=count(func.count(distinct(mentions.c.entity_id)), mentioned, documents.c.day, documents.c.outlet_id),
        outlets=count(func.count(distinct(documents.c.outlet_id)), documents, documents.c.day, documents.c.outlet_id),
        failures=connection.execute(select(func.count()).select_from(failures)).scalar_one(),
    )

