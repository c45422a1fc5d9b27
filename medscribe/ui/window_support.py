"""Small pieces the main window needs that are not about the consultation: knowing when it
first painted, and remembering its size and layout between launches (QSettings: window state
only, HOUSE_STYLE 8)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QWidget

from medscribe.settings.paths import config_dir

DEFAULT_SIZE = (1280, 820)


class FirstPaintWatcher(QObject):
    """Emits ``painted`` once, on the event-loop turn after ``window`` first paints."""

    painted = Signal()

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        # Any child's paint counts: the window's own area is covered by its children.
        if (
            event.type() == QEvent.Type.Paint
            and isinstance(obj, QWidget)
            and obj.window() is self._window
        ):
            QApplication.instance().removeEventFilter(self)
            QTimer.singleShot(0, self.painted.emit)
        return False


def _qsettings() -> QSettings:
    # In the config folder (MEDSCRIBE_CONFIG_DIR in tests), never the registry or ~/.config/Qt.
    return QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)


def restore_window_state(window: QMainWindow, splitter: QSplitter) -> None:
    window.resize(*DEFAULT_SIZE)
    settings = _qsettings()
    geometry = settings.value("geometry")
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    state = settings.value("splitter")
    if isinstance(state, QByteArray):
        splitter.restoreState(state)


def save_window_state(window: QMainWindow, splitter: QSplitter) -> None:
    settings = _qsettings()
    settings.setValue("geometry", window.saveGeometry())
    settings.setValue("splitter", splitter.saveState())
