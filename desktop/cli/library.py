"""Verbs about the library as a whole: info, articles."""

from __future__ import annotations

import argparse

from desktop.cli import add_json_flag, print_json, store_from
from desktop.core.services import library


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("info", help="database path, schema version and counts")
    add_json_flag(p)
    p.set_defaults(func=cmd_info)

    p = subparsers.add_parser("articles", help="list articles, or show one")
    add_json_flag(p)
    p.set_defaults(func=cmd_articles)
    sub = p.add_subparsers(dest="articles_verb", metavar="show")
    show = sub.add_parser("show", help="metadata and clean body of one article")
    show.add_argument("id", type=int)
    add_json_flag(show)
    show.set_defaults(func=cmd_article_show)


def cmd_info(args: argparse.Namespace) -> int:
    info = library.library_info(store_from(args))
    if args.json:
        print_json(info)
        return 0
    print(f"Database:  {info.path}")
    print(f"Schema:    {info.schema_version}")
    print(f"Articles:  {info.articles}")
    print(f"Entities:  {info.entities}")
    print(f"Aliases:   {info.aliases}")
    print(f"Mentions:  {info.mentions}")
    print(f"Dossiers:  {info.dossiers}")
    return 0


def cmd_articles(args: argparse.Namespace) -> int:
    rows = library.list_articles(store_from(args))
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("No articles yet. Import some with: dossier-desk import PATH...")
        return 0
    for a in rows:
        date = a.date or "undated"
        pub = f" ({a.publication})" if a.publication else ""
        print(f"{a.id:>5}  {date:<10}  {a.title or '(untitled)'}{pub}")
    return 0


def cmd_article_show(args: argparse.Namespace) -> int:
    a = library.get_article(store_from(args), args.id)
    if args.json:
        print_json(a)
        return 0
    print(a.title or "(untitled)")
    for label, value in (
        ("Publication", a.publication),
        ("Author", a.author),
        ("Date", a.date),
        ("Source", a.source),
        ("SHA-256", a.sha256),
        ("Imported", a.imported_at),
    ):
        if value:
            print(f"{label + ':':<13}{value}")
    print()
    print(a.body)
    return 0
