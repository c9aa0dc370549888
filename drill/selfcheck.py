"""The self-check: the built-in deck's 12 items asked as the seed asks them, one point each.

The pass mark is 9 out of 12. Bands: `ready` (9-12), `review` (7-8), `redo` (below 7).

Which version of each item is asked, for a self-check with seed N:
* numeric items (forward pass, weight decay): variant N (variant 0 is the self-check's own);
* code items: their own starter, checked against cases drawn from seed N;
* concept (recall) items: always their own question, never a practice variant; the learner
  marks themselves against the model answer and its key points.

A question is right or wrong. Typed numbers count at the first well-formed answer (text that
is not a number at all is a typo, not an answer); a code answer counts at its first check.

This module marks answers and keeps attempts; the terminal side is drill.selfcheck_ui.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drill import clock, variants
from drill.errors import DrillError
from drill.models import Item, Variant

if TYPE_CHECKING:
    from drill.checker import Report

PASS_MARK = 9
OUTCOMES = ("finished", "timed-out", "quit")  # quit: unfinished, not scored


@dataclass(frozen=True)
class Band:
    name: str
    low: int  # the lowest score in the band
    high: int
    advice: str


BANDS = (
    Band("ready", PASS_MARK, 12,
         "A pass. You are ready to move on to the reinforcement-learning foundations; "
         "keep the daily reviews going so it stays that way."),
    Band("review", 7, PASS_MARK - 1,
         "Close, but not yet a pass. Go back over the topics you missed, then take the "
         "self-check again."),
    Band("redo", 0, 6,
         "Not yet. Work through the deep-learning foundations again before moving on; "
         "the missed questions show where to start."),
)


def band(score: int) -> Band:
    """The band a score out of 12 falls in."""
    for candidate in BANDS:
        if score >= candidate.low:
            return candidate
    return BANDS[-1]


class AnswersFileError(DrillError):
    """An answers file that cannot be marked (nothing is recorded)."""


# -- the questions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """One self-check question: the item, the version asked, and how it is answered."""

    number: int  # 1-12, the seed's order
    item: Item
    variant: Variant
    seed: int  # the attempt's seed: the numeric variant and the code cases

    @property
    def mode(self) -> str:
        """numeric, code or concept."""
        return "concept" if self.item.kind == "recall" else self.item.kind

    @property
    def expected(self) -> str:
        """What a right answer is, as plain text."""
        from drill.mathtext import to_terminal

        if self.mode == "numeric":
            return to_terminal(self.variant.answer_text).strip()
        if self.mode == "code":
            return f"every case of `drill check {self.item.id} FILE --seed {self.seed}` passes"
        return " ".join(to_terminal(self.item.answer).split())


def variant_seed(item: Item, seed: int) -> int:
    """The variant of `item` a self-check with `seed` asks: N for numeric items, else 0."""
    return seed if item.kind == "numeric" else 0


def questions(items: list[Item] | tuple[Item, ...], seed: int) -> list[Question]:
    """The self-check's questions for `seed`, in the deck's order."""
    variants.check_seed(seed)
    return [
        Question(number, item, variants.make(item, variant_seed(item, seed)), seed)
        for number, item in enumerate(items, start=1)
    ]


def fresh_seed() -> int:
    """A seed for a new attempt: short enough to note down."""
    import secrets

    return 1 + secrets.randbelow(9_999)


# -- marks and attempts --------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """The result of one question."""

    item_id: str
    correct: bool
    answered: bool
    given: Any  # the typed text, the code file's path, the learner's own mark; None: unanswered
    expected: str
    detail: str = ""  # why, in a line: the checker's first failure, the numeric verdict

    def as_json(self) -> dict[str, Any]:
        """The mark as in `drill selfcheck --json`'s items."""
        return {"item": self.item_id, "correct": self.correct, "given": self.given,
                "expected": self.expected, "answered": self.answered, "detail": self.detail}


def unanswered(question: Question) -> Mark:
    """A question left unanswered: it counts as missed."""
    return Mark(question.item.id, False, False, None, question.expected, "not answered")


def mark_numeric(question: Question, text: str) -> Mark:
    """Mark a typed number; text that is not a number raises AnswerError (a typo, not a miss)."""
    verdict = variants.check_typed(question.variant, text)
    return Mark(question.item.id, bool(verdict.correct), True, text, question.expected,
                verdict.message)


def mark_code(question: Question, report: Report, given: str) -> Mark:
    """Mark a code answer from its check report."""
    passed = sum(case.passed for case in report.cases)
    if report.passed:
        detail = f"all {passed} cases passed"
    else:
        failure = report.first_failure  # None only for a report without cases
        detail = f"{passed} of {len(report.cases)} cases passed" + (
            f"; first failure: {failure.name}" if failure is not None else "")
    return Mark(question.item.id, report.passed, True, given, question.expected, detail)


def mark_concept(question: Question, correct: bool) -> Mark:
    """The learner's own mark for a concept question."""
    return Mark(question.item.id, bool(correct), True, bool(correct), question.expected,
                "your own mark")


@dataclass
class Attempt:
    """One go at the self-check."""

    seed: int
    mode: str  # terminal or file
    started_at: datetime
    marks: list[Mark] = field(default_factory=list)
    finished_at: datetime | None = None
    seconds: float = 0.0
    outcome: str = "finished"
    source: str | None = None  # the answers file, in file mode
    time_limit_s: float | None = None
    total: int = 12

    @property
    def finished(self) -> bool:
        return self.outcome != "quit"

    @property
    def score(self) -> int:
        return sum(mark.correct for mark in self.marks)

    @property
    def passed(self) -> bool:
        return self.finished and self.score >= PASS_MARK

    @property
    def band(self) -> Band:
        return band(self.score)

    @property
    def missed(self) -> list[str]:
        return [mark.item_id for mark in self.marks if not mark.correct]

    def as_json(self) -> dict[str, Any]:
        """The attempt as `drill selfcheck --json` prints it."""
        scored = self.finished
        return {
            "score": self.score if scored else None,
            "total": self.total,
            "passed": self.passed,
            "band": self.band.name if scored else None,
            "advice": self.band.advice if scored else None,
            "seed": self.seed,
            "items": [mark.as_json() for mark in self.marks],
            "mode": self.mode,
            "outcome": self.outcome,
            "seconds": round(self.seconds, 1),
        }


def start(seed: int, mode: str, *, time_limit_s: float | None = None,
          source: str | None = None) -> Attempt:
    """A new attempt, started now."""
    return Attempt(seed=variants.check_seed(seed), mode=mode, started_at=clock.now(),
                   time_limit_s=time_limit_s, source=source)


def finish(attempt: Attempt, all_questions: list[Question], outcome: str, seconds: float) -> Attempt:
    """Close an attempt: unanswered questions count as missed (unless it was quit)."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    attempt.outcome = outcome
    attempt.finished_at = clock.now()
    attempt.seconds = max(0.0, seconds)
    attempt.total = len(all_questions)
    if outcome != "quit":
        answered = {mark.item_id for mark in attempt.marks}
        attempt.marks += [unanswered(q) for q in all_questions if q.item.id not in answered]
        order = {q.item.id: q.number for q in all_questions}
        attempt.marks.sort(key=lambda mark: order[mark.item_id])
    return attempt


# -- answers files -------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswersFile:
    path: Path
    seed: int | None
    answers: dict[str, Any]


def read_answers_file(path: Path, items: tuple[Item, ...]) -> AnswersFile:
    """Read and validate an answers file (see `drill selfcheck --help`); raise AnswersFileError."""
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError:
        raise AnswersFileError(f"{path} is not UTF-8 text; save it as UTF-8 TOML") from None
    except OSError as exc:
        raise AnswersFileError(f"cannot read {path} ({exc.strerror or exc}); check the path") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AnswersFileError(f"{path} is not valid TOML ({exc}); fix that line and try again") from None
    unknown = sorted(set(data) - {"seed", "answers"})
    if unknown:
        raise AnswersFileError(f"{path}: unknown key {unknown[0]!r}; the file holds an optional "
                               "`seed = N` and an [answers] table")
    seed = data.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)
                             or not 0 <= seed <= variants.MAX_SEED):
        raise AnswersFileError(f"{path}: seed must be a whole number from 0 to {variants.MAX_SEED}, "
                               f"got {seed!r}")
    if "answers" not in data:
        raise AnswersFileError(f"{path} has no [answers] table; add one with a line per item, "
                               'e.g. forward-pass = "2"')
    answers = data["answers"]
    if not isinstance(answers, dict):
        raise AnswersFileError(f"{path}: answers must be a table ([answers]), one line per item")
    by_id = {item.id: item for item in items}
    for item_id, value in answers.items():
        item = by_id.get(item_id)
        if item is None:
            raise AnswersFileError(
                f"{path}: {item_id!r} is not one of the self-check's items; they are: "
                f"{', '.join(by_id)}")
        _check_value(path, item, value)
    return AnswersFile(path, seed, dict(answers))


def _check_value(path: Path, item: Item, value: Any) -> None:
    where = f"{path}: {item.id}"
    if item.kind == "recall":
        if not isinstance(value, bool):
            raise AnswersFileError(f"{where} is a concept question: give your own mark, true or "
                                   f"false (without quotes), not {value!r}")
        return
    if not isinstance(value, str):
        wanted = ('a number in quotes, e.g. "2"' if item.kind == "numeric"
                  else 'the path of your .py file in quotes, e.g. "relu.py"')
        raise AnswersFileError(f"{where}: the answer must be {wanted}, not {value!r}")
    if not value.strip():
        raise AnswersFileError(f"{where}: the answer is empty; write it, or leave the line out "
                               "to count the question as missed")
    if item.kind == "numeric":
        from drill.answer_parse import parse_answer
        from drill.answers import AnswerError

        try:
            parse_answer(value)
        except AnswerError as exc:
            raise AnswersFileError(f"{where}: {str(exc).rstrip('.')}") from None
        return
    code = code_path(path, value)
    if not code.is_file():
        what = ("is a folder" if code.is_dir() else "is not a regular file" if code.exists()
                else "does not exist")
        raise AnswersFileError(f"{where}: the code file {code} {what}; paths are relative to "
                               "the answers file")


def code_path(answers_path: Path, value: str) -> Path:
    """A code answer's file: relative to the answers file, `~` allowed."""
    given = Path(value).expanduser()
    return given if given.is_absolute() else Path(answers_path).parent / given


def mark_answers_file(answers: AnswersFile, seed: int | None, items: tuple[Item, ...], *,
                      check: Callable[[Item, Path, int], Report] | None = None) -> Attempt:
    """Mark every question of an answers file (already validated); return the attempt.

    The seed is the file's own, else `seed`, else 0. `check(item, path, seed)` runs a code
    answer (default: the sandboxed checker).
    """
    import time

    seed = answers.seed if answers.seed is not None else (seed if seed is not None else 0)
    if check is None:
        from drill.checker import check_file

        check = check_file
    began = time.monotonic()
    all_questions = questions(items, seed)
    attempt = start(seed, "file", source=str(answers.path))
    for question in all_questions:
        value = answers.answers.get(question.item.id)
        if value is None:
            continue  # counted as missed by finish()
        if question.mode == "numeric":
            attempt.marks.append(mark_numeric(question, value))
        elif question.mode == "code":
            report = check(question.item, code_path(answers.path, value), seed)
            attempt.marks.append(mark_code(question, report, value))
        else:
            attempt.marks.append(mark_concept(question, value))
    return finish(attempt, all_questions, "finished", time.monotonic() - began)


# -- history -------------------------------------------------------------------------------


def trend(scores: list[int], width: int = 20) -> str:
    """The last `width` scores, oldest first, as text: 6 → 8 → 10."""
    return " → ".join(str(score) for score in scores[-width:])
