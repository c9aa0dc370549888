"""Hostile: answers with drill's own reference, loaded through drill's deck loader.

When drill's package cannot be imported, or its decks cannot be read, the functions raise:
this submission must never pass.
"""


def _steal():
    try:
        from drill import loader

        deck = loader.load_builtin()
        item = next(i for i in deck.items if i.id == "relu")
        module = loader.load_module(item.folder / "reference.py", "copied_reference")
        print("answering with drill's reference, loaded through drill.loader")
        return module
    except BaseException as exc:  # whatever stops it, fall back to raising
        print(f"could not load drill's reference: {type(exc).__name__}")
        return None


_REFERENCE = _steal()


def relu(z):
    if _REFERENCE is None:
        raise NotImplementedError("relu is not written yet")
    return _REFERENCE.relu(z)


def relu_backward(dout, z):
    if _REFERENCE is None:
        raise NotImplementedError("relu_backward is not written yet")
    return _REFERENCE.relu_backward(dout, z)
