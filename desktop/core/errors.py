"""Errors a user can act on. Anything else escaping the core is a bug.

The CLI prints ``str(error)`` of these on stderr and exits non-zero; the window
shows them in a message box. Their messages name the file and the problem.
"""

from __future__ import annotations


class DossierDeskError(Exception):
    """Base of the errors whose message is meant for the user."""


class DatabaseError(DossierDeskError):
    """The database file cannot be opened or used (locked, corrupt, unwritable)."""


class SchemaTooNewError(DatabaseError):
    """The file was written by a newer Dossier Desk; we refuse to touch it."""


class DatabaseLockedError(DatabaseError):
    """Another process has the database open for writing (see ``core.lock``)."""

    def __init__(self, message: str, *, pid: int | None = None) -> None:
        super().__init__(message)
        self.pid = pid


class PassphraseRequiredError(DatabaseError):
    """The file is encrypted (or not a database at all) and no passphrase was given."""


class WrongPassphraseError(DatabaseError):
    """The passphrase does not decrypt the file, or the file is not a database."""


class DamagedDatabaseError(DatabaseError):
    """The file is not a sound SQLite database: damaged pages, a truncated
    file. ``problems`` lists what SQLite's check found."""

    def __init__(
        self, message: str, *, path: object = None, problems: list[str] | None = None
    ) -> None:
        super().__init__(message)
        self.path = path
        self.problems = problems or []


class UnwritableError(DatabaseError):
    """The database's folder or disk cannot be written (read-only medium or
    folder, full disk): it can still be read, read-only."""

    def __init__(self, message: str, *, path: object = None) -> None:
        super().__init__(message)
        self.path = path


class BackupError(DatabaseError):
    """A backup cannot be made, read or restored; the open database is unchanged."""


class NotFoundError(DossierDeskError):
    """A record asked for by id does not exist."""


class ServerError(DatabaseError):
    """A team library's server cannot be reached or refuses us (down, wrong
    password, no TLS, connection lost); the message says what to do."""


class SchemaUpgradeNeededError(DatabaseError):
    """A team library's server has an older schema than this app needs; only an
    administrator upgrades it (``dossier-desk --db URL migrate``)."""


class StaleEditError(DossierDeskError):
    """Someone else changed the record since it was read; reload and try again."""


class PasswordRequiredError(ServerError):
    """The server asks for a password and none was found (prompt, ~/.pgpass,
    password file)."""


class ConcurrentChangeError(DatabaseError):
    """Another researcher's transaction changed the same records at the same
    time (a serialization failure or deadlock); running again is safe."""
