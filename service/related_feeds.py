"""The feeds a page relates to, for its autodiscovery links and its Subscribe list.

Every feed has an Atom and a JSON Feed representation; a page about a fact relates
to its authority's feed, its kind's feed and the global one; a page about an
authority to that authority's and the global one; any other page to the global one.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.kinds import KINDS

ATOM = "application/atom+xml"
JSON_FEED = "application/feed+json"


@dataclass(frozen=True)
class Feed:
    title: str
    atom: str
    json: str

    def representations(self) -> list[tuple[str, str, str]]:
        """(media type, title, URL) of each representation, Atom first."""
        return [
            (ATOM, f"{self.title} (Atom)", self.atom),
            (JSON_FEED, f"{self.title} (JSON Feed)", self.json),
        ]


def _feed(base: str, title: str, path: str) -> Feed:
    return Feed(f"carefacts: {title}", base + path, f"{base}{path}.json")


def related_feeds(
    base: str,
    authority: tuple[str, str] | None = None,
    kind: str | None = None,
) -> list[Feed]:
    """The feeds of an authority (code, name), of a kind of fact, and the global one."""
    found = []
    if authority is not None:
        code, name = authority
        found.append(_feed(base, name, f"/authorities/{code}/feed"))
    if kind is not None:
        title = KINDS[kind].title if kind in KINDS else kind
        found.append(_feed(base, title, f"/kinds/{kind}/feed"))
    found.append(_feed(base, "every recorded event", "/feed"))
    return found
