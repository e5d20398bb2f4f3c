"""The pages in a real browser: headless Chromium (Debian's package), driven by
Playwright, against the real server. Screenshots go to artifacts/screenshots."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e
ARTIFACTS = Path(os.environ.get("CAREFACTS_ARTIFACTS", "artifacts")) / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str:
    found = os.environ.get("CAREFACTS_CHROMIUM") or shutil.which("chromium")
    if found:
        return found
    message = (
        "Chromium is not installed (scripts/setup --dev installs Debian's chromium)"
    )
    if os.environ.get("CI"):
        pytest.fail(message + "; CI is set, so this is a failure, not a skip")
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_FLAGS
        )
        yield chromium
        chromium.close()


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_a_reader_finds_blackpool_its_chart_a_source_and_an_earlier_date(
    browser: Any, server: str
) -> None:
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(server + "/")
    assert page.title().startswith("English councils")
    feeds = page.locator("link[rel=alternate][type='application/atom+xml']")
    assert feeds.first.get_attribute("href").endswith("/feed")
    assert page.locator("link[rel=alternate][type='application/feed+json']").count()
    page.fill("form.filters input[name=q]", "black")
    page.click("form.filters button[type=submit]")
    rows = page.locator("table#authorities tbody tr")
    assert rows.count() == 2  # Blackburn with Darwen, Blackpool
    _shot(page, "1-list-filtered")

    page.click("text=Blackpool")
    page.wait_for_selector("svg.chart")
    assert page.url.endswith("/authorities/E06000009")
    assert page.locator("#current-children .value").inner_text() == "531"
    feed = page.locator("link[rel=alternate][type='application/atom+xml']").first
    assert feed.get_attribute("href").endswith("/authorities/E06000009/feed")
    points = page.locator("svg.chart a.point")
    assert points.count() >= 25
    values = {points.nth(i).get_attribute("data-value") for i in range(points.count())}
    assert {"540", "651", "533", "452", "531"} <= values
    assert (
        page.locator("svg.chart a line.target").count() == 1
    )  # the legend has one too
    assert page.locator("svg.chart a.rating").count() >= 5
    _shot(page, "2-blackpool")

    with page.expect_navigation():
        page.locator("table#children-in-care a:text('record')").first.click()
    assert page.locator("h2:text('Facts it reported')").count() == 1
    _shot(page, "3-source-record")
    page.go_back()

    page.fill("input[name=as_of]", "2019-02-01")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector("#as-of")
    assert "1 February 2019" in page.locator("#as-of").inner_text()
    assert page.locator("#current-director .value").inner_text() == "Diane Booth"
    assert "inadequate" in page.locator("#current-rating .value").inner_text()
    _shot(page, "4-blackpool-february-2019")
    page.close()


def test_a_reader_searches_from_the_box_in_any_pages_header(
    browser: Any, server: str
) -> None:
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(server + "/authorities/E06000009?format=html")
    page.fill("header form.search input[name=q]", "Helen Lincoln")
    with page.expect_navigation():
        page.click("header form.search button[type=submit]")
    assert "/search?q=Helen+Lincoln" in page.url
    results = page.locator("ol#results li")
    assert results.count() >= 2
    assert "Helen Lincoln" in page.locator("ol#results").inner_text()
    _shot(page, "6-search")
    with page.expect_navigation():
        results.first.locator("a").first.click()
    assert "/facts/" in page.url
    page.close()


# The search box's hint typed in as text: its width, and the width the box shows.
_PLACEHOLDER_FIT = """() => {
  const input = document.querySelector("header form.search input[name=q]");
  const before = input.value;
  input.value = input.placeholder;
  const widths = [input.clientWidth, input.scrollWidth];
  input.value = before;
  return widths;
}"""


def test_the_pages_work_at_phone_width(browser: Any, server: str) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(server + "/authorities/E06000009?format=html")
    chart = page.locator("svg.chart").bounding_box()
    assert chart is not None and chart["width"] <= 390
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the page scrolls sideways: {width}px"
    _shot(page, "5-blackpool-phone")
    # The search box holds its whole hint down to 320 px (the width WCAG's
    # reflow asks for), and keeps its label for screen readers.
    for narrow in (390, 320):
        page.set_viewport_size({"width": narrow, "height": 844})
        shown, hint = page.evaluate(_PLACEHOLDER_FIT)
        assert hint <= shown, f"at {narrow} px the hint is cut: {hint} px in {shown}"
        assert page.get_by_label("Search").count() == 1
    page.close()


def test_the_pages_keep_their_style_under_their_security_policy(
    browser: Any, server: str
) -> None:
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    for path in ("/", "/authorities/E06000009?format=html"):
        response = page.goto(server + path)
        assert response is not None
        policy = response.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "style-src 'self'" in policy
        # The stylesheet applies: the page is narrowed, its header is a flex row.
        assert page.evaluate("getComputedStyle(document.body).maxWidth") == "992px"
        assert (
            page.evaluate(
                "getComputedStyle(document.querySelector('header.site')).display"
            )
            == "flex"
        )
    assert (
        page.evaluate("getComputedStyle(document.querySelector('svg.chart')).display")
        == "block"
    )
    _shot(page, "6-blackpool-with-its-policy")
    assert refused == []
    page.close()


def test_a_reader_opens_a_fact_from_the_chart_and_sees_its_versions_and_feeds(
    browser: Any, server: str
) -> None:
    for width, name in ((1100, "6-fact"), (390, "7-fact-phone")):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(server + "/authorities/E06000009?format=html")
        with page.expect_navigation():
            page.locator("table#children-in-care a:text('fact')").first.click()
        assert "/facts/" in page.url
        assert page.locator("#fact").inner_text().count("Refers to") == 1
        assert page.locator("#versions li").count() >= 1
        assert page.locator("#feeds a:text('Atom')").count() == 3
        width_now = page.evaluate("document.documentElement.scrollWidth")
        assert width_now <= width + 10, f"the page scrolls sideways: {width_now}px"
        _shot(page, name)
        page.close()
