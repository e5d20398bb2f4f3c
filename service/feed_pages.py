"""What a feed page holds: which feed (a scope), in which format, its links, entries
and tombstones, put together from the feed view and rendered as Atom or JSON Feed.

Entries never change, so each is rendered once per feed and format and kept; a
page is its head with those fragments placed in it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from domain.kinds import KINDS
from projections.db import Cursor
from projections.feed import FeedEntry, entries_at, page_entries, page_positions
from service import feeds, json_feed
from service.runtime import Runtime

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
HUB_PATH = "/websub"  # the WebSub hub every feed names
RIGHTS = (
    "Official statistics and inspection data (Ofsted, the Department for Education, "
    "the Office for National Statistics): Crown copyright, re-used under the Open "
    "Government Licence v3.0; each entry names its source and that source's "
    "licence. Everything else, every summary included, is compiled by carefacts "
    "from the sources it cites: re-use it freely, crediting carefacts and the "
    "source."
)
ATOM_TYPE = "application/atom+xml"
JSON = "application/json"


@dataclass(frozen=True)
class Scope:
    """One feed: global (key ""), an authority's (its code) or a kind's."""

    key: str
    path: str  # of the Atom subscription document
    name: str  # for the title
    specific: str  # the tag URI's specific part of the feed's id
    html: str  # the page the feed belongs to
    json: str | None  # the JSON resource the feed belongs to
    subtitle: str


def global_scope() -> Scope:
    return Scope(
        "", "/feed", "every recorded event", "feed", "/?format=html", "/",
        "Every fact recorded about English councils' children's services, with its "
        "source, in the order the ledger recorded it.",
    )  # fmt: skip


def authority_scope(code: str, name: str) -> Scope:
    return Scope(
        code, f"/authorities/{code}/feed", name, f"authority:{code}",
        f"/authorities/{code}?format=html", f"/authorities/{code}",
        f"Every fact recorded about {name}'s children's services, with its source, "
        "in the order the ledger recorded it.",
    )  # fmt: skip


def kind_scope(kind: str) -> Scope:
    return Scope(
        f"kind:{kind}", f"/kinds/{kind}/feed", KINDS[kind].title, f"kind:{kind}",
        "/?format=html",
        None,
        f"{KINDS[kind].description} Every such fact recorded for any English council, "
        "with its corrections and retractions, in the order the ledger recorded them.",
    )  # fmt: skip


@dataclass(frozen=True)
class Format:
    name: str  # "atom" or "json"; also the ETag's first letter
    suffix: str  # of the URLs: "" or ".json"
    media: str
    render_entry: Callable[[feeds.Entry, str], bytes]
    assemble: Callable[[feeds.Page, list[bytes]], bytes]
    link_type: str = field(default="")

    def url(self, base: str, scope: Scope, page: int | None = None) -> str:
        if page is None:
            return f"{base}{scope.path}{self.suffix}"
        return f"{base}{scope.path}/archive/{page}{self.suffix}"


ATOM = Format(
    "atom", "", feeds.MEDIA_TYPE, feeds.render_entry, feeds.assemble, ATOM_TYPE
)
JSON_FEED = Format(
    "json", ".json", json_feed.MEDIA_TYPE, json_feed.render_entry, json_feed.assemble,
    json_feed.MEDIA_TYPE,
)  # fmt: skip
_OTHER = {"atom": JSON_FEED, "json": ATOM}

Fragment = tuple[bytes, str, feeds.Tombstone | None]


def render(
    rt: Runtime,
    cur: Cursor,
    scope: Scope,
    fmt: Format,
    number: int,
    closed: bool,
    requested: bool,
    size: int,
) -> bytes:
    """Page ``number`` of a feed; ``requested``: asked for by its archive URL."""
    base = rt.settings.base_url
    scheme = f"{base}/openapi.json#events"
    positions = page_positions(cur, rt.ledger, number, size, scope.key)
    first = (number - 1) * size + 1
    numbered = [(first + i, p) for i, p in enumerate(positions)]
    cache = rt.entry_fragments
    rendered: dict[int, Fragment] = {}
    for _, position in numbered:
        found = cache.get(f"{fmt.name} {scope.path} {position}")
        if found is not None:
            rendered[position] = found
    missing = [(n, p) for n, p in numbered if p not in rendered]
    if missing:
        for e in entries_at(cur, rt.ledger, missing, rt.names):
            entry = entry_of(rt, e)
            fragment = (fmt.render_entry(entry, scheme), e.recorded_at, entry.tombstone)
            rendered[e.position] = fragment
            cache.put(f"{fmt.name} {scope.path} {e.position}", fragment)
    updated = (
        datetime.fromisoformat(rendered[positions[-1]][1])
        if positions
        else _last_update(rt, cur, scope, number, size)
    )
    page = feeds.Page(
        feed_id=_tag(rt, scope.specific),
        title=f"carefacts: {scope.name}",
        subtitle=scope.subtitle,
        updated=updated,
        links=_links(base, scope, fmt, number, closed, requested),
        entries=(),
        archived=closed,
        scheme=scheme,
        extra={"about": f"{base}/openapi.json#feeds"},
        rights=RIGHTS,
        tombstones=tuple(t for p in positions if (t := rendered[p][2]) is not None),
    )
    return fmt.assemble(page, [rendered[p][0] for p in positions])


def _links(
    base: str, scope: Scope, fmt: Format, number: int, closed: bool, requested: bool
) -> tuple[feeds.Link, ...]:
    own, twin, kind = fmt.url, _OTHER[fmt.name], fmt.link_type
    here = number if requested else None
    links = [
        feeds.Link(own(base, scope, here), "self", kind),
        feeds.Link(own(base, scope), "current", kind),
    ]
    if not closed:  # the working page's other address
        links.append(
            feeds.Link(own(base, scope, None if requested else number), "via", kind)
        )
    if number > 1:
        links.append(feeds.Link(own(base, scope, number - 1), "prev-archive", kind))
    if closed:
        links.append(feeds.Link(own(base, scope, number + 1), "next-archive", kind))
    links.append(feeds.Link(base + scope.html, "alternate", "text/html"))
    links.append(feeds.Link(twin.url(base, scope, here), "alternate", twin.link_type))
    if scope.json is not None:
        links.append(feeds.Link(base + scope.json, "alternate", JSON))
    if not requested:  # the subscription document: its self URL is a WebSub topic
        links.append(feeds.Link(base + HUB_PATH, "hub"))
    return tuple(links)


def _last_update(
    rt: Runtime, cur: Cursor, scope: Scope, number: int, size: int
) -> datetime:
    """An empty working page is as fresh as the last entry of the page before it."""
    if number == 1:
        return EPOCH
    previous = page_entries(cur, rt.ledger, number - 1, size, scope.key)
    return datetime.fromisoformat(previous[-1].recorded_at) if previous else EPOCH


def _tag(rt: Runtime, specific: str) -> str:
    return f"tag:{rt.settings.tag_authority}:{specific}"


def _label(topic: str) -> str:
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in topic).strip()
    return words[0].upper() + words[1:]


def entry_of(rt: Runtime, e: FeedEntry) -> feeds.Entry:
    """A feed entry with its links: first the HTML page a person opens, then the
    JSON resource, then the source (its record here, and the document itself)."""
    base = rt.settings.base_url
    html = "text/html"
    links: list[feeds.Link] = []
    if e.fact_id is not None:
        page = f"{base}/facts/{e.fact_id}"
        links.append(feeds.Link(f"{page}?format=html", "alternate", html))
        links.append(feeds.Link(page, "alternate", JSON))
    elif e.topic == "AuthorityRegistered" and e.authority:
        page = f"{base}/authorities/{e.authority}"
        links.append(feeds.Link(f"{page}?format=html", "alternate", html))
        links.append(feeds.Link(page, "alternate", JSON))
    elif e.topic == "SourceRegistered" and e.source_id:
        page = f"{base}/sources/{e.source_id}"
        links.append(feeds.Link(f"{page}?format=html", "alternate", html))
        links.append(feeds.Link(page, "alternate", JSON))
    else:  # a measure's registration: it has no page of its own
        links.append(feeds.Link(f"{base}/?format=html", "alternate", html))
    source = e.source
    if source is not None and e.fact_id is not None:
        record = f"{base}/sources/{source['id']}"
        links.append(feeds.Link(record, "related", JSON))
    if source is not None and source.get("url"):
        links.append(feeds.Link(source["url"], "via", html, source["title"]))
    tombstone = None
    if e.deletes is not None:
        tombstone = feeds.Tombstone(
            _tag(rt, f"event:{e.deletes}"),
            datetime.fromisoformat(e.recorded_at),
            f"Retracted: {e.reason}",
            links[0].href,
        )
    published = source.get("published") if source else None
    return feeds.Entry(
        id=_tag(rt, f"event:{e.event_id}"),
        title=e.title,
        summary=e.summary,
        recorded=datetime.fromisoformat(e.recorded_at),
        category=e.topic,
        category_label=_label(e.topic),
        content=e.content,
        links=tuple(links),
        sequence=e.seq,
        position=e.position,
        body=e.body,
        base=base,
        effective=e.effective,
        published=published or None,
        evidence=e.evidence,
        rights=source.get("licence") if source else None,
        tombstone=tombstone,
    )
