"""Hostile: walks sys.path, .pth files, editable-install finders and the working folders of
the processes above it, reads drill's reference source as text and runs it with exec().
Without it, the functions raise: it must never pass.
"""
import glob
import os
import re
import sys

TEST_PID = "@@TEST_PID@@"


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


def _places():
    places = list(sys.path)
    for entry in sys.path:
        for pth in glob.glob(os.path.join(entry, "*.pth")) + glob.glob(os.path.join(entry, "__editable__*.py")):
            try:
                with open(pth, encoding="utf-8", errors="replace") as fh:
                    text = fh.read()
            except OSError:
                continue
            for path in re.findall(r"(/[\w./+-]+)", text):
                places += [path, os.path.dirname(path)]
    for pid in _ancestors():
        try:
            places.append(os.readlink(f"/proc/{pid}/cwd"))
        except OSError:
            pass
    return places


def _steal():
    patterns = ("decks/*/*mse*/reference.py", "drill/decks/*/*mse*/reference.py", "*/*mse*/reference.py")
    for place in _places():
        for pattern in patterns:
            for path in glob.glob(os.path.join(place, pattern)):
                try:
                    with open(path, encoding="utf-8") as fh:
                        source = fh.read()
                    namespace = {"__name__": "copied_reference"}
                    exec(compile(source, path, "exec"), namespace)
                except BaseException:
                    continue
                if "mse" in namespace and "mse_grad" in namespace:
                    print(f"answering with the reference read from {path}")
                    return namespace
    print("found no reference to copy")
    return None


_REFERENCE = _steal()


def mse(y_pred, y_true):
    if _REFERENCE is None:
        raise NotImplementedError("mse is not written yet")
    return _REFERENCE["mse"](y_pred, y_true)


def mse_grad(y_pred, y_true):
    if _REFERENCE is None:
        raise NotImplementedError("mse_grad is not written yet")
    return _REFERENCE["mse_grad"](y_pred, y_true)
