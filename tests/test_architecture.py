"""The dependency rule of HOUSE_STYLE.md, checked on the real import graph.

import-linter (run by ``make test``) checks it statically; this test checks it at run time,
in a fresh interpreter, so that an import hidden in a function body is caught as well when it
runs at import time.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import medscribe

PACKAGE_DIR = Path(medscribe.__file__).parent


def _modules(subpackage: str) -> list[str]:
    path = PACKAGE_DIR / subpackage
    return [f"medscribe.{subpackage}.{m.name}" for m in pkgutil.walk_packages([str(path)])] + [
        f"medscribe.{subpackage}"
    ]


@pytest.mark.parametrize(
    ("subpackage", "forbidden"),
    [
        ("core", ("PySide6", "httpx", "qasync")),
        ("llm", ("PySide6", "qasync")),
        ("export", ("PySide6", "qasync")),
        ("settings", ("PySide6", "qasync")),
    ],
)
def test_layer_does_not_import(subpackage: str, forbidden: tuple[str, ...]) -> None:
    code = (
        "import importlib, sys\n"
        f"for m in {_modules(subpackage)!r}:\n"
        "    importlib.import_module(m)\n"
        f"bad = sorted(n for n in sys.modules if n.split('.')[0] in {forbidden!r})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "", f"medscribe.{subpackage} pulls in {out}"


def test_every_subpackage_is_packaged() -> None:
    """pyproject lists packages by hand (resources/ sits outside medscribe/)."""
    import tomllib

    root = PACKAGE_DIR.parent
    listed = set(
        tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    on_disk = {".".join(p.parent.relative_to(root).parts) for p in PACKAGE_DIR.rglob("__init__.py")}
    assert on_disk - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
