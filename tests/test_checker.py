"""The code-answer checker, with real submission files run in the real sandbox."""

import os
import time
from pathlib import Path

import numpy as np
import pytest

from drill import checker, hints, itemcode, loader, results
from drill.checker import check_file, check_source

SUBMISSIONS = Path(__file__).parent / "submissions"
DECK = loader.load_builtin()
CODE_ITEMS = {item.id: item for item in DECK.items if item.kind == "code"}


def wrong_versions():
    for item in CODE_ITEMS.values():
        for path in sorted((item.folder / "wrong").glob("*.py")):
            yield pytest.param(item.id, path, id=f"{item.id}/{path.stem}")


@pytest.mark.parametrize("item_id", sorted(CODE_ITEMS))
def test_every_item_has_cases_and_wrong_versions(item_id):
    item = CODE_ITEMS[item_id]
    assert (item.folder / "cases.py").is_file()
    assert len(list((item.folder / "wrong").glob("*.py"))) >= 3


@pytest.mark.parametrize("item_id", sorted(CODE_ITEMS))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_passes_in_the_sandbox(item_id, seed):
    item = CODE_ITEMS[item_id]
    report = check_file(item, item.folder / "reference.py", seed)
    assert report.passed, [c for c in report.cases if not c.passed]
    assert report.hint is None


@pytest.mark.parametrize("item_id", sorted(CODE_ITEMS))
def test_reference_passes_its_cases_over_many_seeds(item_id):
    """In-process (trusted code), so hundreds of seeds stay fast."""
    item = CODE_ITEMS[item_id]
    reference = itemcode.load_deck_module(item, "reference.py")
    for seed in range(200):
        cases = itemcode.load_deck_module(item, "cases.py").cases(seed)
        for spec in cases:
            case = itemcode.make_case(0, spec, item)
            expected = []
            for k in range(case.calls):
                args = [a.copy() if isinstance(a, np.ndarray) else a for a in case.args]
                judged = case.judge or case.repeat
                expected.append(None if judged else hints.run_with(np, reference, case, args, case.seed_of(k)))
            ok, _ = hints.passes_in_process(np, reference, case, expected)
            assert ok, (seed, spec["name"])


@pytest.mark.parametrize(("item_id", "path"), list(wrong_versions()))
def test_every_known_wrong_version_fails_with_its_own_hint(item_id, path):
    item = CODE_ITEMS[item_id]
    module = itemcode.load_deck_module(item, f"wrong/{path.name}")
    report = check_file(item, path, seed=7)
    assert not report.passed
    assert report.hint == module.HINT


# Right answers and typical mistakes (tests/submissions/ITEM/ok_*, bad_*) are judged through
# the real `drill check` command in tests/test_check_corpus.py.


def test_starter_for_a_write_item_is_reported_as_not_written_yet():
    item = CODE_ITEMS["relu"]
    report = check_source(item, item.starter, seed=0)
    assert not report.passed
    assert "not written yet" in report.first_failure.message


@pytest.mark.parametrize("item_id", ["softmax", "hidden-delta", "dropout"])
def test_buggy_starter_of_a_fix_item_fails_with_a_hint(item_id):
    item = CODE_ITEMS[item_id]
    report = check_source(item, item.starter, seed=0)
    assert not report.passed
    assert report.hint


def test_unstable_softmax_gets_the_overflow_hint():
    report = check_source(CODE_ITEMS["softmax"], CODE_ITEMS["softmax"].starter, seed=3)
    assert "max" in report.hint
    assert "nan" in report.first_failure.message


def _relu(name):
    return CODE_ITEMS["relu"], SUBMISSIONS / "_broken" / name


# (file, words in the first failure's message, most seconds it may take)
BROKEN = [
    ("loop.py", "did not finish within", 8),
    ("sleep.py", "did not finish within", 8),
    ("numpy_loop.py", "did not finish within", 8),
    ("list_hog.py", "did not finish within|ran out of memory", 8),  # whichever limit comes first
    ("memory_hog.py", "memory", 8),
    ("flood.py", "wrote more than", 8),
    ("sys_exit.py", "sys.exit()", 5),
    ("os_exit.py", "ended the process", 5),
    ("import_crash.py", "importing your code failed", 5),
    ("syntax_error.py", "Python cannot read your code: line", 1),
    ("binary.bin", "not Python source", 1),
    ("recursion.py", "recursed without end", 5),
    ("segfault.py", "segmentation fault", 5),
    ("returns_none.py", "returned None: did you forget `return`?", 5),
    ("returns_list.py", "returned a Python list, expected a NumPy array", 5),
    ("wrong_shape.py", "returned shape", 5),
]


@pytest.mark.parametrize(("name", "words", "limit"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_submissions_fail_with_a_message_naming_what_happened(name, words, limit):
    item, path = _relu(name)
    start = time.monotonic()
    report = check_file(item, path, seed=0)
    took = time.monotonic() - start
    assert not report.passed
    message = report.first_failure.message
    assert any(w in message for w in words.split("|")), message
    assert "\n" not in message
    assert took < limit
    assert all(not c.passed for c in report.cases[:1])


@pytest.mark.parametrize("name", ["prints_a_lot_but_right.py", "reads_files.py", "fork.py", "kills_parent.py"])
def test_noisy_but_right_submissions_pass_and_drill_survives(name):
    item, path = _relu(name)
    report = check_file(item, path, seed=0)
    assert report.passed, [c for c in report.cases if not c.passed]


def test_output_is_captured_and_capped():
    item, path = _relu("flood.py")
    report = check_file(item, path, seed=0)
    assert report.output_truncated
    assert len(report.output) <= results.OUTPUT_SHOWN


def test_no_process_is_left_behind():
    item, path = _relu("fork.py")
    before = _children()
    check_file(item, path, seed=0)
    time.sleep(0.2)
    assert _children() <= before


def _children() -> set:
    me = str(os.getpid())
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().split()
            except OSError:
                continue
            if stat[3] == me and stat[2] != "Z":
                found.add(entry.name)
    return found


def test_same_seed_same_cases_different_seed_different():
    item = CODE_ITEMS["softmax"]
    cases = itemcode.load_deck_module(item, "cases.py").cases
    a, b, c = cases(5), cases(5), cases(6)
    assert [x["name"] for x in a] == [x["name"] for x in b]
    def fingerprint(cases):
        return [(x["name"], np.asarray(x["args"][0]).tobytes()) for x in cases]

    assert fingerprint(a) == fingerprint(b)
    assert fingerprint(a) != fingerprint(c)


def test_non_code_item_is_refused():
    item = next(i for i in DECK.items if i.id == "chain-rule")
    with pytest.raises(checker.CheckError):
        check_source(item, "x = 1\n", seed=0)
