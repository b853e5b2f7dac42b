"""The one place the window's preferences are read and written (after Picard's
``config.py``): every option is declared once with its type and default, and
``Settings`` wraps a ``QSettings`` that tests point at a temporary INI file.

    settings = Settings(tmp_path / "settings.ini")
    settings.theme = "dark"
    settings.recent_databases  # -> list[str]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

from desktop.core.backend import is_server_url

T = TypeVar("T")

MAX_RECENT = 8
THEMES = ("system", "light", "dark")


class Option(Generic[T]):
    """A typed setting: reading converts what QSettings stored (INI files give
    strings back) and falls back to the default on anything unreadable."""

    def __init__(self, key: str, default: T) -> None:
        self.key = key
        self.default = default

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def convert(self, value: Any) -> T:
        default = self.default
        if isinstance(default, bool):
            if isinstance(value, str):
                return value.lower() in ("1", "true", "yes")  # type: ignore[return-value]
            return bool(value)  # type: ignore[return-value]
        if isinstance(default, int):
            return int(value)  # type: ignore[return-value]
        if isinstance(default, list):
            if value is None or value == "":
                return []  # type: ignore[return-value]
            if isinstance(value, str):
                return [value]  # type: ignore[return-value]
            return [str(v) for v in value]  # type: ignore[return-value]
        if isinstance(default, QByteArray):
            return QByteArray(value) if value is not None else QByteArray()  # type: ignore[return-value]
        return type(default)(value)  # type: ignore[call-arg]

    def __get__(self, obj: Settings | None, owner: type) -> T:
        if obj is None:
            return self  # type: ignore[return-value]
        raw = obj.qsettings.value(self.key)
        if raw is None:
            return self.default
        try:
            return self.convert(raw)
        except (TypeError, ValueError):
            return self.default

    def __set__(self, obj: Settings, value: T) -> None:
        obj.qsettings.setValue(self.key, value)


class Settings:
    """The window's preferences. ``path`` (an INI file) is for tests and for a
    portable install; by default the platform's usual place is used."""

    window_geometry = Option("window/geometry", QByteArray())
    window_state = Option("window/state", QByteArray())
    theme = Option("appearance/theme", "system")
    recent_databases = Option("files/recent_databases", [])
    last_import_dir = Option("files/last_import_dir", "")
    sidebar_scope = Option("sidebar/scope", "article")
    # How many rotating backups of each database to keep (core.backup).
    backups_keep = Option("backups/keep", 5)

    def __init__(self, path: Path | str | None = None) -> None:
        if path is None:
            self.qsettings = QSettings()
        else:
            self.qsettings = QSettings(str(path), QSettings.Format.IniFormat)

    def add_recent_database(self, path: Path | str) -> list[str]:
        """Put ``path`` first in the recent list (no duplicates, at most MAX_RECENT)."""
        # A team library's address is kept as written (it is no path).
        p = path if is_server_url(path) else str(Path(path).expanduser().resolve())
        recent = [p] + [r for r in self.recent_databases if r != p]
        self.recent_databases = recent[:MAX_RECENT]
        return self.recent_databases

    def sync(self) -> None:
        self.qsettings.sync()
