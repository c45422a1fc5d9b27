"""The entities table: grouped by category, edited in place, evidence shown on selection.

Each category row doubles as the column heading of its entries ("Dose", "Route", ...),
because the six categories need different columns, and carries its own Add button. Every
change goes through the SessionDocument, so Ctrl+Z undoes it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from medscribe.core.entities import EntityCategory
from medscribe.ui.document import SessionDocument
from medscribe.ui.entities_model import EntitiesModel
from medscribe.ui.entity_editor import (
    CATEGORY_ORDER,
    NOTES_COLUMN,
    SINGULAR,
    CodeChecker,
    new_entity,
)

log = logging.getLogger(__name__)


class EntitiesView(QWidget):
    """Diagnoses, medications, allergies, vital signs, procedures and symptoms."""

    evidence_requested = Signal(object)  # list[TextSpan] of the selected entry ([] to clear)

    def __init__(
        self,
        document: SessionDocument,
        parent: QWidget | None = None,
        *,
        code_checker: CodeChecker | None = None,
    ) -> None:
        super().__init__(parent)
        self._doc = document
        self._model = EntitiesModel(document, code_checker, self)
        self._shown_id: str | None = None  # entry whose evidence was last requested
        self._restore_id: str | None = None

        self.tree = QTreeView(self)
        self.tree.setObjectName("entitiesView")
        self.tree.setAccessibleName("Medical entities")
        self.tree.setModel(self._model)
        self.tree.setHeaderHidden(True)  # the category rows carry each category's headings
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        header = self.tree.header()
        # Long official titles stretch and elide (full text in the tooltip); the notes column
        # keeps room for "Not found in transcript" and the Add buttons.
        header.setStretchLastSection(False)
        for col in range(NOTES_COLUMN):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(NOTES_COLUMN, QHeaderView.ResizeMode.Fixed)
        bold = QFont(self.font())
        bold.setBold(True)
        notes_width = QFontMetrics(bold).horizontalAdvance("Not found in transcript") + 48
        header.resizeSection(NOTES_COLUMN, notes_width)

        self.remove_button = QPushButton("Remove", self)
        self.remove_button.setObjectName("entityRemove")
        self.remove_button.setAccessibleName("Remove selected entry")
        self.remove_button.setToolTip("Remove the selected entry (Delete). Ctrl+Z brings it back.")
        self.remove_button.clicked.connect(self.remove_selected)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 2, 6, 4)
        bar.addWidget(self.hint, 1)
        bar.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree, 1)
        layout.addLayout(bar)

        for keys, slot in (
            (QKeySequence.StandardKey.Delete, self.remove_selected),
            (QKeySequence(Qt.Key.Key_Backspace), self.remove_selected),
            (QKeySequence(Qt.Key.Key_Insert), self._on_insert_pressed),
        ):
            shortcut = QShortcut(QKeySequence(keys), self.tree)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)

        self._model.modelAboutToBeReset.connect(self._on_model_about_to_be_reset)
        self._model.modelReset.connect(self._on_model_reset)
        self.tree.selectionModel().currentRowChanged.connect(self._on_tree_current_changed)
        self._on_model_reset()

    @property
    def model(self) -> EntitiesModel:
        return self._model

    # --- actions --------------------------------------------------------------------------------

    def add_entry(self, category: EntityCategory) -> None:
        """Add an empty entry (source "user") and open its first cell for typing."""
        entity = new_entity(category)
        self._doc.add_entity(category, entity)
        index = self._model.index_of(entity.id)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)
            self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
            self.tree.edit(index)

    def remove_selected(self) -> None:
        found = self._model.entry_of(self.tree.currentIndex())
        if found is None:
            return
        category, row, _entity = found
        self._doc.remove_entity(category, row)
        # Keep the physician's place: select the entry that took its row, or the one above.
        parent = self._model.category_index(category)
        count = self._model.rowCount(parent)
        target = self._model.index(min(row, count - 1), 0, parent) if count else parent
        self.tree.setCurrentIndex(target)

    def _on_insert_pressed(self) -> None:
        category = self._model.category_of(self.tree.currentIndex())
        self.add_entry(category or EntityCategory.DIAGNOSES)

    # --- selection -----------------------------------------------------------------------------

    def _on_tree_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        found = self._model.entry_of(current)
        entity_id = found[2].id if found else None
        self.remove_button.setEnabled(found is not None)
        if entity_id == self._shown_id:
            return  # same entry (e.g. restored after a redraw): no new request
        self._shown_id = entity_id
        self.evidence_requested.emit(list(found[2].evidence) if found else [])

    def _on_model_about_to_be_reset(self) -> None:
        found = self._model.entry_of(self.tree.currentIndex())
        self._restore_id = found[2].id if found else None

    def _on_model_reset(self) -> None:
        self.tree.expandAll()
        for row, category in enumerate(CATEGORY_ORDER):
            index = self._model.index(row, NOTES_COLUMN)
            self.tree.setIndexWidget(index, self._add_button(category))
        if self._restore_id is not None:
            index = self._model.index_of(self._restore_id)
            if index.isValid():
                self.tree.setCurrentIndex(index)
        self.remove_button.setEnabled(self._model.entry_of(self.tree.currentIndex()) is not None)
        self.hint.setText(
            "No entities yet: run the “Medical entities” step, or add entries by hand."
            if self._doc.result.entities.is_empty()
            else "Double-click a cell to edit · Delete removes · Insert adds · "
            "select a row to see it in the transcript"
        )

    def _add_button(self, category: EntityCategory) -> QToolButton:
        button = QToolButton(self.tree)
        button.setObjectName(f"entityAdd_{category.value}")
        button.setText(f"+ Add {SINGULAR[category]}")
        button.setAccessibleName(f"Add {SINGULAR[category]}")
        button.setToolTip(f"Add a {SINGULAR[category]} by hand (Insert)")
        button.setAutoRaise(True)
        button.clicked.connect(lambda: self.add_entry(category))
        return button
