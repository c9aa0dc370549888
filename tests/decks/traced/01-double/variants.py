from pathlib import Path

# Proof, for the tests, that it ran. A generator runs contained, unable to write its own
# folder, so it says so on its output, which drill keeps in $DRILL_DECK_LOG.
try:
    with open(Path(__file__).parents[1] / "ran.log", "a") as trace:
        trace.write("01-double/variants.py\n")
except OSError:
    print("ran: 01-double/variants.py")


def generate(seed):
    n = seed + 3
    return {"prompt": f"What is 2 times {n}?", "answer": 2 * n,
            "solution": f"2 times {n} is {2 * n}.", "params": {"n": n}}
