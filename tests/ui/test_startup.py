"""What the window's start-up path imports, checked in a fresh interpreter:
the language model, the import pipeline and the PDF/HTML readers load where
they are used (a worker running an import or an extraction), never while the
window starts or checks the model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from desktop.core.store import open_store

# Each of these costs a tenth of a second to a second of imports, or loads
# the language model (spaCy), and the window does not need them to start.
HEAVY = (
    "spacy",
    "thinc",
    "trafilatura",
    "pypdf",
    "docx",
    "desktop.core.services.extraction",
    "desktop.core.services.pipeline",
    "desktop.core.services.ingest",
    "desktop.core.ingest.readers",
    "desktop.report.pdf",
    "alembic",
)

CHILD = r"""
import json, sys
import desktop.ui.wiring as wiring

# The model check runs at once instead of a few seconds after start.
wiring.EXTRACTOR_CHECK_DELAY_MS = 0
seen = {}
real_install = wiring.install


def install(window, runner=None):
    w = real_install(window, runner)
    checked = w._show_extractor_status

    def show(status):
        checked(status)
        seen["degraded"] = status.degraded
        seen["message"] = status.message

    w._show_extractor_status = show
    return w


wiring.install = install
from desktop.app import main

rc = main(["--db", sys.argv[1]])
print("RESULT " + json.dumps({"rc": rc, "modules": sorted(sys.modules), **seen}))
"""


def test_start_up_imports_nothing_heavy_and_checks_the_model_off_the_gui_thread(
    tmp_path: Path,
) -> None:
    db = tmp_path / "library.sqlite"
    open_store(db).close()
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        # Long enough for the model check's worker to report back.
        "DOSSIER_DESK_QUIT_AFTER_MS": "1500",
    }
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(db)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    line = next(x for x in proc.stdout.splitlines() if x.startswith("RESULT "))
    result = json.loads(line[len("RESULT ") :])
    assert result["rc"] == 0
    modules = set(result["modules"])
    assert "desktop.ui.main_window" in modules  # the window did start
    loaded = [name for name in HEAVY if name in modules]
    assert loaded == [], f"imported at start-up: {loaded}"
    # The check reported, from what is installed, without loading the model.
    assert result["degraded"] is False
    assert "installed" in result["message"]
