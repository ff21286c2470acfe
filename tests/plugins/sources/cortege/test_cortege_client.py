"""The export API client against a real sandbox server: paging and every fault path."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from tests.conftest import Sandbox
from tests.fixtures.hostile import HostileCortege
from tranquillite.core.connections import parse_conn
from tranquillite.core.settings import CORTEGE
from tranquillite.sources.cortege.client import (
    CortegeAuthError,
    CortegeClient,
    CortegeRequestError,
    CortegeUnavailableError,
)


def client(box: Sandbox, *, page_size: int = 25, max_attempts: int = 4, token: str | None = None):
    waits: list[float] = []
    conn = parse_conn("cortege", box.conn_json)
    if token is not None:
        conn = replace(conn, password=token)
    settings = replace(CORTEGE, page_size=page_size, max_attempts=max_attempts, backoff_base_seconds=0.01)
    return CortegeClient(conn, settings, sleep=waits.append), waits


def test_pages_follow_cursors_in_order(sandbox: Sandbox) -> None:
    c, _ = client(sandbox, page_size=25)
    pages = list(c.iter_pages(None))
    assert [len(p.entries) for p in pages] == [25, 25, 10]
    keys = [(datetime.fromisoformat(e["updated_at"]), e["id"]) for p in pages for e in p.entries]
    assert keys == sorted(keys) and len(set(keys)) == 60
    assert pages[-1].next_cursor is None


def test_updated_since_filters(sandbox: Sandbox) -> None:
    c, _ = client(sandbox, page_size=1000)
    everything = next(c.iter_pages(None)).entries
    cut = sorted(datetime.fromisoformat(e["updated_at"]) for e in everything)[40]
    recent = [e for p in c.iter_pages(cut) for e in p.entries]
    assert len(recent) == sum(datetime.fromisoformat(e["updated_at"]) >= cut for e in everything)


def test_429_honours_retry_after(sandbox: Sandbox) -> None:
    sandbox.queue_faults("429", retry_after=7)
    c, waits = client(sandbox, page_size=1000)
    assert len(next(c.iter_pages(None)).entries) == 60
    assert waits == [7.0]


@pytest.mark.parametrize("fault", ["500", "502", "503", "504", "drop"])
def test_transient_faults_are_retried(sandbox: Sandbox, fault: str) -> None:
    sandbox.queue_faults(fault, fault)
    c, waits = client(sandbox, page_size=1000)
    assert len(next(c.iter_pages(None)).entries) == 60
    assert len(waits) == 2 and waits[1] > waits[0] * 0.9  # exponential backoff (with jitter)


def test_gives_up_after_max_attempts(sandbox: Sandbox) -> None:
    sandbox.queue_faults("503", "503", "503")
    c, _ = client(sandbox, max_attempts=3)
    with pytest.raises(CortegeUnavailableError, match="3 attempts"):
        list(c.iter_pages(None))


def test_401_fails_at_once(sandbox: Sandbox) -> None:
    c, waits = client(sandbox, token="wrong-token")
    before = sandbox.requests_served
    with pytest.raises(CortegeAuthError, match="401"):
        list(c.iter_pages(None))
    assert waits == [] and sandbox.requests_served == before + 1


def test_token_never_in_error_messages(sandbox: Sandbox) -> None:
    c, _ = client(sandbox, token="tok-ABCDEF123456")
    with pytest.raises(CortegeAuthError) as err:
        list(c.iter_pages(None))
    assert "tok-ABCDEF123456" not in str(err.value)


def test_400_fails_at_once(sandbox: Sandbox) -> None:
    c, waits = client(sandbox, page_size=5000)  # the contract allows at most 1000
    with pytest.raises(CortegeRequestError, match="400"):
        list(c.iter_pages(None))
    assert waits == []


def test_a_page_served_twice_is_seen_twice(sandbox: Sandbox) -> None:
    sandbox.queue_faults("duplicate_page")
    c, _ = client(sandbox, page_size=25)
    pages = list(c.iter_pages(None))
    ids = [e["id"] for p in pages for e in p.entries]
    assert len(ids) == 85 and len(set(ids)) == 60


def test_cursor_must_keep_updated_since(sandbox: Sandbox) -> None:
    import requests

    c, _ = client(sandbox, page_size=10)
    first = next(c.iter_pages(datetime(2020, 1, 1, tzinfo=UTC)))
    resp = requests.get(
        f"{sandbox.base_url}/api/v1/entries",
        params={"cursor": first.next_cursor, "updated_since": "2021-01-01T00:00:00Z", "limit": 10},
        headers={"Authorization": f"Bearer {sandbox.token}"},
        timeout=5,
    )
    assert resp.status_code == 400


def test_health_needs_no_token(sandbox: Sandbox) -> None:
    c, _ = client(sandbox, token="whatever")
    assert c.health()


def test_a_very_long_retry_after_is_not_slept_through(sandbox: Sandbox) -> None:
    sandbox.queue_faults("429", retry_after=3600)
    c, waits = client(sandbox)
    with pytest.raises(CortegeUnavailableError, match="3600s"):
        list(c.iter_pages(None))
    assert waits == []


def test_a_cursor_that_loops_ends_the_run_instead_of_spinning() -> None:
    box = HostileCortege(b'{"entries": [], "next_cursor": "again", "server_time": "2026-11-22T10:00:00Z"}')
    try:
        c = CortegeClient(box.conn, replace(CORTEGE, backoff_base_seconds=0.01))
        pages = list(c.iter_pages(None))
        assert len(pages) == 2 and c.stopped_early == "cursor_cycle"
        assert box.server.hits == 2
    finally:
        box.close()


def test_an_answer_past_the_byte_limit_is_refused_unread(monkeypatch: pytest.MonkeyPatch) -> None:
    from tranquillite.core.http import HttpTooLargeError

    monkeypatch.setenv("TRQ_HTTP_MAX_RESPONSE_BYTES", "1000")
    box = HostileCortege(b'{"entries": [' + b",".join([b'"x"'] * 2000) + b'], "next_cursor": null}')
    try:
        c = CortegeClient(box.conn, replace(CORTEGE, backoff_base_seconds=0.01))
        with pytest.raises(HttpTooLargeError, match="more than 1000 bytes"):
            list(c.iter_pages(None))
    finally:
        box.close()
