"""The corpus store: ingested pages in SQLite or PostgreSQL, and the queries over them."""
from skazal.store.connect import StoreError
from skazal.store.interface import Store, open_store

__all__ = ["Store", "StoreError", "open_store"]
