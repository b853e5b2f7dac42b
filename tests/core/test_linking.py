"""Linking and the extraction services, through a real database."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from desktop.cli import run
from desktop.core import models as m
from desktop.core.ingest import RawArticle
from desktop.core.linking import AliasIndex, matching_candidates
from desktop.core.names import alias_key
from desktop.core.services.extraction import extract_articles, relink
from desktop.core.services.ingest import store_article
from desktop.core.services.library import article_mentions, list_entities
from desktop.core.store import Store

pytestmark = pytest.mark.both_backends

ART1 = (
    "Muzaffarabad: Police said two men had trained with Lashkar-e-Taiba (LeT) near "
    "Rawalakot. One of them, Naji Zaheer, had met Maulana Masood Azhar of "
    "Jaish-e-Mohammed (JeM). Zaheer denied it."
)
ART2 = (
    "Bahawalpur: Supporters of Jaish-e-Muhammad gathered in Bahawalpur. Masood Azhar "
    "did not appear. LeT was not mentioned."
)


def add(store: Store, body: str) -> int:
    article_id, _ = store_article(
        store, RawArticle(body=body, original=body.encode(), format="txt")
    )
    return article_id


def mentions(store: Store, article_id: int) -> dict[str, list]:  # type: ignore[type-arg]
    out: dict[str, list] = {}  # type: ignore[type-arg]
    for mi in article_mentions(store, article_id):
        out.setdefault(mi.text, []).append(mi)
    return out


def entity_of(store: Store, name: str) -> int:
    with store.session() as s:
        row = s.exec(select(m.Alias).where(m.Alias.key == alias_key(name))).first()
        assert row is not None, name
        return row.entity_id


def test_new_entities_then_exact_links_then_fuzzy_suggestions(store: Store) -> None:
    a1, a2 = add(store, ART1), add(store, ART2)
    report = extract_articles(store, [a1])
    assert report.articles == 1
    assert report.new_entities >= 5
    first = mentions(store, a1)
    assert first["Zaheer"][0].entity_id == first["Naji Zaheer"][0].entity_id
    assert first["Zaheer"][0].method == "coref"
    assert {mi.status for ms in first.values() for mi in ms} == {"linked"}
    let = first["Lashkar-e-Taiba"][0].entity_id
    assert first["LeT"][0].entity_id == let
    with store.session() as s:
        azhar = s.get(m.Mention, first["Masood Azhar"][0].id)
        assert azhar.title == "Maulana"
        assert s.get(m.Entity, azhar.entity_id).name == "Masood Azhar"

    extract_articles(store, [a2])
    second = mentions(store, a2)
    # Exact name -> linked; defined-elsewhere acronym (weak alias) -> linked.
    assert second["Masood Azhar"][0].entity_id == first["Masood Azhar"][0].entity_id
    assert second["Masood Azhar"][0].status == "linked"
    assert second["LeT"][0].entity_id == let
    # A transliteration variant -> a suggestion with score and reason.
    jem = second["Jaish-e-Muhammad"][0]
    assert jem.entity_id == first["Jaish-e-Mohammed"][0].entity_id
    assert jem.status == "suggested"
    with store.session() as s:
        reason = s.get(m.Mention, jem.id).reason
    assert "transliteration" in reason
    assert "score" in reason


def test_reextraction_keeps_what_the_user_decided(store: Store) -> None:
    a1 = add(store, ART1)
    extract_articles(store, [a1])
    before = mentions(store, a1)
    keep_confirmed = before["Naji Zaheer"][0]
    keep_rejected = before["Rawalakot"][0]
    with store.session() as s:
        s.get(m.Mention, keep_confirmed.id).status = m.MentionStatus.CONFIRMED
        s.get(m.Mention, keep_rejected.id).status = m.MentionStatus.REJECTED
        s.add(
            m.Mention(
                article_id=a1,
                start=0,
                end=12,
                text="Muzaffarabad",
                type="LOC",
                method=m.MentionMethod.MANUAL,
                status=m.MentionStatus.CONFIRMED,
            )
        )
        judged = before["Masood Azhar"][0]
        s.add(m.Judgement(a_id=judged.entity_id, mention_id=judged.id, verdict="different"))
        evidence = before["Lashkar-e-Taiba"][0]
        s.add(
            m.Relation(
                subject_id=evidence.entity_id,
                predicate="based in",
                object_id=judged.entity_id,
                evidence_mention_id=evidence.id,
            )
        )
    extract_articles(store, [a1])
    after = mentions(store, a1)
    ids = {mi.id for ms in after.values() for mi in ms}
    assert judged.id in ids
    assert evidence.id in ids
    assert keep_confirmed.id in ids
    assert keep_rejected.id in ids
    assert [mi.status for mi in after["Rawalakot"]] == ["rejected"]
    assert [mi.method for mi in after["Muzaffarabad"]] == ["manual"]
    # No duplicate spans.
    spans = [(mi.start, mi.end) for ms in after.values() for mi in ms]
    assert len(spans) == len(set(spans))


def test_not_an_entity_is_never_proposed_again(store: Store) -> None:
    a1 = add(store, ART1)
    with store.session() as s:
        s.add(m.NotEntity(key=alias_key("Rawalakot"), text="Rawalakot"))
    extract_articles(store, [a1])
    assert "Rawalakot" not in mentions(store, a1)


def test_merged_entities_are_followed_and_never_targets(store: Store) -> None:
    a1, a2 = add(store, ART1), add(store, ART2)
    extract_articles(store, [a1])
    old = entity_of(store, "Masood Azhar")
    with store.session() as s:
        live = m.Entity(name="Maulana Masood Azhar Alvi", type="PER")
        s.add(live)
        s.flush()
        s.get(m.Entity, old).merged_into_id = live.id
        live_id = live.id
    extract_articles(store, [a2])
    assert mentions(store, a2)["Masood Azhar"][0].entity_id == live_id
    assert old not in {e.id for e in list_entities(store)}


def test_confirmed_alias_feeds_the_gazetteer_and_relink_redoes_affected_articles(
    store: Store,
) -> None:
    a1, a2 = add(store, ART1), add(store, ART2)
    extract_articles(store, [a1, a2])
    let = entity_of(store, "Lashkar-e-Taiba")
    with store.session() as s:
        s.add(
            m.Alias(
                entity_id=let,
                name="Lashkar",
                key=alias_key("Lashkar"),
                kind=m.AliasKind.WEAK_ALIAS,
                confirmed=True,
            )
        )
    a3 = add(store, "Quetta: The Lashkar has no presence here, officials said.")
    report = relink(store, names=["Lashkar"])
    # Only the articles containing the new alias (ART1 and the new one).
    assert report.articles == 2
    got = mentions(store, a3)["Lashkar"][0]
    assert got.entity_id == let
    assert got.method == "gazetteer"


def test_default_finder_refuses_a_distinguishing_token() -> None:
    idx = AliasIndex()
    idx.add_entity(1, "Lashkar-e-Taiba", "ORG")
    idx.add_alias(1, "Lashkar-e-Taiba", alias_key("Lashkar-e-Taiba"))
    idx.add_entity(2, "Masood Azhar", "PER")
    idx.add_alias(2, "Masood Azhar", alias_key("Masood Azhar"))
    assert matching_candidates("Lashkar-e-Jhangvi", "ORG", idx) == []
    assert matching_candidates("Masood Ilyas", "PER", idx) == []
    assert [c.entity_id for c in matching_candidates("Lashkar-i-Tayyiba", "ORG", idx)] == [1]
    assert matching_candidates("Lashkar-i-Tayyiba", "PER", idx) == []


def test_finder_seam_is_used(store: Store) -> None:
    a1 = add(store, ART1)
    calls: list[tuple[str, str]] = []

    def finder(name, type_, index):  # type: ignore[no-untyped-def]
        calls.append((name, type_))
        return []

    extract_articles(store, [a1], finder=finder)
    assert ("Jaish-e-Mohammed", "ORG") in calls


def test_cancel_and_progress(store: Store) -> None:
    ids = [add(store, ART1), add(store, ART2)]
    seen: list[tuple[int, int]] = []
    report = extract_articles(
        store,
        ids,
        batch_size=1,
        progress=lambda d, t, _title: seen.append((d, t)),
        should_cancel=lambda: len(seen) >= 1,
    )
    assert report.cancelled
    assert report.articles == 1
    assert seen == [(1, 2)]


def test_cli_verbs(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    a1 = add(store, ART1)
    db = store.location
    assert run(["--db", db, "extract", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["articles"] == 1
    assert run(["--db", db, "entities", "--json"]) == 0
    entities = json.loads(capsys.readouterr().out)
    assert set(entities[0]) == {"id", "name", "type", "aliases", "mentions", "articles"}
    let = next(e for e in entities if e["name"] == "Lashkar-e-Taiba")
    assert {"name": "LeT", "kind": "weakAlias"} in let["aliases"]
    assert run(["--db", db, "mentions", str(a1), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert set(rows[0]) == {
        "id",
        "start",
        "end",
        "text",
        "type",
        "entity_id",
        "entity_name",
        "method",
        "status",
        "confidence",
    }
    assert run(["--db", db, "relink"]) == 0
    assert "1 articles" in capsys.readouterr().out
    assert run(["--db", db, "mentions", "999"]) == 1
    assert "no article with id 999" in capsys.readouterr().err
    assert run(["--db", db, "entities"]) == 0
    assert "Lashkar-e-Taiba" in capsys.readouterr().out


def test_relink_after_a_merge_redoes_the_articles_of_both_records(store: Store) -> None:
    a1, a2 = add(store, ART1), add(store, ART2)
    add(store, "Kabul: Nothing to see here, officials said.")
    extract_articles(store, [a1, a2])
    jem = entity_of(store, "Jaish-e-Mohammed")
    with store.session() as s:
        variant = s.exec(select(m.Mention).where(m.Mention.text == "Jaish-e-Muhammad")).one()
        variant_entity = m.Entity(name="Jaish-e-Muhammad", type="ORG")
        s.add(variant_entity)
        s.flush()
        variant.entity_id = variant_entity.id
        s.add(
            m.Alias(
                entity_id=variant_entity.id,
                name="Jaish-e-Muhammad",
                key=alias_key("Jaish-e-Muhammad"),
                confirmed=True,
            )
        )
        variant_entity.merged_into_id = jem
        merged_id = variant_entity.id
    report = relink(store, entity_ids=[jem, merged_id])
    assert report.articles == 2
    got = mentions(store, a2)["Jaish-e-Muhammad"][0]
    assert got.entity_id == jem
    assert got.method == "gazetteer"
    assert got.status == "linked"


@pytest.mark.slow
def test_worker_processes_give_the_same_result(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.store import open_store

    bodies = [ART1, ART2, "Quetta: Naji Zaheer was seen in Kandahar. Zaheer left."] * 2
    results = []
    for processes in (1, 2):
        store = open_store(tmp_path / f"p{processes}.sqlite")
        try:
            ids = [add(store, f"{b}\n\nCopy {i}.") for i, b in enumerate(bodies)]
            extract_articles(store, ids, processes=processes, batch_size=2)
            results.append(
                [
                    [(mi.start, mi.end, mi.type, mi.status) for mi in article_mentions(store, a)]
                    for a in ids
                ]
            )
        finally:
            store.close()
    assert results[0] == results[1]


def test_shouted_dateline_gives_the_record_an_ordinary_name(store: Store) -> None:
    a1 = add(store, "QUETTA: Officials in the city said the road was closed for a day.")
    a2 = add(store, "MAZAR-E-SHARIF: Traders in Mazar-e-Sharif said prices had doubled.")
    a3 = add(store, "Two men were later seen in Quetta, officials said.")
    extract_articles(store, [a1, a2, a3])
    names = {e.name for e in list_entities(store)}
    assert "Quetta" in names
    assert "QUETTA" not in names
    assert "Mazar-e-Sharif" in names
    assert "MAZAR-E-SHARIF" not in names
    quetta = entity_of(store, "QUETTA")
    assert mentions(store, a1)["QUETTA"][0].entity_id == quetta  # the surface is kept
    assert mentions(store, a3)["Quetta"][0].entity_id == quetta


def test_an_editors_brackets_stay_in_the_mention_not_the_record(store: Store) -> None:
    a1 = add(store, "I supported Reagan in 1980 and [George W.] Bush in 2000, she said.")
    extract_articles(store, [a1])
    names = {e.name for e in list_entities(store)}
    assert "George W. Bush" in names
    assert not any("[" in n for n in names)
    assert "[George W.] Bush" in mentions(store, a1)  # the surface is kept


def test_shouted_acronym_of_an_organisation_keeps_its_case(store: Store) -> None:
    a1 = add(store, "Officials blamed UNICEF staff and the NATO mission for the delay.")
    extract_articles(store, [a1])
    names = {e.name for e in list_entities(store)}
    assert "UNICEF" in names


def test_finder_never_offers_a_longer_different_name_around_this_one() -> None:
    idx = AliasIndex()
    for eid, name, type_ in [
        (1, "Gaza City", "LOC"),
        (2, "US Senate", "ORG"),
        (3, "Aung San Suu Kyi", "PER"),
        (4, "Donald Trump", "PER"),
        (5, "Gaza Strip", "LOC"),
    ]:
        idx.add_entity(eid, name, type_)
        idx.add_alias(eid, name, alias_key(name))
    # "Gaza" scores 82 against "Gaza City" ("same name plus 'city'"): another place.
    assert 1 not in [c.entity_id for c in matching_candidates("Gaza", "LOC", idx)]
    assert matching_candidates("US", "MISC", idx) == []
    assert matching_candidates("Aung San", "PER", idx) == []


def test_finder_never_offers_the_place_a_city_is_named_after() -> None:
    idx = AliasIndex()
    for eid, name, type_ in [(1, "Mexico", "LOC"), (2, "Swat", "LOC"), (3, "Kuwait", "LOC")]:
        idx.add_entity(eid, name, type_)
        idx.add_alias(eid, name, alias_key(name))
    assert 1 not in [c.entity_id for c in matching_candidates("Mexico City", "LOC", idx)]
    assert 3 not in [c.entity_id for c in matching_candidates("Kuwait City", "MISC", idx)]
    # A district is named for the place it is: still offered.
    assert 2 in [c.entity_id for c in matching_candidates("Swat District", "LOC", idx)]
