"""A stand-in for $EDITOR in tests: it fills the file with a known answer for its item.

FAKE_EDITOR_MODE=right (default) writes a correct answer from tests/submissions/ITEM/ok_*.py,
wrong writes a typical mistake from bad_*.py, and untouched leaves the file as it is.
FAKE_EDITOR_WRONG=relu,mse answers those items wrong whatever the mode.
FAKE_EDITOR_FILE=PATH writes that file's text, whatever the mode.
"""

import os
import sys
from pathlib import Path

MARKERS = {
    "def relu(": "relu",
    "def softmax(": "softmax",
    "def mse(": "mse",
    "def hidden_delta(": "hidden-delta",
    "def one_hot(": "one-hot",
    "def dropout(": "dropout",
}

target = Path(sys.argv[-1])
mode = os.environ.get("FAKE_EDITOR_MODE", "right")
text = target.read_text()
if os.environ.get("FAKE_EDITOR_FILE"):
    target.write_text(Path(os.environ["FAKE_EDITOR_FILE"]).read_text())
elif mode != "untouched":
    item = next(item for marker, item in MARKERS.items() if marker in text)
    wrong = item in os.environ.get("FAKE_EDITOR_WRONG", "").split(",")
    prefix = "ok" if mode == "right" and not wrong else "bad"
    answer = sorted((Path(__file__).parent / "submissions" / item).glob(f"{prefix}_*.py"))[0]
    target.write_text(answer.read_text())
