"""`drill review` killed with SIGKILL at random points: nothing acknowledged is lost.

Each round plays a random number of cards in a real pseudo-terminal, acknowledging each
grade by its "Saved grade" line, then kills the process: while it waits for a key, right
after a grade key was sent (before the acknowledgement), right after an undo key was sent,
or at a random moment while it starts up. After every kill the database must pass
`PRAGMA integrity_check`, hold exactly the acknowledged grades (plus, at most, the one that
was in flight), and every card must be where its latest grade left it.
"""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from drill import variants
from tests.terminal_kit import TerminalSession
from tests.test_cli_review import ITEMS, PROMPTS, SUBTITLE

KILLS = 55
STARTUP_KILLS = 12
FIRST_DAY = datetime.fromisoformat("2026-11-25T09:00:00+00:00")
DEFAULT_CARD = (2500, 0, 0, None)  # easiness_milli, interval, repetitions, due of a new card
UNDID = re.compile(r"Undid grade (\d) for ([a-z0-9-]+)")


def _seed() -> int:
    return int(os.environ.get("DRILL_CRASH_SEED", random.SystemRandom().randrange(10**6)))


class Review(TerminalSession):
    """One `drill review` process in a pseudo-terminal, played key by key."""

    command = "review"

    def __init__(self, db_path: Path, now: datetime, *args: str):
        super().__init__(*args, env={"DRILL_DB": str(db_path), "DRILL_NOW": now.isoformat()})
        self.child.delaybeforesend = None

    def card(self):
        """Wait for the next card: (item id, seed, prompt index), or None when the session ends."""
        index = self.child.expect([SUBTITLE.pattern, r"Reviewed \d+ card", "Nothing to review now"])
        if index:
            return None
        item_id, seed = self.child.match.group(3), int(self.child.match.group(4))
        kind = self.child.expect(PROMPTS[:3])
        return item_id, seed, kind

    def to_grade_prompt(self, card, rng: random.Random) -> None:
        """Answer the card (right or wrong) and wait for the grade prompt."""
        item_id, seed, kind = card
        if kind == 0:  # numeric: type an answer
            right = rng.random() < 0.7
            text = variants.format_value(variants.make(ITEMS[item_id], seed).answer) if right else "12345"
            self.child.sendline(text)
            self.child.expect("✓" if right else "✗")
        elif kind == 1:  # code: `r` shows the answer without opening an editor
            self.child.send("r")
        else:  # recall
            self.child.send("\r")
        self.child.expect(r"Grade 0-5")

    def kill(self) -> None:
        self.child.kill(signal.SIGKILL)
        self.child.close(force=True)
        assert self.child.signalstatus == signal.SIGKILL or self.child.exitstatus is not None


def live_grades(db_path: Path) -> list[tuple[str, int]]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT item_id, quality FROM live_reviews ORDER BY id").fetchall()
    finally:
        conn.close()


def check_database(db_path: Path, context: str = "") -> None:
    """Integrity is ok and every card is where its latest non-re-drill live grade left it."""
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], context
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == [], context
        assert conn.execute("SELECT COUNT(*) FROM items WHERE id NOT IN (SELECT item_id FROM cards)"
                            ).fetchone() == (0,), f"{context}: an item without a card"
        cards = {row[0]: tuple(row[1:]) for row in conn.execute(
            "SELECT item_id, easiness_milli, interval, repetitions, due FROM cards")}
        latest = {row[0]: tuple(row[1:]) for row in conn.execute(
            """
            SELECT item_id, easiness_after, interval_after, repetitions_after, due_after
            FROM live_reviews r
            WHERE redrill = 0 AND id = (SELECT MAX(id) FROM live_reviews r2
                                        WHERE r2.item_id = r.item_id AND r2.redrill = 0)
            """)}
        for item_id, state in cards.items():
            assert state == latest.get(item_id, DEFAULT_CARD), (
                f"{context}: card {item_id} is {state}, its log says {latest.get(item_id, DEFAULT_CARD)}")
    finally:
        conn.close()


def test_sigkill_at_random_points_loses_nothing_acknowledged(tmp_path):
    seed = _seed()
    rng = random.Random(seed)
    db_path = tmp_path / "drill.db"
    expected: list[tuple[str, int]] = []  # every grade acknowledged on screen and not undone
    day, kills, rounds, landed, started = 0, 0, 0, 0, time.monotonic()
    outcomes = {"idle": 0, "grade in flight": 0, "undo in flight": 0, "startup": 0}
    while kills < KILLS:
        rounds += 1
        assert rounds < 4 * KILLS, f"seed {seed}: too many rounds without a kill"
        if rounds % 4 == 0:
            day += 1  # a new learning day: yesterday's cards fall due
        context = f"seed {seed}, round {rounds}, day {day}"
        review = Review(db_path, FIRST_DAY + timedelta(days=day), "--new", "12")
        if rounds <= 8:  # every kind of kill early on, then at random
            mode = list(outcomes)[rounds % len(outcomes)]
        else:
            mode = rng.choices(list(outcomes), weights=[4, 4, 1, 1])[0]
        in_flight = None  # ("grade", item, quality) or ("undo", item, quality)
        own = 0  # grades this session gave and still stand: `u` takes back only those
        if mode == "startup":
            time.sleep(rng.uniform(0.0, 0.25))  # drill starts up in about 0.15 s
        else:
            ended = False
            for _ in range(rng.randint(0, 4)):
                card = review.card()
                if card is None:
                    ended = True
                    break
                review.to_grade_prompt(card, rng)
                if own and rng.random() < 0.1:  # undo the previous grade, then go on
                    review.child.send("u")
                    review.child.expect(UNDID)
                    undone = (review.child.match.group(2), int(review.child.match.group(1)))
                    assert undone == expected[-1], context
                    expected.pop()
                    own -= 1
                    continue
                quality = rng.randint(0, 5)
                review.child.send(str(quality))
                review.child.expect("Saved grade")
                expected.append((card[0], quality))
                own += 1
            if ended:
                assert review.finish() == 0, context
                day += 1  # today is done
                check_database(db_path, context)
                assert live_grades(db_path) == expected, context
                continue
            card = review.card()
            if card is None:  # the session ended before the kill: nothing to kill
                assert review.finish() == 0, context
                day += 1
                continue
            if mode in ("grade in flight", "undo in flight"):
                review.to_grade_prompt(card, rng)
                if mode == "undo in flight" and own:
                    review.child.send("u")
                    in_flight = ("undo", *expected[-1])
                else:
                    mode = "grade in flight"
                    quality = rng.randint(0, 5)
                    review.child.send(str(quality))
                    in_flight = ("grade", card[0], quality)
                time.sleep(rng.choice([0, 0, rng.uniform(0, 0.05)]))
        review.kill()
        kills += 1
        outcomes[mode] += 1

        check_database(db_path, context)
        live = live_grades(db_path)
        if in_flight and in_flight[0] == "grade" and live == [*expected, in_flight[1:]]:
            expected.append(in_flight[1:])  # it landed whole before the kill
            landed += 1
        elif in_flight and in_flight[0] == "undo" and live == expected[:-1]:
            expected.pop()
            landed += 1
        assert live == expected, f"{context}: {mode}; in flight: {in_flight}"
    # The killed sessions leave a database that the next one opens and carries on with.
    review = Review(db_path, FIRST_DAY + timedelta(days=day), "--new", "12")
    card = review.card()
    if card is not None:
        review.to_grade_prompt(card, rng)
        review.child.send("4")
        review.child.expect("Saved grade")
        expected.append((card[0], 4))
        following = review.card()
        if following is not None:
            review.child.sendline("q") if following[2] == 0 else review.child.send("q")
    assert review.finish() == 0
    check_database(db_path, f"seed {seed}: the last session")
    assert live_grades(db_path) == expected
    doctor = subprocess.run([sys.executable, "-m", "drill", "doctor"], capture_output=True, text=True,
                            env=dict(os.environ, DRILL_DB=str(db_path)), timeout=60)
    assert doctor.returncode == 0 and "healthy" in doctor.stdout, doctor.stdout + doctor.stderr
    conn = sqlite3.connect(db_path)
    logged, undone, redrills = conn.execute(
        "SELECT COUNT(*), (SELECT COUNT(*) FROM undos), SUM(redrill) FROM reviews").fetchone()
    conn.close()
    print(f"seed {seed}: {rounds} rounds, {kills} kills {outcomes}, {day} days, {logged} grades "
          f"logged ({undone} undone, {redrills} re-drills); {landed} in-flight keys landed")
    assert kills >= KILLS and all(outcomes.values()), outcomes
    assert time.monotonic() - started < 240


def test_sigkill_while_a_new_database_is_created(tmp_path):
    """Killed while it creates and migrates a new database, drill opens the file next time."""
    seed = _seed()
    rng = random.Random(seed)
    for round_ in range(STARTUP_KILLS):
        db_path = tmp_path / f"drill-{round_}.db"
        review = Review(db_path, FIRST_DAY, "--new", "12")
        time.sleep(rng.uniform(0.02, 0.2))  # creating and migrating takes about 0.15 s
        review.kill()
        if db_path.exists():  # half-created: no schema at all, or whole migrations only
            conn = sqlite3.connect(db_path)
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            (version,) = conn.execute("PRAGMA user_version").fetchone()
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            conn.close()
            if version == 0:
                assert tables == set(), f"seed {seed}, round {round_}: tables without a version: {tables}"
            else:
                assert {"items", "cards", "reviews", "settings"} <= tables, f"seed {seed}, round {round_}"
                if version >= 2:  # the version that brought the live_reviews view
                    check_database(db_path, f"seed {seed}, round {round_}")
        result = subprocess.run([sys.executable, "-m", "drill", "status"], capture_output=True, text=True,
                                env=dict(os.environ, DRILL_DB=str(db_path)), timeout=60)
        assert result.returncode == 0, f"seed {seed}, round {round_}: {result.stderr}"
        assert result.stdout.startswith("0 due, 12 new, 0 reviewed today"), result.stdout
        check_database(db_path, f"seed {seed}, round {round_}, reopened")
