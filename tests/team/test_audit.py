"""Who did what: history entries, judgements, links, dossier changes and imports
carry the researcher (the database role on a server, the OS user for a file)."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from desktop.cli import run
from desktop.core import models as m
from desktop.core.backend.sqlite import os_user
from desktop.core.errors import DatabaseError
from desktop.core.resolver import MergeConflictError
from desktop.core.services import dossiers
from desktop.core.services import resolve as svc
from desktop.core.store import open_store
from tests.core.resolve_helpers import add_article, add_entity, add_mention


@pytest.mark.both_backends
def test_every_change_names_who_made_it(store):
    me = os_user() if store.backend.name == "sqlite" else "dd_super"
    art = add_article(store, "Jaish-e-Mohammed and JeM were named.")
    a = add_entity(store, "Jaish-e-Mohammed", "ORG")
    b = add_entity(store, "JeM", "ORG")
    mention = add_mention(store, art, b, "JeM")
    svc.link_mention(store, mention, a)
    judged = svc.judge(store, a, b, "different", note="two groups")
    dossier = dossiers.create_dossier(store, "Groups")
    dossiers.add_entity(store, dossier.id, a)
    with store.session() as s:
        assert s.get(m.Article, art).imported_by == me
        assert s.get(m.Mention, mention).decided_by == me
        assert s.get(m.Mention, mention).decided_at is not None
        assert {h.actor for h in s.exec(select(m.History))} == {me}
        assert s.exec(select(m.Judgement)).one().actor == me
        assert s.exec(select(m.DossierItem)).one().created_by == me
        assert s.get(m.Dossier, dossier.id).updated_by == me
    svc.undo(store, judged.history_id)
    entries = svc.history(store)
    assert entries[0].actor == me
    assert entries[0].undone_by == me
    (j,) = svc.judgements(store, a)
    assert (j.actor, j.revoked_by, j.verdict) == (me, me, "different")


def test_a_different_judgement_blocks_anothers_merge_naming_who(pg_url, pg_as, capsys):
    owner = open_store(pg_url)
    try:
        a = add_entity(owner, "Hafiz Saeed", "PER")
        b = add_entity(owner, "Hafiz Saeed Khan", "PER")
    finally:
        owner.close()
    alice, bob = open_store(pg_as("alice")), open_store(pg_as("bob"))
    try:
        svc.judge(alice, a, b, "different", note="the IS-K commander, not the LeT founder")
        with pytest.raises(MergeConflictError, match=r"judged different .*by alice on "):
            svc.merge(bob, [a, b])
        with pytest.raises(MergeConflictError, match="by alice"):
            svc.judge(bob, a, b, "same")
        # Bob sees who did what.
        assert [h.actor for h in svc.history(bob)] == ["alice"]
        assert svc.judgements(bob, b)[0].actor == "alice"
    finally:
        alice.close()
        bob.close()
    assert run(["--db", pg_as("bob"), "judgements", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["actor"], row["verdict"], row["revoked_by"]) == ("alice", "different", None)
    assert run(["--db", pg_as("bob"), "history"]) == 0
    assert "alice" in capsys.readouterr().out


def test_a_reader_role_cannot_change_anything_and_is_told(pg_url, pg_as):
    owner = open_store(pg_url)
    try:
        a = add_entity(owner, "Lashkar-e-Taiba", "ORG")
        b = add_entity(owner, "LeT", "ORG")
    finally:
        owner.close()
    carol = open_store(pg_as("carol"))
    try:
        with pytest.raises(DatabaseError, match="role carol may not make this change"):
            svc.merge(carol, [a, b])
        assert svc.history(carol) == []
    finally:
        carol.close()


def test_editors_cannot_delete_judgements_on_the_server(pg_url, pg_as):
    owner = open_store(pg_url)
    try:
        a = add_entity(owner, "Masood Azhar", "PER")
        b = add_entity(owner, "Maulana Masood Azhar", "PER")
    finally:
        owner.close()
    alice = open_store(pg_as("alice"))
    try:
        svc.judge(alice, a, b, "unsure")
        with pytest.raises(DatabaseError, match="may not make this change"), alice.session() as s:
            s.delete(s.exec(select(m.Judgement)).one())
    finally:
        alice.close()


def test_the_exported_dossier_says_who_confirmed_and_imported_on_a_team_library(pg_url, pg_as):
    from desktop.core import dossier as dossier_data
    from desktop.core.services.ingest import import_text
    from desktop.report.text_formats import dossier_markdown

    alice, bob = open_store(pg_as("alice")), open_store(pg_as("bob"))
    try:
        art, _ = import_text(bob, "Masood Azhar spoke in Bahawalpur.", title="Speech")
        a = add_entity(alice, "Masood Azhar", "PER")
        mention = add_mention(alice, art, None, "Masood Azhar")
        svc.link_mention(alice, mention, a)
        data = dossier_data.entity_dossier(alice, a)
        (context,) = data.entity_sections()[0].mentions
        assert context.decided_by == "alice"
        assert data.sources[0].imported_by == "bob"
        assert " by bob. SHA-256" in dossier_markdown(data)
    finally:
        alice.close()
        bob.close()


@pytest.mark.both_backends
def test_one_researchers_dossier_names_nobody(store):
    from desktop.core import dossier as dossier_data

    art = add_article(store, "Masood Azhar spoke in Bahawalpur.")
    a = add_entity(store, "Masood Azhar", "PER")
    mention = add_mention(store, art, None, "Masood Azhar")
    svc.link_mention(store, mention, a)
    data = dossier_data.entity_dossier(store, a)
    assert data.entity_sections()[0].mentions[0].decided_by == ""
    assert data.sources[0].imported_by == ""
