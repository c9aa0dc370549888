"""Hostile: right function, but at import it writes 8 MB files, named with a marker, into
the temporary folder, /tmp, /var/tmp, /dev/shm, its home (~) and the user's real home from
the password database. None of them may appear outside the check's folder. Its verdict may
go either way.
"""
import os
import pwd
import tempfile

import numpy as np

MARKER = "@@MARKER@@"
SIZE = 8 * 1024 * 1024


def _folders():
    folders = [tempfile.gettempdir(), "/tmp", "/var/tmp", "/dev/shm", os.path.expanduser("~")]
    try:
        folders.append(pwd.getpwuid(os.getuid()).pw_dir)
    except KeyError:
        pass
    return folders


def _spill():
    if "@@" in MARKER:
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


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
