"""Hostile: at import it turns the check's folder into a trap. Every input .npy becomes a
symlink to /dev/zero; every other file that is not Python (the captured output, the plan,
logs) becomes a symlink to a secret outside the folder; every result name a worker may use
points at a victim file outside the folder; and the out/ folder itself is swapped for a
symlink to the folder that holds the victim. one_hot raises: it must fail, drill must not
hang, nothing outside may change and the secret must not come back in the output.
"""
import glob
import os

MARKER = "@@MARKER@@"
SECRET_PATH = "@@SECRET_PATH@@"
VICTIM_PATH = "@@VICTIM_PATH@@"


def _replace(name, target):
    try:
        if os.path.isdir(name) and not os.path.islink(name):
            os.rename(name, name + ".moved")
        else:
            os.unlink(name)
    except OSError:
        pass
    try:
        os.symlink(target, name)
    except OSError:
        pass


def _plant():
    if "@@" in MARKER + SECRET_PATH + VICTIM_PATH:
        return  # not set up by the test: do nothing
    for name in glob.glob("*.npy") + glob.glob("in/*.npy"):
        _replace(name, "/dev/zero")
    for name in os.listdir("."):
        if not name.endswith((".py", ".npy")) and os.path.isfile(name):
            _replace(name, SECRET_PATH)
    for i in range(40):
        for k in range(4):
            _replace(f"result_{i}_{k}.npy", VICTIM_PATH)
    _replace("out", os.path.dirname(VICTIM_PATH))


_plant()


def one_hot(y, n_classes):
    raise NotImplementedError("one_hot is not written yet")
