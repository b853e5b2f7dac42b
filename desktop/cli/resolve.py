"""Verbs about entity identity: suggest, merge, merge-cluster, judge, split, relate, unrelate,
undo, redo, import-entities, export-entities."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from desktop.cli import add_json_flag, count, print_json, store_from
from desktop.core.matching import DEFAULT_MIN_SCORE
from desktop.core.services import resolve, review
from desktop.core.services.resolve import Change


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("suggest", help="suggested duplicate entities, best first")
    p.add_argument("--limit", type=count(0), default=50, metavar="N")
    p.add_argument("--min-score", type=int, default=DEFAULT_MIN_SCORE, metavar="S")
    order = p.add_mutually_exclusive_group()
    order.add_argument(
        "--informative",
        action="store_true",
        help="the pairs the scorer is least sure of first (judging them teaches most)",
    )
    order.add_argument(
        "--clusters",
        action="store_true",
        help="group the pairs into clusters of one name's spellings (best cluster first)",
    )
    add_json_flag(p)
    p.set_defaults(func=cmd_suggest)

    p = subparsers.add_parser("merge", help="merge entities into the first one")
    p.add_argument("ids", type=int, nargs="+", metavar="ID")
    p.add_argument("--name", help="canonical name (default: the first entity's)")
    p.add_argument("--force", action="store_true", help="merge even across a 'different' judgement")
    add_json_flag(p)
    p.set_defaults(func=cmd_merge)

    p = subparsers.add_parser(
        "merge-cluster",
        help="decide a cluster: merge the names into the first (each judged same), "
        "and judge the --apart ones different (one undo step)",
    )
    p.add_argument("ids", type=int, nargs="+", metavar="ID")
    p.add_argument("--name", help="canonical name (default: the first entity's)")
    p.add_argument("--apart", type=int, nargs="+", default=[], metavar="ID", help="names left out")
    p.add_argument("--force", action="store_true", help="merge even across a 'different' judgement")
    add_json_flag(p)
    p.set_defaults(func=cmd_merge_cluster)

    p = subparsers.add_parser("judge", help="record that two entities are the same or not")
    p.add_argument("a", type=int)
    p.add_argument("b", type=int)
    p.add_argument("verdict", choices=["same", "different", "unsure"])
    p.add_argument("--note", default="")
    p.add_argument("--force", action="store_true", help="'same' across a 'different' judgement")
    add_json_flag(p)
    p.set_defaults(func=cmd_judge)

    p = subparsers.add_parser("split", help="move aliases (and their mentions) to a new entity")
    p.add_argument("entity", type=int)
    p.add_argument("aliases", nargs="+", metavar="ALIAS")
    p.add_argument("--name", help="name of the new entity (default: the first alias)")
    add_json_flag(p)
    p.set_defaults(func=cmd_split)

    p = subparsers.add_parser(
        "relate", help="record a relation: SUBJECT PREDICATE OBJECT (entity ids)"
    )
    p.add_argument("subject", type=int, metavar="SUBJECT")
    p.add_argument("predicate", metavar="PREDICATE", help="e.g. 'member of', 'founder of'")
    p.add_argument("object", type=int, metavar="OBJECT")
    p.add_argument("--evidence", type=int, default=None, metavar="MENTION_ID")
    p.add_argument("--note", default="")
    add_json_flag(p)
    p.set_defaults(func=cmd_relate)

    p = subparsers.add_parser("unrelate", help="remove a relation (undo brings it back)")
    p.add_argument("relation", type=int, metavar="RELATION_ID")
    add_json_flag(p)
    p.set_defaults(func=cmd_unrelate)

    for verb, fn, text in (
        ("undo", cmd_undo, "undo the latest identity change"),
        ("redo", cmd_redo, "redo the latest undone change"),
    ):
        p = subparsers.add_parser(verb, help=text)
        p.add_argument("--id", type=int, default=None, help="a history entry id")
        add_json_flag(p)
        p.set_defaults(func=fn)

    p = subparsers.add_parser("history", help="identity changes, newest first, with who made them")
    p.add_argument("--limit", type=int, default=50, metavar="N")
    add_json_flag(p)
    p.set_defaults(func=cmd_history, read_only_ok=True)

    p = subparsers.add_parser(
        "judgements", help="judgements (revoked ones too) with who made and revoked them"
    )
    p.add_argument("--entity", type=int, default=None, metavar="ID", help="only this entity's")
    add_json_flag(p)
    p.set_defaults(func=cmd_judgements, read_only_ok=True)

    p = subparsers.add_parser(
        "import-entities", help="load a reference list (.csv or FollowTheMoney .jsonl)"
    )
    p.add_argument("file")
    add_json_flag(p)
    p.set_defaults(func=cmd_import)

    p = subparsers.add_parser(
        "export-entities", help="write entities and aliases (.csv or FollowTheMoney .jsonl)"
    )
    p.add_argument("file")
    add_json_flag(p)
    p.set_defaults(func=cmd_export)


def _print_change(args: argparse.Namespace, change: Change) -> int:
    if args.json:
        print_json(change)
        return 0
    print(change.label)
    for jid, a, b in change.conflicts:
        print(f"warning: overrides judgement {jid} that {a} and {b} are different")
    return 0


def cmd_suggest(args: argparse.Namespace) -> int:
    if args.clusters:
        return _print_clusters(args)
    rows = resolve.suggest(
        store_from(args), limit=args.limit, min_score=args.min_score, informative=args.informative
    )
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("No suggestions.")
        return 0
    for s in rows:
        print(f"{s.score:>3}  {s.a:>5} {s.a_name}  =  {s.b:>5} {s.b_name}    ({s.reason})")
    return 0


def _print_clusters(args: argparse.Namespace) -> int:
    clusters = review.suggest_clusters(store_from(args), min_score=args.min_score, limit=args.limit)
    if args.json:
        print_json([{"ids": c.ids, **asdict(c)} for c in clusters])
        return 0
    if not clusters:
        print("No suggestions.")
        return 0
    for n, c in enumerate(clusters, 1):
        print(f"cluster {n}: {len(c.members)} names, scores {c.weakest}-{c.score}")
        for x in c.members:
            why = f"{x.score} with {x.linked_to}: {x.reason}" if x.reason else ""
            print(f"  {x.id:>5} {x.name}  [{x.type}, {x.mentions} mentions]  {why}")
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    return _print_change(
        args, resolve.merge(store_from(args), args.ids, args.name, force=args.force)
    )


def cmd_merge_cluster(args: argparse.Namespace) -> int:
    change = review.merge_cluster(
        store_from(args), args.ids, args.name, apart=args.apart, force=args.force
    )
    return _print_change(args, change)


def cmd_judge(args: argparse.Namespace) -> int:
    change = resolve.judge(
        store_from(args), args.a, args.b, args.verdict, args.note, force=args.force
    )
    return _print_change(args, change)


def cmd_split(args: argparse.Namespace) -> int:
    return _print_change(
        args, resolve.split(store_from(args), args.entity, args.aliases, args.name)
    )


def cmd_relate(args: argparse.Namespace) -> int:
    change = resolve.add_relation(
        store_from(args),
        args.subject,
        args.predicate,
        args.object,
        evidence_mention_id=args.evidence,
        note=args.note,
    )
    return _print_change(args, change)


def cmd_unrelate(args: argparse.Namespace) -> int:
    return _print_change(args, resolve.remove_relation(store_from(args), args.relation))


def cmd_undo(args: argparse.Namespace) -> int:
    return _print_change(args, resolve.undo(store_from(args), args.id))


def cmd_redo(args: argparse.Namespace) -> int:
    return _print_change(args, resolve.redo(store_from(args), args.id))


def cmd_import(args: argparse.Namespace) -> int:
    report = resolve.import_entities(store_from(args), args.file)
    if args.json:
        print_json(report)
        return 0
    print(f"{report.entities} entities, {report.aliases} names imported from {report.path}")
    for line in report.skipped:
        print(f"skipped {line}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    report = resolve.export_entities(store_from(args), args.file)
    if args.json:
        print_json(report)
        return 0
    print(f"{report.entities} entities written to {report.path}")
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    rows = resolve.history(store_from(args), limit=args.limit)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("No identity changes yet.")
        return 0
    for h in rows:
        undone = f"  (undone by {h.undone_by or 'someone'})" if h.undone else ""
        print(f"{h.id:>5}  {h.at}  {h.actor or '-':<12}  {h.label}{undone}")
    return 0


def cmd_judgements(args: argparse.Namespace) -> int:
    rows = resolve.judgements(store_from(args), args.entity)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("No judgements yet.")
        return 0
    for j in rows:
        other = f"{j.b_name} ({j.b_id})" if j.b_id is not None else "a mention"
        revoked = f"  revoked by {j.revoked_by or '-'} at {j.revoked_at}" if j.revoked_at else ""
        print(
            f"{j.id:>5}  {j.at}  {j.actor or '-':<12}  {j.a_name} ({j.a_id}) "
            f"{j.verdict} {other}{revoked}"
        )
    return 0
