from pathlib import Path

with open(Path(__file__).parents[1] / "ran.log", "a") as trace:  # proof, for the tests, that it ran
    trace.write("02-square/reference.py\n")


def square(x):
    return x * x


EXAMPLES = [("square", (3,), 9)]
