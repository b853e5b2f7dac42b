"""Moving a library: copy a file library to a team server, or a server library
to a file (a snapshot for the field), with every table's rows counted on both
sides.

The copy keeps ids, so history entries (whose payloads name rows by id),
judgements, links and dossiers stay exactly as they were. It runs in ONE
transaction on the destination: a failure half-way leaves it empty. The
destination must be an empty library at the same schema version (a new file,
or a server database an administrator prepared with ``migrate``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlmodel import SQLModel

from desktop.core import models as m  # noqa: F401  (registers the tables)
from desktop.core.errors import DatabaseError
from desktop.core.store import Store

CHUNK = 2000


@dataclass(frozen=True)
class CopyReport:
    source: str
    destination: str
    schema_version: str
    # Rows per table, the same on both sides (checked before committing).
    counts: dict[str, int] = field(default_factory=dict)


def _tables() -> list:  # type: ignore[type-arg]
    return list(SQLModel.metadata.sorted_tables)


def copy_library(src: Store, dst: Store) -> CopyReport:
    """Copy every row of ``src`` into the empty library ``dst``."""
    if src.schema_version() != dst.schema_version():
        raise DatabaseError(
            f"{dst.location}: has schema {dst.schema_version()}, {src.location} has "
            f"{src.schema_version()}; open both with this version of Dossier Desk first"
        )
    tables = _tables()
    with dst.session() as out:
        for table in tables:
            if out.execute(select(func.count()).select_from(table)).scalar():
                raise DatabaseError(
                    f"{dst.location}: is not empty (table {table.name} has rows); copy into a "
                    "new library"
                )
    counts: dict[str, int] = {}
    with src.session() as inp, dst.session() as out:
        src.backend.consistent_read(inp)
        for table in tables:
            # An entity may point at one with a higher id (merged_into_id):
            # insert without the link, then set it once every entity exists.
            later = [c.name for c in table.columns if c.foreign_keys and _self_ref(table, c)]
            links: list[dict] = []  # type: ignore[type-arg]
            n = 0
            result = inp.execute(select(table).order_by(*table.primary_key.columns)).mappings()
            while True:
                rows = [dict(r) for r in result.fetchmany(CHUNK)]
                if not rows:
                    break
                for row in rows:
                    if any(row[c] is not None for c in later):
                        links.append({"_id": row["id"], **{c: row[c] for c in later}})
                        row.update(dict.fromkeys(later))
                out.execute(table.insert(), rows)
                n += len(rows)
            for link in links:
                out.execute(
                    table.update()
                    .where(table.c.id == link["_id"])
                    .values({c: link[c] for c in later})
                )
            counts[table.name] = n
        dst.backend.after_copy(out, [t.name for t in tables])
        for table in tables:
            have = out.execute(select(func.count()).select_from(table)).scalar()
            want = inp.execute(select(func.count()).select_from(table)).scalar()
            if not have == want == counts[table.name]:
                raise DatabaseError(
                    f"{dst.location}: table {table.name} has {have} rows after the copy, "
                    f"{src.location} has {want}; nothing was copied"
                )
    return CopyReport(src.location, dst.location, dst.schema_version(), counts)


def _self_ref(table, column) -> bool:  # type: ignore[no-untyped-def]
    return any(fk.column.table is table for fk in column.foreign_keys)
