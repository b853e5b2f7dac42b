"""Undo commands over the resolver's History.

A change is made by the service first (so its errors reach the user before
anything lands on the stack); the command is then pushed with the returned
:class:`~desktop.core.resolver.Change`. Its first ``redo()``, which
``QUndoStack.push`` calls, does nothing; later undo/redo replay the History
row by id. The reverse logic lives in the resolver and is tested without Qt.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from desktop.core.errors import DossierDeskError
from desktop.core.resolver import Change
from desktop.core.services import resolve
from desktop.core.store import Store
from desktop.ui.plain import menu_text


class HistoryCommand(QUndoCommand):
    """One resolver change on the window's undo stack."""

    def __init__(
        self,
        store_of: Callable[[], Store],
        change: Change,
        refresh: Callable[[], None],
        show_error: Callable[[str], None],
    ) -> None:
        # The text becomes "Undo <label>" in the Edit menu, where a lone & in
        # an entity's name would turn into a keyboard mnemonic.
        super().__init__(menu_text(change.label))
        # A callable, not the Store: the window clears its stack when it
        # switches databases, and a command must never replay on another one.
        self._store_of = store_of
        self.change = change
        self._refresh = refresh
        self._show_error = show_error
        self._first = True
        self.failed = False

    def redo(self) -> None:
        if self._first:
            self._first = False  # push() calls redo(); the service already did it
            return
        self._replay(resolve.redo, "redo")

    def undo(self) -> None:
        self._replay(resolve.undo, "undo")

    def _replay(self, fn: Callable[[Store, int], Change], verb: str) -> None:
        try:
            fn(self._store_of(), self.change.history_id)
        except DossierDeskError as exc:
            # Raising into Qt would abort the application. The command is made
            # obsolete, so the stack drops it instead of offering it again.
            self.failed = True
            self.setObsolete(True)
            self._show_error(f"Could not {verb} the {self.change.label}.\n\n{exc}")
        self._refresh()
