"""Browsing quotes: a filtered list with its total and facet counts, and one quote in its paragraph.

Facets are counted by the database (GROUP BY over the filtered quotes), never by reading the rows.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Select, and_, func, select

from skazal.store.browse import DocumentSource
from skazal.store.dialects import facet_key
from skazal.store.queries import QuoteFilter, Scope, StoredQuote, find_quotes, narrowed_quotes, within
from skazal.store.schema import documents, entities, outlets, quotes, revisions, sources

FACET_SIZE = 10
PARAGRAPH_BREAK = "\n\n"


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
        since, until = self.since, self.until
        if self.month:
            since = max(filter(None, (since, f"{self.month}-01")))
            until = min(filter(None, (until, f"{self.month}-31")))
        return Scope(since=since, until=until, outlet=self.outlet, limit=limit)

    @property
    def filtered(self) -> bool:
        """Whether any filter is given (else every quote is listed)."""
        return any(value is not None for value in (self.speaker, self.speaker_id, self.outlet, self.kind, self.since,
                                                   self.until, self.month, self.words))

    @property
    def which(self) -> QuoteFilter:
        return QuoteFilter(speaker=self.speaker, speaker_id=self.speaker_id, kind=self.kind, words=self.words)


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet and how many of the listed quotes have it; None for those with none."""

    value: int | str | None  # what the filter takes: a speaker id, an outlet name, a kind, a month
    label: str | None  # the speaker's or outlet's name
    count: int


@dataclass(frozen=True)
class Facet:
    name: str  # the filter it sets: speaker_id, outlet, kind, month
    values: tuple[FacetValue, ...]  # the most frequent first (months: the newest first)
    truncated: bool  # more values than shown


@dataclass(frozen=True)
class QuoteList:
    total: int
    quotes: tuple[StoredQuote, ...]
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
    matching = narrowed_quotes(connection, select(quotes.c.id), query.which)
    if matching is None:
        return QuoteList(total=0, quotes=(), facets=_empty_facets() if facet_size else ())
    matching = within(matching, query.scope(), quotes.c.day, quotes.c.outlet_id)
    total = connection.execute(matching.with_only_columns(func.count()).select_from(quotes)).scalar_one()
    page = find_quotes(connection, query.scope(limit), query.which, offset, oldest_first=query.oldest_first)
    facets = _facets(connection, matching, facet_size, query.filtered) if facet_size else ()
    return QuoteList(total=total, quotes=tuple(page), facets=facets)


def _empty_facets() -> tuple[Facet, ...]:
    return tuple(Facet(name=name, values=(), truncated=False) for name in ("speaker_id", "outlet", "kind", "month"))


def _facets(connection: Connection, matching: Select, size: int, filtered: bool) -> tuple[Facet, ...]:
    month = func.substr(quotes.c.day, 1, 7)
    dialect = connection.dialect.name
    speakers = _counted(connection, matching, facet_key(dialect, quotes.c.speaker_id, filtered), size)
    outlet_ids = _counted(connection, matching, facet_key(dialect, quotes.c.outlet_id, filtered), size)
    kinds = _counted(connection, matching, quotes.c.kind, size)
    months = _counted(connection, matching, month, size, by_value=True)
    speaker_names = _names(connection, entities, [row[0] for row in speakers[0]])
    outlet_names = _names(connection, outlets, [row[0] for row in outlet_ids[0]])
    return (
        _facet("speaker_id", speakers, lambda value: (value, speaker_names.get(value))),
        # The outlet filter takes the outlet's name.
        _facet("outlet", outlet_ids, lambda value: (outlet_names.get(value), outlet_names.get(value))),
        _facet("kind", kinds, lambda value: (value, None)),
        _facet("month", months, lambda value: (value, None)),
    )


def _counted(connection: Connection, matching: Select, column, size: int, by_value: bool = False
             ) -> tuple[list, bool]:
    """The `size` most frequent values of `column` among the matching quotes (or the newest values),
    with their counts, and whether there are more."""
    count = func.count().label("count")
    order = (column.desc().nulls_last(),) if by_value else (count.desc(), column.asc().nulls_last())
    counted = (
        matching.with_only_columns(column.label("value"), count).select_from(quotes)
        .group_by(column).order_by(*order).limit(size + 1)
    )
    rows = connection.execute(counted).all()
    return [(row.value, row.count) for row in rows[:size]], len(rows) > size


def _facet(name: str, counted: tuple[list, bool], shown) -> Facet:
    rows, truncated = counted
    values = []
    for value, count in rows:
        value_shown, label = shown(value) if value is not None else (None, None)
        values.append(FacetValue(value=value_shown, label=label, count=count))
    return Facet(name=name, values=tuple(values), truncated=truncated)


def _names(connection: Connection, table, ids: list) -> dict[int, str]:
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
