"""Search entries carry their document's outlet and day, so a search narrowed to an outlet or days
reads one index instead of joining every match to its document.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

COPIED = ("outlet_id", "day")


def upgrade() -> None:
    op.add_column("search_entries", sa.Column("outlet_id", sa.Integer))
    op.add_column("search_entries", sa.Column("day", sa.String(10)))
    for name in COPIED:
        op.execute(
            f"UPDATE search_entries SET {name} = "
            f"(SELECT documents.{name} FROM documents WHERE documents.id = search_entries.document_id)"
        )
    op.create_index("ix_search_entries_outlet_id", "search_entries", ["outlet_id", "id"])
    if op.get_bind().dialect.name == "postgresql":
        # Without statistics on the new columns the planner guesses, and a guess can cost a scan.
        op.execute("ANALYZE search_entries")


def downgrade() -> None:
    op.drop_index("ix_search_entries_outlet_id", table_name="search_entries")
    for name in reversed(COPIED):
        op.drop_column("search_entries", name)
