"""Runs a learner's code answer, case by case, for drill's checker.

This file runs as a script in a separate Python process (`python -I -u`), inside the check's
own folder, which holds `submission.py`, `plan.json` and the inputs as `.npy` files. It
imports only the standard library and NumPy, and it never decides anything: drill reads what
it leaves in `out/` and judges it in its own process.

What it leaves, per call k of case i (names fixed by drill, contents checked by drill):
  out/c<i>-<k>.npy        the return value, when it is a number or an array
  out/c<i>-<k>-a<j>.npy   positional argument j as it was after the call (arrays only)
  out/c<i>-<k>-k<j>.npy   keyword argument j, likewise
  out/c<i>-<k>.json       for the learner's feedback only: the type returned, or the error raised
On the progress pipe it writes `ready`, then `start <i>` before each case; drill uses these
only to time the calls. Before the learner's code is imported this process confines itself
(Landlock on Linux: files, signals, TCP) and sets its limits; see `confine`.

Run as `_worker.py --serve FD` it is `drill review`'s warm worker instead: it loads NumPy
once and forks a child per check that sets up its own namespaces and then goes on exactly
as a worker started cold would; see `serve`.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import sys
import traceback
from typing import IO, TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:  # names for annotations only: this process imports as little as it can
    import ctypes
    from collections.abc import Callable, Iterable
    from types import ModuleType

OUT = "out"
TAMPERED = 75  # exit status: the learner's code wrote where drill reads results
UNCONFINED = 71  # exit status: the protections drill found could not be put in place


def main() -> None:
    if sys.argv[1] == "--serve":
        serve(int(sys.argv[2]))
        return
    folder, fd, settings = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
    os.chdir(folder)
    progress = os.fdopen(fd, "w", buffering=1)

    import numpy as np
    import numpy.lib.format  # loaded before the learner's code: what results are written with

    # Parts of NumPy loaded on first use still load once confined: NumPy's folder stays readable.
    if settings.get("deck"):
        # Deck code may use drill's helpers for deck authors; nothing else of drill's.
        __import__("drill.deckkit")
    contain_and_run(folder, settings, np, progress)


def contain_and_run(folder: str, settings: dict[str, Any], np: ModuleType, progress: IO[str]) -> NoReturn:
    """Confine this process, then run the learner's code in a child of it; never returns.

    A cold worker gets here once NumPy is imported; a warm worker's child (see `serve`) gets
    here in the same state, in namespaces of its own.
    """
    try:
        confine(settings, folder, np)
    except OSError as exc:  # fail closed: unconfined, the learner's code does not run at all
        print(f"drill could not confine this process: {exc}", file=sys.stderr)
        os._exit(UNCONFINED)
    # The learner's code runs in a child. In a PID namespace this process is its init: when
    # the child ends, so does every process the code started. Elsewhere it is a stand-in
    # that a submission killing its parent hits instead of drill.
    parent = os.getpid()
    pid = os.fork()
    if pid:
        _stand_in(pid)
    _die_with(parent)
    if settings.get("deck"):
        serve_deck(settings["deck"], progress)
    else:
        run(np, progress)
    # Done: end now, not after the threads the code may have left spinning.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(0)


def _die_with(parent: int) -> None:
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(70)  # the stand-in is already gone


def confine(settings: dict[str, Any], folder: str, np: ModuleType) -> list[str]:
    """Set the limits drill asked for and confine this process; return what took effect."""
    import resource

    active = []
    for name, value in settings.get("rlimits", {}).items():
        try:
            resource.setrlimit(getattr(resource, name), (value, value))
            active.append(name)
        except (AttributeError, ValueError, OSError):
            pass
    if settings.get("landlock"):
        readable = set(readable_paths(np))
        if settings.get("deck"):
            readable.add(settings["deck"])  # a deck's own code may read its own files
        rules = [(p, _FS_READ) for p in sorted(readable) if p and os.path.exists(p)]
        rules += [("/dev/null", _FS_READ | _FS_WRITE), (folder, -1)]
        landlock(rules)
        active.append("landlock")
    return active


def readable_paths(np: ModuleType) -> list[str]:
    """What the code may read: Python's standard library, NumPy, and the system's libraries.

    Landlock grants a folder with everything beneath it, and the standard library's folder
    (or /usr/lib) may hold site-packages, where drill itself and other installed packages
    live. So those folders are granted entry by entry, leaving out every package folder.
    """
    stdlib = os.path.dirname(os.__file__)
    dynload = [p for p in sys.path if os.path.basename(p) == "lib-dynload"]
    paths = _entries(stdlib, skip=lambda name: name in ("site-packages", "dist-packages"))
    for libs in ("/usr/lib", "/lib", "/usr/lib64", "/lib64"):
        # System libraries, for extension modules loaded later (ctypes needs libffi); not
        # the Python installations beside them, whose packages include drill's.
        paths += _entries(libs, skip=lambda name: name.startswith("python"))
    assert np.__file__ is not None  # NumPy is imported from its files
    numpy_dir = os.path.dirname(np.__file__)
    paths += [*dynload, numpy_dir, os.path.join(os.path.dirname(numpy_dir), "numpy.libs"),
              "/dev/urandom"]
    return [p for p in paths if os.path.exists(p)]


def _entries(folder: str, skip: Callable[[str], bool]) -> list[str]:
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return [os.path.join(folder, name) for name in names if not skip(name)]


# -- Landlock, through its three system calls ----------------------------------------------

_SYSCALL = {"create_ruleset": 444, "add_rule": 445, "restrict_self": 446}  # same on every arch
_FS_READ = 1 << 2 | 1 << 3  # READ_FILE, READ_DIR
_FS_WRITE = 1 << 1  # WRITE_FILE
_FILE_ONLY = 1 << 0 | 1 << 1 | 1 << 2 | 1 << 14 | 1 << 15  # rights that apply to a file itself
_FS_ALL = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
_NET_TCP = 1 | 2  # BIND_TCP, CONNECT_TCP (ABI 4)
_SCOPES = 1 | 2  # ABSTRACT_UNIX_SOCKET, SIGNAL (ABI 6)


def landlock(rules: list[tuple[str, int]]) -> None:
    """Allow each (path, rights) of `rules` (-1: every right); deny all other file access.

    From ABI 4 on, also no TCP; from ABI 6 on, no signals to processes outside this one's
    own domain (drill among them) and no abstract Unix sockets outside it. Raises OSError
    when the kernel has no Landlock; drill asked for it only after a probe found it.
    """
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    syscall = libc.syscall
    syscall.restype = ctypes.c_long
    abi = syscall(_SYSCALL["create_ruleset"], None, ctypes.c_size_t(0), ctypes.c_uint32(1))
    if abi < 1:
        raise OSError(ctypes.get_errno(), "Landlock is not available")
    fs_all = _FS_ALL[max(k for k in _FS_ALL if k <= abi)]

    class Ruleset(ctypes.Structure):
        _fields_ = [("fs", ctypes.c_uint64), ("net", ctypes.c_uint64), ("scoped", ctypes.c_uint64)]

    class PathBeneath(ctypes.Structure):
        _pack_ = 1
        _fields_ = [("allowed", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]

    ruleset = Ruleset(fs_all, _NET_TCP if abi >= 4 else 0, _SCOPES if abi >= 6 else 0)
    size = ctypes.sizeof(Ruleset) if abi >= 6 else (16 if abi >= 4 else 8)
    ruleset_fd = syscall(_SYSCALL["create_ruleset"], ctypes.byref(ruleset), ctypes.c_size_t(size),
                         ctypes.c_uint32(0))
    if ruleset_fd < 0:
        raise OSError(ctypes.get_errno(), "cannot create a Landlock ruleset")
    try:
        for path, allowed in rules:
            allowed = fs_all if allowed == -1 else allowed & fs_all
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            try:
                rule = PathBeneath(allowed if os.path.isdir(path) else allowed & _FILE_ONLY, fd)
                if syscall(_SYSCALL["add_rule"], ctypes.c_int(ruleset_fd), ctypes.c_int(1),
                           ctypes.byref(rule), ctypes.c_uint32(0)) != 0:
                    raise OSError(ctypes.get_errno(), f"cannot add a Landlock rule for {path}")
            finally:
                os.close(fd)
        if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS, which Landlock requires
            raise OSError(ctypes.get_errno(), "cannot set no_new_privs")
        if syscall(_SYSCALL["restrict_self"], ctypes.c_int(ruleset_fd), ctypes.c_uint32(0)) != 0:
            raise OSError(ctypes.get_errno(), "cannot enforce the Landlock ruleset")
    finally:
        os.close(ruleset_fd)


# -- the stand-in and the run --------------------------------------------------------------


def _stand_in(pid: int) -> NoReturn:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except ChildProcessError:
            os._exit(70)
        except InterruptedError:
            continue
    code = os.waitstatus_to_exitcode(status)
    # As a namespace's init this process cannot signal itself: pass a signal on as 128 + its
    # number, the shell's convention, which drill reads back.
    os._exit(128 - code if code < 0 else code)


def run(np: ModuleType, progress: IO[str]) -> None:
    save = np.lib.format.write_array  # the learner's code may replace NumPy's functions
    dumps, open_, fspath, mkdir, exit_ = json.dumps, os.open, os.path.join, os.mkdir, os._exit
    asarray, ndarray = np.asarray, np.ndarray

    def write(name: str, data: bytes | None = None, array: object = None, folder: str = OUT) -> None:
        try:
            fd = open_(fspath(folder, name), os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        except (FileExistsError, IsADirectoryError):
            exit_(TAMPERED)  # the learner's code put something where this result goes
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                exit_(TAMPERED)
            raise
        with os.fdopen(fd, "wb") as fh:
            if data is not None:
                fh.write(data)
            else:
                save(fh, array, allow_pickle=False)

    def send(line: str) -> None:
        try:
            progress.write(line + "\n")
        except (OSError, ValueError):
            pass

    send("ready")
    if sys.stdin.readline().strip() != "go":
        return
    with open("plan.json", encoding="utf-8") as fh:
        plan = json.load(fh)
    module, error = _import_submission()
    if module is None:
        write("import.json", dumps(error).encode(), folder=".")
        return
    # Made only now, so that code run at import finds no results folder to fill; if it made
    # one, or later puts a file where a result goes, the run ends as tampered with.
    try:
        mkdir(OUT)
    except OSError:
        exit_(TAMPERED)
    for case in plan["cases"]:
        index = case["index"]
        send(f"start {index}")
        seeds = case["rng_seeds"] or [None]
        calls = max(len(seeds), case.get("repeat", 1))
        for k in range(calls):
            seed = seeds[k] if k < len(seeds) else None
            if case.get("repeat") and k > 0:
                seed = None  # repeated calls draw on from where the last one left off
            got, meta, args, kwargs = _call(np, module, case, seed)
            name = f"c{index}-{k}"
            if got is not None:
                try:
                    write(name + ".npy", array=asarray(got))
                except (ValueError, TypeError):  # object arrays and the like: nothing to compare
                    meta["type"] = "object array" if isinstance(got, ndarray) else meta["type"]
                except (OSError, MemoryError) as exc:
                    too_big = isinstance(exc, MemoryError) or exc.errno == errno.EFBIG
                    meta = {"kind": "TooBig" if too_big else "Unsaved",
                            "error": "the result could not be saved for checking"}
            for j, value in enumerate(args):
                if isinstance(value, ndarray):
                    _quietly(write, f"{name}-a{j}.npy", array=value)
            for j, value in enumerate(kwargs):
                if isinstance(value, ndarray):
                    _quietly(write, f"{name}-k{j}.npy", array=value)
            _quietly(write, name + ".json", dumps(meta).encode())
            del got, args, kwargs
    send("end")


def serve_deck(deck: str, replies: IO[str]) -> None:
    """Answer drill's calls of a deck's functions, one JSON line in, one JSON line out.

    A request names a Python file of the deck (relative to its folder), a function and its
    arguments; the reply is {"value": ...} (NumPy values as plain numbers and lists) or
    {"error": "Type: message", "line": n}. What the deck's code prints goes to the log.
    """
    import base64
    import importlib.util

    modules: dict[str, ModuleType] = {}

    def plain(value: Any) -> Any:
        if hasattr(value, "tolist"):
            return value.tolist()
        if hasattr(value, "item"):
            return value.item()
        raise TypeError(f"it returned {type(value).__name__}, which is not plain JSON data "
                        "(numbers, text, lists, dicts)")

    for line in sys.stdin:
        try:
            request = json.loads(line)
            path = os.path.join(deck, request["file"])
            if path not in modules:
                # drill sends the bytes it checked against the ones the learner agreed to
                # run, so an edit made since cannot slip in between.
                spec = importlib.util.spec_from_file_location(request["module"], path)
                assert spec is not None  # a path to a .py file always has one
                module = importlib.util.module_from_spec(spec)
                sys.modules[request["module"]] = module
                source = base64.b64decode(request["source"])  # bytes: Python reads its coding line
                exec(compile(source, path, "exec", dont_inherit=True), module.__dict__)
                modules[path] = module
            value = getattr(modules[path], request["function"])(*request["args"])
            reply = json.dumps({"value": value}, default=plain)
        except BaseException as exc:  # deck code may raise anything, SystemExit too
            where = None
            for frame in traceback.extract_tb(exc.__traceback__):
                if frame.filename.startswith(deck):
                    where = [os.path.relpath(frame.filename, deck), frame.lineno]
            if isinstance(exc, SyntaxError) and exc.filename and exc.lineno:
                where = [os.path.relpath(exc.filename, deck), exc.lineno]
            reply = json.dumps({"error": describe(exc), "where": where})
        try:
            replies.write(reply + "\n")
            replies.flush()
        except (OSError, ValueError):
            return


def _quietly(function: Callable[..., None], *args: Any, **kwargs: Any) -> None:
    try:
        function(*args, **kwargs)
    except (OSError, ValueError, TypeError, MemoryError):  # a tampered-with name has exited
        pass  # a missing file is read by drill as a failed case, never as a pass


def _import_submission() -> tuple[ModuleType, None] | tuple[None, dict[str, Any]]:
    import importlib.util

    spec = importlib.util.spec_from_file_location("submission", "submission.py")
    assert spec is not None and spec.loader is not None  # a .py file's: a source loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["submission"] = module  # as for any import: dataclasses and pickle look here
    try:
        spec.loader.exec_module(module)
    except BaseException as exc:  # the learner's code may raise anything, SystemExit too
        return None, {"error": describe(exc), "line": _line(exc)}
    return module, None


def _load_arg(np: ModuleType, spec: dict[str, Any]) -> Any:
    if "npy" in spec:
        return np.load(spec["npy"], allow_pickle=False)
    return spec["value"]


def _call(np: ModuleType, module: ModuleType, case: dict[str, Any],
          seed: int | None) -> tuple[Any, dict[str, Any], list[Any], list[Any]]:
    """Call the learner's function once: (value or None, feedback, args, kwargs)."""
    function = getattr(module, case["call"], None)
    args = [_load_arg(np, a) for a in case["args"]]
    kwargs = {name: _load_arg(np, a) for name, a in case["kwargs"].items()}
    if not callable(function):
        return None, {"missing": True}, [], []
    params = _params(function)
    if seed is not None:
        np.random.seed(seed)
    try:
        got = function(*args, **kwargs)
    except BaseException as exc:  # SystemExit and KeyboardInterrupt are answers too
        return (None, {"error": describe(exc), "line": _line(exc), "kind": type(exc).__name__,
                       "params": params}, args, list(kwargs.values()))
    meta: dict[str, Any] = {"type": type_name(got), "params": params}
    if not isinstance(got, (np.ndarray, np.generic, int, float, bool)):
        meta["repr"] = short_repr(got)
        got = None
    return got, meta, args, list(kwargs.values())


def _params(function: Callable[..., Any]) -> list[str]:
    """The function's parameter names, for feedback on the order of arguments."""
    import inspect

    try:
        return [str(name) for name in inspect.signature(function).parameters][:20]
    except BaseException:  # builtins, odd callables, or code that breaks introspection
        return []


# type_name, short_repr and describe are also drill's (drill/hints.py), so that a known
# wrong version run in drill's process is described exactly as a submission is here.


def type_name(value: object) -> str:
    """The value's type as `int` or `numpy.ndarray`."""
    kind = type(value)
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


def short_repr(value: object, limit: int = 200) -> str:
    """repr() on one line, at most `limit` characters, whatever the value does."""
    try:
        text = repr(value)
    except BaseException:
        text = f"<{type(value).__name__}>"
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(exc: BaseException) -> str:
    """An exception as `Type: message` on one line."""
    try:
        text = " ".join(str(exc).split())[:300]
    except BaseException:  # an exception whose message itself fails
        text = "(its message could not be shown)"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _line(exc: BaseException) -> int | None:
    if isinstance(exc, SyntaxError) and exc.filename and exc.filename.endswith("submission.py"):
        return exc.lineno
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith("submission.py"):
            line = frame.lineno
    return line


# -- the warm worker: a fork server for `drill review` --------------------------------------

WARM_FAILED = 72  # exit status: a warm worker's child could not set itself up; none of the code ran
_CLONE = {"NEWNS": 0x00020000, "NEWUSER": 0x10000000, "NEWPID": 0x20000000, "NEWNET": 0x40000000}
_MS_NOSUID, _MS_NODEV, _MS_NOEXEC, _MS_REC, _MS_PRIVATE = 2, 4, 8, 1 << 14, 1 << 18
_PR_SET_PDEATHSIG, _PR_SET_DUMPABLE = 1, 4
_CHILD_FDS = 4  # a child's descriptors: 0 its stdin pipe, 1 and 2 its output file, 3 progress


def serve(sock_fd: int) -> None:
    """Fork one contained child per request drill sends on `sock_fd`; run none of it here.

    drill starts this process exactly as it starts a cold worker (the same namespaces, limits
    and death with drill), once per review session, and it imports what a worker imports.
    A request names a check's folder, the worker's settings, environment and limits, and
    carries the child's stdin pipe, output file and progress pipe. The child sets up user,
    PID, network and mount namespaces of its own, as `unshare` does for a cold worker, and
    goes on exactly as a cold worker does once NumPy is imported (`contain_and_run`). The
    learner's code thus runs only in a grandchild of that child: it cannot see, signal or
    share a descriptor with this process, and every check starts from this process's memory
    as it was before any check ran.

    Replies: {"id", "started": true} with a pidfd of the child, then {"id", "status"} (its
    wait status) once it has ended. When drill closes its end this process exits, and with
    it, the init of its PID namespace, everything still running.
    """
    import ctypes
    import fcntl
    import importlib.util  # noqa: F401  (what every check's child uses: loaded once, here)
    import inspect  # noqa: F401
    import resource  # noqa: F401
    import select
    import socket

    import numpy as np
    import numpy.lib.format  # loaded before any child forks

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_IGN)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)  # nothing may ptrace it or read its memory
    server = os.getpid()
    sock = socket.socket(fileno=sock_fd)

    def reply(message: dict[str, Any], fds: Iterable[int] = ()) -> None:
        try:
            socket.send_fds(sock, [json.dumps(message).encode()], list(fds))
        except OSError:
            os._exit(0)  # drill is gone

    children: dict[int, tuple[Any, int]] = {}  # pid -> (request id, pidfd)
    while True:
        try:
            watched: list[socket.socket | int] = [sock, *(fd for _, fd in children.values())]
            ready = select.select(watched, [], [], 1.0)[0]
        except InterruptedError:
            continue
        # Reap the children, and any orphan handed to this process as its namespace's init.
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if not pid:
                break
            if pid in children:
                rid, pidfd = children.pop(pid)
                os.close(pidfd)
                reply({"id": rid, "status": status})
        if sock not in ready:
            continue
        try:
            data, fds, _, _ = socket.recv_fds(sock, 1 << 16, _CHILD_FDS)
        except OSError:
            data, fds = b"", []
        if not data:
            os._exit(0)  # drill ended the session
        try:
            request = json.loads(data)
            rid = request["id"]
        except (ValueError, TypeError, KeyError):
            request, rid = None, None
        if request is None or len(fds) != 3:
            for fd in fds:
                os.close(fd)
            reply({"id": rid, "error": "malformed request"})
            continue
        # Where the three land must not matter: move them past the numbers they go to.
        fds = [fcntl.fcntl(fd, fcntl.F_DUPFD, 16) for fd in fds]
        pid = os.fork()
        if pid == 0:
            try:
                _warm_child(request, fds, server, libc, np)
            finally:
                os._exit(WARM_FAILED)
        for fd in fds:
            os.close(fd)
        pidfd = os.pidfd_open(pid)
        children[pid] = (rid, pidfd)
        reply({"id": rid, "started": True}, [pidfd])


def _warm_child(request: dict[str, Any], fds: list[int], server: int, libc: ctypes.CDLL,
                np: ModuleType) -> None:
    """In a child of the warm worker: become what `unshare` and then a cold worker would be."""
    import ctypes
    import resource
    import select

    try:
        for target, fd in ((0, fds[0]), (1, fds[1]), (2, fds[1]), (3, fds[2])):
            os.dup2(fd, target)
        os.closerange(_CHILD_FDS, 1 << 20)  # the server's socket, its pidfds, the copies above
        libc.prctl(_PR_SET_DUMPABLE, 1, 0, 0, 0)  # as a fresh process; it writes its own uid_map
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != server:
            os._exit(WARM_FAILED)
        os.setsid()
        # The limits drill's preexec gives a cold worker, before anything else runs.
        for name, value in request["limits"].items():
            try:
                resource.setrlimit(getattr(resource, name), (value, value))
            except (AttributeError, ValueError, OSError):
                pass
        folder, settings = request["folder"], request["settings"]
        os.chdir(folder)
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv[1:] = [folder, "3", json.dumps(settings)]
        uid, gid = os.geteuid(), os.getegid()
        flags = _CLONE["NEWUSER"] | _CLONE["NEWNS"] | _CLONE["NEWPID"] | _CLONE["NEWNET"]
        if libc.unshare(flags) != 0:
            os._exit(WARM_FAILED)
        for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"),
                           ("gid_map", f"{gid} {gid} 1")):
            with open(f"/proc/self/{name}", "w") as fh:
                fh.write(text)
        alive, alive_w = os.pipe()  # at end of file once this process is gone
        pid = os.fork()
        if pid:
            os.close(alive)
            _exit_as(pid)
        # The init of the new PID namespace, as `unshare --fork --kill-child --mount-proc`
        # makes a cold worker: it dies with its parent, and it gets a /proc of its own.
        os.close(alive_w)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if select.select([alive], [], [], 0)[0]:
            os._exit(WARM_FAILED)
        os.close(alive)
        for source, mountpoint, kind, mount_flags in (
                (b"none", b"/", None, _MS_REC | _MS_PRIVATE),
                (b"proc", b"/proc", b"proc", _MS_NOSUID | _MS_NODEV | _MS_NOEXEC)):
            if libc.mount(source, mountpoint, kind, ctypes.c_ulong(mount_flags), None) != 0:
                os._exit(WARM_FAILED)
        if os.geteuid() != 0:
            # As `exec` leaves a cold worker: no capabilities unless it is root in its namespace.
            _drop_capabilities(libc)
        # As a process that has just imported them: fresh seeds, default signal handling.
        np.random.seed()
        if "random" in sys.modules:
            sys.modules["random"].seed()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
        progress = os.fdopen(3, "w", buffering=1)
    except BaseException:
        os._exit(WARM_FAILED)
    try:
        contain_and_run(folder, settings, np, progress)
    except BaseException as exc:  # raised in the learner's process, out of `run`
        _exit_as_python_would(exc)


def _drop_capabilities(libc: ctypes.CDLL) -> None:
    """No capabilities at all, in any of the sets."""
    import ctypes

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                    ("inheritable", ctypes.c_uint32)]

    header, data = Header(0x20080522, 0), (Data * 2)()  # _LINUX_CAPABILITY_VERSION_3, all zero
    if libc.capset(ctypes.byref(header), data) != 0:
        os._exit(WARM_FAILED)


def _exit_as(pid: int) -> None:
    """Wait for `pid` and end the same way (as `unshare --fork` does); never returns."""
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
    if os.WIFSIGNALED(status):
        signum = os.WTERMSIG(status)
        try:
            signal.signal(signum, signal.SIG_DFL)
        except (OSError, ValueError):
            pass
        os.kill(os.getpid(), signum)
    os._exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 1)


def _exit_as_python_would(exc: BaseException) -> None:
    """End the process as Python ends a script that raised `exc` (a cold worker's `main`)."""
    code = 1
    if isinstance(exc, SystemExit):
        if exc.code is None:
            code = 0
        elif isinstance(exc.code, int):
            code = exc.code
        else:
            print(exc.code, file=sys.stderr)
    else:
        try:
            sys.excepthook(type(exc), exc, exc.__traceback__)
        except BaseException:
            pass
    try:
        if "threading" in sys.modules:
            sys.modules["threading"]._shutdown()
        import atexit

        atexit._run_exitfuncs()
    except BaseException:
        pass
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass
    if isinstance(exc, KeyboardInterrupt):
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    os._exit(code & 0xFF)


if __name__ == "__main__":
    main()
