"""Hostile: reads ~/.ssh/*, a secret file planted outside the check's folder, and the
.ssh folder of the HOME it finds in the environment of the processes above it, and prints
whatever it read. one_hot raises: it must fail, and no secret may come back in the output.

Only files under the test's own folder (SCOPE) are read: it never reads a real home.
"""
import glob
import os

TEST_PID = "@@TEST_PID@@"
SCOPE = "@@SCOPE@@"
SECRET_PATH = "@@SECRET_PATH@@"


def _parent_of(pid):
    with open(f"/proc/{pid}/stat", "rb") as fh:
        return int(fh.read().rsplit(b")", 1)[1].split()[1])


def _ancestors():
    chain, pid = [], os.getppid()
    while pid > 1 and str(pid) != TEST_PID and len(chain) < 8:
        chain.append(pid)
        try:
            pid = _parent_of(pid)
        except (OSError, ValueError, IndexError):
            break
    return chain


def _homes():
    homes = [os.path.expanduser("~")]
    for pid in _ancestors():
        try:
            with open(f"/proc/{pid}/environ", "rb") as fh:
                data = fh.read()
        except OSError:
            continue
        for item in data.split(b"\0"):
            if item.startswith(b"HOME="):
                homes.append(item[5:].decode(errors="replace"))
    return homes


def _steal():
    if "@@" in TEST_PID + SCOPE + SECRET_PATH:
        return  # not set up by the test: do nothing
    paths = [SECRET_PATH]
    for home in _homes():
        paths += glob.glob(os.path.join(home, ".ssh", "*"))
    for path in paths:
        if not os.path.realpath(path).startswith(SCOPE):
            continue  # never a real home
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                print(f"read {path}: {fh.read(200)}")
        except OSError as exc:
            print(f"could not read {path}: {type(exc).__name__}")


_steal()


def one_hot(y, n_classes):
    raise NotImplementedError("one_hot is not written yet")
