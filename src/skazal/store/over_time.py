"""Quotes over time: how many of the quotes a quote query asks for fall on each day, week or month.

The database counts per day (GROUP BY day over the filtered quotes, on the (…, day) indexes the filters
choose); days are gathered into weeks and months here, so that both backends share one calendar.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from sqlalchemy import Connection, Select, func, select

from skazal.store.connect import StoreError
from skazal.store.dialects import full_text
from skazal.store.lemmas import query_lemmas
from skazal.store.listing import QuoteQuery
from skazal.store.queries import Scope, narrowed_quotes, within
from skazal.store.schema import quotes

Bucket = Literal["day", "week", "month"]
BUCKETS: tuple[Bucket, ...] = ("day", "week", "month")


@dataclass(frozen=True)
class PeriodCount:
    """The quotes of one period: a day (YYYY-MM-DD), a week (its Monday, YYYY-MM-DD) or a month (YYYY-MM);
    None for the quotes filed under no day."""

    period: str | None
    quotes: int


def quotes_per_day(connection: Connection, query: QuoteQuery) -> tuple[PeriodCount, ...]:
    """How many of the quotes `query` asks for fall on each day they fall on, the oldest first; the undated
    ones last, as period None. Their sum is the quote list's total for the same query."""
    which = query.which
    if which.words is not None and (which.speaker, which.speaker_id, which.kind) == (None, None, None):
        counted = _entries_per_day(connection, which.words, query.scope())
    else:
        counted = narrowed_quotes(connection, select(quotes.c.day, func.count().label("quotes")), which)
        if counted is None:
            return ()
        counted = within(counted, query.scope(), quotes.c.day, quotes.c.outlet_id).select_from(quotes)
        counted = counted.group_by(quotes.c.day)
    rows = connection.execute(counted).all()
    return tuple(sorted((PeriodCount(period=row.day, quotes=row.quotes) for row in rows),
                        key=lambda count: (count.period is None, count.period or "")))


def _entries_per_day(connection: Connection, words: str, scope: Scope) -> Select:
    """Quotes holding the words, per day, counted on their search entries alone: an entry carries its quote's
    day and outlet (written with the quote), so the quotes themselves need not be read, which for a common
    word would be one row per match (70,650 for 'россия' at a million quotes)."""
    lemmas = query_lemmas(words)
    if not lemmas:
        raise StoreError(f"nothing to search for in {words!r}: give at least one word")
    index = full_text(connection.dialect.name, lemmas)
    day = index.entries.c.day
    counted = (select(day.label("day"), func.count().label("quotes")).select_from(index.source)
               .where(index.condition, index.entries.c.quote_id.is_not(None)))
    return within(counted, scope, day, index.entries.c.outlet_id).group_by(day)


def period_of(day: str, bucket: Bucket) -> str:
    """The period a day (YYYY-MM-DD) falls in: the day itself, its week's Monday, or its month (YYYY-MM)."""
    if bucket == "month":
        return day[:7]
    if bucket == "week":
        found = date.fromisoformat(day)
        return (found - timedelta(days=found.weekday())).isoformat()
    return day


def gathered(days: Iterable[PeriodCount], bucket: Bucket) -> tuple[PeriodCount, ...]:
    """Counts per day summed per period of `bucket`, the oldest first, the undated ones kept last."""
    sums: dict[str | None, int] = {}
    for count in days:
        period = None if count.period is None else period_of(count.period, bucket)
        sums[period] = sums.get(period, 0) + count.quotes
    return tuple(PeriodCount(period=period, quotes=quotes)
                 for period, quotes in sorted(sums.items(), key=lambda item: (item[0] is None, item[0] or "")))


def periods_between(first: str, last: str, bucket: Bucket) -> int:
    """How many periods every_period(first, last, bucket) gives, counted without listing them."""
    if bucket == "month":
        return max(0, (int(last[:4]) - int(first[:4])) * 12 + int(last[5:7]) - int(first[5:7]) + 1)
    start, end = date.fromisoformat(period_of(first, bucket)), date.fromisoformat(last)
    return max(0, (end - start).days // (7 if bucket == "week" else 1) + 1)


def every_period(first: str, last: str, bucket: Bucket) -> list[str]:
    """Every period of `bucket` from the one holding day `first` to the one holding day `last` (both
    YYYY-MM-DD or, for months, YYYY-MM), both included: a chart needs the periods without quotes too."""
    if bucket == "month":
        year, month = int(first[:4]), int(first[5:7])
        periods = []
        while f"{year:04}-{month:02}" <= last[:7]:
            periods.append(f"{year:04}-{month:02}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return periods
    step = timedelta(days=7 if bucket == "week" else 1)
    current, end = date.fromisoformat(period_of(first, bucket)), date.fromisoformat(last)
    periods = []
    while current <= end:
        periods.append(current.isoformat())
        current += step
    return periods
