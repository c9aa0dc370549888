"""Hostile: at import it writes 64 MB into the current folder, then makes an 8 GB sparse file
and a 1 GB one in out/. mse raises: it must fail, and drill must survive and clean up.
"""
MARKER = "@@MARKER@@"


def _fill():
    if "@@" in MARKER:
        return  # not set up by the test: do nothing
    chunk = b"\xab" * (1024 * 1024)
    try:
        with open("huge.bin", "wb") as fh:
            for _ in range(64):
                fh.write(chunk)
    except OSError as exc:
        print(f"writing huge.bin stopped: {exc}")
    for name, size in (("sparse.bin", 8 * 1024**3), ("out/sparse.bin", 1024**3)):
        try:
            with open(name, "wb") as fh:
                fh.truncate(size)
        except OSError as exc:
            print(f"making {name} failed: {exc}")


_fill()


def mse(y_pred, y_true):
    raise NotImplementedError("mse is not written yet")


def mse_grad(y_pred, y_true):
    raise NotImplementedError("mse_grad is not written yet")
