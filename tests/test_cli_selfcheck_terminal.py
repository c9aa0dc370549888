"""`drill selfcheck` in a real pseudo-terminal: right, wrong, unfinished, out of time."""

import json
import re
import signal
import sqlite3
import time

import pexpect

from tests.selfcheck_kit import IDS, ITEMS, answers_toml, numeric_answer, typed
from tests.terminal_kit import TerminalSession

KINDS = {item.id: item.kind for item in ITEMS}
QUESTION = re.compile(r"question (\d+) of 12 · ([a-z-]+)")


class Learner(TerminalSession):
    """Takes the self-check in a pseudo-terminal, answering each question as told."""

    command = "selfcheck"
    timeout = 40

    def __init__(self, *args, wrong=(), mode="right"):
        code_wrong = ",".join(i for i in wrong if KINDS[i] == "code")
        super().__init__(*args, env={"FAKE_EDITOR_WRONG": code_wrong}, mode=mode)
        self.wrong = set(wrong)
        self.child.expect(r"Seed (\d+):")
        self.seed = int(self.child.match.group(1))

    def question(self):
        """Wait for the next question; its item id, or None once the results are shown."""
        index = self.child.expect([QUESTION.pattern, "Results:", r"Stopped after \d+ of 12", "Time is up"])
        return self.child.match.group(2) if index == 0 else None

    def answer(self, item_id):
        right = item_id not in self.wrong
        kind = KINDS[item_id]
        if kind == "numeric":
            self.child.expect("Your answer › ")
            self.child.sendline(typed(numeric_answer(item_id, self.seed), right))
            self.child.expect("✓" if right else "✗")
        elif kind == "code":
            self.child.expect("Press Enter to write your answer")
            self.child.send("\r")
            self.child.expect("cases passed")
        else:
            self.child.expect("press Enter to see the model answer")
            self.child.send("\r")
            self.child.expect("Did your answer say")
            self.child.expect("Mark yourself")
            self.child.send("y" if right else "n")
            self.child.expect("Marked right" if right else "Marked missed")


def attempts(db_path):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT id, seed, mode, outcome, score, band, time_limit_s "
                            "FROM selfcheck_attempts ORDER BY id").fetchall()
    finally:
        conn.close()


def results(db_path, attempt_id):
    conn = sqlite3.connect(db_path)
    try:
        return dict(conn.execute("SELECT item_id, correct FROM selfcheck_results WHERE attempt_id = ?",
                                 [attempt_id]).fetchall())
    finally:
        conn.close()


def test_all_twelve_right_is_a_pass(db_path):
    learner = Learner("--seed", "0")
    asked = []
    while (item_id := learner.question()) is not None:
        asked.append(item_id)
        learner.answer(item_id)
    learner.child.expect(r"Score 12 / 12, a pass")
    learner.child.expect("Band: ready")
    assert learner.finish() == 0
    assert asked == IDS  # the seed's order, every item once
    assert attempts(db_path) == [(1, 0, "terminal", "finished", 12, "ready", None)]


def test_misses_are_scored_and_match_the_same_answers_from_a_file(db_path, tmp_path, drill_proc):
    wrong = {"forward-pass", "softmax", "learning-rate", "dropout"}  # numeric, code, concept
    learner = Learner("--seed", "31", wrong=wrong)
    assert learner.seed == 31
    first = learner.question()
    assert first == "forward-pass"
    learner.child.expect("Your answer › ")
    learner.child.sendline("two")  # not a number: a hint and another try, not a miss
    learner.child.expect("is not a number")
    learner.child.expect("Try again")
    learner.answer(first)
    while (item_id := learner.question()) is not None:
        learner.answer(item_id)
    learner.child.expect(r"Score 8 / 12, not a pass")
    learner.child.expect("Band: review")
    for item_id in [i for i in IDS if i in wrong]:  # in the deck's order
        learner.child.expect(f"drill show {item_id}")
    assert learner.finish() == 1
    terminal = results(db_path, 1)
    assert {i for i, ok in terminal.items() if not ok} == wrong
    # The same answers from a file: the same score, question by question.
    path = answers_toml(tmp_path, 31, set(IDS) - wrong)
    data = json.loads(drill_proc("selfcheck", "--answers", str(path), "--json").stdout)
    assert data["score"] == 8
    assert {e["item"]: e["correct"] for e in data["items"]} == {i: bool(ok) for i, ok in terminal.items()}


def test_q_ends_early_unfinished_and_unscored(db_path, drill_proc):
    learner = Learner("--seed", "5")
    for _ in range(3):
        learner.answer(learner.question())
    assert learner.question() == "sigmoid-range"
    learner.child.expect("press Enter to see the model answer")
    learner.child.send("q")
    learner.child.expect("Stopped after 3 of 12 questions")
    learner.child.expect("kept as unfinished")
    assert learner.finish() == 1
    assert attempts(db_path) == [(1, 5, "terminal", "quit", None, None, None)]
    assert results(db_path, 1) == {"forward-pass": 1, "relu": 1, "softmax": 1}
    history = drill_proc("selfcheck", "--history")
    assert "No finished self-check yet (1 unfinished)" in history.stdout
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT COUNT(*) FROM cards WHERE due IS NOT NULL").fetchone() == (0,)


def test_the_time_limit_closes_the_attempt_and_unanswered_questions_are_missed(db_path):
    learner = Learner("--seed", "2", "--time-limit", "0.15")  # nine seconds
    assert "You have 9 seconds" in learner.child.before
    assert learner.question() == "forward-pass"
    learner.child.expect(r"\d:\d\d left")
    learner.answer("forward-pass")
    assert learner.question() == "relu"
    started = time.monotonic()
    learner.child.expect("Press Enter to write your answer")  # and then the learner waits
    learner.child.expect("Time is up", timeout=20)
    assert time.monotonic() - started < 12
    title = next(item.title for item in ITEMS if item.id == "relu")
    learner.child.expect(r"relu +" + re.escape(title) + r" \(not answered\)")
    learner.child.expect(r"Score 1 / 12, not a pass")
    assert learner.finish() == 1
    (row,) = attempts(db_path)
    assert row[3:] == ("timed-out", 1, "redo", 9)
    marks = results(db_path, 1)
    assert len(marks) == 12 and marks["forward-pass"] == 1 and sum(marks.values()) == 1


def test_closing_the_editor_without_saving_is_not_an_answer(db_path):
    learner = Learner("--seed", "0", mode="untouched")
    learner.answer(learner.question())
    assert learner.question() == "relu"
    learner.child.expect("Press Enter to write your answer")
    learner.child.send("\r")
    learner.child.expect("No answer was saved")
    learner.child.send("n")  # count it as missed and go on
    assert learner.question() == "softmax"
    learner.child.expect("Press Enter to write your answer")
    learner.child.send("q")
    learner.child.expect("kept as unfinished")
    learner.finish()
    assert results(db_path, 1) == {"forward-pass": 1, "relu": 0}


def test_ctrl_c_and_a_closed_terminal_keep_the_attempt_as_unfinished(db_path):
    learner = Learner("--seed", "4")
    learner.answer(learner.question())
    learner.question()
    learner.child.expect("Press Enter to write your answer")
    learner.child.sendcontrol("c")
    learner.child.expect("Interrupted")
    assert learner.finish() == 130
    hung = Learner("--seed", "4")
    hung.answer(hung.question())
    hung.question()
    hung.child.expect("Press Enter to write your answer")
    hung.child.kill(signal.SIGHUP)
    hung.child.expect(pexpect.EOF)
    hung.child.close()
    rows = attempts(db_path)
    assert [(r[1], r[3], r[4]) for r in rows] == [(4, "quit", None), (4, "quit", None)]
    assert results(db_path, 2) == {"forward-pass": 1}


def test_a_wrong_number_always_shows_the_right_answer(db_path):
    learner = Learner("--seed", "0")
    assert learner.question() == "forward-pass"
    learner.child.expect("Your answer › ")
    learner.child.sendline("[2, 0]")  # a wrong shape whose message mentions 2 numbers
    learner.child.expect("✗")
    learner.child.expect(r"The answer is 2\.")
    assert learner.question() == "relu"
    learner.child.expect("Press Enter to write your answer")
    learner.child.send("q")
    learner.finish()
    assert results(db_path, 1) == {"forward-pass": 0}
