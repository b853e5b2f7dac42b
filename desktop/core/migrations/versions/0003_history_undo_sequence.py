"""history: the order of undos as a sequence, not a time

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06

``redo`` re-applies the most recently undone change. It used to pick it by
``undone_at``, the wall clock, so a clock set back between two undos made it
pick the wrong one and refuse. ``undo_seq`` numbers undos in the order they
happen; entries already undone get numbers in their old ``undone_at`` order.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("history") as batch:
        batch.add_column(sa.Column("undo_seq", sa.Integer(), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(
        sa.text("SELECT id FROM history WHERE undone_at IS NOT NULL ORDER BY undone_at, id")
    ).fetchall()
    for seq, (history_id,) in enumerate(rows, start=1):
        conn.execute(
            sa.text("UPDATE history SET undo_seq = :seq WHERE id = :id"),
            {"seq": seq, "id": history_id},
        )


def downgrade() -> None:
    with op.batch_alter_table("history") as batch:
        batch.drop_column("undo_seq")
