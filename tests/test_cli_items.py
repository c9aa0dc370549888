# The fixed contract: ids and kinds, in the self-check's order.
CONTRACT = [
    ("forward-pass", "numeric"),
    ("relu", "code"),
    ("softmax", "code"),
    ("sigmoid-range", "recall"),
    ("mse", "code"),
    ("hidden-delta", "code"),
    ("chain-rule", "recall"),
    ("learning-rate", "recall"),
    ("one-hot", "code"),
    ("dropout", "code"),
    ("target-network", "recall"),
    ("weight-decay", "numeric"),
]


def test_items_json_lists_the_twelve_in_order(run_json):
    rows = run_json("items", "--json")
    assert [(r["id"], r["kind"]) for r in rows] == CONTRACT
    for row in rows:
        assert row["title"].strip()
        assert row["due"] is None


def test_items_table_shows_every_item(run):
    result = run("items")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == 13
    for (item_id, kind), line in zip(CONTRACT, lines[1:]):
        assert item_id in line and kind in line and "new" in line
