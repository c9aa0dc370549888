"""Errors the library raises; the CLI turns each into one line `Error: ...` and exit 1."""


class DrillError(Exception):
    """Base class for every error meant for the learner's eyes."""


class StoreError(DrillError):
    """The database cannot be opened, read or written."""


class DeckError(DrillError):
    """A deck folder is missing, malformed or inconsistent."""


class ClockError(DrillError):
    """The clock settings (DRILL_NOW, the day start) are malformed."""


class UnknownItemError(DrillError):
    """An item id that no deck has."""


class Stopped(BaseException):
    """SIGTERM or SIGHUP: unwind (remove part files, roll back) and exit 128 + the signal.

    Not a SystemExit, which the wrappers around deck code catch (deck code may call sys.exit).
    """

    received: int | None = None  # the signal that asked to stop, once one did

    def __init__(self, signum: int):
        super().__init__(signum)
        self.code = 128 + signum
