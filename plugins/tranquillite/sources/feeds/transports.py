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

from collections.abc import Iterator
from datetime import datetime

import psycopg

from tranquillite.core.connections import get_conn
from tranquillite.sources.csv_files import csv_units
from tranquillite.sources.feeds.config import FeedConfig
from tranquillite.sources.feeds.units import PAGE, FeedError, Unit
from tranquillite.sources.geojson_http import geojson_units
from tranquillite.sources.opendatasoft import OpendatasoftClient, opendatasoft_units

__all__ = ["PAGE", "TRANSPORTS", "FeedError", "OpendatasoftClient", "Unit", "open_units"]

TRANSPORTS = {"opendatasoft": opendatasoft_units, "csv_folder": csv_units, "geojson_http": geojson_units}


def open_units(
    feed: FeedConfig, warehouse: psycopg.Connection, since: datetime | None, *, full_refresh: bool = False
) -> Iterator[Unit]:
    conn = get_conn(feed.connection)
    yield from TRANSPORTS[feed.transport](feed, conn, since, warehouse=warehouse, full_refresh=full_refresh)
