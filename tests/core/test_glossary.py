"""Names that read the same in translation (desktop/core/glossary.py)."""

from __future__ import annotations

from desktop.core import glossary, matching


def _meaning(name: str) -> tuple[str, ...] | None:
    found = glossary.meaning_key(name)
    return None if found is None else found[0]


def test_a_name_and_its_translation_share_a_meaning_key():
    for a, b in (
        ("Sepah-e Pasdaran-e Enghelab-e Eslami", "Islamic Revolutionary Guard Corps"),
        ("Harakat al-Muqawama al-Islamiya", "Islamic Resistance Movement"),
        ("Jaish-e-Mohammed", "Army of Mohammed"),
        ("Hay'at Tahrir al-Sham", "Assembly for the Liberation of the Levant"),
        ("Jama'at al-Tawhid wal-Jihad", "Monotheism and Jihad Group"),
    ):
        assert _meaning(a) is not None
        assert _meaning(a) == _meaning(b), (a, b)


def test_spellings_of_a_glossary_word_are_found_by_their_skeleton():
    assert _meaning("Sipah-i-Pasdaran-i-Inqilab-i-Islami") == _meaning(
        "Islamic Revolutionary Guards Corps"
    )
    # A connector glued to its word.
    assert _meaning("Hizbul Mujahideen") == _meaning("Party of Mujahideen")


def test_generic_names_have_no_meaning_key():
    # Two generic words name many bodies: Jamaat-e-Islami (Pakistan) and
    # Jemaah Islamiyah (Indonesia) are both "Islamic Group".
    for name in ("Jamaat-e-Islami", "Jemaah Islamiyah", "Lashkar-e-Islam", "Jaish al-Islam"):
        assert _meaning(name) is None
    # One word of the glossary alone, or none at all.
    assert _meaning("Jaish") is None
    # A proper name with a meaning is enough (Army of Mohammed).
    assert _meaning("Balochistan Liberation Army") == ("army", "blcstn", "liberation")
    assert _meaning("Mohammed Omar") is None


def test_words_that_share_a_skeleton_are_found_as_written():
    # ahl (people) and allah (god) share the skeleton "al".
    assert _meaning("Ahl al-Sunna wal-Jamaa") != _meaning("Allah al-Sunna wal-Jamaa")
    assert "god" in _meaning("Ansar Allah Jund")
    assert "people" in _meaning("Ahle Sunnat Jamaat")


def test_suggestion_offers_translations_of_organisations_not_of_people():
    names = [
        ("Islamic Revolutionary Guard Corps", "ORG"),
        ("Sepah-e Pasdaran-e Enghelab-e Eslami", "ORG"),
        ("Jamaat-e-Islami", "ORG"),
        ("Jemaah Islamiyah", "ORG"),
        # People's names are never translated.
        ("Jaish Mohammed Khan", "PER"),
        ("Army Mohammed Khan", "PER"),
    ]
    records = [matching.EntityRecord(i, n, t, (n,)) for i, (n, t) in enumerate(names)]
    got = {frozenset((s.a_name, s.b_name)): s for s in matching.suggest_pairs(records, min_score=1)}
    irgc = got[frozenset(names[0][0:1] + names[1][0:1])]
    assert irgc.score >= matching.DEFAULT_MIN_SCORE
    assert "in translation" in irgc.reason
    assert "sepah = army" in irgc.reason
    for a, b in ((2, 3), (4, 5)):
        pair = got.get(frozenset((names[a][0], names[b][0])))
        assert pair is None or "in translation" not in pair.reason
