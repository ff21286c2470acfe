"""A hostile Opendatasoft export cannot hold the pull (issue 20): a line longer than any
record is judged alone, never read whole, and a stream without end stops at its byte
limit with what came, the ledger saying why; through the real ingestion and warehouse."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator

import psycopg
import pytest

from sandbox import feeds_generator as gen
from tranquillite.sources.feeds.ingest import ingest_feed

SOURCE = "evenements_espace_public"


WINDOW = [dict(r, id_evenement=f"WIN-{n}") for n, r in enumerate(gen.ods_records(100, seed=7))]


class _Export(http.server.ThreadingHTTPServer):
    """/records serves full pages of the same 100 records past its 10,000 window, so that the
    pull switches to the export, as it does on a large dataset; /exports/jsonl streams
    `lines()`, chunked, until the client hangs up."""

    def __init__(self, lines) -> None:
        self.lines = lines

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                if "/records" in self.path:
                    body = json.dumps({"total_count": 10**6, "results": WINDOW}).encode()
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                try:
                    for line in self.server.lines():
                        self.wfile.write(f"{len(line):x}\r\n".encode() + line + b"\r\n")
                    self.wfile.write(b"0\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


@pytest.fixture
def export(monkeypatch: pytest.MonkeyPatch) -> Iterator:
    servers = []

    def serve(lines) -> None:
        server = _Export(lines)
        servers.append(server)
        monkeypatch.setenv(
            "AIRFLOW_CONN_OPENDATA_MARSEILLE",
            json.dumps({"conn_type": "http", "host": f"http://127.0.0.1:{server.server_address[1]}"}),
        )

    monkeypatch.setenv("TRQ_HTTP_BACKOFF_SECONDS", "0.01")
    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


def _records(count: int) -> list[bytes]:
    return [json.dumps(r).encode() + b"\n" for r in gen.ods_records(count)]


def test_a_line_past_the_limit_is_judged_alone(db: psycopg.Connection, export, monkeypatch) -> None:
    monkeypatch.setenv("TRQ_FEEDS_MAX_LINE_BYTES", "20000")
    good = _records(6)
    huge = [b'{"id_evenement": "EVT-HUGE", "titre": "' + b"x" * 65536 for _ in range(4)] + [b'"}\n']
    export(lambda: iter([*good[:3], *huge, *good[3:]]))
    result = ingest_feed(SOURCE)
    assert result.received == result.loaded + result.quarantined
    assert result.reasons == {"too_large": 1} and result.stopped_early is None
    landed = {r[0] for r in db.execute("select record_id from raw.feed_records where record_id like 'EVT-%'")}
    assert landed == {json.loads(line)["id_evenement"] for line in good}
    assert db.execute("select reason_code, reason_detail from quarantine.records").fetchall() == [
        ("too_large", "export line 4: longer than 20000 bytes")
    ]


def test_an_export_without_end_stops_at_its_byte_limit(db: psycopg.Connection, export, monkeypatch) -> None:
    monkeypatch.setenv("TRQ_FEEDS_EXPORT_MAX_BYTES", "200000")
    lines = _records(5000)

    def endless():
        while True:
            yield from lines

    export(endless)
    result = ingest_feed(SOURCE)
    assert result.stopped_early == "byte_limit"
    assert 0 < result.received == result.loaded + result.quarantined
    ledger = db.execute("select status, stopped_early from ops.ingest_batches where batch_id = %s", (result.batch_id,))
    assert ledger.fetchone() == ("succeeded", "byte_limit")


def test_a_long_line_inside_one_chunk_is_still_too_long_and_each_is_its_own_record(
    db: psycopg.Connection, export, monkeypatch
) -> None:
    """Lines past the limit that fit in one network chunk are judged by size as well; two of
    them are two quarantined records, never one folded into the other."""
    monkeypatch.setenv("TRQ_FEEDS_MAX_LINE_BYTES", "2000")
    good = _records(2)
    longs = [json.dumps({"id_evenement": f"EVT-LONG-{n}", "titre": str(n) * 3000}).encode() + b"\n" for n in (1, 2)]
    export(lambda: iter([b"".join([good[0], *longs, good[1]])]))
    result = ingest_feed(SOURCE)
    assert result.reasons == {"too_large": 2}
    assert result.received == result.loaded + result.quarantined
    assert db.execute("select count(*) from quarantine.records where reason_code = 'too_large'").fetchone()[0] == 2
