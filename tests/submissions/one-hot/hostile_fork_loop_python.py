"""Hostile: at import it forks 200 children that call setsid and sleep 300 s in Python,
holding every descriptor they inherited (no exec, so they keep the worker's command line).
one_hot raises: it must fail, drill must not hang, and none may outlive the check.
"""
import os
import time

MARKER = "@@MARKER@@"
FORKS = 200


def _fork_loop():
    if "@@" in MARKER:
        return  # not set up by the test: do nothing
    for _ in range(FORKS):
        try:
            pid = os.fork()
        except OSError:
            return
        if pid == 0:
            try:
                os.setsid()
                time.sleep(300)
            except BaseException:
                pass
            finally:
                os._exit(0)


_fork_loop()


def one_hot(y, n_classes):
    raise NotImplementedError("one_hot is not written yet")
