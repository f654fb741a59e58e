"""`skazal serve`: the web UI and REST API over the corpus store."""
from __future__ import annotations

import os
import sys

from sqlalchemy.exc import OperationalError

from skazal.errors import SkazalError
from skazal.store import open_store

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
    import uvicorn

    from skazal.web import create_app

    try:
        store = open_store(args.db)
        store.check_schema()
    except SkazalError as error:
        print(f"skazal: {error}", file=sys.stderr)
        return 1
    except OperationalError as error:
        print(f"skazal: cannot use the database: {error.orig}", file=sys.stderr)
        return 1
    with store:
        app = create_app(store, token=os.environ.get(TOKEN_VARIABLE) or None)
        uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0
