"""`skazal serve`: the web UI and REST API over the corpus store."""
from __future__ import annotations

import argparse
import os
from functools import partial

from skazal.cli.corpus_commands import example, on_store, reading_store
from skazal.store import Store, open_store
from skazal.store.connect import ENVIRONMENT_VARIABLE


def register(subparsers) -> None:
    serve = subparsers.add_parser(
        "serve", help="the web UI and REST API over the corpus",
        description="Serve the corpus: pages at /, the API at /api (docs at /docs). Read-only unless "
                    "$SKAZAL_TOKEN is set: then POST /api/documents with that Bearer token ingests a page.",
        epilog=example("skazal serve --db news.db --port 8001   # then open http://127.0.0.1:8001/quotes"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument("--db", metavar="URL", help="path or database URL (default: $SKAZAL_DB, else skazal.db)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    serve.add_argument("--workers", type=int, default=1,
                       help="processes answering requests (default 1); one Python process uses one core")
    serve.set_defaults(run=run_serve)


def run_serve(args) -> int:
    from skazal.web.app import TOKEN_VARIABLE

    token = os.environ.get(TOKEN_VARIABLE) or None
    opener = partial(served_store, writable=bool(token))
    return on_store(args.db, lambda store: _serve(store, args, token), opener=opener)


def served_store(url: str | None, writable: bool = False) -> Store:
    """The store `serve` answers from: opened read-only (a missing SQLite file is an error, never
    created) unless pages may be ingested over HTTP."""
    if writable:
        return open_store(url)
    return reading_store(url)


def app_from_environment():
    """The app over $SKAZAL_DB with $SKAZAL_TOKEN, as each worker process of a server builds it."""
    from skazal.web.app import TOKEN_VARIABLE, create_app

    token = os.environ.get(TOKEN_VARIABLE) or None
    store = served_store(None, writable=bool(token))
    warm_up(store)
    return create_app(store, token=token)


def warm_up(store: Store) -> None:
    """Before the first request, what the first searches would otherwise wait for: pymorphy3's dictionaries
    and the index pages on disk (read ahead in the background)."""
    from skazal.store.dialects import warm_up as read_indexes_ahead
    from skazal.store.lemmas import lemma

    lemma("сказал")
    with store.engine.connect() as connection:
        read_indexes_ahead(connection)


def _serve(store: Store, args, token: str | None) -> None:
    import uvicorn

    from skazal.web.app import create_app

    if args.workers <= 1:
        warm_up(store)
        uvicorn.run(create_app(store, token=token), host=args.host, port=args.port, log_level="info")
        return
    # Each worker process opens the store itself: it is named to them through the environment.
    if args.db:
        os.environ[ENVIRONMENT_VARIABLE] = args.db
    uvicorn.run("skazal.cli.serve_command:app_from_environment", factory=True, workers=args.workers,
                host=args.host, port=args.port, log_level="info")
