"""Browsing the corpus: one speaker, entities, one document, outlets; every row carries the ids pages link by."""
from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import Connection, Select, and_, desc, distinct, func, select

from skazal.store.names import narrowed_to_name
from skazal.store.people import person_of
from skazal.store.queries import (
    QuoteFilter,
    Scope,
    SpeakerCount,
    StoredQuote,
    count_speakers,
    find_quotes,
    speaker_columns,
    within,
)
from skazal.store.schema import documents, entities, entity_aliases, mentions, outlets, quotes, revisions, sources

ROLE_SAMPLE = 200


@dataclass(frozen=True)
class MonthCount:
    month: str  # YYYY-MM
    quotes: int


@dataclass(frozen=True)
class SpeakerDetail:
    """One entity as a speaker: its counts, quotes per month (every month from first to last) and outlets."""

    id: int
    name: str
    type: str
    aliases: tuple[str, ...]
    roles: tuple[str, ...]
    quotes: int
    documents: int
    mentions: int
    first: str | None
    last: str | None
    months: tuple[MonthCount, ...]
    outlets: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class ListedEntity:
    id: int
    name: str
    type: str
    mentions: int
    documents: int


@dataclass(frozen=True)
class DocumentMention:
    entity_id: int
    name: str
    type: str
    text: str
    start: int
    end: int
    part: str  # body, title, teaser:N, caption:N


@dataclass(frozen=True)
class DocumentSource:
    name: str
    phrase: str
    start: int
    end: int


@dataclass(frozen=True)
class DocumentView:
    """One stored document with its current body, quotes, entity mentions and sources."""

    id: int
    address: str
    url: str | None
    title: str | None
    outlet_id: int | None
    outlet: str | None
    published: str | None
    day: str | None
    author: str | None
    rubric: str | None
    revision: int
    duplicate_of: int | None
    feed_text: bool  # the body is a feed's text of the item (title, description), its page not fetched
    body: str
    quotes: tuple[StoredQuote, ...]
    mentions: tuple[DocumentMention, ...]
    sources: tuple[DocumentSource, ...]


@dataclass(frozen=True)
class ListedOutlet:
    id: int
    name: str
    documents: int
    quotes: int
    most_quoted: tuple[SpeakerCount, ...] = ()  # filled when asked for


@dataclass(frozen=True)
class OutletDetail:
    id: int
    name: str
    documents: int
    quotes: int
    speakers: tuple[SpeakerCount, ...]  # the most quoted first


def speaker_detail(connection: Connection, entity_id: int, scope: Scope) -> SpeakerDetail | None:
    """One entity with its quote counts per month and per outlet; None if there is no such entity.
    Any of a person's names stands for the person, who is shown by the fullest."""
    entity_id = person_of(connection, entity_id)
    entity = connection.execute(select(entities).where(entities.c.id == entity_id)).first()
    if entity is None:
        return None
    own = quotes.c.speaker_id == entity_id
    # A document has one outlet, so counts per outlet add up to the speaker's totals: one pass over
    # the (speaker, outlet, document, day) index, the outlets named afterwards rather than joined per quote.
    per_outlet = connection.execute(within(
        select(
            quotes.c.outlet_id,
            func.count().label("quotes"),
            func.count(distinct(quotes.c.document_id)).label("documents"),
            func.min(quotes.c.day).label("first"),
            func.max(quotes.c.day).label("last"),
        )
        .where(own).group_by(quotes.c.outlet_id),
        scope, quotes.c.day, quotes.c.outlet_id,
    )).all()
    quoted_in = [row.outlet_id for row in per_outlet if row.outlet_id is not None]
    names = dict(connection.execute(select(outlets.c.id, outlets.c.name).where(outlets.c.id.in_(quoted_in))).all())
    month = func.substr(quotes.c.day, 1, 7)
    per_month = connection.execute(within(
        select(month.label("month"), func.count().label("quotes"))
        .where(own, quotes.c.day.is_not(None)).group_by(month).order_by(month),
        scope, quotes.c.day, quotes.c.outlet_id,
    ))
    # The person's other names, and the forms each was written in.
    person_names = select(entities.c.id).where(entities.c.person_id == entity_id)
    aliases = connection.execute(
        select(entity_aliases.c.alias).where(entity_aliases.c.entity_id.in_(person_names))
        .union(select(entities.c.name).where(entities.c.person_id == entity_id))
    ).scalars().all()
    # Roles as the latest quotes give them: a speaker's title changes, and the index serves the newest.
    latest = (
        select(quotes.c.speaker_role).where(own)
        .order_by(quotes.c.day.desc().nulls_last()).limit(ROLE_SAMPLE).subquery("latest")
    )
    roles = connection.execute(
        select(latest.c.speaker_role).where(latest.c.speaker_role.is_not(None))
        .group_by(latest.c.speaker_role).order_by(func.count().desc(), latest.c.speaker_role)
    ).scalars()
    mentioned = connection.execute(select(func.count()).where(mentions.c.entity_id == entity_id)).scalar_one()
    return SpeakerDetail(
        id=entity.id,
        name=entity.name,
        type=entity.type,
        aliases=tuple(sorted(alias for alias in set(aliases) if alias != entity.name)),
        roles=tuple(roles),
        quotes=sum(row.quotes for row in per_outlet),
        documents=sum(row.documents for row in per_outlet),
        mentions=mentioned,
        first=min((row.first for row in per_outlet if row.first), default=None),
        last=max((row.last for row in per_outlet if row.last), default=None),
        months=every_month({row.month: row.quotes for row in per_month}),
        outlets=tuple(sorted(((names[row.outlet_id], row.quotes) for row in per_outlet if row.outlet_id in names),
                             key=lambda outlet: (-outlet[1], outlet[0]))),
    )


def every_month(counts: dict[str, int]) -> tuple[MonthCount, ...]:
    """The counts from the first month to the last, months without quotes as zero (a chart needs the gaps)."""
    if not counts:
        return ()
    first, last = min(counts), max(counts)
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        months.append(MonthCount(month=key, quotes=counts.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(months)


def list_entities(connection: Connection, scope: Scope, type: str | None = None, name: str | None = None,
                  offset: int = 0) -> list[ListedEntity]:
    """Entities mentioned in the corpus, the most mentioned first; by type, by a name in any form."""
    query = (
        select(
            entities.c.id,
            entities.c.name,
            entities.c.type,
            func.count(mentions.c.id).label("mentions"),
            func.count(distinct(mentions.c.document_id)).label("documents"),
        )
        .select_from(mentions)
        .join(entities, entities.c.id == mentions.c.entity_id)
        .join(documents, documents.c.id == mentions.c.document_id)
        .group_by(entities.c.id, entities.c.name, entities.c.type)
        .order_by(func.count(mentions.c.id).desc(), entities.c.name, entities.c.id)
        .limit(scope.limit)
        .offset(offset or None)
    )
    if type is not None:
        query = query.where(entities.c.type == type)
    query = narrowed_to_name(connection, query, entities.c.id, name)
    if query is None:
        return []
    query = within(query, scope, documents.c.day, documents.c.outlet_id)
    return [ListedEntity(**row._mapping) for row in connection.execute(query)]


def document_view(connection: Connection, document_id: int) -> DocumentView | None:
    """One document as stored now (a duplicate shows the body of the document it copies); None if unknown."""
    row = connection.execute(
        select(documents, outlets.c.name.label("outlet"))
        .outerjoin(outlets, outlets.c.id == documents.c.outlet_id)
        .where(documents.c.id == document_id)
    ).first()
    if row is None:
        return None
    shown = row.duplicate_of or row.id
    body = connection.execute(
        select(revisions.c.body)
        .join(documents, and_(documents.c.id == revisions.c.document_id, documents.c.revision == revisions.c.number))
        .where(documents.c.id == shown)
    ).scalar() or ""
    found = connection.execute(
        select(mentions, entities.c.name, entities.c.type)
        .join(entities, entities.c.id == mentions.c.entity_id)
        .where(mentions.c.document_id == shown)
        .order_by(mentions.c.part, mentions.c.start)
    )
    cited = connection.execute(select(sources).where(sources.c.document_id == shown).order_by(sources.c.start))
    listed = find_quotes(connection, Scope(), QuoteFilter(document_id=shown))
    return DocumentView(
        id=row.id,
        address=row.address,
        url=row.url,
        title=row.title,
        outlet_id=row.outlet_id,
        outlet=row.outlet,
        published=row.published,
        day=row.day,
        author=row.author,
        rubric=row.rubric,
        revision=row.revision,
        duplicate_of=row.duplicate_of,
        feed_text=row.feed_text,
        body=body,
        quotes=tuple(sorted(listed, key=lambda quote: (quote.start, quote.end))),
        mentions=tuple(
            DocumentMention(entity_id=m.entity_id, name=m.name, type=m.type, text=m.text, start=m.start, end=m.end,
                            part=m.part)
            for m in found
        ),
        sources=tuple(DocumentSource(name=s.name, phrase=s.phrase, start=s.start, end=s.end) for s in cited),
    )


def document_at(connection: Connection, address: str) -> int | None:
    """The id of the document stored for an address (its URL, or where it was read from)."""
    return connection.execute(select(documents.c.id).where(documents.c.address == address)).scalar()


def _outlet_counts(scope: Scope) -> Select:
    stored = (
        select(documents.c.outlet_id, func.count().label("documents"))
        .where(documents.c.duplicate_of.is_(None)).group_by(documents.c.outlet_id)
    )
    stored = within(stored, scope, documents.c.day, documents.c.outlet_id).subquery("stored")
    quoted = select(quotes.c.outlet_id, func.count().label("quotes")).group_by(quotes.c.outlet_id)
    quoted = within(quoted, scope, quotes.c.day, quotes.c.outlet_id).subquery("quoted")
    return (
        select(
            outlets.c.id,
            outlets.c.name,
            func.coalesce(stored.c.documents, 0).label("documents"),
            func.coalesce(quoted.c.quotes, 0).label("quotes"),
        )
        .join(stored, stored.c.outlet_id == outlets.c.id)
        .outerjoin(quoted, quoted.c.outlet_id == outlets.c.id)
    )


def list_outlets(connection: Connection, scope: Scope, offset: int = 0, speakers: int = 0,
                 speakers_scope: Scope | None = None) -> list[ListedOutlet]:
    """Outlets with stored documents in the scope, those quoting most first, each with its `speakers`
    most quoted people (counted within `speakers_scope`'s days, else the scope's)."""
    query = (
        _outlet_counts(scope)
        .order_by(desc("quotes"), desc("documents"), outlets.c.name)
        .limit(scope.limit)
        .offset(offset or None)
    )
    listed = [ListedOutlet(**row._mapping) for row in connection.execute(query)]
    if not speakers or not listed:
        return listed
    tops = _most_quoted_by_outlet(connection, speakers_scope or scope, [outlet.id for outlet in listed], speakers)
    return [replace(outlet, most_quoted=tops.get(outlet.id, ())) for outlet in listed]


def _most_quoted_by_outlet(connection: Connection, scope: Scope, outlet_ids: list[int], top: int
                           ) -> dict[int, tuple[SpeakerCount, ...]]:
    query = within(
        select(quotes.c.outlet_id, *speaker_columns())
        .select_from(quotes).join(entities, entities.c.id == quotes.c.speaker_id)
        .where(quotes.c.outlet_id.in_(outlet_ids))
        .group_by(quotes.c.outlet_id, entities.c.id, entities.c.name, entities.c.type)
        .order_by(quotes.c.outlet_id, func.count(quotes.c.id).desc(), entities.c.name, entities.c.id),
        Scope(since=scope.since, until=scope.until), quotes.c.day, quotes.c.outlet_id,
    )
    tops: dict[int, list[SpeakerCount]] = {}
    for row in connection.execute(query):
        chosen = tops.setdefault(row.outlet_id, [])
        if len(chosen) < top:
            fields = dict(row._mapping)
            del fields["outlet_id"]
            chosen.append(SpeakerCount(**fields))
    return {outlet_id: tuple(chosen) for outlet_id, chosen in tops.items()}


def outlet_detail(connection: Connection, outlet_id: int, scope: Scope, offset: int = 0) -> OutletDetail | None:
    """One outlet with the people it quotes most; None if there is no such outlet."""
    counts = connection.execute(
        _outlet_counts(Scope(since=scope.since, until=scope.until)).where(outlets.c.id == outlet_id)
    ).first()
    if counts is None:
        name = connection.execute(select(outlets.c.name).where(outlets.c.id == outlet_id)).scalar()
        if name is None:
            return None
        return OutletDetail(id=outlet_id, name=name, documents=0, quotes=0, speakers=())
    narrowed = Scope(since=scope.since, until=scope.until, outlet=counts.name, limit=scope.limit)
    return OutletDetail(
        id=counts.id,
        name=counts.name,
        documents=counts.documents,
        quotes=counts.quotes,
        speakers=tuple(count_speakers(connection, narrowed, offset=offset)),
    )


def quote_speakers(connection: Connection, quote_ids: list[int]) -> dict[int, int]:
    """The speaker id of each of these quotes that has a named speaker."""
    if not quote_ids:
        return {}
    rows = connection.execute(
        select(quotes.c.id, quotes.c.speaker_id).where(quotes.c.id.in_(quote_ids), quotes.c.speaker_id.is_not(None))
    )
    return {row.id: row.speaker_id for row in rows}


def latest_day(connection: Connection) -> str | None:
    """The newest day a quote is filed under."""
    return connection.execute(select(func.max(quotes.c.day))).scalar()
