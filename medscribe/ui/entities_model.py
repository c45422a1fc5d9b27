"""Item model over the document's entities: six category rows, the entries below them.

Edits go to ``SessionDocument.update_entity`` (undoable); the model never changes the entities
itself and redraws on ``entities_changed``. When only values changed, it emits
``dataChanged`` so selection, scroll position and an open editor survive; rows are rebuilt
(a reset) only when entries were added or removed.

Index scheme: category rows carry internal id 0; an entry row carries its category's row + 1.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication, QStyle

from medscribe.core.entities import CodeStatus, Diagnosis, EntityCategory, GroundedEntity
from medscribe.ui.document import SessionDocument
from medscribe.ui.entity_editor import (
    CATEGORY_ORDER,
    CATEGORY_TITLES,
    NOTES_COLUMN,
    NUM_COLUMNS,
    CodeChecker,
    code_check_tooltip,
    column_title,
    display,
    edited,
    is_editable,
    notes_tooltip,
)
from medscribe.ui.phi_colors import warning_color

ENTITY_ID_ROLE = Qt.ItemDataRole.UserRole + 1
CATEGORY_ROLE = Qt.ItemDataRole.UserRole + 2
ModelIndex = QModelIndex | QPersistentModelIndex

_STATUS_ICONS = {
    CodeStatus.VERIFIED: QStyle.StandardPixmap.SP_DialogApplyButton,
    CodeStatus.TITLE_MISMATCH: QStyle.StandardPixmap.SP_MessageBoxWarning,
    CodeStatus.INVALID: QStyle.StandardPixmap.SP_MessageBoxCritical,
}


class EntitiesModel(QAbstractItemModel):
    def __init__(
        self,
        document: SessionDocument,
        code_checker: CodeChecker | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._doc = document
        self._checker = code_checker
        self._shape = self._current_shape()
        document.entities_changed.connect(self._on_document_entities_changed)
        document.result_replaced.connect(self._on_document_result_replaced)

    # --- lookups ------------------------------------------------------------------------------

    def _entries(self, category: EntityCategory) -> list[GroundedEntity]:
        return self._doc.result.entities.of(category)

    def _current_shape(self) -> tuple[int, ...]:
        return tuple(len(self._entries(c)) for c in CATEGORY_ORDER)

    def category_of(self, index: ModelIndex) -> EntityCategory | None:
        if not index.isValid():
            return None
        internal = index.internalId()
        return CATEGORY_ORDER[index.row() if internal == 0 else internal - 1]

    def entry_of(self, index: ModelIndex) -> tuple[EntityCategory, int, GroundedEntity] | None:
        """(category, row within it, entity) for an entry row; None for a category row."""
        if not index.isValid() or index.internalId() == 0:
            return None
        category = CATEGORY_ORDER[index.internalId() - 1]
        entries = self._entries(category)
        if index.row() >= len(entries):
            return None
        return category, index.row(), entries[index.row()]

    def category_index(self, category: EntityCategory) -> QModelIndex:
        return self.index(CATEGORY_ORDER.index(category), 0)

    def index_of(self, entity_id: str, column: int = 0) -> QModelIndex:
        for c_row, category in enumerate(CATEGORY_ORDER):
            for row, entity in enumerate(self._entries(category)):
                if entity.id == entity_id:
                    return self.index(row, column, self.index(c_row, 0))
        return QModelIndex()

    # --- structure ----------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(CATEGORY_ORDER)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._entries(CATEGORY_ORDER[parent.row()]))
        return 0

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return NUM_COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ("Entry", "Detail", "Detail", "Detail", "Notes")[section]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        category = self.category_of(index)
        if index.internalId() != 0 and category and is_editable(category, index.column()):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    # --- data ----------------------------------------------------------------------------------

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self._category_data(CATEGORY_ORDER[index.row()], index.column(), role)
        found = self.entry_of(index)
        if found is None:
            return None
        category, _row, entity = found
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return display(category, entity, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(category, entity, col)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(entity, col)
        if role == Qt.ItemDataRole.ForegroundRole and col == NOTES_COLUMN and not entity.supported:
            return warning_color(QApplication.palette())
        if role == Qt.ItemDataRole.FontRole and col == NOTES_COLUMN and not entity.supported:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{column_title(category, col)}: {display(category, entity, col)}"
        if role == ENTITY_ID_ROLE:
            return entity.id
        if role == CATEGORY_ROLE:
            return category.value
        return None

    def _category_data(self, category: EntityCategory, col: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return f"{CATEGORY_TITLES[category]} ({len(self._entries(category))})"
            return "" if col == NOTES_COLUMN else column_title(category, col)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(col == 0)
            font.setItalic(col != 0)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and col != 0:
            return QApplication.palette().brush(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{CATEGORY_TITLES[category]}, {len(self._entries(category))} entries"
        if role == CATEGORY_ROLE:
            return category.value
        return None

    def _tooltip(self, category: EntityCategory, entity: GroundedEntity, col: int) -> str | None:
        if col == NOTES_COLUMN:
            return notes_tooltip(entity) or None
        if isinstance(entity, Diagnosis) and col in (1, 3):
            return code_check_tooltip(entity)
        if isinstance(entity, Diagnosis) and col == 2:
            if entity.icd10_title:
                return entity.icd10_title
            lines = [f"{code}  {title}" for code, title in entity.code_candidates]
            return "Suggested codes:\n" + "\n".join(lines) if lines else None
        if is_editable(category, col):
            return "Double-click or press F2 to edit."
        return None

    def _icon(self, entity: GroundedEntity, col: int) -> Any:
        style = QApplication.style()
        if col == NOTES_COLUMN and not entity.supported:
            return style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        if col == 3 and isinstance(entity, Diagnosis) and entity.code_status in _STATUS_ICONS:
            return style.standardIcon(_STATUS_ICONS[entity.code_status])
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        found = self.entry_of(index)
        if role != Qt.ItemDataRole.EditRole or found is None:
            return False
        category, row, entity = found
        new = edited(category, entity, index.column(), str(value or ""), self._checker)
        if new is None:
            return False
        self._doc.update_entity(category, row, new)  # redraws through entities_changed
        return True

    # --- document signals ----------------------------------------------------------------------

    def _on_document_entities_changed(self) -> None:
        shape = self._current_shape()
        if shape != self._shape:
            self.beginResetModel()
            self._shape = shape
            self.endResetModel()
            return
        last = NUM_COLUMNS - 1
        self.dataChanged.emit(self.index(0, 0), self.index(len(CATEGORY_ORDER) - 1, last))
        for c_row in range(len(CATEGORY_ORDER)):
            parent = self.index(c_row, 0)
            rows = self.rowCount(parent)
            if rows:
                self.dataChanged.emit(self.index(0, 0, parent), self.index(rows - 1, last, parent))

    def _on_document_result_replaced(self, _result: object) -> None:
        self.beginResetModel()
        self._shape = self._current_shape()
        self.endResetModel()
