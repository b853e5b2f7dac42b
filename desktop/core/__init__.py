"""The domain layer. Nothing under this package may import Qt: the CLI, the
tests and any future server run it without a display or PySide6 installed."""

from desktop.core import no_sockets

no_sockets.install()
