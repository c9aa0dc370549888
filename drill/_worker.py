"""Runs a learner's code answer, case by case, for drill's checker.

This file runs as a script in a separate, isolated Python process (`python -I`), inside a
temporary folder that holds `submission.py`, `plan.json` and the inputs as `.npy` files. It
imports only the standard library and NumPy; it never sees the reference solutions.

It reports on the file descriptor named on its command line, one JSON object per line:
{"event": "ready"} once NumPy is imported, {"event": "import_error", ...} when the
submission cannot be imported, {"event": "start", "case": i} before case i and
{"event": "done", "case": i, "calls": [...]} after it. Results go to `.npy` files
(allow_pickle=False).
"""

import json
import os
import signal
import sys
import traceback


def main() -> None:
    folder, fd = sys.argv[1], int(sys.argv[2])
    os.chdir(folder)
    # Run the learner's code in a child: if it kills its parent, it kills this stand-in,
    # not drill. The stand-in passes the child's exit status on.
    pid = os.fork()
    if pid:
        _stand_in(pid)
    report = os.fdopen(fd, "w", buffering=1)

    def send(event: dict) -> None:
        report.write(json.dumps(event) + "\n")

    import numpy as np

    send({"event": "ready"})
    if sys.stdin.readline().strip() != "go":
        return
    with open("plan.json", encoding="utf-8") as fh:
        plan = json.load(fh)

    module = _import_submission(send)
    if module is None:
        return
    for case in plan["cases"]:
        send({"event": "start", "case": case["index"]})
        calls = []
        for k, seed in enumerate(case["rng_seeds"] or [None]):
            calls.append(_call(np, module, case, k, seed))
        send({"event": "done", "case": case["index"], "calls": calls})
    report.close()


def _stand_in(pid: int) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    os._exit(code)


def _import_submission(send):
    import importlib.util

    spec = importlib.util.spec_from_file_location("submission", "submission.py")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except BaseException as exc:  # the learner's code may raise anything, SystemExit too
        send({"event": "import_error", "error": _describe(exc), "line": _line(exc)})
        return None
    return module


def _load_arg(np, spec: dict):
    if "npy" in spec:
        return np.load(spec["npy"], allow_pickle=False)
    return spec["value"]


def _call(np, module, case: dict, k: int, seed) -> dict:
    function = getattr(module, case["call"], None)
    if not callable(function):
        return {"error": f"your code does not define {case['call']}()", "missing": True}
    args = [_load_arg(np, a) for a in case["args"]]
    kwargs = {name: _load_arg(np, a) for name, a in case["kwargs"].items()}
    before = [a.copy() if isinstance(a, np.ndarray) else None for a in args]
    before_kw = {n: a.copy() for n, a in kwargs.items() if isinstance(a, np.ndarray)}
    if seed is not None:
        np.random.seed(seed)
    try:
        got = function(*args, **kwargs)
    except BaseException as exc:  # SystemExit and KeyboardInterrupt are answers too
        return {"error": _describe(exc), "line": _line(exc), "kind": type(exc).__name__}
    modified = [
        f"argument {i + 1}" for i, (old, new) in enumerate(zip(before, args))
        if old is not None and not _same_array(np, old, new)
    ] + [name for name, old in before_kw.items() if not _same_array(np, old, kwargs[name])]
    result = {"modified": modified, "type": _type_name(got)}
    path = f"result_{case['index']}_{k}.npy"
    if isinstance(got, np.ndarray) or isinstance(got, (np.generic, int, float, bool)):
        try:
            np.save(path, np.asarray(got), allow_pickle=False)
            result["npy"] = path
        except (ValueError, TypeError):  # object arrays and the like: no values to compare
            result["repr"] = _short(got)
            result["type"] = "object array" if isinstance(got, np.ndarray) else result["type"]
        except (OSError, MemoryError):
            return {"error": "the result is too big to check (over the file size limit)",
                    "kind": "TooBig"}
    else:
        result["repr"] = _short(got)
    return result


def _same_array(np, old, new) -> bool:
    try:
        return old.shape == new.shape and bool(np.array_equal(old, new, equal_nan=old.dtype.kind in "fc"))
    except (TypeError, ValueError):
        return False


def _type_name(value) -> str:
    kind = type(value)
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


def _short(value, limit: int = 200) -> str:
    try:
        text = repr(value)
    except BaseException:
        text = f"<{type(value).__name__}>"
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _describe(exc: BaseException) -> str:
    try:
        text = " ".join(str(exc).split())[:300]
    except BaseException:  # an exception whose message itself fails
        text = "(its message could not be shown)"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _line(exc: BaseException):
    if isinstance(exc, SyntaxError) and exc.filename and exc.filename.endswith("submission.py"):
        return exc.lineno
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith("submission.py"):
            line = frame.lineno
    return line


if __name__ == "__main__":
    main()
