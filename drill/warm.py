"""The warm worker of `drill review`: one contained fork server per session, one child per check.

In a review, the first code card starts a server (drill/forkserver.py), which imports NumPy
once while the learner writes; each check then runs in a child of it, contained as a cold
worker is. Where a server cannot be contained as a cold worker is, and from the moment it
fails in any way, checks run cold, with the same verdict: a check whose child never got as
far as the learner's code, or whose server vanished, is run again cold.
"""

from __future__ import annotations

import atexit
from typing import TYPE_CHECKING

from drill.forkserver import Server, Unavailable, supported

if TYPE_CHECKING:
    from drill.checker import Report
    from drill.models import Item

__all__ = ["Server", "Unavailable", "check_source", "close", "start", "supported"]

_session: Server | None = None
_started = False


def start() -> None:
    """Start this process's warm worker, once; where there can be none, checks run cold."""
    global _session, _started
    if _started:
        return
    _started = True
    try:
        _session = Server()
    except (Unavailable, OSError):  # no folder or socket to be had: check cold
        _session = None


def check_source(item: Item, source: bytes | str, seed: int, name: str = "your file") -> Report:
    """Check a code answer as `drill check` does, in the warm worker when there is one."""
    from drill.checker import check_source as check

    start()
    server = _session if _session is not None and _session.alive else None
    return check(item, source, seed, name, server=server)


@atexit.register
def close() -> None:
    """End this process's warm worker (also run at exit); later checks run cold."""
    global _session, _started
    _started = True
    if _session is not None:
        _session.close()
        _session = None
