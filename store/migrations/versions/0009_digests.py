"""digests: whether an outbox entry keeps its own post, and whether it went out in a digest

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 19:50:00

`own_post`: decided when the entry is queued (a gain, a seat the channel follows by name, or a later
stage or correction of a seat already shown there); only entries without it may be folded into a
digest when their channel falls behind. Entries queued before this revision keep their own post, as
they would have. `in_digest`: the entry was delivered as one line of a digest, so its `message_ts`
is the digest's and no correction edits it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("own_post", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("in_digest", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("in_digest")
        batch.drop_column("own_post")
