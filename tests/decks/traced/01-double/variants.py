from pathlib import Path

with open(Path(__file__).parents[1] / "ran.log", "a") as trace:  # proof, for the tests, that it ran
    trace.write("01-double/variants.py\n")


def generate(seed):
    n = seed + 3
    return {"prompt": f"What is 2 times {n}?", "answer": 2 * n,
            "solution": f"2 times {n} is {2 * n}.", "params": {"n": n}}
