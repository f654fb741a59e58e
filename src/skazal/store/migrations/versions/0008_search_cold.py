"""Quotes' facet columns in one narrow index, and statistics for the planner.

The quote list counts its facets (kind, outlet, speaker, month) over the filtered quotes; without an
index holding those columns, counting by kind read every quote row, text and all. ANALYZE gives both
planners the statistics of the tables as they stand: an SQLite store had none at all, whatever its
size, and PostgreSQL's autovacuum analyses a bulk-loaded table only some time later.

Revision ID: 0008
Revises: 0007
"""
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_quotes_facets", "quotes", ["kind", "outlet_id", "speaker_id", "day"])
    op.execute("ANALYZE")


def downgrade() -> None:
    op.drop_index("ix_quotes_facets", table_name="quotes")
