"""channel follows: what each Slack channel follows (all, gains, a seat, a nation, a region, a party)

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-03 17:50:00

Revision IDs are names, not an order: the chain is 0004 -> 0007 (feed files) -> 0005 (live
scoreboard) -> 0008, as the branches landed.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "channel_follow",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("target", sa.String(length=120), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("election_kind", sa.String(length=16), nullable=True),
        sa.Column("added_by", sa.String(length=32), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_channel_follow_channel", "channel_follow", ["channel"])


def downgrade() -> None:
    op.drop_index("ix_channel_follow_channel", table_name="channel_follow")
    op.drop_table("channel_follow")
