"""Where the plain-file resources (samples, icons, stylesheets) are.

An installed wheel carries them as ``desktop/resources``; a source checkout
(editable install, the tests) reads the top-level ``resources/`` folder.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).with_name("resources")
_CHECKOUT = Path(__file__).resolve().parent.parent / "resources"


def resources_dir() -> Path:
    return _PACKAGED if _PACKAGED.is_dir() else _CHECKOUT


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def samples_dir() -> Path:
    return resource_path("samples")
