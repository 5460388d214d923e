"""one spelling per seat name

Seats that share a name across boundary reviews (two ONS IDs, two rows) took each their own general
election's spelling ("Stoke-On-Trent Central" for 2010-2019, "Stoke-on-Trent Central" from 2024).
Every such row now takes the newest general election's spelling, in the Library's current style, as the
recorder keeps them from now on (store.names.SeatSpellings). Data only; nothing to undo.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 15:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

from store.names import SeatSpellings

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

constituency = sa.table("constituency", sa.column("id", sa.Integer), sa.column("name", sa.String))
contest = sa.table("contest", sa.column("constituency_id", sa.Integer), sa.column("election_id", sa.Integer))
election = sa.table("election", sa.column("id", sa.Integer), sa.column("kind", sa.String), sa.column("date", sa.Date))


def upgrade() -> None:
    bind = op.get_bind()
    newest_general = (
        sa.select(contest.c.constituency_id, sa.func.max(election.c.date).label("spelt_at"))
        .join(election, election.c.id == contest.c.election_id)
        .where(election.c.kind == "general")
        .group_by(contest.c.constituency_id)
        .subquery()
    )
    seats = bind.execute(
        sa.select(constituency.c.id, constituency.c.name, newest_general.c.spelt_at).outerjoin(
            newest_general, newest_general.c.constituency_id == constituency.c.id
        )
    ).all()
    spellings = SeatSpellings()
    for _, name, spelt_at in seats:
        spellings.spell(name, spelt_at)
    for seat_id, name, _ in seats:
        spelling = spellings.spell(name)
        if spelling != name:
            bind.execute(constituency.update().where(constituency.c.id == seat_id).values(name=spelling))


def downgrade() -> None:
    pass
