"""The composition root: settings, the one HTTP client, the pipeline, the controllers, the window.

Everything the window needs is built here and handed over through constructors, so tests build
the very same object graph (``build_main_window``) that a physician gets. No module-level
singletons. Qt widgets are created by the window itself; this module only assembles.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from medscribe.core.errors import SettingsError
from medscribe.core.llm_port import ServerStatus
from medscribe.core.session_files import AutosaveStore
from medscribe.settings import Settings, load_settings
from medscribe.settings.paths import autosave_dir
from medscribe.ui.autosave import AutosaveController, autosave_interval_ms
from medscribe.ui.document import SessionDocument
from medscribe.ui.gc_guard import install_gc_guard
from medscribe.ui.main_window import MainWindow
from medscribe.ui.pipeline_controller import PipelineController
from medscribe.ui.server_status import ServerStatusController
from medscribe.ui.settings_dialog import SettingsDialog

if TYPE_CHECKING:
    import httpx

    from medscribe.core.pipeline import Pipeline
    from medscribe.llm import LMStudioClient

log = logging.getLogger(__name__)

STATUS_INTERVAL_S = 5.0


class AppServices:
    """What outlives a settings change: the HTTP connection pool, the client, the pipeline.

    Built on first use, which is the first status check, right after the window has painted:
    httpx, the client and the pipeline's modules cost about a third of a second to import,
    and a physician should see the window first.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._http: httpx.AsyncClient | None = None
        self._client: LMStudioClient | None = None
        self._pipeline: Pipeline | None = None

    def _build(self) -> None:
        import httpx

        from medscribe.core.pipeline import Pipeline
        from medscribe.llm import LMStudioClient

        # One pool for the app's lifetime: building an AsyncClient sets up an SSL context,
        # measured here at ~100 ms of blocked event loop each time (HOUSE_STYLE 4).
        # trust_env=False: proxy variables must never route patient text via another machine.
        self._http = httpx.AsyncClient(trust_env=False, follow_redirects=False)
        self._client = LMStudioClient(self.settings, http=self._http)
        self._pipeline = Pipeline(self._client, self.settings)
        log.info("HTTP client and pipeline ready")

    @property
    def client(self) -> LMStudioClient:
        if self._client is None:
            self._build()
        assert self._client is not None
        return self._client

    @property
    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            self._build()
        assert self._pipeline is not None
        return self._pipeline

    async def probe(self, settings: Settings) -> ServerStatus:
        """What the settings pane's "Test connection" asks: a throwaway client, shared pool."""
        from medscribe.llm import LMStudioClient

        self.client  # noqa: B018 - make sure the shared pool exists
        return await LMStudioClient(settings, http=self._http).health()

    def apply_settings(self, settings: Settings) -> None:
        self.settings = settings
        if self._client is not None and self._pipeline is not None:
            self._client.update_settings(settings)
            self._pipeline.update(self._client, settings)
        log.info("settings applied")

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
        if self._http is not None:
            await self._http.aclose()


def _load_settings_or_defaults() -> tuple[Settings, str | None]:
    try:
        return load_settings(), None
    except SettingsError as exc:
        log.warning("settings unusable, starting with defaults: %s", exc.detail)
        return Settings(), exc.user_message + "\n\nmedscribe started with its default settings."


def build_main_window(
    settings: Settings | None = None, path: Path | str | None = None
) -> MainWindow:
    """Build the real window. Show it on a running qasync loop; once it has painted it starts
    its background work (status checks, autosave, recovery offer) and opens ``path``."""
    problem: str | None = None
    install_gc_guard()  # before any worker thread runs: see medscribe.ui.gc_guard
    if settings is None:
        settings, problem = _load_settings_or_defaults()
    services = AppServices(settings)
    document = SessionDocument()
    pipeline_controller = PipelineController(document, lambda: services.pipeline)
    status_controller = ServerStatusController(lambda: services.client, STATUS_INTERVAL_S)
    autosave = AutosaveController(document, AutosaveStore(autosave_dir()), autosave_interval_ms())

    def open_settings(parent: QWidget) -> None:
        dialog = SettingsDialog(services.settings, services.probe, parent)

        def saved(new: Settings) -> None:
            services.apply_settings(new)
            window.settings = new
            status_controller.refresh_now()

        dialog.settings_saved.connect(saved)
        dialog.finished.connect(lambda _code: dialog.deleteLater())
        dialog.open()

    window = MainWindow(
        document=document,
        pipeline_controller=pipeline_controller,
        status_controller=status_controller,
        autosave=autosave,
        open_settings=open_settings,
        close_resources=services.aclose,
        settings=settings,
    )
    # Parent the controllers to the window so they live exactly as long as it does.
    for controller in (pipeline_controller, status_controller, autosave, document):
        controller.setParent(window)
    window.services = services

    started = False

    def begin() -> None:
        nonlocal started
        if started:
            return
        started = True
        window.start()
        if problem:
            window.show_message(problem)
        if path is not None:
            window.open_path(path)

    # After the first paint, so that nothing here delays it; the timer is the fallback for a
    # window that is shown but never painted (minimised at start on some desktops).
    window.first_painted.connect(begin)
    QTimer.singleShot(3000, begin)
    return window
