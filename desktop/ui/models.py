"""Item models over data the services return.

Each model holds plain dataclasses from ``desktop.core.services`` and never a
database session. Sorting and filtering happen inside the models on those
lists (a Python sort of 10,000 rows is a few milliseconds, far less than a
proxy model calling back into Python for every row); full-text search is done
by SQLite and arrives here as a set of ids.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import compress
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont

from desktop.core.services.browse import ArticleRow, SidebarEntity
from desktop.ui.plain import tip
from desktop.ui.theme import TYPE_LABELS

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
T = TypeVar("T")

Display = Qt.ItemDataRole.DisplayRole
ToolTip = Qt.ItemDataRole.ToolTipRole
IdRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2


_ARTICLE_ROLES = frozenset({Display, ToolTip, Qt.ItemDataRole.TextAlignmentRole, IdRole})


class ListTableModel(QAbstractTableModel, Generic[T]):
    """A flat list of rows under fixed column titles: the row count, the
    column count, the titles and removing a row, shared by the review
    queues' models (each answers ``data`` for its own rows)."""

    COLUMNS: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[T] = []

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Display) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Display
            and 0 <= section < len(self.COLUMNS)
        ):
            return self.COLUMNS[section]
        return None


def select_row(view: Any, row: int) -> None:
    """Make ``row`` (clamped to the rows there are) the current, selected
    row of the table ``view``; nothing when it has none."""
    model = view.model()
    if model.rowCount() == 0:
        return
    row = max(0, min(row, model.rowCount() - 1))
    view.selectionModel().setCurrentIndex(
        model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


class ArticleTableModel(ListTableModel[ArticleRow]):
    """The library: one row per article, with a filter (a set of ids from the
    full-text index and/or an entity, and a date range) and sorting by column."""

    COLUMNS = ("Title", "Publication", "Date", "Entities")
    ArticleIdRole = IdRole

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[ArticleRow] = []
        self._row_index: dict[int, int] | None = None
        self._ids: set[int] | None = None
        self._date_from: str | None = None
        self._date_to: str | None = None
        self._sort: tuple[int, Qt.SortOrder] = (2, Qt.SortOrder.DescendingOrder)

    # -- data -----------------------------------------------------------------
    def set_articles(self, rows: Iterable[ArticleRow]) -> None:
        self.beginResetModel()
        # Kept in the current sort order, so filtering never has to sort again.
        self._all = self._sorted(list(rows))
        self._rows = self._visible()
        self._row_index = None
        self.endResetModel()

    def set_filter(
        self,
        ids: set[int] | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
    ) -> None:
        """Show only ``ids`` (None: every article) published in the range.

        A layout change, not a reset: the selected article (and any other
        persistent index) stays on its article when it is still shown."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_ids = [self._rows[i.row()].id if i.row() < len(self._rows) else -1 for i in old]
        self._ids = ids
        self._date_from = date_from.isoformat() if date_from else None
        self._date_to = date_to.isoformat() if date_to else None
        self._rows = self._visible()
        self._row_index = None
        self._move_persistent(old, old_ids)
        self.layoutChanged.emit()

    def _move_persistent(self, old: list[QModelIndex], old_ids: list[int]) -> None:
        if not old:
            return
        pos = {r.id: n for n, r in enumerate(self._rows)}
        self.changePersistentIndexList(
            old,
            [
                self.index(pos[i], idx.column()) if i in pos else QModelIndex()
                for i, idx in zip(old_ids, old, strict=True)
            ],
        )

    def _visible(self) -> list[ArticleRow]:
        rows = self._all
        if self._ids is not None:
            ids = self._ids
            rows = [r for r in rows if r.id in ids]
        if self._date_from or self._date_to:
            lo, hi = self._date_from or "", self._date_to or "9999"
            rows = [r for r in rows if r.date is not None and lo <= r.date <= hi]
        return rows if rows is not self._all else list(rows)

    def _sorted(self, rows: list[ArticleRow]) -> list[ArticleRow]:
        column, order = self._sort
        keys: list[Callable[[ArticleRow], Any]] = [
            lambda r: r.title.casefold(),
            lambda r: r.publication.casefold(),
            lambda r: r.date or "",
            lambda r: r.entities,
        ]
        key = keys[column] if 0 <= column < len(keys) else keys[2]
        # Ties fall back to the id so the order is stable between refreshes.
        return sorted(
            rows,
            key=lambda r: (key(r), r.id),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_ids = [self._rows[i.row()].id if i.row() < len(self._rows) else -1 for i in old]
        self._sort = (column, order)
        self._all = self._sorted(self._all)
        self._rows = self._visible()
        self._row_index = None
        self._move_persistent(old, old_ids)
        self.layoutChanged.emit()

    def article_at(self, row: int) -> ArticleRow:
        return self._rows[row]

    def row_of(self, article_id: int) -> int:
        # Built once per change of the rows: a scan of 10,000 rows on every
        # article opened cost several milliseconds of each open.
        if self._row_index is None:
            self._row_index = {r.id: n for n, r in enumerate(self._rows)}
        return self._row_index.get(article_id, -1)

    def total(self) -> int:
        return len(self._all)

    # -- Qt interface -------------------------------------------------------
    def data(self, index: _Index, role: int = Display) -> Any:
        # The view asks about a dozen roles per cell it paints; four are answered.
        if role not in _ARTICLE_ROLES or not (0 <= index.row() < len(self._rows)):
            return None
        a = self._rows[index.row()]
        col = index.column()
        if role == Display:
            return (a.title or "(untitled)", a.publication, a.date or "", a.entities)[col]
        if role == ToolTip:
            if col == 3 and a.unconfirmed:
                return f"{a.entities} entities, {a.unconfirmed} mentions to review"
            shown = (a.title or "(untitled)", a.publication, a.date or "undated", None)[col]
            return tip(shown) if shown else shown
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == IdRole:
            return a.id
        return None


_Group = tuple[list[SidebarEntity], list[str]]
_ITEM_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_NO_FLAGS = Qt.ItemFlag.NoItemFlags


def _filter_group(group: _Group, text: str) -> _Group:
    """The entities (and their texts) whose name or an alias contains every
    word of ``text``; same rule as ``browse.filter_entities``."""
    entities, texts = group
    words = text.casefold().split()
    if not words:
        return group
    for w in words:
        mask = [w in t for t in texts]
        entities = list(compress(entities, mask))
        texts = list(compress(texts, mask))
    return entities, texts


class EntityTreeModel(QAbstractItemModel):
    """The entity sidebar: entities grouped by type (People, Organisations,
    Places, Other), with mention counts and a badge for unconfirmed links.

    Two levels only: a group row has internal id 0; an entity row has internal
    id ``group_row + 1``, which is how ``parent()`` finds its group without
    storing any per-row objects.

    Each group shows at most ``limit_per_group`` entities (the most mentioned),
    then one "… N more" row: a tree of 100,000 rows would cost the view far more
    than any reader gains, and typing in the filter narrows the list instead.
    """

    COLUMNS = ("Entity", "Mentions", "To review")
    EntityIdRole = IdRole
    TypeRole = Qt.ItemDataRole.UserRole + 3
    ORDER = ("PER", "ORG", "LOC", "MISC")
    CACHED_FILTERS = 24
    # The roles data() answers; the view asks about a dozen per cell it paints.
    _ROLES = frozenset(
        {
            Display,
            ToolTip,
            Qt.ItemDataRole.FontRole,
            Qt.ItemDataRole.TextAlignmentRole,
            IdRole,
            Qt.ItemDataRole.UserRole + 3,
        }
    )

    def __init__(self, parent: Any = None, *, limit_per_group: int = 300) -> None:
        super().__init__(parent)
        self.limit = limit_per_group
        self._filter = ""
        # Entities split by type once per load, each group with the parallel
        # list of its search texts: filtering is then one tight loop per group.
        self._by_type: dict[str, _Group] = {}
        self._matches: dict[str, _Group] = {}
        # Casefolded filter text -> its matches, for the last few filters.
        self._cache: dict[str, dict[str, _Group]] = {}
        self._letters: dict[str, dict[str, _Group]] = {}
        # (type, shown entities, total matching)
        self._groups: list[tuple[str, list[SidebarEntity], int]] = []
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)
        self._duplicates: dict[int, int] = {}

    def set_duplicate_counts(self, counts: dict[int, int]) -> None:
        """Entity id -> number of suggested duplicates waiting for a judgement,
        shown as a badge. Filled by the review queue once the resolver exists."""
        self._duplicates = dict(counts)
        for gi, (_t, shown, _total) in enumerate(self._groups):
            if shown:
                self.dataChanged.emit(
                    self.createIndex(0, 2, gi + 1), self.createIndex(len(shown) - 1, 2, gi + 1)
                )

    @classmethod
    def prepare(cls, entities: Sequence[SidebarEntity]) -> dict[str, _Group]:
        """Split entities by type with their search texts. Pure Python, so a
        worker thread can do it for a large library before ``set_prepared``."""
        by_type: dict[str, list[SidebarEntity]] = {t: [] for t in cls.ORDER}
        for e in entities:
            by_type.get(e.type, by_type["MISC"]).append(e)
        return {t: (g, [e.search_text for e in g]) for t, g in by_type.items()}

    @classmethod
    def first_letters(cls, groups: dict[str, _Group]) -> dict[str, dict[str, _Group]]:
        """The matches of each single letter a-z: the first key typed is the
        only one that scans the whole library, so a worker does it ahead."""
        return {
            letter: {t: _filter_group(g, letter) for t, g in groups.items()}
            for letter in "abcdefghijklmnopqrstuvwxyz"
        }

    def set_entities(self, entities: Sequence[SidebarEntity]) -> None:
        self.set_prepared(self.prepare(entities))

    def set_prepared(
        self, groups: dict[str, _Group], letters: dict[str, dict[str, _Group]] | None = None
    ) -> None:
        """Show ``groups`` (from :meth:`prepare`); ``letters`` are their
        :meth:`first_letters`, when a worker computed them."""
        self.beginResetModel()
        self._by_type = groups
        self._letters = letters or {}
        self._cache.clear()
        self._matches = self._matching(self._filter)
        self._groups = self._grouped()
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        """Show the entities matching ``text``: a layout change, not a reset,
        so the view keeps its expanded groups, and the selected entity (any
        persistent index) stays on it while it is still listed."""
        if text == self._filter:
            return
        matches = self._matching(text)
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        keys = [self._key_of(i) for i in old]
        self._filter = text
        self._matches = matches
        self._groups = self._grouped()
        if old:
            rows = {t: gi for gi, (t, _shown, _total) in enumerate(self._groups)}
            positions: dict[str, dict[int, int]] = {}
            self.changePersistentIndexList(
                old,
                [
                    self._index_from_key(k, i.column(), rows, positions)
                    for k, i in zip(keys, old, strict=True)
                ],
            )
        self.layoutChanged.emit()

    def _matching(self, text: str) -> dict[str, _Group]:
        """The matches of ``text``, from the cache of recent filters when it
        can: typing more letters can only narrow the matches, so they are
        filtered from the longest cached prefix, and a backspace finds the
        shorter text's matches already there."""
        key = text.casefold()
        if not key.split():
            return self._by_type
        found = self._cache.get(key)
        if found is not None:
            self._cache[key] = self._cache.pop(key)  # most recently used last
            return found
        source, best = self._by_type, ""
        if key[:1] in self._letters:
            if key == key[:1]:
                return self._letters[key]
            source, best = self._letters[key[:1]], key[:1]
        for cached in self._cache:
            if len(cached) > len(best) and key.startswith(cached):
                source, best = self._cache[cached], cached
        found = {t: _filter_group(g, text) for t, g in source.items()}
        self._cache[key] = found
        if len(self._cache) > self.CACHED_FILTERS:
            del self._cache[next(iter(self._cache))]
        return found

    def _key_of(self, index: QModelIndex) -> tuple[str, str, int] | None:
        """What a persistent index points at, to find it again after a change."""
        if not index.isValid():
            return None
        if index.internalId() == 0:
            row = index.row()
            return ("group", self._groups[row][0], 0) if row < len(self._groups) else None
        gi = index.internalId() - 1
        if gi >= len(self._groups):
            return None
        t, shown, _total = self._groups[gi]
        row = index.row()
        return ("entity", t, shown[row].id) if row < len(shown) else ("more", t, 0)

    def _index_from_key(
        self,
        key: tuple[str, str, int] | None,
        column: int,
        rows: dict[str, int],
        positions: dict[str, dict[int, int]],
    ) -> QModelIndex:
        gi = rows.get(key[1]) if key is not None else None
        if key is None or gi is None:
            return QModelIndex()
        kind, t, entity_id = key
        if kind == "group":
            return self.createIndex(gi, column, 0)
        _t, shown, total = self._groups[gi]
        if kind == "more":
            return self.createIndex(len(shown), column, gi + 1) if total > len(shown) else _ROOT
        if t not in positions:
            positions[t] = {e.id: r for r, e in enumerate(shown)}
        row = positions[t].get(entity_id)
        return QModelIndex() if row is None else self.createIndex(row, column, gi + 1)

    def filter_text(self) -> str:
        return self._filter

    def _grouped(self) -> list[tuple[str, list[SidebarEntity], int]]:
        return [
            (t, members[: self.limit], len(members))
            for t, (members, _texts) in self._matches.items()
            if members
        ]

    def visible_count(self) -> int:
        """Entities matching the filter (shown or behind a "more" row)."""
        return sum(g[2] for g in self._groups)

    def entity_ids(self) -> list[int]:
        return [e.id for g in self._groups for e in g[1]]

    def index_of(self, entity_id: int) -> QModelIndex:
        for gi, group in enumerate(self._groups):
            for row, e in enumerate(group[1]):
                if e.id == entity_id:
                    return self.createIndex(row, 0, gi + 1)
        return QModelIndex()

    def entity_at(self, index: _Index) -> SidebarEntity | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        gi = index.internalId() - 1
        if gi >= len(self._groups):
            return None
        members = self._groups[gi][1]
        return members[index.row()] if index.row() < len(members) else None

    def _is_more_row(self, index: _Index) -> bool:
        gi = index.internalId() - 1
        return 0 <= gi < len(self._groups) and index.row() == len(self._groups[gi][1])

    # -- Qt interface -------------------------------------------------------
    def index(self, row: int, column: int, parent: _Index = _ROOT) -> QModelIndex:
        # Bounds checked here rather than with hasIndex(), which would call back
        # into rowCount()/columnCount() through Qt for every row the view lays out.
        if row < 0 or not (0 <= column < 3):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0) if row < len(self._groups) else QModelIndex()
        if parent.internalId() != 0 or parent.column() != 0:
            return QModelIndex()
        gi = parent.row()
        if gi >= len(self._groups):
            return QModelIndex()
        _t, shown, total = self._groups[gi]
        if row >= len(shown) + (1 if total > len(shown) else 0):
            return QModelIndex()
        return self.createIndex(row, column, gi + 1)

    def parent(self, index: _Index = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: _Index = _ROOT) -> int:
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == 0:
            _t, shown, total = self._groups[parent.row()]
            return len(shown) + (1 if total > len(shown) else 0)
        return 0

    def hasChildren(self, parent: _Index = _ROOT) -> bool:
        # Answered here so the view does not ask rowCount of every entity row.
        return not parent.isValid() or (parent.internalId() == 0 and parent.column() == 0)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return len(self.COLUMNS)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return _NO_FLAGS
        if index.internalId() != 0 and self._is_more_row(index):
            return Qt.ItemFlag.ItemIsEnabled
        return _ITEM_FLAGS

    def data(self, index: _Index, role: int = Display) -> Any:
        if role not in self._ROLES or not index.isValid():
            return None
        col = index.column()
        if index.internalId() == 0:
            if index.row() >= len(self._groups):
                return None
            t, _shown, total = self._groups[index.row()]
            if role == Display:
                return f"{TYPE_LABELS[t]} ({total:,})" if col == 0 else None
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
            if role == self.TypeRole:
                return t
            return None
        e = self.entity_at(index)
        if e is None:
            if self._is_more_row(index) and col == 0:
                _t, shown, total = self._groups[index.internalId() - 1]
                if role == Display:
                    return f"… {total - len(shown):,} more: type in the filter to narrow"
                if role == Qt.ItemDataRole.FontRole:
                    return self._italic
            return None
        if role == Display:
            if col == 0:
                return e.name
            if col == 1:
                return e.mentions
            badges = []
            if e.unconfirmed:
                badges.append(f"● {e.unconfirmed}")
            if self._duplicates.get(e.id):
                badges.append(f"≈ {self._duplicates[e.id]}")
            return "  ".join(badges)
        if role == ToolTip:
            if col == 2:
                parts = []
                if e.unconfirmed:
                    parts.append(f"{e.unconfirmed} suggested links not confirmed yet")
                if self._duplicates.get(e.id):
                    parts.append(f"{self._duplicates[e.id]} possible duplicates to review")
                return "; ".join(parts) or None
            return tip(f"{e.name} ({TYPE_LABELS.get(e.type, e.type)}), {e.mentions} mentions")
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (1, 2):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == IdRole:
            return e.id
        if role == self.TypeRole:
            return e.type
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Display) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role in (Display, ToolTip)
            and 0 <= section < len(self.COLUMNS)
        ):
            return self.COLUMNS[section]
        return None


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column of a :class:`RowTableModel`: header, text and sort key."""

    header: str
    text: Callable[[T], Any]
    key: Callable[[T], Any] | None = None
    align_right: bool = False
    tooltip: Callable[[T], str] | None = None
    bold: bool = False


class RowTableModel(QAbstractTableModel, Generic[T]):
    """A table over a list of dataclasses, described by :class:`Column`s.
    Used for the profile pane's aliases, mentions in context, co-mentioned
    entities and relations."""

    def __init__(
        self, columns: Sequence[Column[T]], id_of: Callable[[T], int], parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.id_of = id_of
        self._rows: list[T] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows: Iterable[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> T:
        return self._rows[row]

    def rows(self) -> list[T]:
        return list(self._rows)

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = Display) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        item = self._rows[index.row()]
        col = self.columns[index.column()]
        if role == Display:
            return col.text(item)
        if role == ToolTip and col.tooltip is not None:
            return tip(col.tooltip(item))
        if role == Qt.ItemDataRole.TextAlignmentRole and col.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and col.bold:
            return self._bold
        if role == IdRole:
            return self.id_of(item)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Display) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Display
            and 0 <= section < len(self.columns)
        ):
            return self.columns[section].header
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not (0 <= column < len(self.columns)):
            return
        col = self.columns[column]
        key = col.key or (lambda r: str(col.text(r)).casefold())
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_rows = [self._rows[i.row()] if i.row() < len(self._rows) else None for i in old]
        self._rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        pos = {id(r): n for n, r in enumerate(self._rows)}
        self.changePersistentIndexList(
            old,
            [
                self.index(pos[id(r)], i.column()) if r is not None else QModelIndex()
                for r, i in zip(old_rows, old, strict=True)
            ],
        )
        self.layoutChanged.emit()
