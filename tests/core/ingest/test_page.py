"""The page cutter on small page-shaped inputs: what is furniture, what is the
article, and which lines become metadata (desktop.core.ingest.page)."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.core.ingest.page import (
    copyright_holder,
    cut_page,
    is_date_only,
    is_ui_line,
    published_in,
    site_title,
)
from desktop.core.ingest.readers import read_pasted

P1 = (
    "Police in Lahore arrested four men on Tuesday who they said had planned attacks on "
    "places of worship, and seized explosives from a house in the city's outskirts."
)
P2 = (
    "The men belonged to a cell of the banned Tehreek-e-Taliban Pakistan, officials said, "
    "and had been under watch for two months before the raid."
)


@pytest.mark.parametrize(
    "line",
    [
        "Add as a preferred source on Google",
        "Text Size:",
        "A- A+",
        "Subscribe to our channels on YouTube & Telegram",
        "Show Full Article",
        "Follow us on WhatsApp",
    ],
)
def test_ui_lines(line):
    assert is_ui_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Support grows for Hamas talks in Doha",  # a headline starting with a verb-like noun
        "Scorers:",
        "Um —",
        "Mm.",
        "Watch the video of the raid released by police.",
        "Show trial of opposition leaders opens in Dhaka",
    ],
)
def test_lines_that_are_not_ui(line):
    assert not is_ui_line(line)


def test_date_only_lines():
    assert is_date_only("Friday, January 9, 2026")
    assert is_date_only("Updated 3 March 2024, 10:45 pm")
    assert not is_date_only("AL-AIN, United Arab Emirates 1996-12-06")
    assert not is_date_only("Talks resumed on March 3, 2024 in Doha")


def test_glued_breadcrumb_gives_the_headline_and_the_section():
    text = (
        "Add as a preferred source on Google\n"
        "HomeGo To PakistanArmy chief visits Quetta after attack\n"
        "Army chief visits Quetta after attack\n"
        "Friday, March 8, 2024\n"
        "Text Size:\n"
        "A- A+\n"
        "Army chief visits Quetta after attack\n\n"
        f"{P1}\n\n{P2}"
    )
    cut = cut_page(text)
    assert cut.title == "Army chief visits Quetta after attack"
    assert cut.section == "Pakistan"
    assert cut.published == dt.date(2024, 3, 8)
    # The headline once, as the first line; no furniture, no date line.
    assert cut.body == f"Army chief visits Quetta after attack\n\n{P1}\n\n{P2}"


def test_window_title_line_and_published_in_credit_are_metadata():
    text = (
        "Lahore police arrest four over plot - Pakistan - DAWN.COM\n\n"
        "Lahore police arrest four over plot\n\n"
        f"{P1}\n\n{P2}\n\n"
        "Published in Dawn, May 7th, 2025"
    )
    raw = read_pasted(text)
    assert raw.title == "Lahore police arrest four over plot"
    assert raw.publication == "Dawn"
    assert raw.published == dt.date(2025, 5, 7)
    assert raw.body == f"Lahore police arrest four over plot\n\n{P1}\n\n{P2}"
    assert raw.extra["credits"] == ["Published in Dawn, May 7th, 2025"]


def test_window_title_alone_names_the_title_and_the_site():
    raw = read_pasted(f"Lahore police arrest four over plot - World - DAWN.COM\n\n{P1}\n\n{P2}")
    assert raw.title == "Lahore police arrest four over plot"
    assert raw.publication == "Dawn"
    assert raw.body == f"{P1}\n\n{P2}"


def test_site_title_shapes():
    assert site_title("Title of the story here - World - DAWN.COM") == (
        "Title of the story here",
        "World",
        "DAWN.COM",
    )
    assert site_title("Pakistan - India talks resume in Geneva") is None
    assert site_title("Digital Humanities Clinics - Leading Dutch Librarians into DH") is None


def test_credits_and_copyright_holder():
    assert published_in("Published in Dawn, May 7th, 2025") == ("Dawn", dt.date(2025, 5, 7))
    assert published_in("Police said the men were published in a list.") is None
    assert copyright_holder(
        "Copyright © 2025 Capital Ledger Media Pvt. Ltd. All rights reserved."
    ) == ("Capital Ledger")
    assert copyright_holder("© 2024 Gulf Wire Media. All rights reserved.") == "Gulf Wire"
    raw = read_pasted(
        f"Four held in Lahore plot\n\n{P1}\n\n{P2}\n\n(Edited by Anjali Rao)\n\n"
        "(Reporting by Asif Shahzad; Editing by Mark Heinrich)\n"
        "Share this article\n© 2024 The Lahore Ledger. All rights reserved."
    )
    assert raw.body == f"Four held in Lahore plot\n\n{P1}\n\n{P2}"
    assert raw.extra["credits"] == [
        "(Edited by Anjali Rao)",
        "(Reporting by Asif Shahzad; Editing by Mark Heinrich)",
    ]
    assert raw.publication == "The Lahore Ledger"


def test_wire_report_keeps_headline_dateline_and_results_table():
    # A wire report as agencies file it: headline in capitals, dateline line,
    # the story, then a table of results; every line is the article's.
    text = (
        "SKIING - AUSTRIAN WINS DOWNHILL AT TIGNES.\n"
        "TIGNES, France 1996-12-06\n"
        "Austria's Josef Strobl won the men's World Cup downhill at Tignes on Friday, beating "
        "Kristian Ghedina of Italy by a tenth of a second in fog and falling snow.\n"
        "Results:\n"
        "1. Josef Strobl ( Austria ) 1:52.66\n"
        "2. Kristian Ghedina ( Italy ) 1:52.76\n"
        "3. Luc Alphand ( France ) 1:53.01\n"
    )
    raw = read_pasted(text)
    assert raw.title == "SKIING - AUSTRIAN WINS DOWNHILL AT TIGNES."
    assert raw.body == text.strip()


def test_menu_runs_go_but_a_list_of_names_in_the_article_stays():
    names = "Asim Munir\nMohsin Naqvi\nShehbaz Sharif"
    text = (
        "Home\nWorld\nPakistan\nBusiness\nSport\n\n"
        f"Army chief visits Quetta after attack\n\n{P1}\n\nThose at the meeting:\n{names}\n\n{P2}"
    )
    raw = read_pasted(text)
    assert raw.title == "Army chief visits Quetta after attack"
    assert raw.body == (
        f"Army chief visits Quetta after attack\n\n{P1}\n\nThose at the meeting:\n{names}\n\n{P2}"
    )


def test_byline_and_name_above_the_date_become_the_author():
    raw = read_pasted(f"Four held in Lahore plot\nMeera Sethi\n7 February 2025\n\n{P1}\n\n{P2}")
    assert raw.author == "Meera Sethi"
    assert raw.published == dt.date(2025, 2, 7)
    assert raw.body == f"Four held in Lahore plot\n\n{P1}\n\n{P2}"


def test_a_heading_that_repeats_the_title_inside_the_article_stays():
    long_para = " ".join([P1, P2, P1])
    text = f"Antonín Dvořák\n\n{long_para}\n\nAntonín Dvořák\n\n{P2}"
    raw = read_pasted(text)
    assert raw.title == "Antonín Dvořák"
    assert raw.body == text


def test_a_conversation_is_not_cut_at_a_short_reply():
    turns = [
        "So what was your favourite of the ones we tasted this afternoon at the estate?",
        "Got it.",
        "My favourite was the Sauvignon Blanc from Spier, crisp and fresh, good with fish.",
        "So it's a white wine.",
        "We had one of the very expensive ones, and none of us liked it the most, really.",
    ]
    text = "Wine tasting in Stellenbosch\n\n" + "\n".join(turns)
    raw = read_pasted(text)
    assert raw.body == text


def test_clean_text_keeps_every_line_above_the_first_paragraph():
    # No furniture at all (a saved article, a transcript): headings, an
    # author line and a caption above the first paragraph are all kept.
    text = (
        "Digital Humanities Clinics - Leading Dutch Librarians into DH\n\n"
        "Michiel Cock, Vrije Universiteit Amsterdam\n\n"
        "Interview\n\n"
        f"{P1}"
    )
    raw = read_pasted(text)
    assert raw.title == "Digital Humanities Clinics - Leading Dutch Librarians into DH"
    assert raw.body == text


def test_a_window_title_given_as_the_title_is_split():
    # A saved page without og:title: its <title> is "Title - Section - SITE".
    raw = read_pasted(
        f"{P1}\n\n{P2}", title="Lahore police arrest four over plot - World - DAWN.COM"
    )
    assert raw.title == "Lahore police arrest four over plot"
    assert raw.publication == "Dawn"
    assert raw.extra["section"] == "World"


def test_a_short_note_with_a_given_title_keeps_its_words():
    # No paragraph to find the article by: nothing is taken for site chrome.
    raw = read_pasted("Already here.", title="Mine")
    assert (raw.title, raw.body) == ("Mine", "Already here.")
