"""Sign-in throttling that slows the one who guesses, never the account they guess at.

Counters (the ``limits`` library, moving windows) are kept per client address and per
(account, client address) pair, never per account alone: a flood from some addresses makes
those addresses wait, and the account's owner, signing in from elsewhere, is not held up.
Limits are tiers ("5/minute;10/15 minutes;…"), so the wait grows with the failures: the
first guesses are free, then a minute, then a quarter of an hour. Only failures count,
keyed by the address as typed, so a throttled answer is the same for an account that
exists and one that does not. A throttled attempt costs no password hash and no database
work. Each client may also have only a few sign-ins in progress at once.

Counters live in the process (``memory://``) unless ``throttle_storage`` names a shared
store (``redis://…``, any storage URI ``limits`` knows), which several workers need.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter


class Throttled(Exception):
    """Too many attempts from this client: try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many attempts; try again in {retry_after} s")
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class Attempt:
    """One sign-in in progress; say how it ended so the counters learn it."""

    throttle: Throttle
    client: str
    account: str

    def failed(self) -> None:
        self.throttle.failed(self.client, self.account)

    def succeeded(self) -> None:
        for limit in self.throttle.per_account:
            self.throttle.limiter.clear(limit, "pair", self.client, self.account)


class Throttle:
    def __init__(
        self,
        per_client: str,
        per_account: str | None = None,
        in_flight: int = 2,
        storage: str = "memory://",
    ) -> None:
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage))
        self.per_client: list[RateLimitItem] = parse_many(per_client)
        self.per_account: list[RateLimitItem] = parse_many(per_account) if per_account else []
        self.in_flight = in_flight
        self._busy: Counter[str] = Counter()
        self._lock = threading.Lock()

    @contextmanager
    def attempt(self, client: str, email: str) -> Iterator[Attempt]:
        """Refuse (``Throttled``) before any work when the client must wait; else hold
        one of its in-progress places while the sign-in runs."""
        account = hashlib.sha256(email.encode()).hexdigest()[:32]
        with self._lock:
            if self._busy[client] >= self.in_flight:
                raise Throttled(1)
            wait = max(
                [self._wait(limit, "client", client) for limit in self.per_client]
                + [self._wait(limit, "pair", client, account) for limit in self.per_account]
            )
            if wait:
                raise Throttled(wait)
            self._busy[client] += 1
        try:
            yield Attempt(self, client, account)
        finally:
            with self._lock:
                self._busy[client] -= 1
                if not self._busy[client]:
                    del self._busy[client]

    def failed(self, client: str, account: str) -> None:
        for limit in self.per_client:
            self.limiter.hit(limit, "client", client)
        for limit in self.per_account:
            self.limiter.hit(limit, "pair", client, account)

    def count(self, client: str) -> None:
        """An attempt that counts whatever its outcome (a sign-up)."""
        with self._lock:
            wait = max(self._wait(limit, "client", client) for limit in self.per_client)
            if wait:
                raise Throttled(wait)
            for limit in self.per_client:
                self.limiter.hit(limit, "client", client)

    def _wait(self, limit: RateLimitItem, *key: str) -> int:
        """Seconds until ``limit`` allows one more, 0 if it does now."""
        if self.limiter.test(limit, *key):
            return 0
        reset = self.limiter.get_window_stats(limit, *key).reset_time
        return max(1, math.ceil(reset - time.time()))
