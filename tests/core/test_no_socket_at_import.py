"""Not one socket, not even at import (issue 13): urllib3, which trafilatura
imports, used to create one and bind it to ::1 to probe for IPv6.

Each check runs in a fresh interpreter whose audit hook is installed before
anything of ours is imported, so import-time sockets are seen too."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

PRELUDE = textwrap.dedent(
    """
    import sys
    seen = []
    def hook(event, args):
        if event.startswith("socket."):
            seen.append(event)
    sys.addaudithook(hook)
    """
)


def _sockets_seen(body: str, *argv: str) -> str:
    code = PRELUDE + textwrap.dedent(body) + "\nprint('SOCKETS', seen)\n"
    done = subprocess.run(
        [sys.executable, "-c", code, *argv],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


def test_the_probe_is_what_we_think_it_is() -> None:
    """The control: importing urllib3 without our hook does create a socket
    (where this machine has IPv6), so the tests below can fail."""
    if not __import__("socket").has_ipv6:
        pytest.skip("no IPv6 here: urllib3 does not probe")
    assert _sockets_seen("import urllib3") != "SOCKETS []"


def test_starting_the_cli_and_importing_a_saved_page_opens_no_socket(tmp_path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Convoy attack</title></head><body><article><h1>Convoy attack"
        "</h1><p>Officials in Kabul said the convoy was attacked near Jalalabad on Monday "
        "morning, and that the road was closed for the day.</p></article></body></html>",
        encoding="utf-8",
    )
    body = """
        from desktop.cli import run
        code = run(["--db", sys.argv[1], "import", sys.argv[2]])
        assert code == 0, code
    """
    assert _sockets_seen(body, str(tmp_path / "db.sqlite"), str(page)) == "SOCKETS []"


@pytest.mark.qt
def test_building_the_window_opens_no_socket(tmp_path) -> None:
    pytest.importorskip("PySide6")
    body = """
        import os
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from desktop.core.store import open_store
        from desktop.ui.application import build_window, make_application
        from desktop.ui.settings import Settings
        app = make_application()
        window = build_window(open_store(sys.argv[1]), settings=Settings(sys.argv[2]))
        window.show()
        app.processEvents()
        window.close()
    """
    seen = _sockets_seen(body, str(tmp_path / "db.sqlite"), str(tmp_path / "s.ini"))
    assert seen == "SOCKETS []"
