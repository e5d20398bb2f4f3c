"""Content distribution: the one delivery worker of a deployment POSTs each topic's
new entries to its subscribers (WebSub, section 7).

It runs on a thread of its own, woken when the views move on (and once a second),
so it never holds up the views. Subscribers behind the views' position get a feed
document of their topic's entries since their last delivery, signed with their
secret; the documents are rendered once per topic and starting point, then sent
from a process of its own (:mod:`service.websub.sending`). A failure is retried
after 1, 2, 4, ... seconds (at most ten minutes apart) until
``CAREFACTS_WEBSUB_RETRY_SECONDS`` have passed since the first failure; then those
entries are given up, with a warning, and the next delivery starts after them. A
subscriber answering 410 Gone is unsubscribed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from service.feed_pages import HUB_PATH
from service.runtime import Runtime
from service.subscription_store import Round, Subscription, SubscriptionStore
from service.websub import sending
from service.websub.topics import Topic, find_topic, render_push

logger = logging.getLogger("carefacts.websub")

# Subscriptions taken at a time: it bounds the documents held at once (one per
# topic and starting point, each at most a page of entries).
BATCH = 100
MAX_BACKOFF = 600.0

# The body (empty: nothing new), the last position it holds, its media type.
Push = tuple[bytes, int, str]


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
        self.sent = 0  # pushes answered 2xx by this process
        self.rounds = 0  # rounds finished, each settled in the database
        self._settled = threading.Condition()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._sender = sending.PushSender()

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
        self._sender.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(1.0)
            self._wake.clear()
            try:
                if self.elected() and self.deliver() >= BATCH:
                    self._wake.set()  # more are due: go on at once
            except Exception:  # the database may be away: try again later
                logger.exception("delivering to subscribers failed")
            with self._settled:
                self.rounds += 1
                self._settled.notify_all()

    def wait_rounds(self, count: int, timeout: float) -> bool:
        """Wait until ``count`` rounds have finished (for tests and tools)."""
        with self._settled:
            return self._settled.wait_for(lambda: self.rounds >= count, timeout)

    def deliver(self) -> int:
        """One round: every due subscription gets its push; how many were due."""
        now = self.clock()
        self.store.expire(now)
        position = self.rt.view_position()
        due = self.store.due(position, now, BATCH)
        if not due:
            return 0
        pushes = self._render(due, position)
        results = self._send(due, pushes)
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
        with self.rt.views.read() as cur:
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
        self, due: list[Subscription], pushes: dict[tuple[str, int], Push]
    ) -> list[int | str]:
        """Each subscription's status (200 if it had nothing to get) or failure."""
        settings = self.rt.settings
        bodies: list[tuple[bytes, str]] = []
        index: dict[tuple[str, int], int] = {}
        jobs: list[sending.Job] = []
        waiting: list[int] = []  # which of ``due`` the jobs are for
        for n, sub in enumerate(due):
            key = (sub.topic, sub.delivered)
            body, _, media = pushes[key]
            if not body:
                continue
            if key not in index:
                index[key] = len(bodies)
                bodies.append((body, media))
            jobs.append(sending.Job(sub.callback, sub.topic, sub.secret, index[key]))
            waiting.append(n)
        work = sending.Pushes(
            settings.base_url + HUB_PATH, bodies, jobs, settings.websub_allow_private,
            settings.websub_timeout,
        )  # fmt: skip
        results: list[int | str] = [200] * len(due)
        for n, outcome in zip(waiting, self._sender.send(work), strict=True):
            results[n] = outcome
        return results

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
