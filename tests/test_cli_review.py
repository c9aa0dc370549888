"""`drill review` driven through a real pseudo-terminal, with a scripted $EDITOR."""

import re
import signal
import sqlite3
import subprocess
import sys

from drill import loader, variants
from tests.terminal_kit import TerminalSession

ITEMS = {item.id: item for item in loader.load_builtin().items}
SUBTITLE = re.compile(r"(\d+)/(\d+) · ([a-z0-9-]+) · variant (\d+)( · again)?")
PROMPTS = ["Your answer › ", "Press Enter to write your answer", "Press Enter to see the answer",
           r"Reviewed \d+ card", "Nothing to review now"]


class Driver(TerminalSession):
    """Plays a learner in `drill review`."""

    command = "review"

    def __init__(self, *args, env=None, mode="right"):
        super().__init__(*args, env=env, mode=mode)
        self.seen = []  # (item id, seed, redrill) of every card shown

    def card(self):
        """Wait for the next card; return (item id, seed, kind prompt index) or None at the end."""
        index = self.child.expect([SUBTITLE.pattern, r"Reviewed \d+ card", "Nothing to review now"])
        if index:
            return None
        _position, _total, item_id, seed, again = self.child.match.groups()
        self.seen.append((item_id, int(seed), bool(again)))
        kind = self.child.expect(PROMPTS[:3])
        return item_id, int(seed), kind

    def answer(self, item_id, seed, kind, right=True, grade=None):
        if kind == 0:
            variant = variants.make(ITEMS[item_id], seed)
            text = variants.format_value(variant.answer) if right else "12345"
            self.child.sendline(text)
            self.child.expect("✓" if right else "✗")
        elif kind == 1:
            self.child.send("\r")
            self.child.expect("cases passed")
            if not right:
                self.child.expect("t try once more")
                self.child.send("\r")
        else:
            self.child.send("\r")
        self.child.expect(r"Grade 0-5")
        self.child.send(str(grade) if grade is not None else ("\r" if kind != 2 else "4"))
        self.child.expect("Saved grade")


def reviews(db_path, where="1"):
    conn = sqlite3.connect(db_path)
    return conn.execute(
        f"SELECT item_id, quality, redrill, seed, correct FROM live_reviews WHERE {where} ORDER BY id"
    ).fetchall()


def test_a_full_session_over_every_kind(db_path):
    driver = Driver("--new", "12")
    kinds = set()
    while (card := driver.card()) is not None:
        item_id, seed, kind = card
        kinds.add(kind)
        driver.answer(item_id, seed, kind)
    driver.child.expect("Streak: 1 day")
    assert driver.finish() == 0
    assert kinds == {0, 1, 2}
    rows = reviews(db_path)
    assert [r[0] for r in rows] == list(ITEMS)  # the self-check's order, each once
    assert all(r[2] == 0 for r in rows)  # nothing re-drilled
    assert all(r[4] == 1 for r in rows if r[4] is not None)
    assert {r[1] for r in rows if r[4] == 1} == {4}  # right answers default to 4
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT COUNT(*) FROM cards WHERE due = '2026-11-26'").fetchone()[0] == 12


def test_a_missed_card_comes_back_until_it_reaches_4(db_path):
    driver = Driver("--item", "weight-decay")
    item_id, seed, kind = driver.card()
    driver.answer(item_id, seed, kind, right=False)  # suggested 1
    again = driver.card()
    assert again is not None and driver.seen[-1][2] is True
    assert again[1] != seed  # a re-drilled numeric card shows another variant
    driver.answer(*again, right=True, grade=3)  # still below 4: once more
    third = driver.card()
    driver.answer(*third, right=True, grade=4)
    driver.child.expect("2 re-drills")
    assert driver.finish() == 0
    rows = reviews(db_path)
    assert [(r[1], r[2]) for r in rows] == [(1, 0), (3, 1), (4, 1)]
    conn = sqlite3.connect(db_path)
    # Re-drills do not move the schedule: the card is as the first grade left it.
    assert conn.execute("SELECT repetitions, interval, due FROM cards WHERE item_id = 'weight-decay'"
                        ).fetchone() == (0, 1, "2026-11-26")


def test_a_failed_code_answer_is_explained_and_redrilled(db_path):
    driver = Driver("--item", "relu", mode="wrong")
    _item_id, _seed, kind = driver.card()
    assert kind == 1
    driver.child.send("\r")
    driver.child.expect("cases passed")
    driver.child.expect("First failure")
    driver.child.expect("t try once more")
    driver.child.send("t")
    driver.child.expect("cases passed")
    driver.child.expect(r"Grade 0-5 \(Enter = 1\)")
    driver.child.send("\r")
    driver.child.expect("comes back at the end")
    driver.child.expect(SUBTITLE.pattern)
    driver.child.send("q")
    driver.child.expect("Stopped. Every grade so far is saved.")
    assert driver.finish() == 0
    assert reviews(db_path) == [("relu", 1, 0, 0, 0)]


def test_what_the_code_printed_is_shown_written_out_under_the_check(db_path, tmp_path):
    answer = tmp_path / "answer.py"
    answer.write_text(
        "import numpy as np\n"
        "for i in range(15):\n    print('step', i)\n"
        "print('\\x1b[2J\\x1b[8mAll 17 cases passed.')\n"
        "def relu(z):\n    return z\n"
        "def relu_backward(dout, z):\n    return dout\n")
    driver = Driver("--item", "relu", env={"FAKE_EDITOR_FILE": str(answer)})
    _item_id, _seed, kind = driver.card()
    assert kind == 1
    driver.child.send("\r")
    driver.child.expect("Your code printed \\(its last lines\\):")
    driver.child.expect("step 14")
    driver.child.expect(r"\\x1b\[2J\\x1b\[8mAll 17 cases passed\.")
    driver.child.expect(r"✗ \d+ of 17 cases passed\.")
    shown = driver.child.before + driver.child.after
    assert "\x1b[2J" not in shown and "\x1b[8m" not in shown
    driver.child.expect("t try once more")
    driver.child.send("\r")
    driver.child.expect(r"Grade 0-5")
    driver.child.send("\r")
    driver.child.expect(SUBTITLE.pattern)
    driver.child.send("q")
    assert driver.finish() == 0


def test_undo_brings_the_last_card_back(db_path):
    driver = Driver("--new", "3")
    first = driver.card()
    driver.answer(*first)
    second = driver.card()
    driver.child.send("u") if second[2] != 0 else driver.child.sendline("u")
    driver.child.expect("Undid grade")
    again = driver.card()
    assert again[0] == first[0]
    driver.child.send("q") if again[2] != 0 else driver.child.sendline("q")
    assert driver.finish() == 0
    assert reviews(db_path) == []
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT COUNT(*) FROM undos").fetchone()[0] == 1


def test_quit_and_resume_the_same_day(db_path):
    driver = Driver("--new", "4")
    for _ in range(2):
        driver.answer(*driver.card())
    card = driver.card()
    driver.child.send("q") if card[2] != 0 else driver.child.sendline("q")
    driver.child.expect("2 cards left for today")
    assert driver.finish() == 0
    resumed = Driver("--new", "4")
    ids = []
    while (card := resumed.card()) is not None:
        ids.append(card[0])
        resumed.answer(*card)
    assert resumed.finish() == 0
    assert ids == [r[0] for r in reviews(db_path)][2:]
    assert len(reviews(db_path)) == 4


def test_killing_the_terminal_loses_nothing_acknowledged(db_path):
    driver = Driver("--new", "6")
    acknowledged = []
    for _ in range(3):
        card = driver.card()
        driver.answer(*card)
        acknowledged.append(card[0])
    driver.card()
    driver.child.kill(signal.SIGKILL)
    driver.child.close()
    assert [r[0] for r in reviews(db_path)] == acknowledged
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    resumed = Driver("--new", "6")
    card = resumed.card()
    assert card[0] not in acknowledged
    resumed.child.send("q") if card[2] != 0 else resumed.child.sendline("q")
    resumed.finish()


def test_skip_buries_until_tomorrow(db_path, monkeypatch):
    driver = Driver("--item", "chain-rule")
    driver.card()
    driver.child.send("s")
    driver.child.expect("Skipped chain-rule until 2026-11-26")
    assert driver.finish() == 0
    again = Driver("--item", "chain-rule")
    again.child.expect("Nothing to review now")
    again.finish()
    tomorrow = Driver("--item", "chain-rule", env={"DRILL_NOW": "2026-11-26T09:00:00+00:00"})
    assert tomorrow.card()[0] == "chain-rule"
    tomorrow.child.send("q")
    tomorrow.finish()


def test_non_interactive_input_gets_a_clear_message():
    result = subprocess.run([sys.executable, "-m", "drill", "review"], stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: drill review needs an interactive terminal")


def test_drill_undo_after_the_session(db_path, drill_proc):
    driver = Driver("--item", "chain-rule")
    driver.answer(*driver.card(), grade=5)
    driver.finish()
    result = drill_proc("undo")
    assert result.returncode == 0 and "Undid grade 5 for chain-rule" in result.stdout
    assert reviews(db_path) == []
    again = drill_proc("undo")
    assert again.returncode == 1 and "there is no grade to undo" in again.stderr
