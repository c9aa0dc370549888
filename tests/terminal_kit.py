"""`python -m drill` in a real pseudo-terminal, for the tests that play a learner at a terminal.

`TerminalSession` runs one command 110 columns by 50 lines with tests/fake_editor.py as $EDITOR;
`spawn_drill` is the bare spawn for tests that set the terminal up themselves.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect

EDITOR = f"{sys.executable} {Path(__file__).with_name('fake_editor.py')}"
ROWS, COLUMNS = 50, 110
# A plain, uncoloured terminal of ROWS x COLUMNS that edits answers with the fake editor.
TERMINAL_ENV = {"EDITOR": EDITOR, "VISUAL": EDITOR, "COLUMNS": str(COLUMNS), "LINES": str(ROWS),
                "TERM": "xterm", "NO_COLOR": "1"}


def spawn_drill(*args, env=None, timeout=30, dimensions=None, cwd=None) -> pexpect.spawn:
    """Start `python -m drill ARGS` in a pseudo-terminal (with env, or this process's
    environment) and return the pexpect child."""
    kwargs = {"dimensions": dimensions} if dimensions else {}
    return pexpect.spawn(sys.executable, ["-m", "drill", *args], env=env, cwd=cwd,
                         encoding="utf-8", timeout=timeout, **kwargs)


def without_size(environ=None) -> dict:
    """The environment without COLUMNS and LINES, so drill asks the terminal for its size."""
    return {k: v for k, v in (os.environ if environ is None else environ).items()
            if k not in ("COLUMNS", "LINES")}


def finish(child: pexpect.spawn) -> int | None:
    """Wait for the child to end; its exit status."""
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


class TerminalSession:
    """One `drill COMMAND ...` in a ROWS x COLUMNS pseudo-terminal, its output copied to
    $DRILL_TEST_LOG when that is set."""

    command = ""
    timeout = 30

    def __init__(self, *args, env=None, mode="right"):
        full_env = dict(os.environ, FAKE_EDITOR_MODE=mode, **TERMINAL_ENV)
        full_env.update(env or {})
        self.child = spawn_drill(self.command, *args, env=full_env, timeout=self.timeout,
                                 dimensions=(ROWS, COLUMNS))
        self.child.logfile_read = open(os.environ.get("DRILL_TEST_LOG", os.devnull), "a")  # noqa: SIM115 - open while the child runs

    def finish(self) -> int | None:
        return finish(self.child)
