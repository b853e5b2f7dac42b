"""Verbs for dossiers: ``dossier create|add|list|rename|delete|show``,
``export`` and ``export-entity``. Rendering needs no display (Qt offscreen)."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli import add_json_flag, print_json, store_from
from desktop.core import dossier as core_dossier
from desktop.core.dossier import DossierInputError, Options
from desktop.core.services import dossiers


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("dossier", help="create, fill and list dossiers")
    sub = p.add_subparsers(dest="dossier_verb", metavar="VERB", required=True)

    c = sub.add_parser("create", help="a new, empty dossier")
    c.add_argument("title")
    c.add_argument("--subtitle", default="")
    c.add_argument("--author", default="")
    c.add_argument("--marking", default="", help='handling marking, e.g. "CONFIDENTIAL"')
    add_json_flag(c)
    c.set_defaults(func=cmd_create)

    a = sub.add_parser(
        "add",
        help="add an item: entity ID | article ID | excerpt ARTICLE START END | "
        "note TEXT | heading TEXT",
    )
    a.add_argument("dossier", help="dossier id or exact title")
    a.add_argument("kind", choices=["entity", "article", "excerpt", "note", "heading"])
    a.add_argument("values", nargs="+")
    a.add_argument("--position", type=int, default=None, help="0-based position (default: end)")
    add_json_flag(a)
    a.set_defaults(func=cmd_add)

    ls = sub.add_parser("list", help="every dossier")
    add_json_flag(ls)
    ls.set_defaults(func=cmd_list)

    sh = sub.add_parser("show", help="the items of one dossier, in order")
    sh.add_argument("dossier")
    add_json_flag(sh)
    sh.set_defaults(func=cmd_show)

    rn = sub.add_parser("rename", help="change the title (and cover fields)")
    rn.add_argument("dossier")
    rn.add_argument("title")
    rn.add_argument("--subtitle", default=None)
    rn.add_argument("--author", default=None)
    rn.add_argument("--marking", default=None)
    add_json_flag(rn)
    rn.set_defaults(func=cmd_rename)

    rm = sub.add_parser("remove", help="remove one item by its item id")
    rm.add_argument("item", type=int)
    rm.set_defaults(func=cmd_remove)

    dl = sub.add_parser("delete", help="delete a dossier (its entities and articles stay)")
    dl.add_argument("dossier")
    dl.set_defaults(func=cmd_delete)

    e = subparsers.add_parser("export", help="export a dossier as PDF, HTML, Markdown, JSON…")
    e.add_argument("dossier", help="dossier id or exact title")
    _export_args(e)
    e.set_defaults(func=cmd_export)

    ee = subparsers.add_parser("export-entity", help="a one-entity dossier, built on the fly")
    ee.add_argument("entity_id", type=int)
    ee.add_argument("--author", default="")
    ee.add_argument("--marking", default="")
    _export_args(ee)
    ee.set_defaults(func=cmd_export_entity)


_AUTO = "\0auto"


def _export_args(p: argparse.ArgumentParser) -> None:
    # A format flag without FILE names the file after the dossier's title (an
    # entity's name for export-entity), made safe, in --out-dir.
    auto = {"nargs": "?", "const": _AUTO}
    p.add_argument("--pdf", metavar="FILE", **auto)  # type: ignore[arg-type]
    p.add_argument("--html", metavar="FILE", **auto)  # type: ignore[arg-type]
    p.add_argument("--md", metavar="FILE", **auto)  # type: ignore[arg-type]
    p.add_argument("--json", dest="json_file", metavar="FILE", **auto)  # type: ignore[arg-type]
    p.add_argument(
        "--graphml",
        metavar="FILE",
        help="the co-mention network, for Gephi",
        **auto,  # type: ignore[arg-type]
    )
    p.add_argument(
        "--out-dir",
        metavar="DIR",
        default=None,
        help="folder for format flags given without FILE (default: the current folder)",
    )
    p.add_argument("--paper", choices=["A4", "Letter"], default="A4")
    p.add_argument("--no-contexts", action="store_true", help="omit mentions in context")
    p.add_argument("--max-contexts", type=int, default=None, metavar="N")
    p.add_argument(
        "--redact", action="append", default=[], metavar="TEXT", help="black out TEXT everywhere"
    )
    p.add_argument("--redact-notes", action="store_true", help="black out every note")
    p.add_argument(
        "--unreviewed",
        action="store_true",
        help="print suggested links nobody confirmed, in a marked section of their own "
        "(left out by default)",
    )


def _print_item(item: dossiers.ItemSummary) -> None:
    flag = "  [missing]" if item.missing else ""
    print(f"{item.id:>5}  {item.position:>3}  {item.kind:<8} {item.label}{flag}")


def cmd_create(args: argparse.Namespace) -> int:
    d = dossiers.create_dossier(
        store_from(args),
        args.title,
        subtitle=args.subtitle,
        author=args.author,
        marking=args.marking,
    )
    if args.json:
        print_json(d)
    else:
        print(f"Created dossier {d.id}: {d.title}")
    return 0


def _int(value: str, what: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise DossierInputError(f"{what} must be a number, not {value!r}") from None


def cmd_add(args: argparse.Namespace) -> int:
    store = store_from(args)
    d = dossiers.find_dossier(store, args.dossier)
    v, pos = args.values, args.position
    if args.kind in ("entity", "article"):
        if len(v) != 1:
            raise DossierInputError(f"dossier add {args.kind} takes one id")
        ident = _int(v[0], f"the {args.kind} id")
        add = dossiers.add_entity if args.kind == "entity" else dossiers.add_article
        item = add(store, d.id, ident, position=pos)
    elif args.kind == "excerpt":
        if len(v) != 3:
            raise DossierInputError("dossier add excerpt takes ARTICLE START END")
        article, start, end = (
            _int(x, n) for x, n in zip(v, ("ARTICLE", "START", "END"), strict=True)
        )
        item = dossiers.add_excerpt(store, d.id, article, start, end, position=pos)
    elif args.kind == "note":
        item = dossiers.add_note(store, d.id, " ".join(v), position=pos)
    else:
        item = dossiers.add_heading(store, d.id, " ".join(v), position=pos)
    if args.json:
        print_json(item)
    else:
        print(f"Added to dossier {d.id} ({d.title}):")
        _print_item(item)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    rows = dossiers.list_dossiers(store_from(args))
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print('No dossiers yet. Create one with: dossier-desk dossier create "TITLE"')
        return 0
    for d in rows:
        marking = f"  [{d.marking}]" if d.marking else ""
        print(f"{d.id:>5}  {d.items:>3} items  {d.title}{marking}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    store = store_from(args)
    d = dossiers.find_dossier(store, args.dossier)
    items = dossiers.list_items(store, d.id)
    if args.json:
        print_json({"dossier": d, "items": items})
        return 0
    print(f"{d.title}" + (f" — {d.subtitle}" if d.subtitle else ""))
    for item in items:
        _print_item(item)
    return 0


def cmd_rename(args: argparse.Namespace) -> int:
    store = store_from(args)
    d = dossiers.find_dossier(store, args.dossier)
    d = dossiers.update_dossier(
        store,
        d.id,
        title=args.title,
        subtitle=args.subtitle,
        author=args.author,
        marking=args.marking,
    )
    if args.json:
        print_json(d)
    else:
        print(f"Dossier {d.id} is now: {d.title}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    item = dossiers.remove_item(store_from(args), args.item)
    print(f"Removed item {item.id} ({item.kind}: {item.label})")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    store = store_from(args)
    d = dossiers.delete_dossier(store, dossiers.find_dossier(store, args.dossier).id)
    print(f"Deleted dossier {d.id}: {d.title} ({d.items} items)")
    return 0


def _options(args: argparse.Namespace) -> Options:
    if args.max_contexts is not None and args.max_contexts < 0:
        raise DossierInputError("--max-contexts must be 0 or more")
    return Options(
        include_contexts=not args.no_contexts,
        max_contexts=args.max_contexts,
        redact=tuple(args.redact),
        redact_notes=args.redact_notes,
        include_unreviewed=args.unreviewed,
    )


def _write_all(args: argparse.Namespace, data: core_dossier.DossierData) -> int:
    targets = [
        (fmt, getattr(args, attr))
        for fmt, attr in (
            ("pdf", "pdf"),
            ("html", "html"),
            ("md", "md"),
            ("json", "json_file"),
            ("graphml", "graphml"),
        )
        if getattr(args, attr)
    ]
    if not targets:
        raise DossierInputError(
            "nothing to export: give at least one of --pdf, --html, --md, --json, --graphml"
        )
    from desktop.report.files import check_writable, export_path, write_bytes

    if any(path == _AUTO for _, path in targets):
        folder = Path(args.out_dir or ".")
        if not folder.is_dir():
            raise DossierInputError(f"{folder}: --out-dir is not a folder")
        ext = {"md": ".md", "graphml": ".graphml"}
        targets = [
            (
                fmt,
                str(export_path(folder, data.title, ext.get(fmt, f".{fmt}")))
                if path == _AUTO
                else path,
            )
            for fmt, path in targets
        ]
    for _, path in targets:
        check_writable(Path(path))
    for fmt, path in targets:
        if fmt == "pdf":
            from desktop.report.pdf import write_pdf

            result = write_pdf(data, path, paper=args.paper)
            print(f"Wrote {path} ({result.pages} pages, {result.seconds:.1f} s)")
            continue
        from desktop.report import html, text_formats

        render = {
            "html": html.dossier_html,
            "md": text_formats.dossier_markdown,
            "json": text_formats.dossier_json,
            "graphml": text_formats.dossier_graphml,
        }[fmt]
        write_bytes(Path(path), render(data).encode("utf-8"))
        print(f"Wrote {path}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    store = store_from(args)
    d = dossiers.find_dossier(store, args.dossier)
    return _write_all(args, core_dossier.assemble(store, d.id, _options(args)))


def cmd_export_entity(args: argparse.Namespace) -> int:
    data = core_dossier.entity_dossier(
        store_from(args),
        args.entity_id,
        _options(args),
        author=args.author,
        marking=args.marking,
    )
    return _write_all(args, data)
