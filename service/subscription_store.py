"""The WebSub hub's verified subscriptions and how far each has been delivered,
kept in the view database (SQLite or PostgreSQL) in a table of its own.

The table belongs to no projection, so dropping and rebuilding the views leaves it
alone; it holds log positions, which a replay reproduces exactly. A subscription is
a topic (a feed's self URL) and a callback; only verified ones are stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from projections.db import ViewDatabase

TABLE = """CREATE TABLE IF NOT EXISTS websub_subscriptions (
    topic TEXT NOT NULL, callback TEXT NOT NULL, host TEXT NOT NULL,
    secret TEXT, lease_seconds INTEGER NOT NULL, expires_at DOUBLE PRECISION NOT NULL,
    delivered {bigint} NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt DOUBLE PRECISION NOT NULL DEFAULT 0,
    failing_since DOUBLE PRECISION,
    PRIMARY KEY (topic, callback))"""
HOST_INDEX = (
    "CREATE INDEX IF NOT EXISTS websub_subscriptions_host "
    "ON websub_subscriptions (host)"
)
_COLUMNS = (
    "topic, callback, host, secret, lease_seconds, expires_at, delivered, attempts, "
    "next_attempt, failing_since"
)


@dataclass(frozen=True)
class Subscription:
    topic: str
    callback: str
    host: str
    secret: str | None
    lease_seconds: int
    expires_at: float
    delivered: int  # the log position up to which entries have been sent
    attempts: int = 0  # failed attempts at the next delivery
    next_attempt: float = 0.0
    failing_since: float | None = None


class SubscriptionStore:
    def __init__(self, db: ViewDatabase) -> None:
        self.db = db
        with db.write() as cur:
            cur.execute(db.ddl(TABLE))
            cur.execute(HOST_INDEX)

    def activate(self, sub: Subscription) -> None:
        """Add a verified subscription, or renew one: a new lease and secret, its
        delivery progress kept."""
        with self.db.write() as cur:
            cur.execute(
                f"INSERT INTO websub_subscriptions ({_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (topic, callback) DO UPDATE SET "
                "secret = excluded.secret, lease_seconds = excluded.lease_seconds, "
                "expires_at = excluded.expires_at",
                (
                    sub.topic, sub.callback, sub.host, sub.secret, sub.lease_seconds,
                    sub.expires_at, sub.delivered, 0, 0.0, None,
                ),
            )  # fmt: skip

    def remove(self, topic: str, callback: str) -> bool:
        with self.db.write() as cur:
            cur.execute(
                "DELETE FROM websub_subscriptions WHERE topic = ? AND callback = ?",
                (topic, callback),
            )
            return cur.rowcount > 0

    def count_for_host(self, host: str) -> int:
        with self.db.read() as cur:
            cur.execute(
                "SELECT COUNT(*) FROM websub_subscriptions WHERE host = ?", (host,)
            )
            return int(cur.fetchone()[0])

    def get(self, topic: str, callback: str) -> Subscription | None:
        with self.db.read() as cur:
            cur.execute(
                f"SELECT {_COLUMNS} FROM websub_subscriptions "
                "WHERE topic = ? AND callback = ?",
                (topic, callback),
            )
            row = cur.fetchone()
        return None if row is None else _subscription(row)

    def all(self) -> list[Subscription]:
        with self.db.read() as cur:
            cur.execute(f"SELECT {_COLUMNS} FROM websub_subscriptions ORDER BY 1, 2")
            return [_subscription(row) for row in cur.fetchall()]

    def expire(self, now: float) -> int:
        """Forget subscriptions whose lease has ended; how many."""
        with self.db.write() as cur:
            cur.execute(
                "DELETE FROM websub_subscriptions WHERE expires_at <= ?", (now,)
            )
            return cur.rowcount

    def due(self, position: int, now: float, limit: int) -> list[Subscription]:
        """Live subscriptions behind ``position`` whose next attempt is due."""
        with self.db.read() as cur:
            cur.execute(
                f"SELECT {_COLUMNS} FROM websub_subscriptions WHERE delivered < ? "
                "AND next_attempt <= ? AND expires_at > ? "
                "ORDER BY next_attempt LIMIT ?",
                (position, now, now, limit),
            )
            return [_subscription(row) for row in cur.fetchall()]

    def settle(self, batch: Round) -> None:
        """What one round of deliveries came to, in one transaction (the views'
        worker shares the SQLite writer, so a round takes it once)."""
        with self.db.write() as cur:
            cur.executemany(
                "UPDATE websub_subscriptions SET delivered = ?, attempts = 0, "
                "next_attempt = 0, failing_since = NULL "
                "WHERE topic = ? AND callback = ? AND delivered < ?",
                [(at, s.topic, s.callback, at) for s, at in batch.delivered],
            )
            cur.executemany(
                "UPDATE websub_subscriptions SET attempts = attempts + 1, "
                "next_attempt = ?, failing_since = COALESCE(failing_since, ?) "
                "WHERE topic = ? AND callback = ?",
                [(at, batch.now, s.topic, s.callback) for s, at in batch.failed],
            )
            cur.executemany(
                "DELETE FROM websub_subscriptions WHERE topic = ? AND callback = ?",
                [(s.topic, s.callback) for s in batch.gone],
            )


@dataclass
class Round:
    """The outcomes of one round: subscriptions delivered up to a position (or
    given up to it), failed and to be retried at a time, and gone (410)."""

    now: float
    delivered: list[tuple[Subscription, int]] = field(default_factory=list)
    failed: list[tuple[Subscription, float]] = field(default_factory=list)
    gone: list[Subscription] = field(default_factory=list)


def _subscription(row: tuple[object, ...]) -> Subscription:
    topic, callback, host, secret, lease, expires, delivered, attempts, at, since = row
    return Subscription(
        str(topic), str(callback), str(host), None if secret is None else str(secret),
        int(str(lease)), float(str(expires)), int(str(delivered)), int(str(attempts)),
        float(str(at)), None if since is None else float(str(since)),
    )  # fmt: skip
