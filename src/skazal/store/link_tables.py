"""The tables of cross-outlet linking, as the queries see them (migration 0007 creates them).

A linking run is saved whole: its stories, the articles of each, its utterances and every
occurrence of each. The ids are the linker's, made from content (a story's from its first article's
URL, an utterance's from its reference wording), so linking the same corpus again gives the same ids.
"""
from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from skazal.store.schema import metadata

stories = Table(
    "stories",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("title", Text, nullable=False),
    Column("articles", Integer, nullable=False),
    Column("outlets", Integer, nullable=False),
    Column("first_published", String(40), index=True),
)

story_articles = Table(
    "story_articles",
    metadata,
    Column("story_id", String(40), ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("url", Text, nullable=False),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="SET NULL"), index=True),
)

utterances = Table(
    "utterances",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("speaker", Text, nullable=False),
    Column("story_id", String(40), ForeignKey("stories.id", ondelete="SET NULL"), index=True),
    Column("reference", Text, nullable=False),
    Column("origin", Text),  # the outlet the first printing says it took the words from
    Column("occurrences", Integer, nullable=False),
    Column("outlets", Integer, nullable=False),
    Column("altered", Integer, nullable=False),  # occurrences whose meaning changed
    Column("first_published", String(40), index=True),
)

occurrences = Table(
    "occurrences",
    metadata,
    Column("utterance_id", String(40), ForeignKey("utterances.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("url", Text, nullable=False),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="SET NULL"), index=True),
    # the extractor's quote this is, when it is one (a printing found again in its story is not)
    Column("quote_id", Integer, ForeignKey("quotes.id", ondelete="SET NULL"), index=True),
    Column("outlet", Text),
    Column("published", String(40)),
    Column("time_precision", String(8)),
    Column("kind", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("relation", String(20), nullable=False),
    Column("meaning_altered", Boolean, nullable=False),
    Column("first", Boolean, nullable=False),
    Column("tied_first", Boolean, nullable=False),
    Column("cites", Text),
    Column("changes", Text, nullable=False),  # JSON list: what changed the meaning
    Column("differing", Text, nullable=False),  # JSON list of [same|added|dropped, words] against the reference
    Index("ix_occurrences_altered", "meaning_altered", "published"),
)
