"""Verbs about entities and mentions: entities, mentions, extract, relink."""

from __future__ import annotations

import argparse
import os
import sys

from desktop.cli import (
    add_json_flag,
    add_progress_flag,
    count,
    print_event,
    print_json,
    store_from,
)
from desktop.core.services import library


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("entities", help="list entities with aliases and counts")
    add_json_flag(p)
    p.set_defaults(func=cmd_entities)

    p = subparsers.add_parser("mentions", help="the entity mentions of one article")
    p.add_argument("article_id", type=int, metavar="ARTICLE_ID")
    add_json_flag(p)
    p.set_defaults(func=cmd_mentions)

    p = subparsers.add_parser(
        "extract", help="find and link the entities of articles (all when none given)"
    )
    p.add_argument("article_ids", type=int, nargs="*", metavar="ARTICLE_ID")
    _jobs_flag(p)
    add_json_flag(p)
    add_progress_flag(p)
    p.set_defaults(func=cmd_extract)

    p = subparsers.add_parser(
        "relink", help="link every article again (after confirming aliases or merging)"
    )
    p.add_argument("article_ids", type=int, nargs="*", metavar="ARTICLE_ID")
    _jobs_flag(p)
    add_json_flag(p)
    add_progress_flag(p)
    p.set_defaults(func=cmd_relink)


def _jobs_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--jobs",
        type=count(1),
        default=None,
        metavar="N",
        help="worker processes (default: 2 on a multi-core machine for large runs)",
    )


def _jobs(args: argparse.Namespace) -> int:
    if args.jobs is not None:
        return max(1, args.jobs)
    return min(2, os.cpu_count() or 1)


def cmd_entities(args: argparse.Namespace) -> int:
    rows = library.list_entities(store_from(args))
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("No entities yet. Find them with: dossier-desk extract")
        return 0
    for e in rows:
        others = [a.name for a in e.aliases if a.name != e.name]
        also = f"  (also: {', '.join(others)})" if others else ""
        print(f"{e.id:>5}  {e.type:<4} {e.name}  [{e.mentions} in {e.articles}]{also}")
    return 0


def cmd_mentions(args: argparse.Namespace) -> int:
    rows = library.article_mentions(store_from(args), args.article_id)
    if args.json:
        print_json(rows)
        return 0
    for r in rows:
        target = f"-> {r.entity_name} #{r.entity_id}" if r.entity_id else "-> (none)"
        print(f"{r.start:>6}-{r.end:<6} {r.type:<4} {r.text:<30} {target}  {r.status}, {r.method}")
    return 0


def _report(args: argparse.Namespace, fn) -> int:  # type: ignore[no-untyped-def]
    from desktop.core.services import extraction

    store = store_from(args)
    ids = args.article_ids or None

    tty = not args.json and not args.progress and sys.stderr.isatty()

    def progress(done: int, total: int, title: str) -> None:
        if tty:
            print(f"\r{done}/{total} articles", end="", file=sys.stderr, flush=True)

    def on_article(article_id: int, mentions: int) -> None:
        if args.progress:
            print_event({"event": f"{fn}ed", "article_id": article_id, "mentions": mentions})

    if fn == "extract":
        ids = ids if ids is not None else extraction.all_article_ids(store)
        report = extraction.extract_articles(
            store, ids, progress=progress, processes=_jobs(args), on_article=on_article
        )
    else:
        report = extraction.relink(
            store, ids, progress=progress, processes=_jobs(args), on_article=on_article
        )
    if tty:
        print(file=sys.stderr)
    if args.json:
        print_json(report)
        return 0
    if report.degraded:
        print(f"warning: {report.status}", file=sys.stderr)
    if report.capped:
        print(f"dossier-desk: warning: {report.capped_message()}", file=sys.stderr)
    print(
        f"{report.articles} articles: {report.mentions} mentions, {report.linked} linked, "
        f"{report.suggested} suggested, {report.new_entities} new entities"
    )
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    return _report(args, "extract")


def cmd_relink(args: argparse.Namespace) -> int:
    return _report(args, "relink")
