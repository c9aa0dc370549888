"""`drill export`: the command line around the exporters."""

import re
import zipfile

import pytest


def test_export_anki_writes_a_package_and_says_so(run, tmp_path):
    out = tmp_path / "dl.apkg"
    result = run("export", "anki", "-o", str(out), "--variants", "3")
    assert result.exit_code == 0, result.output
    # 12 notes; the 8 items with variants carry 3 cards each, the other 4 one: 4 + 8 * 3.
    assert result.stdout.strip() == f"Wrote 12 notes (28 cards) to {out}."
    assert "collection.anki2" in zipfile.ZipFile(out).namelist()


def test_export_anki_selected_items(run, tmp_path):
    out = tmp_path / "two.apkg"
    result = run("export", "anki", "-o", str(out), "--items", "relu,weight-decay", "--variants", "4")
    assert result.exit_code == 0, result.output
    assert "Wrote 2 notes (5 cards)" in result.stdout


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["-o", "__TMP__/collection.apkg"], 1, "refusing to write collection.apkg"),
        (["-o", "__TMP__/missing/x.apkg"], 1, "missing"),
        (["-o", "__TMP__/x.apkg", "--items", "nope"], 1, "nope"),
        (["-o", "__TMP__/x.apkg", "--variants", "0"], 2, "Invalid value for '--variants'"),
        (["-o", "__TMP__/x.apkg", "--variants", "21"], 2, "Invalid value for '--variants'"),
        ([], 2, "Missing option '-o'"),
    ],
)
def test_export_anki_bad_arguments(run, tmp_path, args, code, words):
    args = [a.replace("__TMP__", str(tmp_path)) for a in args]
    result = run("export", "anki", *args)
    assert result.exit_code == code, result.output
    assert words in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "collection.apkg").exists()


def test_export_is_the_same_for_the_same_collection(run, tmp_path):
    a, b = tmp_path / "a.apkg", tmp_path / "b.apkg"
    run("export", "anki", "-o", str(a))
    run("export", "anki", "-o", str(b))
    assert a.read_bytes() == b.read_bytes()


def test_export_html_writes_sheets_and_says_so(run, tmp_path):
    out = tmp_path / "sheet.html"
    result = run("export", "html", "-o", str(out), "--seed", "11", "--sheets", "2")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        f"Wrote 2 sheets of 12 questions (seed 11) to {out}; answer key after each sheet.")
    text = out.read_text()
    assert "seed 11" in text and "seed 12" in text and "2026-11-25" in text
    assert "<script" not in text and "http://" not in text and "https://" not in text


def test_export_html_separate_key_and_bad_choices(run, tmp_path):
    out = tmp_path / "sheet.html"
    result = run("export", "html", "-o", str(out), "--seed", "3", "--answers", "separate")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "sheet-key.html").exists()
    assert run("export", "html", "-o", str(out), "--answers", "maybe").exit_code == 2
    assert run("export", "html", "-o", str(out), "--sheets", "51").exit_code == 2
    missing = run("export", "html", "-o", str(tmp_path / "nope" / "s.html"))
    assert missing.exit_code == 1 and "Error:" in missing.output


def test_export_html_selfcheck_writes_the_paper_and_says_so(run, tmp_path):
    out = tmp_path / "selfcheck.html"
    result = run("export", "html", "--selfcheck", "-o", str(out), "--seed", "5")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        f"Wrote 1 self-check paper of 12 questions (seed 5, pass mark 9 of 12) to {out}; "
        "answer list and worked solutions after each paper.")
    text = out.read_text()
    assert "self-check" in text and "2026-11-25 · seed 5" in text
    # the numeric items are variant 5 itself, as `drill selfcheck --seed 5` asks them
    assert "forward-pass · variant 5<" in text and "weight-decay · variant 5<" in text


def test_export_html_selfcheck_draws_a_fresh_seed_and_prints_it(run, tmp_path):
    out = tmp_path / "selfcheck.html"
    result = run("export", "html", "--selfcheck", "-o", str(out))
    assert result.exit_code == 0, result.output
    seed = int(re.search(r"\(seed (\d+), pass mark 9 of 12\)", result.stdout).group(1))
    assert 1 <= seed <= 9999
    assert f"· seed {seed}<" in out.read_text()


def test_export_html_selfcheck_with_its_key_in_a_second_file(run, tmp_path):
    out = tmp_path / "selfcheck.html"
    result = run("export", "html", "--selfcheck", "-o", str(out), "--seed", "0",
                 "--answers", "separate", "--sheets", "2")
    assert result.exit_code == 0, result.output
    key = tmp_path / "selfcheck-key.html"
    assert result.stdout.strip().endswith(f"answer list and worked solutions in {key}.")
    assert "Worked solutions" in key.read_text() and "Worked solutions" not in out.read_text()


def test_export_html_selfcheck_refuses_chosen_items(run, tmp_path):
    out = tmp_path / "selfcheck.html"
    result = run("export", "html", "--selfcheck", "-o", str(out), "--items", "relu")
    assert result.exit_code == 2, result.output
    assert "--items cannot be used with --selfcheck" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
