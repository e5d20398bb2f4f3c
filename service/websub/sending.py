"""Sending pushes from a process of its own, so the web process never pays for it.

A round of pushes is hundreds of outbound requests: done on threads of the web
process, they contend for its interpreter lock with every request it serves (the
state query lost a fifth of its rate to them). So the delivery worker renders each
document once and hands the round to a child process, which signs each body and
posts it on a bounded pool of threads, and answers with each callback's status
(or why it failed). The child imports only this module's few dependencies; if it
dies, the next round starts another.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from service.websub import callbacks

logger = logging.getLogger("carefacts.websub")

SENDERS = 16  # requests in flight at once
NICENESS = 10  # added to the sender's: see _yield_to_serving


@dataclass(frozen=True)
class Job:
    callback: str
    topic: str
    secret: str | None
    body: int  # index into the round's bodies


@dataclass(frozen=True)
class Pushes:
    hub: str  # the hub's URL, for the Link header
    bodies: list[tuple[bytes, str]]  # (document, media type)
    jobs: list[Job]
    allow_private: bool
    timeout: float


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def link_header(hub: str, topic: str) -> str:
    return f'<{hub}>; rel="hub", <{topic}>; rel="self"'


def _post(work: Pushes, job: Job) -> int | str:
    body, media = work.bodies[job.body]
    headers = {"Content-Type": media, "Link": link_header(work.hub, job.topic)}
    if job.secret:
        headers["X-Hub-Signature"] = signature(job.secret, body)
    try:
        answer = callbacks.send(
            "POST",
            job.callback,
            allow_private=work.allow_private,
            timeout=work.timeout,
            body=body,
            headers=headers,
        )
    except callbacks.CallbackError as error:
        return str(error)
    return answer.status


def send_round(work: Pushes) -> list[int | str]:
    """Each job's status or failure, in order (run in the child process)."""
    with ThreadPoolExecutor(min(SENDERS, max(len(work.jobs), 1))) as pool:
        return list(pool.map(lambda job: _post(work, job), work.jobs))


def _yield_to_serving() -> None:
    """Run the sender below the web process's priority: pushes wait when the
    machine is busy serving, queries do not wait for pushes."""
    os.nice(NICENESS)


class PushSender:
    """The child process, started on first use and again if it dies."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None

    def send(self, work: Pushes) -> list[int | str]:
        if not work.jobs:
            return []
        if self._pool is None:
            context = multiprocessing.get_context("spawn")  # no copy of our threads
            self._pool = ProcessPoolExecutor(
                1, mp_context=context, initializer=_yield_to_serving
            )
        try:
            return self._pool.submit(send_round, work).result()
        except BrokenProcessPool:
            logger.warning("the push sender died; a new one starts next round")
            self.close()
            return ["the push sender stopped"] * len(work.jobs)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
