from __future__ import annotations

import json

import pytest

from desktop.cli import run
from desktop.core.services import library
from tests.core.resolve_helpers import add_entity


def _json(capsys, argv):
    assert run(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_suggest_merge_judge_split_undo(store, db_path, capsys):
    a = add_entity(store, "Jaish-e-Mohammed")
    b = add_entity(store, "Jaish-e-Muhammad")
    c = add_entity(store, "Lashkar-e-Taiba")
    d = add_entity(store, "Lashkar-e-Jhangvi")
    db = ["--db", str(db_path)]
    rows = _json(capsys, [*db, "suggest", "--json"])
    assert [(r["a"], r["b"], r["a_name"], r["b_name"]) for r in rows] == [
        (a, b, "Jaish-e-Mohammed", "Jaish-e-Muhammad")
    ]
    assert rows[0]["score"] >= 90
    # The rules' reading first, then the model's strongest evidence.
    assert rows[0]["reason"].startswith("same after transliteration (")
    low = _json(capsys, [*db, "suggest", "--json", "--min-score", "0"])
    let_lej = next(r for r in low if {r["a"], r["b"]} == {c, d})
    assert let_lej["score"] < 70
    assert "differ in 'taiba' / 'jhangvi'" in let_lej["reason"]
    assert run([*db, "judge", str(c), str(d), "different", "--note", "two groups"]) == 0
    capsys.readouterr()
    assert run([*db, "merge", str(c), str(d)]) == 1
    assert "judged different" in capsys.readouterr().err
    change = _json(capsys, [*db, "merge", str(a), str(b), "--name", "Jaish-e-Mohammed", "--json"])
    assert change["label"] == "merge of Jaish-e-Muhammad into Jaish-e-Mohammed"
    assert sorted(change["entity_ids"]) == [a, b]
    assert run([*db, "split", str(a), "Jaish-e-Muhammad"]) == 0
    assert "split of Jaish-e-Muhammad" in capsys.readouterr().out
    assert run([*db, "undo"]) == 0
    assert run([*db, "undo"]) == 0
    assert run([*db, "redo"]) == 0
    capsys.readouterr()
    assert [e.name for e in library.list_entities(store) if e.id in (a, b)] == ["Jaish-e-Mohammed"]


def test_import_export_round_trip(store, db_path, tmp_path, capsys):
    csv_in = tmp_path / "watch.csv"
    csv_in.write_text(
        "name,type,aliases\nJaish-e-Mohammed,ORG,JeM;Army of Muhammad\nMasood Azhar,PER,\n",
        encoding="utf-8",
    )
    ftm = tmp_path / "list.jsonl"
    ftm.write_text(
        json.dumps(
            {
                "id": "q1",
                "schema": "Person",
                "properties": {
                    "name": ["Hafiz Muhammad Saeed"],
                    "alias": ["Hafiz Saeed"],
                    "weakAlias": ["Saeed"],
                    "nationality": ["pk"],
                },
            }
        )
        + "\n"
        + json.dumps({"id": "x", "schema": "Vessel", "properties": {"name": ["Ship"]}})
        + "\n",
        encoding="utf-8",
    )
    db = ["--db", str(db_path)]
    rep = _json(capsys, [*db, "import-entities", str(csv_in), "--json"])
    assert (rep["entities"], rep["aliases"]) == (2, 4)
    rep = _json(capsys, [*db, "import-entities", str(ftm), "--json"])
    assert rep["entities"] == 1
    assert rep["skipped"]
    ents = {e.name: e for e in library.list_entities(store)}
    assert ents["Hafiz Muhammad Saeed"].type == "PER"
    assert {a.kind for a in ents["Hafiz Muhammad Saeed"].aliases} == {"name", "alias", "weakAlias"}
    assert {a.name for a in ents["Jaish-e-Mohammed"].aliases} == {
        "Jaish-e-Mohammed",
        "JeM",
        "Army of Muhammad",
    }
    out_csv, out_ftm = tmp_path / "out.csv", tmp_path / "out.jsonl"
    assert run([*db, "export-entities", str(out_csv)]) == 0
    assert run([*db, "export-entities", str(out_ftm)]) == 0
    assert "Jaish-e-Mohammed,ORG,JeM;Army of Muhammad" in out_csv.read_text()
    records = [json.loads(x) for x in out_ftm.read_text().splitlines()]
    saeed = next(r for r in records if r["schema"] == "Person" and r["id"] == "q1")
    assert saeed["properties"]["weakAlias"] == ["Saeed"]
    assert saeed["properties"]["nationality"] == ["pk"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.csv", "type\nORG\n", "line 1: the header must have a 'name' column"),
        ("bad2.csv", "name,type\nJeM,ORG\n,PER\n", "line 3: empty name"),
        ("bad3.csv", "name,type\nJeM,GROUP\n", "line 2: unknown type 'GROUP'"),
        ("bad.jsonl", '{"schema": "Person", "properties": {}}\n{oops\n', "line 1: a Person"),
        ("bad2.jsonl", "\n{oops\n", "line 2: not JSON"),
        ("x.xml", "<a/>", "unknown format .xml"),
    ],
)
def test_import_errors_name_file_and_line(db_path, tmp_path, capsys, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert run(["--db", str(db_path), "import-entities", str(path)]) == 1
    err = capsys.readouterr().err
    assert str(path) in err
    assert message in err


def test_judgements_teach_suggest_and_informative_order(store, db_path, capsys):
    ids = {
        n: add_entity(store, n, "ORG")
        for n in (
            "Jamaat-e-Islami",
            "Jamiat-e-Islami",
            "Jamaat-ul-Ahrar",
            "Jamiat-ul-Ahrar",
            "Jamaat Ulema",
            "Jamiat Ulema",
            "Hezbollah",
            "Hizbullah",
        )
    }
    db = ["--db", str(db_path)]

    def score_of(a: str, b: str) -> int:
        rows = _json(capsys, [*db, "suggest", "--json", "--min-score", "0", "--limit", "100"])
        return next(r["score"] for r in rows if {r["a"], r["b"]} == {ids[a], ids[b]})

    cold = score_of("Jamaat-ul-Ahrar", "Jamiat-ul-Ahrar")
    for a, b in (("Jamaat-e-Islami", "Jamiat-e-Islami"), ("Jamaat Ulema", "Jamiat Ulema")):
        assert run([*db, "judge", str(ids[a]), str(ids[b]), "different"]) == 0
    capsys.readouterr()
    assert score_of("Jamaat-ul-Ahrar", "Jamiat-ul-Ahrar") <= cold - 10
    rows = _json(capsys, [*db, "suggest", "--json", "--min-score", "0", "--informative"])
    gaps = [abs(r["score"] - 50) for r in rows]
    assert gaps == sorted(gaps)
