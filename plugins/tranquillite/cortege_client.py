"""Client of the Cortège export API v1 (contracts/cortege-export-v1.md).

Pages are yielded one at a time so that the caller can land each page before
asking for the next: memory stays flat whatever the backlog. Transient answers
(429 with Retry-After, 5xx, dropped connections) are retried with exponential
backoff; 400 and 401 fail at once with a clear message, since retrying cannot fix
them.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import requests

from tranquillite.connections import Conn, http_base_url
from tranquillite.settings import CORTEGE, CortegeSettings

log = logging.getLogger(__name__)

TRANSIENT_STATUSES = {429, 500, 502, 503, 504}


class CortegeError(RuntimeError):
    """The export API answered something the platform cannot work with."""


class CortegeAuthError(CortegeError):
    """401: the token is missing, wrong or revoked. Not retried."""


class CortegeRequestError(CortegeError):
    """400: a parameter the API refuses. Not retried."""


class CortegeUnavailableError(CortegeError):
    """Transient failures went on past the allowed attempts."""


@dataclass
class Page:
    entries: list
    next_cursor: str | None
    server_time: str | None
    number: int


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


class CortegeClient:
    def __init__(
        self,
        conn: Conn,
        settings: CortegeSettings = CORTEGE,
        *,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not conn.password:
            raise CortegeAuthError(f"connection {conn.conn_id!r} has no token (password field)")
        self.base_url = http_base_url(conn)
        self._token = conn.password
        self.settings = settings
        self.session = session or requests.Session()
        self._sleep = sleep
        self.retries = 0

    def _get(self, path: str, params: dict) -> dict:
        url = f"{self.base_url}{path}"
        headers = {"Authorization": f"Bearer {self._token}", "Accept": "application/json"}
        attempt = 0
        while True:
            attempt += 1
            wait: float | None = None
            try:
                resp = self.session.get(url, params=params, headers=headers, timeout=self.settings.timeout_seconds)
            except (requests.ConnectionError, requests.Timeout) as exc:
                reason = f"connection problem ({type(exc).__name__})"
            else:
                if resp.status_code == 200:
                    try:
                        return resp.json()
                    except ValueError:
                        reason = "answer is not JSON"
                elif resp.status_code == 401:
                    raise CortegeAuthError(
                        "Cortège refused the token (401): check the password of the 'cortege' connection"
                    )
                elif resp.status_code == 400:
                    raise CortegeRequestError(f"Cortège refused the request (400): {resp.text[:300]}")
                elif resp.status_code in TRANSIENT_STATUSES:
                    reason = f"HTTP {resp.status_code}"
                    if resp.status_code == 429:
                        wait = _retry_after(resp.headers.get("Retry-After"))
                        if wait > self.settings.retry_after_max_seconds:
                            raise CortegeUnavailableError(
                                f"Cortège asks to wait {wait:.0f}s (429), longer than"
                                f" {self.settings.retry_after_max_seconds:.0f}s: leaving it to the next attempt"
                            )
                else:
                    raise CortegeError(f"unexpected answer HTTP {resp.status_code} from {path}")
            if attempt >= self.settings.max_attempts:
                raise CortegeUnavailableError(f"Cortège unavailable after {attempt} attempts: {reason}")
            if wait is None:
                backoff = self.settings.backoff_base_seconds * 2 ** (attempt - 1)
                wait = min(self.settings.backoff_max_seconds, backoff) * (0.5 + random.random() / 2)
            self.retries += 1
            log.warning("Cortège %s: %s, attempt %d, retrying in %.1fs", path, reason, attempt, wait)
            self._sleep(wait)

    def health(self) -> bool:
        try:
            resp = self.session.get(f"{self.base_url}/api/v1/health", timeout=self.settings.timeout_seconds)
        except requests.RequestException:
            return False
        return resp.status_code == 200

    def iter_pages(self, updated_since: datetime | None) -> Iterator[Page]:
        """Every page of entries updated at or after `updated_since`, in (updated_at, id) order."""
        params: dict = {"limit": self.settings.page_size}
        if updated_since is not None:
            params["updated_since"] = rfc3339(updated_since)
        number = 0
        while True:
            body = self._get("/api/v1/entries", params)
            entries = body.get("entries")
            if not isinstance(entries, list):
                raise CortegeError("answer without an 'entries' list")
            number += 1
            cursor = body.get("next_cursor")
            yield Page(entries=entries, next_cursor=cursor, server_time=body.get("server_time"), number=number)
            if not cursor:
                return
            params = {**params, "cursor": cursor}


def _retry_after(value: str | None) -> float:
    if not value:
        return 1.0
    try:
        return max(0.0, float(value))
    except ValueError:
        # an HTTP date is allowed too
        from email.utils import parsedate_to_datetime

        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return 1.0
        return max(0.0, (when - datetime.now(UTC)).total_seconds())
