"""Hostile: right values, but it shifts its input in place, and at import it first replaces
NumPy's comparison and copying functions (and the writer behind np.save) so that a checker
judging inside this process sees an unchanged input. It must fail as an in-place change.
"""
import numpy as np
import numpy.lib.format
import numpy.testing

_ORIGINALS = {}
_real_write_array = numpy.lib.format.write_array


def _always(*args, **kwargs):
    return True


def _never(*args, **kwargs):
    return False


def _everywhere_close(a, b, *args, **kwargs):
    return np.ones(np.broadcast_shapes(np.shape(a), np.shape(b)), dtype=bool)


def _silent(*args, **kwargs):
    return None


def _write_array(fp, array, *args, **kwargs):
    # an argument saved after the call is saved as it was before it
    return _real_write_array(fp, _ORIGINALS.get(id(array), array), *args, **kwargs)


np.array_equal = _always
np.array_equiv = _always
np.allclose = _always
np.isclose = _everywhere_close
np.shares_memory = _never
np.may_share_memory = _never
np.copy = lambda a, *args, **kwargs: a
numpy.lib.format.write_array = _write_array
for _name in dir(np.testing):
    if _name.startswith("assert_"):
        setattr(np.testing, _name, _silent)


def softmax(z):
    _ORIGINALS[id(z)] = z.copy()
    z -= z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)
