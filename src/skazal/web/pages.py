"""The HTML pages: server-rendered, readable without JavaScript, each linking to its JSON twin."""
from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates

from skazal.store import Scope, Store, StoreError
from skazal.store.listing import QuoteList, QuoteQuery
from skazal.web.api import found
from skazal.web.feeds import atom_feed
from skazal.web.language import LANGUAGES, chosen, counted, number, same_origin, strings
from skazal.web.marking import context_parts, pieces, snippet_parts, without_bidi_controls
from skazal.web.params import (
    MAX_TEXT,
    TEXT,
    Id,
    Paged,
    Quotes,
    Window,
    corpus,
    kept_parameters,
    refuse_unknown_parameters,
    unknown_parameters,
)

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
templates = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")
templates.env.finalize = without_bidi_controls
HOME_QUOTES, WEEK_SPEAKERS, OUTLET_SPEAKERS = 10, 10, 3
# The quote list's filters, in the order their chips are shown.
FILTERS = ("q", "speaker", "speaker_id", "outlet", "kind", "month", "since", "until")
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


def _pages(request: Request, window: Window, shown: int) -> dict[str, str | None]:
    """Links to the previous and next page of a list."""
    return {
        "previous": here(request, offset=max(window.offset - window.limit, 0)) if window.offset else None,
        "next": here(request, offset=window.offset + window.limit) if shown == window.limit else None,
    }


def here(request: Request, **changes) -> str:
    """This page's path and query, with some parameters changed (None: taken out)."""
    query = dict(request.query_params)
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = str(value)
    return same_origin(request.url.path) + "?" + urlencode(query)


def with_parameters(request: Request, address: str, **extra) -> str:
    """`address` with the parameters this page was given and takes (the language left out), and `extra`."""
    kept = kept_parameters(request) + [(name, str(value)) for name, value in extra.items()]
    if not kept:
        return address
    return address + ("&" if "?" in address else "?") + urlencode(kept)


@router.get("/")
def home(request: Request):
    store = corpus(request)
    newest = store.latest_day()
    week_from = (date.fromisoformat(newest) - timedelta(days=6)).isoformat() if newest else None
    week = Scope(since=week_from, until=newest, limit=WEEK_SPEAKERS)
    return render(
        request, "home.html", "/api/quotes",
        quotes=store.quotes(scope=Scope(limit=HOME_QUOTES)),
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
    except StoreError as error:
        return render(request, "search.html", twin, status_code=400, q=q, hits=[], pages={}, problem=str(error))
    shown = [(hit, snippet_parts(hit.snippet)) for hit in hits]
    return render(request, "search.html", twin, q=q, hits=shown, speakers=speakers,
                  pages=_pages(request, window, len(hits)), feed=with_parameters(request, "/search/feed.atom"),
                  listed=with_parameters(request, "/quotes"))


@router.get("/search/feed.atom", **FEED)
def search_feed(request: Request, window: Paged,
                q: Annotated[str, Query(min_length=1, max_length=MAX_TEXT, pattern=TEXT)]):
    scope = window.scope
    query = QuoteQuery(words=q, outlet=scope.outlet, since=scope.since, until=scope.until)
    listed = corpus(request).quote_list(query, window.limit, facets=False)
    return _feed(request, f"skazal: «{q}»", with_parameters(request, "/search"), listed)


@router.get("/quotes")
def quotes_page(request: Request, window: Paged, query: Quotes):
    try:
        listed, problem = corpus(request).quote_list(query, window.limit, window.offset), None
    except StoreError as error:
        listed, problem = QuoteList(total=0, quotes=(), facets=()), str(error)
    first, last = window.offset + 1, window.offset + len(listed.quotes)
    pages = {
        "previous": here(request, offset=max(window.offset - window.limit, 0)) if window.offset else None,
        "next": here(request, offset=window.offset + window.limit) if last < listed.total else None,
    }
    return render(
        request, "quotes.html", "/api/quotes", listed=listed, query=query, first=first, last=last, pages=pages,
        chips=_chips(request, listed), facets={facet.name: facet for facet in listed.facets},
        choose=lambda name, value: here(request, offset=None, **{name: value}),
        sorted_by=lambda sort: here(request, offset=None, sort=None if sort == "newest" else sort),
        csv=with_parameters(request, "/api/quotes", format="csv"),
        feed=with_parameters(request, "/quotes/feed.atom"), problem=problem, status_code=400 if problem else 200,
    )


def _chips(request: Request, listed: QuoteList) -> list[dict]:
    """The filters given, each with the address of this list without it."""
    # With one speaker asked for, the speaker facet holds that person alone (by the fullest name).
    speaker = next((value.label for facet in listed.facets if facet.name == "speaker_id"
                    for value in facet.values if value.label), None)
    chips = []
    for name in FILTERS:
        value = request.query_params.get(name)
        if value is None:
            continue
        shown = (speaker or f"#{value}") if name == "speaker_id" else value
        remove = here(request, offset=None, **{name: None})
        chips.append({"name": name, "value": value, "shown": shown, "remove": remove})
    return chips


@router.get("/quotes/feed.atom", **FEED)
def quotes_feed(request: Request, window: Paged, query: Quotes):
    listed = corpus(request).quote_list(query, window.limit, window.offset, facets=False)
    return _feed(request, "skazal: " + strings(chosen(request))["quotes_list"].lower(),
                 with_parameters(request, "/quotes"), listed)


@router.get("/quotes/{id}")
def quote_page(request: Request, id: Id):
    view = corpus(request).quote(id)
    if view is None:
        raise HTTPException(status_code=404, detail=f"no quote with id {id}")
    return render(request, "quote.html", f"/api/quotes/{id}", view=view, quote=view.quote,
                  parts=context_parts(view))


def _feed(request: Request, title: str, page: str, listed: QuoteList):
    base = str(request.base_url)
    address = base + request.url.path.lstrip("/") + (f"?{request.url.query}" if request.url.query else "")
    return atom_feed(title, address, base + page.lstrip("/"), base, listed.quotes)


@router.get("/speakers/{id}")
def speaker_page(request: Request, window: Paged, id: Id):
    store = corpus(request)
    detail = store.speaker(id, window.scope)
    if detail is None:
        raise HTTPException(status_code=404, detail=f"no speaker with id {id}")
    timeline = store.quotes(scope=window.scope, speaker_id=id, offset=window.offset)
    return render(request, "speaker.html", f"/api/speakers/{id}", speaker=detail, quotes=timeline,
                  pages=_pages(request, window, len(timeline)), feed=f"/speakers/{id}/feed.atom",
                  listed=f"/quotes?speaker_id={id}")


@router.get("/speakers/{id}/feed.atom", **FEED)
def speaker_feed(request: Request, window: Paged, id: Id):
    store = corpus(request)
    detail = store.speaker(id, window.scope)
    if detail is None:
        raise HTTPException(status_code=404, detail=f"no speaker with id {id}")
    scope = window.scope
    query = QuoteQuery(speaker_id=id, outlet=scope.outlet, since=scope.since, until=scope.until)
    listed = store.quote_list(query, window.limit, window.offset, facets=False)
    return _feed(request, f"skazal: {detail.name}", f"/speakers/{id}", listed)


@router.get("/documents/{id}")
def document_page(request: Request, id: Id):
    view = corpus(request).document(id)
    if view is None:
        raise HTTPException(status_code=404, detail=f"no document with id {id}")
    speaker_ids = {quote.speaker_id for quote in view.quotes if quote.speaker_id is not None}
    return render(request, "document.html", f"/api/documents/{id}", document=view,
                  pieces=pieces(view.body, view.quotes, view.mentions), speaker_ids=speaker_ids)


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
        raise HTTPException(status_code=404, detail=f"no outlet with id {id}")
    latest = store.quotes(scope=Scope(outlet=detail.name, limit=HOME_QUOTES))
    return render(request, "outlet.html", f"/api/outlets/{id}", outlet=detail, quotes=latest,
                  pages=_pages(request, window, len(detail.speakers)))


async def error_page(request: Request, error: HTTPException):
    """Errors as JSON for the API, as a page for a person."""
    if request.url.path.startswith("/api") or request.url.path.startswith("/static"):
        return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=error.headers)
    return render(request, "error.html", "/openapi.json", status_code=error.status_code, problem=error.detail)
