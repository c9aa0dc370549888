"""Per-grade latency of the review session (next card + record a grade) on a big collection,
against the official Anki backend (`anki` package) doing the same on a collection of the
same size, built in the same run.

    python tests/bench/make_collection.py --db /tmp/big.db      # once
    python tests/bench/session_grade.py --db /tmp/big.db [--grades 300]

Works on a copy of the database, so the original stays as built.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path


def run(db: Path, grades: int) -> dict:
    from drill import session
    from drill.collection import open_collection

    start = time.perf_counter()
    collection = open_collection(db)
    opened = time.perf_counter() - start
    start = time.perf_counter()
    today = session.start(collection, new_limit=0, limit=grades)
    started = time.perf_counter() - start
    times = []
    for n in range(grades):
        t0 = time.perf_counter()
        card = today.next()
        if card is None:
            break
        today.grade(card, 4 if n % 5 else 2, correct=n % 5 != 0, response_ms=5000)
        times.append(time.perf_counter() - t0)
    collection.close()
    return {"open_s": opened, "start_s": started, "per_grade_ms": statistics.median(times) * 1000,
            "p90_ms": sorted(times)[int(len(times) * 0.9)] * 1000, "grades": len(times)}


def run_anki(items: int, grades: int, folder: Path) -> dict:
    """Anki's scheduler on `items` notes, ~90% of them review cards due around today."""
    import random

    from anki.collection import AddNoteRequest, Collection

    col = Collection(str(folder / "anki.anki2"))
    model = col.models.by_name("Basic")
    deck_id = col.decks.id("Bench")
    requests = []
    for n in range(items):
        note = col.new_note(model)
        note["Front"], note["Back"] = f"Question {n}?", "Answer"
        requests.append(AddNoteRequest(note=note, deck_id=deck_id))
    col.add_notes(requests)
    rng, today = random.Random(1), col.sched.today
    rows = []
    for card_id in col.db.list("select id from cards"):
        if rng.random() < 0.1:
            continue
        reps = rng.randint(1, 8)
        interval = min(365, int(6 * 2.5 ** (reps - 2))) if reps > 1 else 1
        rows.append((interval, today + rng.randint(-30, interval), rng.choice(range(1300, 2900, 20)),
                     reps, card_id))
    col.db.executemany("update cards set type=2, queue=2, ivl=?, due=?, factor=?, reps=? where id=?", rows)
    config = col.decks.config_dict_for_deck_id(deck_id)
    config["rev"]["perDay"], config["new"]["perDay"] = 1_000_000, 0
    col.decks.update_config(config)
    col.decks.select(deck_id)
    col.sched.getCard()  # warm up, as drill's session start does
    times = []
    for n in range(grades):
        t0 = time.perf_counter()
        card = col.sched.getCard()
        if card is None:
            break
        card.start_timer()
        col.sched.answerCard(card, 3 if n % 5 else 1)
        times.append(time.perf_counter() - t0)
    col.close()
    return {"per_grade_ms": statistics.median(times) * 1000, "grades": len(times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--grades", type=int, default=300)
    args = parser.parse_args()
    os.environ.setdefault("DRILL_NOW", "2026-11-25T09:00:00+00:00")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "bench.db"
        shutil.copy(args.db, copy)
        import sqlite3

        items = sqlite3.connect(copy).execute("SELECT COUNT(*) FROM items").fetchone()[0]
        result = run(copy, args.grades)
        anki = run_anki(items, args.grades, Path(tmp))
    print(f"drill at {items:,} items: open {result['open_s'] * 1000:.0f} ms, session start "
          f"{result['start_s'] * 1000:.0f} ms, next card + grade: median {result['per_grade_ms']:.2f} ms "
          f"(p90 {result['p90_ms']:.2f} ms) over {result['grades']} grades")
    print(f"anki backend at {items:,} cards: next card + answer: median {anki['per_grade_ms']:.2f} ms; "
          f"drill / anki = {result['per_grade_ms'] / anki['per_grade_ms']:.2f}x")


if __name__ == "__main__":
    main()
