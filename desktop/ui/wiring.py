"""Plugs the identity and dossier work into the main window.

``install(window, runner)`` docks the review queue and the dossier workspace,
fills every hook of ``window.hooks`` and keeps them pointed at the window's
current database (``MainWindow.storeChanged``). Each identity change goes
through :mod:`desktop.core.services.resolve` first; the returned Change is
pushed on ``window.undo_stack`` as a :class:`~desktop.ui.commands.HistoryCommand`
and every view reloads.

Dialogs are opened window-modal with ``open()`` (never ``exec()``), and the
last one is kept on the wiring (``picker``, ``rename_dialog``,
``merge_dialog``, ``alias_dialog``, ``split_dialog``, ``relation_dialog``)
so tests can answer them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QLabel, QLineEdit

from desktop.core.errors import DossierDeskError, StaleEditError
from desktop.core.resolver import Change
from desktop.core.services import browse, resolve
from desktop.core.store import Store
from desktop.ui.commands import HistoryCommand
from desktop.ui.dossier_workspace import DossierWorkspace
from desktop.ui.entity_dialogs import RenameEntityDialog, confirm_removal
from desktop.ui.entity_picker import EntityPicker
from desktop.ui.main_window import MainWindow
from desktop.ui.mention_queue import MentionQueue
from desktop.ui.merge_dialog import MergeDialog
from desktop.ui.plain import as_rich
from desktop.ui.profile_dialogs import AliasDialog, RelationDialog
from desktop.ui.review import ReviewQueue
from desktop.ui.tasks import ProgressRelay, TaskRunner

if TYPE_CHECKING:
    # At run time imported where used: extraction pulls in spaCy, which the
    # window should not pay for at start-up.
    from desktop.core.extract import ExtractorStatus
    from desktop.core.services import extraction

# Suggestions are recomputed this long after the last change, so a burst of
# edits (or an import) costs one background run, not one per edit.
SUGGEST_DELAY_MS = 800
EXTRACTOR_CHECK_DELAY_MS = 3000
REVIEW_HEIGHT = 440


class Wiring(QObject):
    # After each change the names of the records it touched are looked for in
    # the other articles that contain them (additive, its own undo step).
    relink_after_changes = True

    def __init__(self, window: MainWindow, runner: TaskRunner) -> None:
        super().__init__(window)
        self.window = window
        self.runner = runner
        self.relinking = 0
        self.relink_progress = ProgressRelay(self)
        self.relink_progress.advanced.connect(
            lambda done, total, _m: window.statusBar().showMessage(
                f"Re-linking: {done} of {total} articles", 4000
            )
        )
        self.typing_warning = QLabel()
        self.typing_warning.setObjectName("warning")
        self.typing_warning.setAccessibleName("Extraction status")
        self.typing_warning.hide()
        window.statusBar().addPermanentWidget(self.typing_warning)
        self.picker: EntityPicker | None = None
        self.rename_dialog: RenameEntityDialog | None = None
        self.merge_dialog: MergeDialog | None = None
        self.alias_dialog: AliasDialog | None = None
        self.split_dialog: QInputDialog | None = None
        self.relation_dialog: RelationDialog | None = None

        self.review = ReviewQueue(window.store, runner)
        self.review.setAccessibleName("Review queue")
        self.review.undo_handler = window.undo_stack.undo
        self.review.changed.connect(self._review_changed)
        self.review.suggestions_loaded.connect(lambda _n: self._update_duplicate_counts())
        self.mention_queue = MentionQueue(window.store, runner)
        self.mention_queue.setAccessibleName("Suggested links")
        self.mention_queue.undo_handler = window.undo_stack.undo
        self.mention_queue.changed.connect(self.push)
        self.mention_queue.openRequested.connect(window.open_article_at)
        self.dossiers = DossierWorkspace(window.store, runner)
        self.dossiers.setAccessibleName("Dossier workspace")
        self.dossiers.exportFailed.connect(window.show_error)
        self.dossiers.exportFinished.connect(
            lambda path: window.statusBar().showMessage(f"Dossier exported to {path}", 8000)
        )

        # Both open as tabs beside the entity profile, below the article, so the
        # default layout keeps its three panes.
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        self.review_dock = window.add_view(
            self.review, "Review queue", "reviewDock", bottom, tabify_with="profileDock"
        )
        self.dossier_dock = window.add_view(
            self.dossiers, "Dossiers", "dossierDock", bottom, tabify_with="profileDock"
        )
        self.mention_dock = window.add_view(
            self.mention_queue,
            "Suggested links",
            "mentionQueueDock",
            bottom,
            tabify_with="profileDock",
        )
        # Loaded when first shown, then kept in step with changes while open.
        self.mention_dock.visibilityChanged.connect(self._mention_queue_visible)
        window.views["profileDock"].raise_()

        self.act_review = QAction("Review &duplicates", window)
        self.act_review.setShortcut(QKeySequence("Ctrl+R"))
        self.act_review.setStatusTip("Judge suggested duplicates: same, different or unsure")
        self.act_review.triggered.connect(lambda _c=False: self.show_review())
        self.act_dossiers = QAction("&Dossiers", window)
        self.act_dossiers.setShortcut(QKeySequence("Ctrl+Shift+D"))
        self.act_dossiers.setStatusTip("Collect entities, articles and excerpts for export")
        self.act_dossiers.triggered.connect(lambda _c=False: self.show_dossiers())
        self.act_mentions = QAction("Review suggested &links", window)
        self.act_mentions.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.act_mentions.setStatusTip(
            "Confirm, reject or relink the mentions the linker only suggested"
        )
        self.act_mentions.triggered.connect(lambda _c=False: self.show_mention_queue())
        window.mentionsReviewRequested.connect(self.show_mention_queue)
        for action in (self.act_review, self.act_mentions, self.act_dossiers):
            # Also from a floating panel (its own window), e.g. the sidebar.
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
            window.addAction(action)
        first = window.views_menu.menuAction()
        window.view_menu.insertAction(first, self.act_review)
        window.view_menu.insertAction(first, self.act_mentions)
        window.view_menu.insertAction(first, self.act_dossiers)

        self._suggest_timer = QTimer(self)
        self._suggest_timer.setSingleShot(True)
        self._suggest_timer.setInterval(SUGGEST_DELAY_MS)
        self._suggest_timer.timeout.connect(self.refresh_suggestions)
        # Others' changes on a team library reload what this wiring shows too
        # (the review queue drops pairs someone has judged meanwhile).
        window.reload_after_others = self.changed

        h = window.hooks
        h.link_mention = self.link_mention
        h.unlink_mention = lambda mid: self.apply(lambda s: resolve.unlink_mention(s, mid))
        h.not_an_entity = lambda mid: self.apply(lambda s: resolve.mark_not_entity(s, mid))
        h.confirm_mention = lambda mid: self.apply(lambda s: resolve.confirm_mention(s, mid))
        h.mark_selection = lambda aid, start, end, kind: self.apply(
            lambda s: resolve.mark_mention(s, aid, start, end, kind)
        )
        h.rename_entity = self.rename_entity
        h.delete_entity = self.delete_entity
        h.merge_entities = self.merge_entities
        h.add_to_dossier = self.add_to_dossier
        h.add_excerpt = self.add_excerpt
        h.add_article = self.add_article
        h.add_alias = self.add_alias
        h.remove_aliases = self.remove_aliases
        h.split_aliases = self.split_aliases
        h.set_type = lambda eid, kind: self.apply(lambda s: resolve.set_type(s, eid, kind))
        h.add_relation = self.add_relation
        h.remove_relation = lambda rid: self.apply(lambda s: resolve.remove_relation(s, rid))
        window.update_actions()

        window.storeChanged.connect(self.set_store)
        window.installEventFilter(self)
        window.importer.finished.connect(lambda *_: self.schedule_suggestions())
        window.importer.pasted.connect(lambda *_: self.schedule_suggestions())
        # Suggestions over a large library cost seconds of CPU (and the GIL):
        # they are computed once the user opens the review queue, and from then
        # on follow the changes.
        self.suggestions_active = False
        self.review_dock.visibilityChanged.connect(self._review_visible)
        # Whether the language model is installed, found out on a worker once
        # the window has started. The model itself is not loaded for this (a
        # second of CPU holding the GIL, which froze the window); it loads
        # where extraction runs.
        QTimer.singleShot(EXTRACTOR_CHECK_DELAY_MS, self, self.check_extractor)

    def check_extractor(self) -> None:
        self.runner.run(_extractor_installed, self._show_extractor_status)

    def _show_extractor_status(self, status: ExtractorStatus) -> None:
        """Say so, for as long as the window is open, when entity typing runs
        without the statistical model (the rules and the gazetteer still work)."""
        # The check runs on a worker; a window closed meanwhile (a second
        # window, or a test's) has taken its status bar and this label with it.
        if not shiboken6.isValid(self.typing_warning):
            return
        self.typing_warning.setVisible(status.degraded)
        self.typing_warning.setText("⚠ Entity typing degraded")
        self.typing_warning.setToolTip(status.message)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            # No suggestion run may start after the window (and its store) went.
            self._suggest_timer.stop()
        return False

    # -- state ------------------------------------------------------------------
    @property
    def store(self) -> Store:
        return self.window.store

    def set_store(self, store: Store) -> None:
        self.review.store = store
        self.mention_queue.store = store
        self.mention_queue.model.set_rows([])
        if self.mention_dock.isVisible():
            self.mention_queue.refresh()
        self.dossiers.store = store
        self.review.model.set_suggestions([])
        self.window.sidebar.model.set_duplicate_counts({})
        self.dossiers.refresh()
        if self.suggestions_active:
            self.refresh_suggestions()

    def refresh_suggestions(self) -> None:
        """Recompute duplicate suggestions off the GUI thread; the queue and
        the sidebar badges follow when they arrive."""
        self.suggestions_active = True
        self._suggest_timer.stop()
        self.review.refresh()

    def schedule_suggestions(self) -> None:
        if self.suggestions_active and self.window.isVisible():
            self._suggest_timer.start()

    def _review_visible(self, visible: bool) -> None:
        if visible and not self.suggestions_active:
            self.refresh_suggestions()

    def _update_duplicate_counts(self) -> None:
        counts: Counter[int] = Counter()
        model = self.review.model
        for row in range(model.rowCount()):
            s = model.suggestion_at(row)
            if s is not None:
                counts[s.a] += 1
                counts[s.b] += 1
        self.window.sidebar.model.set_duplicate_counts(dict(counts))

    def changed(self) -> None:
        """Reload every view after a change, an undo or a redo."""
        self.window.knowledge_changed()
        self.dossiers.refresh()
        if self.mention_dock.isVisible():
            self.mention_queue.refresh()
        self._update_duplicate_counts()
        self.schedule_suggestions()

    # -- changes ------------------------------------------------------------------
    def push(self, change: Change, *, relink: bool = True) -> HistoryCommand:
        """Put a change the services already made on the undo stack, then look
        for the names it touched in the other articles (in the background)."""
        command = HistoryCommand(lambda: self.store, change, self.changed, self.window.show_error)
        self.window.undo_stack.push(command)
        message = change.label[:1].upper() + change.label[1:]
        if change.conflicts:
            message += " (overriding an earlier “different” judgement)"
        self.window.statusBar().showMessage(message, 6000)
        self.changed()
        if relink and self.relink_after_changes and change.entity_ids:
            self._relink(change)
        return command

    def _relink(self, change: Change) -> None:
        from desktop.core.services import extraction

        store, ids, label = self.store, list(change.entity_ids), change.label
        self.relinking += 1
        self.window.statusBar().showMessage(
            f"Looking for the names of this {label} in other articles…"
        )

        def done(outcome: extraction.RelinkOutcome) -> None:
            self.relinking -= 1
            # A database switched meanwhile has its own undo stack.
            if outcome.change is not None and store is self.store:
                self.push(outcome.change, relink=False)

        def failed(exc: BaseException) -> None:
            self.relinking -= 1
            self.window.show_error(f"Re-linking after {label} failed: {exc}")

        self.runner.run(
            lambda: extraction.relink_after_change(
                store, ids, label=label, progress=self.relink_progress.report
            ),
            done,
            failed,
        )

    def apply(self, fn: Callable[[Store], Change]) -> Change | None:
        try:
            change = fn(self.store)
        except DossierDeskError as exc:
            self.window.show_error(str(exc))
            return None
        self.push(change)
        return change

    def _review_changed(self, change: Change) -> None:
        # The queue has already judged; only its own undo bypasses the stack,
        # and the window routes that through undo_handler.
        self.push(change)

    # -- hooks ----------------------------------------------------------------------
    def _mention(self, mention_id: int) -> tuple[str, int | None]:
        view = self.window.article.view
        for x in view.mentions if view is not None else []:
            if x.id == mention_id:
                return x.text, x.entity_id
        return "", None

    def link_mention(self, mention_id: int) -> EntityPicker:
        text, _ = self._mention(mention_id)
        picker = EntityPicker(
            self.store, self.window, text=text, title=f"Link “{text}” to an entity"
        )
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def chosen() -> None:
            entity_id = picker.selected_entity_id()
            if entity_id is not None:
                self.apply(lambda s: resolve.link_mention(s, mention_id, entity_id))

        picker.accepted.connect(chosen)
        self.picker = picker
        picker.open()
        return picker

    def rename_entity(self, entity_id: int) -> RenameEntityDialog | None:
        try:
            profile = browse.entity_profile(self.store, entity_id)
        except DossierDeskError as exc:
            self.window.show_error(str(exc))
            return None
        dialog = RenameEntityDialog(profile.name, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def renamed(name: str, keep: bool) -> None:
            if not name.strip() or name.strip() == profile.name:
                return
            try:
                # The version shown: a rename of a record someone changed
                # meanwhile is refused, naming them, with a reload offered.
                change = resolve.rename(
                    self.store, entity_id, name, expected_version=profile.version, keep_old=keep
                )
            except StaleEditError as exc:
                self.window.offer_reload(str(exc))
                return
            except DossierDeskError as exc:
                self.window.show_error(str(exc))
                return
            self.push(change)

        dialog.renamed.connect(renamed)
        self.rename_dialog = dialog
        dialog.open()
        return dialog

    def delete_entity(self, entity_id: int, not_an_entity: bool, *, confirm: bool = True) -> None:
        """Remove an entity (or mark it "not an entity") after asking."""
        try:
            profile = browse.entity_profile(self.store, entity_id)
        except DossierDeskError as exc:
            self.window.show_error(str(exc))
            return
        if confirm and not confirm_removal(self.window, profile.name, not_an_entity):
            return
        self.apply(lambda s: resolve.delete_entity(s, entity_id, not_an_entity=not_an_entity))

    def merge_entities(self, entity_ids: list[int]) -> MergeDialog | None:
        try:
            dialog = MergeDialog(self.store, entity_ids, self.window)
        except DossierDeskError as exc:
            self.window.show_error(str(exc))
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self.push)
        self.merge_dialog = dialog
        dialog.open()
        return dialog

    def _entity_name(self, entity_id: int) -> str | None:
        try:
            return browse.entity_profile(self.store, entity_id).name
        except DossierDeskError as exc:
            self.window.show_error(str(exc))
            return None

    def add_alias(self, entity_id: int) -> AliasDialog | None:
        name = self._entity_name(entity_id)
        if name is None:
            return None
        dialog = AliasDialog(name, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self.apply(
                lambda s: resolve.add_alias(s, entity_id, dialog.name.text(), dialog.alias_kind())
            )
        )
        self.alias_dialog = dialog
        dialog.open()
        return dialog

    def remove_aliases(self, entity_id: int, names: list[str]) -> None:
        """One undo step however many aliases go."""
        if len(names) == 1:
            self.apply(lambda s: resolve.remove_alias(s, entity_id, names[0]))
            return
        changes: list[Change] = []
        for n in names:
            try:
                changes.append(resolve.remove_alias(self.store, entity_id, n))
            except DossierDeskError as exc:
                self.window.show_error(str(exc))
                break
        if not changes:
            return
        stack = self.window.undo_stack
        stack.beginMacro(f"removal of aliases {', '.join(names[: len(changes)])}")
        try:
            for c in changes:
                self.push(c)
        finally:
            stack.endMacro()

    def split_aliases(self, entity_id: int, names: list[str]) -> QInputDialog | None:
        """Ask for the new entity's name (the first alias by default), then split."""
        if not names:
            return None
        source = self._entity_name(entity_id)
        if source is None:
            return None
        dialog = QInputDialog(self.window)
        dialog.setWindowTitle("Split out into a new entity")
        dialog.setLabelText(
            as_rich(
                f"{', '.join(names)} and their mentions leave “{source}” for a new entity named:"
            )
        )
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dialog.setTextValue(names[0])
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def chosen(name: str) -> None:
            if name.strip():
                self.apply(lambda s: resolve.split(s, entity_id, names, name.strip()))

        dialog.textValueSelected.connect(chosen)
        self.split_dialog = dialog
        dialog.open()
        return dialog

    def add_relation(self, entity_id: int, mention_id: int | None = None) -> RelationDialog | None:
        try:
            profile = browse.entity_profile(self.store, entity_id)
        except DossierDeskError as exc:
            self.window.show_error(str(exc))
            return None
        label = ""
        if mention_id is not None:
            text, _ = self._mention(mention_id)
            view = self.window.article.view
            title = (view.article.title or "(untitled)") if view is not None else ""
            label = f"“{text}” (the mention you clicked)" + (f" in {title}" if title else "")
        dialog = RelationDialog(
            self.store,
            entity_id,
            profile.name,
            self.window,
            mentions=profile.mentions[:50],
            evidence_mention_id=mention_id,
            evidence_label=label,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def chosen() -> None:
            pair = dialog.subject_object()
            if pair is None:
                return
            subject, obj = pair
            self.apply(
                lambda s: resolve.add_relation(
                    s,
                    subject,
                    dialog.predicate_text(),
                    obj,
                    evidence_mention_id=dialog.evidence_mention_id(),
                    note=dialog.note.text(),
                )
            )

        dialog.accepted.connect(chosen)
        self.relation_dialog = dialog
        dialog.open()
        return dialog

    def add_to_dossier(self, entity_id: int | None, mention_id: int | None) -> None:
        if entity_id is not None:
            self.dossiers.add_entity(entity_id)
        elif mention_id is not None:
            # An unlinked mention: keep its words as an excerpt with the citation.
            for x in self.window.article.view.mentions if self.window.article.view else []:
                if x.id == mention_id:
                    self.add_excerpt(self.window.article.article_id() or 0, x.start, x.end)
                    return
        self.show_dossiers(focus=False)

    def add_excerpt(self, article_id: int, start: int, end: int) -> None:
        self.dossiers.add_excerpt(article_id, start, end)
        self.show_dossiers(focus=False)

    def add_article(self, article_id: int) -> None:
        self.dossiers.add_article(article_id)
        self.show_dossiers(focus=False)

    # -- views ----------------------------------------------------------------------
    def show_review(self) -> None:
        self.review_dock.show()
        self.review_dock.raise_()
        # Side-by-side profiles need height; the default bottom area is short.
        if not self.review_dock.isFloating() and self.review_dock.height() < REVIEW_HEIGHT:
            self.window.resizeDocks([self.review_dock], [REVIEW_HEIGHT], Qt.Orientation.Vertical)
        self.review.setFocus()

    def _mention_queue_visible(self, visible: bool) -> None:
        if visible:
            self.mention_queue.refresh()

    def show_mention_queue(self) -> None:
        if self.mention_dock.isVisible():
            self.mention_queue.refresh()
        self.mention_dock.show()
        self.mention_dock.raise_()
        if not self.mention_dock.isFloating() and self.mention_dock.height() < REVIEW_HEIGHT:
            self.window.resizeDocks([self.mention_dock], [REVIEW_HEIGHT], Qt.Orientation.Vertical)
        self.mention_queue.setFocus()

    def show_dossiers(self, *, focus: bool = True) -> None:
        self.dossier_dock.show()
        self.dossier_dock.raise_()
        if focus:
            self.dossiers.setFocus()


def _extractor_installed() -> ExtractorStatus:
    # Runs on a worker: even the extraction package's own imports stay off the GUI thread.
    from desktop.core.extract import extractor_installed

    return extractor_installed()


def install(window: MainWindow, runner: TaskRunner | None = None) -> Wiring:
    """Wire the resolver, the review queue and the dossier workspace into
    ``window``; it follows the window to another database by itself."""
    wiring = Wiring(window, runner or window.runner)
    window.wiring = wiring  # type: ignore[attr-defined]
    return wiring
