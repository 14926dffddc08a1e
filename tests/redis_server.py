"""A real `redis-server` for tests: on a free loopback port in a temp dir, killable mid-test.

Also a latency-injecting TCP proxy, so "Redis is slow" is tested against a real server rather
than a mock. A missing redis-server is an error, not a skip: CI installs it, and a silently
skipped Redis suite would hide a broken install.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import time
from contextlib import suppress
from pathlib import Path
from urllib.parse import quote

START_TIMEOUT = 10.0


def free_port() -> int:
    """A loopback port nothing listens on (bound then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class RedisServer:
    """One redis-server process; `start()` blocks until it answers PING."""

    def __init__(self, workdir: Path, *, password: str | None = None) -> None:
        self.workdir = workdir
        self.password = password
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def url(self, password: str | None = None) -> str:
        auth = f":{quote(password, safe='')}@" if password is not None else ""
        return f"redis://{auth}{self.address}/0"

    def start(self) -> RedisServer:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed (apt-get install -y redis-server)")
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        command = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "no", "--daemonize", "no", "--dir", str(self.workdir)]
        if self.password is not None:
            command += ["--requirepass", self.password]
        with (self.workdir / "redis.log").open("wb") as log:
            self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        self._wait_until_ready()
        return self

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                break
            if self._answers_ping():
                return
            time.sleep(0.02)
        log = (self.workdir / "redis.log").read_text(errors="replace")
        self.stop()
        raise RuntimeError(f"redis-server did not answer PING on {self.address}:\n{log}")

    def _answers_ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                reply = sock.recv(64)
        except OSError:
            return False
        # With requirepass an unauthenticated PING gets -NOAUTH: the server is up all the same.
        return reply.startswith((b"+PONG", b"-NOAUTH"))

    def kill(self) -> None:
        """SIGKILL, as a crash would: no clean shutdown, the port is simply gone."""
        if self._process is not None:
            self._process.kill()
            self._process.wait(timeout=5)

    def stop(self) -> None:
        if self._process is None or self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()


class SlowProxy:
    """Forwards loopback TCP to `upstream_port`, delaying every server-to-client chunk."""

    def __init__(self, upstream_port: int, delay: float) -> None:
        self.upstream_port = upstream_port
        self.delay = delay
        self.port = 0
        self._server: asyncio.Server | None = None
        self._pipes: set[asyncio.Task[None]] = set()

    async def __aenter__(self) -> SlowProxy:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        for task in self._pipes:
            task.cancel()
        await asyncio.gather(*self._pipes, return_exceptions=True)
        await self._server.wait_closed()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        for task in (
            asyncio.create_task(self._pipe(reader, up_writer, 0.0)),
            asyncio.create_task(self._pipe(up_reader, writer, self.delay)),
        ):
            self._pipes.add(task)
            task.add_done_callback(self._pipes.discard)

    async def _pipe(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float
    ) -> None:
        try:
            while chunk := await reader.read(65536):
                await asyncio.sleep(delay)
                writer.write(chunk)
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()
            with suppress(ConnectionError):
                await writer.wait_closed()
