"""The team backend: one library in a PostgreSQL database that several
researchers open at once, each as their own database role.

- Connections go through psycopg 3 (SQLAlchemy's ``postgresql+psycopg``). TLS is
  required and the server's certificate checked (``sslmode=verify-full``)
  unless the server is this machine (loopback), where ``prefer`` is the
  default; an ``sslmode`` in the address overrides both.
- Passwords come from the caller (a prompt or a password file) or from libpq's
  own ``~/.pgpass``; never from the address.
- A client never changes a server's schema on its own: opening a server with an
  older schema says which version it has and which is needed, and an
  administrator runs ``dossier-desk --db URL migrate``, which upgrades under an
  advisory lock so two admins cannot run it at once.
- Full-text search is a generated ``tsvector`` column with a GIN index
  (migration 0002); identity changes take a transaction-scoped advisory lock
  per entity cluster; changes are announced with NOTIFY.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session

from desktop.core.backend import ServerLocation
from desktop.core.errors import (
    ConcurrentChangeError,
    DatabaseError,
    PasswordRequiredError,
    SchemaTooNewError,
    SchemaUpgradeNeededError,
    ServerError,
)

# Advisory-lock namespaces (the first of the two int4 keys).
MIGRATION_LOCK = 0x4D494752  # "MIGR"
# Group roles a server administrator creates (README, "Team libraries"); each
# researcher's login role is a member of one. migrate grants them what the app
# needs on every table it has made, and no more.
READER_ROLE = "dossier_reader"
EDITOR_ROLE = "dossier_editor"
GRANTS = f"""
DO $grants$
DECLARE s text := current_schema();
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{READER_ROLE}') THEN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO {READER_ROLE}', s);
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO {READER_ROLE}', s);
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{EDITOR_ROLE}') THEN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO {EDITOR_ROLE}', s);
    EXECUTE format(
      'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO {EDITOR_ROLE}', s);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO {EDITOR_ROLE}', s);
    -- The schema version is the administrator's; judgements are append-only.
    REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {EDITOR_ROLE};
    REVOKE DELETE ON judgement FROM {EDITOR_ROLE};
  END IF;
END
$grants$
"""
IDENTITY_LOCK = 0x49444E54  # "IDNT"
NAMES_LOCK = 0x4E414D45  # "NAME"
# SQLSTATEs of a transaction that lost a race and may simply run again.
RETRYABLE = ("40001", "40P01")
CHANNEL = "dossier_desk"
CONNECT_TIMEOUT_S = 10


def connect_args(location: ServerLocation, password: str | None) -> dict[str, Any]:
    """libpq parameters: TLS by default, a timeout, the app's name (shown in
    pg_stat_activity), and the options written in the address."""
    args: dict[str, Any] = {
        "sslmode": "prefer" if location.is_loopback else "verify-full",
        "connect_timeout": CONNECT_TIMEOUT_S,
        "application_name": "dossier-desk",
    }
    args.update(dict(location.options))
    if password is not None:
        args["password"] = password
    return args


def explain(location: ServerLocation, exc: BaseException) -> ServerError:
    """A message a researcher can act on for a failed connection."""
    raw = str(getattr(exc, "orig", None) or exc)
    low = raw.lower()
    where = str(location)
    if "no password supplied" in low:
        return PasswordRequiredError(
            f"{where}: the server asks for a password; type it when asked, or put it in "
            "~/.pgpass (mode 0600) or a file given with --password-file"
        )
    if "password authentication failed" in low:
        return ServerError(
            f"{where}: the server refused the password for role {location.role or '(default)'}"
            "; check it (and ~/.pgpass) or ask the administrator to reset it"
        )
    if "server does not support ssl" in low or (
        "no pg_hba.conf entry" in low and "no encryption" in low
    ):
        return ServerError(
            f"{where}: the server does not offer an encrypted (TLS) connection, which a team "
            "library needs; ask the administrator to turn on ssl in postgresql.conf"
        )
    if "root certificate file" in low or "certificate verify failed" in low:
        return ServerError(
            f"{where}: the server's certificate cannot be checked; put the team's CA "
            "certificate in ~/.postgresql/root.crt or add ?sslrootcert=FILE to the address"
        )
    if "does not match host name" in low or "server certificate for" in low:
        return ServerError(
            f"{where}: the server's certificate is not for {location.host}; use the host "
            "name the certificate names"
        )
    if "no pg_hba.conf entry" in low:
        return ServerError(
            f"{where}: the server does not let role {location.role or '(default)'} in from "
            "this machine; ask the administrator to add a pg_hba.conf line"
        )
    if f'database "{location.database}" does not exist' in raw:
        return ServerError(f"{where}: the server has no database {location.database}")
    if "role" in low and "does not exist" in low:
        return ServerError(
            f"{where}: the server has no role {location.role or '(default)'}; ask the "
            "administrator for one"
        )
    if (
        "connection refused" in low
        or "could not connect" in low
        or "timeout expired" in low
        or "could not translate host name" in low
        or "the database system is" in low
    ):
        return ServerError(
            f"{where}: the server is not answering; check that it is running and that the "
            "address is right, then try again"
        )
    if (
        "server closed the connection" in low
        or "terminating connection" in low
        or ("connection" in low and ("lost" in low or "closed" in low))
    ):
        return ServerError(
            f"{where}: the connection to the server was lost; what was not yet saved was "
            "not written. Try again when the server is back"
        )
    return ServerError(f"{where}: {raw.strip()}")


class PostgresBackend:
    name = "postgresql"
    like_ci = "ILIKE"

    def __init__(self, location: ServerLocation, password: str | None = None) -> None:
        self.location = location
        # Kept for the change listener's own connection (never logged).
        self.password = password
        self._actor: str | None = None

    def search_articles(
        self, conn: Connection, words: Sequence[str], limit: int | None
    ) -> list[int]:
        # plainto_tsquery takes the words as words: no tsquery syntax reaches it.
        query = " ".join(words)
        if limit is None:
            rows = conn.execute(
                text("SELECT id FROM article WHERE fts @@ plainto_tsquery('simple', :q)"),
                {"q": query},
            )
        else:
            rows = conn.execute(
                text(
                    "SELECT id FROM article WHERE fts @@ plainto_tsquery('simple', :q) "
                    "ORDER BY ts_rank(fts, plainto_tsquery('simple', :q)) DESC, id LIMIT :n"
                ),
                {"q": query, "n": limit},
            )
        return [int(r[0]) for r in rows]

    def string_agg(self, expression: str, separator: str) -> str:
        return f"string_agg({expression}, {separator})"

    def actor(self, session: Session) -> str:
        if self._actor is None:
            self._actor = str(session.execute(text("SELECT current_user")).scalar())
        return self._actor

    def lock_identities(self, session: Session, keys: Iterable[int]) -> bool:
        # Sorted, so two sessions locking overlapping clusters cannot deadlock.
        for key in sorted(set(keys)):
            session.execute(
                text("SELECT pg_advisory_xact_lock(:ns, :key)"),
                {"ns": IDENTITY_LOCK, "key": key},
            )
        return True

    def lock_new_names(self, session: Session) -> bool:
        # One lock for all new names: an article's transaction may create
        # several entities, and one lock cannot deadlock with itself. It is
        # held for one article's commit, milliseconds.
        session.execute(text("SELECT pg_advisory_xact_lock(:ns, 0)"), {"ns": NAMES_LOCK})
        return True

    def listener(self) -> PgListener:
        return PgListener(self.location, self.password)

    def failure(self, where: str, exc: BaseException) -> DatabaseError:
        if getattr(getattr(exc, "orig", None), "sqlstate", None) in RETRYABLE:
            return ConcurrentChangeError(
                f"{where}: someone else changed the same records at the same moment; "
                "nothing of yours was saved, try again"
            )
        return explain(self.location, exc)

    def refusal(self, where: str, exc: BaseException) -> DatabaseError | None:
        state = getattr(getattr(exc, "orig", None), "sqlstate", None)
        if state in ("23505", "23503"):
            # Another researcher's transaction added the same row (a name the
            # linker learnt) or removed a record this one linked to (a split
            # undone) at the same moment: a race lost, not an error. The whole
            # transaction was rolled back.
            # The server's own sentence names the constraint, never the values.
            diag = getattr(getattr(exc, "orig", None), "diag", None)
            why = getattr(diag, "message_primary", None) or "a constraint"
            return ConcurrentChangeError(
                f"{where}: someone else changed the same records at the same moment "
                f"({why}); nothing of yours was saved, try again"
            )
        if state == "42501":
            return DatabaseError(
                f"{where}: role {self.location.role or '(default)'} may not make this change "
                "(the server's administrator gives editing rights); nothing was saved"
            )
        return None

    def consistent_read(self, session: Session) -> None:
        session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))

    def after_copy(self, session: Session, tables: Sequence[str]) -> None:
        # Ids were given explicitly: move each sequence past the largest.
        for table in tables:
            session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE(max(id), 1), max(id) IS NOT NULL) FROM {table}"
                )
            )

    def back_up(self, store: Any, keep: int) -> Any:
        raise DatabaseError(
            f"{self.location}: a team library is backed up on its server (pg_dump); to keep "
            "a copy in a file, use: dossier-desk --db URL copy-library URL FILE"
        )


class PgListener:
    """One autocommit connection that LISTENs on the library's channel (the
    triggers of migration 0004 NOTIFY it with table names at each commit)."""

    def __init__(self, location: ServerLocation, password: str | None) -> None:
        self.location = location
        self._password = password
        self._conn: Any = None
        self.reconnect()

    def reconnect(self) -> None:
        import psycopg

        self.close()
        args = connect_args(self.location, self._password)
        try:
            conn = psycopg.connect(
                host=self.location.host,
                port=self.location.port,
                dbname=self.location.database,
                user=self.location.role,
                autocommit=True,
                **args,
            )
        except psycopg.Error as exc:
            raise explain(self.location, exc) from exc
        conn.execute(f"LISTEN {CHANNEL}")
        self._conn = conn

    def fileno(self) -> int:
        return int(self._conn.pgconn.socket) if self._conn is not None else -1

    def changed(self) -> set[str]:
        if self._conn is None:
            raise ServerError(f"{self.location}: not listening for changes")
        pgconn = self._conn.pgconn
        try:
            pgconn.consume_input()
        except Exception as exc:  # libpq's OperationalError: the server went away
            self.close()
            raise explain(self.location, exc) from exc
        tables = set()
        while (note := pgconn.notifies()) is not None:
            tables.add(note.extra.decode("utf-8", "replace"))
        return tables

    def close(self) -> None:
        if self._conn is not None:
            import contextlib

            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None


def make_engine(location: ServerLocation, password: str | None) -> Engine:
    return create_engine(
        location.url(),
        connect_args=connect_args(location, password),
        # A connection the server dropped (restart, network) is replaced
        # before it is handed out, instead of failing the next statement.
        pool_pre_ping=True,
        pool_size=2,
        max_overflow=4,
    )


def read_server_revision(engine: Engine, location: ServerLocation) -> str | None:
    """The schema revision of the server's library; None for an empty database."""
    try:
        with engine.connect() as conn:
            if conn.execute(text("SELECT to_regclass('alembic_version')")).scalar() is None:
                tables = conn.execute(
                    text(
                        "SELECT count(*) FROM information_schema.tables "
                        "WHERE table_schema = current_schema()"
                    )
                ).scalar()
                if tables:
                    raise DatabaseError(
                        f"{location}: this database holds other tables and is not a "
                        "Dossier Desk library"
                    )
                return None
            row = conn.execute(text("SELECT version_num FROM alembic_version")).fetchone()
            return row[0] if row else None
    except (OperationalError, DBAPIError) as exc:
        raise explain(location, exc) from exc


def upgrade_server(engine: Engine) -> None:
    """Bring the server's schema to the newest revision in one transaction,
    holding an advisory lock so that a second ``migrate`` waits and then finds
    nothing to do."""
    from desktop.core.store import _alembic_config

    cfg = _alembic_config()
    with engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        conn.execute(text(GRANTS))


def open_server(
    location: ServerLocation,
    *,
    password: str | None = None,
    migrate: bool = False,
    read_only: bool = False,
) -> Any:
    """A Store on a team library. ``migrate`` (an administrator's ``init`` or
    ``migrate``) creates or upgrades the schema; without it an empty or older
    server is refused with what to run."""
    from desktop.core.store import Store, known_revisions

    engine = make_engine(location, password)
    try:
        current = read_server_revision(engine, location)
        revisions = known_revisions()
        if current is not None and current not in revisions:
            raise SchemaTooNewError(
                f"{location}: the server's library has schema {current}, newer than this "
                f"version of Dossier Desk knows (up to {revisions[-1]}); update Dossier Desk "
                "to open it"
            )
        if current != revisions[-1]:
            if not migrate:
                have = (
                    "no library yet (an empty database)"
                    if current is None
                    else (f"schema {current}")
                )
                raise SchemaUpgradeNeededError(
                    f"{location}: the server has {have}; this version of Dossier Desk needs "
                    f"schema {revisions[-1]}. An administrator prepares it with: "
                    f"dossier-desk --db {location} migrate"
                )
            try:
                upgrade_server(engine)
            except (OperationalError, SADatabaseError) as exc:
                if "permission denied" in str(exc.orig).lower():
                    raise DatabaseError(
                        f"{location}: role {location.role or '(default)'} may not change "
                        "the schema; an administrator role runs migrate"
                    ) from exc
                raise explain(location, exc) from exc
    except BaseException:
        engine.dispose()
        raise
    return Store(None, engine, read_only=read_only, backend=PostgresBackend(location, password))
