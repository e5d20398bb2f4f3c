"""An entry's body as markup: XHTML for Atom (``type="xhtml"`` content), HTML and
plain text for JSON Feed. One builder serves both, so a reader sees the same words
in either feed.

The markup is small and plain (a paragraph and a bulleted list, bold labels, links)
because feed readers, terminal ones included, render little more.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from projections.entry_bodies import Body

XHTML = "http://www.w3.org/1999/xhtml"


def absolute(href: str, base: str) -> str:
    """A path on this service made absolute; other URLs unchanged."""
    return base + href if href.startswith("/") else href


def build(body: Body, base: str, namespace: str | None = None) -> Any:
    """The body as a ``div`` element, in the XHTML namespace if given."""

    def tag(name: str) -> str:
        return f"{{{namespace}}}{name}" if namespace else name

    nsmap = {None: namespace} if namespace else None
    div = etree.Element(tag("div"), nsmap=nsmap)
    etree.SubElement(div, tag("p")).text = body.lead
    if body.lines:
        items = etree.SubElement(div, tag("ul"))
        for line in body.lines:
            item = etree.SubElement(items, tag("li"))
            etree.SubElement(item, tag("strong")).text = f"{line.label}:"
            if line.href:
                item[-1].tail = " "
                link = etree.SubElement(item, tag("a"), href=absolute(line.href, base))
                link.text = line.text
                link.tail = line.note or None
            else:
                item[-1].tail = f" {line.text}{line.note}"
    return div


def xhtml(body: Body, base: str) -> Any:
    """For Atom: ``<div xmlns="http://www.w3.org/1999/xhtml">...</div>``."""
    return build(body, base, XHTML)


def html(body: Body, base: str) -> str:
    """For JSON Feed's ``content_html``."""
    text: str = etree.tostring(build(body, base), method="html", encoding="unicode")
    return text
