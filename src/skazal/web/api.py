"""The REST API: JSON (or CSV) twins of every page, with stable ids, documented at /docs."""
from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Generic, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from skazal.search_syntax import check_search
from skazal.store import CorpusStats, Scope, SearchHit, SpeakerCount, Store, StoredQuote
from skazal.store.browse import DocumentView, ListedEntity, ListedOutlet, OutletDetail, SpeakerDetail
from skazal.store.listing import Facet, ListedArticle, QuoteView
from skazal.web.attention import Asked, Attention, as_rows, over_time
from skazal.web.formats import csv_response, wants_csv
from skazal.web.params import (
    MAX_TEXT,
    TEXT,
    Articles,
    EntityKind,
    FormatChoice,
    Id,
    Name,
    Paged,
    QuoteKind,
    Quotes,
    Speakers,
    Window,
    corpus,
    missing,
    refuse_unknown_parameters,
    searched_words,
)

router = APIRouter(prefix="/api", tags=["corpus"], dependencies=[Depends(refuse_unknown_parameters)])
MOST_QUOTED = "with each outlet's N most quoted people in the scope (over years of a large corpus, narrow it by since)"
Row = TypeVar("Row")


class Listing(BaseModel, Generic[Row]):
    items: list[Row]
    limit: int
    offset: int


class Faceted(BaseModel, Generic[Row]):
    """One page of a list, with the list's total and its facet counts."""

    items: list[Row]
    total: int
    limit: int
    offset: int
    facets: list[Facet]


class Suggestions(BaseModel):
    items: list[SpeakerCount]


class SpeakerTimeline(BaseModel):
    speaker: SpeakerDetail
    quotes: list[StoredQuote]
    limit: int
    offset: int


def _listing(request: Request, rows: list, window: Window, format: str | None, name: str):
    if wants_csv(request, format):
        return csv_response(rows, name)
    return {"items": rows, "limit": window.limit, "offset": window.offset}


@router.get("/quotes", response_model=Faceted[StoredQuote],
            summary="Quotes, the newest (or oldest) first, with their total and counts per speaker, outlet, kind "
                    "and month (CSV: the page of quotes)")
def quotes(request: Request, window: Paged, query: Quotes, format: FormatChoice = None):
    return _faceted(request, window, format, Store.quote_list, query, "quotes")


def _faceted(request: Request, window: Window, format: str | None, list_of: Callable, query, rows: str):
    """A list's page of rows with its total and facets, or (as CSV) the page of rows alone."""
    check_search(searched_words(query))
    as_csv = wants_csv(request, format)
    listed = list_of(corpus(request), query, window.limit, window.offset, facets=not as_csv)
    if as_csv:
        return csv_response(getattr(listed, rows), rows)
    return {"items": getattr(listed, rows), "total": listed.total, "limit": window.limit, "offset": window.offset,
            "facets": listed.facets}


@router.get("/quotes/{id}", response_model=QuoteView,
            summary="One quote in its paragraph, with its cue, speaker, article and the sources the article cites")
def quote(request: Request, id: Id):
    view = corpus(request).quote(id)
    if view is None:
        raise missing("quote", id)
    return view


@router.get("/search", response_model=Listing[SearchHit], summary="Quotes and article texts holding every word")
def search_corpus(request: Request, window: Paged,
                  q: Annotated[str, Query(min_length=1, max_length=MAX_TEXT, pattern=TEXT,
                                          description="words to find, in any grammatical form and order "
                                                      "(no phrases, OR or NOT)")],
                  format: FormatChoice = None):
    return _listing(request, found(corpus(request), check_search(q), window), window, format, "search")


def found(store: Store, words: str, window: Window) -> list[SearchHit]:
    """One page of search hits (the store ranks them; the page is cut here)."""
    scope = window.scope
    wider = Scope(since=scope.since, until=scope.until, outlet=scope.outlet, limit=window.offset + window.limit)
    return store.search(words, wider)[window.offset:]


@router.get("/speakers", response_model=Faceted[SpeakerCount],
            summary="Who is quoted (by a name in any form, in the quotes of an outlet, kind, days or holding "
                    "words), the most quoted first, with their total and how many each outlet, kind and month "
                    "has (CSV: the page of speakers)")
def speakers(request: Request, window: Paged, query: Speakers, format: FormatChoice = None):
    return _faceted(request, window, format, Store.speaker_list, query, "speakers")


@router.get("/speakers/suggest", response_model=Suggestions,
            summary='Speakers a name being typed may be: any case form, initials, a word cut short ("Пескова", '
                    '"Д. Песков", "Песк"), the most quoted first')
def suggest(request: Request, q: Annotated[str, Query(min_length=1, max_length=MAX_TEXT, pattern=TEXT,
                                                      description="the name as typed so far")],
            limit: Annotated[int, Query(ge=1, le=20, description="at most this many")] = 8):
    return {"items": corpus(request).suggest_speakers(q, limit)}


@router.get("/articles", response_model=Faceted[ListedArticle],
            summary="Articles, the newest (or oldest, or by outlet) first, with their quote counts, total and "
                    "counts per outlet, month, speaker and kind (CSV: the page of articles)")
def articles(request: Request, window: Paged, query: Articles, format: FormatChoice = None):
    return _faceted(request, window, format, Store.article_list, query, "articles")


@router.get("/attention", response_model=Attention,
            summary="Attention over time: quotes per day, week or month of a search, an outlet or a kind, or of "
                    "several speakers side by side, every period from the first quoted to the last (CSV: the table, "
                    "a column per speaker)")
def attention(request: Request, asked: Asked, format: FormatChoice = None):
    check_search(asked.quotes.words)
    table = over_time(corpus(request), asked)
    return csv_response(as_rows(table), "attention") if wants_csv(request, format) else table


@router.get("/speakers/{id}", response_model=SpeakerTimeline,
            summary="One speaker: counts, quotes per month (CSV: the months), and quotes, the newest first")
def speaker(request: Request, window: Paged, id: Id, kind: QuoteKind | None = None,
            format: FormatChoice = None):
    store = corpus(request)
    detail = store.speaker(id, window.scope)
    if detail is None:
        raise missing("speaker", id)
    if wants_csv(request, format):
        return csv_response(detail.months, f"speaker-{id}-months")
    timeline = store.quotes(scope=window.scope, speaker_id=id, kind=kind, offset=window.offset)
    return {"speaker": detail, "quotes": timeline, "limit": window.limit, "offset": window.offset}


@router.get("/entities", response_model=Listing[ListedEntity], summary="People, organisations and places mentioned")
def entities(request: Request, window: Paged, q: Name = None, kind: EntityKind | None = None,
             format: FormatChoice = None):
    rows = corpus(request).entities(window.scope, type=kind, name=q, offset=window.offset)
    return _listing(request, rows, window, format, "entities")


@router.get("/documents/{id}", response_model=DocumentView,
            summary="One article: its text, quotes, entity mentions and sources (CSV: the quotes)")
def document(request: Request, id: Id, format: FormatChoice = None):
    view = corpus(request).document(id)
    if view is None:
        raise missing("document", id)
    if wants_csv(request, format):
        return csv_response(view.quotes, f"document-{id}-quotes")
    return view


@router.get("/outlets", response_model=Listing[ListedOutlet], summary="Outlets, those quoting most first")
def outlets(request: Request, window: Paged, format: FormatChoice = None,
            speakers: Annotated[int, Query(ge=0, le=10, description=MOST_QUOTED)] = 0):
    rows = corpus(request).outlets(window.scope, window.offset, speakers=speakers)
    return _listing(request, rows, window, format, "outlets")


@router.get("/outlets/{id}", response_model=OutletDetail,
            summary="One outlet and who it quotes most (CSV: the speakers)")
def outlet(request: Request, window: Paged, id: Id, format: FormatChoice = None):
    detail = corpus(request).outlet(id, window.scope, window.offset)
    if detail is None:
        raise missing("outlet", id)
    if wants_csv(request, format):
        return csv_response(detail.speakers, f"outlet-{id}-speakers")
    return detail


@router.get("/stats", response_model=CorpusStats, summary="How much the corpus holds")
def stats(request: Request, window: Paged, format: FormatChoice = None):
    counts = corpus(request).stats(window.scope)
    if wants_csv(request, format):
        return csv_response([counts], "stats")
    return counts

