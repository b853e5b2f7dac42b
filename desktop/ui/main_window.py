"""The main window: the article in the middle, the library on the left, the
entity sidebar and profile on the right, all dockable and remembered.

Extension points for the rest of the window (see also ``hooks.py``):
- ``add_view(widget, title, object_name, area)`` docks another view (the review
  queue, the dossier workspace) and lists it in the View menu;
- ``hooks`` (an :class:`EditHooks`) receives the identity-changing actions
  offered by the context menus, F2 and Ctrl+M;
- ``undo_stack`` is the one QUndoStack of the window; push commands there;
- ``knowledge_changed()`` reloads every view after a change;
- ``storeChanged`` is emitted after File > New/Open database switched stores
  (and after File > Restore from backup, with the same store, reloaded).

Database files: an encrypted database asks its passphrase (``passphrase_dialog``);
one open in another process offers read-only mode (``locked_box``), shown by a
banner with the edit actions disabled; File > Back up now, Restore from backup
(``restore_dialog``) and Save a copy as use ``desktop.core.backup``.

``desktop.ui.wiring.install(window)`` plugs in the resolver, the review queue
and the dossier workspace (``application.run_window`` calls it).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPoint, QRect, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop.core import backup
from desktop.core.backend import is_server_url
from desktop.core.errors import (
    DamagedDatabaseError,
    DatabaseLockedError,
    DossierDeskError,
    PassphraseRequiredError,
    PasswordRequiredError,
    ServerError,
    UnwritableError,
    WrongPassphraseError,
)
from desktop.core.services import browse
from desktop.core.services.library import MentionInfo
from desktop.core.store import Store, open_store, passphrase_from_env
from desktop.ui import file_dialogs
from desktop.ui.article_view import ArticlePane, add_disabled
from desktop.ui.database_dialogs import (
    DB_FILTER,
    NewDatabaseDialog,
    PassphraseDialog,
    RestoreDialog,
)
from desktop.ui.hooks import NOT_WIRED, EditHooks
from desktop.ui.importing import ImportController
from desktop.ui.panes import EntitySidebar, LibraryPane, ProfilePane
from desktop.ui.plain import menu_text
from desktop.ui.settings import Settings
from desktop.ui.tasks import TaskRunner
from desktop.ui.team import TeamLink, ask_password, ask_server_address
from desktop.ui.theme import LIGHT, Theme, ThemeManager, icon
from desktop.ui.welcome import WelcomeView

if TYPE_CHECKING:
    from desktop.core.services.ingest import ImportReport

IMPORT_FILTER = "Articles (*.txt *.md *.html *.htm *.pdf *.docx *.eml);;All files (*)"
# The narrowest the library and the entity sidebar may be made.
SIDE_MIN_WIDTH = 300
READ_ONLY_TIP = "The database is open read-only: another window is editing it"


class EditEntityTextCommand(QUndoCommand):
    """Undoable edit of an entity's description or notes."""

    def __init__(
        self, window: MainWindow, entity_id: int, field: str, old: str, new: str, name: str
    ) -> None:
        label = "description" if field == "description" else "notes"
        super().__init__(f"edit of {label} of {name}")
        self.window, self.entity_id, self.field = window, entity_id, field
        self.old, self.new = old, new

    def _set(self, value: str) -> None:
        browse.update_entity_text(self.window.store, self.entity_id, **{self.field: value})
        self.window.knowledge_changed()

    def redo(self) -> None:
        self._set(self.new)

    def undo(self) -> None:
        self._set(self.old)


class MainWindow(QMainWindow):
    # The window switched databases (File > New/Open): whatever holds the old
    # Store (the wiring of the identity actions, extra views) must take this one.
    storeChanged = Signal(object)
    # The status bar's "N to review" was clicked (the wiring opens the queue).
    mentionsReviewRequested = Signal()

    def __init__(
        self,
        store: Store,
        *,
        settings: Settings | None = None,
        runner: TaskRunner | None = None,
        themes: ThemeManager | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.settings = settings or Settings()
        self.runner = runner or TaskRunner(self)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self.themes = themes or ThemeManager(app, self.settings.theme, self)
        self.hooks = EditHooks()
        self.undo_stack = QUndoStack(self)
        self.views: dict[str, QDockWidget] = {}
        self._added_docks: list[tuple[QDockWidget, Qt.DockWidgetArea, QDockWidget]] = []
        self.setObjectName("mainWindow")
        self.setAccessibleName("Dossier Desk")
        self.setWindowIcon(icon("app"))
        self.resize(1400, 860)
        self.setAcceptDrops(True)
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks
            | QMainWindow.DockOption.AllowTabbedDocks
            | QMainWindow.DockOption.AllowNestedDocks
        )

        self.article = ArticlePane()
        self.article.menu_hook = self.mention_menu_actions
        self.welcome = WelcomeView()
        self.center = QStackedWidget()
        self.center.addWidget(self.welcome)
        self.center.addWidget(self.article)
        self.read_only_banner = self._make_read_only_banner()
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.read_only_banner)
        column.addWidget(self.center, 1)
        self.setCentralWidget(central)
        self.passphrase_dialog: PassphraseDialog | None = None
        self.new_database_dialog: NewDatabaseDialog | None = None
        self.restore_dialog: RestoreDialog | None = None
        self.locked_box: QMessageBox | None = None

        self.library = LibraryPane(store, self.runner)
        self._open_first_article = False
        self.library.loaded.connect(self._library_loaded)
        self.sidebar = EntitySidebar(store, self.runner)
        self.sidebar.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.sidebar.tree.customContextMenuRequested.connect(self._sidebar_menu)
        self.sidebar.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.sidebar.set_scope(self.settings.sidebar_scope)
        self.profile = ProfilePane(store, self.runner)
        self.profile.failed.connect(self.show_error)
        self.profile.clear()

        area = Qt.DockWidgetArea
        # The library keeps the full height on the left and the sidebar on the
        # right; the profile's keyword-in-context table needs width, so it sits
        # below the article.
        self.setCorner(Qt.Corner.BottomLeftCorner, area.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, area.RightDockWidgetArea)
        self.add_view(self.library, "Library", "libraryDock", area.LeftDockWidgetArea)
        self.add_view(self.sidebar, "Entities", "entityDock", area.RightDockWidgetArea)
        self.add_view(self.profile, "Entity profile", "profileDock", area.BottomDockWidgetArea)
        # A panel cannot be squeezed below what its names need ("Er" at
        # 1280 px was all the sidebar showed).
        self.library.setMinimumWidth(SIDE_MIN_WIDTH)
        self.sidebar.setMinimumWidth(SIDE_MIN_WIDTH)
        self.fit_to_screen()

        self.importer = ImportController(store, self.runner, self)
        self.importer.finished.connect(self._import_finished)
        self.importer.pasted.connect(self._pasted)
        self.importer.failed.connect(self.show_error)

        self.counts_label = QLabel()
        self.counts_label.setAccessibleName("Library counts")
        self.statusBar().addPermanentWidget(self.counts_label)
        self.review_label = QLabel()
        self.review_label.setAccessibleName("Mentions to review")
        self.review_label.setTextFormat(Qt.TextFormat.RichText)  # a number in a link
        self.review_label.setToolTip("Open the queue of suggested links (Ctrl+Shift+R)")
        self.review_label.linkActivated.connect(lambda _l: self.mentionsReviewRequested.emit())
        self.review_label.hide()
        self.statusBar().addPermanentWidget(self.review_label)

        # Others' changes to a team library reload the views (desktop/ui/team.py).
        self.team = TeamLink(self)
        # What reloads on others' changes; the wiring widens it to its views.
        self.reload_after_others: Callable[[], None] = self.knowledge_changed
        self.team.othersChanged.connect(lambda: self.reload_after_others())
        self.team.status.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self.statusBar().addPermanentWidget(self.team.label)
        self.team.attach(store)

        self._build_actions()
        self._build_menus()
        self._connect()
        self.themes.changed.connect(self._theme_changed)
        self._theme_changed(self.themes.theme)
        self.restore_layout()
        self.set_title()
        self.set_read_only(store.read_only)
        self.refresh()

    # -- construction ---------------------------------------------------------
    def _action(
        self,
        text: str,
        slot: Callable[[], object] | None = None,
        shortcut: QKeySequence | str | Sequence[QKeySequence | str] | None = None,
        icon_name: str | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if slot is not None:
            action.triggered.connect(lambda _checked=False: slot())
        if shortcut is not None:
            if isinstance(shortcut, list | tuple):
                action.setShortcuts([QKeySequence(s) for s in shortcut])
            else:
                action.setShortcut(QKeySequence(shortcut))
        if icon_name:
            action.setData(icon_name)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        self.addAction(action)  # shortcuts work even with the menu bar hidden
        return action

    def _build_actions(self) -> None:
        Key = QKeySequence.StandardKey
        self.act_import = self._action(
            "&Import files…",
            self.choose_import_files,
            Key.Open,
            "import",
            "Import article files (text, HTML, PDF, Word, e-mail)",
        )
        self.act_import_folder = self._action(
            "Import &folder…",
            self.choose_import_folder,
            "Ctrl+Shift+O",
            None,
            "Import every article file in a folder and its subfolders",
        )
        self.act_paste = self._action(
            "&Paste as article…",
            lambda: self.importer.paste_as_article(),
            "Ctrl+Shift+V",
            "paste",
            "Make an article from the text on the clipboard",
        )
        self.act_new_db = self._action(
            "&New database…", self.choose_new_database, None, "database-new"
        )
        self.act_open_db = self._action(
            "Open &database…", self.choose_open_database, None, "database-open"
        )
        self.act_open_team = self._action(
            "Open &team library…",
            lambda: ask_server_address(self, self.open_database, self._server_address()),
            None,
            None,
            "Open a library shared with your team on a PostgreSQL server",
        )
        self.act_backup_now = self._action(
            "&Back up now",
            self.back_up_now,
            None,
            None,
            "Save a backup of this database in its backups folder",
        )
        self.act_restore = self._action(
            "&Restore from backup…",
            self.choose_restore,
            None,
            None,
            "Replace this database with one of its backups (the current state is backed up first)",
        )
        self.act_save_copy = self._action(
            "Save a &copy as…",
            self.choose_save_copy,
            None,
            None,
            "Write a copy of this database to another file",
        )
        self.act_quit = self._action("&Quit", self.close, Key.Quit)

        self.act_undo = self.undo_stack.createUndoAction(self, "&Undo")
        self.act_undo.setShortcut(QKeySequence(Key.Undo))
        self.act_undo.setData("undo")
        self.act_redo = self.undo_stack.createRedoAction(self, "&Redo")
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.act_redo.setData("redo")
        self.addAction(self.act_undo)
        self.addAction(self.act_redo)
        self.act_find = self._action("&Find in article…", self.article.open_find, Key.Find, "find")
        self.act_search = self._action(
            "Search &library", self.focus_library_search, "Ctrl+K", "search"
        )
        self.act_rename = self._action("&Rename entity…", self._rename, "F2")
        self.act_merge = self._action("&Merge entities…", self._merge, "Ctrl+M")

        self.act_scope_article = self._action(
            "Entities of this &article", lambda: self.sidebar.set_scope("article")
        )
        self.act_scope_library = self._action(
            "Entities of the whole &library", lambda: self.sidebar.set_scope("library")
        )
        scope_group = QActionGroup(self)
        for a in (self.act_scope_article, self.act_scope_library):
            a.setCheckable(True)
            scope_group.addAction(a)
        self.theme_actions: dict[str, QAction] = {}
        theme_group = QActionGroup(self)
        for mode, label in (
            ("system", "Follow the &system"),
            ("light", "&Light"),
            ("dark", "&Dark"),
        ):
            a = self._action(label, lambda m=mode: self.set_theme_mode(m))
            a.setCheckable(True)
            a.setChecked(self.themes.mode == mode)
            theme_group.addAction(a)
            self.theme_actions[mode] = a
        self.act_reset_layout = self._action("&Reset layout", self.reset_layout)
        self.act_welcome = self._action("&Getting started", self.show_welcome)
        self.act_about = self._action("&About Dossier Desk", self.show_about)
        self.update_actions()

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.act_import)
        file_menu.addAction(self.act_import_folder)
        file_menu.addAction(self.act_paste)
        file_menu.addSeparator()
        file_menu.addAction(self.act_new_db)
        file_menu.addAction(self.act_open_db)
        file_menu.addAction(self.act_open_team)
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        file_menu.addAction(self.act_backup_now)
        file_menu.addAction(self.act_restore)
        file_menu.addAction(self.act_save_copy)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        self.file_menu = file_menu

        edit = bar.addMenu("&Edit")
        edit.addAction(self.act_undo)
        edit.addAction(self.act_redo)
        edit.addSeparator()
        edit.addAction(self.act_paste)
        edit.addAction(self.act_find)
        edit.addAction(self.act_search)
        edit.addSeparator()
        edit.addAction(self.act_rename)
        edit.addAction(self.act_merge)

        view = bar.addMenu("&View")
        self.view_menu = view
        self.views_menu = view.addMenu("&Panels")
        for dock in self.views.values():
            self.views_menu.addAction(dock.toggleViewAction())
        view.addSeparator()
        view.addAction(self.act_scope_article)
        view.addAction(self.act_scope_library)
        view.addSeparator()
        theme = view.addMenu("&Theme")
        for a in self.theme_actions.values():
            theme.addAction(a)
        view.addAction(self.act_reset_layout)

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.act_welcome)
        help_menu.addAction(self.act_about)

        tools = QToolBar("Main toolbar")
        tools.setObjectName("mainToolbar")
        tools.setAccessibleName("Main toolbar")
        tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for a in (self.act_import, self.act_paste):
            tools.addAction(a)
        tools.addSeparator()
        for a in (self.act_undo, self.act_redo):
            tools.addAction(a)
        tools.addSeparator()
        for a in (self.act_find, self.act_search):
            tools.addAction(a)
        self.toolbar = tools
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, tools)

    def _connect(self) -> None:
        self.library.articleActivated.connect(self.open_article)
        self.article.entityActivated.connect(self.select_entity)
        self.article.mentionActivated.connect(self._mention_clicked)
        self.sidebar.entitySelected.connect(self.show_entity)
        self.sidebar.entityActivated.connect(self.show_entity)
        self.sidebar.scope.currentIndexChanged.connect(self._scope_changed)
        self.profile.openMention.connect(self.open_article_at)
        self.profile.entityActivated.connect(self.select_entity)
        self.profile.textEdited.connect(self._text_edited)
        p = self.profile
        p.addAliasRequested.connect(lambda eid: self._call_hook("add_alias", eid))
        p.removeAliasesRequested.connect(
            lambda eid, names: self._call_hook("remove_aliases", eid, list(names))
        )
        p.splitAliasesRequested.connect(
            lambda eid, names: self._call_hook("split_aliases", eid, list(names))
        )
        p.typeChangeRequested.connect(lambda eid, t: self._call_hook("set_type", eid, t))
        p.addRelationRequested.connect(lambda eid: self._call_hook("add_relation", eid, None))
        p.removeRelationRequested.connect(lambda rid: self._call_hook("remove_relation", rid))
        self.welcome.importRequested.connect(self.choose_import_files)
        self.welcome.pasteRequested.connect(self.act_paste.trigger)
        self.welcome.samplesRequested.connect(self.load_samples)
        self.undo_stack.indexChanged.connect(lambda _i: self.update_actions())

    # -- extension points -----------------------------------------------------
    def add_view(
        self,
        widget: QWidget,
        title: str,
        object_name: str,
        area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea,
        *,
        tabify_with: str | None = None,
    ) -> QDockWidget:
        """Dock ``widget`` as a panel named ``title`` and list it under View >
        Panels. ``object_name`` must be stable: the saved layout refers to it."""
        dock = QDockWidget(title, self)
        dock.setObjectName(object_name)
        dock.setAccessibleName(title)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(area, dock)
        if tabify_with and tabify_with in self.views:
            self.tabifyDockWidget(self.views[tabify_with], dock)
            # The default layout was saved before this dock existed: reset
            # puts it back in its tab rather than beside the others.
            self._added_docks.append((dock, area, self.views[tabify_with]))
        self.views[object_name] = dock
        if hasattr(self, "views_menu"):
            self.views_menu.addAction(dock.toggleViewAction())
            # A dock added after start-up takes the place (and visibility) the
            # saved layout gave it; a dock the layout never saw is shown.
            self.restoreDockWidget(dock)
            state = bytes(self.settings.window_state.data())
            if object_name.encode("utf-16-be") not in state:
                dock.show()
        return dock

    def update_actions(self) -> None:
        """Enable the identity actions whose hooks are plugged in (none when
        the database is open read-only)."""
        h = self.hooks
        read_only = self.is_read_only()
        for action, hook in (
            (self.act_rename, h.rename_entity),
            (self.act_merge, h.merge_entities),
        ):
            action.setEnabled(hook is not None and not read_only)
            if hook is None:
                action.setStatusTip(NOT_WIRED)
            elif read_only:
                action.setStatusTip(READ_ONLY_TIP)
        for action in self._writing_actions():
            action.setEnabled(not read_only)
        # Backups of a team library are its server's (pg_dump), not the window's.
        on_file = getattr(self, "store", None) is not None and self.store.path is not None
        for action in (self.act_backup_now, self.act_restore, self.act_save_copy):
            # Saving a copy only reads, so a read-only file may do it.
            action.setEnabled(on_file and (action is self.act_save_copy or not read_only))
            if not on_file:
                action.setStatusTip("A team library is backed up on its server")
        for button in (
            self.welcome.import_button,
            self.welcome.paste_button,
            self.welcome.samples_button,
        ):
            button.setEnabled(not read_only)
        if read_only:
            self.act_undo.setEnabled(False)
            self.act_redo.setEnabled(False)

    def is_read_only(self) -> bool:
        return bool(getattr(self, "store", None) and self.store.read_only)

    def _writing_actions(self) -> list[QAction]:
        return [
            self.act_import,
            self.act_import_folder,
            self.act_paste,
            self.act_backup_now,
            self.act_restore,
        ]

    def knowledge_changed(self) -> None:
        """Reload every view from the database (after an edit, an undo, an import)."""
        article_id = self.article.article_id()
        self.library.refresh(background=True)
        if article_id is not None:
            # Read on the runner: an article with hundreds of mentions is a
            # noticeable query, and an import ends with this reload.
            store = self.store
            self.runner.run(
                lambda: browse.open_article(store, article_id),
                lambda view: self._article_reloaded(article_id, view),
                lambda exc: self._article_reloaded(article_id, exc),
            )
        self.sidebar.refresh()
        if self.profile.entity_id() is not None:
            self.profile.reload()
        self.update_counts(background=True)

    def _article_reloaded(self, article_id: int, view: object) -> None:
        if self.article.article_id() != article_id:
            return  # the user opened another article meanwhile
        if isinstance(view, DossierDeskError):
            self.article.clear()
        elif isinstance(view, BaseException):
            raise view
        else:
            self.article.show_article(view)  # type: ignore[arg-type]

    # -- views ----------------------------------------------------------------
    def refresh(self) -> None:
        # The articles (a grouped count over every mention) and the counts are
        # read on the runner: at start-up that overlaps with building the rest
        # of the window, and the window never waits on a whole-library query.
        self._open_first_article = True
        self.library.refresh(background=True)
        self.sidebar.refresh()
        self.update_counts(background=True)

    def _library_loaded(self) -> None:
        if not self._open_first_article:
            return
        self._open_first_article = False
        if self.library.model.total() == 0:
            self.show_welcome()
        elif self.article.article_id() is None and self.library.model.rowCount():
            first = self.library.model.article_at(0).id
            self.open_article(first)
            self.library.select_article(first)

    def update_counts(self, *, background: bool = False) -> None:
        if background:
            store = self.store
            self.runner.run(lambda: browse.counts(store), self._show_counts)
        else:
            self._show_counts(browse.counts(self.store))

    def _show_counts(self, c: browse.Counts) -> None:
        self.counts_label.setText(
            f"{c.articles} articles · {c.entities} entities · {c.mentions} mentions"
        )
        self.review_label.setText(f"<a href='review'>{c.unconfirmed} to review</a>")
        self.review_label.setVisible(bool(c.unconfirmed))

    def show_welcome(self) -> None:
        self.center.setCurrentWidget(self.welcome)

    def open_article(self, article_id: int, *, reload: bool = False) -> None:
        if (
            not reload
            and self.article.article_id() == article_id
            and self.center.currentWidget() is self.article
        ):
            return
        try:
            view = browse.open_article(self.store, article_id)
        except DossierDeskError as exc:
            self.show_error(str(exc))
            return
        self.article.show_article(view)
        self.center.setCurrentWidget(self.article)
        self.sidebar.set_article(article_id)
        self.library.select_article(article_id, quiet=True)

    def open_article_at(self, article_id: int, start: int, end: int) -> None:
        self.open_article(article_id)
        self.library.select_article(article_id)
        self.article.scroll_to(start, end)

    def show_entity(self, entity_id: int) -> None:
        self.profile.show_entity(entity_id)
        self.views["profileDock"].show()

    def select_entity(self, entity_id: int) -> None:
        """Select the entity in the sidebar (when listed) and show its profile."""
        if not self.sidebar.select_entity(entity_id):
            self.show_entity(entity_id)

    def _mention_clicked(self, mention: MentionInfo) -> None:
        if mention.entity_id is None:
            self.statusBar().showMessage(f"“{mention.text}” is not linked to an entity yet", 4000)

    def _scope_changed(self, _i: int) -> None:
        scope = self.sidebar.scope_name()
        self.settings.sidebar_scope = scope
        (self.act_scope_library if scope == "library" else self.act_scope_article).setChecked(True)

    def focus_library_search(self) -> None:
        self.views["libraryDock"].show()
        self.views["libraryDock"].raise_()
        self.library.search.setFocus()
        self.library.search.selectAll()

    def set_title(self) -> None:
        name = self.store.path.name if self.store.path is not None else self.store.location
        self.setWindowTitle(f"{name} — Dossier Desk")

    def _server_address(self) -> str:
        return self.store.location if self.store.is_server else ""

    def _folder(self) -> Path:
        """Where file dialogs start: the open file's folder, or home."""
        return self.store.path.parent if self.store.path is not None else Path.home()

    # -- context menus (identity actions are hooks) ---------------------------
    def _hook_action(
        self, menu: QMenu, text: str, hook: Callable[..., None] | None, *args: object
    ) -> QAction:
        if hook is None:
            return add_disabled(menu, text, NOT_WIRED)
        if self.is_read_only():
            return add_disabled(menu, text, READ_ONLY_TIP)
        action = menu.addAction(text)
        action.triggered.connect(lambda _c=False: hook(*args))
        return action

    def mention_menu_actions(
        self, menu: QMenu, mention: MentionInfo | None, span: tuple[int, int] | None
    ) -> None:
        """The article pane's context menu: actions on the mention under the
        mouse and on the selected text."""
        h = self.hooks
        if mention is not None:
            if mention.entity_id is not None:
                eid, ename = mention.entity_id, mention.entity_name or ""
                open_profile = menu.addAction(menu_text(f"Show “{mention.entity_name}”"))
                open_profile.triggered.connect(lambda _c=False: self.select_entity(eid))
                about = menu.addAction("Articles about this entity")
                about.triggered.connect(
                    lambda _c=False: self.library.set_entity_filter((eid, ename))
                )
                if mention.status != "confirmed":
                    self._hook_action(menu, "Confirm link", h.confirm_mention, mention.id)
            self._hook_action(menu, "Link to entity…", h.link_mention, mention.id)
            if mention.entity_id is not None:
                self._hook_action(menu, "Unlink", h.unlink_mention, mention.id)
            self._hook_action(menu, "Not an entity", h.not_an_entity, mention.id)
            self._hook_action(
                menu, "Add to dossier", h.add_to_dossier, mention.entity_id, mention.id
            )
            if mention.entity_id is not None:
                # The mention becomes the relation's evidence.
                self._hook_action(
                    menu, "Add relation…", h.add_relation, mention.entity_id, mention.id
                )
        if span is not None and span[1] > span[0] and self.article.article_id() is not None:
            aid = self.article.article_id()
            mark = menu.addMenu("Mark selection as")
            for label, kind in (("Person", "PER"), ("Organisation", "ORG"), ("Place", "LOC")):
                self._hook_action(mark, label, h.mark_selection, aid, span[0], span[1], kind)
            self._hook_action(menu, "Add excerpt to dossier", h.add_excerpt, aid, span[0], span[1])
        if self.article.article_id() is not None:
            self._hook_action(
                menu, "Add article to dossier", h.add_article, self.article.article_id()
            )

    def _sidebar_menu(self, pos: QPoint) -> None:
        menu = self.sidebar_menu(self.sidebar.tree.indexAt(pos))
        if menu is not None:
            menu.exec(self.sidebar.tree.viewport().mapToGlobal(pos))
            menu.deleteLater()

    def sidebar_menu(self, index: QModelIndex) -> QMenu | None:
        """The sidebar's context menu for the entity at ``index``."""
        entity = self.sidebar.model.entity_at(index)
        if entity is None:
            return None
        menu = QMenu(self)
        show = menu.addAction("Show profile")
        show.triggered.connect(lambda _c=False: self.show_entity(entity.id))
        about = menu.addAction("Articles about this entity")
        about.triggered.connect(
            lambda _c=False: self.library.set_entity_filter((entity.id, entity.name))
        )
        menu.addSeparator()
        self._hook_action(menu, "Rename…", self.hooks.rename_entity, entity.id)
        ids = self._selected_entity_ids() or [entity.id]
        if len(ids) > 1:
            self._hook_action(menu, f"Merge {len(ids)} entities…", self.hooks.merge_entities, ids)
        self._hook_action(menu, "Add to dossier", self.hooks.add_to_dossier, entity.id, None)
        menu.addSeparator()
        self._hook_action(menu, "Not an entity…", self.hooks.delete_entity, entity.id, True)
        self._hook_action(menu, "Delete entity…", self.hooks.delete_entity, entity.id, False)
        return menu

    def _selected_entity_ids(self) -> list[int]:
        out = []
        for index in self.sidebar.tree.selectionModel().selectedRows(0):
            e = self.sidebar.model.entity_at(index)
            if e is not None:
                out.append(e.id)
        return out

    def _rename(self) -> None:
        eid = self.sidebar.selected_entity() or self.profile.entity_id()
        if self.hooks.rename_entity is not None and eid is not None:
            self.hooks.rename_entity(eid)

    def _merge(self) -> None:
        ids = self._selected_entity_ids()
        if self.hooks.merge_entities is not None and len(ids) > 1:
            self.hooks.merge_entities(ids)

    def _call_hook(self, name: str, *args: object) -> None:
        hook = getattr(self.hooks, name)
        if hook is None or self.is_read_only():
            if hook is not None:
                self.statusBar().showMessage(READ_ONLY_TIP, 4000)
                self.profile.reload()
                return
            self.statusBar().showMessage(NOT_WIRED, 4000)
            if name == "set_type":
                self.profile.reload()  # put the type box back
            return
        hook(*args)

    def _text_edited(self, entity_id: int, field: str, old: str, new: str) -> None:
        if self.is_read_only():
            self.statusBar().showMessage(READ_ONLY_TIP, 4000)
            self.profile.reload()
            return
        name = self.profile.profile.name if self.profile.profile else str(entity_id)
        self.undo_stack.push(EditEntityTextCommand(self, entity_id, field, old, new, name))

    # -- import -----------------------------------------------------------------
    def choose_import_files(self) -> None:
        files = file_dialogs.open_file_names(
            self, "Import articles", self.settings.last_import_dir, IMPORT_FILTER
        )
        if files:
            self.settings.last_import_dir = str(Path(files[0]).parent)
            self.import_paths([Path(f) for f in files])

    def choose_import_folder(self) -> None:
        folder = file_dialogs.existing_directory(
            self, "Import a folder of articles", self.settings.last_import_dir
        )
        if folder:
            self.settings.last_import_dir = folder
            self.import_paths([Path(folder)])

    def load_samples(self) -> bool:
        from desktop.resources import samples_dir

        return self.import_paths([samples_dir()])

    def import_paths(self, paths: Sequence[Path]) -> bool:
        if self.is_read_only():
            self.statusBar().showMessage(READ_ONLY_TIP, 4000)
            return False
        started = self.importer.import_paths(list(paths))
        if not started:
            self.statusBar().showMessage("An import is already running", 4000)
        return started

    def _import_finished(self, report: ImportReport, cancelled: bool) -> None:
        self.knowledge_changed()
        if report.imported and self.center.currentWidget() is self.welcome:
            self.open_article(report.imported[0])
        self.statusBar().showMessage(
            f"Imported {len(report.imported)}, {len(report.duplicates)} duplicates, "
            f"{len(report.failed)} failed" + (" (cancelled)" if cancelled else ""),
            8000,
        )

    def _pasted(self, article_id: int, created: bool) -> None:
        self.knowledge_changed()
        self.open_article(article_id)
        self.library.select_article(article_id)
        self.statusBar().showMessage(
            "Article added" if created else "This text is already in the library", 6000
        )

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    # -- databases --------------------------------------------------------------
    def choose_new_database(self) -> None:
        dialog = NewDatabaseDialog(self._folder(), self)
        dialog.accepted.connect(
            lambda: self.create_database(dialog.path(), dialog.chosen_passphrase())
        )
        self._replace_dialog("new_database_dialog", dialog)
        dialog.open()

    def create_database(self, path: Path, passphrase: str | None = None) -> bool:
        """Create a new database (encrypted when a passphrase is given) and switch to it."""
        if path.exists():
            self.show_error(f"{path}: a file with this name exists already")
            return False
        return self.open_database(path, passphrase=passphrase, encrypt=passphrase is not None)

    def choose_open_database(self) -> None:
        path = file_dialogs.open_file_name(self, "Open database", str(self._folder()), DB_FILTER)
        if path:
            self.open_database(Path(path))

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        current = str(self.store.path.resolve()) if self.store.path else self.store.location
        recent = [p for p in self.settings.recent_databases if p != current]
        for p in recent:
            a = self.recent_menu.addAction(p)
            a.triggered.connect(
                lambda _c=False, p=p: self.open_database(p if is_server_url(p) else Path(p))
            )
        if not recent:
            add_disabled(self.recent_menu, "No other databases yet", "")

    def open_database(
        self,
        path: Path | str,
        *,
        passphrase: str | None = None,
        encrypt: bool = False,
        read_only: bool = False,
    ) -> bool:
        """Switch the window to another database (created if new), or to a
        team library when ``path`` is a ``postgresql://`` address.

        Returns True when switched now. An encrypted file opens the passphrase
        dialog, a file another process holds offers read-only mode, a server
        that wants a password asks for it; each switches later, when answered.
        """
        if self.importer.running:
            self.show_error("Wait for the import to finish before switching databases.")
            return False
        if isinstance(path, str):
            if is_server_url(path):
                return self.open_server(path)
            path = Path(path)
        tried = passphrase if passphrase is not None else passphrase_from_env()
        if tried is None and path.resolve() == self.store.path.resolve():
            tried = self.store._passphrase  # reopening the open file: no need to ask
        try:
            store = open_store(path, passphrase=tried, encrypt=encrypt, read_only=read_only)
        except (PassphraseRequiredError, WrongPassphraseError) as exc:
            if encrypt:
                self.show_error(str(exc))
            else:
                self.ask_passphrase(path, str(exc) if tried else "", read_only=read_only)
            return False
        except DatabaseLockedError as exc:
            self.offer_read_only(path, exc, tried)
            return False
        except DamagedDatabaseError as exc:
            return self.offer_restore_damaged(path, exc, tried)
        except UnwritableError as exc:
            if read_only:
                self.show_error(str(exc))
                return False
            self.statusBar().showMessage(str(exc), 15000)
            return self.open_database(path, passphrase=tried, read_only=True)
        except DossierDeskError as exc:
            self.show_error(str(exc))
            return False
        self._switch_to(store)
        self.backup_on_open()
        return True

    def open_server(self, address: str, password: str | None = None) -> bool:
        """Switch to a team library. A missing or refused password is asked
        for; an unreachable server or an unprepared library is reported and
        the current library stays open."""
        try:
            store = open_store(address, password=password)
        except PasswordRequiredError as exc:
            ask_password(self, address, str(exc), lambda pw: self.open_server(address, pw))
            return False
        except ServerError as exc:
            if password is not None and "refused the password" in str(exc):
                ask_password(self, address, str(exc), lambda pw: self.open_server(address, pw))
            else:
                self.show_error(str(exc))
            return False
        except DossierDeskError as exc:
            self.show_error(str(exc))
            return False
        self._switch_to(store)
        return True

    def _switch_to(self, store: Store) -> None:
        # Work still running on the old library finishes before it closes.
        self.runner.wait()
        old = self.store
        self.set_store(store)
        old.close()

    def offer_reload(self, message: str) -> QMessageBox:
        """A stale edit was refused: say who changed the record, offer to reload."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Changed by someone else", message, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        reload = box.addButton("Reload", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(reload)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(
            lambda button: self.knowledge_changed() if button is reload else None
        )
        self.last_message = box
        box.open()
        return box

    def _replace_dialog(self, name: str, dialog: QWidget) -> None:
        old = getattr(self, name)
        if old is not None:
            old.deleteLater()
        setattr(self, name, dialog)

    def ask_passphrase(self, path: Path, error: str = "", *, read_only: bool = False) -> None:
        """The passphrase dialog for ``path``; a wrong answer brings it back
        with the error, Cancel keeps the current database."""
        dialog = PassphraseDialog(path, error, self)
        dialog.accepted.connect(
            lambda: self.open_database(path, passphrase=dialog.passphrase(), read_only=read_only)
        )
        self._replace_dialog("passphrase_dialog", dialog)
        dialog.open()

    @staticmethod
    def damaged_prompt(parent: QWidget, report: backup.DamageReport) -> str:
        """Asks what to do with a damaged library (tests replace it)."""
        from desktop.ui.application import ask_damaged

        return ask_damaged(parent, report)

    def offer_restore_damaged(
        self, path: Path, error: DamagedDatabaseError, passphrase: str | None
    ) -> bool:
        """The damaged-library dialog; restores the newest good backup over
        ``path`` (the damaged file moved aside) and opens it if asked.
        Returns whether it was restored and opened."""
        report = backup.damage_report(path, error.problems or [str(error)], passphrase)
        choice = self.damaged_prompt(self, report)
        if choice == "other":
            self.choose_open_database()
            return False
        if choice != "restore":
            return False
        try:
            backup.restore_unopenable(path, Path(report.good[0].path), passphrase=passphrase)
        except DossierDeskError as exc:
            self.show_error(str(exc))
            return False
        return self.open_database(path, passphrase=passphrase)

    def offer_read_only(
        self, path: Path, error: DatabaseLockedError, passphrase: str | None
    ) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "Database in use", str(error), parent=self)
        box.setInformativeText(
            "You can open it read-only to look things up while the other window "
            "keeps editing it, or choose another database."
        )
        read_only = box.addButton("Open read-only", QMessageBox.ButtonRole.AcceptRole)
        other = box.addButton("Choose another…", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(read_only)

        def answered(button: object) -> None:
            if button is read_only:
                self.open_database(path, passphrase=passphrase, read_only=True)
            elif button is other:
                self.choose_open_database()

        box.buttonClicked.connect(answered)
        self._replace_dialog("locked_box", box)
        box.open()

    def _make_read_only_banner(self) -> QFrame:
        banner = QFrame()
        banner.setObjectName("readOnlyBanner")
        banner.setAccessibleName("Read-only notice")
        banner.setStyleSheet(
            "#readOnlyBanner { background: #fff4ce; border-bottom: 1px solid #e0c060; }"
            "#readOnlyBanner QLabel { color: #4a3b00; }"
        )
        row = QHBoxLayout(banner)
        row.setContentsMargins(12, 6, 12, 6)
        self.read_only_label = QLabel()
        self.read_only_label.setWordWrap(True)
        retry = QPushButton("Open for editing")
        retry.setToolTip("Try again once the other window has closed the database")
        retry.clicked.connect(self.reopen_for_editing)
        self.read_only_retry = retry
        row.addWidget(self.read_only_label, 1)
        row.addWidget(retry)
        banner.hide()
        return banner

    def set_read_only(self, on: bool) -> None:
        self.read_only_banner.setVisible(on)
        if on:
            self.read_only_label.setText(
                f"<b>Read-only.</b> {html.escape(self.store.path.name)} is open in another "
                "Dossier Desk window; you can read and export here, but not change anything."
            )
        self.update_actions()

    def reopen_for_editing(self) -> bool:
        return self.open_database(self.store.path)

    def set_store(self, store: Store) -> None:
        self.store = store
        for part in (self.library, self.sidebar, self.profile, self.importer):
            part.store = store
        self.undo_stack.clear()  # commands refer to records of the old database
        self.article.clear()
        self.profile.clear()
        self.library.set_entity_filter(None)
        if not store.read_only:
            self.settings.add_recent_database(store.path or store.location)
        self.team.attach(store)
        self.set_title()
        self.set_read_only(store.read_only)
        self.refresh()
        self.storeChanged.emit(store)

    # -- backups ------------------------------------------------------------------
    def backup_on_open(self) -> None:
        """The rotating backup made when a database is opened (only if its data
        changed since its newest backup), off the GUI thread."""
        store, keep = self.store, self.settings.backups_keep
        if store.read_only or store.path is None:
            return  # a team library is backed up on its server

        def done(info: backup.BackupInfo | None) -> None:
            if info is not None:
                self.statusBar().showMessage(f"Backed up {store.path.name} on opening", 4000)

        self.runner.run(
            lambda: backup.backup_on_open(store, keep=keep),
            done,
            lambda exc: self.statusBar().showMessage(f"No backup on opening: {exc}", 10000),
        )

    def back_up_now(self) -> None:
        store, keep = self.store, self.settings.backups_keep
        self.runner.run(
            lambda: backup.back_up(store, keep=keep),
            lambda info: self.statusBar().showMessage(f"Backed up to {info.path}", 8000),
            lambda exc: self.show_error(str(exc)),
        )

    def choose_restore(self) -> None:
        dialog = RestoreDialog(
            self.store.path,
            backup.list_backups(self.store.path),
            self,
            keep=self.settings.backups_keep,
        )
        dialog.keepChanged.connect(self._set_backups_keep)

        def accepted() -> None:
            chosen = dialog.selected()
            if chosen is not None:
                self.restore_backup(Path(chosen.path))

        dialog.accepted.connect(accepted)
        self._replace_dialog("restore_dialog", dialog)
        dialog.open()

    def _set_backups_keep(self, keep: int) -> None:
        # Takes effect at the next backup, which prunes to the new number.
        self.settings.backups_keep = keep

    def restore_backup(self, path: Path) -> bool:
        """Replace the database's contents with the backup ``path`` and reload.

        Runs off the GUI thread (a large database takes seconds) with the
        window disabled, so nothing is edited meanwhile. Returns whether it started.
        """
        if self.importer.running:
            self.show_error("Wait for the import to finish before restoring a backup.")
            return False
        self.runner.wait()
        store, keep = self.store, self.settings.backups_keep
        self.setEnabled(False)
        self.statusBar().showMessage(f"Restoring from {path.name}…")

        def done(result: backup.RestoreResult) -> None:
            self.setEnabled(True)
            self.set_store(store)  # every view and the undo stack start again
            self.statusBar().showMessage(
                f"Restored from {path.name}. The state before is saved as "
                f"{Path(result.safety_backup).name} (File > Restore from backup to undo).",
                15000,
            )

        def failed(exc: BaseException) -> None:
            self.setEnabled(True)
            self.statusBar().clearMessage()
            if not isinstance(exc, DossierDeskError):
                raise exc
            self.show_error(str(exc))

        self.runner.run(lambda: backup.restore(store, path, keep=keep), done, failed)
        return True

    def choose_save_copy(self) -> None:
        suggestion = self.store.path.with_name(f"{self.store.path.stem} copy.sqlite")
        path = file_dialogs.save_file_name(
            self, "Save a copy as", str(suggestion), "Dossier Desk database (*.sqlite)"
        )
        if path:
            self.save_copy(Path(path))

    def save_copy(self, target: Path) -> None:
        store = self.store
        self.runner.run(
            # The file dialog has asked before replacing a file.
            lambda: backup.save_copy(store, target, overwrite=True),
            lambda path: self.statusBar().showMessage(f"Saved a copy as {path}", 8000),
            lambda exc: self.show_error(str(exc)),
        )

    # -- appearance and layout ------------------------------------------------
    def set_theme_mode(self, mode: str) -> None:
        self.settings.theme = mode
        self.themes.set_mode(mode)
        self.theme_actions[mode].setChecked(True)

    def _theme_changed(self, theme: Theme) -> None:
        self.article.set_theme(theme)
        for action in self.findChildren(QAction):
            name = action.data()
            if isinstance(name, str) and name:
                action.setIcon(icon(name, theme))

    def current_theme(self) -> Theme:
        return self.themes.theme or LIGHT

    def restore_layout(self) -> None:
        self._default_state = self.saveState()
        geometry, state = self.settings.window_geometry, self.settings.window_state
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        if not state.isEmpty():
            self.restoreState(state)

    def save_layout(self) -> None:
        self.settings.window_geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()
        self.settings.sync()

    def fit_to_screen(self) -> None:
        """Size the window to the screen it is on (never larger), and the
        panels in proportion: library and sidebar about a quarter each."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        room = screen.availableGeometry() if screen is not None else QRect(0, 0, 1400, 860)
        width = min(1800, int(room.width() * 0.96))
        height = min(1100, int(room.height() * 0.94))
        if self.isMaximized() or self.isFullScreen():
            self.showNormal()
        self.resize(width, height)
        frame = self.frameGeometry()
        frame.moveCenter(room.center())
        self.move(max(room.left(), frame.left()), max(room.top(), frame.top()))
        side = max(SIDE_MIN_WIDTH, min(420, width // 4))
        shelf = max(SIDE_MIN_WIDTH, min(480, width * 3 // 10))
        for dock in self.views.values():
            if dock.isFloating():
                dock.setFloating(False)
        self.resizeDocks(
            [self.views["libraryDock"], self.views["entityDock"]],
            [shelf, side],
            Qt.Orientation.Horizontal,
        )
        self.resizeDocks([self.views["profileDock"]], [height * 3 // 8], Qt.Orientation.Vertical)

    def reset_layout(self) -> None:
        self.restoreState(self._default_state)
        for dock, area, with_dock in self._added_docks:
            self.addDockWidget(area, dock)
            self.tabifyDockWidget(with_dock, dock)
        for dock in self.views.values():
            dock.show()
        for _dock, _area, with_dock in self._added_docks:
            with_dock.raise_()
        self.fit_to_screen()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.importer.cancel()
        self.runner.wait()
        self.save_layout()
        super().closeEvent(event)

    # -- messages -----------------------------------------------------------------
    def show_error(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)
        box = QMessageBox(QMessageBox.Icon.Warning, "Dossier Desk", message, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # messages quote names and titles
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_message = box
        box.open()

    def show_about(self) -> None:
        from desktop.ui.about import AboutDialog

        dialog = AboutDialog(self.store, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.about_dialog = dialog
        dialog.open()
