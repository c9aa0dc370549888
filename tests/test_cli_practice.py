"""`drill practice` in a real pseudo-terminal: typed answers, a hint and another try on typos."""

import os
import sys

import pexpect
import pytest


def spawn(*args):
    return pexpect.spawn(
        sys.executable, ["-m", "drill", "practice", *args],
        env=dict(os.environ, COLUMNS="100"), encoding="utf-8", timeout=30,
    )


def test_right_answer_after_a_typo(tmp_path):
    child = spawn("forward-pass", "--seed", "0")
    child.expect("What does the network output")
    child.expect("Your answer: ")
    child.sendline("two")
    child.expect("is not a number")
    child.expect("Try again")
    child.expect("Your answer: ")
    child.sendline("2")
    child.expect("✓ Right.")
    child.expect("Worked solution:")
    child.expect("dead")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_wrong_answer_shows_the_worked_solution(tmp_path):
    child = spawn("weight-decay", "--seed", "0")
    child.expect("Your answer: ")
    child.sendline("1 - 0.01")
    child.expect("✗ Not quite: you gave 0.99, expected 0.9999.")
    child.expect("Answer: 0.9999")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_arithmetic_is_accepted(tmp_path):
    child = spawn("weight-decay", "--seed", "0")
    child.expect("Your answer: ")
    child.sendline("1 - 0.01*0.01")
    child.expect("✓ Right.")
    child.expect(pexpect.EOF)


def test_recall_item_reveals_on_enter(tmp_path):
    child = spawn("chain-rule", "--seed", "0")  # seed 0 is the concept question itself
    child.expect("Press Enter to see the answer")
    child.sendline("")
    child.expect("Key insight:")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_three_typos_end_with_the_answer_not_a_crash(tmp_path):
    child = spawn("forward-pass", "--seed", "0")
    for _ in range(3):
        child.expect("Your answer: ")
        child.sendline("[2,")
    child.expect("Answer: 2")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in child.before


def test_practice_does_not_touch_the_schedule(run, run_json):
    result = run("practice", "forward-pass", "--seed", "0", input="2\n")
    assert result.exit_code == 0
    assert "✓ Right." in result.output
    assert run_json("status", "--json") == {"due": 0, "new": 12, "reviewed_today": 0, "items": 12}


def spawn_sized(width, *args):
    """`drill practice` in a pseudo-terminal `width` columns wide, without COLUMNS."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    return pexpect.spawn(sys.executable, ["-m", "drill", "practice", *args], env=env,
                         dimensions=(40, width), encoding="utf-8", timeout=30)


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
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
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
