"""Reading the corpus: quotes by speaker, who is quoted most, and corpus counts."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Select, distinct, func, select

from skazal.store.names import speaker_ids
from skazal.store.schema import documents, entities, failures, mentions, outlets, quotes, revisions


@dataclass(frozen=True)
class Scope:
    """Which part of the corpus a query looks at: days (YYYY-MM-DD, inclusive), an outlet, a row limit."""

    since: str | None = None
    until: str | None = None
    outlet: str | None = None
    limit: int | None = None


@dataclass(frozen=True)
class StoredQuote:
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
    quote_id: int
    document_id: int


@dataclass(frozen=True)
class SpeakerCount:
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


def find_quotes(connection: Connection, scope: Scope, speaker: str | None = None) -> list[StoredQuote]:
    """Quotes, the newest first; with `speaker`, only those of the entities that name may refer to."""
    newest_first = (quotes.c.day.desc().nulls_last(), quotes.c.id.desc())
    # Choose the quotes on the (speaker, day) index alone, then fetch their details.
    chosen = select(quotes.c.id).order_by(*newest_first).limit(scope.limit)
    if speaker is not None:
        ids = speaker_ids(connection, speaker)
        if not ids:
            return []
        chosen = chosen.where(quotes.c.speaker_id.in_(ids))
    chosen = within(chosen, scope, quotes.c.day, quotes.c.outlet_id).subquery("chosen")
    query = (
        select(
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
            quotes.c.id.label("quote_id"),
            quotes.c.document_id,
        )
        .select_from(chosen)
        .join(quotes, quotes.c.id == chosen.c.id)
        .join(documents, documents.c.id == quotes.c.document_id)
        .outerjoin(entities, entities.c.id == quotes.c.speaker_id)
        .outerjoin(outlets, outlets.c.id == quotes.c.outlet_id)
        .order_by(*newest_first)
    )
    return [StoredQuote(**row._mapping) for row in connection.execute(query)]


def count_speakers(connection: Connection, scope: Scope, by: tuple[str, ...] = ()) -> list[SpeakerCount]:
    """Who is quoted most (named speakers only), optionally per outlet and per day, month or year."""
    groups = [entities.c.id, entities.c.name, entities.c.type]
    extra = {}
    if "outlet" in by:
        extra["outlet"] = outlets.c.name
    for period, width in PERIODS.items():
        if period in by:
            extra["period"] = func.substr(quotes.c.day, 1, width)
    columns = [
        entities.c.name.label("speaker"),
        entities.c.type,
        func.count(quotes.c.id).label("quotes"),
        func.count(distinct(quotes.c.document_id)).label("documents"),
        func.min(quotes.c.day).label("first"),
        func.max(quotes.c.day).label("last"),
        *(column.label(name) for name, column in extra.items()),
    ]
    query = (
        select(*columns)
        .select_from(quotes)
        .join(entities, entities.c.id == quotes.c.speaker_id)
        .outerjoin(outlets, outlets.c.id == quotes.c.outlet_id)
        .group_by(*groups, *extra.values())
        .order_by(func.count(quotes.c.id).desc(), entities.c.name, *extra.values())
        .limit(scope.limit)
    )
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

