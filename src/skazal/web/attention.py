"""Attention over time: quotes per day, week or month for a search, an outlet, or several speakers side by
side, as one table (and its CSV); the page's chart is drawn from that table."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field, StringConstraints

from skazal.store import Store
from skazal.store.listing import QuoteQuery, SpeakerQuery
from skazal.store.over_time import Bucket, PeriodCount, every_period, periods_between
from skazal.web.language import same_origin
from skazal.web.params import DAY_FORMATS, MAX_ID, MAX_TEXT, TEXT, Day, QuoteKind, Words, corpus, missing

# A chart of more lines than this is no longer read.
MAX_SPEAKERS = 6
# Ten years of days, a page of a few hundred kilobytes; more is asked for by week or month.
MAX_PERIODS = 3660


class Series(BaseModel):
    """One column of the table, one line of the chart: a speaker's quotes, or (with no speaker named) the
    quotes the filters find."""

    speaker_id: int | None
    name: str
    quotes: int  # every quote counted, the undated ones too
    undated: int  # filed under no day, so in no period


class PeriodRow(BaseModel):
    period: str  # a day (YYYY-MM-DD), a week by its Monday (YYYY-MM-DD) or a month (YYYY-MM)
    quotes: list[int]  # per series, in the order of `series`


class Attention(BaseModel):
    """Quotes per period for each series, every period from the first quoted (or `since`) to the last (or
    `until`), 0 where none."""

    bucket: Bucket
    series: list[Series]
    periods: list[PeriodRow]


@dataclass(frozen=True)
class Compared:
    """A speaker to chart, and the parameter of the address that named them (to link to the chart without)."""

    id: int
    name: str
    given: tuple[str, str]


@dataclass(frozen=True)
class AttentionQuery:
    """What to chart: the quotes of `quotes` (words, outlet, kind, days), per speaker when any is named."""

    quotes: QuoteQuery
    speakers: tuple[Compared, ...]
    bucket: Bucket

    @property
    def asked(self) -> bool:
        """Whether anything narrower than every quote of the days is asked for."""
        chosen = self.quotes
        return bool(self.speakers) or any(value is not None for value in (chosen.words, chosen.outlet, chosen.kind))

    @property
    def name(self) -> str:
        """What the filters' own series is called: «words» · outlet · kind."""
        chosen = self.quotes
        return " · ".join(filter(None, (chosen.words and f"«{chosen.words}»", chosen.outlet, chosen.kind)))


def over_time(store: Store, asked: AttentionQuery) -> Attention:
    """The quotes `asked` for per period: a series per speaker, else one of the filters' quotes."""
    if not asked.asked:
        raise HTTPException(status_code=400, detail="name a speaker (speaker_id, speaker), words (q), an outlet "
                                                    "or a kind to chart")
    queries = [replace(asked.quotes, speaker_id=speaker.id) for speaker in asked.speakers] or [asked.quotes]
    counts = [store.quotes_per_period(query, asked.bucket) for query in queries]
    named = [(speaker.id, speaker.name) for speaker in asked.speakers] or [(None, asked.name)]
    return side_by_side(named, counts, asked.bucket, asked.quotes.since, asked.quotes.until)


def side_by_side(named: Sequence[tuple[int | None, str]], counts: Sequence[Sequence[PeriodCount]], bucket: Bucket,
                 since: str | None = None, until: str | None = None) -> Attention:
    """The series' counts in one table: a row per period from the first quoted (or `since`) to the last
    (or `until`)."""
    dated = [{count.period: count.quotes for count in counted if count.period is not None} for counted in counts]
    known = [period for periods in dated for period in periods]
    series = [Series(speaker_id=id, name=name, quotes=sum(count.quotes for count in counted),
                     undated=sum(count.quotes for count in counted if count.period is None))
              for (id, name), counted in zip(named, counts)]
    if not known:
        return Attention(bucket=bucket, series=series, periods=[])
    first, last = since or min(known), until or max(known)
    if periods_between(first, last, bucket) > MAX_PERIODS:
        raise HTTPException(status_code=400, detail=f"more than {MAX_PERIODS} {bucket}s from {first} to {last}: "
                                                    "chart them by week or month, or narrow since and until")
    return Attention(bucket=bucket, series=series, periods=[
        PeriodRow(period=period, quotes=[periods.get(period, 0) for periods in dated])
        for period in every_period(first, last, bucket)])


def as_rows(attention: Attention) -> list[dict[str, object]]:
    """The table as CSV rows: the period (a column named day, week or month), then a column per series named
    by its name (and its speaker's id when two share one)."""
    names = [series.name for series in attention.series]
    columns = [f"{series.name} ({series.speaker_id})" if names.count(series.name) > 1 else series.name
               for series in attention.series]
    return [{attention.bucket: row.period, **dict(zip(columns, row.quotes))} for row in attention.periods]


SpeakerIds = Annotated[list[Annotated[int, Field(ge=1, le=MAX_ID)]],
                       Query(description=f"a speaker by id (repeatable; {MAX_SPEAKERS} in all at most)")]
SpeakerNames = Annotated[list[Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT, pattern=TEXT)]],
                         Query(description='a speaker by a name in any form, the most quoted it may be ("Пескова"; '
                                           'repeatable)')]


def attention_query(
    request: Request,
    q: Words = None,
    outlet: Annotated[str | None, Query(min_length=1, max_length=255, pattern=TEXT,
                                        description='one outlet only ("lenta.ru")')] = None,
    kind: QuoteKind | None = None,
    since: Annotated[Day, Query(description=f"from this day on ({DAY_FORMATS})")] = None,
    until: Annotated[Day, Query(description=f"up to and including this day ({DAY_FORMATS})")] = None,
    bucket: Annotated[Bucket, Query(description="count per day, per week (from Monday) or per month")] = "month",
    speaker_id: SpeakerIds = [],  # noqa: B006 (FastAPI copies it)
    speaker: SpeakerNames = [],  # noqa: B006
) -> AttentionQuery:
    """The quotes asked for, and the speakers named by id and by name (each person once)."""
    if len(speaker_id) + len(speaker) > MAX_SPEAKERS:
        raise HTTPException(status_code=400, detail=f"at most {MAX_SPEAKERS} speakers side by side")
    store = corpus(request)
    given = [("speaker_id", str(id)) for id in speaker_id] + [("speaker", name) for name in speaker]
    chosen: dict[int, Compared] = {}
    for name, value in given:
        found = _speaker(store, name, value)
        chosen.setdefault(found.id, found)
    quotes = QuoteQuery(words=q, outlet=outlet, kind=kind, since=since and since.isoformat(),
                        until=until and until.isoformat())
    return AttentionQuery(quotes=quotes, speakers=tuple(chosen.values()), bucket=bucket)


def _speaker(store: Store, parameter: str, value: str) -> Compared:
    """The person an id or a name stands for (the most quoted of those a name may be)."""
    by_id = parameter == "speaker_id"
    asked = QuoteQuery(speaker_id=int(value)) if by_id else QuoteQuery(speaker=value)
    found = store.speaker_list(SpeakerQuery(asked), 1, facets=False).speakers
    if not found:
        raise missing("speaker", value) if by_id else HTTPException(status_code=404,
                                                                     detail=f"no speaker named {value!r}")
    return Compared(id=found[0].id, name=found[0].speaker, given=(parameter, value))


def without(request: Request, given: tuple[str, str]) -> str:
    """This page's address without one of its parameters' values (a speaker taken off the chart)."""
    kept = [pair for pair in request.query_params.multi_items() if pair != given]
    return same_origin(request.url.path) + ("?" + urlencode(kept) if kept else "")


Asked = Annotated[AttentionQuery, Depends(attention_query)]
