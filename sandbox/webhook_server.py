"""A local webhook receiver for the ops alerts: every POST is kept as a JSON line.

python -m sandbox.webhook_server --port 18090 --out .local/webhook/alerts.jsonl
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class Inbox:
    def __init__(self, out: Path | None = None) -> None:
        self.out = out
        self.posts: list[dict] = []
        self.lock = threading.Lock()
        if out:
            out.parent.mkdir(parents=True, exist_ok=True)

    def add(self, path: str, body: object) -> None:
        post = {"path": path, "body": body}
        with self.lock:
            self.posts.append(post)
            if self.out:
                with self.out.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(post, ensure_ascii=False) + "\n")


def serve(port: int, inbox: Inbox) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            try:
                body = json.loads(raw or b"null")
            except json.JSONDecodeError:
                body = raw.decode("utf-8", "replace")
            inbox.add(self.path, body)
            self.send_response(204)
            self.end_headers()

        def do_GET(self) -> None:  # noqa: N802 - health
            self.send_response(200)
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=18090)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    server = serve(args.port, Inbox(args.out))
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
