"""Light and dark themes: colour variables, the stylesheet and the icons.

The stylesheet (``resources/styles/app.qss``) and the icons
(``resources/icons/*.svg``) are plain files. ``${name}`` placeholders in the
stylesheet and ``currentColor`` in the icons are filled from the active theme,
as napari does with its theme stylesheets. ``mode="system"`` follows the
platform's colour scheme (``QStyleHints.colorScheme``) and switches live.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Template

from PySide6.QtCore import QByteArray, QObject, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from desktop.resources import resource_path


@dataclass(frozen=True)
class Theme:
    name: str
    window: str
    base: str
    alternate: str
    panel: str
    border: str
    text: str
    muted: str
    accent: str
    accent_text: str
    icon: str
    # Mention highlight per entity type: (underline/strong colour, fill).
    mention: dict[str, tuple[str, str]]
    # Fill for suggested (unconfirmed) mentions is lighter than confirmed ones.
    suggested_alpha: int
    find: str

    def variables(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if isinstance(v, str)}


LIGHT = Theme(
    name="light",
    window="#f3f4f6",
    base="#ffffff",
    alternate="#f8fafc",
    panel="#eef0f3",
    border="#d4d8de",
    text="#1f2937",
    muted="#5b6472",
    accent="#2563eb",
    accent_text="#ffffff",
    icon="#374151",
    mention={
        "PER": ("#1d4ed8", "#dbeafe"),
        "ORG": ("#b45309", "#fde9c8"),
        "LOC": ("#047857", "#d1fae5"),
        "MISC": ("#7e22ce", "#f1e4fd"),
    },
    suggested_alpha=110,
    find="#fde047",
)

DARK = Theme(
    name="dark",
    window="#181b20",
    base="#1f2329",
    alternate="#23282f",
    panel="#272c34",
    border="#3a414b",
    text="#e5e7eb",
    muted="#9aa3af",
    accent="#3b82f6",
    accent_text="#ffffff",
    icon="#d1d5db",
    mention={
        "PER": ("#93c5fd", "#1e3a6e"),
        "ORG": ("#fcd34d", "#5a3d0c"),
        "LOC": ("#6ee7b7", "#0f4a3a"),
        "MISC": ("#d8b4fe", "#4a2a6b"),
    },
    suggested_alpha=120,
    find="#a16207",
)

THEMES = {"light": LIGHT, "dark": DARK}
TYPE_LABELS = {"PER": "People", "ORG": "Organisations", "LOC": "Places", "MISC": "Other"}
TYPE_SINGULAR = {"PER": "Person", "ORG": "Organisation", "LOC": "Place", "MISC": "Other"}
TYPE_ICONS = {"PER": "person", "ORG": "organisation", "LOC": "place", "MISC": "misc"}


def system_scheme() -> str:
    """'dark' or 'light' as the platform reports it (light when it does not say)."""
    app = QGuiApplication.instance()
    if app is None:
        return "light"
    scheme = QGuiApplication.styleHints().colorScheme()
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def resolve(mode: str) -> Theme:
    if mode == "system":
        return THEMES[system_scheme()]
    return THEMES.get(mode, LIGHT)


def stylesheet(theme: Theme) -> str:
    text = resource_path("styles", "app.qss").read_text(encoding="utf-8")
    return Template(text).safe_substitute(theme.variables())


def palette(theme: Theme) -> QPalette:
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: theme.window,
        QPalette.ColorRole.WindowText: theme.text,
        QPalette.ColorRole.Base: theme.base,
        QPalette.ColorRole.AlternateBase: theme.alternate,
        QPalette.ColorRole.Text: theme.text,
        QPalette.ColorRole.Button: theme.panel,
        QPalette.ColorRole.ButtonText: theme.text,
        QPalette.ColorRole.Highlight: theme.accent,
        QPalette.ColorRole.HighlightedText: theme.accent_text,
        QPalette.ColorRole.ToolTipBase: theme.base,
        QPalette.ColorRole.ToolTipText: theme.text,
        QPalette.ColorRole.PlaceholderText: theme.muted,
        QPalette.ColorRole.Link: theme.accent,
    }
    for role, colour in roles.items():
        p.setColor(role, QColor(colour))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor(theme.muted))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor(theme.muted))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(theme.muted))
    return p


_icon_cache: dict[tuple[str, str], QIcon] = {}


def icon(name: str, theme: Theme | None = None) -> QIcon:
    """An SVG icon from resources/icons drawn in the theme's icon colour, with
    pixmaps for the usual sizes at 1x and 2x so it stays sharp on high-DPI
    screens."""
    theme = theme or LIGHT
    key = (name, theme.name)
    if key in _icon_cache:
        return _icon_cache[key]
    svg = resource_path("icons", f"{name}.svg").read_text(encoding="utf-8")
    renderer = QSvgRenderer(QByteArray(svg.replace("currentColor", theme.icon).encode()))
    result = QIcon()
    for size in (16, 20, 24, 32, 48, 64):
        pm = QPixmap(QSize(size, size))
        pm.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pm)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        result.addPixmap(pm)
    _icon_cache[key] = result
    return result


class ThemeManager(QObject):
    """Applies a theme to the application and re-applies it when the system
    scheme changes while the mode is 'system'."""

    changed = Signal(object)  # the new Theme

    def __init__(
        self, app: QGuiApplication, mode: str = "system", parent: QObject | None = None
    ) -> None:
        super().__init__(parent or app)
        self.app = app
        self.mode = mode
        self.theme = resolve(mode)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_changed)

    def _system_changed(self, _scheme: object) -> None:
        if self.mode == "system":
            self.apply()

    def set_mode(self, mode: str) -> Theme:
        self.mode = mode
        return self.apply()

    def apply(self) -> Theme:
        self.theme = resolve(self.mode)
        self.app.setPalette(palette(self.theme))  # type: ignore[attr-defined]
        self.app.setStyleSheet(stylesheet(self.theme))  # type: ignore[attr-defined]
        self.changed.emit(self.theme)
        return self.theme
