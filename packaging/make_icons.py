"""Render the app icon from resources/icons/medscribe.svg to the files each platform wants.

Run at build time (``make package`` does): ``python packaging/make_icons.py``.

- ``medscribe-<N>.png`` for N in 16..256: the window icon (Qt picks the nearest size) and the
  Linux desktop entry (hicolor theme sizes).
- ``medscribe.ico``: Windows executable icon (all sizes in one file, PNG-compressed 256).
- ``medscribe.icns``: macOS bundle icon.

The SVG is rasterised by Qt (QtSvg ships with pyside6-essentials), so no SVG library is needed;
Pillow only writes the .ico/.icns containers and is a build-time dependency (the ``package``
extra), never imported by the app. The outputs are committed, so a plain source checkout runs
without Pillow; re-run this after editing the SVG.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICON_DIR / "medscribe.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def render_png(svg: Path, size: int) -> bytes:
    """The SVG drawn at ``size`` x ``size`` with antialiasing, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ICON_DIR, help="output folder")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image  # build-time only (package extra)
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - QImage needs it
    args.out.mkdir(parents=True, exist_ok=True)
    rendered = {size: render_png(SVG, size) for size in sorted({*PNG_SIZES, *ICNS_SIZES})}
    for size in PNG_SIZES:
        (args.out / f"medscribe-{size}.png").write_bytes(rendered[size])
    images = {size: Image.open(io.BytesIO(png)).convert("RGBA") for size, png in rendered.items()}
    # Pillow's ICO writer takes the largest image and the list of sizes; smaller entries are
    # taken from append_images when their size matches, so each size is the crisp render.
    images[256].save(
        args.out / "medscribe.ico",
        format="ICO",
        sizes=[(s, s) for s in PNG_SIZES],
        append_images=[images[s] for s in PNG_SIZES if s != 256],
    )
    images[1024].save(
        args.out / "medscribe.icns",
        format="ICNS",
        append_images=[images[s] for s in ICNS_SIZES if s != 1024],
    )
    print(f"icons written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
