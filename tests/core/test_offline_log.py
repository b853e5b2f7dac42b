"""The log file: where it lives, who can read it, and that it keeps names and
text out unless debug logging is on."""

from __future__ import annotations

import json
import logging
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.cli import run
from desktop.core import logs

# Distinctive strings placed in every user-controlled field.
NAME = "Qorvath Belminsky"
ALIAS = "Belminsky-Qv"
TITLE = "Zephyrine harbour ledger"
BODY_WORD = "Xantheroplex"
NOTE = "Mirrowdale informant"
FILE_STEM = "sourcefile-vkqz"
DOSSIER = "Case Lumbrecht"
SENTINELS = (NAME, ALIAS, TITLE, BODY_WORD, NOTE, FILE_STEM, DOSSIER, "Belminsky")


@pytest.fixture
def log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "logs"
    monkeypatch.setenv("DOSSIER_DESK_LOG_DIR", str(folder))
    monkeypatch.delenv("DOSSIER_DESK_DEBUG", raising=False)
    yield folder
    logs.shutdown_logging()


def _workflow(tmp_path: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> None:
    db = str(tmp_path / f"lib{len(flags)}.sqlite")
    inbox = tmp_path / f"inbox{len(flags)}"
    inbox.mkdir()
    article = inbox / f"{FILE_STEM}.txt"
    article.write_text(
        f"{TITLE}\n\nThe trader {NAME} met officials in Karachi on Monday. "
        f"Records show {NAME} ({ALIAS}) moved funds through {BODY_WORD} Holdings "
        "in Dubai, according to documents seen by reporters.\n",
        encoding="utf-8",
    )
    ref = tmp_path / f"ref{len(flags)}.csv"
    ref.write_text(f"name,type,aliases\n{NAME},PER,{ALIAS}\n", encoding="utf-8")

    def cli(*argv: str) -> str:
        code = run([*flags, "--db", db, *argv])
        out, _ = capsys.readouterr()
        return out if code == 0 else f"exit {code}"

    cli("import-entities", str(ref))
    cli("import", str(inbox))
    entities = json.loads(cli("entities", "--json"))
    ours = [e["id"] for e in entities if "Belminsky" in e["name"]]
    other = next(e["id"] for e in entities if e["id"] not in ours)
    cli("judge", str(ours[0]), str(other), "different", "--note", NOTE)
    if len(ours) > 1:
        cli("merge", *map(str, ours), "--name", NAME)
    d = json.loads(cli("dossier", "create", DOSSIER, "--json"))
    cli("dossier", "add", str(d["id"]), "entity", str(ours[0]))
    cli("dossier", "add", str(d["id"]), "note", NOTE)
    cli("export", str(d["id"]), "--out-dir", str(tmp_path), "--md", "--html")
    # Errors name their file or record: the messages must stay out too.
    assert cli("import", str(inbox / f"{FILE_STEM}-missing.txt")).startswith("exit")
    assert cli("dossier", "show", DOSSIER + " nope").startswith("exit")


def test_log_has_operations_but_no_names_or_text(tmp_path, capsys, log_dir):
    _workflow(tmp_path, capsys)
    path = log_dir / logs.LOG_NAME
    text = path.read_text(encoding="utf-8")
    for word in SENTINELS:
        assert word not in text, f"{word!r} leaked into the log:\n{text}"
    # ...while it does say what happened, with counts and ids.
    assert "cli import: start" in text
    assert "import: 1 files (.txt x 1)" in text
    assert "import: 1 imported, 0 duplicates, 0 failed" in text
    assert "extract: 1 articles" in text
    assert "judge: history #" in text
    assert "export: wrote a .html file" in text
    assert "<private: " in text
    assert "NotFoundError" in text or "Error" in text


def test_debug_logging_includes_the_details(tmp_path, capsys, log_dir):
    _workflow(tmp_path, capsys, "--debug")
    text = (log_dir / logs.LOG_NAME).read_text(encoding="utf-8")
    assert FILE_STEM in text  # the failed import names its file
    assert "Belminsky" in text  # the judgement's label names the entity


def test_environment_switch_turns_debug_on(log_dir, monkeypatch):
    monkeypatch.setenv("DOSSIER_DESK_DEBUG", "1")
    path = logs.setup_logging(debug=False)
    logging.getLogger("desktop.test").info("value %s", logs.private(NAME))
    assert NAME in path.read_text(encoding="utf-8")
    monkeypatch.setenv("DOSSIER_DESK_DEBUG", "0")
    logs.setup_logging(debug=False)
    logging.getLogger("desktop.test").info("again %s", logs.private(NAME))
    assert "again <private: 17 chars>" in path.read_text(encoding="utf-8")


def test_log_file_is_private_and_rotates(log_dir, monkeypatch):
    monkeypatch.setattr(logs, "MAX_BYTES", 2000)
    path = logs.setup_logging()
    assert path == log_dir / "dossier-desk.log"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(log_dir.stat().st_mode) == 0o700
    log = logging.getLogger("desktop.test")
    for i in range(200):
        log.info("line %d of a long run", i)
    rotated = sorted(p.name for p in log_dir.iterdir())
    assert rotated == [
        "dossier-desk.log",
        "dossier-desk.log.1",
        "dossier-desk.log.2",
        "dossier-desk.log.3",
    ]
    for p in log_dir.iterdir():
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p


def test_library_loggers_stay_out_without_debug(log_dir):
    path = logs.setup_logging()
    # trafilatura and friends may log the text they are parsing.
    logging.getLogger("trafilatura").error("parsing %s", BODY_WORD)
    logging.getLogger("desktop.x").info("ours")
    text = path.read_text(encoding="utf-8")
    assert BODY_WORD not in text
    assert "ours" in text


def test_default_location_is_the_user_log_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("DOSSIER_DESK_LOG_DIR", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    try:
        path = logs.setup_logging()
    finally:
        logs.shutdown_logging()
    assert path.is_relative_to(tmp_path / "state")
    assert path.name == "dossier-desk.log"


def test_no_log_call_formats_user_text_directly():
    """A static check over the source: log calls pass names and text through
    private() or file_facts(), never in an f-string or with a bare title."""
    import re

    root = Path(__file__).resolve().parents[2] / "desktop"
    offenders = []
    call = re.compile(r"\blog(?:ger)?\.(?:debug|info|warning|error|exception|critical)\(\s*f[\"']")
    for src in root.rglob("*.py"):
        for n, line in enumerate(src.read_text(encoding="utf-8").splitlines(), 1):
            if call.search(line):
                offenders.append(f"{src.relative_to(root)}:{n}: {line.strip()}")
    assert offenders == []
