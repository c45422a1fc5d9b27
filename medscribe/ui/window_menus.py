"""Where the window's actions appear: menus and the toolbar. Actions are built in actions.py."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QToolBar

from medscribe.ui.actions import Actions


def place_actions(window: QMainWindow, actions: Actions, toolbar: QToolBar) -> None:
    a = actions
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addActions([a.open, a.paste])
    file_menu.addSeparator()
    file_menu.addActions([a.save_session, a.save_session_as])
    file_menu.addSeparator()
    file_menu.addAction(a.export_docx)
    file_menu.addSeparator()
    file_menu.addAction(a.quit)

    edit_menu = bar.addMenu("&Edit")
    edit_menu.addActions([a.undo, a.redo])
    edit_menu.addSeparator()
    edit_menu.addActions([a.previous_phi, a.next_phi, a.mark_phi])

    run_menu = bar.addMenu("&Run")
    run_menu.addAction(a.run_all)
    run_menu.addSeparator()
    run_menu.addActions([a.run_phi, a.run_entities, a.run_soap, a.run_structure])
    run_menu.addSeparator()
    run_menu.addAction(a.cancel)

    tools_menu = bar.addMenu("&Tools")
    tools_menu.addAction(a.settings)

    toolbar.setMovable(False)
    toolbar.addActions([a.open, a.save_session, a.export_docx])
    toolbar.addSeparator()
    toolbar.addActions([a.run_all, a.cancel])
    toolbar.addSeparator()
    toolbar.addActions([a.undo, a.redo])
    toolbar.addSeparator()
    toolbar.addAction(a.settings)
    # Actions must work by shortcut even when not in a visible menu or toolbar.
    window.addActions(a.all())
