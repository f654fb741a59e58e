"""Cross-outlet linking: stories and their articles, utterances and every occurrence of each
(see link_tables.py).

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("articles", sa.Integer, nullable=False),
        sa.Column("outlets", sa.Integer, nullable=False),
        sa.Column("first_published", sa.String(40), index=True),
    )
    op.create_table(
        "story_articles",
        sa.Column("story_id", sa.String(40), sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="SET NULL"), index=True),
    )
    op.create_table(
        "utterances",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("speaker", sa.Text, nullable=False),
        sa.Column("story_id", sa.String(40), sa.ForeignKey("stories.id", ondelete="SET NULL"), index=True),
        sa.Column("reference", sa.Text, nullable=False),
        sa.Column("origin", sa.Text),
        sa.Column("occurrences", sa.Integer, nullable=False),
        sa.Column("outlets", sa.Integer, nullable=False),
        sa.Column("altered", sa.Integer, nullable=False),
        sa.Column("first_published", sa.String(40), index=True),
    )
    op.create_table(
        "occurrences",
        sa.Column("utterance_id", sa.String(40), sa.ForeignKey("utterances.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="SET NULL"), index=True),
        sa.Column("quote_id", sa.Integer, sa.ForeignKey("quotes.id", ondelete="SET NULL"), index=True),
        sa.Column("outlet", sa.Text),
        sa.Column("published", sa.String(40)),
        sa.Column("time_precision", sa.String(8)),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("relation", sa.String(20), nullable=False),
        sa.Column("meaning_altered", sa.Boolean, nullable=False),
        sa.Column("first", sa.Boolean, nullable=False),
        sa.Column("tied_first", sa.Boolean, nullable=False),
        sa.Column("cites", sa.Text),
        sa.Column("changes", sa.Text, nullable=False),
        sa.Column("differing", sa.Text, nullable=False),
    )
    op.create_index("ix_occurrences_altered", "occurrences", ["meaning_altered", "published"])


def downgrade() -> None:
    op.drop_table("occurrences")
    op.drop_table("utterances")
    op.drop_table("story_articles")
    op.drop_table("stories")
