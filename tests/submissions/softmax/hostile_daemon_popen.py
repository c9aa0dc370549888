"""Hostile: at import it forks, calls setsid, starts `exec -a MARKER sleep 600` through
bash with subprocess.Popen (in a new session of its own, descriptors kept), and lets the
middle process exit. softmax raises: it must fail, and nothing may outlive the check.
"""
import os
import subprocess

MARKER = "@@MARKER@@"


def _daemon():
    if "@@" in MARKER:
        return  # not set up by the test: do nothing
    try:
        pid = os.fork()
    except OSError:
        return
    if pid:
        try:
            os.waitpid(pid, 0)
        except OSError:
            pass
        return
    try:
        os.setsid()
        subprocess.Popen(["bash", "-c", f"exec -a {MARKER} sleep 600"], close_fds=False,
                         start_new_session=True)
    except BaseException:
        pass
    finally:
        os._exit(0)


_daemon()


def softmax(z):
    raise NotImplementedError("softmax is not written yet")
