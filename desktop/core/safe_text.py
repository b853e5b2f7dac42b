"""Hostile text: names and titles holding control characters.

A name can arrive with a BEL, an ESC starting a terminal escape sequence, a
NUL or a C1 control (from a CSV reference list, a pasted merge name, a web
page's title). Two rules keep them harmless:

- **At every entry point** (article import, ``import-entities``, rename,
  merge and split names, aliases) :func:`clean_name` removes control
  characters (Unicode category Cc) and folds line breaks and tabs into
  single spaces. The models apply it to every entity name, alias and article
  title they are given (``core.models``), so no code path can skip it.
- **At every output** the format's own escaping applies (XML, JSON, CSV,
  HTML, Markdown), and text that can still hold controls (an article body,
  data written by an older version) goes through :func:`visible`, which
  shows them as ``\\x1b``-style text: in XML, where most of them are not
  even allowed, and on the terminal, where they would be obeyed.

Bidi controls (format characters, Cf) are left in names: Urdu and Arabic
names may need them, and every renderer closes them (``report.html.close_bidi``);
on the terminal, which cannot close them, :func:`visible` shows them as text too.
"""

from __future__ import annotations

import re
import unicodedata

# Embeddings, overrides and isolates: a terminal would obey them across the
# rest of the line ("Trojan Source").
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_LINE_LIKE = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x85"


def is_control(c: str) -> bool:
    return unicodedata.category(c) == "Cc"


def clean_name(value: str) -> str:
    """``value`` without control characters; line breaks and tabs become
    spaces, runs of white space one space, no space at either end."""
    if value.isprintable():
        return " ".join(value.split()) if "  " in value or value != value.strip() else value
    out = []
    for c in value:
        if c in _LINE_LIKE:
            out.append(" ")
        elif not is_control(c):
            out.append(c)
    return " ".join("".join(out).split())


def _escape(c: str) -> str:
    n = ord(c)
    # \xNN for C0 (never raw in JSON, so this cannot collide with a JSON
    # escape); \uNNNN for DEL, C1 and bidi controls, which is also a valid
    # JSON escape of the same character.
    return f"\\x{n:02x}" if n < 0x20 else f"\\u{n:04x}"


_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + _BIDI + "]")


def visible(value: str) -> str:
    """Control characters (but newline and tab) and bidi controls shown as
    escapes, for the terminal: ``"a\\x1b[31mb"`` prints as ``a\\x1b[31mb``."""
    return _TERMINAL_UNSAFE.sub(lambda mt: _escape(mt.group(0)), value)


# Control characters no document format wants raw (XML 1.0 forbids C0 but
# tab and line breaks outright; HTML calls C0 and C1 parse errors), and the
# non-characters XML forbids.
_DOCUMENT_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def document_text(value: str) -> str:
    """``value`` with the characters no document may hold raw shown as
    escapes, for XML (GraphML), HTML and Markdown: their writers escape
    ``<``, ``&`` and quotes, but pass these through, and an XML document
    holding one is not well-formed."""
    return _DOCUMENT_UNSAFE.sub(lambda mt: _escape(mt.group(0)), value)
