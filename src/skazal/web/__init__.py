"""The web UI and REST API over the corpus store: `create_app(store)` for any ASGI server."""
from skazal.web.app import create_app

__all__ = ["create_app"]
