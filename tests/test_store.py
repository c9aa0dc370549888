import os
import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest

from drill import migrations
from drill.backups import SQLITE_HEADER
from drill.database import backups_dir
from drill.errors import StoreError, UnknownItemError
from drill.store import Store

WHEN = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def _item(item_id, title="A title", prompt="Prompt"):
    return {
        "id": item_id, "kind": "recall", "title": title, "position": 1, "tags": ["t::x"],
        "content": {"prompt": prompt},
    }


@pytest.fixture
def store(db_path):
    s = Store.open(db_path)
    s.sync_items("deck", [_item("a"), _item("b")], WHEN)
    yield s
    s.close()


def test_new_database_is_migrated_with_wal_and_foreign_keys(db_path):
    with Store.open(db_path) as s:
        assert migrations.schema_version(s.conn) == migrations.latest_version()
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert s.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert db_path.read_bytes()[:16] == SQLITE_HEADER


def test_explicit_path_in_missing_folder_is_an_error(tmp_path):
    target = tmp_path / "nope" / "drill.db"
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(target)
    assert not target.parent.exists()


def test_default_location_creates_its_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    with Store.open(None) as s:
        assert s.path == tmp_path / "xdg" / "drill" / "drill.db"
    assert (tmp_path / "xdg" / "drill" / "drill.db").exists()


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(StoreError, match="is a folder"):
        Store.open(tmp_path)


@pytest.mark.parametrize(
    "content",
    [b"hello, this is my shopping list\n", b"\x00" * 100, b"SQLite format 2\x00" + b"x" * 90],
    ids=["text", "zeros", "near-miss-header"],
)
def test_non_sqlite_file_is_refused_and_untouched(db_path, content):
    db_path.write_bytes(content)
    before = os.stat(db_path)
    with pytest.raises(StoreError, match="not a drill database"):
        Store.open(db_path)
    assert db_path.read_bytes() == content
    assert os.stat(db_path).st_mtime_ns == before.st_mtime_ns
    assert not (db_path.parent / (db_path.name + "-wal")).exists()


def test_empty_file_is_treated_as_a_new_database(db_path):
    db_path.write_bytes(b"")
    with Store.open(db_path) as s:
        assert migrations.schema_version(s.conn) == migrations.latest_version()


def test_reopening_is_idempotent(db_path):
    Store.open(db_path).close()
    with Store.open(db_path) as s:
        assert migrations.schema_version(s.conn) == migrations.latest_version()
    assert not backups_dir(db_path).exists()  # nothing to migrate, nothing backed up


def test_a_failed_migration_rolls_back_completely(db_path, monkeypatch):
    broken = migrations.Migration(1, "001_broken.sql", "CREATE TABLE a (x);\nCREATE TABLE a (x);\n")
    monkeypatch.setattr(migrations, "migrations", lambda: (broken,))
    with pytest.raises(StoreError):
        Store.open(db_path)
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0


def test_pending_migration_backs_up_first(db_path, monkeypatch):
    with Store.open(db_path) as s:
        s.sync_items("deck", [_item("a")], WHEN)
    extra = migrations.Migration(
        migrations.latest_version() + 1, "999_extra.sql", "CREATE TABLE extra (x);\n"
    )
    shipped = migrations.migrations()
    monkeypatch.setattr(migrations, "migrations", lambda: (*shipped, extra))
    with Store.open(db_path) as s:
        assert migrations.schema_version(s.conn) == extra.version
    copies = list(backups_dir(db_path).glob("*.db"))
    assert len(copies) == 1
    old = sqlite3.connect(copies[0])
    assert old.execute("PRAGMA user_version").fetchone()[0] == extra.version - 1
    assert old.execute("SELECT id FROM items").fetchall() == [("a",)]


def test_grade_moves_schedule_and_logs_before_and_after(store):
    card = store.grade("a", 5, when=WHEN, seed=3, answer="2", correct=True, response_ms=1500).card
    assert (card.repetitions, card.interval, card.easiness_milli) == (1, 1, 2600)
    assert card.due == date(2026, 11, 26)
    row = store.conn.execute(
        "SELECT day, seed, quality, answer, correct, response_ms, redrill, easiness_before, "
        "interval_before, repetitions_before, due_before, easiness_after, interval_after, "
        "repetitions_after, due_after FROM reviews"
    ).fetchall()
    assert row == [("2026-11-25", 3, 5, "2", 1, 1500, 0, 2500, 0, 0, None, 2600, 1, 1, "2026-11-26")]


def test_redrill_is_logged_but_leaves_the_schedule(store):
    first = store.grade("a", 2, when=WHEN).card
    again = store.grade("a", 4, when=WHEN, redrill=True).card
    assert again == first
    assert store.conn.execute("SELECT COUNT(*) FROM reviews WHERE redrill = 1").fetchone()[0] == 1


def test_lapse_counts_only_for_learned_cards(store):
    store.grade("a", 1, when=WHEN)  # failing a new card is not a lapse
    assert store.card("a").lapses == 0
    store.grade("a", 4, when=WHEN)
    store.grade("a", 0, when=WHEN)
    assert store.card("a").lapses == 1


def test_review_log_is_append_only(store):
    store.grade("a", 4, when=WHEN)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("UPDATE reviews SET quality = 5")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("DELETE FROM reviews")


def test_grade_for_unknown_item_writes_nothing(store):
    with pytest.raises(UnknownItemError):
        store.grade("zzz", 4, when=WHEN)
    assert store.conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 0


def test_bad_quality_rolls_back(store):
    with pytest.raises(ValueError):
        store.grade("a", 9, when=WHEN)
    assert store.conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 0
    assert store.card("a").is_new


def test_grade_is_durable_across_connections(store, db_path):
    store.grade("a", 5, when=WHEN)
    other = sqlite3.connect(db_path)
    assert other.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 1


def test_status_counts(store):
    assert store.status(date(2026, 11, 25)) == {"due": 0, "new": 2, "reviewed_today": 0, "items": 2}
    store.grade("a", 4, when=WHEN)
    store.grade("a", 4, when=WHEN, redrill=True)
    assert store.status(date(2026, 11, 25)) == {"due": 0, "new": 1, "reviewed_today": 1, "items": 2}
    assert store.status(date(2026, 11, 26)) == {"due": 1, "new": 1, "reviewed_today": 0, "items": 2}


def test_sync_keeps_schedule_on_edit_and_retires_removed_items(store):
    store.grade("a", 5, when=WHEN)
    before = store.card("a")
    later = datetime(2026, 12, 1, tzinfo=UTC)
    counts = store.sync_items("deck", [_item("a", prompt="Reworded")], later)
    assert counts == {"added": 0, "changed": 1, "retired": 1, "restored": 0}
    assert store.card("a") == before
    assert [r["id"] for r in store.items()] == ["a"]
    assert store.conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 1
    changed = dict(store.conn.execute("SELECT id, changed_at FROM items").fetchall())
    assert changed["a"].startswith("2026-12-01")
    assert changed["b"].startswith("2026-11-25")
    counts = store.sync_items("deck", [_item("a", prompt="Reworded"), _item("b")], later)
    assert counts == {"added": 0, "changed": 0, "retired": 0, "restored": 1}


def test_sync_refuses_an_id_from_another_deck(store):
    with pytest.raises(StoreError, match="already belongs to deck 'deck'"):
        store.sync_items("other", [_item("a")], WHEN)


def test_read_only_database_gives_a_clear_error(store, db_path):
    store.close()
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, isolation_level=None)
    ro = Store(conn, db_path)
    with pytest.raises(StoreError, match="read-only"):
        ro.grade("a", 4, when=WHEN)
    ro.close()


def test_manual_backup_is_a_full_copy(store, tmp_path):
    store.grade("a", 5, when=WHEN)
    default = store.backup_to()
    explicit = store.backup_to(tmp_path / "copy.db")
    for copy in (default, explicit):
        conn = sqlite3.connect(copy)
        assert conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 1
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert default.parent == backups_dir(store.path)
    with pytest.raises(StoreError, match="already exists"):
        store.backup_to(tmp_path / "copy.db")
    with pytest.raises(StoreError, match="does not exist"):
        store.backup_to(tmp_path / "missing" / "copy.db")
    with pytest.raises(StoreError, match="another file"):
        store.backup_to(store.path)


def test_undo_restores_the_card_and_keeps_the_log(store):
    store.grade("a", 5, when=WHEN)
    after_first = store.card("a")
    store.grade("a", 1, when=WHEN)  # a lapse
    assert store.card("a").lapses == 1
    undone = store.undo_last(WHEN)
    assert undone["item_id"] == "a" and undone["quality"] == 1
    assert store.card("a") == after_first
    assert store.conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 2
    assert store.conn.execute("SELECT COUNT(*) FROM live_reviews").fetchone()[0] == 1
    store.undo_last(WHEN)
    assert store.card("a").is_new
    assert store.undo_last(WHEN) is None
    assert store.status(date(2026, 11, 25))["reviewed_today"] == 0


def test_undoing_a_redrill_leaves_the_schedule(store):
    store.grade("a", 2, when=WHEN)
    card = store.card("a")
    store.grade("a", 4, when=WHEN, redrill=True)
    assert store.undo_last(WHEN)["redrill"] is True
    assert store.card("a") == card


def test_undos_are_append_only(store):
    store.grade("a", 4, when=WHEN)
    store.undo_last(WHEN)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("DELETE FROM undos")


# SQLite files drill must not open: (a table in it, its user_version, words of the refusal).
UNUSABLE = [
    pytest.param("future (x)", migrations.latest_version() + 1, "newer drill", id="newer schema"),
    # another program's file, whatever its user_version
    *[pytest.param("recipes (name TEXT)", version, "another program", id=f"other program's, version {version}")
      for version in (0, 1, 2)],
]


@pytest.mark.parametrize(("table", "version", "refusal"), UNUSABLE)
def test_a_database_drill_cannot_use_is_refused_and_untouched(db_path, table, version, refusal):
    conn = sqlite3.connect(db_path)
    conn.execute(f"CREATE TABLE {table}")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    content = db_path.read_bytes()
    with pytest.raises(StoreError, match=refusal):
        Store.open(db_path)
    assert db_path.read_bytes() == content
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_our_database_carries_drills_application_id(db_path):
    from drill.database import APPLICATION_ID

    Store.open(db_path).close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_undo_restores_which_variant_was_shown_last(store):
    store.grade("a", 4, when=WHEN, seed=0)
    store.grade("a", 4, when=WHEN, seed=17, redrill=True)
    store.undo_last(WHEN)
    assert store.card("a").last_seed == 0
    store.undo_last(WHEN)
    assert store.card("a").last_seed is None


def test_card_active_follows_retirement(store):
    def active(item_id):
        return store.conn.execute("SELECT active FROM cards WHERE item_id = ?", [item_id]).fetchone()[0]

    assert active("a") == 1
    store.sync_items("deck", [_item("a")], WHEN)
    assert active("b") == 0
    assert store.status(date(2026, 11, 25))["items"] == 1
    store.sync_items("deck", [_item("a"), _item("b")], WHEN)
    assert active("b") == 1


def test_a_full_disk_during_a_grade_keeps_the_previous_state_and_says_so(store):
    store.grade("a", 5, when=WHEN)
    before = store.card("a")
    (pages,) = store.conn.execute("PRAGMA page_count").fetchone()
    store.conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "disk is full"
    with pytest.raises(StoreError, match="is full: nothing was lost, but nothing new can be saved"):  # noqa: PT012
        for _ in range(200):  # fill the last free pages until a grade no longer fits
            store.grade("a", 4, when=WHEN, answer="x" * 2000)
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    logged = store.conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0]
    card = store.card("a")
    # The failed grade left nothing behind: the card matches the last grade that landed.
    last = store.conn.execute("SELECT interval_after, repetitions_after FROM reviews "
                              "ORDER BY id DESC LIMIT 1").fetchone()
    assert (card.interval, card.repetitions) == last
    assert logged >= 1 and card.repetitions >= before.repetitions


def test_undoing_grades_out_of_order_leaves_the_card_as_its_log_gives(store):
    older = store.grade("a", 5, when=WHEN).review_id
    store.grade("a", 3, when=WHEN + timedelta(days=1))
    store.undo_last(WHEN, older)  # the older one first: the newer grade stands alone
    assert (store.card("a").repetitions, store.card("a").interval) == (1, 1)
    store.undo_last(WHEN)  # then the newer: nothing is left
    card = store.card("a")
    assert (card.repetitions, card.interval, card.due, card.easiness_milli) == (0, 0, None, 2500)
