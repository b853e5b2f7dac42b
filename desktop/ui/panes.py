"""The library pane, the entity sidebar and the entity profile pane.

Each pane takes the Store in its constructor and calls services; none holds
a session. The panes talk to the window through signals only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, QEvent, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import DossierDeskError
from desktop.core.services import browse
from desktop.core.services.browse import (
    AliasRow,
    CoMention,
    EntityProfile,
    KwicRow,
    RelationRow,
    SidebarEntity,
)
from desktop.core.store import Store
from desktop.ui.models import ArticleTableModel, Column, EntityTreeModel, RowTableModel
from desktop.ui.plain import menu_text, plain_label
from desktop.ui.tasks import TaskRunner, gc_paused, keep_out_of_gc
from desktop.ui.theme import TYPE_LABELS, TYPE_SINGULAR


def _n(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _table(model: object, name: str) -> QTableView:
    view = QTableView()
    view.setModel(model)  # type: ignore[arg-type]
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    # A fixed row height lets the view skip measuring rows: 10,000 rows stay instant.
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(24)
    view.horizontalHeader().setHighlightSections(False)
    return view


class _ElideLeft(QStyledItemDelegate):
    """Cuts text at its start: the left context of a mention ends at the mention."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideLeft  # type: ignore[attr-defined]


def _article_rows(store: Store) -> list[browse.ArticleRow]:
    with gc_paused():  # see gc_paused: the GUI thread keeps the GIL
        return browse.article_rows(store)


class LibraryPane(QWidget):
    """Articles with title, publication, date and entity count: sortable, with
    full-text search (FTS5), a filter by entity and a date range."""

    articleActivated = Signal(int)
    loaded = Signal()  # the articles of a refresh are in the model

    def __init__(
        self, store: Store, runner: TaskRunner | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self._generation = 0
        # Set while the pane itself moves the selection (after a reload, or to
        # follow the article the window opened), so no article is re-opened.
        self._quiet = False
        self.setAccessibleName("Library")
        self.model = ArticleTableModel(self)
        self.entity_filter: tuple[int, str] | None = None

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search articles (Ctrl+K)")
        self.search.setAccessibleName("Search articles")
        self.search.setClearButtonEnabled(True)
        # Search after a short pause in typing, not on every key.
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self.search_in_background)
        self._search_generation = 0
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filter)

        self.use_dates = QCheckBox("Published")
        self.use_dates.setAccessibleName("Filter by publication date")
        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        for edit, name in ((self.date_from, "From date"), (self.date_to, "To date")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
            edit.setEnabled(False)
        self.date_from.setDate(QDate(2000, 1, 1))
        self.date_to.setDate(QDate.currentDate())
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(lambda _d: self.apply_filter())
        self.use_dates.toggled.connect(self._dates_toggled)

        self.entity_chip = QPushButton()
        self.entity_chip.setAccessibleName("Remove entity filter")
        self.entity_chip.setToolTip("Show articles about any entity")
        self.entity_chip.clicked.connect(lambda: self.set_entity_filter(None))
        self.entity_chip.hide()

        self.count = QLabel()
        self.count.setObjectName("muted")

        self.table = _table(self.model, "Articles")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
        header = self.table.horizontalHeader()
        # The title takes the room; date and count as wide as their text.
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(1, 68)
        # A narrow header shows "Publica…", not a cut-off word.
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        # The count as wide as a four-digit number ("Entities" elides): the
        # title needs the room more.
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Fixed)
        self._fit_count_column()
        # Sized from the rows on screen: by default Qt measures 1,000 rows
        # through the Python model on every relayout (a 100 ms stall at 10,000
        # articles), and a date or a count is as wide on screen as anywhere.
        header.setResizeContentsPrecision(0)
        header.setStretchLastSection(False)
        self.table.activated.connect(self._activated)
        self.table.clicked.connect(self._activated)
        # Moving through the list with the arrow keys opens each article.
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._quiet or self._activated(current)
        )

        dates = QHBoxLayout()
        dates.addWidget(self.use_dates)
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel("–"))
        dates.addWidget(self.date_to)
        dates.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.search)
        layout.addLayout(dates)
        layout.addWidget(self.entity_chip)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)

    def _fit_count_column(self) -> None:
        cells = self.table.fontMetrics()
        self.table.horizontalHeader().resizeSection(3, cells.horizontalAdvance("9999") + 24)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_count_column()

    def refresh(self, *, background: bool = False) -> None:
        """Reload the articles. ``background`` reads them on the task runner
        (the grouped count over every mention takes a noticeable moment in a
        large library); the table keeps its rows until the new ones arrive."""
        self._generation += 1
        generation = self._generation
        if background and self.runner is not None:
            store = self.store
            self.runner.run(
                lambda: _article_rows(store), lambda rows: self._loaded(generation, rows)
            )
        else:
            self._loaded(generation, browse.article_rows(self.store))

    def _loaded(self, generation: int, rows: list[browse.ArticleRow]) -> None:
        if generation != self._generation:
            return
        current = self.current_article()
        self._quiet = True
        try:
            self.model.set_articles(rows)
            self.apply_filter()
        finally:
            self._quiet = False
        if current is not None:
            self.select_article(current, quiet=True)
        self.loaded.emit()

    def current_article(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.article_at(index.row()).id if index.isValid() else None

    def _dates_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.apply_filter()

    def set_entity_filter(self, entity: tuple[int, str] | None) -> None:
        """Show only articles mentioning the entity (id, name); None clears."""
        self.entity_filter = entity
        self.entity_chip.setVisible(entity is not None)
        if entity is not None:
            self.entity_chip.setText(menu_text(f"About: {entity[1]}  ✕"))
        self.apply_filter()

    def _matching_ids(self) -> Callable[[], set[int] | None]:
        """The query of the search box and the entity filter, as a function a
        worker can run (None: no restriction by id)."""
        store, query = self.store, self.search.text().strip()
        entity = self.entity_filter[0] if self.entity_filter is not None else None

        def ids() -> set[int] | None:
            found = browse.search_article_ids(store, query) if query else None
            if entity is not None:
                about = browse.articles_mentioning(store, entity)
                found = about if found is None else found & about
            return found

        return ids

    def search_in_background(self) -> None:
        """What typing in the search box does (after a pause): the full-text
        query runs on the runner, and the newest result is shown."""
        self._search_timer.stop()
        if self.runner is None:
            self.apply_filter()
            return
        self._search_generation += 1
        generation = self._search_generation
        self.runner.run(
            self._matching_ids(),
            lambda ids: generation == self._search_generation and self._show_filtered(ids),
        )

    def apply_filter(self) -> None:
        self._search_timer.stop()
        self._search_generation += 1  # a search still running is outdated now
        self._show_filtered(self._matching_ids()())

    def _show_filtered(self, ids: set[int] | None) -> None:
        d_from: dt.date | None = None
        d_to: dt.date | None = None
        if self.use_dates.isChecked():
            d_from = self.date_from.date().toPython()  # type: ignore[assignment]
            d_to = self.date_to.date().toPython()  # type: ignore[assignment]
        self.model.set_filter(ids, d_from, d_to)
        shown, total = self.model.rowCount(), self.model.total()
        self.count.setText(
            f"{total} articles" if shown == total else f"{shown} of {total} articles"
        )

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.articleActivated.emit(self.model.article_at(index.row()).id)

    def select_article(self, article_id: int, *, quiet: bool = False) -> None:
        """Select the article's row; ``quiet`` does not announce it (the
        window already shows that article)."""
        row = self.model.row_of(article_id)
        if row < 0:
            return
        self._quiet = quiet
        try:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        finally:
            self._quiet = False


def _library_groups(store: Store) -> tuple[dict, dict]:  # type: ignore[type-arg]
    """Every entity of the library split by type, and the matches of each
    first letter typed in the filter (on a worker)."""
    with gc_paused():
        groups = EntityTreeModel.prepare(browse.library_entities(store))
        return groups, EntityTreeModel.first_letters(groups)


class EntitySidebar(QWidget):
    """Entities of the open article (or of the whole library) grouped by type,
    with mention counts, a filter box and a badge for unconfirmed links."""

    entityActivated = Signal(int)
    entitySelected = Signal(int)
    loaded = Signal()  # the list for the current scope is in the model

    def __init__(
        self, store: Store, runner: TaskRunner | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self.setAccessibleName("Entity sidebar")
        self.article_id: int | None = None
        self.model = EntityTreeModel(self)
        # Bumped on every refresh so a slow library load that finishes after
        # the user moved on is dropped instead of overwriting the newer list.
        self._generation = 0
        self.loading = False

        self.scope = QComboBox()
        self.scope.addItem("This article", "article")
        self.scope.addItem("Whole library", "library")
        self.scope.setAccessibleName("Entities shown")
        self.scope.currentIndexChanged.connect(lambda _i: self.refresh())
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter entities")
        self.filter.setAccessibleName("Filter entities")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_changed)

        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setAccessibleName("Entities")
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.tree.header()
        header.setStretchLastSection(False)
        # The name takes the room; the counts are as wide as the largest
        # number they show. Fixed widths from the font, not "resize to
        # contents": that measured every row in reach through the model on
        # each reset, nine calls in ten of the sidebar's on opening an article.
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.setMinimumSectionSize(32)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._fit_count_columns()
        self.tree.activated.connect(self._activated)
        self.tree.selectionModel().currentRowChanged.connect(self._current_changed)
        self.model.modelReset.connect(self.tree.expandAll)
        # A filter keeps the expanded groups; a group it brings back opens too.
        self.model.layoutChanged.connect(self._expand_groups)
        self.empty = QLabel()
        self.empty.setObjectName("muted")
        self.empty.setWordWrap(True)
        # Shown while the whole library's entities load on a worker.
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(6)
        self.busy.setAccessibleName("Loading entities")
        self.busy.hide()

        top = QHBoxLayout()
        top.addWidget(self.scope)
        top.addWidget(self.filter, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.busy)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty)

    def _fit_count_columns(self) -> None:
        # As wide as the numbers, not as their titles: the name column needs
        # the room more ("Mentions" is elided to "Men…", its tooltip whole).
        cells = self.tree.fontMetrics()
        pad = 2 * self.tree.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 12
        for column, widest in ((1, "99999"), (2, "● 99  ≈ 9")):
            self.tree.header().resizeSection(column, cells.horizontalAdvance(widest) + pad)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_count_columns()

    def _expand_groups(self) -> None:
        for row in range(self.model.rowCount()):
            self.tree.expand(self.model.index(row, 0))

    def scope_name(self) -> str:
        return str(self.scope.currentData())

    def set_scope(self, scope: str) -> None:
        i = self.scope.findData(scope)
        if i >= 0:
            self.scope.setCurrentIndex(i)

    def set_article(self, article_id: int | None) -> None:
        self.article_id = article_id
        if self.scope_name() == "article":
            self.refresh()

    def refresh(self) -> None:
        self._generation += 1
        generation = self._generation
        if self.scope_name() == "library" and self.runner is not None:
            # The whole library can be 100,000 entities: load them off the GUI thread.
            store = self.store
            self.loading = True
            self.empty.setText("Loading the entities of the library…")
            self.empty.show()
            self.busy.show()
            self.runner.run(
                lambda: _library_groups(store),
                lambda groups: self._loaded(generation, groups),
            )
            return
        entities: list[SidebarEntity]
        if self.scope_name() == "library":
            entities = browse.library_entities(self.store)
        elif self.article_id is not None:
            entities = browse.article_entities(self.store, self.article_id)
        else:
            entities = []
        self._loaded(generation, EntityTreeModel.prepare(entities))

    def _loaded(self, generation: int, groups: dict | tuple) -> None:  # type: ignore[type-arg]
        if generation != self._generation:
            return
        self.loading = False
        self.busy.hide()
        letters = None
        if isinstance(groups, tuple):
            groups, letters = groups
        self.model.set_prepared(groups, letters)
        if self.scope_name() == "library":
            keep_out_of_gc()  # 100,000 entities, kept until the next load
        self._update_empty()
        self.loaded.emit()

    def _filter_changed(self, text: str) -> None:
        self.model.set_filter(text)
        self._update_empty()

    def _update_empty(self) -> None:
        if self.model.visible_count():
            self.empty.hide()
            return
        if self.model.filter_text():
            self.empty.setText("No entity matches the filter.")
        elif self.scope_name() == "article":
            self.empty.setText(
                "No entities linked in this article yet. Select a name in the text "
                "and mark it as a person, organisation or place."
            )
        else:
            self.empty.setText("The library has no entities yet.")
        self.empty.show()

    def select_entity(self, entity_id: int) -> bool:
        index = self.model.index_of(entity_id)
        if not index.isValid():
            return False
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)
        return True

    def selected_entity(self) -> int | None:
        e = self.model.entity_at(self.tree.currentIndex())
        return e.id if e else None

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        e = self.model.entity_at(current)
        if e is not None:
            self.entitySelected.emit(e.id)

    def _activated(self, index: QModelIndex) -> None:
        e = self.model.entity_at(index)
        if e is not None:
            self.entityActivated.emit(e.id)


def _sentence(r: KwicRow) -> str:
    return f"{r.left}{r.text}{r.right}"


def _kwic_columns() -> list[Column[KwicRow]]:
    return [
        Column("Before", lambda r: r.left, align_right=True, tooltip=_sentence),
        Column("Mention", lambda r: r.text, tooltip=lambda r: f"{r.status} mention", bold=True),
        Column("After", lambda r: r.right, tooltip=_sentence),
        Column("Article", lambda r: r.article_title, tooltip=lambda r: r.article_title),
        Column("Date", lambda r: r.date or "", key=lambda r: r.date or ""),
    ]


class ProfilePane(QWidget):
    """Everything about one entity: name, type, aliases with their kinds,
    description and notes, each mention in context, co-mentioned entities and
    relations. Double-clicking a mention opens the article at that place."""

    openMention = Signal(int, int, int)  # article id, start, end
    entityActivated = Signal(int)
    # (entity id, field, old text, new text): the window wraps it in an undo command.
    textEdited = Signal(int, str, str, str)
    failed = Signal(str)
    # Identity edits are requests: the window routes them to its hooks, which
    # go through the resolver and onto the undo stack.
    addAliasRequested = Signal(int)  # entity id
    removeAliasesRequested = Signal(int, list)  # entity id, alias names
    splitAliasesRequested = Signal(int, list)  # entity id, alias names
    typeChangeRequested = Signal(int, str)  # entity id, PER/ORG/LOC/MISC
    addRelationRequested = Signal(int)  # entity id
    removeRelationRequested = Signal(int)  # relation id

    def __init__(
        self, store: Store, runner: TaskRunner | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self._generation = 0
        self.setAccessibleName("Entity profile")
        self.profile: EntityProfile | None = None

        self.name = plain_label(QLabel("No entity selected"))
        self.name.setObjectName("profileName")
        self.name.setAccessibleName("Entity name")
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.type_combo = QComboBox()
        self.type_combo.setAccessibleName("Change entity type")
        self.type_combo.setToolTip("The entity's type; changing it can be undone")
        for code, label in TYPE_SINGULAR.items():
            self.type_combo.addItem(label, code)
        # `activated` fires on the user's choice only, not when a profile is shown.
        self.type_combo.activated.connect(self._type_chosen)
        self.type_combo.hide()
        head = QHBoxLayout()
        head.addWidget(self.name, 1)
        head.addWidget(self.type_combo)

        self.aliases = RowTableModel[AliasRow](
            [
                Column("Name", lambda r: r.name),
                Column("Kind", lambda r: r.kind),
                Column("Origin", lambda r: r.origin),
                Column(
                    "Confirmed", lambda r: "yes" if r.confirmed else "", key=lambda r: r.confirmed
                ),
            ],
            lambda r: r.id,
            self,
        )
        self.mentions = RowTableModel[KwicRow](_kwic_columns(), lambda r: r.mention_id, self)
        self.co_mentions = RowTableModel[CoMention](
            [
                Column("Entity", lambda r: r.name),
                Column("Type", lambda r: TYPE_LABELS.get(r.type, r.type)),
                Column(
                    "Shared articles",
                    lambda r: r.articles,
                    key=lambda r: r.articles,
                    align_right=True,
                ),
            ],
            lambda r: r.entity_id,
            self,
        )
        self.relations = RowTableModel[RelationRow](
            [
                Column("Subject", lambda r: r.subject),
                Column("Predicate", lambda r: r.predicate),
                Column("Object", lambda r: r.object),
                Column("Evidence", lambda r: r.evidence, tooltip=lambda r: r.evidence),
                Column("Note", lambda r: r.note, tooltip=lambda r: r.note),
            ],
            lambda r: r.id,
            self,
        )

        self.description = QPlainTextEdit()
        self.description.setAccessibleName("Description")
        self.description.setPlaceholderText("A short description for the dossier")
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("Notes")
        self.notes.setPlaceholderText("Working notes")
        self.save_button = QPushButton("Save text")
        self.save_button.setAccessibleName("Save description and notes")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save_text)
        self.description.textChanged.connect(self._text_changed)
        self.notes.textChanged.connect(self._text_changed)
        text_tab = QWidget()
        form = QFormLayout(text_tab)
        form.addRow("Description", self.description)
        form.addRow("Notes", self.notes)
        form.addRow("", self.save_button)

        self.mention_view = _table(self.mentions, "Mentions in context")
        mh = self.mention_view.horizontalHeader()
        # Before and After carry the evidence: they share the room; the
        # mention, the article and the date get what their text needs.
        mh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        mh.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        mh.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        mh.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        mh.resizeSection(3, 160)
        mh.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        mh.setResizeContentsPrecision(0)  # an entity can have thousands of mentions
        mh.setStretchLastSection(False)
        self.mention_view.setSortingEnabled(False)
        self._elide_left = _ElideLeft(self.mention_view)
        self.mention_view.setItemDelegateForColumn(0, self._elide_left)
        self.mention_view.doubleClicked.connect(self._open_mention)
        self.alias_view = _table(self.aliases, "Aliases")
        self.alias_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Several aliases can be split out together (Shift/Ctrl+click, Shift+arrows).
        self.alias_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.act_add_alias = QAction("Add alias…", self)
        self.act_add_alias.setShortcut(QKeySequence("Ctrl+Shift+A"))
        self.act_add_alias.setStatusTip("Add a name, alias, previous name or weak alias")
        self.act_add_alias.triggered.connect(self._add_alias)
        self.act_remove_alias = QAction("Remove alias", self)
        self.act_remove_alias.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.act_remove_alias.setStatusTip("Remove the selected aliases (undo brings them back)")
        self.act_remove_alias.triggered.connect(self._remove_aliases)
        self.act_split = QAction("Split out…", self)
        self.act_split.setStatusTip("Move the selected aliases and their mentions to a new entity")
        self.act_split.triggered.connect(self._split_aliases)
        self._attach_actions(
            self.alias_view, (self.act_add_alias, self.act_remove_alias, self.act_split), "aliases"
        )
        alias_tab = self._tab_with_buttons(
            self.alias_view,
            [
                self._button(self.act_add_alias, "Add alias", "&Add alias…"),
                self._button(self.act_remove_alias, "Remove selected aliases", "&Remove"),
                self._button(self.act_split, "Split out selected aliases", "&Split out…"),
            ],
        )
        self.co_view = _table(self.co_mentions, "Co-mentioned entities")
        self.co_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.co_view.doubleClicked.connect(self._open_co)
        self.relation_view = _table(self.relations, "Relations")
        rh = self.relation_view.horizontalHeader()
        rh.setStretchLastSection(True)
        for column, width in enumerate((170, 110, 170, 220)):
            rh.resizeSection(column, width)
        self.relation_view.doubleClicked.connect(self._open_related)
        self.act_add_relation = QAction("Add relation…", self)
        self.act_add_relation.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.act_add_relation.setStatusTip("Relate this entity to another, citing a mention")
        self.act_add_relation.triggered.connect(self._add_relation)
        self.act_remove_relation = QAction("Remove relation", self)
        self.act_remove_relation.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.act_remove_relation.setStatusTip("Remove the selected relation (undo brings it back)")
        self.act_remove_relation.triggered.connect(self._remove_relation)
        self._attach_actions(
            self.relation_view, (self.act_add_relation, self.act_remove_relation), "relations"
        )
        relation_tab = self._tab_with_buttons(
            self.relation_view,
            [
                self._button(self.act_add_relation, "Add relation", "Add &relation…"),
                self._button(self.act_remove_relation, "Remove selected relation", "R&emove"),
            ],
        )

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Profile sections")
        self.tabs.addTab(self.mention_view, "Mentions")
        self.tabs.addTab(alias_tab, "Aliases")
        self.tabs.addTab(text_tab, "Description && notes")
        self.tabs.addTab(self.co_view, "Co-mentioned")
        self.tabs.addTab(relation_tab, "Relations")

        self.summary = QLabel()
        self.summary.setObjectName("muted")
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(head)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        self.setEnabled(True)
        self._update_buttons()

    # -- editing: requests to the window ------------------------------------------
    @staticmethod
    def _button(action: QAction, accessible: str, text: str) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(accessible)
        button.setToolTip(action.statusTip())
        button.clicked.connect(action.trigger)
        action.changed.connect(lambda: button.setEnabled(action.isEnabled()))
        button.setEnabled(action.isEnabled())
        return button

    @staticmethod
    def _tab_with_buttons(view: QWidget, buttons: list[QPushButton]) -> QWidget:
        tab = QWidget()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for b in buttons:
            row.addWidget(b)
        row.addStretch(1)
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(row)
        layout.addWidget(view, 1)
        return tab

    def context_menu(self, table: str) -> QMenu:
        """The context menu of the "aliases" or the "relations" table."""
        menu = QMenu(self)
        if table == "aliases":
            menu.addActions([self.act_add_alias, self.act_remove_alias, self.act_split])
        else:
            menu.addActions([self.act_add_relation, self.act_remove_relation])
        return menu

    def _attach_actions(self, view: QTableView, actions: tuple[QAction, ...], table: str) -> None:
        """The table's own actions: in its context menu, with shortcuts that
        work while the table has the focus (Delete means a different thing in
        each table, so not window-wide), and buttons that follow its selection."""
        for action in actions:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            view.addAction(action)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(lambda pos: self._menu(view, pos, table))
        view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

    def _menu(self, view: QTableView, pos: QPoint, table: str) -> None:
        menu = self.context_menu(table)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(view.viewport().mapToGlobal(pos))

    def selected_aliases(self) -> list[AliasRow]:
        rows = sorted(i.row() for i in self.alias_view.selectionModel().selectedRows(0))
        return [self.aliases.row_at(r) for r in rows]

    def selected_relation(self) -> RelationRow | None:
        index = self.relation_view.currentIndex()
        selected = self.relation_view.selectionModel().selectedRows(0)
        if not index.isValid() or not selected:
            return None
        return self.relations.row_at(index.row())

    def _update_buttons(self) -> None:
        p = self.profile
        chosen = self.selected_aliases() if p is not None else []
        # The canonical name stays: rename the entity to change it.
        canonical = p is not None and any(a.name == p.name for a in chosen)
        self.act_add_alias.setEnabled(p is not None)
        self.act_remove_alias.setEnabled(bool(chosen) and not canonical)
        self.act_split.setEnabled(bool(chosen) and not canonical)
        why = "The canonical name cannot be removed or split off; rename the entity first"
        for action in (self.act_remove_alias, self.act_split):
            action.setToolTip(why if canonical else action.text())
        self.act_add_relation.setEnabled(p is not None)
        self.act_remove_relation.setEnabled(self.selected_relation() is not None)
        self.type_combo.setEnabled(p is not None)

    def _add_alias(self) -> None:
        if self.profile is not None:
            self.addAliasRequested.emit(self.profile.id)

    def _remove_aliases(self) -> None:
        names = [a.name for a in self.selected_aliases()]
        if self.profile is not None and names and self.act_remove_alias.isEnabled():
            self.removeAliasesRequested.emit(self.profile.id, names)

    def _split_aliases(self) -> None:
        names = [a.name for a in self.selected_aliases()]
        if self.profile is not None and names and self.act_split.isEnabled():
            self.splitAliasesRequested.emit(self.profile.id, names)

    def _type_chosen(self, index: int) -> None:
        code = str(self.type_combo.itemData(index))
        if self.profile is not None and code != self.profile.type:
            self.typeChangeRequested.emit(self.profile.id, code)

    def _add_relation(self) -> None:
        if self.profile is not None:
            self.addRelationRequested.emit(self.profile.id)

    def _remove_relation(self) -> None:
        r = self.selected_relation()
        if r is not None:
            self.removeRelationRequested.emit(r.id)

    def _open_related(self, index: QModelIndex) -> None:
        if index.isValid() and self.profile is not None:
            r = self.relations.row_at(index.row())
            self.entityActivated.emit(
                r.object_id if r.subject_id == self.profile.id else r.subject_id
            )

    def entity_id(self) -> int | None:
        return self.profile.id if self.profile else None

    def show_entity(self, entity_id: int) -> None:
        """Show an entity; with a runner the profile (every mention in context,
        co-mentions) is read off the GUI thread."""
        self._generation += 1
        generation = self._generation
        if self.runner is None:
            self._show(generation, browse.entity_profile(self.store, entity_id))
            return
        store = self.store
        self.runner.run(
            lambda: browse.entity_profile(store, entity_id),
            lambda p: self._show(generation, p),
            self._failed,
        )

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, DossierDeskError):
            raise exc
        self.clear()
        self.failed.emit(str(exc))

    def _show(self, generation: int, p: EntityProfile) -> None:
        if generation != self._generation:
            return
        self.profile = p
        self.name.setText(p.name)
        self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(p.type)))
        self.type_combo.show()
        self.aliases.set_rows(p.aliases)
        self.mentions.set_rows(p.mentions)
        self.co_mentions.set_rows(p.co_mentions)
        self.relations.set_rows(p.relations)
        for edit, text in ((self.description, p.description), (self.notes, p.notes)):
            edit.blockSignals(True)
            edit.setPlainText(text)
            edit.blockSignals(False)
        self.save_button.setEnabled(False)
        articles = len({k.article_id for k in p.mentions})
        more = "+" if p.mentions_truncated else ""
        self.summary.setText(
            f"{_n(len(p.mentions), 'mention')}{more} in {_n(articles, 'article')} · "
            f"{_n(len(p.aliases), 'name')} · {_n(len(p.relations), 'relation')}"
        )
        self._update_buttons()

    def clear(self) -> None:
        self.profile = None
        self.name.setText("No entity selected")
        self.type_combo.hide()
        self.summary.setText("Click a highlighted name in an article, or an entity in the sidebar.")
        for model in (self.aliases, self.mentions, self.co_mentions, self.relations):
            model.set_rows([])
        for edit in (self.description, self.notes):
            edit.blockSignals(True)
            edit.clear()
            edit.blockSignals(False)
        self.save_button.setEnabled(False)
        self._update_buttons()

    def reload(self) -> None:
        if self.profile is not None:
            self.show_entity(self.profile.id)

    def _text_changed(self) -> None:
        p = self.profile
        self.save_button.setEnabled(
            p is not None
            and (
                self.description.toPlainText() != p.description
                or self.notes.toPlainText() != p.notes
            )
        )

    def save_text(self) -> None:
        p = self.profile
        if p is None:
            return
        for field, edit, old in (
            ("description", self.description, p.description),
            ("notes", self.notes, p.notes),
        ):
            new = edit.toPlainText()
            if new != old:
                self.textEdited.emit(p.id, field, old, new)

    def _open_mention(self, index: QModelIndex) -> None:
        if index.isValid():
            k = self.mentions.row_at(index.row())
            self.openMention.emit(k.article_id, k.start, k.end)

    def _open_co(self, index: QModelIndex) -> None:
        if index.isValid():
            self.entityActivated.emit(self.co_mentions.row_at(index.row()).entity_id)
