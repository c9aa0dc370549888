"""Deck loading: the built-in deck, and a table of broken decks reported as file:line."""

import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drill import loader, trust, variants
from drill.errors import DeckError
from drill.loader import DeckProblems

GOOD_ITEM = textwrap.dedent(
    """\
    id = "double"
    kind = "numeric"
    title = "Double it"
    tags = ["math::basics"]
    prompt = '''What is \\(2 \\cdot 3\\)?'''
    answer = "6"
    explanation = "Two threes make six."
    insight = "Multiplication is repeated addition."
    value = 6
    """
)
GOOD_CODE_ITEM = textwrap.dedent(
    """\
    id = "square"
    kind = "code"
    title = "Square"
    tags = ["math::code"]
    prompt = "Write square(x)."
    answer = "x * x"
    explanation = "Multiply x by itself."
    insight = "Squares are products."
    task = "write"
    functions = ["square"]
    """
)


def write_deck(root: Path) -> Path:
    deck = root / "mydeck"
    (deck / "01-double").mkdir(parents=True)
    (deck / "02-square").mkdir()
    (deck / "deck.toml").write_text('name = "mine"\ntitle = "My deck"\ndescription = "Mine."\n')
    (deck / "01-double" / "item.toml").write_text(GOOD_ITEM)
    (deck / "02-square" / "item.toml").write_text(GOOD_CODE_ITEM)
    (deck / "02-square" / "starter.py").write_text("def square(x):\n    raise NotImplementedError\n")
    (deck / "02-square" / "reference.py").write_text(
        "def square(x):\n    return x * x\n\nEXAMPLES = [('square', (3,), 9)]\n"
    )
    return deck


@pytest.fixture
def deck_dir(tmp_path):
    return write_deck(tmp_path)


def trusted(deck):
    """Let this process run a deck's code as it is now (as trusting it in the collection does)."""
    loader.allow_code(deck.folder, deck.name, trust.scan(deck.folder).hashes())
    return deck


def test_builtin_deck_loads_with_twelve_items():
    deck = loader.load_builtin()
    assert deck.name == "dl_foundations"
    assert len(deck.items) == 12
    assert [i.position for i in deck.items] == list(range(1, 13))


def test_builtin_deck_code_runs_clean():
    deck = loader.load_builtin()
    assert loader.validate(deck, seeds=range(50)) == []


def test_a_good_deck_loads(deck_dir):
    deck = trusted(loader.load_deck(deck_dir))
    assert [i.id for i in deck.items] == ["double", "square"]
    assert variants.make(deck.items[0], 0).answer == 6.0
    assert loader.validate(deck) == []


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new))


# (what to break, file relative to the deck, line, words in the message)
BROKEN = [
    ("missing insight", lambda d: _replace(d / "01-double/item.toml", 'insight = "Multiplication is repeated addition."\n', ""),
     "01-double/item.toml", 1, "missing field 'insight'"),
    ("missing id", lambda d: _replace(d / "01-double/item.toml", 'id = "double"\n', ""),
     "01-double/item.toml", 1, "missing field 'id'"),
    ("empty title", lambda d: _replace(d / "01-double/item.toml", '"Double it"', '""'),
     "01-double/item.toml", 3, "field 'title' must be non-empty text"),
    ("title not text", lambda d: _replace(d / "01-double/item.toml", '"Double it"', "42"),
     "01-double/item.toml", 3, "field 'title' must be non-empty text"),
    ("unknown kind", lambda d: _replace(d / "01-double/item.toml", '"numeric"', '"essay"'),
     "01-double/item.toml", 2, "unknown kind 'essay'"),
    ("bad id", lambda d: _replace(d / "01-double/item.toml", '"double"', '"Double It"'),
     "01-double/item.toml", 1, "may use only lowercase"),
    ("tags not a list", lambda d: _replace(d / "01-double/item.toml", '["math::basics"]', '"math"'),
     "01-double/item.toml", 4, "field 'tags' must be a list"),
    ("tag with a space", lambda d: _replace(d / "01-double/item.toml", '"math::basics"', '"math basics"'),
     "01-double/item.toml", 4, "without spaces"),
    ("unknown field", lambda d: _replace(d / "01-double/item.toml", "value = 6\n", "value = 6\ncolour = 'red'\n"),
     "01-double/item.toml", 10, "unknown field 'colour'"),
    ("bad TOML", lambda d: _replace(d / "01-double/item.toml", 'answer = "6"', 'answer = "6'),
     "01-double/item.toml", 6, "not valid TOML"),
    ("value not a number", lambda d: _replace(d / "01-double/item.toml", "value = 6", 'value = "six"'),
     "01-double/item.toml", 9, "field 'value' must be a number"),
    ("ragged matrix value", lambda d: _replace(d / "01-double/item.toml", "value = 6", "value = [[1, 2], [3]]"),
     "01-double/item.toml", 9, "field 'value' must be a number"),
    ("numeric without value", lambda d: _replace(d / "01-double/item.toml", "value = 6\n", ""),
     "01-double/item.toml", 1, "needs a 'value' field or a variants.py"),
    ("bad tolerance", lambda d: _replace(d / "01-double/item.toml", "value = 6", "value = 6\ntolerance = { rtol = -1 }"),
     "01-double/item.toml", 10, "tolerance rtol must be a number >= 0"),
    ("duplicate id", lambda d: _replace(d / "02-square/item.toml", '"square"\nkind', '"double"\nkind'),
     "02-square/item.toml", 1, "duplicate id 'double'"),
    ("unknown task", lambda d: _replace(d / "02-square/item.toml", '"write"', '"draw"'),
     "02-square/item.toml", 9, "task must be 'write' or 'fix'"),
    ("functions empty", lambda d: _replace(d / "02-square/item.toml", '["square"]', "[]"),
     "02-square/item.toml", 10, "must list the function names"),
    ("task on a numeric item", lambda d: _replace(d / "01-double/item.toml", "value = 6", 'value = 6\ntask = "fix"'),
     "01-double/item.toml", 10, "only for code items"),
    ("starter missing", lambda d: (d / "02-square/starter.py").unlink(),
     "02-square", 1, "needs a starter.py"),
    ("reference syntax error", lambda d: (d / "02-square/reference.py").write_text("def square(x):\n    return x *\n"),
     "02-square/reference.py", 2, "Python syntax error"),
    ("reference misses a function", lambda d: (d / "02-square/reference.py").write_text("def cube(x):\n    return x ** 3\n"),
     "02-square/reference.py", 1, "does not define square()"),
    ("item folder without item.toml", lambda d: (d / "03-empty").mkdir(),
     "03-empty", 1, "needs an item.toml"),
    ("deck.toml missing", lambda d: (d / "deck.toml").unlink(),
     "deck.toml", 1, "file not found"),
    ("deck name bad", lambda d: _replace(d / "deck.toml", '"mine"', '"My Deck"'),
     "deck.toml", 1, "deck name 'My Deck'"),
    ("deck title missing", lambda d: _replace(d / "deck.toml", 'title = "My deck"\n', ""),
     "deck.toml", 1, "field 'title' must be non-empty text"),
    ("generator syntax error", lambda d: (d / "01-double/variants.py").write_text("def generate(seed)\n    pass\n"),
     "01-double/variants.py", 1, "Python syntax error"),
    ("generator without generate", lambda d: (d / "01-double/variants.py").write_text("def make(seed):\n    pass\n"),
     "01-double/variants.py", 1, "does not define generate()"),
]


@pytest.mark.parametrize(("name", "breaks", "where", "line", "words"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_deck_is_reported_as_file_line(deck_dir, name, breaks, where, line, words):
    breaks(deck_dir)
    with pytest.raises(DeckProblems) as caught:
        loader.load_deck(deck_dir)
    messages = [str(p) for p in caught.value.problems]
    expected_prefix = f"{deck_dir / where}:{line}: "
    assert any(m.startswith(expected_prefix) and words in m for m in messages), messages
    assert "\n" not in str(caught.value)


# Broken deck code is found when the deck is validated (code runs), still as file:line.
BROKEN_CODE = [
    ("generator raises",
     "def generate(seed):\n    x = 1\n    return {'prompt': 'p', 'answer': 1 / (seed - seed), 'solution': 's', 'params': {}}\n",
     "01-double/variants.py", 3, "ZeroDivisionError"),
    ("generator returns a list", "def generate(seed):\n    return [1]\n",
     "01-double/variants.py", 1, "returned list, not a dict"),
    ("generator forgets the solution", "def generate(seed):\n    return {'prompt': 'p', 'answer': 1, 'params': {}}\n",
     "01-double/variants.py", 1, "returned no 'solution'"),
    ("generator gives a NaN answer",
     "def generate(seed):\n    return {'prompt': 'p', 'answer': float('nan'), 'solution': 's', 'params': {}}\n",
     "01-double/variants.py", 1, "'answer' must be a finite number"),
    ("generator params not JSON",
     "def generate(seed):\n    return {'prompt': 'p', 'answer': 1, 'solution': 's', 'params': {'f': object()}}\n",
     "01-double/variants.py", 1, "not plain JSON data"),
    ("generator import fails", "import no_such_module_here\n\ndef generate(seed):\n    return {}\n",
     "01-double/variants.py", 1, "ModuleNotFoundError"),
]


@pytest.mark.parametrize(("name", "source", "where", "line", "words"), BROKEN_CODE, ids=[b[0] for b in BROKEN_CODE])
def test_broken_generator_is_reported_when_validating(deck_dir, name, source, where, line, words):
    (deck_dir / "01-double" / "variants.py").write_text(source)
    deck = trusted(loader.load_deck(deck_dir))
    problems = [str(p) for p in loader.validate(deck)]
    assert any(f"{deck_dir / where}:{line}: " in m and words in m for m in problems), problems


def test_reference_failing_its_examples_is_reported(deck_dir):
    (deck_dir / "02-square" / "reference.py").write_text(
        "def square(x):\n    return x + x\n\nEXAMPLES = [('square', (3,), 9), ('square', (2,), 4)]\n"
    )
    problems = [str(p) for p in loader.validate(trusted(loader.load_deck(deck_dir)))]
    assert len(problems) == 1
    assert "example 1: square(3,) gave 6, expected 9" in problems[0]


def test_reference_raising_is_reported_with_its_line(deck_dir):
    (deck_dir / "02-square" / "reference.py").write_text(
        "def square(x):\n    return x.shape\n\nEXAMPLES = [('square', (3,), 9)]\n"
    )
    problems = [str(p) for p in loader.validate(trusted(loader.load_deck(deck_dir)))]
    assert problems and problems[0].startswith(f"{deck_dir / '02-square/reference.py'}:2: ")
    assert "AttributeError" in problems[0]


def test_not_a_folder(tmp_path):
    with pytest.raises(DeckError, match="is not a folder"):
        loader.load_deck(tmp_path / "nothing")


def test_many_problems_are_all_listed(deck_dir):
    _replace(deck_dir / "01-double/item.toml", '"numeric"', '"essay"')
    (deck_dir / "02-square/starter.py").unlink()
    with pytest.raises(DeckProblems) as caught:
        loader.load_deck(deck_dir)
    assert len(caught.value.problems) == 2
    assert "and 1 more" in str(caught.value)


def test_loading_does_not_run_deck_code(deck_dir, tmp_path):
    marker = tmp_path / "ran"
    (deck_dir / "01-double" / "variants.py").write_text(
        f"open({str(marker)!r}, 'w').close()\n\ndef generate(seed):\n    return {{}}\n"
    )
    loader.load_deck(deck_dir)
    assert not marker.exists()


# -- every built-in generator, through drill's own validation -------------------------------

GENERATED = [i.id for i in loader.load_builtin().items if i.generator is not None]


@pytest.mark.parametrize("item_id", GENERATED)
def test_thousand_seeds_validate_and_are_reproducible(item_id):
    item = next(i for i in loader.load_builtin().items if i.id == item_id)
    first = 0 if item.kind == "numeric" else 1
    made = [variants.make(item, seed) for seed in range(first, first + 1000)]
    assert all(v.mode == "numeric" for v in made)
    assert variants.make(item, first + 17) == made[17]
    distinct = {repr(v.params) for v in made}
    assert len(distinct) >= 19  # the smallest pool (sigmoid values) has 19 questions


# -- fuzzing: whatever an item.toml holds, loading raises DeckError or succeeds --------------

TOML_LINES = st.lists(
    st.one_of(
        st.sampled_from(GOOD_ITEM.splitlines()),
        st.sampled_from(["kind = 3", "tags = [1, 2]", "value = [[1], [2, 3]]", "tolerance = 5",
                         "id = ''", "[table]", "value = nan", "functions = ['x']", "= broken",
                         'prompt = """', "title = []"]),
        st.text(max_size=30),
    ),
    max_size=14,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=TOML_LINES)
def test_fuzzed_item_toml_never_crashes_the_loader(deck_dir, lines):
    (deck_dir / "01-double" / "item.toml").write_text("\n".join(lines), encoding="utf-8")
    try:
        deck = loader.load_deck(deck_dir)
    except DeckError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert deck.items


def test_builtin_python_files_parse_and_define_their_functions():
    """The built-in deck skips these checks at load time (for speed), so they live here."""
    problems = []
    for item in loader.load_builtin().items:
        if item.generator is not None:
            assert loader._python_defines(item.folder / "variants.py", ("generate",), problems)
        for name in ("starter.py", "reference.py"):
            if item.kind == "code":
                assert loader._python_defines(item.folder / name, item.functions, problems)
        for path in (item.folder / "wrong").glob("*.py"):
            assert loader._python_defines(path, item.functions, problems)
    assert problems == []
