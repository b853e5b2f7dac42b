"""Assembling a dossier as plain data."""

from __future__ import annotations

import dataclasses
import json

import pytest

from desktop.core import models as m
from desktop.core.dossier import (
    REDACTED,
    EntitySection,
    Options,
    assemble,
    co_mention_graph,
    entity_dossier,
    to_jsonable,
)
from desktop.core.errors import NotFoundError
from desktop.core.services import dossiers as ds

pytestmark = pytest.mark.both_backends


def _dossier(store, library):  # type: ignore[no-untyped-def]
    d = ds.create_dossier(store, "JeM <draft> & co", author="Desk", marking="CONFIDENTIAL")
    ds.add_heading(store, d.id, "People")
    ds.add_entity(store, d.id, library.entities["azhar"])
    ds.add_entity(store, d.id, library.entities["tehreek"])
    ds.add_excerpt(store, d.id, library.articles[1], 0, 56)
    ds.add_note(store, d.id, "Analyst's remark <i>")
    return d


def test_entity_section_has_everything(store, library):
    d = _dossier(store, library)
    data = assemble(store, d.id)
    azhar = data.entity_sections()[0]
    assert azhar.name == "Masood Azhar"
    assert azhar.type_label == "Person"
    kinds = {g.kind: g.names for g in azhar.aliases}
    assert kinds["alias"] == ["مسعود اظہر", "مسعود أزهر", "Maulana Masood Azhar"]
    assert kinds["weakAlias"] == ["Azhar"]
    # 6 linked mentions; the rejected one (linked to Ilyas) is not Azhar's anyway.
    assert azhar.mention_count == 6
    assert azhar.article_count == 3
    # One quote per sentence: the two Urdu spellings share one sentence.
    assert len(azhar.mentions) == 5
    for c in azhar.mentions:
        assert c.context[c.start : c.end] == c.surface
    lit = {c.context[a:b] for c in azhar.mentions for a, b in c.spans}
    assert lit == {"Masood Azhar", "مسعود اظہر", "مسعود أزهر"}
    both = next(c for c in azhar.mentions if len(c.spans) == 2)
    assert both.context == "مسعود اظہر is also written مسعود أزهر in Arabic reports."
    # Timeline by article date, undated last.
    assert [t.date for t in azhar.timeline] == ["2019-02-15", "2019-05-01", None]
    assert [t.mentions for t in azhar.timeline] == [1, 2, 3]
    # Citations numbered by first use; every cited article is a source.
    assert [t.citation for t in azhar.timeline] == [1, 2, 3]
    assert {s.citation for s in data.sources} == {1, 2, 3}
    rel = azhar.relations[0]
    assert (rel.subject, rel.predicate, rel.object) == (
        "Masood Azhar",
        "founded",
        "Jaish-e-Mohammed",
    )
    assert rel.evidence is not None
    assert rel.evidence.surface == "Masood Azhar"
    co = {c.name: c for c in azhar.co_mentions}
    # Same sentence once ("listed Masood Azhar, the founder of Jaish-e-Mohammed")
    # and a recorded relation, which counts as two.
    assert (co["Jaish-e-Mohammed"].sentences, co["Jaish-e-Mohammed"].relations) == (1, 1)
    assert co["Jaish-e-Mohammed"].weight == 3
    assert co["Jaish-e-Mohammed"].articles == 3
    assert co["Srinagar"].weight == 1
    # Masood Ilyas's rejected mention in article 1 does not count.
    assert co["Masood Ilyas"].sentences == 1
    # Pulwama shares articles with Azhar but never a sentence: no link.
    assert "Pulwama" not in co


def test_sources_carry_provenance(store, library):
    data = assemble(store, _dossier(store, library).id)
    by_article = {s.article_id: s for s in data.sources}
    dawn = by_article[library.articles[0]]
    assert dawn.publication == "Dawn"
    assert dawn.url == "https://www.dawn.com/news/1479596"
    assert len(dawn.sha256) == 64
    hindu = by_article[library.articles[1]]
    assert hindu.url == ""
    assert hindu.file_name == "pulwama-what-we-know.html"
    assert hindu.imported_at.startswith("2026-01-11")


def test_options_limit_and_omit_contexts(store, library):
    d = _dossier(store, library)
    limited = assemble(store, d.id, Options(max_contexts=2)).entity_sections()[0]
    assert len(limited.mentions) == 2
    assert limited.mention_count == 6
    none = assemble(store, d.id, Options(include_contexts=False)).entity_sections()[0]
    assert none.mentions == []
    assert len(none.timeline) == 3


def _strings(value):  # type: ignore[no-untyped-def]
    return json.dumps(value, ensure_ascii=False)


def test_redaction_removes_the_text_everywhere(store, library):
    d = _dossier(store, library)
    data = assemble(store, d.id, Options(redact=("مسعود اظہر", "bahawalpur"), redact_notes=True))
    dumped = _strings(to_jsonable(data))
    assert "مسعود اظہر" not in dumped
    assert "Bahawalpur" not in dumped
    assert "Analyst's remark" not in dumped
    assert REDACTED in dumped
    for c in data.entity_sections()[0].mentions:
        assert c.context[c.start : c.end] == c.surface
    assert "redact" in to_jsonable(data)["options"]
    assert to_jsonable(data)["options"]["redact"] == 2


def test_deleted_article_gives_a_notice_not_a_crash(store, library):
    d = _dossier(store, library)
    ds.add_article(store, d.id, library.articles[1])
    with store.session() as s:
        s.delete(s.get(m.Article, library.articles[1]))
    data = assemble(store, d.id)
    assert len(data.notices) == 2
    assert any("Pulwama attack: what we know" in n for n in data.notices)
    assert library.articles[1] not in {s.article_id for s in data.sources}
    azhar = data.entity_sections()[0]
    assert azhar.mention_count == 5


def test_merged_entity_is_followed(store, library):
    d = ds.create_dossier(store, "D")
    ds.add_entity(store, d.id, library.entities["ilyas"])
    with store.session() as s:
        ilyas = s.get(m.Entity, library.entities["ilyas"])
        ilyas.merged_into_id = library.entities["azhar"]
        s.add(ilyas)
    section = assemble(store, d.id).sections[0]
    assert isinstance(section, EntitySection)
    assert section.name == "Masood Azhar"
    assert "merged into" in section.notices[0]


def test_entity_dossier_and_graph(store, library):
    data = entity_dossier(store, library.entities["jem"], marking="SECRET")
    assert data.dossier_id is None
    assert data.title == "Jaish-e-Mohammed"
    assert data.marking == "SECRET"
    nodes, edges = co_mention_graph(data)
    jem = library.entities["jem"]
    assert nodes[jem][2] is True
    assert edges[tuple(sorted((jem, library.entities["azhar"])))] == 3  # 1 sentence + relation
    with pytest.raises(NotFoundError):
        entity_dossier(store, 12345)


def test_assemble_unknown_dossier(store):
    with pytest.raises(NotFoundError, match="dossier with id 7"):
        assemble(store, 7)


def test_data_is_plain(store, library):
    data = assemble(store, _dossier(store, library).id)
    assert dataclasses.is_dataclass(data)
    json.dumps(to_jsonable(data))
