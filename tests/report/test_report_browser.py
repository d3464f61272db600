"""The HTML report in a real headless browser (Debian's chromium, driven by Playwright): what renders
on screen and in print, and that the page fetches nothing from outside."""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path

import pytest

from game.report import write_report
from game.scenarios import builtin_scenario

from .conftest import ServerThread
from .play import NAMES, SCENARIO, play_class

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason=f"{CHROMIUM} is missing (apt-get install -y chromium)")


@pytest.fixture
def report_files(server: ServerThread, tmp_path: Path) -> dict[str, Path]:
    played = asyncio.run(_play(server))
    return write_report(tmp_path, "lesson", played, builtin_scenario(SCENARIO), "en")


async def _play(server: ServerThread) -> dict:
    played = await play_class(server)
    for c in [played.host, *played.students]:
        await c.close()
    assert played.export is not None
    return played.export


def test_the_report_renders_its_tables_quotes_and_polish_names_and_fetches_nothing(report_files) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    scenario = builtin_scenario(SCENARIO)
    requested: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900})

        def route(r) -> None:
            requested.append(r.request.url)
            if r.request.url.startswith("file:"):
                r.continue_()
            else:
                r.abort()

        page.route("**/*", route)
        page.goto(report_files["html"].as_uri())
        assert page.evaluate("document.characterSet") == "UTF-8"
        assert page.locator("html").get_attribute("lang") == "en"
        text = page.inner_text("body")
        for name in NAMES:  # Polish letters, as typed
            assert name in text
        # a table per team decision, plus the tracks', the control and the history ones
        assert page.locator("table.votes").count() >= scenario.turn_count
        assert page.locator("table.control tr").count() == len(scenario.control) + 1
        quote = scenario.cards["armistice"].history_sources[0] if "armistice" in scenario.cards else None
        quotes = page.locator("blockquote")
        assert quotes.count() > 10
        first = quotes.first.inner_text()
        assert "„" in first and "section:" in first and first.count("\n") >= 2  # quote, English gloss, section
        if quote is not None:
            assert quote["quote"] in text and quote["en"] in text
        # the chart is drawn: one line per track, with a real size
        assert page.locator("svg.chart polyline").count() == len(scenario.tracks)
        box = page.locator("svg.chart").bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 100
        assert "Matching history (apart from score)" in text and "Scores" in text
        assert "Three debrief questions" in text  # where the questions come from
        # print: the contents list is hidden, each main section starts a page, and it is A4 pages
        page.emulate_media(media="print")
        assert page.locator("nav").is_hidden()
        assert page.evaluate("getComputedStyle(document.querySelector('#turns h2')).breakBefore") == "page"
        pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert pages >= 5, pages
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], "the printed page is wider than the paper"
        browser.close()
    outside = [u for u in requested if not u.startswith("file:")]
    assert requested and not outside, outside
