"""The server connection: TLS by default off this machine, passwords never from
the command line or the log, and errors a researcher can act on."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop.cli import run
from desktop.core.backend import ServerLocation, parse_location
from desktop.core.backend.postgres import connect_args
from desktop.core.errors import PasswordRequiredError, ServerError
from desktop.core.services import ingest
from desktop.core.services.library import list_articles
from desktop.core.store import open_store


def test_tls_with_a_checked_certificate_is_the_default_off_this_machine():
    remote = parse_location("postgresql://alice@db.desk.example/team")
    assert isinstance(remote, ServerLocation)
    assert connect_args(remote, None)["sslmode"] == "verify-full"
    local = parse_location("postgresql://alice@127.0.0.1/team")
    assert connect_args(local, None)["sslmode"] == "prefer"
    ca = parse_location("postgresql://alice@db.desk.example/team?sslrootcert=/etc/desk/ca.pem")
    args = connect_args(ca, "pw")
    assert (args["sslmode"], args["sslrootcert"], args["password"]) == (
        "verify-full",
        "/etc/desk/ca.pem",
        "pw",
    )


def test_a_server_without_tls_is_named_as_such(pg_as):
    with pytest.raises(ServerError, match="does not offer an encrypted \\(TLS\\) connection"):
        open_store(pg_as("alice") + "?sslmode=require")


def _pgpass(tmp_path: Path, pg_server, role: str, password: str) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / "pgpass"
    path.write_text(f"{pg_server.host}:*:*:{role}:{password}\n")
    path.chmod(0o600)
    return path


def test_wrong_and_missing_passwords_get_clear_messages(
    pg_server, pg_as, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("PGPASSFILE", str(_pgpass(tmp_path, pg_server, "alice", "not-it")))
    with pytest.raises(ServerError, match="refused the password for role alice"):
        open_store(pg_as("alice"))
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    with pytest.raises(PasswordRequiredError, match=r"~/.pgpass \(mode 0600\)"):
        open_store(pg_as("alice"))
    # Not a terminal: no prompt, the same advice, exit 1, no traceback.
    assert run(["--db", pg_as("alice"), "info"]) == 1
    err = capsys.readouterr().err
    assert "asks for a password" in err
    assert "Traceback" not in err


def test_a_password_file_works_and_the_password_is_written_nowhere(
    pg_server, pg_as, tmp_path, monkeypatch, capsys
):
    secret = pg_server.passwords["alice"]
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    monkeypatch.setenv("DOSSIER_DESK_LOG_DIR", str(tmp_path / "logs"))
    pwfile = tmp_path / "alice.pw"
    pwfile.write_text(secret + "\n")
    pwfile.chmod(0o600)
    db = ["--db", pg_as("alice"), "--passphrase-file", str(pwfile)]
    assert run([*db, "--debug", "info"]) == 0
    assert run([*db, "articles", "show", "999"]) == 1
    out, err = capsys.readouterr()
    logs = "".join(p.read_text() for p in (tmp_path / "logs").rglob("*") if p.is_file())
    assert logs
    for where in (out, err, logs):
        assert secret not in where


def test_a_connection_lost_mid_import_keeps_whole_articles_and_a_rerun_finishes(
    pg_url, tmp_path, monkeypatch
):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i in range(6):
        (inbox / f"{i}.txt").write_text(f"Report {i}\n\nPolice in Quetta said {i} men were held.")
    store = open_store(pg_url)
    try:
        real = ingest._store_one
        calls = {"n": 0}

        def store_one_then_lose_the_connection(session, raw):  # type: ignore[no-untyped-def]
            result = real(session, raw)
            calls["n"] += 1
            if calls["n"] == 4:
                # The server ends this connection in the middle of the transaction.
                session.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))
            return result

        monkeypatch.setattr(ingest, "_store_one", store_one_then_lose_the_connection)
        with pytest.raises(ServerError, match="connection to the server was lost"):
            ingest.import_paths(store, [inbox])
        monkeypatch.setattr(ingest, "_store_one", real)
        # The three articles committed before are whole; the fourth is not half there.
        done = list_articles(store)
        assert len(done) == 3
        report = ingest.import_paths(store, [inbox])
        assert len(report.imported) == 3
        assert len(report.duplicates) == 3
        assert not report.failed
        bodies = {a.id: ingest_body(store, a.id) for a in list_articles(store)}
        assert len(bodies) == 6
        assert all(
            re.search(r"Police in Quetta said \d men were held\.", b) for b in bodies.values()
        )
    finally:
        store.close()


def ingest_body(store, article_id):  # type: ignore[no-untyped-def]
    from desktop.core.services.library import get_article

    return get_article(store, article_id).body


@pytest.mark.skipif(shutil.which("strace") is None, reason="needs strace(1)")
def test_no_connection_but_to_the_named_server(pg_server, pg_as, tmp_path):
    """libpq opens its sockets in C, out of sight of Python's audit hooks, so
    the whole CLI run is traced by the kernel's view: every internet socket
    it connects goes to the library server named on the command line."""
    probe = subprocess.run(["strace", "-o", os.devnull, "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("strace cannot trace here (no ptrace permission)")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("Imran Khan met Nawaz Sharif in Lahore on Monday.")
    trace = tmp_path / "trace"
    db = ["--db", pg_as("alice")]
    for step in (["import", str(inbox)], ["extract"], ["entities", "--json"]):
        result = subprocess.run(
            [
                *("strace", "-f", "-e", "trace=connect,sendto", "-o", str(trace), "-ff"),
                *(sys.executable, "-m", "desktop", *db, *step),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, (step, result.stderr[-2000:])
    calls = "".join(p.read_text() for p in tmp_path.glob("trace*"))
    inet = re.findall(r"connect\(\d+, \{sa_family=AF_INET6?, ([^}]*)\}", calls)
    assert inet, "the server connection itself should show in the trace"
    for target in inet:
        assert f"sin_port=htons({pg_server.port})" in target, target
        assert "127.0.0.1" in target, target
