"""The HTML pages: server-rendered, readable without JavaScript, each linking to its JSON twin."""
from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates

from skazal.store import Scope, Store, StoreError
from skazal.web.api import found
from skazal.web.language import LANGUAGES, chosen, counted, same_origin, strings
from skazal.web.marking import pieces, snippet_parts, without_bidi_controls
from skazal.web.params import MAX_TEXT, TEXT, Id, Paged, Window, corpus

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
templates = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")
templates.env.finalize = without_bidi_controls
HOME_QUOTES, WEEK_SPEAKERS, OUTLET_SPEAKERS = 10, 10, 3
# The pages run no inline script and load nothing from elsewhere: markup that slipped past
# escaping still could not run.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                               "form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def render(request: Request, template: str, twin: str, status_code: int = 200, **context) -> HTMLResponse:
    """A page in the chosen language; `twin` is the API address of the same data."""
    language = chosen(request)
    other = next(code for code in LANGUAGES if code != language)
    return templates.TemplateResponse(
        request, template,
        {"t": strings(language), "counted": partial(counted, language), "lang": language,
         "switch": here(request, lang=other), "twin": twin, **context},
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
    """This page's path and query, with some parameters changed."""
    query = dict(request.query_params) | {name: str(value) for name, value in changes.items()}
    return same_origin(request.url.path) + "?" + urlencode(query)


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
    twin = "/api/search?" + urlencode({"q": q})
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
                  pages=_pages(request, window, len(hits)))


@router.get("/speakers/{id}")
def speaker_page(request: Request, window: Paged, id: Id):
    store = corpus(request)
    detail = store.speaker(id, window.scope)
    if detail is None:
        raise HTTPException(status_code=404, detail=f"no speaker with id {id}")
    timeline = store.quotes(scope=window.scope, speaker_id=id, offset=window.offset)
    return render(request, "speaker.html", f"/api/speakers/{id}", speaker=detail, quotes=timeline,
                  pages=_pages(request, window, len(timeline)))


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
