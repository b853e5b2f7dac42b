"""The window at common screen sizes and at 200% scale: every name column
shows at least 16 characters and no panel lies outside the screen.

Each size runs in its own process on an offscreen screen of that size (Qt's
offscreen platform reads the screen from a JSON file). Screenshots go to
``tmp_path`` or, with DOSSIER_DESK_LAYOUT_SHOTS set, to that folder (the
README's are in packaging/screenshots/layout/)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.qt, pytest.mark.slow]

HERE = Path(__file__).parent
SIZES = [(1280, 800, 1), (1366, 768, 1), (1920, 1080, 1), (2560, 1440, 1), (2560, 1600, 2)]


@pytest.fixture(scope="module")
def samples_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from desktop.core.services.pipeline import import_and_extract
    from desktop.core.store import open_store
    from desktop.resources import samples_dir

    db = tmp_path_factory.mktemp("layout") / "library.sqlite"
    store = open_store(db)
    import_and_extract(store, [samples_dir()], processes=1)
    store.close()
    return db


@pytest.mark.parametrize(("width", "height", "scale"), SIZES, ids=lambda v: str(v))
def test_window_fits_and_names_are_readable(samples_db, tmp_path, width, height, scale):
    screen = {
        "screens": [
            {
                "name": "layout",
                "x": 0,
                "y": 0,
                "width": width,
                "height": height,
                "logicalDpi": 96,
                "logicalBaseDpi": 96,
                "dpr": 1,
            }
        ]
    }
    config = tmp_path / "screen.json"
    config.write_text(json.dumps(screen))
    folder = Path(os.environ.get("DOSSIER_DESK_LAYOUT_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    shot = folder / f"window-{width}x{height}{'-200pct' if scale == 2 else ''}.png"
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    env.pop("DOSSIER_DESK_BLOCK_QT", None)
    if scale != 1:
        env["QT_SCALE_FACTOR"] = str(scale)
    run = subprocess.run(
        [
            sys.executable,
            str(HERE / "layout" / "window_at_size.py"),
            str(samples_db),
            str(tmp_path / "settings.ini"),
            str(shot),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    sx, sy, sw, sh = seen["screen"]
    assert (sw, sh) == (width // scale, height // scale)
    fx, fy, fw, fh = seen["frame"]
    assert (sx, sy) <= (fx, fy), seen
    assert fx + fw <= sx + sw, seen
    assert fy + fh <= sy + sh, seen
    for name, (x, y, w, h) in seen["docks"].items():
        assert sx <= x, (name, seen)
        assert x + w <= sx + sw, (name, seen)
        assert sy <= y, (name, seen)
        assert y + h <= sy + sh, (name, seen)
    assert {"entityDock", "libraryDock"} <= set(seen["docks"])
    for column, px in seen["columns"].items():
        assert px >= seen["needed"], (column, px, seen["needed"])
    assert shot.stat().st_size > 10_000
