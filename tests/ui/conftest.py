"""A small annotated library for the window tests, built with the models
directly (extraction and linking are not part of these tests)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop.core import models as m
from desktop.core.store import Store

BODY_1 = (
    "New Delhi: Investigators tied the attack near Pulwama to Jaish-e-Mohammed (JeM).\n"
    "The charge sheet names Masood Azhar as the man who approved it. "
    "Azhar denied any role.\n"
    "JeM is listed as a terrorist organisation by the United Nations."
)
BODY_2 = (
    "Lahore: A court heard that Lashkar-e-Taiba (LeT) raised funds through charities.\n"
    "Hafiz Muhammad Saeed did not attend. Jaish-e-Muhammad was not mentioned in court, "
    "nor was Masood Azhar."
)
BODY_3 = "A quiet week in Srinagar: no arrests were reported by the police."


@dataclass
class Library:
    store: Store
    articles: dict[str, int]
    entities: dict[str, int]
    mentions: dict[str, int]


def _mention(
    s, article: m.Article, surface: str, entity: m.Entity | None, status: str, nth: int = 0
):  # type: ignore[no-untyped-def]
    start = -1
    for _ in range(nth + 1):
        start = article.body.index(surface, start + 1)
    mention = m.Mention(
        article_id=article.id,
        start=start,
        end=start + len(surface),
        text=surface,
        type=entity.type if entity else "PER",
        entity_id=entity.id if entity else None,
        method=m.MentionMethod.MANUAL,
        status=status,
    )
    s.add(mention)
    s.flush()
    return mention


@pytest.fixture
def library(store: Store) -> Library:
    C, S, R = m.MentionStatus.CONFIRMED, m.MentionStatus.SUGGESTED, m.MentionStatus.REJECTED
    with store.session() as s:
        a1 = m.Article(
            title="Inquiry links convoy attack to JeM",
            publication="The Daily Ledger",
            published=dt.date(2019, 3, 1),
            body=BODY_1,
            sha256="1" * 64,
            source_path="/tmp/a1.txt",
        )
        a2 = m.Article(
            title="Court hears evidence on charity fronts",
            publication="Lahore Courier",
            published=dt.date(2020, 6, 15),
            body=BODY_2,
            sha256="2" * 64,
        )
        a3 = m.Article(title="A quiet week", body=BODY_3, sha256="3" * 64)
        s.add_all([a1, a2, a3])
        s.flush()
        jem = m.Entity(name="Jaish-e-Mohammed", type="ORG", description="Militant group.")
        azhar = m.Entity(name="Masood Azhar", type="PER")
        let = m.Entity(name="Lashkar-e-Taiba", type="ORG")
        saeed = m.Entity(name="Hafiz Muhammad Saeed", type="PER")
        pulwama = m.Entity(name="Pulwama", type="LOC")
        old = m.Entity(name="JEM (old record)", type="ORG")
        s.add_all([jem, azhar, let, saeed, pulwama, old])
        s.flush()
        old.merged_into_id = jem.id
        for entity, name, kind in (
            (jem, "Jaish-e-Mohammed", "name"),
            (jem, "JeM", "weakAlias"),
            (jem, "Jaish-e-Muhammad", "alias"),
            (azhar, "Masood Azhar", "name"),
            (azhar, "Azhar", "weakAlias"),
            (let, "Lashkar-e-Taiba", "name"),
            (let, "LeT", "weakAlias"),
        ):
            s.add(m.Alias(entity_id=entity.id, name=name, key=name.casefold(), kind=kind))
        mentions = {
            "a1_pulwama": _mention(s, a1, "Pulwama", pulwama, C),
            "a1_jem_full": _mention(s, a1, "Jaish-e-Mohammed", jem, C),
            "a1_jem_abbr": _mention(s, a1, "JeM", jem, S),
            "a1_azhar": _mention(s, a1, "Masood Azhar", azhar, C),
            "a1_azhar_short": _mention(s, a1, "Azhar", azhar, S, nth=1),
            "a1_jem_2": _mention(s, a1, "JeM", jem, C, nth=1),
            "a1_un": _mention(s, a1, "United Nations", None, S),
            "a1_delhi_rejected": _mention(s, a1, "New Delhi", None, R),
            "a2_let": _mention(s, a2, "Lashkar-e-Taiba", let, C),
            "a2_let_abbr": _mention(s, a2, "LeT", let, C),
            "a2_saeed": _mention(s, a2, "Hafiz Muhammad Saeed", saeed, S),
            "a2_jem": _mention(s, a2, "Jaish-e-Muhammad", jem, C),
            "a2_azhar": _mention(s, a2, "Masood Azhar", azhar, C),
        }
        s.add(m.Relation(subject_id=azhar.id, predicate="founded", object_id=jem.id))
        return Library(
            store=store,
            articles={"a1": a1.id, "a2": a2.id, "a3": a3.id},
            entities={
                "jem": jem.id,
                "azhar": azhar.id,
                "let": let.id,
                "saeed": saeed.id,
                "pulwama": pulwama.id,
                "old": old.id,
            },
            mentions={k: v.id for k, v in mentions.items()},
        )


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "settings.ini"


@pytest.fixture
def make_window(qtbot, settings_path: Path):  # type: ignore[no-untyped-def]
    """Build a MainWindow on a store with test settings and a synchronous runner."""
    from desktop.ui.main_window import MainWindow
    from desktop.ui.settings import Settings
    from desktop.ui.tasks import TaskRunner

    made = []

    def make(store: Store, *, synchronous: bool = True) -> MainWindow:
        window = MainWindow(
            store,
            settings=Settings(settings_path),
            runner=TaskRunner(synchronous=synchronous),
        )
        qtbot.addWidget(window)
        window.show()
        made.append(window)
        return window

    yield make
    for w in made:
        w.close()


@pytest.fixture
def window(make_window, library: Library):  # type: ignore[no-untyped-def]
    return make_window(library.store)
