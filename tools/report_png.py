"""PNGs of a report as a browser shows it and as it prints on A4 (Debian's chromium via Playwright).

    .venv/bin/python tools/report_png.py docs/report-example/brest-1918-pl.html docs/report-screen.png docs/report-print.png

The print PNG is the PDF's first pages through pdftoppm when poppler-utils is installed, else a
print-media screenshot. Never downloads a browser: it runs /usr/bin/chromium.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def render(html: Path, screen_png: Path, print_png: Path, pages: int = 2) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                   else route.abort())
        page.goto(html.resolve().as_uri())
        page.screenshot(path=str(screen_png), full_page=False)
        if shutil.which("pdftoppm"):
            with tempfile.TemporaryDirectory() as tmp:
                pdf = Path(tmp) / "report.pdf"
                page.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True)
                subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", str(pages), str(pdf),
                                str(Path(tmp) / "page")], check=True)
                shots = sorted(Path(tmp).glob("page*.png"))
                _side_by_side(shots, print_png)
        else:
            page.emulate_media(media="print")
            page.screenshot(path=str(print_png), full_page=False)
        browser.close()


def _side_by_side(shots: list[Path], out: Path) -> None:
    import pygame

    images = [pygame.image.load(str(s)) for s in shots]
    gap = 16
    w = sum(i.get_width() for i in images) + gap * (len(images) + 1)
    h = max(i.get_height() for i in images) + 2 * gap
    sheet = pygame.Surface((w, h))
    sheet.fill((120, 120, 120))
    x = gap
    for img in images:
        sheet.blit(img, (x, gap))
        x += img.get_width() + gap
    pygame.image.save(sheet, str(out))


if __name__ == "__main__":
    render(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
