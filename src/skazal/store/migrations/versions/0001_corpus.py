"""The corpus: outlets, documents and revisions, entities, mentions, quotes, sources, failures, search.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

from skazal.store.dialects import FULL_TEXT_CREATE, FULL_TEXT_DROP

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outlets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(255), nullable=False, unique=True),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("address", sa.Text, nullable=False, unique=True),
        sa.Column("location", sa.Text, nullable=False, index=True),
        sa.Column("url", sa.Text),
        sa.Column("outlet_id", sa.Integer, sa.ForeignKey("outlets.id")),
        sa.Column("content_hash", sa.String(64), nullable=False, index=True),
        sa.Column("duplicate_of", sa.Integer, sa.ForeignKey("documents.id")),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.String(40)),
        sa.Column("day", sa.String(10), index=True),
        sa.Column("author", sa.Text),
        sa.Column("rubric", sa.Text),
        sa.Column("fetched_at", sa.String(40)),
        sa.Column("saved_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False, index=True),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.String(40)),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("fetched_at", sa.String(40)),
        sa.Column("saved_at", sa.String(40), nullable=False),
        sa.UniqueConstraint("document_id", "number"),
    )
    op.create_table(
        "entities",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("type", sa.String(8), nullable=False),
        sa.UniqueConstraint("type", "name"),
    )
    op.create_table(
        "entity_aliases",
        sa.Column("entity_id", sa.Integer, sa.ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("alias", sa.Text, primary_key=True),
    )
    op.create_table(
        "entity_terms",
        sa.Column("entity_id", sa.Integer, sa.ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("term", sa.String(255), primary_key=True),
    )
    op.create_index("ix_entity_terms_term", "entity_terms", ["term"])
    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("entity_id", sa.Integer, sa.ForeignKey("entities.id"), nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("part", sa.String(40), nullable=False),
    )
    op.create_index("ix_mentions_document_id", "mentions", ["document_id"])
    op.create_index("ix_mentions_entity_id", "mentions", ["entity_id"])
    op.create_table(
        "quotes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("outlet_id", sa.Integer, sa.ForeignKey("outlets.id")),
        sa.Column("day", sa.String(10)),
        sa.Column("speaker_id", sa.Integer, sa.ForeignKey("entities.id")),
        sa.Column("speaker_role", sa.Text),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("cue_lemma", sa.Text),
        sa.Column("cue_form", sa.Text),
        sa.Column("cue_start", sa.Integer),
        sa.Column("cue_end", sa.Integer),
        sa.Column("anonymous_description", sa.Text),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("nested", sa.Boolean, nullable=False),
    )
    op.create_index("ix_quotes_document_id", "quotes", ["document_id"])
    op.create_index("ix_quotes_speaker_day", "quotes", ["speaker_id", "day"])
    op.create_index("ix_quotes_day", "quotes", ["day"])
    op.create_index("ix_quotes_outlet_day", "quotes", ["outlet_id", "day"])
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("phrase", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
    )
    op.create_index("ix_sources_document_id", "sources", ["document_id"])
    op.create_table(
        "search_entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("quote_id", sa.Integer, sa.ForeignKey("quotes.id", ondelete="CASCADE")),
        sa.Column("lemmas", sa.Text, nullable=False),
    )
    op.create_index("ix_search_entries_document_id", "search_entries", ["document_id"])
    op.create_table(
        "failures",
        sa.Column("location", sa.Text, primary_key=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
    )
    for statement in FULL_TEXT_CREATE[op.get_bind().dialect.name]:
        op.execute(statement)


def downgrade() -> None:
    for statement in FULL_TEXT_DROP[op.get_bind().dialect.name]:
        op.execute(statement)
    for name in (
        "failures",
        "search_entries",
        "sources",
        "quotes",
        "mentions",
        "entity_terms",
        "entity_aliases",
        "entities",
        "revisions",
        "documents",
        "outlets",
    ):
        op.drop_table(name)
