"""Atom rendering (RFC 4287) of feed pages (RFC 5005 archived feeds), with feedgen.

feedgen 1.0.0 writes the feed; its extension hook writes what it gets wrong or
lacks: entry links keep their ``rel``, ``type`` and ``title`` (feedgen drops all
but ``href``), the content is XHTML built as elements (a reader shows it; the
event's JSON goes, as plain text, in the project's namespace instead),
``fh:archive`` marks closed pages, RFC 6721 tombstones (``at:deleted-entry``) name
withdrawn entries, and each entry carries its numbers and dates in the project's
namespace. ``updated`` is always set from the data (feedgen would put "now"), and
entries are appended in log order (feedgen would prepend). The output depends on
nothing but its input, so a closed page renders to the same bytes in any process,
at any time.

This is the only module that imports feedgen.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import orjson
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from projections.entry_bodies import Body
from projections.plain import json_default
from service import entry_markup

FH = "http://purl.org/syndication/history/1.0"
AT = "http://purl.org/atompub/tombstones/1.0"
CF = "tag:carefacts,2026:ns"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"


@dataclass(frozen=True)
class Link:
    href: str
    rel: str
    type: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Tombstone:
    """A withdrawn entry: its id, when it was withdrawn, why, and where to read more."""

    ref: str
    when: datetime
    comment: str
    href: str | None = None


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    summary: str
    recorded: datetime
    category: str
    category_label: str
    content: dict[str, Any]  # the event's JSON
    links: tuple[Link, ...]
    sequence: int
    position: int
    body: Body | None = None
    base: str = ""  # what paths in the body are relative to
    effective: dict[str, object] | None = None
    # the source's publication date: {"date", "precision", "approximate"}
    published: dict[str, object] | None = None
    evidence: str | None = None
    rights: str | None = None
    tombstone: Tombstone | None = None  # a retraction's, for the page that holds it


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
    rights: str | None = None
    tombstones: tuple[Tombstone, ...] = ()


class _FeedExtension(BaseExtension):  # type: ignore[misc]
    """Feed level: the namespaces, fh:archive on closed pages, tombstones."""

    def __init__(self) -> None:
        self.archived = False
        self.tombstones: tuple[Tombstone, ...] = ()

    def extend_ns(self) -> dict[str, str]:
        # Tombstones live in the feed's head, never in an entry, so only a page
        # that holds one needs their namespace.
        spaces = {"fh": FH, "at": AT, "cf": CF}
        if not self.tombstones:
            del spaces["at"]
        return spaces

    def extend_atom(self, feed: Any) -> Any:
        if self.archived:
            xml_elem(f"{{{FH}}}archive", feed)
        for stone in self.tombstones:
            node = xml_elem(
                f"{{{AT}}}deleted-entry",
                feed,
                ref=stone.ref,
                when=stone.when.isoformat(),
            )
            xml_elem(f"{{{AT}}}comment", node).text = stone.comment
            if stone.href:
                xml_elem(
                    "link", node, rel="alternate", type="text/html", href=stone.href
                )
        return feed


class _EntryExtension(BaseEntryExtension):  # type: ignore[misc]
    """Entry level: links with their attributes, XHTML content, machine fields."""

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
        if entry.body is not None:
            content = xml_elem("content", element, type="xhtml")
            content.append(entry_markup.xhtml(entry.body, entry.base))
        event = xml_elem(f"{{{CF}}}event", element, type="application/json")
        event.text = orjson.dumps(entry.content, default=json_default).decode()
        if entry.effective is not None:
            effective = xml_elem(f"{{{CF}}}effective", element)
            effective.text = str(entry.effective["date"])
            effective.attrib["precision"] = str(entry.effective["precision"])
            if entry.effective["approximate"]:
                effective.attrib["approximate"] = "true"
        if entry.published:
            published = xml_elem(f"{{{CF}}}published", element)
            published.text = str(entry.published["date"])
            published.attrib["precision"] = str(entry.published["precision"])
            if entry.published["approximate"]:
                published.attrib["approximate"] = "true"
        if entry.evidence:
            xml_elem(f"{{{CF}}}evidence", element).text = entry.evidence
        xml_elem(f"{{{CF}}}sequence", element).text = str(entry.sequence)
        xml_elem(f"{{{CF}}}position", element).text = str(entry.position)
        return element


def _generator(page: Page) -> Any:
    fg = FeedGenerator()
    fg.register_extension("carefacts", _FeedExtension, _EntryExtension, rss=False)
    fg.carefacts.archived = page.archived
    fg.carefacts.tombstones = page.tombstones
    fg.id(page.feed_id)
    fg.title(page.title)
    fg.subtitle(page.subtitle)
    fg.updated(page.updated)
    fg.author({"name": "carefacts"})
    fg.generator("carefacts")
    if page.rights:
        fg.rights(page.rights)
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
    if entry.rights:
        fe.rights(entry.rights)
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
