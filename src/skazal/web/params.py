"""The query parameters the API and the pages share, checked before any query runs."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from fastapi import Depends, Path, Query, Request

from skazal.store import Scope, Store

# PostgreSQL refuses NUL in text, and a name or a query is never this long.
TEXT = r"^[^\x00]*$"
MAX_TEXT = 500
MAX_OFFSET = 1_000_000
MAX_ID = 2**31 - 1

QuoteKind = Literal["direct", "mixed", "indirect"]
EntityKind = Literal["PER", "ORG", "LOC"]
Format = Literal["json", "csv"]

Words = Annotated[str | None, Query(min_length=1, max_length=MAX_TEXT, pattern=TEXT,
                                    description="words to find, in any grammatical form")]
Name = Annotated[str | None, Query(min_length=1, max_length=MAX_TEXT, pattern=TEXT,
                                   description='a name in any form: "Лукашенко", "Лукашенко А.Г."')]
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
FormatChoice = Annotated[Format | None, Query(alias="format", description="csv for a CSV table; JSON otherwise")]


@dataclass(frozen=True)
class Window:
    """Which part of the corpus, and which page of the answer."""

    scope: Scope
    offset: int

    @property
    def limit(self) -> int:
        return self.scope.limit or 0


def window(
    since: Annotated[date | None, Query(description="from this day on (YYYY-MM-DD)")] = None,
    until: Annotated[date | None, Query(description="up to and including this day (YYYY-MM-DD)")] = None,
    outlet: Annotated[str | None, Query(min_length=1, max_length=255, pattern=TEXT,
                                        description='one outlet only ("lenta.ru")')] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="at most this many rows")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="skip this many rows")] = 0,
) -> Window:
    scope = Scope(
        since=since.isoformat() if since else None,
        until=until.isoformat() if until else None,
        outlet=outlet,
        limit=limit,
    )
    return Window(scope=scope, offset=offset)


def corpus(request: Request) -> Store:
    """The store the app serves."""
    return request.app.state.store


Paged = Annotated[Window, Depends(window)]
