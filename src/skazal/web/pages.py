"""The HTML pages: server-rendered, readable without JavaScript, each linking to its JSON twin."""
from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Annotated, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates

from skazal.search_syntax import check_search, unsupported
from skazal.store import Scope, Store, StoreError
from skazal.store.listing import ArticleList, ArticleQuery, QuoteList, QuoteQuery, SpeakerList, SpeakerQuery
from skazal.store.over_time import BUCKETS
from skazal.web.also import also_printed
from skazal.web.api import found
from skazal.web.attention import Asked, over_time, without
from skazal.web.feeds import atom_feed
from skazal.web.language import LANGUAGES, chosen, counted, number, strings
from skazal.web.links import here, list_links, page_links, with_parameters
from skazal.web.marking import context_parts, pieces, snippet_parts, without_bidi_controls
from skazal.web.params import (
    MAX_TEXT,
    TEXT,
    Articles,
    Id,
    Paged,
    Quotes,
    Speakers,
    Window,
    corpus,
    kept_parameters,
    missing,
    refuse_unknown_parameters,
    searched_words,
    unknown_parameters,
)
from skazal.web.times import readable_time

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
templates = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")
templates.env.finalize = without_bidi_controls
templates.env.filters["readable_time"] = readable_time
HOME_QUOTES, WEEK_SPEAKERS, OUTLET_SPEAKERS = 10, 10, 3
# A search for a name shows the people it may be, and the newest quotes of the first.
NAMED_SPEAKERS, NAMED_QUOTES = 3, 3
# An outlet a list is asked for that the corpus lacks: the names offered instead.
CLOSE_OUTLETS = 5


@dataclass(frozen=True)
class ListPage:
    """A list page: its template, its twin, the field of its list that holds the rows, its filters in the
    order their chips are shown, the fields of its filter form, its default order, and chip labels."""

    template: str
    twin: str
    rows: str
    filters: tuple[str, ...]
    fields: tuple[str, ...]
    default_sort: str
    labels: tuple[tuple[str, str], ...] = ()


QUOTE_LIST = ListPage("quotes.html", "/api/quotes", "quotes",
                      ("q", "speaker", "speaker_id", "outlet", "kind", "month", "since", "until"),
                      ("q", "speaker", "outlet", "kind", "since", "until"), "newest")
SPEAKER_LIST = ListPage("speakers.html", "/api/speakers", "speakers",
                        ("q", "words", "outlet", "kind", "month", "since", "until"),
                        ("q", "words", "outlet", "kind", "since", "until"), "quotes",
                        labels=(("q", "filter_name"), ("words", "filter_q")))
ARTICLE_LIST = ListPage("articles.html", "/api/articles", "articles",
                        ("q", "speaker_id", "outlet", "kind", "month", "since", "until"),
                        ("q", "outlet", "since", "until"), "newest")
Listed = TypeVar("Listed", QuoteList, SpeakerList, ArticleList)
# A feed reader shows no notice: a parameter a feed does not take is refused.
FEED = {"dependencies": [Depends(refuse_unknown_parameters)]}
# The pages run no inline script and load nothing from elsewhere: markup that slipped past
# escaping still could not run.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                               "form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def render(request: Request, template: str, twin: str, status_code: int = 200, **context) -> HTMLResponse:
    """A page in the chosen language; `twin` is the API address of the same data, to which the page's
    own parameters are added."""
    language = chosen(request)
    other = next(code for code in LANGUAGES if code != language)
    return templates.TemplateResponse(
        request, template,
        {"t": strings(language), "counted": partial(counted, language), "number": partial(number, language),
         "lang": language, "switch": here(request, lang=other), "twin": with_parameters(request, twin),
         "unknown": unknown_parameters(request), **context},
        status_code=status_code,
        headers=PAGE_HEADERS,
    )


def _also(request: Request, rows) -> dict[int, dict[str, str]]:
    """«Также в N изданиях» for each row that is a quote other outlets printed too."""
    return also_printed(request, corpus(request), [row.quote_id for row in rows if hasattr(row, "quote_id")])


def _pages(request: Request, window: Window, shown: int) -> dict[str, str | None]:
    """Links to the previous and next page of a list whose total is not counted."""
    return page_links(request, window, shown == window.limit)


@router.get("/")
def home(request: Request):
    store = corpus(request)
    newest = store.latest_day()
    week_from = (date.fromisoformat(newest) - timedelta(days=6)).isoformat() if newest else None
    week = Scope(since=week_from, until=newest, limit=WEEK_SPEAKERS)
    latest = store.quotes(scope=Scope(limit=HOME_QUOTES))
    return render(
        request, "home.html", "/api/quotes",
        quotes=latest, also=_also(request, latest),
        speakers=store.speakers(week) if newest else [],
        week_from=week_from, week_to=newest,
        stats=store.stats(),
    )


@router.get("/search")
def search_page(request: Request, window: Paged,
                q: Annotated[str, Query(max_length=MAX_TEXT, pattern=TEXT)] = ""):
    twin = "/api/search"
    if not q.strip():
        return render(request, "search.html", twin, q=q, hits=[], pages={})
    try:
        store = corpus(request)
        hits = found(store, q, window)
        speakers = store.quote_speakers([hit.quote_id for hit in hits if hit.quote_id is not None])
        totals = _hit_totals(store, q, window.scope)
    except StoreError as error:
        return render(request, "search.html", twin, status_code=400, q=q, hits=[], pages={}, problem=str(error))
    shown = [(hit, snippet_parts(hit.snippet)) for hit in hits]
    named = store.speaker_list(SpeakerQuery(QuoteQuery(speaker=q)), NAMED_SPEAKERS, facets=False).speakers
    first = named[0].id if named and not window.offset else None
    theirs = store.quotes(speaker_id=first, scope=Scope(limit=NAMED_QUOTES)) if first else []
    return render(request, "search.html", twin, q=q, hits=shown, speakers=speakers, named=named, theirs=theirs,
                  syntax=unsupported(q) is not None, totals=totals,
                  articles_listed=with_parameters(request, "/articles"),
                  also=_also(request, theirs),
                  pages=_pages(request, window, len(hits)), feed=with_parameters(request, "/search/feed.atom"),
                  listed=with_parameters(request, "/quotes"),
                  attention=_attention_of(q=q, outlet=window.scope.outlet, since=window.scope.since,
                                          until=window.scope.until))


def _hit_totals(store: Store, words: str, scope: Scope) -> dict[str, int]:
    """How many quotes and how many articles hold the words: the totals of the lists they link to."""
    where = {"words": words, "outlet": scope.outlet, "since": scope.since, "until": scope.until}
    return {"quotes": store.quote_list(QuoteQuery(**where), 1, facets=False).total,
            "articles": store.article_list(ArticleQuery(**where), 1, facets=False).total}


@router.get("/search/feed.atom", **FEED)
def search_feed(request: Request, window: Paged,
                q: Annotated[str, Query(min_length=1, max_length=MAX_TEXT, pattern=TEXT)]):
    scope = window.scope
    query = QuoteQuery(words=check_search(q), outlet=scope.outlet, since=scope.since, until=scope.until)
    listed = corpus(request).quote_list(query, window.limit, facets=False)
    return _feed(request, f"skazal: «{q}»", with_parameters(request, "/search"), listed)


@router.get("/quotes")
def quotes_page(request: Request, window: Paged, query: Quotes):
    return _list_page(request, window, QUOTE_LIST, lambda store: store.quote_list(query, window.limit, window.offset),
                      QuoteList(total=0, quotes=(), facets=()), query=query,
                      feed=with_parameters(request, "/quotes/feed.atom"))


@router.get("/speakers")
def speakers_page(request: Request, window: Paged, query: Speakers):
    return _list_page(request, window, SPEAKER_LIST,
                      lambda store: store.speaker_list(query, window.limit, window.offset),
                      SpeakerList(total=0, speakers=(), facets=()), query=query, their_quotes=_their_quotes(query))


@router.get("/articles")
def articles_page(request: Request, window: Paged, query: Articles):
    return _list_page(request, window, ARTICLE_LIST,
                      lambda store: store.article_list(query, window.limit, window.offset),
                      ArticleList(total=0, articles=(), facets=()), query=query)


def _list_page(request: Request, window: Window, page: ListPage, listed_from: Callable[[Store], Listed],
               empty: Listed, **context) -> HTMLResponse:
    """A list page: its rows, total and facets, or (for words with nothing to search for) the problem."""
    try:
        listed, problem = listed_from(corpus(request)), None
    except StoreError as error:
        listed, problem = empty, str(error)
    links = list_links(request, window, listed.total, len(getattr(listed, page.rows)), listed.facets, page.twin,
                       page.filters, page.fields, page.default_sort, dict(page.labels))
    syntax = unsupported(searched_words(context["query"]) or "") is not None
    outlet = window.scope.outlet
    unknown_outlet = _closest_outlets(request, outlet) if outlet and not listed.total else None
    return render(request, page.template, page.twin, listed=listed, problem=problem, syntax=syntax,
                  outlet=outlet, unknown_outlet=unknown_outlet,
                  status_code=400 if problem else 200, also=_also(request, getattr(listed, page.rows)),
                  **links, **context)


def _closest_outlets(request: Request, outlet: str) -> list[tuple[str, str]] | None:
    """For an outlet the corpus does not have, the outlets named closest to it with this page's address
    for each; None when the corpus has it (the list is then empty for other reasons)."""
    names = [listed.name for listed in corpus(request).outlets()]
    if outlet in names:
        return None
    return [(name, here(request, outlet=name, offset=None))
            for name in difflib.get_close_matches(outlet, names, n=CLOSE_OUTLETS, cutoff=0.75)]


def _their_quotes(query: SpeakerQuery) -> str:
    """The quote list narrowed as the directory is, waiting for a speaker id."""
    chosen = query.quotes
    given = {"q": chosen.words, "outlet": chosen.outlet, "kind": chosen.kind, "month": chosen.month,
             "since": chosen.since, "until": chosen.until}
    return "/quotes?" + urlencode([(name, value) for name, value in given.items() if value] + [("speaker_id", "")])


@router.get("/quotes/feed.atom", **FEED)
def quotes_feed(request: Request, window: Paged, query: Quotes):
    check_search(query.words)
    listed = corpus(request).quote_list(query, window.limit, window.offset, facets=False)
    return _feed(request, "skazal: " + strings(chosen(request))["quotes_list"].lower(),
                 with_parameters(request, "/quotes"), listed)


@router.get("/quotes/{id}")
def quote_page(request: Request, id: Id):
    view = corpus(request).quote(id)
    if view is None:
        raise missing("quote", id)
    return render(request, "quote.html", f"/api/quotes/{id}", view=view, quote=view.quote,
                  parts=context_parts(view), also=_also(request, [view.quote]))


def _feed(request: Request, title: str, page: str, listed: QuoteList):
    base = str(request.base_url)
    address = base + request.url.path.lstrip("/") + (f"?{request.url.query}" if request.url.query else "")
    return atom_feed(title, address, base + page.lstrip("/"), base, listed.quotes)


@router.get("/speakers/{id}")
def speaker_page(request: Request, window: Paged, id: Id):
    store = corpus(request)
    detail = store.speaker(id, window.scope)
    if detail is None:
        raise missing("speaker", id)
    timeline = store.quotes(scope=window.scope, speaker_id=id, offset=window.offset)
    return render(request, "speaker.html", f"/api/speakers/{id}", speaker=detail, quotes=timeline,
                  also=_also(request, timeline),
                  pages=_pages(request, window, len(timeline)), feed=f"/speakers/{id}/feed.atom",
                  listed=f"/quotes?speaker_id={id}")


@router.get("/attention")
def attention_page(request: Request, asked: Asked):
    """Quotes per period of a search, an outlet or several speakers, as a table a chart is drawn from, with
    the filters and a field to add a speaker."""
    try:
        table = over_time(corpus(request), asked) if asked.asked else None
    except StoreError as error:
        table, problem = None, str(error)
    else:
        problem = None
    form_fields = ("q", "outlet", "kind", "since", "until")
    return render(request, "attention.html", "/api/attention", status_code=400 if problem else 200,
                  attention=table, asked=asked, problem=problem,
                  syntax=unsupported(asked.quotes.words or "") is not None,
                  removed={speaker.id: without(request, speaker.given) for speaker in asked.speakers},
                  buckets={bucket: here(request, bucket=bucket) for bucket in BUCKETS},
                  hidden=[(name, value) for name, value in kept_parameters(request) if name not in form_fields],
                  csv=with_parameters(request, "/api/attention", format="csv"))


def _attention_of(**given: str | None) -> str:
    """The attention chart of these filters (those given)."""
    return "/attention?" + urlencode([(name, value) for name, value in given.items() if value])


@router.get("/speakers/{id}/feed.atom", **FEED)
def speaker_feed(request: Request, window: Paged, id: Id):
    store = corpus(request)
    detail = store.speaker(id, window.scope)
    if detail is None:
        raise missing("speaker", id)
    scope = window.scope
    query = QuoteQuery(speaker_id=id, outlet=scope.outlet, since=scope.since, until=scope.until)
    listed = store.quote_list(query, window.limit, window.offset, facets=False)
    return _feed(request, f"skazal: {detail.name}", f"/speakers/{id}", listed)


@router.get("/documents/{id}")
def document_page(request: Request, id: Id):
    view = corpus(request).document(id)
    if view is None:
        raise missing("document", id)
    speaker_ids = {quote.speaker_id for quote in view.quotes if quote.speaker_id is not None}
    return render(request, "document.html", f"/api/documents/{id}", document=view,
                  pieces=pieces(view.body, view.quotes, view.mentions), speaker_ids=speaker_ids,
                  also=_also(request, view.quotes))


@router.get("/outlets")
def outlets_page(request: Request, window: Paged):
    store = corpus(request)
    counted_over = _recent_year(store, window.scope)
    listed = store.outlets(window.scope, window.offset, speakers=OUTLET_SPEAKERS, speakers_scope=counted_over)
    return render(request, "outlets.html", f"/api/outlets?speakers={OUTLET_SPEAKERS}", outlets=listed,
                  since=counted_over.since, until=counted_over.until, pages=_pages(request, window, len(listed)))


def _recent_year(store: Store, scope: Scope) -> Scope:
    """The scope's days; with none given, the corpus's last year, which the day index finds quickly."""
    if scope.since or scope.until:
        return scope
    newest = store.latest_day()
    if newest is None:
        return scope
    return Scope(since=(date.fromisoformat(newest) - timedelta(days=364)).isoformat(), until=newest)


@router.get("/outlets/{id}")
def outlet_page(request: Request, window: Paged, id: Id):
    store = corpus(request)
    detail = store.outlet(id, window.scope, window.offset)
    if detail is None:
        raise missing("outlet", id)
    latest = store.quotes(scope=Scope(outlet=detail.name, limit=HOME_QUOTES))
    return render(request, "outlet.html", f"/api/outlets/{id}", outlet=detail, quotes=latest,
                  also=_also(request, latest), attention=_attention_of(outlet=detail.name),
                  pages=_pages(request, window, len(detail.speakers)))


async def error_page(request: Request, error: HTTPException):
    """Errors as JSON for the API, as a page for a person."""
    if request.url.path.startswith("/api") or request.url.path.startswith("/static"):
        return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=error.headers)
    return render(request, "error.html", "/openapi.json", status_code=error.status_code, problem=error.detail)
