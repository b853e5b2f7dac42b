"""The window on a team library: other researchers' changes show up by
themselves, and the address and password dialogs.

The store's backend gives a change listener (a LISTEN connection on a server,
none for a file). Its socket is watched with a QSocketNotifier, so nothing
polls: when a notification arrives the window reloads its views, at most
every ``DEBOUNCE_MS`` however many tables changed. If the connection is lost
(the server restarted, the network dropped), the status bar says so, a timer
reconnects every ``RECONNECT_MS``, and the first successful reconnect reloads
everything (the "changes since" catch-up: the views are queries of the
current state).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal
from PySide6.QtWidgets import QInputDialog, QLabel, QLineEdit, QWidget

from desktop.core.backend import ChangeListener
from desktop.core.errors import DossierDeskError
from desktop.core.store import Store

DEBOUNCE_MS = 300
RECONNECT_MS = 5000


class TeamLink(QObject):
    """Listens for others' changes on the window's store and reloads."""

    # Emitted (debounced) when others changed the library, or after a reconnect.
    othersChanged = Signal()
    # A message for the status bar (lost connection, back again).
    status = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.listener: ChangeListener | None = None
        self.notifier: QSocketNotifier | None = None
        self.changed_tables: set[str] = set()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._emit_changed)
        self._reconnect = QTimer(self)
        self._reconnect.setInterval(RECONNECT_MS)
        self._reconnect.timeout.connect(self._try_reconnect)
        # The status bar's note of which team library this is, and as whom.
        self.label = QLabel()
        self.label.setAccessibleName("Team library")
        self.label.hide()

    @property
    def listening(self) -> bool:
        return self.notifier is not None

    def attach(self, store: Store) -> None:
        """Follow ``store`` (stop following the previous one)."""
        self.detach()
        self.label.setVisible(store.is_server)
        try:
            self.listener = store.backend.listener()
        except DossierDeskError as exc:
            self.status.emit(f"Not hearing others' changes: {exc}")
            self._show(store, "not hearing others' changes")
            return
        if self.listener is not None:
            self._watch()
            self._show(store, "others' changes show up here")

    def _show(self, store: Store, state: str) -> None:
        self.label.setText(f"Team library {store.location} · {state}")

    def detach(self) -> None:
        self._reconnect.stop()
        self._debounce.stop()
        self._unwatch()
        if self.listener is not None:
            self.listener.close()
            self.listener = None

    def _watch(self) -> None:
        assert self.listener is not None
        self.notifier = QSocketNotifier(self.listener.fileno(), QSocketNotifier.Type.Read, self)
        self.notifier.activated.connect(self._readable)

    def _unwatch(self) -> None:
        if self.notifier is not None:
            self.notifier.setEnabled(False)
            self.notifier.deleteLater()
            self.notifier = None

    def _readable(self, *_args: object) -> None:
        if self.listener is None:
            return
        try:
            tables = self.listener.changed()
        except DossierDeskError as exc:
            self._unwatch()
            self.status.emit(f"{exc} Reconnecting every {RECONNECT_MS // 1000} s…")
            self._reconnect.start()
            return
        if tables:
            self.changed_tables |= tables
            self._debounce.start()

    def _try_reconnect(self) -> None:
        if self.listener is None:
            self._reconnect.stop()
            return
        try:
            self.listener.reconnect()
        except DossierDeskError:
            return
        self._reconnect.stop()
        self._watch()
        self.status.emit("Connected to the library server again; showing what changed meanwhile")
        self.changed_tables.add("*")
        self._emit_changed()

    def _emit_changed(self) -> None:
        if self.changed_tables:
            self.othersChanged.emit()
            self.changed_tables.clear()


def ask_server_address(parent: QWidget, done: Callable[[str], None], current: str = "") -> None:
    """The "Open team library" dialog: the server address (never a password)."""
    dialog = QInputDialog(parent)
    dialog.setObjectName("teamAddressDialog")
    dialog.setWindowTitle("Open team library")
    dialog.setLabelText(
        "Address of the team library on its server:\n"
        "postgresql://ROLE@HOST[:PORT]/DATABASE\n"
        "(the password is asked next, or read from ~/.pgpass)"
    )
    dialog.setTextValue(current or "postgresql://")
    dialog.textValueSelected.connect(lambda text: done(text.strip()))
    dialog.open()


def ask_password(parent: QWidget, where: str, error: str, done: Callable[[str], None]) -> None:
    dialog = QInputDialog(parent)
    dialog.setObjectName("teamPasswordDialog")
    dialog.setWindowTitle("Team library password")
    dialog.setLabelText(f"{error}\n\nPassword for {where}:" if error else f"Password for {where}:")
    dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    dialog.textValueSelected.connect(done)
    dialog.open()
