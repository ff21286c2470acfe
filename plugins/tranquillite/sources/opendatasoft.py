"""Opendatasoft Explore API v2.1 (the open-data portal): records with offset pagination, then
the exports/jsonl route, streamed line by line, past the portal's 10,000 window."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from datetime import datetime

import orjson

from tranquillite.core import settings
from tranquillite.core.connections import Conn, http_base_url
from tranquillite.core.http import RetryingHttp
from tranquillite.ingestion import deep_json
from tranquillite.ingestion.contract import Problem, rfc3339
from tranquillite.sources.feeds.config import FeedConfig
from tranquillite.sources.feeds.gate import Item
from tranquillite.sources.feeds.units import PAGE, FeedError, Unit, _cut_at

log = logging.getLogger(__name__)


class OpendatasoftClient:
    def __init__(self, conn: Conn, feed: FeedConfig, http: RetryingHttp | None = None) -> None:
        self.base = f"{http_base_url(conn)}/api/explore/v2.1/catalog/datasets/{feed.options['dataset']}"
        self.feed = feed
        self.http = http or RetryingHttp(feed.connection)
        self.headers = {"Accept": "application/json"}
        key = conn.password or conn.extra.get("apikey")
        if key:
            self.headers["Authorization"] = f"Apikey {key}"
        self.page_size = int(feed.options.get("page_size", 100))
        self.max_window = int(feed.options.get("max_window", 10000))
        self.switched_to_export = False
        self.stopped_early: str | None = None  # why the last export stopped before its end

    def _where(self, since: str | None) -> dict:
        field = self.feed.updated_at_path
        return {"where": f'{field} >= "{since}"'} if since else {}

    def iter_pages(self, since: datetime | None) -> Iterator[list[Item]]:
        """Records modified at or after `since`, in (modification, id) order."""
        field, key = self.feed.updated_at_path, self.feed.id_path
        since_text = rfc3339(since) if since else None
        offset, last = 0, None
        while True:
            if offset + self.page_size > self.max_window:
                # the portal refuses to page further: stream the rest from the export route
                self.switched_to_export = True
                log.info(
                    "offset %d + limit %d passes %d: switching to exports/jsonl",
                    offset,
                    self.page_size,
                    self.max_window,
                )
                yield from self._export(last or since_text)
                return
            params = {
                "limit": self.page_size,
                "offset": offset,
                "order_by": f"{field},{key}",
                **self._where(since_text),
            }
            resp = self.http.get(f"{self.base}/records", params=params, headers=self.headers, what="records")
            body = deep_json.loads(resp.content, _cut_at())
            results = body.get("results")
            if not isinstance(results, list):
                raise FeedError("Opendatasoft answered without a 'results' list")
            if results:
                yield [Item(r) for r in results]
                value = results[-1].get(field) if isinstance(results[-1], dict) else None
                last = value if isinstance(value, str) else last
            offset += len(results)
            if len(results) < self.page_size or offset >= int(body.get("total_count", 0)):
                return

    def _export(self, since_text: str | None) -> Iterator[list[Item]]:
        params = {"order_by": f"{self.feed.updated_at_path},{self.feed.id_path}", **self._where(since_text)}
        resp = self.http.get(
            f"{self.base}/exports/jsonl", params=params, headers=self.headers, stream=True, what="exports/jsonl"
        )
        page: list[Item] = []
        max_line, max_total = export_limits()
        cut_at = _cut_at()  # once per export, not once per line
        with resp:
            for number, line, digest in self._lines(resp, max_line, max_total):
                if line is None:
                    problem = Problem("too_large", f"export line {number}: longer than {max_line} bytes")
                    # the line's own hash: another line too long is another quarantined record
                    page.append(Item({"ligne": number, "sha256": digest}, number, problem))
                    continue
                if not line.strip():
                    continue
                try:
                    page.append(Item(deep_json.orjson_loads(line, cut_at)))
                except orjson.JSONDecodeError:
                    text = line.decode("utf-8", "replace")
                    page.append(
                        Item({"ligne": text}, number, Problem("malformed_line", f"export line {number}: not JSON"))
                    )
                if len(page) >= PAGE:
                    yield page
                    page = []
        if page:
            yield page

    def _lines(self, resp, max_line: int, max_total: int) -> Iterator[tuple[int, bytes | None, str | None]]:
        """The export's lines, numbered; for a line past `max_line` bytes, None and the hash
        of its bytes (it is never held whole). Past `max_total` bytes the export stops, as
        Cortège's pull does at its page limit: the records are in `updated_at` order, so what
        came lands and the next run asks from there; a line cut by the stop was never received."""
        buffer, total, number = b"", 0, 0
        skipped: hashlib._Hash | None = None  # the line being skipped, hashed as it streams
        for chunk in resp.iter_content(chunk_size=65536):
            total += len(chunk)
            if total > max_total:
                self.stopped_early = "byte_limit"
                log.warning("exports/jsonl: more than %d bytes (TRQ_FEEDS_EXPORT_MAX_BYTES): the rest waits", max_total)
                return
            buffer += chunk
            while (end := buffer.find(b"\n")) >= 0:
                line, buffer = buffer[:end], buffer[end + 1 :]
                number += 1
                if skipped is None and len(line) > max_line:
                    skipped = hashlib.sha256()
                if skipped is not None:
                    skipped.update(line)
                    yield number, None, skipped.hexdigest()
                    skipped = None
                else:
                    yield number, line, None
            if len(buffer) > max_line:
                skipped = skipped or hashlib.sha256()
                skipped.update(buffer)
                buffer = b""
        if skipped is not None:
            skipped.update(buffer)
            yield number + 1, None, skipped.hexdigest()
        elif buffer.strip():
            yield number + 1, buffer, None


def export_limits() -> tuple[int, int]:
    """The longest line, and the most bytes, one Opendatasoft export may send."""
    return settings.feeds_export_limits()


def opendatasoft_units(feed: FeedConfig, conn: Conn, since: datetime | None, **_) -> Iterator[Unit]:
    client = OpendatasoftClient(conn, feed)
    yield Unit(None, client.iter_pages(since), stopped_early=lambda: client.stopped_early)
