"""Client of the Cortège export API v1 (contracts/cortege-export-v1.md).

Pages are yielded one at a time so that the caller can land each page before
asking for the next: memory stays flat whatever the backlog. Transient answers
(429 with Retry-After, 5xx, dropped connections) are retried with exponential
backoff; 400 and 401 fail at once with a clear message, since retrying cannot fix
them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import requests

from tranquillite.core.connections import Conn, http_base_url
from tranquillite.core.http import (
    HttpAuthError,
    HttpError,
    HttpRequestError,
    HttpUnavailableError,
    RetryingHttp,
    RetryPolicy,
    max_response_bytes,
)
from tranquillite.core.settings import CortegeSettings, cortege_settings
from tranquillite.ingestion.contract import rfc3339

log = logging.getLogger(__name__)


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


class CortegeClient:
    def __init__(
        self,
        conn: Conn,
        settings: CortegeSettings | None = None,
        *,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not conn.password:
            raise CortegeAuthError(f"connection {conn.conn_id!r} has no token (password field)")
        self.base_url = http_base_url(conn)
        self._token = conn.password
        self.settings = settings or cortege_settings()
        self.session = session or requests.Session()
        self.http = RetryingHttp(
            "Cortège",
            RetryPolicy(
                max_attempts=settings.max_attempts,
                backoff_base_seconds=settings.backoff_base_seconds,
                backoff_max_seconds=settings.backoff_max_seconds,
                retry_after_max_seconds=settings.retry_after_max_seconds,
                timeout_seconds=settings.timeout_seconds,
                max_response_bytes=max_response_bytes(),
            ),
            session=self.session,
            sleep=sleep,
        )

    stopped_early: str | None = None  # why the last iter_pages stopped before the last page

    @property
    def retries(self) -> int:
        return self.http.retries

    def _get(self, path: str, params: dict) -> dict:
        headers = {"Authorization": f"Bearer {self._token}", "Accept": "application/json"}
        try:
            return self.http.get(f"{self.base_url}{path}", params=params, headers=headers, what=path, parse=self._parse)
        except HttpAuthError:
            raise CortegeAuthError(
                "Cortège refused the token (401): check the password of the 'cortege' connection"
            ) from None
        except HttpRequestError as exc:
            raise CortegeRequestError(str(exc).replace(f" on {path}", "")) from None
        except HttpUnavailableError as exc:
            raise CortegeUnavailableError(str(exc)) from None
        except HttpError as exc:
            raise CortegeError(str(exc)) from None

    @staticmethod
    def _parse(resp: requests.Response) -> Any:
        """The page, even when one entry is nested too deep to parse (cut, for the gate to quarantine)."""
        from tranquillite.core.settings import gate_limits
        from tranquillite.ingestion import deep_json

        return deep_json.loads(resp.content, deep_json.cut_depth(gate_limits().max_depth))

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
        followed: set[str] = set()
        while True:
            body = self._get("/api/v1/entries", params)
            entries = body.get("entries") if isinstance(body, dict) else None
            if not isinstance(entries, list):
                raise CortegeError("answer without an 'entries' list")
            number += 1
            cursor = body.get("next_cursor")
            yield Page(entries=entries, next_cursor=cursor, server_time=body.get("server_time"), number=number)
            if not cursor:
                return
            # the pages are in (updated_at, id) order: stopping here lands what came, the
            # high-water mark moves to it, and the next run asks from there
            if not isinstance(cursor, str) or cursor in followed:
                self.stopped_early = "cursor_cycle"
                log.warning(
                    "page %d: next_cursor already followed or not a string; the rest waits for the next run", number
                )
                return
            if number >= self.settings.max_pages:
                self.stopped_early = "page_limit"
                log.warning("%d pages (TRQ_CORTEGE_MAX_PAGES): the rest waits for the next run", number)
                return
            followed.add(cursor)
            params = {**params, "cursor": cursor}
