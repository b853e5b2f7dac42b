"""One researcher of the concurrency test: random imports (with extraction),
links, merges, splits, judgements and undos on a shared library, on a small
pool of overlapping names so that the four workers keep colliding.

Run as ``python concurrency_worker.py URL SEED ROUNDS OUT.json``; writes the
outcome of every kind of operation, and the links it confirmed, to OUT.json.
Refusals with a reason (a merge across a "different" judgement, an undo after
someone else's change...) are expected outcomes, counted by their error type;
anything else ends the worker with a traceback and a non-zero exit.
"""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from pathlib import Path

from sqlmodel import col, select

from desktop.core import models as m
from desktop.core.errors import DossierDeskError
from desktop.core.services import extraction
from desktop.core.services import resolve as svc
from desktop.core.services.ingest import import_text
from desktop.core.store import open_store

PEOPLE = [
    "Imran Khan",
    "Nawaz Sharif",
    "Masood Azhar",
    "Maulana Masood Azhar",
    "Hafiz Saeed",
    "Hafiz Muhammad Saeed",
    "Shehbaz Sharif",
    "Asif Ali Zardari",
]
PLACES = ["Lahore", "Quetta", "Peshawar", "Karachi", "Islamabad"]
VERBS = ["met", "criticised", "spoke with", "accused", "visited"]


def _article(rng: random.Random, worker: str, n: int) -> str:
    a, b = rng.sample(PEOPLE, 2)
    place = rng.choice(PLACES)
    return (
        f"{a} {rng.choice(VERBS)} {b} in {place} on Monday, officials said. "
        f"Later {b} told reporters in {place} that talks would continue. "
        f"(report {worker}-{n})"
    )


def main(url: str, seed: int, rounds: int, out: Path) -> int:
    rng = random.Random(seed)
    store = open_store(url)
    me = url.split("//", 1)[1].split("@", 1)[0]
    outcomes: Counter[str] = Counter()
    confirmed: list[tuple[int, int]] = []

    def live_entities() -> list[m.Entity]:
        with store.session() as s:
            return list(
                s.exec(select(m.Entity).where(col(m.Entity.merged_into_id).is_(None))).all()
            )

    try:
        for n in range(rounds):
            op = rng.choice(
                ["import", "import", "link", "merge", "split", "judge", "judge", "undo"]
            )
            try:
                if op == "import":
                    article_id, _created = import_text(
                        store, _article(rng, me, n), title=f"{me} {n}"
                    )
                    extraction.extract_articles(store, [article_id])
                elif op == "link":
                    with store.session() as s:
                        mentions = s.exec(select(m.Mention.id)).all()
                    people = [e for e in live_entities() if e.type == "PER"]
                    if not mentions or not people:
                        outcomes["link: nothing yet"] += 1
                        continue
                    mention_id = rng.choice(mentions)
                    target = rng.choice(people).id or 0
                    svc.link_mention(store, mention_id, target)
                    confirmed.append((mention_id, target))
                elif op == "merge":
                    people = [e for e in live_entities() if e.type == "PER"]
                    if len(people) < 2:
                        outcomes["merge: nothing yet"] += 1
                        continue
                    a, b = rng.sample(people, 2)
                    svc.merge(store, [a.id or 0, b.id or 0])
                elif op == "split":
                    with store.session() as s:
                        rows = s.exec(
                            select(m.Alias.entity_id, m.Alias.name)
                            .join(m.Entity, col(m.Entity.id) == col(m.Alias.entity_id))
                            .where(col(m.Entity.merged_into_id).is_(None))
                            .where(col(m.Alias.name) != col(m.Entity.name))
                        ).all()
                    if not rows:
                        outcomes["split: nothing yet"] += 1
                        continue
                    entity_id, alias = rng.choice(rows)
                    svc.split(store, entity_id, [alias])
                elif op == "judge":
                    people = [e for e in live_entities() if e.type == "PER"]
                    if len(people) < 2:
                        outcomes["judge: nothing yet"] += 1
                        continue
                    a, b = rng.sample(people, 2)
                    verdict = rng.choice(["different", "different", "same", "unsure"])
                    svc.judge(store, a.id or 0, b.id or 0, verdict)
                else:
                    svc.undo(store)
                outcomes[f"{op}: done"] += 1
            except DossierDeskError as exc:
                outcomes[f"{op}: refused ({type(exc).__name__})"] += 1
    finally:
        store.close()
    out.write_text(
        json.dumps({"role": me, "outcomes": dict(outcomes), "confirmed": confirmed}, indent=1)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])))
