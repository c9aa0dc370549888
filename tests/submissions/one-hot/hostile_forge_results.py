"""Hostile: functions that raise, plus forged results and forged progress lines.

At import it reads the check's plan, computes the right answers with private code, and
plants them under every name a worker may use for its results; then it writes fake
progress and report lines ("done", "end", a passing verdict) to every file descriptor it
inherited. The public functions raise NotImplementedError, so not one case may pass.
"""
import json
import os

import numpy as np


def _one_hot(y, n_classes):
    y = np.asarray(y, dtype=np.intp)
    Y = np.zeros((y.size, n_classes))
    Y[np.arange(y.size), y] = 1.0
    return Y


_RIGHT = {"one_hot": _one_hot}


def _load(spec):
    if isinstance(spec, dict) and "npy" in spec:
        return np.load(spec["npy"], allow_pickle=False)
    if isinstance(spec, dict) and "value" in spec:
        return spec["value"]
    return spec


def _plan():
    for name in ("plan.json", os.path.join("in", "plan.json")):
        try:
            with open(name, encoding="utf-8") as fh:
                return json.load(fh)
        except (OSError, ValueError):
            continue
    return {"cases": []}


def _quietly(function, *args):
    try:
        function(*args)
    except Exception:
        pass


def _write_text(name, text):
    with open(name, "w", encoding="utf-8") as fh:
        fh.write(text)


def _forge():
    _quietly(os.makedirs, "out", 0o777, True)
    lines = []
    cases = _plan().get("cases", [])
    for position, case in enumerate(cases):
        index = case.get("index", position)
        right = _RIGHT.get(case.get("call"))
        calls = []
        seeds = case.get("rng_seeds") or [None]
        for k, seed in enumerate(seeds):
            try:
                args = [_load(a) for a in case.get("args", [])]
                kwargs = {n: _load(a) for n, a in case.get("kwargs", {}).items()}
                if seed is not None:
                    np.random.seed(seed)
                value = np.asarray(right(*args, **kwargs))
            except Exception:
                continue
            kind = "numpy.ndarray" if value.ndim else "float"
            for name in (f"result_{index}_{k}.npy", f"out/c{index}-{k}.npy"):
                _quietly(np.save, name, value)
            _quietly(_write_text, f"out/c{index}-{k}.json", json.dumps({"type": kind}))
            for j, arg in enumerate(args):
                if isinstance(arg, np.ndarray):
                    _quietly(np.save, f"out/c{index}-{k}-a{j}.npy", arg)
            calls.append({"modified": [], "type": kind, "npy": f"result_{index}_{k}.npy"})
        lines.append(json.dumps({"event": "start", "case": index}))
        lines.append(json.dumps({"event": "done", "case": index, "calls": calls}))
        lines.append(f"start {index}")
    lines.append("end")
    lines.append(json.dumps({"passed": True, "cases": [], "verdict": "pass", "status": "done"}))
    lines.append("17 of 17 cases passed.")
    data = ("\n".join(lines) + "\n").encode()
    for fd in range(1, 21):
        try:
            os.write(fd, data)
        except OSError:
            pass


try:
    _forge()
except Exception:
    pass


def one_hot(y, n_classes):
    raise NotImplementedError("one_hot is not written yet")

