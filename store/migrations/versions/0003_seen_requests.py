"""requests already answered, shared by every replica

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 14:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "seen_request",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index("ix_seen_request_seen_at", "seen_request", ["seen_at"])


def downgrade() -> None:
    op.drop_index("ix_seen_request_seen_at", table_name="seen_request")
    op.drop_table("seen_request")
