"""full-text index over article title and body

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

An external-content FTS5 table: the text lives once, in ``article``; triggers keep
the index in step with inserts, updates and deletes. Articles that an older
database already holds are indexed by the ``rebuild`` command.

On PostgreSQL (a team library) the same search is a generated ``tsvector``
column with a GIN index: the server keeps it in step by itself.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # 'simple': words as written, lower-cased, no stemming, like FTS5's unicode61.
        op.execute(
            "ALTER TABLE article ADD COLUMN fts tsvector GENERATED ALWAYS AS ("
            "to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(body, ''))) STORED"
        )
        op.execute("CREATE INDEX ix_article_fts ON article USING gin (fts)")
        return
    op.execute(
        "CREATE VIRTUAL TABLE article_fts USING fts5("
        "title, body, content='article', content_rowid='id', "
        # remove_diacritics 2 lets "Kashmir" match "Kashmīr" in transliterated text.
        "tokenize='unicode61 remove_diacritics 2')"
    )
    op.execute(
        "CREATE TRIGGER article_fts_ai AFTER INSERT ON article BEGIN "
        "INSERT INTO article_fts(rowid, title, body) VALUES (new.id, new.title, new.body); "
        "END"
    )
    op.execute(
        "CREATE TRIGGER article_fts_ad AFTER DELETE ON article BEGIN "
        "INSERT INTO article_fts(article_fts, rowid, title, body) "
        "VALUES ('delete', old.id, old.title, old.body); "
        "END"
    )
    op.execute(
        "CREATE TRIGGER article_fts_au AFTER UPDATE OF title, body ON article BEGIN "
        "INSERT INTO article_fts(article_fts, rowid, title, body) "
        "VALUES ('delete', old.id, old.title, old.body); "
        "INSERT INTO article_fts(rowid, title, body) VALUES (new.id, new.title, new.body); "
        "END"
    )
    op.execute("INSERT INTO article_fts(article_fts) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_article_fts")
        op.execute("ALTER TABLE article DROP COLUMN IF EXISTS fts")
        return
    for trigger in ("article_fts_ai", "article_fts_ad", "article_fts_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS article_fts")
