"""Daily CSV files in a landing folder (any fsspec URL: a local folder here, `sftp://` in
production): a file still being written waits, one already ingested is skipped."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterator
from datetime import datetime

import psycopg

from tranquillite.core.connections import Conn
from tranquillite.sources.feeds.config import FeedConfig
from tranquillite.sources.feeds.loading import Delivery, latest_delivery
from tranquillite.sources.feeds.units import FeedError, Unit, _chunks

log = logging.getLogger(__name__)


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
