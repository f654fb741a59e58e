"""A speaker's quotes counted per outlet from one index: a speaker page reads no quote rows.

Revision ID: 0004
Revises: 0003
"""
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_quotes_speaker_outlet", "quotes", ["speaker_id", "outlet_id", "document_id", "day"])


def downgrade() -> None:
    op.drop_index("ix_quotes_speaker_outlet", table_name="quotes")
