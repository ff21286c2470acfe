"""A GeoJSON FeatureCollection over HTTP, replaced whole and asked with If-None-Match: 304 means
nothing to do."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from datetime import datetime

import orjson
import psycopg

from tranquillite.core.connections import Conn, http_base_url
from tranquillite.core.http import RetryingHttp
from tranquillite.ingestion import deep_json
from tranquillite.sources.feeds.config import FeedConfig
from tranquillite.sources.feeds.gate import Item
from tranquillite.sources.feeds.loading import Delivery, latest_delivery
from tranquillite.sources.feeds.units import FeedError, Unit, _chunks, _cut_at

log = logging.getLogger(__name__)


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
