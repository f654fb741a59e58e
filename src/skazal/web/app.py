"""The application: the store, the API and page routes, static files, and errors turned into 4xx answers."""
from __future__ import annotations

import json
import os
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException

from skazal.errors import SkazalError
from skazal.search_syntax import UnsupportedSearch
from skazal.store import Store, StoreError, open_store
from skazal.web import api, documents_in, link_api, link_pages, pages
from skazal.web.language import remember_language
from skazal.web.params import BlankFieldsDropped

STATIC = Path(__file__).resolve().parent / "static"
TOKEN_VARIABLE = "SKAZAL_TOKEN"


def create_app(store: Store, token: str | None = None) -> FastAPI:
    """The web app over `store`; with `token`, pages can also be ingested by POST /api/documents."""
    app = FastAPI(
        title="skazal",
        summary="Who said what, when, according to whom, in Russian-language news",
        version="0.1.0",
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store
    app.include_router(api.router)
    app.include_router(link_api.router)
    if token:
        app.state.token = token
        app.include_router(documents_in.router)
    app.include_router(pages.router)
    app.include_router(link_pages.router)
    app.get("/docs", include_in_schema=False)(_docs)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.middleware("http")(remember_language)
    app.add_middleware(BlankFieldsDropped)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(StoreError, _bad_request)
    app.add_exception_handler(UnsupportedSearch, _bad_request)
    app.add_exception_handler(OperationalError, _store_unavailable)
    app.add_exception_handler(HTTPException, pages.error_page)
    return app


def from_environment() -> FastAPI:
    """The app over $SKAZAL_DB, with $SKAZAL_TOKEN: what each worker process of a server builds."""
    return create_app(open_store(), token=os.environ.get(TOKEN_VARIABLE) or None)


def _docs() -> HTMLResponse:
    # The API explorer's scripts are served from here (scripts/install-web-assets), not from a CDN.
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="skazal API",
        swagger_js_url="/static/vendor/swagger-ui-bundle.js",
        swagger_css_url="/static/vendor/swagger-ui.css",
        swagger_favicon_url="/static/favicon.svg",
    )


class _EscapedJSON(JSONResponse):
    # A refused request is echoed back, and it may hold lone surrogates ("\ud800") that UTF-8
    # cannot carry: written as \u escapes they are still valid JSON.
    def render(self, content) -> bytes:
        return json.dumps(content, ensure_ascii=True, separators=(",", ":")).encode("ascii")


async def _invalid_request(request: Request, error: RequestValidationError):
    """The API's 422 with every reason; for a person, a page saying in words which parameter is wrong."""
    if request.url.path.startswith("/api"):
        return _EscapedJSON({"detail": jsonable_encoder(error.errors())}, status_code=422)
    problem = "; ".join(f"{'.'.join(map(str, item['loc'][1:])) or item['loc'][0]}: {item['msg']}"
                        for item in error.errors())
    return pages.render(request, "error.html", "/openapi.json", status_code=400, problem=problem)


async def _bad_request(_request: Request, error: SkazalError) -> JSONResponse:
    return JSONResponse({"detail": str(error)}, status_code=400)


async def _store_unavailable(_request: Request, error: OperationalError) -> JSONResponse:
    return JSONResponse({"detail": f"the corpus database cannot be read: {error.orig}"}, status_code=503)
