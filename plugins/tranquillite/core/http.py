"""HTTP GET with retries, for the feeds and the geocoder.

Transient answers (429 with Retry-After, 5xx, dropped connections, timeouts)
are retried with exponential backoff and jitter; 400, 401 and 403 fail at once
with a clear message, since retrying cannot fix them. Error messages name the
service and the status, never a token or a query string.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests

from tranquillite.core import settings

log = logging.getLogger(__name__)

TRANSIENT = {429, 500, 502, 503, 504}


class HttpError(RuntimeError):
    """An answer the platform cannot work with."""


class HttpAuthError(HttpError):
    """401 or 403: the credentials are refused. Not retried."""


class HttpRequestError(HttpError):
    """400: the service refuses the request. Not retried."""


class HttpUnavailableError(HttpError):
    """Transient failures went on past the allowed attempts."""


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    backoff_base_seconds: float = 1.0
    backoff_max_seconds: float = 60.0
    retry_after_max_seconds: float = 300.0
    timeout_seconds: float = 30.0
    # a larger answer is refused, not read: a hostile or broken server cannot fill the worker
    max_response_bytes: int = 64 * 1024 * 1024


def policy_from_env() -> RetryPolicy:
    return RetryPolicy(
        max_attempts=settings.http_max_attempts(),
        backoff_base_seconds=settings.http_backoff_seconds(),
        max_response_bytes=max_response_bytes(),
    )


def max_response_bytes() -> int:
    return settings.http_max_response_bytes(RetryPolicy.max_response_bytes)


class HttpTooLargeError(RuntimeError):
    """The answer is larger than the policy allows (`TRQ_HTTP_MAX_RESPONSE_BYTES`). Not retried."""


def _bounded(resp: requests.Response, limit: int, service: str, what: str) -> requests.Response:
    """Read a streamed answer whole, but never more than `limit` bytes."""
    declared = resp.headers.get("Content-Length")
    too_large = HttpTooLargeError(f"{service} answered more than {limit} bytes on {what}")
    if declared and declared.isdigit() and int(declared) > limit:
        resp.close()
        raise too_large
    chunks, size = [], 0
    for chunk in resp.iter_content(chunk_size=65536):
        size += len(chunk)
        if size > limit:
            resp.close()
            raise too_large
        chunks.append(chunk)
    resp._content = b"".join(chunks)  # what requests' own .content does, with a bound
    return resp


class RetryingHttp:
    def __init__(
        self,
        service: str,
        policy: RetryPolicy | None = None,
        *,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.service = service
        self.policy = policy or policy_from_env()
        self.session = session or requests.Session()
        self._sleep = sleep
        self.retries = 0

    def request(
        self,
        method: str,
        url: str,
        *,
        ok: tuple[int, ...] = (200,),
        what: str = "",
        parse: Callable[[requests.Response], Any] | None = None,
        **kwargs,
    ) -> Any:
        """The response (or `parse(response)`: a ValueError from it, such as a truncated JSON
        body, counts as transient and is retried)."""
        what = what or url.split("?", 1)[0]
        attempt = 0
        while True:
            attempt += 1
            wait: float | None = None
            streamed = bool(kwargs.get("stream"))
            try:
                resp = self.session.request(
                    method, url, timeout=self.policy.timeout_seconds, **{**kwargs, "stream": True}
                )
                if not streamed:
                    resp = _bounded(resp, self.policy.max_response_bytes, self.service, what)
            except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as exc:
                reason = f"connection problem ({type(exc).__name__})"
            else:
                if resp.status_code in ok:
                    if parse is None:
                        return resp
                    try:
                        return parse(resp)
                    except ValueError:
                        reason = "answer cannot be read"
                elif resp.status_code in (401, 403):
                    raise HttpAuthError(f"{self.service} refused the credentials ({resp.status_code}) on {what}")
                elif resp.status_code == 400:
                    # never its text: a 400 can quote what was sent (a geocoder's, the address)
                    raise HttpRequestError(f"{self.service} refused the request (400) on {what}")
                elif resp.status_code not in TRANSIENT:
                    raise HttpError(f"unexpected answer HTTP {resp.status_code} from {self.service} on {what}")
                else:
                    reason = f"HTTP {resp.status_code}"
                if resp.status_code == 429:
                    wait = _retry_after(resp.headers.get("Retry-After"))
                    if wait > self.policy.retry_after_max_seconds:
                        raise HttpUnavailableError(
                            f"{self.service} asks to wait {wait:.0f}s (429), longer than"
                            f" {self.policy.retry_after_max_seconds:.0f}s: leaving it to the next attempt"
                        )
            if attempt >= self.policy.max_attempts:
                raise HttpUnavailableError(f"{self.service} unavailable after {attempt} attempts: {reason}")
            if wait is None:
                backoff = self.policy.backoff_base_seconds * 2 ** (attempt - 1)
                wait = min(self.policy.backoff_max_seconds, backoff) * (0.5 + random.random() / 2)
            self.retries += 1
            log.warning("%s %s: %s, attempt %d, retrying in %.1fs", self.service, what, reason, attempt, wait)
            self._sleep(wait)

    def get(self, url: str, **kwargs) -> Any:
        return self.request("GET", url, **kwargs)


def _retry_after(value: str | None) -> float:
    if not value:
        return 1.0
    try:
        return max(0.0, float(value))
    except ValueError:
        from datetime import UTC, datetime
        from email.utils import parsedate_to_datetime

        try:
            return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
        except (TypeError, ValueError):
            return 1.0
