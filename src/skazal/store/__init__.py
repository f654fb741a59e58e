"""The corpus store: ingested pages in SQLite or PostgreSQL, and the queries over them."""
from skazal.store.connect import StoreError
from skazal.store.interface import Store, open_store
from skazal.store.queries import CorpusStats, Scope, SpeakerCount, StoredQuote
from skazal.store.search import SearchHit

__all__ = ["CorpusStats", "Scope", "SearchHit", "SpeakerCount", "Store", "StoreError", "StoredQuote", "open_store"]
