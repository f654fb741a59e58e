"""Quotes over time: how many of the quotes a quote query asks for fall on each day, week or month.

The database counts per day (GROUP BY day over the filtered quotes, on the (…, day) indexes the filters
choose); days are gathered into weeks and months here, so that both backends share one calendar.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from sqlalchemy import Connection, func, select

from skazal.store.listing import QuoteQuery
from skazal.store.queries import narrowed_quotes, within
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
    counted = narrowed_quotes(connection, select(quotes.c.day, func.count().label("quotes")), query.which)
    if counted is None:
        return ()
    counted = within(counted, query.scope(), quotes.c.day, quotes.c.outlet_id).select_from(quotes)
    rows = connection.execute(counted.group_by(quotes.c.day)).all()
    return tuple(sorted((PeriodCount(period=row.day, quotes=row.quotes) for row in rows),
                        key=lambda count: (count.period is None, count.period or "")))


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
