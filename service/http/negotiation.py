"""Content negotiation: which representation a GET answers, from ``format`` or
the Accept header. JSON is the default; a browser gets HTML where a resource has
a page, and a spreadsheet asking for text/csv gets the whole listing as CSV."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request

# An Accept header is read as far as this many media ranges: browsers send
# fewer than ten, and no client gets more work done by sending more.
MAX_MEDIA_RANGES = 32


def _accept(request: Request) -> bytes | None:
    return next((v for k, v in request.scope["headers"] if k == b"accept"), None)


def _weights(accept: bytes) -> dict[str, float]:
    """Each media range of an Accept header with its quality (1 without ``q``;
    an unreadable ``q`` is 0), the highest where a range is given twice."""
    weights: dict[str, float] = {}
    for part in accept.decode("latin-1").split(",")[:MAX_MEDIA_RANGES]:
        media, _, rest = part.strip().partition(";")
        weight = 1.0
        for parameter in rest.split(";"):
            name, _, value = parameter.strip().partition("=")
            if name == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        media = media.strip().lower()
        weights[media] = max(weight, weights.get(media, 0.0))
    return weights


def wants_html(request: Request) -> bool:
    """True for ``?format=html``, or an Accept header preferring HTML to JSON."""
    if b"format=" in request.scope["query_string"]:
        return request.query_params.get("format") == "html"
    accept = _accept(request)
    if accept is None or b"text/html" not in accept:
        return False  # the fast path: programs rarely ask for HTML
    weights = _weights(accept)
    html = weights.get("text/html", 0.0)
    return html > 0 and html >= weights.get("application/json", 0.0)


def wants_csv(request: Request, params: Mapping[str, Any]) -> bool:
    """True for ``format=csv``, or, without ``format``, an Accept header that
    ranks text/csv above JSON."""
    if "format" in params:
        return bool(params["format"] == "csv")
    accept = _accept(request)
    if accept is None or b"text/csv" not in accept:
        return False
    weights = _weights(accept)
    json = max(weights.get("application/json", 0.0), weights.get("*/*", 0.0))
    csv = weights.get("text/csv", 0.0)
    return csv > 0 and csv >= json
