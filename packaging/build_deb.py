"""Build a Debian package from the one-folder bundle (run `make bundle` first).

    .venv/bin/python packaging/build_deb.py [--bundle dist/dossier-desk] [--out dist]

The package installs
  /opt/dossier-desk/                       the bundle (program, Python, Qt, spaCy model)
  /usr/bin/dossier-desk                    a relative symlink to the program
  /usr/share/applications/APP_ID.desktop   the launcher
  /usr/share/metainfo/APP_ID.metainfo.xml  AppStream data for software centres
  /usr/share/icons/hicolor/*/apps/APP_ID.{png,svg}
  /usr/share/doc/dossier-desk/copyright    the components and their licences

and is validated with appstreamcli and desktop-file-validate when they are
installed (a missing tool is reported and skipped, never a failure).
Runs with the project's venv Python: the icons are rendered with Qt and the
licence list is read from the installed packages' metadata.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "packaging"))

from render_icons import APP_ID, render  # noqa: E402

from desktop import __version__  # noqa: E402
from desktop.licences import components  # noqa: E402

PACKAGE = "dossier-desk"
# Licences whose full text Debian keeps in /usr/share/common-licenses.
COMMON_LICENCES = {
    "GPL-3.0": "GPL-3",
    "LGPL-3.0": "LGPL-3",
    "LGPL-2.1": "LGPL-2.1",
    "Apache-2.0": "Apache-2.0",
    "GPL-2.0": "GPL-2",
}


def run(*cmd: str) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def glibc_needed(tree: Path) -> str:
    """The newest GLIBC_x.y symbol version any ELF file in ``tree`` asks for."""
    newest = (2, 17)
    pattern = re.compile(rb"GLIBC_(\d+)\.(\d+)")
    for path in tree.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        with path.open("rb") as f:
            if f.read(4) != b"\x7fELF":
                continue
            data = f.read()
        for m in pattern.finditer(data):
            newest = max(newest, (int(m.group(1)), int(m.group(2))))
    return f"{newest[0]}.{newest[1]}"


def copyright_text() -> str:
    lines = [
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/",
        f"Upstream-Name: {PACKAGE}",
        "",
        "Files: *",
        "Copyright: The Dossier Desk team",
        "License: GPL-3.0-or-later",
        " On Debian systems the full text of the GNU General Public License",
        " version 3 is in /usr/share/common-licenses/GPL-3.",
        "",
        "Comment: Bundled components",
        " /opt/dossier-desk carries the following components. The licence texts",
        " that their packages ship are in /opt/dossier-desk/_internal/*.dist-info/",
        " (and the font's in .../desktop/resources/fonts/OFL.txt); Help > About",
        " in the program lists them and shows each text. Qt is used under the",
        " LGPL-3.0: its libraries are the separate files in",
        " /opt/dossier-desk/_internal/PySide6/Qt/lib/ and can be replaced.",
        " .",
    ]
    for c in components():
        if c.name == "Dossier Desk":
            continue
        version = f" {c.version}" if c.version else ""
        common = [f for key, f in COMMON_LICENCES.items() if key in c.licence]
        where = f" (see /usr/share/common-licenses/{common[0]})" if common else ""
        lines.append(f" {c.name}{version}: {c.licence}{where}")
    return "\n".join(lines) + "\n"


def stage(bundle: Path, root: Path) -> None:
    if root.exists():
        shutil.rmtree(root)
    opt = root / "opt" / PACKAGE
    opt.parent.mkdir(parents=True)
    shutil.copytree(bundle, opt, symlinks=True)

    bindir = root / "usr" / "bin"
    bindir.mkdir(parents=True)
    # Relative, so that the launcher also works from a package unpacked with
    # `dpkg-deb -x` into any folder.
    (bindir / PACKAGE).symlink_to(Path("..") / ".." / "opt" / PACKAGE / PACKAGE)

    share = root / "usr" / "share"
    for sub, name in (
        ("applications", f"{APP_ID}.desktop"),
        ("metainfo", f"{APP_ID}.metainfo.xml"),
    ):
        (share / sub).mkdir(parents=True)
        shutil.copyfile(ROOT / "packaging" / name, share / sub / name)
    render(ROOT / "resources" / "icons" / "app.svg", share / "icons")

    doc = share / "doc" / PACKAGE
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(copyright_text(), encoding="utf-8")

    # dpkg wants root-owned, world-readable files; executables stay executable.
    for dirpath, _dirnames, filenames in os.walk(root):
        os.chmod(dirpath, 0o755)
        for name in filenames:
            path = Path(dirpath) / name
            if path.is_symlink():
                continue
            path.chmod(0o755 if path.stat().st_mode & 0o111 else 0o644)


def control(root: Path, arch: str) -> str:
    size_kib = sum(
        (p.stat().st_size + 1023) // 1024
        for p in root.rglob("*")
        if p.is_file() and not p.is_symlink() and "DEBIAN" not in p.parts
    )
    text = (ROOT / "packaging" / "deb" / "control.in").read_text(encoding="utf-8")
    values = {
        "VERSION": __version__,
        "ARCH": arch,
        "INSTALLED_SIZE": str(size_kib),
        "GLIBC": glibc_needed(root / "opt" / PACKAGE),
    }
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    if "@" in "".join(line for line in text.splitlines() if not line.startswith("Maintainer")):
        raise SystemExit("packaging/deb/control.in: a placeholder was left unfilled")
    return text


def validate(root: Path) -> None:
    share = root / "usr" / "share"
    metainfo = share / "metainfo" / f"{APP_ID}.metainfo.xml"
    checks = (
        ("appstreamcli", ["validate", "--no-net", str(metainfo)]),
        ("desktop-file-validate", [str(share / "applications" / f"{APP_ID}.desktop")]),
    )
    for tool, args in checks:
        exe = shutil.which(tool)
        if exe is None:
            print(f"skipped: {tool} is not installed")
            continue
        proc = subprocess.run([exe, *args], capture_output=True, text=True, check=False)
        output = (proc.stdout + proc.stderr).strip()
        if proc.returncode != 0:
            raise SystemExit(f"{tool} failed:\n{output}")
        print(f"ok: {tool}" + (f"\n{output}" if output else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / PACKAGE)
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument(
        "--compression",
        choices=("xz", "gzip", "zstd", "none"),
        default="xz",
        help="dpkg-deb compression (xz: smallest, what Debian uses)",
    )
    args = parser.parse_args(argv)
    if not (args.bundle / PACKAGE).is_file():
        print(f"{args.bundle}: no bundle here; run `make bundle` first", file=sys.stderr)
        return 2
    if shutil.which("dpkg-deb") is None:
        print("dpkg-deb is not installed (Debian's dpkg package)", file=sys.stderr)
        return 2
    arch = run("dpkg", "--print-architecture").strip()
    root = ROOT / "build" / "deb" / f"{PACKAGE}_{__version__}_{arch}"
    os.umask(0o022)
    stage(args.bundle, root)
    (root / "DEBIAN").mkdir()
    (root / "DEBIAN" / "control").write_text(control(root, arch), encoding="utf-8")
    validate(root)
    args.out.mkdir(parents=True, exist_ok=True)
    deb = args.out / f"{PACKAGE}_{__version__}_{arch}.deb"
    run(
        "dpkg-deb",
        "--root-owner-group",
        f"-Z{args.compression}",
        "--build",
        str(root),
        str(deb),
    )
    print(run("dpkg-deb", "--info", str(deb)).rstrip())
    print(f"wrote {deb} ({deb.stat().st_size / 2**20:.0f} MiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
