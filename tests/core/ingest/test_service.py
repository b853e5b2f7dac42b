"""Storing imports: provenance, duplicates, batches with bad files, the CLI."""

from __future__ import annotations

import hashlib
import json
import zlib
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlmodel import func, select

from desktop.cli import run
from desktop.core import models as m
from desktop.core.errors import DossierDeskError
from desktop.core.ingest import TooLargeError
from desktop.core.services import ingest
from desktop.core.services.library import get_article, list_articles, search_articles
from desktop.resources import samples_dir

pytestmark = pytest.mark.both_backends

ARTICLE = (
    "Police question JeM suspects\n\n"
    "PESHAWAR: Police questioned three men suspected of links to Jaish-e-Mohammed (JeM) "
    "on Monday, officials said. One of them, Abdul Rauf, denied knowing Masood Azhar.\n"
)


def _count(store) -> int:
    with store.session() as s:
        return int(s.exec(select(func.count()).select_from(m.Article)).one())


def _article(n: int) -> str:
    return ARTICLE.replace("three men", f"{n} men")


def test_samples_import_every_format(store):
    report = ingest.import_paths(store, [samples_dir()])
    assert report.failed == []
    assert len(report.imported) == len(list(samples_dir().iterdir())) >= 8
    with store.session() as s:
        formats = set(s.exec(select(m.Article.format)).all())
    assert formats == {"txt", "md", "html", "pdf", "docx", "eml"}
    again = ingest.import_paths(store, [samples_dir()])
    assert again.imported == []
    assert again.failed == []
    assert sorted(d["id"] for d in again.duplicates) == sorted(report.imported)


def test_provenance_is_kept(store, tmp_path):
    path = tmp_path / "a.txt"
    data = ("Skip to content\nShare\n\n" + ARTICLE + "\nAll rights reserved.\n").encode()
    path.write_bytes(data)
    report = ingest.import_paths(store, [path])
    (article_id,) = report.imported
    with store.session() as s:
        row = s.get(m.Article, article_id)
        assert zlib.decompress(row.original) == data  # the original keeps the furniture
        assert row.original_size == len(data)
        assert row.sha256 == hashlib.sha256(data).hexdigest()
        assert row.source_path == str(path)
        assert row.format == "txt"
        assert row.imported_at is not None
        assert json.loads(row.extra)["dateline"] == "Peshawar"
    detail = get_article(store, article_id)
    assert detail.title == "Police question JeM suspects"
    assert "Skip" not in detail.body
    assert "rights" not in detail.body


def test_same_content_under_another_name_is_a_duplicate(store, tmp_path):
    tmp_path = tmp_path / "in"
    tmp_path.mkdir()
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "copy of a.txt").write_text(ARTICLE)
    report = ingest.import_paths(store, [tmp_path])
    assert len(report.imported) == 1
    assert report.duplicates == [
        {"path": str(tmp_path / "copy of a.txt"), "id": report.imported[0]}
    ]
    assert _count(store) == 1


def test_import_text_and_its_duplicate(store):
    first = ingest.import_text(store, ARTICLE)
    assert first[1] is True
    assert ingest.import_text(store, ARTICLE) == (first[0], False)
    detail = get_article(store, first[0])
    assert detail.format == "paste"
    assert detail.source == "clipboard"
    assert detail.title == "Police question JeM suspects"


def test_preview_text_shows_what_import_text_would_store(store):
    preview = ingest.preview_text("Share\nSubscribe\n\n" + ARTICLE + "\nAll rights reserved.")
    assert preview.title == "Police question JeM suspects"
    assert preview.body.startswith("Police question JeM suspects\n\nPESHAWAR: Police questioned")
    assert preview.furniture_lines_dropped == 3
    assert _count(store) == 0


def test_import_text_refuses_empty_and_oversize(store, monkeypatch):
    with pytest.raises(DossierDeskError, match="clipboard: the pasted text is empty"):
        ingest.import_text(store, "  \n ")
    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 100)
    with pytest.raises(TooLargeError, match="clipboard: the pasted text is too large"):
        ingest.import_text(store, ARTICLE)
    assert _count(store) == 0


def test_oversize_file_in_a_batch_is_reported(store, tmp_path, monkeypatch):
    tmp_path = tmp_path / "in"
    tmp_path.mkdir()
    monkeypatch.setattr("desktop.core.ingest.readers.MAX_FILE_BYTES", 500)
    (tmp_path / "big.txt").write_text(ARTICLE * 5)
    (tmp_path / "small.txt").write_text(ARTICLE)
    report = ingest.import_paths(store, [tmp_path])
    assert len(report.imported) == 1
    assert report.failed[0]["path"] == str(tmp_path / "big.txt")
    assert "too large" in report.failed[0]["error"]


def test_path_that_disappears_mid_import(store, tmp_path):
    tmp_path = tmp_path / "in"
    tmp_path.mkdir()
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(_article(i))

    def progress(done: int, total: int, path: str) -> None:
        if done == 1:
            (tmp_path / "1.txt").unlink()  # gone after the list was made

    report = ingest.import_paths(store, [tmp_path], progress=progress)
    assert len(report.imported) == 2
    gone = tmp_path / "1.txt"
    assert report.failed == [
        {
            "path": str(gone),
            "error": f"{gone}: the file is gone (moved or deleted during the import?)",
        }
    ]
    assert _count(store) == 2


def test_missing_path_named_by_the_user(store, tmp_path):
    report = ingest.import_paths(store, [tmp_path / "nope.pdf"])
    assert report.failed == [
        {
            "path": str(tmp_path / "nope.pdf"),
            "error": f"{tmp_path / 'nope.pdf'}: no such file or folder",
        }
    ]


def test_unreadable_file(store, tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text(ARTICLE)
    real_open = Path.open

    def deny(self, *args, **kwargs):
        # chmod 000 does not stop root, who runs CI; simulate the refusal instead.
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    report = ingest.import_paths(store, [path])
    assert report.failed == [{"path": str(path), "error": f"{path}: permission denied"}]


def test_progress_and_cancel(store, tmp_path):
    tmp_path = tmp_path / "in"
    tmp_path.mkdir()
    for i in range(6):
        (tmp_path / f"{i}.txt").write_text(_article(i))
    calls: list[tuple[int, int, str]] = []
    report = ingest.import_paths(
        store,
        [tmp_path],
        progress=lambda d, t, p: calls.append((d, t, Path(p).name)),
        should_cancel=lambda: len(calls) >= 3,
    )
    assert report.cancelled
    assert calls == [(1, 6, "0.txt"), (2, 6, "1.txt"), (3, 6, "2.txt")]
    assert len(report.imported) == 3 == _count(store)


def test_folder_of_a_thousand_files_with_bad_ones(store, tmp_path, make_pdf):
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    bad: dict[str, str] = {}
    good = 0
    for i in range(1000):
        sub = folder / ("sub" if i % 2 else "")
        if i % 50 == 7:
            (sub / f"{i}.txt").write_bytes(b"")
            bad[str(sub / f"{i}.txt")] = "the file is empty"
        elif i % 50 == 17:
            (sub / f"{i}.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
            bad[str(sub / f"{i}.txt")] = "binary data"
        elif i % 50 == 27:
            (sub / f"{i}.pdf").write_bytes(make_pdf([["half a PDF"]])[:200])
            bad[str(sub / f"{i}.pdf")] = "truncated"
        elif i % 50 == 37:
            (sub / f"{i}.xyz").write_bytes(b"whatever")
            bad[str(sub / f"{i}.xyz")] = "unsupported file type"
        else:
            (sub / f"{i}.txt").write_text(_article(i))
            good += 1
    (folder / ".hidden.txt").write_text("ignored")
    (folder / "Thumbs.db").write_bytes(b"\x00")
    report = ingest.import_paths(store, [folder])
    assert len(report.imported) == good == 920
    assert len(report.failed) == len(bad) == 80
    for failure in report.failed:
        assert bad[failure["path"]] in failure["error"]
        assert failure["error"].startswith(failure["path"])
    assert _count(store) == good
    # The full-text index followed every insert: the database is consistent.
    assert len(search_articles(store, "Jaish", limit=5000)) == good
    if store.backend.name == "sqlite":
        with store.session() as s:
            assert s.connection().exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def test_eml_with_attachments_stores_each(store, tmp_path, article_pdf):
    msg = EmailMessage()
    msg["From"] = "a@example.org"
    msg["Subject"] = "LeT case papers"
    msg.set_content(ARTICLE)
    msg.add_attachment(article_pdf, maintype="application", subtype="pdf", filename="let.pdf")
    (tmp_path / "m.eml").write_bytes(msg.as_bytes())
    (tmp_path / "let.pdf").write_bytes(article_pdf)
    report = ingest.import_paths(store, [tmp_path / "m.eml", tmp_path / "let.pdf"])
    assert len(report.imported) == 2
    # The same PDF on disk is recognised as the attachment already imported.
    assert report.duplicates == [{"path": str(tmp_path / "let.pdf"), "id": report.imported[1]}]
    sources = {a.source for a in list_articles(store)}
    assert sources == {str(tmp_path / "m.eml"), f"{tmp_path / 'm.eml'}#let.pdf"}


def test_eml_with_a_broken_attachment_reports_it(store, tmp_path, article_pdf):
    msg = EmailMessage()
    msg["From"] = "a@example.org"
    msg["Subject"] = "LeT case papers"
    msg.set_content(ARTICLE)
    broken = article_pdf[:300]
    msg.add_attachment(broken, maintype="application", subtype="pdf", filename="bad.pdf")
    (tmp_path / "m.eml").write_bytes(msg.as_bytes())
    report = ingest.import_paths(store, [tmp_path / "m.eml"])
    assert len(report.imported) == 1
    (failure,) = report.failed
    assert failure["path"] == str(tmp_path / "m.eml")
    assert failure["error"].startswith(f"{tmp_path / 'm.eml'}#bad.pdf: the PDF is truncated")


def test_reimport_is_a_duplicate_without_parsing(store, tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(ARTICLE)
    (first,) = ingest.import_paths(store, [tmp_path / "a.txt"]).imported

    def fail(*args, **kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr(ingest, "read_bytes", fail)
    report = ingest.import_paths(store, [tmp_path / "a.txt"])
    assert report.duplicates == [{"path": str(tmp_path / "a.txt"), "id": first}]


def test_store_article_keeps_its_signature(store):
    from desktop.core.ingest.readers import read_pasted

    raw = read_pasted(ARTICLE)
    article_id, created = ingest.store_article(store, raw)
    assert created
    assert ingest.store_article(store, raw) == (article_id, False)


# --- CLI -------------------------------------------------------------------------


def test_cli_import_json_and_exit_codes(db_path, tmp_path, capsys):
    tmp_path = tmp_path / "in"
    tmp_path.mkdir()
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "empty.txt").write_text("")
    code = run(["--db", str(db_path), "import", str(tmp_path), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    assert set(out) == {"imported", "duplicates", "failed"}
    assert len(out["imported"]) == 1
    assert out["failed"] == [
        {
            "path": str(tmp_path / "empty.txt"),
            "error": f"{tmp_path / 'empty.txt'}: the file is empty",
        }
    ]
    code = run(["--db", str(db_path), "import", str(tmp_path / "a.txt")])
    text = capsys.readouterr().out
    assert code == 0
    assert "Imported 0 articles, 1 duplicate, 0 failed." in text
    code = run(["--db", str(db_path), "articles", "show", str(out["imported"][0]), "--json"])
    shown = json.loads(capsys.readouterr().out)
    assert code == 0
    assert shown["title"] == "Police question JeM suspects"
    assert shown["body"].startswith("Police question JeM suspects\n\nPESHAWAR: Police questioned")
