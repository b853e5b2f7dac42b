"""Dossier Desk: an offline workbench for building dossiers on the people,
organisations and places named in news articles."""

__version__ = "0.1.0"
