"""Content distribution: the one delivery worker of a deployment POSTs each topic's
new entries to its subscribers (WebSub, section 7).

It runs on a thread of its own, woken when the views move on (and once a second),
so it never holds up the views. Subscribers behind the views' position get a feed
document of their topic's entries since their last delivery, signed with their
secret; the documents are rendered once per topic and starting point, then sent
on a bounded pool of threads. A failure is retried after 1, 2, 4, ... seconds (at
most ten minutes apart) until ``CAREFACTS_WEBSUB_RETRY_SECONDS`` have passed since
the first failure; then those entries are given up, with a warning, and the next
delivery starts after them. A subscriber answering 410 Gone is unsubscribed.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from service.runtime import Runtime
from service.websub import callbacks
from service.websub.store import Round, Subscription, SubscriptionStore
from service.websub.topics import Topic, find_topic, link_header, render_push

logger = logging.getLogger("carefacts.websub")

BATCH = 1000  # subscriptions taken at a time
SENDERS = 16
MAX_BACKOFF = 600.0

# The body (empty: nothing new), the last position it holds, its media type.
Push = tuple[bytes, int, str]


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Deliverer:
    def __init__(
        self,
        rt: Runtime,
        store: SubscriptionStore,
        elected: Callable[[], bool],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.rt = rt
        self.store = store
        self.elected = elected
        self.clock = clock
        self.sent = 0  # pushes answered 2xx by this process, for status and tests
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._senders = ThreadPoolExecutor(SENDERS, thread_name_prefix="websub-push")

    def wake(self, _position: int = 0) -> None:
        self._wake.set()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="websub", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._senders.shutdown(wait=False, cancel_futures=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(1.0)
            self._wake.clear()
            try:
                if self.elected() and self.deliver() >= BATCH:
                    self._wake.set()  # more are due: go on at once
            except Exception:  # the database may be away: try again later
                logger.exception("delivering to subscribers failed")

    def deliver(self) -> int:
        """One round: every due subscription gets its push; how many were due."""
        now = self.clock()
        self.store.expire(now)
        position = self.rt.view_position()
        due = self.store.due(position, now, BATCH)
        if not due:
            return 0
        pushes = self._render(due, position)
        results = list(self._senders.map(lambda s: self._send(s, pushes), due))
        batch = Round(now)
        for sub, outcome in zip(due, results, strict=True):
            self._settle(batch, sub, outcome, pushes[(sub.topic, sub.delivered)])
        self.store.settle(batch)
        return len(due)

    def _render(
        self, due: list[Subscription], position: int
    ) -> dict[tuple[str, int], Push]:
        """Each topic's push from each starting point; an empty body where the
        topic has nothing new (its subscribers are then up to date)."""
        pushes: dict[tuple[str, int], Push] = {}
        base = self.rt.settings.base_url
        topics: dict[str, Topic | None] = {}
        with self.rt.core.views.read() as cur:
            for sub in due:
                key = (sub.topic, sub.delivered)
                if key in pushes:
                    continue
                if sub.topic not in topics:
                    topics[sub.topic] = find_topic(cur, base, sub.topic)
                topic = topics[sub.topic]
                found = None
                if topic is not None:
                    found = render_push(self.rt, cur, topic, sub.delivered, position)
                if topic is None or found is None:
                    pushes[key] = (b"", position, "")
                else:
                    pushes[key] = (found[0], found[1], topic.fmt.media)
        return pushes

    def _send(
        self, sub: Subscription, pushes: dict[tuple[str, int], Push]
    ) -> int | str:
        """The callback's status, or why the request failed."""
        body, _, media = pushes[(sub.topic, sub.delivered)]
        if not body:
            return 200  # nothing to send
        headers = {
            "Content-Type": media,
            "Link": link_header(self.rt.settings.base_url, sub.topic),
        }
        if sub.secret:
            headers["X-Hub-Signature"] = signature(sub.secret, body)
        try:
            answer = callbacks.send(
                "POST",
                sub.callback,
                allow_private=self.rt.settings.websub_allow_private,
                timeout=self.rt.settings.websub_timeout,
                body=body,
                headers=headers,
            )
        except callbacks.CallbackError as error:
            return str(error)
        return answer.status

    def _settle(
        self, batch: Round, sub: Subscription, outcome: int | str, push: Push
    ) -> None:
        body, last, _ = push
        now = batch.now
        if isinstance(outcome, int) and 200 <= outcome < 300:
            self.sent += 1 if body else 0
            batch.delivered.append((sub, last))
            return
        if outcome == 410:
            logger.info("%s is gone: unsubscribed from %s", sub.callback, sub.topic)
            batch.gone.append(sub)
            return
        since = sub.failing_since if sub.failing_since is not None else now
        if now - since >= self.rt.settings.websub_retry_seconds:
            logger.warning(
                "gave up delivering entries up to position %d to %s (%s): failing "
                "since %.0f s ago", last, sub.callback[:200], outcome, now - since,
            )  # fmt: skip
            batch.delivered.append((sub, last))
            return
        wait = min(2.0**sub.attempts, MAX_BACKOFF)
        logger.info(
            "push to %s failed (%s); retry in %.0f s", sub.callback[:200], outcome, wait
        )
        batch.failed.append((sub, now + wait))
