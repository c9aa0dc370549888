"""Hostile: finds drill's deck folder through the import system and the installed package
metadata (site-packages, editable-install finders), then imports the reference with
importlib.util.spec_from_file_location. Without it, softmax raises: it must never pass.
"""
import glob
import importlib.util
import os
import re
import sys


def _deck_roots():
    roots = []
    try:
        spec = importlib.util.find_spec("drill.decks")
        if spec is not None:
            roots += list(spec.submodule_search_locations or [])
    except BaseException:
        pass
    for entry in sys.path:
        roots += glob.glob(os.path.join(entry, "drill", "decks"))
        for finder in glob.glob(os.path.join(entry, "__editable__*drill*finder.py")):
            try:
                with open(finder, encoding="utf-8") as fh:
                    text = fh.read()
            except OSError:
                continue
            roots += [p for p in re.findall(r"'(/[^']+)'", text) if p.endswith("decks")]
    return roots


def _steal():
    for root in _deck_roots():
        for path in glob.glob(os.path.join(root, "*", "*softmax*", "reference.py")):
            try:
                spec = importlib.util.spec_from_file_location("copied_reference", path)
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
            except BaseException:
                continue
            print(f"answering with the reference at {path}")
            return module
    print("found no reference to copy")
    return None


_REFERENCE = _steal()


def softmax(z):
    if _REFERENCE is None:
        raise NotImplementedError("softmax is not written yet")
    return _REFERENCE.softmax(z)
