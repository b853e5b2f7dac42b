"""The smoke test of the frozen app (packaging/smoke.py) must fail when the
program misbehaves: tried here on stand-in programs, without a bundle."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

from tests.scripts import load_packaging_script

smoke = load_packaging_script("smoke")


def _program(tmp_path: Path, body: str) -> Path:
    """A stand-in for the frozen program: a Python script with an interpreter line."""
    exe = tmp_path / "bundle" / "dossier-desk"
    exe.parent.mkdir()
    exe.write_text(f"#!{sys.executable}\nimport sys\n{body}\n", encoding="utf-8")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return exe


def test_only_the_allowed_qt_line_passes_on_stderr() -> None:
    allowed = "This plugin does not support propagateSizeHints()"
    assert smoke.unexpected(f"{allowed}\n\n{allowed}\n") == []
    assert smoke.unexpected(f"{allowed}\nspaCy model unavailable\n") == ["spaCy model unavailable"]
    assert smoke.unexpected(f"prefix {allowed}") == [f"prefix {allowed}"]


def test_fails_on_unexpected_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exe = _program(
        tmp_path, "print('dossier-desk ' + '0.1.0'); print('a warning', file=sys.stderr)"
    )
    assert smoke.main([str(exe)]) == 1
    err = capsys.readouterr().err
    assert "FAIL --version" in err
    assert "a warning" in err


def test_fails_on_a_wrong_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exe = _program(tmp_path, "print('dossier-desk 0.0.0-other')")
    assert smoke.main([str(exe)]) == 1
    assert "--version printed 'dossier-desk 0.0.0-other'" in capsys.readouterr().err


def test_fails_when_the_bundle_has_no_samples(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop import __version__

    exe = _program(tmp_path, f"print('dossier-desk {__version__}')")
    assert smoke.main([str(exe)]) == 1
    assert "no desktop/resources/samples in the bundle" in capsys.readouterr().err


def test_runs_the_program_with_a_bare_environment(tmp_path: Path) -> None:
    env = smoke.bare_env(tmp_path)
    assert set(env) == {
        "PATH",
        "HOME",
        "XDG_CONFIG_HOME",
        "XDG_DATA_HOME",
        "XDG_CACHE_HOME",
        "XDG_RUNTIME_DIR",
        "LANG",
        "QT_QPA_PLATFORM",
        "DOSSIER_DESK_DB",
    }
    assert env["DOSSIER_DESK_DB"].startswith(str(tmp_path))
    assert "VIRTUAL_ENV" not in env
    assert "PYTHONPATH" not in env


def test_missing_program_is_a_usage_error(tmp_path: Path) -> None:
    assert smoke.main([str(tmp_path / "nothing")]) == 2
