"""Browsing lists like Datasette: quotes, speakers and articles, each filtered, with its total and facet counts;
and one quote in its paragraph.

Facets are counted by the database (GROUP BY over the filtered rows), never by reading the rows. A facet's
count is what choosing its value lists: quotes, speakers (distinct) or articles.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, FromClause, Select, Table, and_, distinct, func, select

from skazal.store.browse import DocumentSource
from skazal.store.dialects import facet_key
from skazal.store.names import speaker_ids
from skazal.store.people import person_of
from skazal.store.queries import (
    QuoteFilter,
    Scope,
    SpeakerCount,
    StoredQuote,
    bodies_holding,
    find_quotes,
    narrowed_quotes,
    speaker_columns,
    within,
)
from skazal.store.schema import documents, entities, outlets, quotes, revisions, sources

FACET_SIZE = 10
PARAGRAPH_BREAK = "\n\n"


def days_scope(since: str | None, until: str | None, month: str | None, outlet: str | None,
               limit: int | None) -> Scope:
    """The days from `since` to `until`, kept to the month if one is given, the outlet and the row limit."""
    if month:
        since = max(filter(None, (since, f"{month}-01")))
        until = min(filter(None, (until, f"{month}-31")))
    return Scope(since=since, until=until, outlet=outlet, limit=limit)


@dataclass(frozen=True)
class QuoteQuery:
    """Which quotes a list shows, and in which order: every filter the quote list takes."""

    speaker: str | None = None  # a name in any form: "Лукашенко А.Г."
    speaker_id: int | None = None
    outlet: str | None = None
    kind: str | None = None
    since: str | None = None  # YYYY-MM-DD, inclusive
    until: str | None = None
    month: str | None = None  # YYYY-MM
    words: str | None = None
    oldest_first: bool = False

    def scope(self, limit: int | None = None) -> Scope:
        """The days (the month's, within since and until), the outlet and the row limit."""
        return days_scope(self.since, self.until, self.month, self.outlet, limit)

    @property
    def filtered(self) -> bool:
        """Whether any filter is given (else every quote is listed)."""
        return any(value is not None for value in (self.speaker, self.speaker_id, self.outlet, self.kind, self.since,
                                                   self.until, self.month, self.words))

    @property
    def which(self) -> QuoteFilter:
        return QuoteFilter(speaker=self.speaker, speaker_id=self.speaker_id, kind=self.kind, words=self.words)


# How the speaker directory can be ordered: the most quoted, by name, the latest quoted first.
SPEAKER_ORDERS = {
    "quotes": (func.count(quotes.c.id).desc(), entities.c.name, entities.c.id),
    "name": (entities.c.name, entities.c.id),
    "latest": (func.max(quotes.c.day).desc().nulls_last(), func.count(quotes.c.id).desc(), entities.c.id),
}


@dataclass(frozen=True)
class SpeakerQuery:
    """Which speakers the directory lists: those of the quotes `quotes` asks for (by a name in any form,
    outlet, kind, days, words), in one of SPEAKER_ORDERS."""

    quotes: QuoteQuery = QuoteQuery()
    order: str = "quotes"


# How the article list can be ordered.
ARTICLE_ORDERS = {
    "newest": (documents.c.day.desc().nulls_last(), documents.c.id.desc()),
    "oldest": (documents.c.day.asc().nulls_last(), documents.c.id.asc()),
    "outlet": (outlets.c.name.asc().nulls_last(), documents.c.day.desc().nulls_last(), documents.c.id.desc()),
}


@dataclass(frozen=True)
class ArticleQuery:
    """Which articles a list shows: by outlet, days, words of the body, and the quotes they hold (a speaker,
    a kind); in one of ARTICLE_ORDERS."""

    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    month: str | None = None
    words: str | None = None
    speaker_id: int | None = None
    kind: str | None = None
    order: str = "newest"

    def scope(self, limit: int | None = None) -> Scope:
        return days_scope(self.since, self.until, self.month, self.outlet, limit)

    @property
    def quoting(self) -> bool:
        """Whether the articles must hold a quote of a speaker or a kind."""
        return self.speaker_id is not None or self.kind is not None


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet and how many of the listed rows have it; None for those with none."""

    value: int | str | None  # what the filter takes: a speaker id, an outlet name, a kind, a month
    label: str | None  # the speaker's or outlet's name
    count: int


@dataclass(frozen=True)
class Facet:
    name: str  # the filter it sets: speaker_id, outlet, kind, month
    values: tuple[FacetValue, ...]  # the most frequent first (months: the newest first)
    truncated: bool  # more values than shown


@dataclass(frozen=True)
class FacetColumn:
    """What a facet groups by, and how its values are shown."""

    name: str  # the filter it sets
    column: ColumnElement
    named_in: Table | None = None  # the table naming an id value (entities, outlets)
    by_name: bool = False  # the filter takes the name, not the id (an outlet)
    by_value: bool = False  # listed by value, the newest first (months), not by count


@dataclass(frozen=True)
class QuoteList:
    total: int
    quotes: tuple[StoredQuote, ...]
    facets: tuple[Facet, ...]


@dataclass(frozen=True)
class SpeakerList:
    total: int
    speakers: tuple[SpeakerCount, ...]
    facets: tuple[Facet, ...]


@dataclass(frozen=True)
class ListedArticle:
    id: int
    title: str | None
    outlet: str | None
    day: str | None
    url: str | None
    location: str
    feed_text: bool  # stored from a feed's text of the item, its page not fetched
    quotes: int


@dataclass(frozen=True)
class ArticleList:
    total: int
    articles: tuple[ListedArticle, ...]
    facets: tuple[Facet, ...]


@dataclass(frozen=True)
class QuoteView:
    """One quote with the paragraph it stands in, its cue, and the sources its article cites."""

    quote: StoredQuote
    outlet_id: int | None
    context: str  # the paragraphs holding the quote and its cue
    context_start: int  # where they begin in the article's body
    cue_start: int | None  # offsets in the body
    cue_end: int | None
    sources: tuple[DocumentSource, ...]


def list_quotes(connection: Connection, query: QuoteQuery, limit: int, offset: int = 0,
                facet_size: int = FACET_SIZE) -> QuoteList:
    """One page of the quotes `query` asks for, their total, and (with `facet_size`) counts per
    speaker, outlet, kind and month over all of them."""
    columns = _quote_facets(connection.dialect.name, query.filtered)
    matching = _matching_quotes(connection, query)
    if matching is None:
        return QuoteList(total=0, quotes=(), facets=_no_facets(columns, facet_size))
    total = connection.execute(matching.with_only_columns(func.count()).select_from(quotes)).scalar_one()
    page = find_quotes(connection, query.scope(limit), query.which, offset, oldest_first=query.oldest_first)
    facets = count_facets(connection, matching, quotes, columns, facet_size)
    return QuoteList(total=total, quotes=tuple(page), facets=facets)


def list_speakers(connection: Connection, query: SpeakerQuery, limit: int, offset: int = 0,
                  facet_size: int = FACET_SIZE) -> SpeakerList:
    """One page of the people and bodies quoted in the quotes `query` asks for, with their counts there,
    their total, and (with `facet_size`) how many of them each outlet, kind and month has."""
    columns = _quote_facets(connection.dialect.name, query.quotes.filtered)[1:]
    matching = _matching_quotes(connection, query.quotes)
    if matching is None:
        return SpeakerList(total=0, speakers=(), facets=_no_facets(columns, facet_size))
    matching = matching.where(quotes.c.speaker_id.is_not(None))
    speakers = distinct(quotes.c.speaker_id)
    total = connection.execute(matching.with_only_columns(func.count(speakers)).select_from(quotes)).scalar_one()
    rows = connection.execute(
        matching.with_only_columns(*speaker_columns())
        .select_from(quotes).join(entities, entities.c.id == quotes.c.speaker_id)
        .group_by(entities.c.id, entities.c.name, entities.c.type)
        .order_by(*SPEAKER_ORDERS[query.order]).limit(limit).offset(offset or None)
    )
    facets = count_facets(connection, matching, quotes, columns, facet_size, count=func.count(speakers))
    return SpeakerList(total=total, speakers=tuple(SpeakerCount(**row._mapping) for row in rows), facets=facets)


def suggest_speakers(connection: Connection, typed: str, limit: int) -> list[SpeakerCount]:
    """The quoted people and bodies whose names a name being typed may be ("Песк", "Пескова", "Д. Песков"),
    the most quoted first."""
    ids = speaker_ids(connection, typed, typing=True)
    if not ids:
        return []
    rows = connection.execute(
        select(*speaker_columns())
        .select_from(quotes).join(entities, entities.c.id == quotes.c.speaker_id)
        .where(quotes.c.speaker_id.in_(ids))
        .group_by(entities.c.id, entities.c.name, entities.c.type)
        .order_by(*SPEAKER_ORDERS["quotes"]).limit(limit)
    )
    return [SpeakerCount(**row._mapping) for row in rows]


def list_articles(connection: Connection, query: ArticleQuery, limit: int, offset: int = 0,
                  facet_size: int = FACET_SIZE) -> ArticleList:
    """One page of the articles `query` asks for (copies of another left out), each with its number of
    quotes, their total, and (with `facet_size`) how many of them each outlet, month, speaker and kind has."""
    filtered = query != ArticleQuery(order=query.order)
    dialect = connection.dialect.name
    matching = select(documents.c.id).where(documents.c.duplicate_of.is_(None))
    if query.words is not None:
        matching = matching.where(documents.c.id.in_(bodies_holding(connection, query.words)))
    quoted = _article_quotes(connection, query)
    if query.quoting:
        matching = matching.where(documents.c.id.in_(quoted.with_only_columns(quotes.c.document_id)))
    matching = within(matching, query.scope(), documents.c.day, documents.c.outlet_id)
    total = connection.execute(matching.with_only_columns(func.count()).select_from(documents)).scalar_one()
    rows = connection.execute(
        matching.with_only_columns(documents.c.id, documents.c.title, outlets.c.name.label("outlet"),
                                   documents.c.day, documents.c.url, documents.c.location, documents.c.feed_text)
        .select_from(documents).outerjoin(outlets, outlets.c.id == documents.c.outlet_id)
        .order_by(*ARTICLE_ORDERS[query.order]).limit(limit).offset(offset or None)
    ).all()
    counts = dict(connection.execute(
        select(quotes.c.document_id, func.count()).where(quotes.c.document_id.in_([row.id for row in rows]))
        .group_by(quotes.c.document_id)
    ).all()) if rows else {}
    articles = tuple(ListedArticle(**row._mapping, quotes=counts.get(row.id, 0)) for row in rows)
    if not facet_size:
        return ArticleList(total=total, articles=articles, facets=())
    month = FacetColumn("month", func.substr(documents.c.day, 1, 7), by_value=True)
    outlet = FacetColumn("outlet", facet_key(dialect, documents.c.outlet_id, filtered), outlets, by_name=True)
    own = count_facets(connection, matching, documents, (outlet, month), facet_size)
    # An article holds many quotes: each counts the articles holding a quote of that speaker or kind.
    speakers = FacetColumn("speaker_id", quotes.c.speaker_id, entities)
    in_quotes = count_facets(
        connection, quoted.where(quotes.c.document_id.in_(matching), quotes.c.speaker_id.is_not(None)), quotes,
        (speakers,), facet_size, count=func.count(distinct(quotes.c.document_id)),
    ) + count_facets(connection, quoted.where(quotes.c.document_id.in_(matching)), quotes,
                     (FacetColumn("kind", quotes.c.kind),), facet_size,
                     count=func.count(distinct(quotes.c.document_id)))
    return ArticleList(total=total, articles=articles, facets=own + in_quotes)


def _article_quotes(connection: Connection, query: ArticleQuery) -> Select:
    """The quotes an article must hold one of (any, without a speaker or kind asked for)."""
    quoted = select(quotes.c.id)
    if query.speaker_id is not None:
        quoted = quoted.where(quotes.c.speaker_id == person_of(connection, query.speaker_id))
    if query.kind is not None:
        quoted = quoted.where(quotes.c.kind == query.kind)
    return quoted


def _matching_quotes(connection: Connection, query: QuoteQuery) -> Select | None:
    matching = narrowed_quotes(connection, select(quotes.c.id), query.which)
    return None if matching is None else within(matching, query.scope(), quotes.c.day, quotes.c.outlet_id)


def _quote_facets(dialect: str, filtered: bool) -> tuple[FacetColumn, ...]:
    return (
        FacetColumn("speaker_id", facet_key(dialect, quotes.c.speaker_id, filtered), entities),
        FacetColumn("outlet", facet_key(dialect, quotes.c.outlet_id, filtered), outlets, by_name=True),
        FacetColumn("kind", quotes.c.kind),
        FacetColumn("month", func.substr(quotes.c.day, 1, 7), by_value=True),
    )


def _no_facets(columns: Sequence[FacetColumn], size: int) -> tuple[Facet, ...]:
    return tuple(Facet(name=column.name, values=(), truncated=False) for column in columns) if size else ()


def count_facets(connection: Connection, matching: Select, source: FromClause, columns: Sequence[FacetColumn],
                 size: int, count: ColumnElement | None = None) -> tuple[Facet, ...]:
    """The `size` most frequent values of each column among the rows `matching` selects from `source`,
    with their counts (rows, or `count`), and whether there are more; none with no size."""
    if not size:
        return ()
    return tuple(_facet(connection, matching, source, column, size, func.count() if count is None else count)
                 for column in columns)


def _facet(connection: Connection, matching: Select, source: FromClause, facet: FacetColumn, size: int,
           count: ColumnElement) -> Facet:
    counted = count.label("count")
    order = (facet.column.desc().nulls_last(),) if facet.by_value else (counted.desc(), facet.column.asc().nulls_last())
    rows = connection.execute(
        matching.with_only_columns(facet.column.label("value"), counted).select_from(source)
        .group_by(facet.column).order_by(*order).limit(size + 1)
    ).all()
    shown = rows[:size]
    names = _names(connection, facet.named_in, [row.value for row in shown]) if facet.named_in is not None else {}
    values = []
    for row in shown:
        label = names.get(row.value)
        value = None if row.value is None else label if facet.by_name else row.value
        values.append(FacetValue(value=value, label=label, count=row.count))
    return Facet(name=facet.name, values=tuple(values), truncated=len(rows) > size)


def _names(connection: Connection, table: Table, ids: list) -> dict[int, str]:
    known = [value for value in ids if value is not None]
    if not known:
        return {}
    return dict(connection.execute(select(table.c.id, table.c.name).where(table.c.id.in_(known))).all())


def quote_view(connection: Connection, quote_id: int) -> QuoteView | None:
    """One quote in its paragraph, with its cue and its article's sources; None if unknown."""
    row = connection.execute(
        select(quotes.c.document_id, quotes.c.cue_start, quotes.c.cue_end, quotes.c.outlet_id)
        .where(quotes.c.id == quote_id)
    ).first()
    if row is None:
        return None
    listed = find_quotes(connection, Scope(), QuoteFilter(document_id=row.document_id))
    quote = next((found for found in listed if found.quote_id == quote_id), None)
    if quote is None:
        return None
    body = connection.execute(
        select(revisions.c.body)
        .join(documents, and_(documents.c.id == revisions.c.document_id, documents.c.revision == revisions.c.number))
        .where(documents.c.id == row.document_id)
    ).scalar() or ""
    spans = [(quote.start, quote.end)] + ([(row.cue_start, row.cue_end)] if row.cue_start is not None else [])
    start, end = paragraphs_around(body, min(span[0] for span in spans), max(span[1] for span in spans))
    cited = connection.execute(
        select(sources).where(sources.c.document_id == row.document_id).order_by(sources.c.start)
    )
    return QuoteView(
        quote=quote,
        outlet_id=row.outlet_id,
        context=body[start:end],
        context_start=start,
        cue_start=row.cue_start,
        cue_end=row.cue_end,
        sources=tuple(DocumentSource(name=s.name, phrase=s.phrase, start=s.start, end=s.end) for s in cited),
    )


def paragraphs_around(body: str, start: int, end: int) -> tuple[int, int]:
    """The stretch of `body` from the start of the paragraph holding `start` to the end of the one holding `end`."""
    opening = body.rfind(PARAGRAPH_BREAK, 0, max(start, 0))
    closing = body.find(PARAGRAPH_BREAK, min(end, len(body)))
    return (0 if opening < 0 else opening + len(PARAGRAPH_BREAK)), (len(body) if closing < 0 else closing)
