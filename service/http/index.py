"""``/``: a map of the API for programs; a browser gets the authority list
(:func:`service.http.authority_pages.authority_list`)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from service.http.params import FORMAT, REGION, SEARCH, SORT, query
from service.http.responses import json_response

# The authority list's parameters, so that any link to the page also works here.
INDEX_PARAMS = [FORMAT, SEARCH, REGION, SORT]


async def index(request: Request) -> Response:
    query(request, INDEX_PARAMS)
    return json_response(
        {
            "name": "carefacts",
            "links": {
                "authorities": "/authorities",
                "sources": "/sources",
                "events": "/events",
                "feed": "/feed",
                "openapi": "/openapi.json",
            },
        }
    )
