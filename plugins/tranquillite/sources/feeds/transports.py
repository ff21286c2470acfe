"""The three transports of the municipal feeds (contracts/municipal-feeds-v1.md).

Each yields `Unit`s: what one delivery brought (a file, a snapshot, or for an API
no delivery at all), as pages of `Item`s, so that a page lands before the next
one is read.

- `opendatasoft`: Explore API v2.1 records with offset pagination; since
  `offset + limit` may not pass the portal's window (10,000), the rest comes from
  the exports/jsonl route, streamed line by line, from the last instant received.
- `csv_folder`: daily CSV files in a landing folder (any fsspec URL: a local
  folder here, `sftp://` in production). A file modified less than
  `settle_seconds` ago may still be being written and is left for the next run;
  a file whose content was already ingested is skipped.
- `geojson_http`: a FeatureCollection replaced whole, asked with If-None-Match:
  304 means nothing to do.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

import orjson
import psycopg

from tranquillite.core import settings
from tranquillite.core.connections import Conn, get_conn, http_base_url
from tranquillite.core.http import RetryingHttp
from tranquillite.ingestion import deep_json
from tranquillite.ingestion.contract import Problem, rfc3339
from tranquillite.sources.feeds.config import FeedConfig
from tranquillite.sources.feeds.gate import Item
from tranquillite.sources.feeds.loading import Delivery, latest_delivery

log = logging.getLogger(__name__)


def _cut_at() -> int:
    """Past this depth a record cannot be read whole: it is cut, and the gate quarantines it."""
    from tranquillite.core.settings import gate_limits

    return deep_json.cut_depth(gate_limits().max_depth)


PAGE = 1000


class FeedError(RuntimeError):
    """A delivery the platform cannot read at all (not one bad record: the whole of it)."""


@dataclass
class Unit:
    delivery: Delivery | None
    pages: Iterable[list[Item]]
    # once its pages are read: why they stopped before the source's end, if they did
    stopped_early: Callable[[], str | None] = lambda: None


def _chunks(items: list[Item], size: int = PAGE) -> Iterator[list[Item]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


# --- Opendatasoft Explore API v2.1 ---------------------------------------------------------


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


# --- CSV files in a landing folder ----------------------------------------------------------


def landing_filesystem(conn: Conn):
    """The landing folder as an fsspec filesystem and its root path. A connection of type
    `sftp` names the server (host, port, login, password) and `extra.path` the folder on it;
    any other names a local folder (or an fsspec URL) in `extra.path`."""
    from fsspec.core import url_to_fs

    path = str(conn.extra.get("path") or "")
    if not path:
        raise FeedError(f"connection {conn.conn_id!r} has no extra.path (the landing folder)")
    if conn.conn_type == "sftp":
        return _sftp(conn), path
    return url_to_fs(path)


def _sftp(conn: Conn):
    """The server is authenticated by its host key, pinned in `extra.host_key` ("ssh-ed25519
    AAAA…", as `ssh-keyscan` prints it): an unknown or different key is refused, never learnt."""
    import paramiko
    from fsspec.implementations.sftp import SFTPFileSystem

    pinned = str(conn.extra.get("host_key") or "").split()

    class PinnedHostKey(paramiko.MissingHostKeyPolicy):
        def missing_host_key(self, client, hostname, key) -> None:
            if not pinned or key.get_base64() != pinned[-1]:
                raise paramiko.SSHException("the SFTP server's host key is not the one pinned in extra.host_key")

    options = {"port": conn.port or 22, "username": conn.login, "password": conn.password, "timeout": 30}
    try:
        return SFTPFileSystem(
            conn.host, host_key_policy=PinnedHostKey(), **{k: v for k, v in options.items() if v is not None}
        )
    except paramiko.AuthenticationException:
        raise FeedError(f"the SFTP server refused the credentials of connection {conn.conn_id!r}") from None
    except paramiko.SSHException as exc:
        raise FeedError(f"SFTP connection {conn.conn_id!r}: {exc}") from None


def csv_units(
    feed: FeedConfig, conn: Conn, since: datetime | None, *, warehouse: psycopg.Connection, full_refresh: bool = False
) -> Iterator[Unit]:
    import re

    from tranquillite.sources.feeds.csv_feed import parse_csv

    fs, root = landing_filesystem(conn)
    pattern = re.compile(feed.options.get("file_pattern", r".*\.csv"))
    settle = float(feed.options.get("settle_seconds", 60))
    for info in sorted(fs.ls(root, detail=True), key=lambda i: i["name"]):
        name = info["name"].rstrip("/").rsplit("/", 1)[-1]
        if info.get("type") != "file" or not pattern.fullmatch(name):
            continue
        modified = info.get("mtime") or info.get("time") or 0
        modified = modified.timestamp() if isinstance(modified, datetime) else float(modified)
        if time.time() - modified < settle:
            log.info(
                "%s: modified %.0fs ago, may still be being written: left for the next run",
                name,
                time.time() - modified,
            )
            continue
        data = fs.cat_file(info["name"])
        sha = hashlib.sha256(data).hexdigest()
        latest = latest_delivery(warehouse, feed.source, name)
        if latest and latest[0] == sha and not full_refresh:
            continue
        if latest:
            log.info("%s: delivered again with other content: replaces the earlier delivery", name)
        items = parse_csv(data, feed)
        yield Unit(Delivery(name, sha, records=len(items)), _chunks(items))


# --- a GeoJSON file replaced whole ----------------------------------------------------------


def geojson_units(
    feed: FeedConfig, conn: Conn, since: datetime | None, *, warehouse: psycopg.Connection, full_refresh: bool = False
) -> Iterator[Unit]:
    path = feed.options.get("path", "/")
    name = path.rsplit("/", 1)[-1]
    latest = latest_delivery(warehouse, feed.source, name)
    headers = {"Accept": "application/geo+json, application/json"}
    if latest and latest[1] and not full_refresh:
        headers["If-None-Match"] = latest[1]
    http = RetryingHttp(feed.connection)
    resp = http.get(f"{http_base_url(conn)}{path}", headers=headers, ok=(200, 304), what=name)
    if resp.status_code == 304:
        log.info("%s: unchanged since the last delivery (304)", name)
        return
    data = resp.content
    sha = hashlib.sha256(data).hexdigest()
    if latest and latest[0] == sha and not full_refresh:
        log.info("%s: same content as the last delivery", name)
        return
    try:
        body = deep_json.orjson_loads(data, _cut_at())
    except orjson.JSONDecodeError as exc:
        raise FeedError(f"{name}: not JSON ({exc.msg})") from None
    if (
        not isinstance(body, dict)
        or body.get("type") != "FeatureCollection"
        or not isinstance(body.get("features"), list)
    ):
        raise FeedError(f"{name}: not a GeoJSON FeatureCollection")
    items = [Item(f, line_number=n) for n, f in enumerate(body["features"], start=1)]
    yield Unit(Delivery(name, sha, etag=resp.headers.get("ETag"), records=len(items)), _chunks(items))


TRANSPORTS = {"opendatasoft": opendatasoft_units, "csv_folder": csv_units, "geojson_http": geojson_units}


def open_units(
    feed: FeedConfig, warehouse: psycopg.Connection, since: datetime | None, *, full_refresh: bool = False
) -> Iterator[Unit]:
    conn = get_conn(feed.connection)
    yield from TRANSPORTS[feed.transport](feed, conn, since, warehouse=warehouse, full_refresh=full_refresh)
