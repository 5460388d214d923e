"""feed files taken: every PA file read, the seat it named, its revision and what PA stated

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-03 17:15:00

0005 and 0006 are other branches' numbers: whoever merges chains this after the last of them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feed_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("election_id", sa.Integer(), nullable=False),
        sa.Column("constituency_id", sa.Integer(), nullable=False),
        sa.Column("feed_seat_number", sa.Integer(), nullable=True),
        sa.Column("feed_seat_name", sa.String(length=120), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("contest_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("disagreements", sa.Text(), nullable=True),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["election_id"], ["election.id"]),
        sa.ForeignKeyConstraint(["constituency_id"], ["constituency.id"]),
        sa.ForeignKeyConstraint(["contest_id"], ["contest.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("election_id", "constituency_id", "kind", "revision", name="uq_feed_file_revision"),
    )
    op.create_index("ix_feed_file_name", "feed_file", ["name"])
    op.create_index("ix_feed_file_contest_id", "feed_file", ["contest_id"])


def downgrade() -> None:
    op.drop_index("ix_feed_file_contest_id", table_name="feed_file")
    op.drop_index("ix_feed_file_name", table_name="feed_file")
    op.drop_table("feed_file")
