"""What differs between a library in a file (SQLite) and a team library on a
PostgreSQL server, behind one small interface.

The services never ask which database they run on; they ask the store's
:class:`Backend` for the one thing that differs (full-text search, the SQL for
joining names, who is editing, how identity changes are serialised). When a
service needs an ``if`` on the dialect, this interface is missing a method.

:func:`parse_location` decides from the ``--db`` value (or the Open dialog's
text) which backend opens it: ``postgresql://[role@]host[:port]/database`` is a
server, anything else a file path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError
from sqlmodel import Session

from desktop.core.errors import DatabaseError

# "scheme://" at the start; a Windows drive ("C:\") has no slashes after the colon.
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
SERVER_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
LOOPBACK = ("localhost", "127.0.0.1", "::1")
URL_HELP = "postgresql://ROLE@HOST[:PORT]/DATABASE"


@dataclass(frozen=True)
class ServerLocation:
    """A team library: a database on a PostgreSQL server. Never holds a
    password (those come from a prompt, ~/.pgpass or a passphrase file)."""

    host: str
    port: int
    database: str
    role: str | None
    # libpq options from the URL's query (sslmode, sslrootcert...), kept as given.
    options: tuple[tuple[str, str], ...] = ()

    @property
    def is_loopback(self) -> bool:
        return self.host in LOOPBACK

    def url(self, driver: str = "postgresql+psycopg", password: str | None = None) -> URL:
        return URL.create(
            driver,
            username=self.role,
            password=password,
            host=self.host,
            port=self.port,
            database=self.database,
        )

    def __str__(self) -> str:
        role = f"{self.role}@" if self.role else ""
        port = "" if self.port == 5432 else f":{self.port}"
        return f"postgresql://{role}{self.host}{port}/{self.database}"


def is_server_url(value: str | Path | None) -> bool:
    return isinstance(value, str) and bool(_SCHEME.match(value.strip()))


def parse_location(value: str | Path) -> Path | ServerLocation:
    """A file path, or a :class:`ServerLocation` for a ``postgresql://`` URL.

    Raises DatabaseError for another scheme, a URL without a database, or a
    URL carrying a password (it would sit in the shell history and in ``ps``).
    """
    if isinstance(value, Path) or not is_server_url(value):
        return Path(value).expanduser()
    text = value.strip()
    scheme = _SCHEME.match(text).group(1).lower()  # type: ignore[union-attr]
    if scheme == "sqlite":
        # sqlite:///path: a file after all.
        return Path(text[len("sqlite:///") :]).expanduser()
    if scheme not in SERVER_SCHEMES:
        raise DatabaseError(
            f"{text}: not a library Dossier Desk can open; give a database file or "
            f"a team library's address, {URL_HELP}"
        )
    try:
        url = make_url(text)
    except (ArgumentError, ValueError) as exc:
        raise DatabaseError(f"{text}: not a valid server address ({URL_HELP})") from exc
    if url.password is not None:
        safe = url.set(password="***").render_as_string(hide_password=False)
        raise DatabaseError(
            f"{safe}: a password in the address would be visible to other users and kept "
            "in your shell history; remove it and use the prompt, ~/.pgpass or "
            "--password-file"
        )
    if not url.host or not url.database:
        raise DatabaseError(
            f"{text}: a team library's address needs a host and a database ({URL_HELP})"
        )
    try:
        port = url.port or 5432
    except ValueError as exc:
        raise DatabaseError(f"{text}: the port is not a number") from exc
    options = tuple(sorted((k, str(v)) for k, v in url.query.items()))
    return ServerLocation(url.host, port, url.database, url.username, options)


def backend_of(session: Session) -> Backend:
    """The backend of the Store that made ``session`` (core.store sets it)."""
    found = session.info.get(BACKEND_KEY)
    if found is None:
        from desktop.core.backend.sqlite import SqliteBackend

        return SqliteBackend()
    return found  # type: ignore[no-any-return]


BACKEND_KEY = "dossier_desk_backend"


def describe(value: str | Path | None) -> str:
    """``value`` as it may be shown and logged (a server address has no password)."""
    if value is None:
        return ""
    try:
        return str(parse_location(value))
    except DatabaseError:
        return "(an invalid library address)"


class ChangeListener(Protocol):
    """Hears that tables changed. ``fileno()`` is a socket to watch (the
    window's QSocketNotifier); when it is readable, ``changed()`` returns the
    names of the tables changed since (empty if none). After a lost
    connection ``changed()`` raises ServerError; ``reconnect()`` then tries
    again, and the caller reloads everything it shows (the catch-up)."""

    def fileno(self) -> int: ...

    def changed(self) -> set[str]: ...

    def reconnect(self) -> None: ...

    def close(self) -> None: ...


class Backend(Protocol):
    """The operations that differ between SQLite and PostgreSQL."""

    #: "sqlite" or "postgresql", for messages and the results files only.
    name: str

    def search_articles(
        self, conn: Connection, words: Sequence[str], limit: int | None
    ) -> list[int]:
        """Ids of the articles holding every word (whole words, not syntax):
        best match first with a ``limit``, unordered without one."""
        ...

    def string_agg(self, expression: str, separator: str) -> str:
        """SQL for concatenating ``expression`` over a group with ``separator``
        (a bound parameter's name, written ``:name``)."""
        ...

    #: The operator that matches a LIKE pattern ignoring case (ASCII at least).
    like_ci: str

    def actor(self, session: Session) -> str:
        """Who is making the change: the database role on a server, the
        operating-system user for a file."""
        ...

    def lock_identities(self, session: Session, keys: Iterable[int]) -> bool:
        """Serialise identity changes (merge, split, undo, judge) touching these
        entity clusters until the session's transaction ends. False when there
        is nothing to lock (one writer only), so the caller need not re-read."""
        ...

    def lock_new_names(self, session: Session) -> bool:
        """Before creating an entity for a name the caller did not find: wait
        for other writers creating entities, until this transaction ends. True
        when others may have created one meanwhile (look again first)."""
        ...

    def listener(self) -> ChangeListener | None:
        """A connection that hears about other researchers' changes (None
        when nobody else can change this library: a file has one writer)."""
        ...

    def failure(self, where: str, exc: BaseException) -> DatabaseError:
        """The user's message for a database error the driver raised."""
        ...

    def refusal(self, where: str, exc: BaseException) -> DatabaseError | None:
        """The user's message when the database refused a statement for a
        reason of theirs (a role that may only read); None for a bug."""
        ...

    def consistent_read(self, session: Session) -> None:
        """Make the session's reads one snapshot (a copy of a library in use
        must not mix two states). Called before its first statement."""
        ...

    def after_copy(self, session: Session, tables: Sequence[str]) -> None:
        """After rows were inserted with their ids: let new rows get fresh ids."""
        ...

    def back_up(self, store: Any, keep: int) -> Any:
        """A rotating backup of the library (``core.backup`` for a file)."""
        ...
