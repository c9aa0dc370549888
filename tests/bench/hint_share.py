"""How often `drill check` explains a typical mistake, and how often it explains it rightly.

Run: python tests/bench/hint_share.py [--seed N ...] [--jobs N] [-v]

Every tests/submissions/<item>/bad_*.py (and tests/submissions/_hints/<item>/bad_*.py) is
checked through drill.checker.check_file, as `drill check ITEM FILE --seed N` would. For each,
EXPECTED below says which known wrong version's HINT it should get (the file stem in the
item's wrong/ folder, or None for no hint) and words the first failure's message must hold.
A report is accurate when its hint is that one (or none, when none is expected) and its
message holds those words. Printed: the share of failing files that got a hint, the share whose
hint and message are accurate, and the share given a hint for a mistake they did not make;
files not in the table are counted and listed as unrated.

To measure another version of drill, put its tree first on the path; its own deck is used:
    git worktree add /tmp/wt-hints b2316e6
    PYTHONPATH=/tmp/wt-hints python tests/bench/hint_share.py
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SUBMISSIONS = ROOT / "tests" / "submissions"
FOLDER_ITEM = {"_broken": "relu"}  # the broken submissions are all relu answers

# file (relative to tests/submissions) -> (expected hint: a wrong/ file stem or None,
#                                          a regular expression the first message must match)
GENERIC = r"gave .* expected"
EXPECTED: dict[str, tuple[str | None, str]] = {
    "_broken/bad_kill_all.py": (None, r"sign opposite"),
    # dropout
    "dropout/bad_binomial_keeps_p.py": ("binomial_keeps_p", r"drop probability"),
    "dropout/bad_eval_copy_scaled.py": ("eval_scaled_too", r"return `x` unchanged"),
    "dropout/bad_eval_returns_none.py": (None, r"returned None"),
    "dropout/bad_float32.py": (None, r"float32"),
    "dropout/bad_in_place.py": ("in_place", r"changed `x` in place"),
    "dropout/bad_mask_cached_per_shape.py": (None, r"same units"),
    "dropout/bad_reseeds_inside.py": (None, r"same units"),
    "dropout/bad_scale_by_p.py": ("divides_by_p", r"x / \(1 - p\)"),
    "dropout/bad_scales_by_p.py": (None, r"x / \(1 - p\)"),
    # hidden-delta
    "hidden-delta/bad_float32.py": (None, r"float32"),
    "hidden-delta/bad_int_output.py": (None, r"int64"),
    "hidden-delta/bad_mask_ge_zero.py": ("mask_ge_zero", r"`z1` is exactly 0"),
    "hidden-delta/bad_mask_in_place.py": (None, r"changed `z1` in place"),
    "hidden-delta/bad_params_reordered.py": (None, r"takes \(delta2, W2, W1, z1\).*hidden_delta\(delta2, W1, W2, z1\)"),
    "hidden-delta/bad_relu_in_place.py": (None, r"changed `z1` in place"),
    "hidden-delta/bad_sign_mask.py": ("sign_mask", r"where `z1` < 0"),
    "hidden-delta/bad_w1_transposed.py": ("w1_transposed", r"raised ValueError"),
    # mse
    "mse/bad_abs.py": ("mean_abs_error", GENERIC),
    "mse/bad_float32.py": (None, r"float32"),
    "mse/bad_grad_by_rows.py": ("divides_by_rows", r"y_pred.size / len\(y_pred\)"),
    "mse/bad_grad_in_place.py": (None, r"changed `y_pred` in place"),
    "mse/bad_half_mse.py": ("half_mse", GENERIC),
    "mse/bad_int_loss.py": (None, r"integer"),
    "mse/bad_len_everywhere.py": ("loss_divides_by_rows", GENERIC),
    "mse/bad_swapped_params.py": (None, r"takes \(y_true, y_pred\).*mse_grad\(y_pred, y_true\)"),
    # one-hot
    "one-hot/bad_bool.py": ("bool_from_comparison", r"\bbool\b"),
    "one-hot/bad_eye_int.py": ("int_dtype", r"int64"),
    "one-hot/bad_flat_index_in_place.py": (None, r"changed `y` in place"),
    "one-hot/bad_float32.py": (None, r"float32"),
    "one-hot/bad_identity_rows.py": (None, GENERIC),
    "one-hot/bad_int_add_at.py": ("int_dtype", r"int64"),
    "one-hot/bad_label_plus_one.py": (None, GENERIC),
    "one-hot/bad_last_row_missed.py": ("loop_stops_early", GENERIC),
    "one-hot/bad_one_based.py": ("one_based_labels", GENERIC),
    # relu
    "relu/bad_backward_ge_zero.py": ("leaks_at_zero", r"`z` is exactly 0"),
    "relu/bad_backward_in_place.py": (None, r"changed `dout` in place"),
    "relu/bad_backward_swapped_args.py": (None, r"takes \(z, dout\).*relu_backward\(dout, z\)"),
    "relu/bad_clip_in_place.py": ("in_place", r"changed `z` in place"),
    "relu/bad_float32.py": (None, r"float32"),
    "relu/bad_heaviside.py": ("leaks_at_zero", r"`z` is exactly 0"),
    "relu/bad_int_output.py": (None, r"int64"),
    "relu/bad_sign.py": ("sign_not_mask", GENERIC),
    # softmax
    "softmax/bad_axis0.py": ("wrong_axis", GENERIC),
    "softmax/bad_clip_logits.py": (None, GENERIC),
    "softmax/bad_exp_in_place.py": ("in_place", r"changed `z` in place"),
    "softmax/bad_float32.py": (None, r"float32"),
    "softmax/bad_log_sum_exp_unshifted.py": ("unshifted_log_sum_exp", GENERIC),
    "softmax/bad_shift_in_place.py": ("in_place", r"changed `z` in place"),
    "softmax/bad_shift_only_when_positive.py": (None, r"nan"),
    "softmax/bad_sum_without_keepdims.py": ("sum_without_keepdims", GENERIC),
    # the hint tests' own submissions (tests/test_hints.py)
    "_hints/dropout/bad_eval_scaled_binomial.py": ("eval_scaled_too", r"return `x` unchanged"),
    "_hints/dropout/bad_ignores_training_binomial.py": (None, r"return `x` unchanged"),
    "_hints/dropout/bad_no_scaling_binomial.py": ("no_scaling", r"not scaled"),
    "_hints/dropout/bad_params_training_first.py": (None, r"takes \(x, training, p\)"),
    "_hints/hidden-delta/bad_swapped_uses_w2.py": (None, r"takes \(delta2, W2, W1, z1\)"),
    "_hints/hidden-delta/bad_swapped_ge_zero.py": ("mask_ge_zero", r"takes \(delta2, W2, W1, z1\)"),
    "_hints/hidden-delta/bad_uses_w1_dot.py": ("uses_w1", r"raised ValueError"),
    "_hints/mse/bad_swapped_synonyms.py": (None, r"takes \(target, prediction\)"),
    "_hints/mse/bad_grad_doubled.py": (None, r"2 times the expected"),
    "_hints/mse/bad_grad_sign_only.py": ("sign_flipped", r"sign opposite"),
    "_hints/mse/bad_rmse_and_no_factor_two.py": ("root_of_mean", GENERIC),
    "_hints/one-hot/bad_bool_eye.py": ("bool_from_comparison", r"\bbool\b"),
    "_hints/one-hot/bad_float32_zeros.py": (None, r"float32"),
    "_hints/one-hot/bad_transposed_eye.py": ("transposed", r"transpose"),
    "_hints/relu/bad_backward_swapped_sign.py": ("sign_not_mask", r"takes \(z, dout\)"),
    "_hints/relu/bad_relu_returns_z.py": (None, r"returned `z` unchanged"),
    "_hints/relu/bad_backward_bool_mask.py": (None, r"\bbool\b"),
    "_hints/softmax/bad_divides_by_max.py": (None, GENERIC),
    "_hints/softmax/bad_shift_in_place.py": ("in_place", r"changed `z` in place"),
    "_hints/hidden-delta/bad_mask_in_place.py": (None, r"changed `z1` in place"),
    "_hints/hidden-delta/bad_returns_transpose.py": (None, r"transpose"),
    "_hints/mse/bad_swapped_names.py": (None, r"takes \(y_true, y_pred\).*mse_grad\(y_pred, y_true\)"),
    "_hints/one-hot/bad_bool_compare.py": ("bool_from_comparison", r"\bbool\b"),
    "_hints/relu/bad_relu_int32.py": (None, r"int32"),
}


def submissions() -> list[tuple[str, str]]:
    """(item id, path relative to tests/submissions) of every bad_*.py file."""
    found = []
    for folder in sorted(p for p in SUBMISSIONS.iterdir() if p.is_dir()):
        groups = sorted(p for p in folder.iterdir() if p.is_dir()) if folder.name == "_hints" else [folder]
        for group in groups:
            item = FOLDER_ITEM.get(group.name, group.name)
            for path in sorted(group.glob("bad_*.py")):
                found.append((item, str(path.relative_to(SUBMISSIONS))))
    return found


def _deck():
    """The deck that belongs to the drill being measured (its tree's decks/ when it has one)."""
    import drill
    from drill import loader

    folder = Path(drill.__file__).resolve().parents[1] / "decks" / "dl_foundations"
    if folder.is_dir():
        return loader.load_deck(folder, builtin=True)
    return loader.load_builtin()


def _hints_of(item) -> dict[str, str]:
    from drill.itemcode import load_deck_module

    texts = {}
    for path in sorted((item.folder / "wrong").glob("*.py")):
        texts[path.stem] = getattr(load_deck_module(item, f"wrong/{path.name}"), "HINT", None)
    return texts


def _run(job: tuple[str, str, int]) -> dict:
    item_id, relative, seed = job
    from drill.checker import check_file

    items = {item.id: item for item in _deck().items}
    item = items[item_id]
    report = check_file(item, SUBMISSIONS / relative, seed)
    failure = report.first_failure
    stem = next((s for s, text in _hints_of(item).items() if text == report.hint), None)
    return {"file": relative, "seed": seed, "passed": report.passed, "hint": report.hint,
            "stem": stem, "message": failure.message if failure else ""}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, action="append", help="seeds to check with (default 11)")
    parser.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1))
    parser.add_argument("-v", "--verbose", action="store_true", help="a line per file")
    args = parser.parse_args()
    seeds = args.seed or [11]
    os.environ.setdefault("DRILL_DB", str(Path(tempfile.mkdtemp()) / "bench.db"))
    jobs = [(item, rel, seed) for item, rel in submissions() for seed in seeds]
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(_run, jobs))

    failing = [r for r in results if not r["passed"]]
    caught = [r for r in failing if r["file"] in EXPECTED]
    unrated = sorted({r["file"] for r in failing if r["file"] not in EXPECTED})
    missed = sorted({r["file"] for r in results if r["passed"]})
    with_hint = [r for r in failing if r["hint"]]
    accurate = []
    for r in caught:
        stem, words = EXPECTED[r["file"]]
        r["ok"] = r["stem"] == stem and (stem is not None or r["hint"] is None) and bool(
            re.search(words, r["message"]))
        if r["ok"]:
            accurate.append(r)
    if args.verbose:
        for r in results:
            mark = "pass" if r["passed"] else ("ok  " if r.get("ok") else "--  " if r["file"] in EXPECTED else "?   ")
            want = EXPECTED.get(r["file"], ("?",))[0]
            print(f"{mark} {r['file']} (seed {r['seed']}): hint {r['stem'] or (r['hint'] and 'other') or '-'}"
                  f" (want {want or '-'})\n       {r['message']}")
        print()
    def share(part, whole):
        return f"{len(part)}/{len(whole)} = {len(part) / len(whole):.0%}" if whole else "n/a"

    import drill

    print(f"drill from {Path(drill.__file__).resolve().parents[1]}, seeds {seeds}")
    print(f"bad submissions checked: {len(results)}, failing: {len(failing)}")
    print(f"got a hint:                 {share(with_hint, failing)}")
    print(f"hint and message accurate:  {share(accurate, caught)} (of the {len(caught)} rated)")
    misleading = [r for r in caught if r["hint"] and r["stem"] != EXPECTED[r["file"]][0]]
    print(f"hint for another mistake:   {share(misleading, caught)}")
    if unrated:
        print(f"unrated (not in EXPECTED): {', '.join(unrated)}")
    if missed:
        print(f"passed although bad: {', '.join(missed)}")


if __name__ == "__main__":
    main()
