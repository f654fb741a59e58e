"""Attention over time: several speakers' quotes per month side by side, as one table (and its CSV)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field, StringConstraints

from skazal.store import Store
from skazal.store.browse import SpeakerDetail
from skazal.store.listing import QuoteQuery, SpeakerQuery
from skazal.web.params import MAX_ID, MAX_TEXT, TEXT, Paged, corpus, missing

# A chart of more lines than this is no longer read.
MAX_SPEAKERS = 6


class Compared(BaseModel):
    id: int
    name: str
    quotes: int


class MonthRow(BaseModel):
    month: str  # YYYY-MM
    quotes: list[int]  # per speaker, in the order of `speakers`


class Attention(BaseModel):
    """Each speaker's quotes per month, every month from the first quoted to the last, 0 where none."""

    speakers: list[Compared]
    months: list[MonthRow]


def side_by_side(details: Sequence[SpeakerDetail]) -> Attention:
    """The speakers' months in one table: a row per month of the span any of them was quoted in."""
    counts = [{month.month: month.quotes for month in detail.months} for detail in details]
    known = [month for counted in counts for month in counted]
    months = every_month(min(known), max(known)) if known else []
    return Attention(
        speakers=[Compared(id=detail.id, name=detail.name, quotes=detail.quotes) for detail in details],
        months=[MonthRow(month=month, quotes=[counted.get(month, 0) for counted in counts]) for month in months],
    )


def every_month(first: str, last: str) -> list[str]:
    """Every month from `first` to `last` (YYYY-MM, both included)."""
    year, month = map(int, first.split("-"))
    months = []
    while f"{year:04}-{month:02}" <= last:
        months.append(f"{year:04}-{month:02}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def as_rows(attention: Attention) -> list[dict[str, object]]:
    """The table as CSV rows: the month, then a column per speaker named by name (and id when two share one)."""
    names = [speaker.name for speaker in attention.speakers]
    columns = [f"{speaker.name} ({speaker.id})" if names.count(speaker.name) > 1 else speaker.name
               for speaker in attention.speakers]
    return [{"month": row.month, **dict(zip(columns, row.quotes))} for row in attention.months]


SpeakerIds = Annotated[list[Annotated[int, Field(ge=1, le=MAX_ID)]],
                       Query(description=f"a speaker by id (repeatable; {MAX_SPEAKERS} in all at most)")]
SpeakerNames = Annotated[list[Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT, pattern=TEXT)]],
                         Query(description='a speaker by a name in any form, the most quoted it may be ("Пескова"; '
                                           'repeatable)')]


def compared_speakers(request: Request, window: Paged, speaker_id: SpeakerIds = [],  # noqa: B006 (FastAPI copies it)
                      speaker: SpeakerNames = []) -> list[SpeakerDetail]:  # noqa: B006
    """The speakers asked for, by id and by name, each counted within the window's days and outlet."""
    if len(speaker_id) + len(speaker) > MAX_SPEAKERS:
        raise HTTPException(status_code=400, detail=f"at most {MAX_SPEAKERS} speakers side by side")
    store = corpus(request)
    ids = list(dict.fromkeys([*speaker_id, *(_named(store, name) for name in speaker)]))
    details = [store.speaker(id, window.scope) for id in ids]
    for id, detail in zip(ids, details):
        if detail is None:
            raise missing("speaker", id)
    return details


def _named(store: Store, name: str) -> int:
    found = store.speaker_list(SpeakerQuery(QuoteQuery(speaker=name)), 1, facets=False).speakers
    if not found:
        raise HTTPException(status_code=404, detail=f"no speaker named {name!r}")
    return found[0].id


Chosen = Annotated[list[SpeakerDetail], Depends(compared_speakers)]
