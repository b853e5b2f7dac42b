from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import __version__
from desktop.cli import run
from desktop.core.services.ingest import import_paths
from desktop.core.store import head_revision, open_store
from desktop.resources import samples_dir


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def library_db(db_path: Path) -> Path:
    store = open_store(db_path)
    import_paths(store, [samples_dir()])
    store.close()
    return db_path


def test_info_reports_path_schema_and_counts(capsys, library_db):
    code, out, _ = _cli(capsys, "--db", str(library_db), "info", "--json")
    assert code == 0
    info = json.loads(out)
    assert info["path"] == str(library_db)
    assert info["schema_version"] == head_revision()
    assert info["articles"] == len(list(samples_dir().iterdir()))
    assert info["entities"] == 0

    code, out, _ = _cli(capsys, "--db", str(library_db), "info")
    assert code == 0
    assert f"Database:  {library_db}" in out


def test_articles_json_has_the_documented_shape(capsys, library_db):
    code, out, _ = _cli(capsys, "--db", str(library_db), "articles", "--json")
    assert code == 0
    rows = json.loads(out)
    assert rows, "the samples should be listed"
    for row in rows:
        assert set(row) == {"id", "title", "publication", "date", "source", "sha256"}
        assert isinstance(row["id"], int)
        assert len(row["sha256"]) == 64
    assert any("Jaish-e-Mohammed" in r["title"] for r in rows)


def test_articles_show_prints_body(capsys, library_db):
    _, out, _ = _cli(capsys, "--db", str(library_db), "articles", "--json")
    first = json.loads(out)[0]
    code, out, _ = _cli(capsys, "--db", str(library_db), "articles", "show", str(first["id"]))
    assert code == 0
    assert first["sha256"] in out
    code, out, _ = _cli(
        capsys, "--db", str(library_db), "articles", "show", str(first["id"]), "--json"
    )
    detail = json.loads(out)
    assert detail["id"] == first["id"]
    assert detail["body"]


def test_unknown_article_is_a_clear_error_on_stderr(capsys, library_db):
    code, out, err = _cli(capsys, "--db", str(library_db), "articles", "show", "999")
    assert code == 1
    assert out == ""
    assert "no article with id 999" in err
    assert "Traceback" not in err


def test_empty_library_says_how_to_start(capsys, db_path):
    code, out, _ = _cli(capsys, "--db", str(db_path), "articles")
    assert code == 0
    assert "dossier-desk import" in out
    code, out, _ = _cli(capsys, "--db", str(db_path), "articles", "--json")
    assert json.loads(out) == []


def test_env_variable_chooses_the_database(capsys, tmp_path, monkeypatch):
    chosen = tmp_path / "from-env.sqlite"
    monkeypatch.setenv("DOSSIER_DESK_DB", str(chosen))
    code, out, _ = _cli(capsys, "info", "--json")
    assert code == 0
    assert json.loads(out)["path"] == str(chosen)
    assert chosen.exists()


def _subprocess(*argv: str, env_db: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if env_db is not None:
        env["DOSSIER_DESK_DB"] = str(env_db)
    return subprocess.run(
        [sys.executable, "-m", "desktop", *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_end_to_end_version_and_error_without_traceback(tmp_path):
    result = _subprocess("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"dossier-desk {__version__}"

    newer = tmp_path / "newer.sqlite"
    open_store(newer).close()
    import sqlite3

    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff'")
    conn.close()
    result = _subprocess("--db", str(newer), "info")
    assert result.returncode == 1
    assert "newer version of Dossier Desk" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        run(["no-such-verb"])
    assert exc.value.code == 2
