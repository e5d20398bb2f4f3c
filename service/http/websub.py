"""``POST /websub``: the hub's subscription endpoint (WebSub, section 5.1).

The body is a form (``application/x-www-form-urlencoded``) of at most 8 KiB with
``hub.mode``, ``hub.topic``, ``hub.callback`` and optionally ``hub.lease_seconds``
and ``hub.secret``; other parameters are ignored, as the recommendation requires.
A good request is answered 202 and verified with the subscriber afterwards; a bad
one gets a problem document saying what is wrong, and nothing is stored.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from service.http.problems import ProblemError
from service.http.views import runtime
from service.websub import callbacks, hub
from service.websub.topics import find_topic

MAX_FORM = 8 * 1024
MAX_FIELDS = 64
FORM = "application/x-www-form-urlencoded"
FORM_SCHEMA = {
    "type": "object",
    "properties": {
        "hub.mode": {"type": "string", "enum": ["subscribe", "unsubscribe"]},
        "hub.topic": {
            "type": "string",
            "maxLength": 2000,
            "description": "A feed's self URL: /feed, /authorities/{code}/feed or "
            "/kinds/{kind}/feed under the base URL, or its .json twin.",
        },
        "hub.callback": {
            "type": "string",
            "maxLength": 2000,
            "description": "The subscriber's http(s) URL; not a private address.",
        },
        "hub.lease_seconds": {"type": "string", "pattern": "^[0-9]{1,10}$"},
        "hub.secret": {"type": "string", "maxLength": 199},
    },
    "required": ["hub.mode", "hub.topic", "hub.callback"],
}
_STATUS_SLUGS = {
    404: "not-found",
    422: "invalid-value",
    429: "too-many-subscriptions",
    503: "hub-busy",
}


def _invalid(field: str, message: str) -> ProblemError:
    return ProblemError(
        "invalid-value", message, errors=[{"field": field, "message": message}]
    )


async def _form(request: Request) -> dict[str, str]:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != FORM:
        raise ProblemError(
            "unsupported-media-type",
            f"send the subscription request as {FORM}, not {media[:60] or 'nothing'}",
        )
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM:
            raise ProblemError(
                "payload-too-large",
                f"a subscription request is at most {MAX_FORM // 1024} KiB",
            )
    try:
        pairs = parse_qsl(
            body.decode("utf-8"),
            keep_blank_values=True,
            max_num_fields=MAX_FIELDS,
            errors="strict",
        )
    except (UnicodeDecodeError, ValueError) as error:
        raise ProblemError(
            "malformed-request", f"the form cannot be read: {error}"
        ) from None
    form: dict[str, str] = {}
    for name, value in pairs:
        if name.startswith("hub.") and name in form:
            raise ProblemError("malformed-request", f"{name[:40]} is given twice")
        form.setdefault(name, value)
    return form


def _required(form: dict[str, str], name: str) -> str:
    value = form.get(name, "")
    if not value:
        raise _invalid(name, f"{name} is required")
    return value


async def subscribe(request: Request) -> Response:
    rt = runtime(request)
    form = await _form(request)
    mode = _required(form, "hub.mode")
    if mode not in ("subscribe", "unsubscribe"):
        raise _invalid("hub.mode", "hub.mode must be subscribe or unsubscribe")
    topic_url = _required(form, "hub.topic")
    callback = _required(form, "hub.callback")
    try:
        host, _ = callbacks.check_url(callback)
        lease = hub.lease(form.get("hub.lease_seconds"))
    except callbacks.CallbackError as error:
        raise _invalid("hub.callback", str(error)) from None
    except hub.HubRefusedError as refusal:
        raise _invalid(refusal.field or "hub", refusal.detail) from None
    secret = form.get("hub.secret") or None
    if secret is not None and len(secret.encode()) > hub.MAX_SECRET:
        raise _invalid(
            "hub.secret", f"hub.secret must be under {hub.MAX_SECRET + 1} bytes"
        )
    base = rt.settings.base_url
    topic = await rt.read(lambda cur: find_topic(cur, base, topic_url))
    if topic is None:
        raise _invalid(
            "hub.topic",
            f"{topic_url[:200]!r} is not a feed this hub publishes: a topic is a "
            f"feed's self URL, such as {base}/feed or "
            f"{base}/authorities/E06000009/feed (archive pages never change)",
        )
    websub: hub.Hub = request.app.state.websub
    wanted = hub.Request(mode, topic.url, callback, host, lease, secret)
    try:
        await run_in_threadpool(websub.accept, wanted)
    except hub.HubRefusedError as refusal:
        extra: dict[str, Any] = {}
        if refusal.field:
            extra["errors"] = [{"field": refusal.field, "message": refusal.detail}]
        if refusal.status == 503:
            extra["headers"] = {"Retry-After": "5"}
        raise ProblemError(
            _STATUS_SLUGS[refusal.status], refusal.detail, **extra
        ) from None
    return Response(
        f"{mode} request accepted: the hub will ask {callback} to confirm\n",
        status_code=202,
        media_type="text/plain",
    )
