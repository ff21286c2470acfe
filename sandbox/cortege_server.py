"""A local server that speaks the Cortège export API v1, for `make run` and the tests.

It serves the current version of each entry, ordered by (updated_at, id), with
opaque keyset cursors, bearer-token auth and `updated_since`. Faults are queued
on demand through `POST /_sandbox/faults` (429 with Retry-After, 5xx, 401, a
dropped connection, a page served twice) so the client's fault paths are tested
against a real socket.

    python -m sandbox.cortege_server --port 18765 --token-file FILE [--entries FILE]
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import logging
import os
import random
import socket
import sys
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

log = logging.getLogger("cortege-sandbox")

PARIS = ZoneInfo("Europe/Paris")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
KNOWN_FAULTS = {"429", "500", "502", "503", "504", "401", "drop", "duplicate_page"}


def _instant(value: object) -> datetime:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            if parsed.tzinfo is not None:
                return parsed.astimezone(UTC)
        except ValueError:
            pass
    return EPOCH


class SandboxState:
    def __init__(self, entries: list, token: str) -> None:
        self.token = token
        self.lock = threading.Lock()
        self.faults: list[str] = []
        self.retry_after = "1"
        self.requests = 0
        self.entries: dict[str, object] = {}
        self.order: list[tuple[datetime, str, str]] = []
        self.replace(entries)

    def replace(self, entries: list) -> None:
        with self.lock:
            self.entries = {}
            for n, e in enumerate(entries):
                key = str(e.get("id")) if isinstance(e, dict) and e.get("id") is not None else f"~{n}"
                self.entries[key] = e
            self._reindex()

    def upsert(self, entries: list) -> None:
        with self.lock:
            for n, e in enumerate(entries):
                key = str(e.get("id")) if isinstance(e, dict) and e.get("id") is not None else f"~new{n}"
                self.entries[key] = e
            self._reindex()

    def _reindex(self) -> None:
        self.order = sorted(
            (
                _instant(e.get("updated_at") if isinstance(e, dict) else None),
                str(e.get("id", "") if isinstance(e, dict) else ""),
                key,
            )
            for key, e in self.entries.items()
        )

    def edit_one(self, rng: random.Random) -> None:
        """What an agent does now and then: edit an entry (new version, updated_at now), sometimes cancel it."""
        with self.lock:
            keys = [k for k, e in self.entries.items() if isinstance(e, dict) and e.get("etat") == "active"]
            if not keys:
                return
            entry = dict(self.entries[rng.choice(keys)])
            # versions must never repeat with other content, even across sandbox restarts:
            # count minutes since 2026 when that is ahead of the entry's own counter
            minutes = int((datetime.now(UTC) - datetime(2026, 1, 1, tzinfo=UTC)).total_seconds() // 60)
            entry["version"] = max(int(entry.get("version", 1)) + 1, minutes)
            entry["updated_at"] = datetime.now(PARIS).isoformat(timespec="seconds")
            if rng.random() < 0.2:
                entry["etat"] = "annulee"
            elif "nb_personnes_attendues" in entry and entry["nb_personnes_attendues"]:
                entry["nb_personnes_attendues"] = int(entry["nb_personnes_attendues"] * rng.uniform(0.8, 1.3))
            self.entries[str(entry["id"])] = entry
            self._reindex()

    def next_fault(self) -> str | None:
        with self.lock:
            self.requests += 1
            return self.faults.pop(0) if self.faults else None


def _encode_cursor(updated_at: datetime, entry_id: str, since: str | None) -> str:
    raw = json.dumps({"u": updated_at.isoformat(), "i": entry_id, "s": since}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> dict:
    padded = cursor + "=" * (-len(cursor) % 4)
    data = json.loads(base64.urlsafe_b64decode(padded.encode()))
    if not isinstance(data, dict) or not {"u", "i", "s"} <= set(data):
        raise ValueError("bad cursor")
    return data


def make_handler(state: SandboxState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "CortegeSandbox/1"
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt: str, *args: object) -> None:  # quiet, no tokens
            log.debug("%s %s", self.command, urlsplit(self.path).path)

        def _send(self, status: int, body: object, headers: dict | None = None) -> None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def _authorised(self) -> bool:
            return self.headers.get("Authorization", "") == f"Bearer {state.token}"

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            url = urlsplit(self.path)
            if url.path == "/api/v1/health":
                return self._send(200, {"status": "ok"})
            if url.path != "/api/v1/entries":
                return self._send(404, {"error": "not found"})
            fault = state.next_fault()
            if fault == "drop":
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
                return None
            if fault == "401" or not self._authorised():
                return self._send(401, {"error": "unauthorized"}, {"WWW-Authenticate": "Bearer"})
            if fault == "429":
                return self._send(429, {"error": "too many requests"}, {"Retry-After": state.retry_after})
            if fault in {"500", "502", "503", "504"}:
                return self._send(int(fault), {"error": "transient failure"})
            return self._entries(parse_qs(url.query), duplicate=fault == "duplicate_page")

        def _entries(self, query: dict, duplicate: bool) -> None:
            since_raw = query.get("updated_since", [None])[0]
            cursor_raw = query.get("cursor", [None])[0]
            try:
                limit = int(query.get("limit", ["500"])[0])
                if not 1 <= limit <= 1000:
                    raise ValueError
            except ValueError:
                return self._send(400, {"error": "limit must be an integer from 1 to 1000"})
            since = EPOCH
            if since_raw is not None:
                since = _instant(since_raw)
                if since is EPOCH:
                    return self._send(400, {"error": "updated_since must be an RFC 3339 date-time with offset"})
            after: tuple[datetime, str] | None = None
            if cursor_raw is not None:
                try:
                    cur = _decode_cursor(cursor_raw)
                except (ValueError, json.JSONDecodeError, UnicodeDecodeError):
                    return self._send(400, {"error": "invalid cursor"})
                if cur["s"] != since_raw:
                    return self._send(400, {"error": "updated_since must be the same as on the first page"})
                after = (datetime.fromisoformat(cur["u"]), cur["i"])
            with state.lock:
                selected = []
                for updated_at, entry_id, key in state.order:
                    if updated_at < since:
                        continue
                    if after is not None and (updated_at, entry_id) <= after:
                        continue
                    selected.append((updated_at, entry_id, key))
                    if len(selected) > limit:
                        break
                page = [state.entries[k] for _, _, k in selected[:limit]]
            next_cursor = None
            if len(selected) > limit:
                last_u, last_i, _ = selected[limit - 1]
                next_cursor = _encode_cursor(last_u, last_i, since_raw)
            if duplicate:
                # serve this page again on the next request: the same cursor as this one
                next_cursor = cursor_raw if cursor_raw is not None else _encode_cursor(EPOCH, "", since_raw)
            now = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
            return self._send(200, {"entries": page, "next_cursor": next_cursor, "server_time": now})

        def _read_json(self) -> object:
            length = int(self.headers.get("Content-Length", "0"))
            return json.loads(self.rfile.read(length) or b"null")

        def do_POST(self) -> None:  # noqa: N802
            url = urlsplit(self.path)
            if not self._authorised():
                return self._send(401, {"error": "unauthorized"})
            body = self._read_json()
            if url.path == "/_sandbox/faults":
                faults = list(body.get("queue", []))
                unknown = set(faults) - KNOWN_FAULTS
                if unknown:
                    return self._send(400, {"error": f"unknown faults {sorted(unknown)}"})
                with state.lock:
                    state.faults.extend(faults)
                    state.retry_after = str(body.get("retry_after", state.retry_after))
                return self._send(200, {"queued": len(state.faults)})
            if url.path == "/_sandbox/entries":
                (state.replace if body.get("replace") else state.upsert)(body.get("entries", []))
                return self._send(200, {"entries": len(state.entries)})
            if url.path == "/_sandbox/reset":
                with state.lock:
                    state.faults.clear()
                    state.requests = 0
                return self._send(200, {"ok": True})
            return self._send(404, {"error": "not found"})

        def do_PUT(self) -> None:  # noqa: N802
            return self._send(405, {"error": "read-only API"})

    return Handler


def load_entries(path: Path) -> list:
    text = path.read_text(encoding="utf-8")
    stripped = text.lstrip()
    if stripped.startswith("["):
        return json.loads(text)
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def default_entries(count: int, seed: int) -> list:
    from sandbox.generator import generate_histories

    return [versions[-1] for versions in generate_histories(count=count, seed=seed)]


def serve(host: str, port: int, state: SandboxState) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, port), make_handler(state))
    server.daemon_threads = True
    return server


def _live(state: SandboxState, every: float, seed: int) -> None:
    rng = random.Random(seed)
    stop = threading.Event()
    while not stop.wait(every):
        state.edit_one(rng)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("TRQ_SANDBOX_PORT", "18765")))
    parser.add_argument("--token-file", type=Path, help="file holding the bearer token (else $TRQ_SANDBOX_TOKEN)")
    parser.add_argument("--entries", type=Path, help="serve this JSON array (or JSON lines) of entries instead")
    parser.add_argument("--count", type=int, default=240, help="generated entries")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--live-every",
        type=float,
        default=0,
        metavar="SECONDS",
        help="edit one entry every SECONDS, as agents do (0: never)",
    )
    args = parser.parse_args(argv)
    token = args.token_file.read_text().strip() if args.token_file else os.environ.get("TRQ_SANDBOX_TOKEN", "")
    if not token:
        parser.error("a token is required (--token-file or TRQ_SANDBOX_TOKEN)")
    entries = load_entries(args.entries) if args.entries else default_entries(args.count, args.seed)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s cortege-sandbox %(message)s")
    state = SandboxState(entries, token)
    server = serve(args.host, args.port, state)
    if args.live_every > 0:
        threading.Thread(target=_live, args=(state, args.live_every, args.seed), daemon=True).start()
    log.info("serving %d entries on http://%s:%d", len(entries), args.host, args.port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
