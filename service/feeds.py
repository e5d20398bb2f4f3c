"""Atom rendering (RFC 4287) of feed pages (RFC 5005 archived feeds), with feedgen.

feedgen 1.0.0 writes the feed; its extension hook writes what it gets wrong or
lacks: entry links keep their ``rel``, ``type`` and ``title`` (feedgen drops all
but ``href``), JSON content is Base64 with ``type="application/json"`` (feedgen
refuses the type), ``fh:archive`` marks closed pages, and each entry carries its
numbers in the project's namespace. ``updated`` is always set from the data
(feedgen would put "now"), and entries are appended in log order (feedgen would
prepend). The output depends on nothing but its input, so a closed page renders
to the same bytes in any process, at any time.

This is the only module that imports feedgen.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import orjson
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

FH = "http://purl.org/syndication/history/1.0"
CF = "tag:carefacts,2026:ns"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"


@dataclass(frozen=True)
class Link:
    href: str
    rel: str
    type: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    summary: str
    recorded: datetime
    category: str
    category_label: str
    content: dict[str, Any]
    links: tuple[Link, ...]
    sequence: int
    position: int


@dataclass(frozen=True)
class Page:
    feed_id: str
    title: str
    subtitle: str
    updated: datetime
    links: tuple[Link, ...]
    entries: tuple[Entry, ...]
    archived: bool
    scheme: str
    extra: dict[str, str] = field(default_factory=dict)


class _FeedExtension(BaseExtension):  # type: ignore[misc]
    """Feed level: the namespaces, and fh:archive on closed pages."""

    def __init__(self) -> None:
        self.archived = False

    def extend_ns(self) -> dict[str, str]:
        return {"fh": FH, "cf": CF}

    def extend_atom(self, feed: Any) -> Any:
        if self.archived:
            xml_elem(f"{{{FH}}}archive", feed)
        return feed


class _EntryExtension(BaseEntryExtension):  # type: ignore[misc]
    """Entry level: links with their attributes, Base64 JSON content, numbers."""

    def __init__(self) -> None:
        self.entry: Entry | None = None

    def extend_atom(self, element: Any) -> Any:
        entry = self.entry
        assert entry is not None
        # feedgen wrote each link with its href only: put the attributes back.
        nodes = element.findall("link")  # feedgen writes Atom names unqualified
        for node, link in zip(nodes, entry.links, strict=True):
            node.attrib["rel"] = link.rel
            if link.type:
                node.attrib["type"] = link.type
            if link.title:
                node.attrib["title"] = link.title
        content = xml_elem("content", element, type="application/json")
        content.text = base64.b64encode(orjson.dumps(entry.content)).decode()
        xml_elem(f"{{{CF}}}sequence", element).text = str(entry.sequence)
        xml_elem(f"{{{CF}}}position", element).text = str(entry.position)
        return element


def _generator(page: Page) -> Any:
    fg = FeedGenerator()
    fg.register_extension("carefacts", _FeedExtension, _EntryExtension, rss=False)
    fg.carefacts.archived = page.archived
    fg.id(page.feed_id)
    fg.title(page.title)
    fg.subtitle(page.subtitle)
    fg.updated(page.updated)
    fg.author({"name": "carefacts"})
    fg.generator("carefacts")
    for link in page.links:
        attributes = {"href": link.href, "rel": link.rel}
        if link.type:
            attributes["type"] = link.type
        if link.title:
            attributes["title"] = link.title
        fg.link(attributes)
    return fg


def _add(fg: Any, entry: Entry, scheme: str) -> None:
    fe = fg.add_entry(order="append")
    fe.id(entry.id)
    fe.title(entry.title)
    fe.summary(entry.summary)
    fe.published(entry.recorded)
    fe.updated(entry.recorded)
    fe.category(term=entry.category, scheme=scheme, label=entry.category_label)
    for link in entry.links:
        fe.link(href=link.href, rel=link.rel)
    fe.carefacts.entry = entry


def render(page: Page) -> bytes:
    """The page as an Atom document (UTF-8 bytes), rendered whole."""
    fg = _generator(page)
    for entry in page.entries:
        _add(fg, entry, page.scheme)
    data: bytes = fg.atom_str(pretty=False)
    return data


_CLOSE = b"</feed>"


def render_entry(entry: Entry, scheme: str) -> bytes:
    """One entry's XML, exactly as it appears inside a page.

    Rendered inside an otherwise empty feed (so namespaces are declared at the
    root, as in a page) and cut out; entries never change, so this is done once
    per entry and :func:`assemble` reuses it.
    """
    page = Page("tag:x", "x", "x", entry.recorded, (), (entry,), False, scheme)
    data = render(page)
    return data[data.index(b"<entry>") : data.rindex(b"</entry>") + len(b"</entry>")]


def assemble(page: Page, fragments: list[bytes]) -> bytes:
    """The page's head rendered by feedgen, with rendered entries placed in it.

    Gives the same bytes as :func:`render` of the whole page (a test checks).
    """
    head = render(replace(page, entries=()))
    cut = head.rindex(_CLOSE)
    return head[:cut] + b"".join(fragments) + head[cut:]
