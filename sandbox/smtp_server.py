"""A local SMTP server that keeps every message it receives as a file, for `make run`
and the tests: the DPO's notifications go through real SMTP, to a folder.

    python -m sandbox.smtp_server --port 18025 --maildir .local/mail
"""

from __future__ import annotations

import argparse
import email
import email.policy
import socket
import sys
import threading
import time
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller


class MaildirHandler:
    def __init__(self, maildir: Path | None = None) -> None:
        self.maildir = maildir
        self.messages: list[dict] = []
        self.lock = threading.Lock()
        if maildir:
            maildir.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's naming
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        text = "\n".join(part.get_content() for part in parsed.walk() if part.get_content_maintype() == "text")
        message = {
            "from": envelope.mail_from,
            "to": list(envelope.rcpt_tos),
            "subject": str(parsed["subject"]),
            "text": text,
            "data": envelope.content.decode("utf-8", "replace"),
        }
        with self.lock:
            self.messages.append(message)
        if self.maildir:
            name = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}.eml"
            (self.maildir / name).write_text(message["data"], encoding="utf-8")
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(port: int = 0, maildir: Path | None = None) -> tuple[Controller, MaildirHandler]:
    """Start in a thread; port 0 takes a free one (aiosmtpd itself needs a real port)."""
    port = port or _free_port()
    handler = MaildirHandler(maildir)
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, handler


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=18025)
    parser.add_argument("--maildir", type=Path, required=True)
    args = parser.parse_args(argv)
    controller, _ = start(args.port, args.maildir)
    print(f"smtp sandbox on 127.0.0.1:{args.port}, mail kept in {args.maildir}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
