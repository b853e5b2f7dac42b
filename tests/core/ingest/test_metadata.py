"""Best guesses of metadata from the text, and the furniture rules one by one."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.core.ingest.boilerplate import is_furniture, strip_furniture
from desktop.core.ingest.metadata import (
    date_from_dateline,
    find_byline,
    find_date,
    find_dateline,
    guess_language,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Published 2024-03-03 09:00", dt.date(2024, 3, 3)),
        ("Updated: March 3, 2024 10:15 IST", dt.date(2024, 3, 3)),
        ("3rd March, 2024", dt.date(2024, 3, 3)),
        ("Mar. 3 2024", dt.date(2024, 3, 3)),
        ("03/04/2024", dt.date(2024, 4, 3)),  # day first
        ("12/25/2023", dt.date(2023, 12, 25)),  # month first only when it must be
        ("14.01.2024", dt.date(2024, 1, 14)),
        ("le 29 octobre 2024", dt.date(2024, 10, 29)),
        ("3. März 2024", dt.date(2024, 3, 3)),
        ("5 de marzo de 2024", dt.date(2024, 3, 5)),
        ("2024/11/12", dt.date(2024, 11, 12)),
        ("31 February 2024", None),
        ("in the year 2999-01-01", None),  # the future is a misreading
        ("no date here, only 1,200 troops", None),
    ],
)
def test_find_date(text, expected):
    assert find_date(text) == expected


@pytest.mark.parametrize(
    ("paragraph", "place", "date", "agency"),
    [
        ("New Delhi: Investigators have tied ...", "New Delhi", "", ""),
        ("LAHORE, March 3 — A court heard ...", "Lahore", "March 3", ""),
        ("ISLAMABAD (Reuters) - Pakistan said ...", "Islamabad", "", "Reuters"),
        ("SANAA, Jan. 14 (Gulf Wire) — The leader ...", "Sanaa", "Jan. 14", "Gulf Wire"),
        ("DERA ISMAIL KHAN: Militants attacked ...", "Dera Ismail Khan", "", ""),
        ("لاہور: محکمہ انسداد دہشت گردی نے ...", "لاہور", "", ""),
    ],
)
def test_find_dateline(paragraph, place, date, agency):
    assert find_dateline(paragraph) == {"place": place, "date": date, "agency": agency}


@pytest.mark.parametrize(
    "paragraph",
    [
        "Note: this article was updated.",
        "He said: the attack was planned.",
        "Jaish-e-Mohammed - the group blamed for the attack - denied it.",
        "Police said the men were held.",
    ],
)
def test_sentences_are_not_datelines(paragraph):
    assert find_dateline(paragraph) is None


def test_dateline_date_takes_the_year_from_nearby():
    dateline = find_dateline("LAHORE, March 3 — A court heard ...")
    assert dateline is not None
    assert date_from_dateline(dateline, dt.date(2024, 1, 1)) == dt.date(2024, 3, 3)
    assert date_from_dateline(dateline, None) is None


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("By Ali Raza Khan", "Ali Raza Khan"),
        ("By Imran Yousafzai | Published February 19, 2024", "Imran Yousafzai"),
        ("Par Claire Moreau, envoyée spéciale", "Claire Moreau"),
        ("Posted on March 25, 2024 by Farid Ahmadzai", "Farid Ahmadzai"),
        ("By the time police arrived, the men had fled the village.", ""),
        ("by our correspondent", ""),
    ],
)
def test_find_byline(line, author):
    assert find_byline(line) == author


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The police said that the men were held in Lahore and the court was told.", "en"),
        ("Le tribunal a entendu les témoins et la cour a rendu une décision pour le procès.", "fr"),
        ("Die Polizei sagte, dass die Männer nicht mit der Gruppe und den Tätern sprachen.", "de"),
        ("La policía dijo que los hombres fueron detenidos por la fuerza y que una.", "es"),
        ("لاہور میں پولیس نے چار افراد کو گرفتار کر لیا ہے۔", "ur"),
        ("قالت الشرطة إن الرجال اعتقلوا في بيروت", "ar"),
        ("पुलिस ने चार लोगों को गिरफ्तार किया", "hi"),
    ],
)
def test_guess_language(text, lang):
    assert guess_language(text) == lang


@pytest.mark.parametrize(
    "line",
    [
        "Share", "Comments (14)", "Also read: Army chief visits Quetta",
        "Facebook X WhatsApp Email", "Home | World | Pakistan | Sport",
        "https://example.org/story/123", "• • •",
        "© 2024 Example Media", "Sign up for our newsletter", "Story continues below advertisement",
        "We use cookies to improve your experience. By continuing you accept our policy.",
    ],
)  # fmt: skip
def test_furniture_lines(line):
    assert is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "Home Minister Amit Shah said the attack had been planned across the border.",
        "Share prices fell after the attack on the Karachi stock exchange, brokers said.",
        "The Resistance Front (TRF)",
        "March 3, 2024",
        "Hafiz Saeed",
    ],
)
def test_not_furniture(line):
    assert not is_furniture(line)


def test_related_list_inside_the_body_is_dropped():
    para = "Officials said the attackers came from across the border, according to the police."
    text = "\n".join(
        [
            para,
            "",
            "Related stories",
            "Five killed in Bannu",
            "Who is Noor Wali",
            "",
            para + " Again.",
        ]
    )
    body, dropped = strip_furniture(text)
    assert body == f"{para}\n\n{para} Again."
    assert dropped == 3
