"""Two drills on one database at the same time: each grade lands once, nothing is locked out."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from tests.test_crash import DEFAULT_CARD, FIRST_DAY, Review, check_database

GRADES_EACH = 250

WORKER = textwrap.dedent(
    """\
    import os, random, sys, time
    from datetime import datetime, timedelta

    from drill.collection import open_collection

    db, name, seed, count, folder = sys.argv[1:]
    rng = random.Random(int(seed))


    def wait_for(*paths):
        deadline = time.monotonic() + 30
        while not all(os.path.exists(path) for path in paths):
            assert time.monotonic() < deadline, f"waited too long for {paths}"
            time.sleep(0.001)


    wait_for(os.path.join(folder, "start"))  # both open the database at once...
    collection = open_collection(db)
    open(os.path.join(folder, f"ready-{name}"), "w").close()
    wait_for(os.path.join(folder, "ready-a"), os.path.join(folder, "ready-b"))  # ...and grade at once
    items = [item.id for deck in collection.decks.values() for item in deck.items]
    first = datetime.fromisoformat(os.environ["DRILL_NOW"])
    for n in range(int(count)):
        when = first + timedelta(hours=rng.randint(0, 72))  # a few learning days
        collection.store.grade(rng.choice(items), rng.randint(0, 5), when=when, answer=f"{name}:{n}")
        time.sleep(rng.random() / 1000)
    collection.close()
    print(f"{name} graded {count}")
    """
)


def check_chains(db_path: Path) -> None:
    """Each item's grades form one chain: every grade starts from the state the one before
    it left (a lost update would break it); the card ends where its last grade left it."""
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute(
            "SELECT id, item_id, easiness_before, interval_before, repetitions_before, due_before, "
            "easiness_after, interval_after, repetitions_after, due_after, redrill "
            "FROM live_reviews ORDER BY id").fetchall()
    finally:
        conn.close()
    state: dict[str, tuple] = {}
    for row in rows:
        item_id, before, after, redrill = row[1], row[2:6], row[6:10], row[10]
        assert before == state.get(item_id, DEFAULT_CARD), f"review {row[0]} of {item_id} lost an update"
        if not redrill:
            state[item_id] = after
    check_database(db_path)


def run_two_workers(folder: Path, db_path: Path, count: int) -> None:
    """Two processes open `db_path` at the same moment, then grade `count` times each at once;
    both must succeed, and neither may meet a locked database."""
    folder.mkdir(exist_ok=True)
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(db_path), name, str(seed), str(count),
                          str(folder)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name, seed in (("a", 1), ("b", 2))
    ]
    time.sleep(0.3)  # both are waiting, drill imported
    (folder / "start").touch()
    deadline = time.monotonic() + 120
    while any(w.poll() is None for w in workers) and not any(w.poll() for w in workers):
        assert time.monotonic() < deadline, "the workers did not finish in 2 minutes"
        time.sleep(0.01)
    for worker in workers:  # when one failed, the other would wait for it in vain
        if worker.poll() is None:
            worker.kill()
    results = [worker.communicate(timeout=60) for worker in workers]
    for worker, (out, err) in zip(workers, results):
        assert "database is locked" not in err and "is busy" not in err, err
        assert worker.returncode == 0, err
        assert out.strip().endswith(f"graded {count}"), out


def test_two_processes_grading_at_once_lose_nothing(tmp_path):
    from drill.collection import open_collection

    db_path = tmp_path / "drill.db"
    open_collection(db_path).close()
    run_two_workers(tmp_path / "sync", db_path, GRADES_EACH)

    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    answers = [row[0] for row in conn.execute("SELECT answer FROM reviews ORDER BY id")]
    conn.close()
    assert len(answers) == 2 * GRADES_EACH
    assert sorted(answers) == sorted(f"{name}:{n}" for name in "ab" for n in range(GRADES_EACH))
    # The two really graded at once: each one's first grade came before the other's last.
    order = [answer[0] for answer in answers]
    assert order.index("a") < len(order) - 1 - order[::-1].index("b"), "no overlap: the test proves nothing"
    assert order.index("b") < len(order) - 1 - order[::-1].index("a"), "no overlap: the test proves nothing"
    check_chains(db_path)


def test_two_drills_creating_a_new_database_at_once(tmp_path):
    """Two drills started at the same moment on a database that does not exist yet (a first
    `drill review` while a status-bar widget runs `drill status`): both open it and grade."""
    for trial in range(30):
        db_path = tmp_path / f"drill-{trial}.db"
        run_two_workers(tmp_path / f"sync-{trial}", db_path, 10)
        conn = sqlite3.connect(db_path)
        assert conn.execute("SELECT COUNT(*) FROM reviews").fetchone() == (20,)
        conn.close()
        check_chains(db_path)


def test_two_review_sessions_at_once(tmp_path):
    """Two terminals review the same database at once, often the same card: each grade lands once."""
    from drill.collection import open_collection

    rng = random.Random(7)
    db_path = tmp_path / "drill.db"
    open_collection(db_path).close()  # creating it at once is test_two_drills_creating_a_new_database_at_once
    sessions = [Review(db_path, FIRST_DAY, "--new", "12") for _ in range(2)]
    acknowledged = []
    cards = [session.card() for session in sessions]
    for turn in range(16):
        which = turn % 2 if turn < 8 else rng.randrange(2)
        session, card = sessions[which], cards[which]
        if card is None:
            continue
        session.to_grade_prompt(card, rng)
        quality = rng.randint(2, 5)
        session.child.send(str(quality))
        session.child.expect("Saved grade")
        acknowledged.append((card[0], quality))
        cards[which] = session.card()
    for session, card in zip(sessions, cards):
        if card is not None:
            session.child.sendline("q") if card[2] == 0 else session.child.send("q")
        assert session.finish() == 0

    conn = sqlite3.connect(db_path)
    logged = conn.execute("SELECT item_id, quality FROM live_reviews ORDER BY id").fetchall()
    conn.close()
    assert sorted(logged) == sorted(acknowledged)
    assert len(logged) == len(acknowledged) == 16
    assert len({item for item, _ in acknowledged}) < len(acknowledged), "no card was shown to both"
    check_chains(db_path)


def _live(db_path: Path) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT item_id, quality, redrill FROM live_reviews ORDER BY id").fetchall()
    finally:
        conn.close()


def _card(db_path: Path, item_id: str) -> tuple:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT repetitions, interval FROM cards WHERE item_id = ?",
                            [item_id]).fetchone()
    finally:
        conn.close()


def test_a_card_graded_in_two_terminals_moves_its_schedule_once(tmp_path):
    """Both terminals show the same new card; the second grade is a same-day re-drill."""
    from drill.collection import open_collection

    rng = random.Random(3)
    db_path = tmp_path / "drill.db"
    open_collection(db_path).close()
    first, second = Review(db_path, FIRST_DAY, "--new", "1"), Review(db_path, FIRST_DAY, "--new", "1")
    cards = [first.card(), second.card()]
    assert cards[0][0] == cards[1][0], "both terminals show the first new card"
    item_id = cards[0][0]
    for review, card in zip((first, second), cards):
        review.to_grade_prompt(card, rng)
        review.child.send("4")
        review.child.expect("Saved grade 4")
    second.child.expect("graded in another drill")
    for review in (first, second):
        review.child.expect(r"Reviewed \d+ card")
        assert review.finish() == 0
    assert _live(db_path) == [(item_id, 4, 0), (item_id, 4, 1)]
    assert _card(db_path, item_id) == (1, 1), "one repetition, not two in one day"
    check_database(db_path)


def test_undo_in_a_terminal_takes_back_its_own_grade_not_the_other_terminals(tmp_path):
    from drill.collection import open_collection

    rng = random.Random(5)
    db_path = tmp_path / "drill.db"
    open_collection(db_path).close()
    mine = Review(db_path, FIRST_DAY, "--new", "2")  # forward-pass, then relu
    other = Review(db_path, FIRST_DAY, "--item", "sigmoid-range")
    my_card, other_card = mine.card(), other.card()
    assert (my_card[0], other_card[0]) == ("forward-pass", "sigmoid-range")
    mine.to_grade_prompt(my_card, rng)
    mine.child.send("3")
    mine.child.expect("Saved grade 3")
    next_card = mine.card()  # on screen before the other terminal grades
    other.to_grade_prompt(other_card, rng)
    other.child.send("5")
    other.child.expect("Saved grade 5")  # the newest grade in the database is the other's
    mine.child.send("u") if next_card[2] else mine.child.sendline("u")
    mine.child.expect(r"Undid grade (\d) for ([a-z0-9-]+)")
    assert mine.child.match.group(1, 2) == ("3", "forward-pass")
    for review in (mine, other):
        card = review.card()
        if card is not None:
            review.child.sendline("q") if card[2] == 0 else review.child.send("q")
        assert review.finish() == 0
    assert _live(db_path) == [("sigmoid-range", 5, 0)]
    assert _card(db_path, "forward-pass") == (0, 0)
    check_database(db_path)
