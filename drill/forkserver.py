"""A warm worker: one contained fork server, started ahead, that gives a child per check.

A cold check starts Python in a fresh contained process, and importing NumPy there is most
of its time. A server (`_worker.py --serve`, started and contained exactly as a cold worker
is) imports NumPy once instead. Each check then asks it for a child: the child sets up user,
PID, network and mount namespaces of its own and confines itself as a cold worker does
(Landlock, limits, death with its parent) before any of the learner's code runs; see `serve`
in drill/_worker.py. drill sends it the same files, times it by the same limits and judges
what it leaves exactly as a cold worker's results (drill/sandbox.py).

A server is used only where it can be contained as a cold worker is (Linux with user
namespaces and pidfds); `drill/warm.py` keeps one per review and falls back to cold checks.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import IO, Any

from drill import containment

STARTUP_S = 20.0  # the server importing NumPy on a busy machine, as a cold worker may take
REPLY_S = 5.0  # the server reporting a child's end once it has ended


class Unavailable(Exception):
    """The warm worker cannot take this check; run it cold."""


def supported() -> bool:
    """Whether a warm worker can be contained here exactly as a cold one is."""
    import socket

    return bool(containment.probe().unshare) and all(
        hasattr(module, name) for module, name in
        ((os, "pidfd_open"), (signal, "pidfd_send_signal"), (socket, "send_fds"),
         (socket, "SOCK_SEQPACKET")))


class Spare:
    """A child asked of the server for the next check, in a folder of its own."""

    def __init__(self, rid: int, folder: Path, stdin_w: int, progress: int):
        self.rid, self.folder, self.stdin_w, self.progress = rid, folder, stdin_w, progress
        self.child: WarmChild | None = None  # once the server says it started
        self.ready = False  # once it said `ready`, read here rather than by sandbox.Worker

    def discard(self) -> None:
        if self.child is not None:
            self.child.stop()
        else:
            os.close(self.stdin_w)
        os.close(self.progress)
        shutil.rmtree(self.folder, ignore_errors=True)


class Server:
    """A running warm worker: started here, ended by `close` (or by drill's end).

    It keeps one child ahead, set up and waiting at `ready` as a cold worker waits once
    NumPy is imported: asked for when the server starts and after each check, so that a
    check's child gets ready while the learner writes, not while the learner waits.
    """

    def __init__(self) -> None:
        import socket

        if not supported():
            raise Unavailable("no user namespaces or pidfds here")
        self.folder = containment.new_folder()
        self.sock, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.proc = containment.start_server(self.folder, theirs.fileno())
        except OSError as exc:
            self.sock.close()
            shutil.rmtree(self.folder, ignore_errors=True)
            raise Unavailable(f"could not start Python ({exc})") from None
        finally:
            theirs.close()
        self.requests = 0  # children asked for
        self.taken = 0  # children that checked (or began to check) a submission
        self.statuses: dict[int, int] = {}
        self.closed = False
        self.spare: Spare | None = None
        self.prepare()

    @property
    def alive(self) -> bool:
        return not self.closed and self.proc.poll() is None

    def prepare(self) -> None:
        """Ask for the next check's child now, without waiting for it (once, while serving)."""
        if self.spare is not None or not self.alive:
            return
        try:
            self.spare = self._request()
        except (OSError, Unavailable):
            self.close()

    def _request(self) -> Spare:
        import socket

        folder = containment.new_folder()
        self.requests += 1
        rid = self.requests
        request = {"id": rid, "folder": str(folder),
                   "settings": containment.probe().worker_settings(),
                   "env": containment.worker_env(folder), "limits": containment.WORKER_LIMITS}
        stdin_r, stdin_w = os.pipe()
        progress_r, progress_w = os.pipe()
        try:
            with open(folder / "output.txt", "wb") as out:
                socket.send_fds(self.sock, [json.dumps(request).encode()],
                                [stdin_r, out.fileno(), progress_w])
        except OSError:
            for fd in (stdin_w, progress_r):
                os.close(fd)
            shutil.rmtree(folder, ignore_errors=True)
            raise
        finally:
            for fd in (stdin_r, progress_w):
                os.close(fd)
        return Spare(rid, folder, stdin_w, progress_r)

    def take(self) -> Spare:
        """The next check's child, started (and maybe `ready` already); the check is now its.

        Raises Unavailable, and closes this server, when there is none to be had.
        """
        if not self.alive:
            raise Unavailable("the warm worker has ended")
        spare, self.spare = self.spare, None
        try:
            if spare is None:
                spare = self._request()
            if self._started(spare).poll() is not None:  # it ended while it waited: the server failed it
                raise Unavailable("the warm worker's child ended before its check")
        except (OSError, Unavailable) as exc:
            if spare is not None:
                spare.discard()
            self.close()
            raise Unavailable(str(exc)) from None
        self.taken += 1
        return spare

    def settle(self, timeout: float = STARTUP_S) -> bool:
        """Wait until the next check's child is `ready` (for benchmarks and tests)."""
        self.prepare()
        spare, end = self.spare, time.monotonic() + timeout
        try:
            if spare is None or self._started(spare).poll() is not None:
                return False
        except (OSError, Unavailable):
            return False
        buffer = b""
        while b"ready\n" not in buffer:
            left = end - time.monotonic()
            if left <= 0 or not select.select([spare.progress], [], [], left)[0]:
                return False
            chunk = os.read(spare.progress, 64)
            if not chunk:
                return False
            buffer += chunk
        spare.ready = True
        return True

    def _started(self, spare: Spare) -> WarmChild:
        """`spare`'s child once the server has forked it (waiting for the server to say so)."""
        end = time.monotonic() + STARTUP_S
        while spare.child is None:
            message, fds = self._receive(end - time.monotonic())
            if message.get("id") == spare.rid and message.get("started") and len(fds) == 1:
                spare.child = WarmChild(self, spare.rid, fds[0], os.fdopen(spare.stdin_w, "wb"))
                continue
            for fd in fds:
                os.close(fd)
            if message.get("id") == spare.rid:
                raise Unavailable(f"the warm worker refused the check ({message.get('error')})")
        return spare.child

    def status(self, rid: int, timeout: float) -> int | None:
        """The wait status of request `rid`'s child once it has ended; None if the server is gone."""
        end = time.monotonic() + timeout
        while rid not in self.statuses:
            try:
                _, fds = self._receive(end - time.monotonic())
            except Unavailable:
                return None
            for fd in fds:
                os.close(fd)
        return self.statuses.pop(rid)

    def _receive(self, timeout: float) -> tuple[dict[str, Any], list[int]]:
        import socket

        if self.closed:
            raise Unavailable("the warm worker has ended")
        if not select.select([self.sock], [], [], max(0.0, timeout))[0]:
            raise Unavailable("the warm worker did not answer")
        data, fds, _, _ = socket.recv_fds(self.sock, 1 << 16, 1)
        if not data:
            self.close()
            raise Unavailable("the warm worker has ended")
        try:
            message = json.loads(data)
        except ValueError:
            message = {}
        message = message if isinstance(message, dict) else {}
        if isinstance(message.get("id"), int) and isinstance(message.get("status"), int):
            self.statuses[message["id"]] = message["status"]
        return message, fds

    def close(self) -> None:
        """End the server and everything it started, and remove its folder."""
        if self.closed:
            return
        self.closed = True
        if self.spare is not None:
            spare, self.spare = self.spare, None
            spare.discard()
        self.sock.close()  # it exits when it reads the end of its socket...
        containment.stop(self.proc)  # ...but is killed, with its whole namespace, all the same
        shutil.rmtree(self.folder, ignore_errors=True)


class WarmChild:
    """The part of `subprocess.Popen` that sandbox.Worker uses, for a child of the warm worker.

    drill is not its parent: it watches it through a pidfd, kills it through the pidfd, and
    learns how it ended from the server, which is.
    """

    def __init__(self, server: Server, rid: int, pidfd: int, stdin: IO[bytes]):
        self.server, self.rid, self.stdin = server, rid, stdin
        self.pidfd: int | None = pidfd  # None once stopped
        self.returncode: int | None = None
        self.lost = False  # the server vanished before it said how the child ended

    def poll(self) -> int | None:
        if self.returncode is None and self._ended(0):
            status = self.server.status(self.rid, REPLY_S)
            if status is None:
                self.lost = True
                self.returncode = -signal.SIGKILL
            else:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None and not self._ended(timeout):
            assert timeout is not None  # without one, it waits until the child has ended
            raise subprocess.TimeoutExpired("warm worker child", timeout)
        code = self.poll()
        assert code is not None  # it has ended: its pidfd says so, or it was stopped
        return code

    def _ended(self, timeout: float | None) -> bool:
        if self.pidfd is None:
            return True
        return bool(select.select([self.pidfd], [], [], timeout)[0])

    def stop(self) -> None:
        """Kill the child, and so its namespace: everything the learner's code started."""
        if self.pidfd is not None:
            try:
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                self.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            os.close(self.pidfd)
            self.pidfd = None
        if not self.stdin.closed:
            try:
                self.stdin.close()
            except OSError:
                pass
