"""Small promises of the command line (issue 13): failures on stderr, usage
errors for negative counts, file names that cannot fake lines of the summary,
and extraction workers that leave quietly when their parent is killed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import one_line, run

REPO = Path(__file__).resolve().parents[2]


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = run(list(argv))
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_a_failed_file_is_reported_on_stderr_and_the_summary_on_stdout(capsys, db_path, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("A report\n\nPolice in Kabul said the road was open again.\n", encoding="utf-8")
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    code, out, err = _cli(
        capsys, "--db", str(db_path), "import", "--no-extract", str(good), str(bad)
    )
    assert code == 1
    assert "Imported 1 article, 0 duplicates, 1 failed." in out
    assert "empty.txt" not in out
    assert "failed:" in err
    assert "empty.txt" in err


@pytest.mark.parametrize(
    "argv",
    [
        ("extract", "--jobs", "-1"),
        ("extract", "--jobs", "0"),
        ("relink", "--jobs", "-2"),
        ("suggest", "--limit", "-1"),
        ("suggest", "--limit", "many"),
    ],
)
def test_negative_counts_are_usage_errors(capsys, db_path, argv):
    code, out, err = _cli(capsys, "--db", str(db_path), *argv)
    assert code == 2
    assert f"argument {argv[1]}" in err
    assert "Traceback" not in err
    assert out == ""


def test_a_file_name_with_a_line_break_cannot_fake_summary_lines(capsys, db_path, tmp_path):
    name = "x.txt\nImported 9 articles, 0 duplicates, 0 failed.\n  failed: none.txt"
    evil = tmp_path / name
    evil.write_bytes(b"")  # empty: reported as failed, with its name
    dup = tmp_path / "dup\nImported 5 articles.txt"
    dup.write_text("Kabul report\n\nThe road to Jalalabad was open.\n", encoding="utf-8")
    _cli(capsys, "--db", str(db_path), "import", "--no-extract", str(dup))
    code, out, err = _cli(
        capsys, "--db", str(db_path), "import", "--no-extract", str(evil), str(dup)
    )
    assert code == 1
    lines = out.splitlines() + err.splitlines()
    assert [x for x in lines if x.startswith("Imported")] == [
        "Imported 0 articles, 1 duplicate, 1 failed."
    ]
    assert len([x for x in lines if x.lstrip().startswith("failed:")]) == 1
    assert "x.txt\\nImported 9 articles" in err
    assert "dup\\nImported 5 articles.txt" in out


def test_one_line_escapes_controls_and_keeps_every_script() -> None:
    assert one_line("a\nb\r\tc\x1bd\u2028e\u202ef") == "a\\nb\\r\\tc\\x1bd\\u2028e\\u202ef"
    for text in ("Jaish-e-Mohammed", "لشکر طیبہ", "Zarb-e-Azb — 2014", "ज़ैश"):
        assert one_line(text) == text


def _articles(folder: Path, n: int) -> None:
    folder.mkdir()
    sentence = "Officials in Kabul said Ahmad Shah Massoud and the Taliban met in Quetta. "
    for i in range(n):
        (folder / f"a{i:03}.txt").write_text(
            f"Report {i}\n\n{sentence * 12}Number {i}.\n", encoding="utf-8"
        )


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL and process groups")
def test_workers_orphaned_by_a_kill_leave_quietly(db_path, tmp_path):
    _articles(tmp_path / "arts", 80)
    cli = [sys.executable, "-m", "desktop", "--db", str(db_path)]
    subprocess.run([*cli, "import", "--no-extract", str(tmp_path / "arts")], cwd=REPO, check=True,
                   capture_output=True, timeout=300)  # fmt: skip
    proc = subprocess.Popen(
        [*cli, "extract", "--jobs", "2", "--progress"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    first = proc.stderr.readline()
    assert json.loads(first)["event"] == "extracted", first
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    # The workers share this pipe: it reaches its end only once every one of
    # them has exited, so this also shows that none is left waiting forever.
    rest = proc.stderr.read()
    proc.stderr.close()
    assert "Traceback" not in rest
    assert "Error" not in rest
    assert "leaked" not in rest
    assert all(json.loads(line)["event"] == "extracted" for line in rest.splitlines()), rest
