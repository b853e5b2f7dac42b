"""who did what, and record versions

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-06

Every change a researcher makes on a shared library names them: the database
role on a server, the operating-system user for a file (``core.audit`` fills
these in). Entities carry a version that each update checks and bumps, so of
two concurrent edits the second is refused rather than lost.

Columns are added with defaults, so rows written before keep working (their
actor is empty: "before who-did-what was recorded").

On PostgreSQL, statement-level triggers NOTIFY channel ``dossier_desk`` with
the table's name whenever a transaction changes what the window shows, so
other researchers' windows refresh (delivered at commit, one per table).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def _who(name: str) -> sa.Column:
    return sa.Column(name, sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="")


NOTIFIED = ("article", "entity", "alias", "mention", "judgement", "history", "dossier", "dossier_item")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION dossier_desk_notify() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN PERFORM pg_notify('dossier_desk', TG_TABLE_NAME); RETURN NULL; END $$"
        )
        for table in NOTIFIED:
            op.execute(
                f"CREATE TRIGGER {table}_notify AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION dossier_desk_notify()"
            )
    with op.batch_alter_table("article") as batch:
        batch.add_column(_who("imported_by"))
    with op.batch_alter_table("entity") as batch:
        batch.add_column(_who("updated_by"))
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    with op.batch_alter_table("mention") as batch:
        batch.add_column(_who("decided_by"))
        batch.add_column(
            sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
    with op.batch_alter_table("judgement") as batch:
        batch.add_column(_who("actor"))
        batch.add_column(
            sa.Column("revoked_by", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )
    with op.batch_alter_table("dossier") as batch:
        batch.add_column(_who("updated_by"))
    with op.batch_alter_table("dossier_item") as batch:
        batch.add_column(_who("created_by"))
    with op.batch_alter_table("history") as batch:
        batch.add_column(_who("actor"))
        batch.add_column(
            sa.Column("undone_by", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in NOTIFIED:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_notify ON {table}")
        op.execute("DROP FUNCTION IF EXISTS dossier_desk_notify()")
    for table, columns in (
        ("history", ("undone_by", "actor")),
        ("dossier_item", ("created_by",)),
        ("dossier", ("updated_by",)),
        ("judgement", ("revoked_by", "actor")),
        ("mention", ("decided_at", "decided_by")),
        ("entity", ("version", "updated_by")),
        ("article", ("imported_by",)),
    ):
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.drop_column(column)
