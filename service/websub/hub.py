"""Subscription requests and the verification of intent (WebSub, sections 5.1-5.3).

A request is checked whole before it is accepted: a topic this service publishes,
a callback that is an http(s) URL whose host is not on a private network (unless
the settings allow it), a lease and secret in bounds, and room for one more
subscription from the callback's host. Once accepted (202), a GET to the callback
asks it to echo a random challenge; only then is the subscription stored, or
removed for an unsubscription. Verifications run on a few threads of their own,
and no more than a bounded number wait at once.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlencode

from service.runtime import Runtime
from service.subscription_store import Subscription, SubscriptionStore
from service.websub import callbacks

logger = logging.getLogger("carefacts.websub")

DEFAULT_LEASE = 10 * 24 * 3600
MIN_LEASE = 60
MAX_LEASE = 30 * 24 * 3600
MAX_SECRET = 199  # bytes: the recommendation wants fewer than 200
MAX_PENDING = 256  # verifications accepted and not yet finished


class HubRefusedError(ValueError):
    """A subscription request the hub will not take, with why and an HTTP status."""

    def __init__(self, status: int, detail: str, field: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.field = field


@dataclass(frozen=True)
class Request:
    mode: str  # subscribe or unsubscribe
    topic: str
    callback: str
    host: str
    lease_seconds: int
    secret: str | None


class Hub:
    def __init__(
        self,
        rt: Runtime,
        store: SubscriptionStore,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.rt = rt
        self.settings = rt.settings
        self.store = store
        self.clock = clock
        self._pool = ThreadPoolExecutor(4, thread_name_prefix="websub-verify")
        self._lock = threading.Condition()
        self._pending: dict[str, int] = {}  # by callback host

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def accept(self, request: Request) -> None:
        """Check what needs the network or the database, then verify in the
        background; raises :class:`HubRefusedError`. Called off the event loop."""
        host, port = callbacks.check_url(request.callback)
        try:
            callbacks.resolve(host, port, self.settings.websub_allow_private)
        except callbacks.CallbackError as error:
            raise HubRefusedError(422, str(error), "hub.callback") from None
        with self._lock:
            pending = self._pending.get(request.host, 0)
            if sum(self._pending.values()) >= MAX_PENDING:
                raise HubRefusedError(
                    503, "too many verifications are under way; retry"
                )
            known = self._renews(request)
            if request.mode == "unsubscribe" and not known:
                raise HubRefusedError(
                    404,
                    f"{request.callback[:200]} has no subscription to {request.topic}",
                    "hub.callback",
                )
            if request.mode == "subscribe" and not known:
                held = self.store.count_for_host(request.host) + pending
                if held >= self.settings.websub_max_per_host:
                    raise HubRefusedError(
                        429,
                        f"the callback host {request.host} already has {held} "
                        f"subscriptions, as many as one host may hold "
                        f"(CAREFACTS_WEBSUB_MAX_PER_HOST)",
                        "hub.callback",
                    )
            self._pending[request.host] = pending + 1
        self._pool.submit(self._verify_and_forget, request)

    def _renews(self, request: Request) -> bool:
        return self.store.get(request.topic, request.callback) is not None

    def _verify_and_forget(self, request: Request) -> None:
        try:
            self.verify(request)
        except Exception:  # a thread of its own: say what happened, carry on
            logger.exception(
                "verifying %s for %s failed", request.callback[:200], request.topic
            )
        finally:
            with self._lock:
                left = self._pending.get(request.host, 1) - 1
                if left > 0:
                    self._pending[request.host] = left
                else:
                    self._pending.pop(request.host, None)
                self._lock.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no verification is under way (for the command line and
        tests); False if ``timeout`` passes first."""
        with self._lock:
            return self._lock.wait_for(lambda: not self._pending, timeout)

    def verify(self, request: Request) -> bool:
        """Ask the callback to confirm; on success store (or remove) the
        subscription. True if the subscriber confirmed."""
        challenge = secrets.token_urlsafe(24)
        query = {
            "hub.mode": request.mode,
            "hub.topic": request.topic,
            "hub.challenge": challenge,
        }
        if request.mode == "subscribe":
            query["hub.lease_seconds"] = str(request.lease_seconds)
        joiner = "&" if "?" in request.callback else "?"
        try:
            answer = callbacks.send(
                "GET",
                request.callback + joiner + urlencode(query),
                allow_private=self.settings.websub_allow_private,
                timeout=self.settings.websub_timeout,
                limit=1024,
            )
        except callbacks.CallbackError as error:
            logger.warning("verification of intent failed: %s", error)
            return False
        if not 200 <= answer.status < 300 or answer.body != challenge.encode():
            logger.warning(
                "%s did not confirm %s of %s (status %d)",
                request.callback[:200], request.mode, request.topic, answer.status,
            )  # fmt: skip
            return False
        if request.mode == "unsubscribe":
            self.store.remove(request.topic, request.callback)
            return True
        self.store.activate(
            Subscription(
                request.topic,
                request.callback,
                request.host,
                request.secret,
                request.lease_seconds,
                self.clock() + request.lease_seconds,
                delivered=self.rt.view_position(),
            )
        )
        return True


def lease(requested: str | None) -> int:
    """The lease the hub grants: what was asked, within its bounds."""
    if requested is None or requested == "":
        return DEFAULT_LEASE
    if not requested.isascii() or not requested.isdigit() or len(requested) > 10:
        raise HubRefusedError(
            422, "hub.lease_seconds must be a whole number", "hub.lease_seconds"
        )
    return min(max(int(requested), MIN_LEASE), MAX_LEASE)
