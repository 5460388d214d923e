"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25 13:23:30.067933
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "constituency",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ons_id", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("region", sa.String(length=80), nullable=True),
        sa.Column("country", sa.String(length=40), nullable=True),
        sa.Column("county", sa.String(length=80), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ons_id"),
    )
    with op.batch_alter_table("constituency", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_constituency_name"), ["name"], unique=False)

    op.create_table(
        "election",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("boundary_set", sa.String(length=8), nullable=False),
        sa.Column("parliament", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "date", "boundary_set", name="uq_election_kind_date_boundaries"),
    )
    with op.batch_alter_table("election", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_election_date"), ["date"], unique=False)

    op.create_table(
        "party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("abbreviation", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("ec_id", sa.String(length=16), nullable=True),
        sa.Column("mnis_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("abbreviation"),
    )
    op.create_table(
        "contest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.Integer(), nullable=False),
        sa.Column("constituency_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("electorate", sa.Integer(), nullable=True),
        sa.Column("valid_votes", sa.Integer(), nullable=True),
        sa.Column("invalid_votes", sa.Integer(), nullable=True),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("stated_result", sa.String(length=80), nullable=True),
        sa.Column("stated_majority", sa.Integer(), nullable=True),
        sa.Column("entered_by", sa.String(length=80), nullable=True),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["constituency_id"],
            ["constituency.id"],
        ),
        sa.ForeignKeyConstraint(
            ["election_id"],
            ["election.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("election_id", "constituency_id", "version", name="uq_contest_version"),
    )
    with op.batch_alter_table("contest", schema=None) as batch_op:
        batch_op.create_index("ix_contest_current", ["constituency_id", "is_current"], unique=False)

    op.create_table(
        "candidacy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contest_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("candidate_name", sa.String(length=160), nullable=True),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("party_label", sa.String(length=160), nullable=True),
        sa.Column("votes", sa.Integer(), nullable=True),
        sa.Column("elected", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["contest_id"], ["contest.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["party.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("candidacy", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_candidacy_contest_id"), ["contest_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("candidacy", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidacy_contest_id"))

    op.drop_table("candidacy")
    with op.batch_alter_table("contest", schema=None) as batch_op:
        batch_op.drop_index("ix_contest_current")

    op.drop_table("contest")
    op.drop_table("party")
    with op.batch_alter_table("election", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_election_date"))

    op.drop_table("election")
    with op.batch_alter_table("constituency", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_constituency_name"))

    op.drop_table("constituency")
