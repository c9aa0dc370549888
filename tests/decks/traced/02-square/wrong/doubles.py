from pathlib import Path

with open(Path(__file__).parents[2] / "ran.log", "a") as trace:  # proof, for the tests, that it ran
    trace.write("02-square/wrong/doubles.py\n")

HINT = "x + x doubles x; a square multiplies x by itself."


def square(x):
    return x + x
