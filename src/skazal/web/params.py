"""The query parameters the API and the pages share, checked before any query runs."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal
from urllib.parse import parse_qsl, urlencode

from fastapi import Depends, HTTPException, Path, Query, Request
from fastapi.dependencies.models import Dependant
from pydantic import BeforeValidator

from skazal.store import Scope, Store
from skazal.store.listing import ArticleQuery, QuoteQuery, SpeakerQuery

# PostgreSQL refuses NUL in text, and a name or a query is never this long.
TEXT = r"^[^\x00]*$"
MAX_TEXT = 500
MAX_OFFSET = 1_000_000
MAX_ID = 2**31 - 1

QuoteKind = Literal["direct", "mixed", "indirect"]
EntityKind = Literal["PER", "ORG", "LOC"]
Format = Literal["json", "csv"]
Sort = Literal["newest", "oldest"]
SpeakerSort = Literal["quotes", "name", "latest"]
ArticleSort = Literal["newest", "oldest", "outlet"]
# Read by the language middleware on every address, so never unknown.
EVERYWHERE = frozenset({"lang"})

Words = Annotated[str | None, Query(min_length=1, max_length=MAX_TEXT, pattern=TEXT,
                                    description="words to find, in any grammatical form")]
Name = Annotated[str | None, Query(min_length=1, max_length=MAX_TEXT, pattern=TEXT,
                                   description='a name in any form: "Лукашенко", "Лукашенко А.Г."')]
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
SpeakerId = Annotated[int | None, Query(ge=1, le=MAX_ID, description="one speaker, by id")]
Month = Annotated[str | None, Query(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$", description="one month (YYYY-MM)")]
# A day as ISO 8601 (2020-05-03), or as Russians write it (03.05.2020): the filter forms take either,
# whatever the browser's locale, and always show ISO.
RUSSIAN_DAY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
DAY_FORMATS = "YYYY-MM-DD or DD.MM.YYYY"


def iso_day(value: object) -> object:
    """A day written DD.MM.YYYY turned into YYYY-MM-DD; anything else left for the date check."""
    written = RUSSIAN_DAY.fullmatch(value.strip()) if isinstance(value, str) else None
    if written is None:
        return value
    day, month, year = written.groups()
    return f"{year}-{int(month):02}-{int(day):02}"


Day = Annotated[date | None, BeforeValidator(iso_day)]
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
    since: Annotated[Day, Query(description=f"from this day on ({DAY_FORMATS})")] = None,
    until: Annotated[Day, Query(description=f"up to and including this day ({DAY_FORMATS})")] = None,
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


def rows_window(
    limit: Annotated[int, Query(ge=1, le=500, description="at most this many rows")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="skip this many rows")] = 0,
) -> Window:
    """A page of a list that takes no days or outlet: its rows alone."""
    return Window(scope=Scope(limit=limit), offset=offset)


def missing(what: str, id: object) -> HTTPException:
    """The 404 of a page or API route whose thing does not exist."""
    return HTTPException(status_code=404, detail=f"no {what} with id {id}")


def corpus(request: Request) -> Store:
    """The store the app serves."""
    return request.app.state.store


Paged = Annotated[Window, Depends(window)]
Rows = Annotated[Window, Depends(rows_window)]
# A story's or an utterance's id, as the linker makes it ("story-…", "utt-…")
LinkId = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]


def quote_query(
    window: Paged,
    q: Words = None,
    speaker: Name = None,
    speaker_id: SpeakerId = None,
    kind: QuoteKind | None = None,
    month: Month = None,
    sort: Annotated[Sort, Query(description="newest or oldest first")] = "newest",
) -> QuoteQuery:
    scope = window.scope
    return QuoteQuery(speaker=speaker, speaker_id=speaker_id, outlet=scope.outlet, kind=kind, since=scope.since,
                      until=scope.until, month=month, words=q, oldest_first=sort == "oldest")


def speaker_query(
    window: Paged,
    q: Name = None,
    words: Annotated[str | None, Query(min_length=1, max_length=MAX_TEXT, pattern=TEXT,
                                       description="words their quotes hold, in any form")] = None,
    kind: QuoteKind | None = None,
    month: Month = None,
    sort: Annotated[SpeakerSort, Query(description="the most quoted first, by name, or the latest quoted")] = "quotes",
) -> SpeakerQuery:
    scope = window.scope
    quotes = QuoteQuery(speaker=q, outlet=scope.outlet, kind=kind, since=scope.since, until=scope.until,
                        month=month, words=words)
    return SpeakerQuery(quotes=quotes, order=sort)


def article_query(
    window: Paged,
    q: Annotated[str | None, Query(min_length=1, max_length=MAX_TEXT, pattern=TEXT,
                                   description="words the article holds, in any form")] = None,
    speaker_id: SpeakerId = None,
    kind: Annotated[QuoteKind | None, Query(description="articles holding a quote of this kind")] = None,
    month: Month = None,
    sort: Annotated[ArticleSort, Query(description="newest or oldest first, or by outlet")] = "newest",
) -> ArticleQuery:
    scope = window.scope
    return ArticleQuery(outlet=scope.outlet, since=scope.since, until=scope.until, month=month, words=q,
                        speaker_id=speaker_id, kind=kind, order=sort)


def searched_words(query: QuoteQuery | SpeakerQuery | ArticleQuery) -> str | None:
    """The words a list's query searches for."""
    return query.quotes.words if isinstance(query, SpeakerQuery) else query.words


Quotes = Annotated[QuoteQuery, Depends(quote_query)]
Speakers = Annotated[SpeakerQuery, Depends(speaker_query)]
Articles = Annotated[ArticleQuery, Depends(article_query)]


def unknown_parameters(request: Request) -> list[str]:
    """The query parameters given that the address does not take."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return []
    known = _query_parameters(dependant) | EVERYWHERE
    return sorted({name for name in request.query_params if name not in known})


def _query_parameters(dependant: Dependant) -> set[str]:
    names = {field.alias for field in dependant.query_params}
    for below in dependant.dependencies:
        names |= _query_parameters(below)
    return names


def refuse_unknown_parameters(request: Request) -> None:
    """A 400 for a parameter the address does not take: a misspelt filter must not pass for no filter."""
    unknown = unknown_parameters(request)
    if unknown:
        known = sorted(_query_parameters(request.scope["route"].dependant))
        raise HTTPException(status_code=400, detail=f"unknown parameter {unknown[0]!r}: this address takes "
                                                    f"{', '.join(known) or 'none'}")


def kept_parameters(request: Request) -> list[tuple[str, str]]:
    """The query parameters the address takes, as given (the language left out): what a twin keeps."""
    unknown = set(unknown_parameters(request)) | EVERYWHERE
    return [(name, value) for name, value in request.query_params.multi_items() if name not in unknown]


class BlankFieldsDropped:
    """A form's empty field is no filter: `?speaker=&kind=` on a page reads as no speaker and no kind
    (the API still refuses an empty value)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith("/api") and scope.get("query_string"):
            given = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
            kept = [(name, value) for name, value in given if value.strip()]
            if len(kept) < len(given):
                scope = dict(scope, query_string=urlencode(kept).encode("latin-1"))
        await self.app(scope, receive, send)
