"""`--db` values: a file path stays a file, a postgresql:// address is a team
library on a server (never a local file under an odd path)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from desktop.cli import run
from desktop.core.backend import ServerLocation, describe, parse_location
from desktop.core.errors import DatabaseError, ServerError
from desktop.core.store import open_store


def test_a_postgresql_address_is_a_server_not_a_file():
    loc = parse_location("postgresql://alice@db.example.org/team")
    assert loc == ServerLocation("db.example.org", 5432, "team", "alice")
    assert str(loc) == "postgresql://alice@db.example.org/team"
    assert not loc.is_loopback
    loc = parse_location("postgres://bob@127.0.0.1:6543/desk?sslmode=require")
    assert isinstance(loc, ServerLocation)
    assert (loc.port, loc.role, loc.is_loopback) == (6543, "bob", True)
    assert dict(loc.options) == {"sslmode": "require"}
    assert str(loc) == "postgresql://bob@127.0.0.1:6543/desk"


def test_file_paths_stay_paths(tmp_path):
    assert parse_location(str(tmp_path / "lib.sqlite")) == tmp_path / "lib.sqlite"
    assert parse_location(tmp_path / "a:b.sqlite") == tmp_path / "a:b.sqlite"
    # SQLAlchemy's spelling: three slashes and a relative path, four for an absolute one.
    assert parse_location("sqlite:////tmp/x.sqlite") == Path("/tmp/x.sqlite")
    assert parse_location("sqlite:///x.sqlite") == Path("x.sqlite")
    assert parse_location("C:\\Users\\me\\lib.sqlite") == Path("C:\\Users\\me\\lib.sqlite")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("mysql://alice@host/team", "not a library Dossier Desk can open"),
        ("postgresql://alice@host", "needs a host and a database"),
        ("postgresql:///team", "needs a host and a database"),
        ("postgresql://alice:s3cret@host/team", "a password in the address"),
    ],
)
def test_bad_addresses_are_refused_with_the_reason(value, expected):
    with pytest.raises(DatabaseError, match=expected) as info:
        parse_location(value)
    assert "s3cret" not in str(info.value)


def test_describe_never_shows_a_password():
    assert "s3cret" not in describe("postgresql://alice:s3cret@host/team")
    assert describe("postgresql://alice@host/team") == "postgresql://alice@host/team"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_server_is_a_clear_error_and_no_local_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    url = f"postgresql://alice@127.0.0.1:{_closed_port()}/team"
    with pytest.raises(ServerError, match="the server is not answering"):
        open_store(url)
    assert list(tmp_path.iterdir()) == []


def test_cli_with_a_server_address_makes_no_file(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    url = f"postgresql://alice@127.0.0.1:{_closed_port()}/team"
    for verb in ("init", "info"):
        assert run(["--db", url, verb]) == 1
        err = capsys.readouterr().err
        assert f"{url}: the server is not answering" in err
        assert "Traceback" not in err
    assert run(["--db", url, "backups"]) == 1
    assert "a team library is backed up on its server" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_the_environment_may_name_a_team_library(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    url = f"postgresql://alice@127.0.0.1:{_closed_port()}/team"
    monkeypatch.setenv("DOSSIER_DESK_DB", url)
    with pytest.raises(ServerError, match="not answering"):
        open_store()
    assert run(["info"]) == 1
    assert f"{url}: the server is not answering" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
