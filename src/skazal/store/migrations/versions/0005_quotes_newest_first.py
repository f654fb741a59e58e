"""Quotes indexed newest first on PostgreSQL, so the latest quotes of a speaker, an outlet or the
whole corpus are read from an index rather than sorted (see dialects.NEWEST_FIRST_CREATE).

Revision ID: 0005
Revises: 0004
"""
from alembic import op

from skazal.store.dialects import NEWEST_FIRST_CREATE, NEWEST_FIRST_DROP

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for statement in NEWEST_FIRST_CREATE[op.get_bind().dialect.name]:
        op.execute(statement)


def downgrade() -> None:
    for statement in NEWEST_FIRST_DROP[op.get_bind().dialect.name]:
        op.execute(statement)
