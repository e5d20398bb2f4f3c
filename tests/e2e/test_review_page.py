"""The review page in a real browser: a curator opens a proposal with their
token, accepts one candidate with an edited date and rejects another."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.e2e.conftest import TOKEN
from tests.e2e.test_browser import _shot, browser

pytestmark = pytest.mark.e2e
__all__ = ["browser"]

# Written for this test: two figures in one sentence, and an appointment.
ARTICLE = (
    "Blackpool Council said that 612 children are now in its care, down from 655 "
    "the previous spring.\n\nThe council has appointed Morgan Testperson as its "
    "new director of children's services.\n"
)


def test_a_curator_accepts_and_rejects_candidates_on_the_review_page(
    browser: Any, server: str
) -> None:
    posted = httpx.post(
        server + "/proposals",
        json={
            "text": ARTICLE,
            "source": {
                "kind": "news",
                "title": "A page test",
                "publisher": "Test Gazette",
                "published": "2024-06-12",
            },
        },
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert posted.status_code == 201, posted.text
    proposal = posted.json()
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(f"{server}/review/{proposal['id']}", wait_until="load")
    assert page.locator("#article").inner_text() == ""  # nothing before the token
    page.fill("#token", TOKEN)
    page.click("#review-token button[type=submit]")
    page.wait_for_selector("#candidates li")
    assert page.locator("#article mark").count() >= 2
    assert "Morgan Testperson" in page.locator("#article").inner_text()
    _shot(page, "review-1-opened")

    first = proposal["candidates"][0]["n"]
    page.fill(f"#candidate-{first}-effective", "2024-06")
    page.click(f"#candidate-{first} form.accept button")
    page.wait_for_selector(f"text=Candidate {first} accepted")
    last = proposal["candidates"][-1]["n"]
    page.fill(f"#candidate-{last}-reason", "named in another source already")
    page.click(f"#candidate-{last} form.reject button")
    page.wait_for_selector(f"text=Candidate {last} rejected")
    _shot(page, "review-2-decided")

    read = httpx.get(
        f"{server}/proposals/{proposal['id']}",
        headers={"Authorization": f"Bearer {TOKEN}"},
    ).json()
    statuses = {c["n"]: c["status"] for c in read["candidates"]}
    assert statuses[first] == "accepted" and statuses[last] == "rejected"
    fact_id = next(c for c in read["candidates"] if c["n"] == first)["decision"][
        "fact_id"
    ]
    fact = httpx.get(f"{server}/facts/{fact_id}").json()["fact"]
    assert fact["effective"]["date"] == "2024-06"
    assert fact["recorded_by"] == "unnamed"
