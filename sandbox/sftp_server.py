"""A read-only SFTP server on loopback (paramiko), standing for the City's SFTP drop of the
municipal police files: password authentication, a folder served as the root.

    python -m sandbox.sftp_server --port 18022 --root DIR --user pm --password-file FILE
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import threading
from pathlib import Path

import paramiko

log = logging.getLogger("sftp-sandbox")


class _Auth(paramiko.ServerInterface):
    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user, password

    def get_allowed_auths(self, username: str) -> str:
        return "password"

    def check_auth_password(self, username: str, password: str) -> int:
        ok = username == self.user and password == self.password
        return paramiko.AUTH_SUCCESSFUL if ok else paramiko.AUTH_FAILED

    def check_channel_request(self, kind: str, chanid: int) -> int:
        return paramiko.OPEN_SUCCEEDED if kind == "session" else paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED


class _Handle(paramiko.SFTPHandle):
    def stat(self):
        return paramiko.SFTPAttributes.from_stat(os.fstat(self.readfile.fileno()))


def _folder_interface(root: Path) -> type:
    class Folder(paramiko.SFTPServerInterface):
        def _real(self, path: str) -> str:
            real = os.path.realpath(os.path.join(root, path.lstrip("/")))
            if not real.startswith(str(root.resolve())):
                raise PermissionError(path)
            return real

        def canonicalize(self, path: str) -> str:
            return "/" + os.path.normpath(path).lstrip("/.") if path not in ("", ".") else "/"

        def list_folder(self, path: str):
            try:
                real = self._real(path)
                out = []
                for name in sorted(os.listdir(real)):
                    attr = paramiko.SFTPAttributes.from_stat(os.stat(os.path.join(real, name)))
                    attr.filename = name
                    out.append(attr)
                return out
            except OSError as exc:
                return paramiko.SFTPServer.convert_errno(exc.errno or 13)

        def stat(self, path: str):
            try:
                return paramiko.SFTPAttributes.from_stat(os.stat(self._real(path)))
            except OSError as exc:
                return paramiko.SFTPServer.convert_errno(exc.errno or 13)

        lstat = stat

        def open(self, path: str, flags: int, attr):
            if flags & (os.O_WRONLY | os.O_RDWR):
                return paramiko.SFTP_PERMISSION_DENIED  # the platform only reads the drop
            try:
                handle = _Handle(flags)
                handle.readfile = open(self._real(path), "rb")  # noqa: SIM115 - closed by paramiko
                handle.filename = path
                return handle
            except OSError as exc:
                return paramiko.SFTPServer.convert_errno(exc.errno or 13)

    return Folder


class SftpSandbox:
    def __init__(self, root: Path, user: str, password: str, port: int = 0) -> None:
        self.root, self.user, self.password = root, user, password
        self.key = paramiko.RSAKey.generate(2048)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self._stop = threading.Event()

    def _serve_one(self, client: socket.socket) -> None:
        transport = paramiko.Transport(client)
        transport.add_server_key(self.key)
        transport.set_subsystem_handler("sftp", paramiko.SFTPServer, _folder_interface(self.root))
        try:
            transport.start_server(server=_Auth(self.user, self.password))
            channel = transport.accept(30)
            while channel is not None and transport.is_active() and not self._stop.is_set():
                self._stop.wait(0.2)
        except (paramiko.SSHException, EOFError, OSError):
            log.info("sftp session ended")
        finally:
            transport.close()

    def serve_forever(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve_one, args=(client,), daemon=True).start()

    def start(self) -> SftpSandbox:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def close(self) -> None:
        self._stop.set()
        self.sock.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=18022)
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--user", default="pm")
    parser.add_argument("--password-file", type=Path, required=True)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    box = SftpSandbox(args.root, args.user, args.password_file.read_text().strip(), args.port)
    log.info("sftp sandbox on 127.0.0.1:%d serving %s", box.port, args.root)
    box.serve_forever()


if __name__ == "__main__":
    main()
