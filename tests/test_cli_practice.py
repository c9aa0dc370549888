"""`drill practice` in a real pseudo-terminal: typed answers, a hint and another try on typos."""

import os

import pytest

from tests.terminal_kit import finish, spawn_drill, without_size


def spawn(*args):
    return spawn_drill("practice", *args, env=dict(os.environ, COLUMNS="100"))


# A practice session, step by step: (what drill shows, what the learner then types or None).
DIALOGUES = [
    pytest.param("forward-pass", [("What does the network output", None), ("Your answer: ", "two"),
                                  ("is not a number", None), ("Try again", None),
                                  ("Your answer: ", "2"), ("✓ Right.", None),
                                  ("Worked solution:", None), ("dead", None)],
                 id="right answer after a typo"),
    pytest.param("weight-decay", [("Your answer: ", "1 - 0.01"),
                                  ("✗ Not quite: you gave 0.99, expected 0.9999.", None),
                                  ("Answer: 0.9999", None)],
                 id="wrong answer shows the worked solution"),
    pytest.param("weight-decay", [("Your answer: ", "1 - 0.01*0.01"), ("✓ Right.", None)],
                 id="arithmetic is accepted"),
    # seed 0 is the concept question itself
    pytest.param("chain-rule", [("Press Enter to see the answer", ""), ("Key insight:", None)],
                 id="recall item reveals on enter"),
    pytest.param("forward-pass", [("Your answer: ", "[2,")] * 3 + [("Answer: 2", None)],
                 id="three typos end with the answer not a crash"),
]


@pytest.mark.parametrize(("item_id", "steps"), DIALOGUES)
def test_a_practice_session_in_a_terminal(item_id, steps):
    child = spawn(item_id, "--seed", "0")
    for shown, typed in steps:
        child.expect(shown)
        if typed is not None:
            child.sendline(typed)
    assert finish(child) == 0
    assert "Traceback" not in child.before


def test_practice_does_not_touch_the_schedule(run, run_json):
    result = run("practice", "forward-pass", "--seed", "0", input="2\n")
    assert result.exit_code == 0
    assert "✓ Right." in result.output
    assert run_json("status", "--json") == {"due": 0, "new": 12, "reviewed_today": 0, "items": 12}


def spawn_sized(width, *args):
    """`drill practice` in a pseudo-terminal `width` columns wide, without COLUMNS."""
    return spawn_drill("practice", *args, env=without_size(), dimensions=(40, width))


@pytest.mark.parametrize("width", [60, 100])
@pytest.mark.parametrize(("item_id", "typed"), [("forward-pass", "2"), ("chain-rule", ""),
                                            ("one-hot", "")])
def test_practice_wraps_to_the_terminal_width(width, item_id, typed):
    from drill import loader, render, variants
    from tests.test_cli_show import code_of, display_width

    child = spawn_sized(width, item_id, "--seed", "0")
    child.expect("Your answer: " if item_id == "forward-pass" else "Press Enter[^\n]*")
    session = child.before + child.after
    child.sendline(typed)
    assert finish(child) == 0
    session = (session + child.before).replace("\r\n", "\n")
    item = next(i for i in loader.load_builtin().items if i.id == item_id)
    variant = variants.make(item, 0)
    kept = {line.rstrip() for line in code_of(item_id).splitlines()}
    for line in session.splitlines():
        assert display_width(line) <= width or line.rstrip() in kept, line
    words = " ".join(session.split())
    for part in (render.prompt_text(item, variant), render.solution_text(item, variant)):
        assert " ".join(part.split()) in words


def test_practice_piped_is_not_wrapped(run):
    from drill import loader, render, variants

    result = run("practice", "chain-rule", "--seed", "0", input="\n", env={"COLUMNS": None})
    item = next(i for i in loader.load_builtin().items if i.id == "chain-rule")
    variant = variants.make(item, 0)
    assert render.prompt_text(item, variant) in result.output
    assert render.solution_text(item, variant) in result.output
    assert max(len(line) for line in result.output.splitlines()) > 100
