"""The seed-like sample: a news page pasted with its furniture above and below
the article (resources/samples/09-hamas-pakistan-rallies-pasted.txt), read by
the importer and then extracted by the real pipeline."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from desktop.core import models as m
from desktop.core.ingest.readers import read_file
from desktop.core.services import pipeline
from desktop.core.store import Store
from desktop.resources import samples_dir

SAMPLE = samples_dir() / "09-hamas-pakistan-rallies-pasted.txt"
TITLE = "Why Hamas leaders keep turning up at rallies in Pakistan"
# Whole lines of the page that are not the article.
FURNITURE_LINES = ("Capital Ledger", "Politics", "Defence", "World", "Opinion", "Videos")
# Strings found nowhere in the article itself.
FURNITURE = (
    "Add as a preferred source",
    "Google",
    "HomeGo",
    "Go To",
    "Text Size",
    "A- A+",
    "Friday, February 7, 2025",
    "Meera Sethi",
    "Edited by",
    "Subscribe",
    "Support Our Journalism",
    "Good reporting costs money",
    "Show Full Article",
    "Satellite images",
    "Copyright",
    "All rights reserved",
)


def test_the_pasted_page_gives_title_publication_and_a_clean_body():
    raw = read_file(SAMPLE)
    assert raw.title == TITLE
    assert raw.publication == "Capital Ledger"
    assert raw.author == "Meera Sethi"
    assert raw.published == dt.date(2025, 2, 7)
    assert raw.extra["section"] == "Pakistan"
    assert raw.extra["credits"] == ["(Edited by Anjali Rao)"]
    lines = [line for line in raw.body.split("\n") if line.strip()]
    # The headline once, first; then the standfirst and the story to its end.
    assert lines[0] == TITLE
    assert raw.body.count(TITLE) == 1
    assert lines[1].startswith("A Hamas envoy on a stage in Rawalakot")
    assert lines[2].startswith("New Delhi: Videos posted by the organisers")
    assert lines[-1].startswith("Pakistan does not recognise Israel")
    for furniture in FURNITURE:
        assert furniture not in raw.body, furniture
    assert not set(FURNITURE_LINES) & set(lines)


def test_the_pasted_page_gives_no_junk_entity_and_names_hamas(store: Store):
    pipeline.import_and_extract(store, [SAMPLE], processes=1)
    with store.session() as s:
        article = s.exec(select(m.Article)).one()
        names = {
            e.name: e.type
            for e in s.exec(select(m.Entity).where(m.Entity.merged_into_id == None))  # noqa: E711
        }
    assert article.title == TITLE
    assert article.publication == "Capital Ledger"
    assert names.get("Hamas") == "ORG"
    assert not [n for n in names if "Hamas" in n and n != "Hamas"], names
    for junk in ("HomeGo", "Text Size", "Videos", "Google", "Politics", "Meera Sethi", "A- A+"):
        assert not [n for n in names if junk in n], (junk, names)
