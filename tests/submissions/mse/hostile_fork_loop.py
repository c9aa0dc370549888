"""Hostile: at import it forks 200 times; every child calls setsid and execs `sleep 300`
with a marker as its argv[0]. mse raises: it must fail, drill must not hang, and none of the
200 may outlive the check.
"""
import os

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
                os.execvp("sleep", [MARKER, "300"])
            except BaseException:
                pass
            finally:
                os._exit(0)


_fork_loop()


def mse(y_pred, y_true):
    raise NotImplementedError("mse is not written yet")


def mse_grad(y_pred, y_true):
    raise NotImplementedError("mse_grad is not written yet")
