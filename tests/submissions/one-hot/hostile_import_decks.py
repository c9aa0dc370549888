"""Hostile: `import drill.decks`, walks the package folder for the one-hot reference and runs
it with runpy. Without it, one_hot raises: it must never pass.
"""
import os


def _steal():
    try:
        import runpy

        import drill.decks

        for root in drill.decks.__path__:
            for folder, _dirs, files in os.walk(root):
                if "one-hot" in folder and "reference.py" in files:
                    namespace = runpy.run_path(os.path.join(folder, "reference.py"))
                    print(f"answering with the reference in {folder}")
                    return namespace["one_hot"]
    except BaseException as exc:
        print(f"could not import drill.decks: {type(exc).__name__}")
    return None


_REFERENCE = _steal()


def one_hot(y, n_classes):
    if _REFERENCE is None:
        raise NotImplementedError("one_hot is not written yet")
    return _REFERENCE(y, n_classes)
