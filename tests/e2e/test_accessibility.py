"""Every page passes axe-core's WCAG 2.2 A and AA rules at a desktop width and a
phone's, in Debian's Chromium driven by Playwright, against the real server over
the seeded data with a slice of LAIT loaded (so a LAIT comparison is checked too).
axe-core comes bundled in the axe-playwright-python package: nothing is fetched.
Screenshots of every page at both widths go to artifacts/screenshots."""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from seeds.importers import lait
from seeds.paths import OFFICIAL
from service.composition import Carefacts
from service.settings import Settings
from tests.e2e.conftest import TOKEN, running_server
from tests.e2e.test_browser import ARTIFACTS, browser  # noqa: F401 (a fixture)

pytestmark = pytest.mark.e2e
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = (1280, 390)
BLACKPOOL, BIRMINGHAM = "E06000009", "E08000025"
LAIT_ROWS = 6000  # the file's first rows: five measures, Blackpool among them


@pytest.fixture(scope="module")
def lait_server(
    seeded_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("lait-pages")
    data = folder / "data"
    shutil.copytree(seeded_template, data)
    sample = folder / "lait_sample.csv"
    with gzip.open(OFFICIAL / "lait_measures_long.csv.gz", "rt", encoding="utf-8") as f:
        sample.write_text("".join(next(f) for _ in range(LAIT_ROWS + 1)))
    core = Carefacts.open(Settings(data_dir=data))
    try:
        lait.import_lait(core.ledger, sample, OFFICIAL / "lait_data_dictionary.csv.gz")
        core.worker.catch_up()
    finally:
        core.close()
    with running_server(data, tmp_path_factory.mktemp("lait-server")) as port:
        yield f"http://127.0.0.1:{port}"


def _paths(base: str) -> dict[str, str]:
    """Every kind of page, by a name for its screenshot. The list is the front
    page; /authorities answers a browser the same page (checked below)."""

    def json(path: str) -> Any:
        response = httpx.get(base + path, timeout=30)
        response.raise_for_status()
        return response.json()

    facts = json(f"/authorities/{BLACKPOOL}/facts?kind=rating_given&limit=1")
    fact = facts["facts"][0]
    measures = json(f"/authorities/{BLACKPOOL}/facts?kind=count_reported&limit=1000")
    lait_measure = next(
        f["subject"] for f in measures["facts"] if f["subject"].startswith("lait:")
    )
    return {
        "front": "/",
        "blackpool": f"/authorities/{BLACKPOOL}",
        "birmingham": f"/authorities/{BIRMINGHAM}",
        "compare-children": f"/authorities/{BLACKPOOL}/neighbours/children_in_care",
        "compare-lait": f"/authorities/{BLACKPOOL}/neighbours/{lait_measure}",
        "fact": f"/facts/{fact['fact_id']}",
        "source-report": f"/sources/{fact['source']['id']}",
        "source-statistics": "/sources/dfe-cla-2025",
        "search": "/search?q=Blackpool",
        "changes": "/changes",
    }


def test_every_page_passes_axe_wcag_22_a_and_aa_at_desktop_and_phone_widths(
    browser: Any,  # noqa: F811
    lait_server: str,
) -> None:
    paths = _paths(lait_server)
    found: list[str] = []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page = browser.new_page(viewport={"width": width, "height": 900})
        for name, path in paths.items():
            response = page.goto(lait_server + path)
            assert response is not None and response.ok, path
            assert response.headers["content-type"].startswith("text/html"), path
            found += _violations(page, width, path, name)
        page.close()
    assert found == [], "\n".join(found)


def _violations(page: Any, width: int, path: str, name: str) -> list[str]:
    """What axe-core finds on the page as it stands, and whether it is wider than
    the window (nothing may be cut off); a screenshot of it."""
    from axe_playwright_python.base import AXE_SCRIPT

    found = []
    page.evaluate(AXE_SCRIPT)
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        TAGS,
    )
    assert results["testEngine"]["version"].startswith("4.")
    for violation in results["violations"]:
        targets = [n["target"] for n in violation["nodes"][:3]]
        found.append(
            f"{width}px {path}: {violation['id']} ({violation['impact']}), "
            f"{len(violation['nodes'])} nodes, e.g. {targets}"
        )
    wide = page.evaluate("document.documentElement.scrollWidth")
    if wide > width:
        found.append(f"{width}px {path}: the page is {wide}px wide")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"a11y-{name}-{width}.png"))
    return found


# Written for this test: an appointment and a count, for the review page.
ARTICLE = (
    "Blackpool Council has appointed Robin Examplename as its new director of "
    "children's services.\n\nThe council said 598 children are now in its care.\n"
)


def test_the_review_page_and_an_accepted_facts_page_pass_axe_at_both_widths(
    browser: Any,  # noqa: F811
    server: str,
) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    source = {"kind": "news", "title": "An accessibility test", "publisher": "Test"}
    posted = httpx.post(
        server + "/proposals",
        json={"text": ARTICLE, "source": {**source, "published": "2024-05-02"}},
        headers=auth,
        timeout=60,
    )
    assert posted.status_code == 201, posted.text
    proposal = posted.json()
    assert len(proposal["candidates"]) >= 2
    accepted = httpx.post(
        f"{server}/proposals/{proposal['id']}/candidates/1/accept",
        json={},
        headers=auth,
        timeout=60,
    )
    assert accepted.status_code == 201, accepted.text
    fact_path = f"/facts/{accepted.json()['fact_id']}"
    found: list[str] = []
    for width in WIDTHS:
        page = browser.new_page(viewport={"width": width, "height": 900})
        review = f"/review/{proposal['id']}"
        page.goto(server + review)
        found += _violations(page, width, review, "review-closed")
        page.fill("#token", TOKEN)
        page.click("#review-token button[type=submit]")
        page.wait_for_selector("#article mark")
        found += _violations(page, width, review + " (opened)", "review-open")
        page.goto(server + fact_path, wait_until="load")
        assert "Recorded by" in page.content()
        found += _violations(page, width, fact_path, "fact-accepted")
        page.close()
    assert found == [], "\n".join(found)


def test_the_list_at_authorities_is_the_front_page(lait_server: str) -> None:
    html = {"Accept": "text/html"}
    front = httpx.get(lait_server + "/", headers=html, timeout=30)
    listing = httpx.get(lait_server + "/authorities", headers=html, timeout=30)
    assert front.headers["content-type"].startswith("text/html")
    assert listing.text == front.text


def test_the_charts_marks_are_reached_by_keyboard_and_say_what_they_are(
    browser: Any,  # noqa: F811
    lait_server: str,
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(lait_server + f"/authorities/{BLACKPOOL}")
    first_mark = page.locator("svg.chart a.point").first
    label = first_mark.get_attribute("aria-label")
    assert label and "children in care" in label
    for _ in range(400):  # tab until the chart's first mark has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('svg.chart') !== null"):
            break
    else:
        pytest.fail("no mark of the chart is reached by the keyboard")
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused and focused in {
        page.locator("svg.chart a").nth(i).get_attribute("aria-label")
        for i in range(page.locator("svg.chart a").count())
    }
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/facts/" in page.url
    # Every judgement in the chart's strip carries its initial as text too.
    page.goto(lait_server + f"/authorities/{BLACKPOOL}")
    letters = page.locator("svg.chart a.rating text").all_text_contents()
    assert letters and set(letters) <= {"O", "G", "R", "I", "–"}
    page.close()


def test_at_phone_width_the_list_reflows_and_the_chart_text_is_readable(
    browser: Any,  # noqa: F811
    lait_server: str,
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(lait_server + "/")
    director = page.locator("table#authorities tbody tr", has_text="Blackpool").first
    cell = director.locator("td[data-label=Director]")
    box = cell.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390  # reachable, not cut
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(lait_server + f"/authorities/{BLACKPOOL}")
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('svg.chart text.axis')].map(t => {
             const r = t.getBoundingClientRect(); return r.height; })"""
    )
    assert sizes and min(sizes) >= 10, sizes  # drawn at about 12px, not 4px
    page.close()


def test_at_phone_width_a_sources_details_fit_without_scrolling_sideways(
    browser: Any,  # noqa: F811
    lait_server: str,
) -> None:
    # LAIT's note names a file path and its address is long: neither has a space.
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(lait_server + "/sources/dfe-lait")
    widths = page.evaluate(
        """() => { const t = document.querySelector('table#source');
                   return [t.scrollWidth, t.parentElement.clientWidth]; }"""
    )
    assert widths[0] <= widths[1], widths
    page.close()
