"""Hostile: imports drill.decks with importlib and loads the dropout reference through
importlib.machinery.SourceFileLoader. Without it, dropout raises: it must never pass.
"""
import glob
import importlib
import importlib.machinery
import os


def _steal():
    try:
        decks = importlib.import_module("drill.decks")
        for root in decks.__path__:
            for path in glob.glob(os.path.join(root, "*", "*dropout*", "reference.py")):
                module = importlib.machinery.SourceFileLoader("copied_reference", path).load_module()
                print(f"answering with the reference at {path}")
                return module
    except BaseException as exc:
        print(f"could not load drill's reference: {type(exc).__name__}")
    return None


_REFERENCE = _steal()


def dropout(x, p, training=True):
    if _REFERENCE is None:
        raise NotImplementedError("dropout is not written yet")
    return _REFERENCE.dropout(x, p, training)
