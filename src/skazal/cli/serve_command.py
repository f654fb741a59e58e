"""`skazal serve`: the web UI and REST API over the corpus store."""
from __future__ import annotations

import os

from skazal.cli.corpus_commands import on_store
from skazal.store import Store

TOKEN_VARIABLE = "SKAZAL_TOKEN"


def register(subparsers) -> None:
    serve = subparsers.add_parser(
        "serve", help="the web UI and REST API over the corpus",
        description="Serve the corpus: pages at /, the API at /api (docs at /docs). Read-only unless "
                    f"${TOKEN_VARIABLE} is set: then POST /api/documents with that Bearer token ingests a page.",
    )
    serve.add_argument("--db", metavar="URL", help="path or database URL (default: $SKAZAL_DB, else skazal.db)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    serve.set_defaults(run=run_serve)


def run_serve(args) -> int:
    return on_store(args.db, lambda store: _serve(store, args))


def _serve(store: Store, args) -> None:
    import uvicorn

    from skazal.web import create_app

    app = create_app(store, token=os.environ.get(TOKEN_VARIABLE) or None)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
