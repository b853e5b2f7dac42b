"""A hand-made annotation of the sample articles, for screenshots and demos.

It stands in for extraction and linking (which live elsewhere): each entity is
given with its names, and every whole-word occurrence of a name in every
article becomes a mention. Not used by the application's normal flow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import select

from desktop.core import models as m
from desktop.core.names import alias_key
from desktop.core.store import Store


@dataclass(frozen=True)
class DemoEntity:
    name: str
    type: str
    # (alias, kind); the canonical name is added as kind "name".
    aliases: tuple[tuple[str, str], ...] = ()
    description: str = ""
    # Mentions of these names stay "suggested"; the others are "confirmed".
    suggested: tuple[str, ...] = ()


SAMPLE_ENTITIES: tuple[DemoEntity, ...] = (
    DemoEntity(
        "Jaish-e-Mohammed",
        "ORG",
        (("JeM", "weakAlias"), ("Jaish-e-Muhammad", "alias")),
        "Militant group founded in 2000.",
        suggested=("JeM",),
    ),
    DemoEntity(
        "Masood Azhar",
        "PER",
        (("Azhar", "weakAlias"),),
        "Founder of Jaish-e-Mohammed.",
        suggested=("Azhar",),
    ),
    DemoEntity("Abdul Rauf Asghar", "PER"),
    DemoEntity("National Investigation Agency", "ORG", (("NIA", "weakAlias"),)),
    DemoEntity("Pulwama", "LOC"),
    DemoEntity("Bahawalpur", "LOC"),
    DemoEntity("Awantipora", "LOC"),
    DemoEntity("Jammu", "LOC"),
    DemoEntity("Islamabad", "LOC"),
    DemoEntity("Sajjad Bhat", "PER", suggested=("Sajjad Bhat",)),
    DemoEntity("Mudasir Ahmad Khan", "PER"),
    DemoEntity(
        "Lashkar-e-Taiba",
        "ORG",
        (("LeT", "weakAlias"), ("Lashkar-e-Tayyiba", "alias"), ("Lashkar", "weakAlias")),
        "Militant group based in Punjab, Pakistan.",
        suggested=("Lashkar", "Lashkar-e-Tayyiba"),
    ),
    DemoEntity("Jamaat-ud-Dawa", "ORG", (("JuD", "weakAlias"),)),
    DemoEntity("Falah-e-Insaniat Foundation", "ORG", (("FIF", "weakAlias"),)),
    DemoEntity(
        "Hafiz Muhammad Saeed",
        "PER",
        (("Saeed", "weakAlias"),),
        suggested=("Saeed",),
    ),
    DemoEntity("Zafar Iqbal", "PER"),
    DemoEntity("Lahore", "LOC"),
    DemoEntity("Gujranwala", "LOC"),
    DemoEntity("Sheikhupura", "LOC"),
    DemoEntity("Lashkar-e-Jhangvi", "ORG"),
    DemoEntity("Counter Terrorism Department", "ORG", (("CTD", "weakAlias"),)),
)


def annotate(store: Store, entities: tuple[DemoEntity, ...] = SAMPLE_ENTITIES) -> int:
    """Create the entities with their aliases and a mention for each occurrence
    of their names in every article; returns the number of mentions."""
    count = 0
    with store.session() as s:
        articles = s.exec(select(m.Article)).all()
        for spec in entities:
            entity = m.Entity(name=spec.name, type=spec.type, description=spec.description)
            s.add(entity)
            s.flush()
            names = [(spec.name, "name"), *spec.aliases]
            for name, kind in names:
                s.add(
                    m.Alias(
                        entity_id=entity.id or 0,
                        name=name,
                        key=alias_key(name),
                        kind=kind,
                        origin="user",
                        confirmed=name not in spec.suggested,
                    )
                )
            # Longest names first, so "Lashkar-e-Taiba" is not also found as "Lashkar".
            for name, _kind in sorted(names, key=lambda n: -len(n[0])):
                pattern = re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")
                for a in articles:
                    for hit in pattern.finditer(a.body):
                        taken = s.exec(
                            select(m.Mention)
                            .where(m.Mention.article_id == a.id)
                            .where(m.Mention.start < hit.end())
                            .where(m.Mention.end > hit.start())
                        ).first()
                        if taken is not None:
                            continue
                        s.add(
                            m.Mention(
                                article_id=a.id or 0,
                                start=hit.start(),
                                end=hit.end(),
                                text=hit.group(0),
                                type=spec.type,
                                entity_id=entity.id,
                                method=m.MentionMethod.MANUAL,
                                status=(
                                    m.MentionStatus.SUGGESTED
                                    if name in spec.suggested
                                    else m.MentionStatus.CONFIRMED
                                ),
                            )
                        )
                        s.flush()
                        count += 1
    return count
