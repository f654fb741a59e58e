"""The corpus tables, as the queries see them (the migrations create them).

A document is one address (its URL, or where it was read from); each changed body is a new
revision. Mentions, quotes and sources belong to the document's current revision. Entities are
shared across documents: one row per canonical name and type; the names of one person point at the
row of that person's fullest name (people.py), and quotes and mentions at the person. A document
read from a feed's text of an item (`feed_text`) stands in for its page until the page is fetched,
which replaces it as its next revision.
"""
from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

metadata = MetaData()

outlets = Table(
    "outlets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(255), nullable=False, unique=True),
)

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("address", Text, nullable=False, unique=True),
    Column("location", Text, nullable=False, index=True),
    Column("url", Text),
    Column("outlet_id", Integer, ForeignKey("outlets.id"), index=True),
    Column("content_hash", String(64), nullable=False, index=True),
    Column("duplicate_of", Integer, ForeignKey("documents.id")),
    Column("revision", Integer, nullable=False),
    Column("title", Text),
    Column("published", String(40)),
    Column("day", String(10), index=True),
    Column("author", Text),
    Column("rubric", Text),
    Column("fetched_at", String(40)),
    Column("saved_at", String(40), nullable=False),
    Column("feed_text", Boolean, nullable=False, server_default=false()),
)

revisions = Table(
    "revisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("content_hash", String(64), nullable=False, index=True),
    Column("title", Text),
    Column("published", String(40)),
    Column("body", Text, nullable=False),
    Column("fetched_at", String(40)),
    Column("saved_at", String(40), nullable=False),
    UniqueConstraint("document_id", "number"),
)

entities = Table(
    "entities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", String(8), nullable=False),
    # The person this name belongs to (the id of the person's fullest name; its own id for one).
    Column("person_id", Integer, index=True),
    # What a person's names are grouped by (folded); NULL for other entities and unreadable names.
    Column("surname", String(255), index=True),
    # How many documents name it, as an entity or a speaker: which person a bare surname joins.
    Column("documents", Integer, nullable=False, server_default="0"),
    UniqueConstraint("type", "name"),
)

entity_aliases = Table(
    "entity_aliases",
    metadata,
    Column("entity_id", Integer, ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
    Column("alias", Text, primary_key=True),
)

entity_terms = Table(
    "entity_terms",
    metadata,
    Column("entity_id", Integer, ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
    Column("term", String(255), primary_key=True),
    Index("ix_entity_terms_term", "term"),
)

mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("entity_id", Integer, ForeignKey("entities.id"), nullable=False, index=True),  # the person
    Column("name_id", Integer),  # the entity as the page named it
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("part", String(40), nullable=False),
)

quotes = Table(
    "quotes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("outlet_id", Integer, ForeignKey("outlets.id")),
    Column("day", String(10)),
    Column("speaker_id", Integer, ForeignKey("entities.id")),  # the person
    Column("speaker_name_id", Integer),  # the speaker as the page named them
    Column("speaker_role", Text),
    Column("kind", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("cue_lemma", Text),
    Column("cue_form", Text),
    Column("cue_start", Integer),
    Column("cue_end", Integer),
    Column("anonymous_description", Text),
    Column("confidence", Float, nullable=False),
    Column("nested", Boolean, nullable=False),
    Index("ix_quotes_speaker_day", "speaker_id", "day"),
    # Covers counting a speaker's quotes per outlet (documents, first and last day) without reading rows.
    Index("ix_quotes_speaker_outlet", "speaker_id", "outlet_id", "document_id", "day"),
    Index("ix_quotes_day", "day"),
    Index("ix_quotes_outlet_day", "outlet_id", "day"),
)

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("phrase", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)

# One row per quote and per document body; `lemmas` is what the full-text index (FTS5 on SQLite,
# a tsvector column on PostgreSQL, see dialects.py) is built from.
search_entries = Table(
    "search_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("quote_id", Integer, ForeignKey("quotes.id", ondelete="CASCADE")),
    Column("lemmas", Text, nullable=False),
    # Copies of the document's, so that a search narrowed to an outlet or days needs no join.
    Column("outlet_id", Integer),
    Column("day", String(10)),
    Index("ix_search_entries_outlet_id", "outlet_id", "id"),
)

failures = Table(
    "failures",
    metadata,
    Column("location", Text, primary_key=True),
    Column("reason", Text, nullable=False),
    Column("at", String(40), nullable=False),
)
