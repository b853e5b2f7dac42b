"""No socket at import time either.

urllib3 (which trafilatura imports for downloads we never make) probes for
IPv6 when it is imported by creating a socket and binding it to ``::1``. That
is no network traffic, but "no socket, ever" is simpler to promise and to
check than "no socket that matters". :func:`install` makes the probe answer
"no IPv6" without touching the network: while ``urllib3.util.connection``
runs its module code, ``socket.has_ipv6`` reads False, which urllib3 checks
before creating its socket. Nothing else about urllib3 matters to us: it is
never asked to connect anywhere.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import socket
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

PROBING_MODULE = "urllib3.util.connection"


class _NoProbeLoader(importlib.abc.Loader):
    def __init__(self, wrapped: Any) -> None:
        self._wrapped = wrapped

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._wrapped.create_module(spec)  # type: ignore[no-any-return]

    def exec_module(self, module: ModuleType) -> None:
        saved = socket.has_ipv6
        socket.has_ipv6 = False
        try:
            self._wrapped.exec_module(module)
        finally:
            socket.has_ipv6 = saved


class _NoProbeFinder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, name: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if name != PROBING_MODULE:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = _NoProbeLoader(spec.loader)
                return spec
        return None


def install() -> None:
    """Idempotent; must run before urllib3 is first imported to matter."""
    if not any(isinstance(f, _NoProbeFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _NoProbeFinder())
