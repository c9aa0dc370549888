"""What a hostile submission might reach from inside a check, set up around it so a test can
tell afterwards: a secret and a victim file outside the check, a sentinel process, and TCP and
UDP listeners on localhost. The corpus's `@@NAME@@` placeholders name them."""

from __future__ import annotations

import os
import socket
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

VICTIM_TEXT = "no check may change this file\n"


@dataclass
class Witnesses:
    outside: Path
    secret: str
    marker: str
    sentinel: subprocess.Popen
    tcp: socket.socket
    udp: socket.socket
    scope: Path

    def fill(self, path: Path) -> bytes:
        """The submission at `path` with its placeholders filled in (as bytes: a Latin-1 or
        BOM file stays exactly as it is)."""
        data = path.read_bytes()
        for placeholder, value in {
            "@@MARKER@@": self.marker, "@@TEST_PID@@": str(os.getpid()),
            "@@SENTINEL_PID@@": str(self.sentinel.pid), "@@SCOPE@@": str(self.scope),
            "@@SECRET_PATH@@": str(self.outside / "secret.txt"),
            "@@VICTIM_PATH@@": str(self.outside / "victim.txt"),
            "@@TCP_PORT@@": str(self.tcp.getsockname()[1]),
            "@@UDP_PORT@@": str(self.udp.getsockname()[1]),
        }.items():
            data = data.replace(placeholder.encode(), value.encode())
        return data


@contextmanager
def witnesses(outside: Path, scope: Path, prefix: str) -> Iterator[Witnesses]:
    """Set them up in the existing folder `outside`; the marker names what the submission
    starts (processes, files) so it can be found. Everything is closed and killed after."""
    secret = f"SECRET-{uuid.uuid4().hex}"
    (outside / "secret.txt").write_text(f"{secret}\n")
    (outside / "victim.txt").write_text(VICTIM_TEXT)
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sentinel = subprocess.Popen(["sleep", "600"], start_new_session=True)
    try:
        tcp.bind(("127.0.0.1", 0))
        tcp.listen(16)
        tcp.setblocking(False)
        udp.bind(("127.0.0.1", 0))
        udp.setblocking(False)
        yield Witnesses(outside, secret, f"{prefix}{uuid.uuid4().hex[:16]}", sentinel, tcp, udp,
                        scope)
    finally:
        tcp.close()
        udp.close()
        sentinel.kill()
        sentinel.wait()
