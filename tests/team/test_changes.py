"""Other researchers' changes are heard: LISTEN/NOTIFY on a team library,
and a reconnect (then a reload, the catch-up) after the server restarts."""

from __future__ import annotations

import select as selectmod
import time

import pytest

from desktop.core.errors import ServerError
from desktop.core.services import resolve as svc
from desktop.core.services.ingest import import_text
from desktop.core.store import open_store
from tests.core.resolve_helpers import add_entity


def _wait_changed(  # type: ignore[no-untyped-def]
    listener, seconds: float = 5.0, until: set[str] | None = None
) -> set[str]:
    """The tables heard changed: the first batch, or (with ``until``) every
    batch until those tables are among them. Each transaction notifies on its
    own, so a batch may hold only part of several transactions' tables."""
    deadline = time.monotonic() + seconds
    seen: set[str] = set()
    while time.monotonic() < deadline:
        ready, _, _ = selectmod.select([listener.fileno()], [], [], 0.2)
        if ready:
            seen |= listener.changed()
            if seen and (until is None or until <= seen):
                return seen
    return seen


def test_a_file_has_no_one_else_to_listen_to(db_path):
    store = open_store(db_path)
    try:
        assert store.backend.listener() is None
    finally:
        store.close()


def test_an_import_and_a_judgement_by_bob_are_heard_by_alice(pg_as):
    alice, bob = open_store(pg_as("alice")), open_store(pg_as("bob"))
    listener = alice.backend.listener()
    try:
        assert listener.changed() == set()
        import_text(bob, "Imran Khan spoke in Lahore.", title="Rally")
        assert "article" in _wait_changed(listener)
        a = add_entity(bob, "Hafiz Saeed", "PER")
        b = add_entity(bob, "Hafiz Saeed Khan", "PER")
        _wait_changed(listener, until={"entity", "alias"})
        svc.judge(bob, a, b, "different")
        assert {"judgement", "history"} <= _wait_changed(listener, until={"judgement", "history"})
    finally:
        listener.close()
        alice.close()
        bob.close()


def test_after_a_server_restart_the_listener_says_so_and_reconnects(pg_server, pg_as):
    alice, bob = open_store(pg_as("alice")), open_store(pg_as("bob"))
    listener = alice.backend.listener()
    try:
        pg_server.stop("fast")

        def listen_until_it_fails() -> None:
            for _ in range(50):
                selectmod.select([listener.fileno()], [], [], 0.1)
                listener.changed()

        with pytest.raises(ServerError, match=r"connection to the server was lost|not answering"):
            listen_until_it_fails()
        with pytest.raises(ServerError, match="not answering"):
            listener.reconnect()
        pg_server.start()
        listener.reconnect()
        import_text(bob, "Nawaz Sharif spoke in Quetta.", title="Speech")
        assert "article" in _wait_changed(listener)
    finally:
        if not pg_server.running():
            pg_server.start()
        listener.close()
        alice.close()
        bob.close()
