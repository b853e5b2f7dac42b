"""Dossier rendering: plain dossier data -> HTML -> PDF with QtGui only (no
widgets), so the CLI renders without a display."""
