"""Rebuild desktop/core/data/given_names.txt: given names in Latin script.

The entity typer reads "the first word of this name is a given name" as
evidence that the name is a person's ("Sabrina", "Celeste Pollock"), which the
recogniser alone often misses on text unlike its training. The list is taken
offline from the person providers of Faker (MIT; pinned in the ``fit`` extra),
whose locales carry given names collected from public name statistics (the US
census, national registers), including romanised South Asian, Arabic-speaking,
Turkish, Persian and African names (en_PK, en_IN, az_AZ, tr_TR, en_NG, ...).
Only names written in Latin script are kept, folded as ``names.alias_key``
folds them, since that is how the typer looks them up.

    .venv/bin/python -m pip install -e '.[fit]'
    .venv/bin/python packaging/build_given_names.py
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop.core.names import alias_key  # noqa: E402

OUT = ROOT / "desktop" / "core" / "data" / "given_names.txt"
ATTRIBUTES = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")
# The locale-free "en" provider lists seven thousand rare names, many of them
# places and words ("Houston", "London", "Green"): the national lists alone.
SKIPPED_LOCALES = frozenset(["en"])


def _latin(name: str) -> bool:
    # Latin letters, with their accented forms (up to Latin Extended-B), and
    # the apostrophes and hyphens of names such as "D'Arcy" and "Jean-Luc".
    return all((ch.isalpha() and ord(ch) < 0x250) or ch in "'-’ ." for ch in name)


def given_names() -> set[str]:
    import faker.providers.person as person

    out: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        if module.name in SKIPPED_LOCALES:
            continue
        provider = getattr(
            importlib.import_module(f"{person.__name__}.{module.name}"), "Provider", None
        )
        for attribute in ATTRIBUTES:
            value = getattr(provider, attribute, None)
            if not isinstance(value, (list, tuple, dict, set, frozenset)):
                continue  # absent, or a property computed per instance
            for name in value:
                if isinstance(name, str) and _latin(name):
                    key = alias_key(name)
                    # One word of at least two letters: initials and
                    # compound names add nothing a lookup of one word can use.
                    if len(key) >= 2 and " " not in key:
                        out.add(key)
    return out


def main() -> int:
    names = sorted(given_names())
    header = (
        "# Given names in Latin script, folded by names.alias_key, one per line.\n"
        "# Built by packaging/build_given_names.py from Faker's person providers (MIT).\n"
    )
    OUT.write_text(header + "\n".join(names) + "\n", encoding="utf-8")
    print(f"{len(names)} given names -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
