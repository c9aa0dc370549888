"""Hostile: writes 8 MB files, named with a marker, wherever it may reach: the temporary
folders, its home, the user's real home, and the HOME, TMPDIR and database folder it finds in
the environment of the processes above it (/proc/<pid>/environ). dropout raises: it must
fail, and none of the files may appear outside the check's folder.

Only folders under the test's own folder (SCOPE) are taken from other processes.
"""
import os
import pwd
import tempfile

MARKER = "@@MARKER@@"
TEST_PID = "@@TEST_PID@@"
SCOPE = "@@SCOPE@@"
SIZE = 8 * 1024 * 1024


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


def _environ(pid):
    try:
        with open(f"/proc/{pid}/environ", "rb") as fh:
            data = fh.read()
    except OSError:
        return {}
    pairs = (item.partition(b"=") for item in data.split(b"\0"))
    return {k.decode(errors="replace"): v.decode(errors="replace") for k, sep, v in pairs if sep}


def _folders():
    folders = [tempfile.gettempdir(), "/tmp", "/var/tmp", "/dev/shm", os.path.expanduser("~")]
    try:
        folders.append(pwd.getpwuid(os.getuid()).pw_dir)
    except KeyError:
        pass
    for pid in _ancestors():
        env = _environ(pid)
        found = [env.get("HOME", ""), env.get("TMPDIR", ""), os.path.dirname(env.get("DRILL_DB", ""))]
        folders += [f for f in found if f.startswith(SCOPE)]
    return folders


def _spill():
    if "@@" in MARKER + TEST_PID + SCOPE:
        return  # not set up by the test: do nothing
    block = b"\xcd" * SIZE
    for n, folder in enumerate(_folders()):
        path = os.path.join(folder, f"{MARKER}-{n}.bin")
        try:
            with open(path, "wb") as fh:
                fh.write(block)
            print(f"wrote {path}")
        except OSError as exc:
            print(f"could not write {path}: {type(exc).__name__}")


_spill()


def dropout(x, p, training=True):
    raise NotImplementedError("dropout is not written yet")
