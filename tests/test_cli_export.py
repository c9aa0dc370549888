"""`drill export`: the command line around the exporters."""

import zipfile

import pytest


def test_export_anki_writes_a_package_and_says_so(run, tmp_path):
    out = tmp_path / "dl.apkg"
    result = run("export", "anki", "-o", str(out), "--variants", "3")
    assert result.exit_code == 0, result.output
    # 12 notes; the two numeric items carry 3 variant cards each: 10 + 2 * 3 cards.
    assert result.stdout.strip() == f"Wrote 12 notes (16 cards) to {out}."
    assert "collection.anki2" in zipfile.ZipFile(out).namelist()


def test_export_anki_selected_items(run, tmp_path):
    out = tmp_path / "two.apkg"
    result = run("export", "anki", "-o", str(out), "--items", "relu,weight-decay", "--variants", "4")
    assert result.exit_code == 0, result.output
    assert "Wrote 2 notes (5 cards)" in result.stdout


@pytest.mark.parametrize(
    "args, code, words",
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
