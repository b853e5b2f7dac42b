"""Smoke test of the frozen app: run the bundled program, and nothing else,
against a temporary data folder.

    python3 packaging/smoke.py [PROGRAM] [--report FILE]

PROGRAM defaults to dist/dossier-desk/dossier-desk. Every step runs the program
with a bare environment (PATH, HOME, XDG folders, LANG, QT_QPA_PLATFORM and the
database path only: no PYTHONPATH, no virtual environment), so a pass shows that
the bundle carries everything it needs. A step fails on a non-zero exit code, on
output other than expected, or on any line on stderr that is not in ALLOWED_STDERR.

Standard library only: it runs with any Python 3.9+, not the project's venv.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PROGRAM = ROOT / "dist" / "dossier-desk" / "dossier-desk"

# Lines on stderr that are not a problem of ours. Keep this list short.
ALLOWED_STDERR = (
    # Qt's offscreen platform (no display in CI) cannot resize native windows
    # for dock widgets and says so each time a dock is laid out.
    re.compile(r"^This plugin does not support propagateSizeHints\(\)$"),
)

QUIT_AFTER_MS = 3000
STEP_TIMEOUT = 300


class SmokeError(Exception):
    pass


def bare_env(home: Path) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_RUNTIME_DIR": str(home / "runtime"),
        # A desktop session always has a locale; without one Qt warns that it
        # switched to C.UTF-8.
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "DOSSIER_DESK_DB": str(home / "library.sqlite"),
    }


def unexpected(stderr: str) -> list[str]:
    return [
        line
        for line in stderr.splitlines()
        if line.strip() and not any(p.match(line) for p in ALLOWED_STDERR)
    ]


class Smoke:
    def __init__(self, program: Path, home: Path) -> None:
        self.program = program
        self.home = home
        self.env = bare_env(home)
        self.timings: dict[str, float] = {}

    def run(self, name: str, *args: str, extra_env: dict[str, str] | None = None) -> str:
        """Run one step; return its stdout."""
        env = dict(self.env, **(extra_env or {}))
        start = time.perf_counter()
        proc = subprocess.run(
            [str(self.program), *args],
            env=env,
            cwd=self.home,
            capture_output=True,
            text=True,
            timeout=STEP_TIMEOUT,
            check=False,
        )
        self.timings[name] = time.perf_counter() - start
        self.check(name, proc.returncode, proc.stdout, proc.stderr)
        print(f"ok   {name} ({self.timings[name]:.1f} s)")
        return proc.stdout

    def check(self, name: str, code: int, stdout: str, stderr: str) -> None:
        bad = unexpected(stderr)
        if code != 0 or bad:
            raise SmokeError(
                f"{name}: exit code {code}\n--- stdout\n{stdout[-3000:]}\n"
                f"--- unexpected stderr\n" + "\n".join(bad)[-3000:]
            )

    def window(self) -> None:
        """Open the window offscreen; it closes itself QUIT_AFTER_MS after it is up."""
        env = dict(self.env, DOSSIER_DESK_QUIT_AFTER_MS=str(QUIT_AFTER_MS))
        start = time.perf_counter()
        proc = subprocess.Popen(
            [str(self.program)],
            env=env,
            cwd=self.home,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        shown: list[float] = []
        out: list[str] = []

        def read_stdout() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                out.append(line)
                if "window shown" in line and not shown:
                    shown.append(time.perf_counter() - start)

        reader = threading.Thread(target=read_stdout, daemon=True)
        reader.start()
        try:
            assert proc.stderr is not None
            stderr = proc.stderr.read()
            code = proc.wait(timeout=STEP_TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            proc.kill()
            raise SmokeError("window: did not close by itself") from exc
        reader.join(timeout=10)
        self.timings["window"] = time.perf_counter() - start
        self.check("window", code, "".join(out), stderr)
        if not shown:
            raise SmokeError("window: never said it was shown\n" + "".join(out))
        self.timings["window_shown"] = shown[0]
        print(
            f"ok   window (shown after {shown[0]:.1f} s, closed itself after "
            f"{QUIT_AFTER_MS / 1000:.0f} s, exit code 0)"
        )


def samples_of(program: Path) -> Path:
    """The sample articles shipped inside the bundle (not the checkout's)."""
    for base in (program.parent / "_internal", program.parent):
        folder = base / "desktop" / "resources" / "samples"
        if folder.is_dir():
            return folder
    raise SmokeError(f"{program.parent}: no desktop/resources/samples in the bundle")


def expected_version() -> str | None:
    init = ROOT / "desktop" / "__init__.py"
    if not init.is_file():
        return None
    m = re.search(r'^__version__ = "([^"]+)"', init.read_text(encoding="utf-8"), re.M)
    return m.group(1) if m else None


def smoke(program: Path, home: Path, samples: Path | None = None) -> dict[str, float]:
    s = Smoke(program, home)

    version = s.run("--version", "--version").strip()
    want = expected_version()
    wrong = want is not None and version != f"dossier-desk {want}"
    if wrong or not re.fullmatch(r"dossier-desk \S+", version):
        raise SmokeError(f"--version printed {version!r}, expected 'dossier-desk {want}'")

    if samples is None:
        samples = samples_of(program.resolve())
        n_samples = sum(1 for p in samples.iterdir() if p.is_file())
    else:
        # A folder as the program sees it (packaging/clean_room.sh runs it in a
        # chroot): count what it imports instead.
        n_samples = -1
    imported = json.loads(s.run("import samples", "import", str(samples), "--json"))
    if n_samples < 0:
        n_samples = len(imported["imported"])
    if len(imported["imported"]) != n_samples or imported["failed"] or n_samples < 5:
        raise SmokeError(f"import: {imported}")

    # Extraction again with two worker processes: spawned workers re-run the
    # frozen executable, which must turn into a worker (freeze_support) and
    # load the spaCy model from the bundle.
    report = json.loads(s.run("extract with 2 workers", "extract", "--jobs", "2", "--json"))
    if report["degraded"] or "en_core_web_sm" not in report["status"]:
        raise SmokeError(f"extract: entity typing degraded: {report['status']}")
    if report["articles"] != n_samples or report["mentions"] < 50:
        raise SmokeError(f"extract: {report}")

    entities = json.loads(s.run("entities", "entities", "--json"))
    names = {e["name"] for e in entities}
    if len(entities) < 20 or "Lashkar-e-Taiba" not in names:
        raise SmokeError(f"entities: {len(entities)} found, names {sorted(names)[:20]}")

    dossier = json.loads(s.run("dossier create", "dossier", "create", "Smoke test", "--json"))
    did = str(dossier["id"])
    s.run("dossier add entity", "dossier", "add", did, "entity", str(entities[0]["id"]))
    s.run("dossier add article", "dossier", "add", did, "article", str(imported["imported"][0]))
    pdf = home / "smoke.pdf"
    s.run("export pdf", "export", did, "--pdf", str(pdf))
    data = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    if not data.startswith(b"%PDF-") or pages < 1:
        raise SmokeError(f"export: {pdf} is not a PDF with pages ({len(data)} bytes)")
    print(f"     the dossier PDF has {pages} pages, {len(data) // 1024} KiB")

    encrypted(s, samples)
    s.window()
    return s.timings


def encrypted(s: Smoke, samples: Path) -> None:
    """An encrypted database: SQLCipher is loaded by name at run time, which the
    bundle's import analysis could miss. Skipped where its wheel does not exist."""
    if not (sys.platform == "linux" and platform.machine() == "x86_64"):
        print("skip encrypted database (sqlcipher3 has no wheel here)")
        return
    db = s.home / "secret.sqlite"
    env = {"DOSSIER_DESK_DB": str(db), "DOSSIER_DESK_PASSPHRASE": "smoke test passphrase"}
    s.run("init --encrypt", "init", "--encrypt", "--json", extra_env=env)
    s.run("import into it", "import", str(samples), "--no-extract", "--json", extra_env=env)
    info = json.loads(s.run("info on it", "info", "--json", extra_env=env))
    if info["articles"] < 5 or db.read_bytes()[:16] == b"SQLite format 3\0":
        raise SmokeError(f"encrypted database: {info}, header {db.read_bytes()[:16]!r}")


def cold_start(program: Path, home: Path) -> dict[str, float]:
    """`--version` timed on a fresh copy of the bundle (first run, then warm).

    Not a true cold start (the copy sits in the page cache; dropping caches
    needs root), but it includes everything a first run does beyond disk reads.
    """
    copy = home / "fresh-copy"
    real = program.resolve()
    shutil.copytree(real.parent, copy, symlinks=True)
    exe = copy / real.name
    env = bare_env(home)
    out = {}
    for label in ("version_first_run", "version_warm"):
        start = time.perf_counter()
        subprocess.run([str(exe), "--version"], env=env, capture_output=True, check=True)
        out[label] = time.perf_counter() - start
    shutil.rmtree(copy)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("program", nargs="?", type=Path, default=DEFAULT_PROGRAM)
    parser.add_argument("--report", type=Path, help="write the timings as JSON to this file")
    parser.add_argument(
        "--cold-start", action="store_true", help="also time --version on a fresh copy"
    )
    parser.add_argument(
        "--samples",
        type=Path,
        help="the sample folder as the program sees it (default: the bundle's own)",
    )
    parser.add_argument(
        "--tmpdir",
        type=Path,
        help="where to make the temporary home folder (default: $TMPDIR or /tmp)",
    )
    args = parser.parse_args(argv)
    # Absolute, but symlinks kept: /usr/bin/dossier-desk of the .deb is one.
    program = Path(os.path.abspath(args.program))
    if not program.is_file():
        print(f"smoke: {program}: no such program (run `make bundle` first)", file=sys.stderr)
        return 2
    print(f"smoke test of {program}")
    with tempfile.TemporaryDirectory(prefix="dossier-desk-smoke-", dir=args.tmpdir) as tmp:
        home = Path(tmp)
        for sub in ("config", "data", "cache", "runtime"):
            (home / sub).mkdir(mode=0o700)
        try:
            timings = smoke(program, home, args.samples)
            if args.cold_start:
                timings.update(cold_start(program, home))
        except SmokeError as exc:
            print(f"FAIL {exc}", file=sys.stderr)
            return 1
        except subprocess.TimeoutExpired as exc:
            print(f"FAIL {exc.cmd}: no answer after {exc.timeout} s", file=sys.stderr)
            return 1
    for key, value in timings.items():
        print(f"     {key}: {value:.2f} s")
    if args.report:
        args.report.write_text(json.dumps({k: round(v, 2) for k, v in timings.items()}, indent=2))
    print("smoke test passed")
    return 0


if __name__ == "__main__":
    os.umask(0o022)
    raise SystemExit(main())
