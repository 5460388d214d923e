"""state of parties: the latest PA state of parties of each general election, each party's seats as stated

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 19:55:00

Chained after 0009 (digests) when the branches were merged.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "state_of_parties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("results", sa.Integer(), nullable=False),
        sa.Column("stated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["election_id"], ["election.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("election_id"),
    )
    op.create_table(
        "state_of_parties_seats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("party", sa.String(length=24), nullable=False),
        sa.Column("pa_abbreviation", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=True),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["state_id"], ["state_of_parties.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_state_of_parties_seats_state_id", "state_of_parties_seats", ["state_id"])


def downgrade() -> None:
    op.drop_index("ix_state_of_parties_seats_state_id", table_name="state_of_parties_seats")
    op.drop_table("state_of_parties_seats")
    op.drop_table("state_of_parties")
