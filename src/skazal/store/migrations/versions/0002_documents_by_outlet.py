"""Documents indexed by outlet, for searches and counts narrowed to one outlet.

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_documents_outlet_id", "documents", ["outlet_id"])


def downgrade() -> None:
    op.drop_index("ix_documents_outlet_id", table_name="documents")
