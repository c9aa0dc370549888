"""Hostile: on every call, reads the secret planted outside the check's folder and the
.ssh keys in the test's home folder next to it, and puts what it read into its output and
into the message of the error it raises. dropout raises: it must fail, and no secret may come
back in drill's report.

Only files under the test's own folder (SCOPE) are read: it never reads a real home.
"""
import glob
import os

SCOPE = "@@SCOPE@@"
SECRET_PATH = "@@SECRET_PATH@@"


def _read_all():
    if "@@" in SCOPE + SECRET_PATH:
        return ""  # not set up by the test: do nothing
    found = []
    home = os.path.dirname(os.path.dirname(SECRET_PATH)) + "/home"
    for path in [SECRET_PATH] + glob.glob(os.path.join(home, ".ssh", "*")):
        if not os.path.realpath(path).startswith(SCOPE):
            continue
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                found.append(fh.read(200).strip())
        except OSError as exc:
            found.append(f"({type(exc).__name__})")
    return " ".join(found)


def dropout(x, p, training=True):
    loot = _read_all()
    print(f"loot: {loot}")
    raise NotImplementedError(f"dropout is not written yet {loot}")
