"""The offline guarantee: the whole workflow, from import to export, runs with
the network blocked (tests/fixtures/offline.py records and refuses every
attempt), and a saved web page's remote images, stylesheets and fonts are
never fetched."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from desktop.cli import run
from desktop.resources import samples_dir

REMOTE_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Remote assets page</title>
<link rel="stylesheet" href="http://192.0.2.1/style.css">
<link rel="preload" href="https://192.0.2.1/font.woff2" as="font">
<style>@import url("http://192.0.2.1/more.css");
@font-face { font-family: X; src: url("https://192.0.2.1/x.woff"); }
body { background: url(http://192.0.2.1/bg.png); }</style>
<script src="http://192.0.2.1/track.js"></script>
</head><body><article>
<h1>Remote assets page</h1>
<p>Officials in Islamabad said on Monday that Masood Azhar, the leader of
Jaish-e-Mohammed, had not been seen in Bahawalpur for several weeks, and that
investigators were examining the group's finances.</p>
<img src="http://192.0.2.1/photo.jpg" srcset="https://192.0.2.1/p2.jpg 2x">
<iframe src="https://192.0.2.1/embed"></iframe>
<p>The Lashkar-e-Taiba founder Hafiz Saeed remains in custody in Lahore,
according to a court filing reviewed by reporters this week.</p>
<video poster="http://192.0.2.1/poster.png"><source src="http://192.0.2.1/v.mp4"></video>
</article></body></html>
"""


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = run(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, f"{argv}: exit {code}\n{err}"
    return out


def test_the_blocker_catches_what_it_should(no_network):
    import _socket
    import socket

    with pytest.raises(AssertionError, match="network use while offline"):
        urllib.request.urlopen("http://192.0.2.1/", timeout=1)
    with pytest.raises(AssertionError, match="network use while offline"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)
    # Past the module attributes: the audit hook sees the C-level socket.
    with pytest.raises(AssertionError, match="network use while offline"):
        _socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # Local pipes between threads stay allowed.
    a, b = socket.socketpair()
    a.close()
    b.close()
    assert len(no_network) >= 3
    no_network.clear()


def test_whole_workflow_runs_with_the_network_blocked(capsys, tmp_path, no_network, qapp):
    # qapp: the PDF export would otherwise make a bare QGuiApplication that
    # the widget tests later in the run could not use.
    inbox = tmp_path / "inbox"
    shutil.copytree(samples_dir(), inbox)
    (inbox / "remote-assets.html").write_text(REMOTE_PAGE, encoding="utf-8")
    formats = {p.suffix for p in inbox.iterdir()}
    assert {".txt", ".md", ".html", ".pdf", ".docx", ".eml"} <= formats
    db = str(tmp_path / "lib.sqlite")
    out_dir = tmp_path / "out"
    out_dir.mkdir()

    report = json.loads(_cli(capsys, "--db", db, "import", str(inbox), "--json"))
    assert len(report["imported"]) >= len(formats), report
    assert not report["failed"], report["failed"]
    entities = json.loads(_cli(capsys, "--db", db, "entities", "--json"))
    assert len(entities) >= 5
    _cli(capsys, "--db", db, "suggest", "--json")
    a, b = entities[0]["id"], entities[1]["id"]
    _cli(capsys, "--db", db, "judge", str(a), str(b), "different")
    # Merge two organisations the judgement above did not touch.
    orgs = [e["id"] for e in entities if e["type"] == "ORG" and e["id"] not in (a, b)]
    merged = json.loads(_cli(capsys, "--db", db, "merge", str(orgs[0]), str(orgs[1]), "--json"))
    assert merged
    _cli(capsys, "--db", db, "relink")
    d = json.loads(_cli(capsys, "--db", db, "dossier", "create", "Offline check", "--json"))
    for e in entities[:3]:
        _cli(capsys, "--db", db, "dossier", "add", str(d["id"]), "entity", str(e["id"]))
    article = report["imported"][0]
    _cli(capsys, "--db", db, "dossier", "add", str(d["id"]), "article", str(article))
    _cli(
        capsys, "--db", db, "export", str(d["id"]), "--out-dir", str(out_dir),
        "--pdf", "--html", "--md", "--json", "--graphml",
    )  # fmt: skip
    _cli(capsys, "--db", db, "export-entities", str(out_dir / "entities.csv"))
    _cli(capsys, "--db", db, "export-entities", str(out_dir / "entities.jsonl"))
    _cli(capsys, "--db", str(tmp_path / "other.sqlite"), "import-entities",
         str(out_dir / "entities.csv"))  # fmt: skip
    assert no_network == []
    written = sorted(p.name for p in out_dir.iterdir())
    assert written == [
        "Offline check.graphml",
        "Offline check.html",
        "Offline check.json",
        "Offline check.md",
        "Offline check.pdf",
        "entities.csv",
        "entities.jsonl",
    ]
    assert (out_dir / "Offline check.pdf").read_bytes().startswith(b"%PDF")
    # Nothing the app reads or loads points at the page's servers.
    html = (out_dir / "Offline check.html").read_text(encoding="utf-8")
    assert "192.0.2.1" not in html


@pytest.mark.qt
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare(1)")
def test_cli_workflow_in_a_namespace_without_network(tmp_path):
    """The same workflow in a process that has no network interface at all
    (a user namespace with its own, empty network): nothing can leave, even
    through Qt's own sockets, and the workflow must still succeed."""
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("user namespaces are not available here")
    db = tmp_path / "lib.sqlite"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "remote-assets.html").write_text(REMOTE_PAGE, encoding="utf-8")
    base = ["unshare", "-rn", sys.executable, "-m", "desktop", "--db", str(db)]
    steps = [
        ["import", str(inbox)],
        ["dossier", "create", "Namespace"],
        ["dossier", "add", "1", "article", "1"],
        ["export", "1", "--pdf", str(tmp_path / "n.pdf"), "--html", str(tmp_path / "n.html")],
    ]
    for step in steps:
        result = subprocess.run(
            base + step, capture_output=True, text=True, timeout=180, check=False
        )
        assert result.returncode == 0, (step, result.stderr)
    assert (tmp_path / "n.pdf").read_bytes().startswith(b"%PDF")


def test_no_module_of_the_app_names_a_network_api():
    """A static guard next to the dynamic ones: no update check, no model
    download, no page fetch anywhere in the code (trafilatura is only given
    text, spaCy loads its model from an installed package)."""
    import re

    root = Path(__file__).resolve().parents[2] / "desktop"
    banned = re.compile(
        r"\b(?:urlopen|urlretrieve|fetch_url|fetch_response|spacy\.cli|spacy\.download|"
        r"requests\.(?:get|post|Session)|httpx\.|urllib3\.|http\.client|socket\.|"
        r"QNetworkAccessManager|QtNetwork|QDesktopServices\.openUrl)"
    )
    hits = [
        f"{src.relative_to(root)}:{n}: {line.strip()}"
        for src in sorted(root.rglob("*.py"))
        # The guard that stops urllib3's IPv6 probe names what it guards.
        if src.name != "no_sockets.py"
        for n, line in enumerate(src.read_text(encoding="utf-8").splitlines(), 1)
        if banned.search(line) and not line.lstrip().startswith("#")
    ]
    assert hits == []
