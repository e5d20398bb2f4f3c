"""Topics are the feeds' subscription documents, by their self URLs; a push is a
feed document in the topic's own format holding the entries it has not yet sent.

The topics: ``/feed``, ``/authorities/{code}/feed`` for a registered authority and
``/kinds/{kind}/feed``, each also with ``.json`` (JSON Feed), under the base URL.
Archive pages are not topics: they never gain entries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from domain.kinds import KINDS
from projections import registry
from projections.db import Cursor
from projections.feed import entries_at, numbered_after
from service import feed_pages, feeds
from service.feed_pages import ATOM, HUB_PATH, JSON_FEED, Format, Scope
from service.runtime import Runtime

_PATH = re.compile(
    r"/(?:authorities/(?P<code>[EWSN][0-9]{8})/|kinds/(?P<kind>[a-z_]{1,40})/)?"
    r"feed(?P<json>\.json)?",
    re.ASCII,
)


@dataclass(frozen=True)
class Topic:
    url: str
    scope: Scope
    fmt: Format


def find_topic(cur: Cursor, base: str, url: str) -> Topic | None:
    """The feed whose self URL is ``url``, or None if this service publishes none."""
    if not url.startswith(base + "/"):
        return None
    found = _PATH.fullmatch(url[len(base) :])
    if found is None:
        return None
    fmt = JSON_FEED if found["json"] else ATOM
    code, kind = found["code"], found["kind"]
    if code is not None:
        authority = registry.get_authority(cur, code)
        if authority is None:
            return None
        return Topic(url, feed_pages.authority_scope(code, str(authority["name"])), fmt)
    if kind is not None:
        if kind not in KINDS:
            return None
        return Topic(url, feed_pages.kind_scope(kind), fmt)
    return Topic(url, feed_pages.global_scope(), fmt)


def render_push(
    rt: Runtime, cur: Cursor, topic: Topic, after: int, upto: int
) -> tuple[bytes, int] | None:
    """The document that carries a topic's entries after position ``after`` (up to
    ``upto``, at most a page of them) and the last position it holds; None if the
    topic has no such entries."""
    size = rt.settings.feed_page_size
    numbered = numbered_after(cur, rt.ledger, topic.scope.key, after, upto, size)
    if not numbered:
        return None
    base = rt.settings.base_url
    scheme = f"{base}/openapi.json#events"
    fmt = topic.fmt
    fragments = []
    tombstones = []
    recorded = ""
    for e in entries_at(cur, rt.ledger, numbered, rt.names):
        entry = feed_pages.entry_of(rt, e)
        fragments.append(fmt.render_entry(entry, scheme))
        if entry.tombstone is not None:
            tombstones.append(entry.tombstone)
        recorded = e.recorded_at
    scope = topic.scope
    page = feeds.Page(
        feed_id=f"tag:{rt.settings.tag_authority}:{scope.specific}",
        title=f"carefacts: {scope.name}",
        subtitle=scope.subtitle,
        updated=datetime.fromisoformat(recorded),
        links=(
            feeds.Link(topic.url, "self", fmt.link_type),
            feeds.Link(base + HUB_PATH, "hub"),
            feeds.Link(base + scope.html, "alternate", "text/html"),
        ),
        entries=(),
        archived=False,
        scheme=scheme,
        extra={"about": f"{base}/openapi.json#feeds"},
        rights=feed_pages.RIGHTS,
        tombstones=tuple(tombstones),
    )
    return fmt.assemble(page, fragments), numbered[-1][1]
