"""JSON Feed 1.1 rendering of the same feed pages the Atom feeds serve.

Each page is a JSON Feed document: ``next_url`` is the next older page, as JSON Feed
defines it, and closed pages say ``expired``. What JSON Feed has no word for goes in
the ``_carefacts`` extension objects: the RFC 5005 archive links, the licence,
tombstones of withdrawn entries, and, per item, the event's JSON and its numbers
and dates. As with Atom, a page depends on nothing but its input, and a page
assembled from cached items is byte-identical to one rendered whole.
"""

from __future__ import annotations

from typing import Any

import orjson

from projections.plain import json_default
from service import entry_markup
from service.feeds import Entry, Link, Page

MEDIA_TYPE = "application/feed+json"
VERSION = "https://jsonfeed.org/version/1.1"
HTML_TYPES = ("text/html",)


def _first(links: tuple[Link, ...], rel: str, types: tuple[str, ...]) -> str | None:
    return next(
        (link.href for link in links if link.rel == rel and link.type in types), None
    )


def item(entry: Entry) -> dict[str, Any]:
    """One entry as a JSON Feed item."""
    data: dict[str, Any] = {"id": entry.id}
    url = _first(entry.links, "alternate", HTML_TYPES)
    if url:
        data["url"] = url
    external = _first(entry.links, "via", HTML_TYPES)
    if external:
        data["external_url"] = external
    data["title"] = entry.title
    if entry.body is not None:
        data["content_html"] = entry_markup.html(entry.body, entry.base)
        data["content_text"] = entry.body.as_text()
    else:
        data["content_text"] = entry.summary
    recorded = entry.recorded.isoformat()
    data.update(
        summary=entry.summary,
        date_published=recorded,
        date_modified=recorded,
        tags=[entry.category],
    )
    extension: dict[str, Any] = {
        "sequence": entry.sequence,
        "position": entry.position,
        "event_type": entry.category,
    }
    json_url = _first(entry.links, "alternate", ("application/json",))
    if json_url:
        extension["json_url"] = json_url
    if entry.effective is not None:
        extension["effective"] = entry.effective
    if entry.published:
        extension["source_published"] = entry.published
    if entry.evidence:
        extension["evidence_class"] = entry.evidence
    if entry.rights:
        extension["licence"] = entry.rights
    extension["event"] = entry.content
    data["_carefacts"] = extension
    return data


def render_entry(entry: Entry, scheme: str = "") -> bytes:
    """One item's JSON, exactly as it appears inside a page."""
    return orjson.dumps(item(entry), default=json_default)


def _head(page: Page) -> dict[str, Any]:
    links = page.links
    data: dict[str, Any] = {"version": VERSION, "title": page.title}
    home = _first(links, "alternate", HTML_TYPES)
    if home:
        data["home_page_url"] = home
    data["feed_url"] = _first(links, "self", (MEDIA_TYPE,))
    data["description"] = page.subtitle
    hubs = [link.href for link in links if link.rel == "hub"]
    if hubs:
        data["hubs"] = [{"type": "WebSub", "url": href} for href in hubs]
    older = _first(links, "prev-archive", (MEDIA_TYPE,))
    if older:
        data["next_url"] = older
    data.update(
        authors=[{"name": "carefacts"}], language="en-GB", expired=page.archived
    )
    extension: dict[str, Any] = {
        "about": page.extra.get("about", ""),
        "updated": page.updated.isoformat(),
        "archived": page.archived,
        # As in the Atom page: self, current, prev-archive, next-archive, via, and
        # the alternates (the HTML page, the Atom twin).
        "links": [
            {"rel": link.rel, "href": link.href, "type": link.type} for link in links
        ],
    }
    if page.rights:
        extension["rights"] = page.rights
    if page.tombstones:
        extension["deleted"] = [
            {
                "id": stone.ref,
                "when": stone.when.isoformat(),
                "reason": stone.comment,
                "url": stone.href,
            }
            for stone in page.tombstones
        ]
    data["_carefacts"] = extension
    return data


def assemble(page: Page, fragments: list[bytes]) -> bytes:
    """The page's head with rendered items placed last (``items`` is the last key)."""
    head = orjson.dumps(_head(page))
    return head[:-1] + b',"items":[' + b",".join(fragments) + b"]}"


def render(page: Page) -> bytes:
    """The page as a JSON Feed document, rendered whole."""
    return orjson.dumps(
        {**_head(page), "items": [item(e) for e in page.entries]},
        default=json_default,
    )
