"""Bytes to text, and text to a clean body.

Decoding: a byte-order mark decides (UTF-8, UTF-16, UTF-32); then strict UTF-8;
then UTF-16 without a BOM when the NUL pattern says so; then UTF-8 with a few
invalid bytes replaced by U+FFFD, when the rest is clearly UTF-8; then charset-normalizer
for legacy encodings (Windows-1252, ISO-8859-x, Windows-1256, ...). A file that
is none of these, or that is mostly control characters once decoded, is refused
as binary rather than imported as garbage.

Cleaning (the body only; the original bytes are kept untouched):
- Unicode NFC, so that "é" typed two ways is one string for search and matching;
- line ends and Unicode line/paragraph separators become ``\\n``;
- control characters, zero-width spaces, soft hyphens, the BOM and the bidi
  embedding/override/isolate controls are removed (they are invisible, break
  matching, and the overrides can make text display differently from what it
  is). Two invisible characters are *kept* where they sit between letters: the
  zero-width non-joiner and joiner, which are part of correct Persian, Urdu and
  Devanagari spelling; and the LRM/RLM/ALM direction marks, which right-to-left
  text uses to place punctuation and numbers;
- ligatures (U+FB00...) and Arabic presentation forms, common in PDF text
  layers, are replaced by the letters they stand for (their NFKC form);
- no-break and other spaces become a plain space; runs of spaces are collapsed;
  more than one blank line becomes one.
"""

from __future__ import annotations

import re
import unicodedata

from charset_normalizer import from_bytes

from desktop.core.ingest import IngestError

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)

_REMOVE = dict.fromkeys(
    [
        0x00AD,  # soft hyphen
        0x180E,  # Mongolian vowel separator (a former space)
        0x200B,  # zero-width space
        0x2060,  # word joiner
        0xFEFF,  # BOM / zero-width no-break space
        0xFFFE,
        *range(0x202A, 0x202F),  # bidi embeddings and overrides
        *range(0x2066, 0x206A),  # bidi isolates
        *range(0x206A, 0x2070),  # deprecated format characters
        0xFFF9,
        0xFFFA,
        0xFFFB,  # interlinear annotation controls
    ]
)
_LINE_SEPARATORS = {0x2028: "\n", 0x2029: "\n\n", 0x0085: "\n", 0x000B: "\n", 0x000C: "\n"}
_KEEP_CONTROLS = {"\n", "\t"}
_JOINERS = "\u200c\u200d"
_SPACES = re.compile(r"[^\S\n]+")
_BLANKS = re.compile(r"\n{3,}")


def _looks_like_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: every other byte is NUL in mostly-ASCII text."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / (len(sample) / 2)
    odd = sample[1::2].count(0) / (len(sample) / 2)
    if odd > 0.4 and even < 0.05:
        return "utf-16-le"
    if even > 0.4 and odd < 0.05:
        return "utf-16-be"
    return None


def _control_ratio(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(
        1
        for ch in sample
        if (unicodedata.category(ch) in ("Cc", "Co", "Cs") and ch not in "\n\r\t\f")
        or ch == "\ufffd"
    )
    return bad / len(sample)


def _mostly_utf8(data: bytes) -> tuple[str | None, str]:
    """UTF-8 text with a few broken bytes (a truncated download, a bad copy).

    Read as UTF-8 with the broken bytes shown as U+FFFD: guessing a legacy
    encoding instead would turn every correct non-Latin letter (all of an Urdu
    text) into mojibake. A legacy-encoded file has no valid multi-byte
    sequences at all, so it does not pass this test.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    if multibyte >= 10 * bad and bad <= max(3, len(text) // 1000):
        return text, "utf-8 (with invalid bytes replaced)"
    return None, ""


def decode(data: bytes, name: str, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` (from the file ``name``); returns (text, encoding used).

    ``declared`` is an encoding the container named (an HTML meta tag, a MIME
    header); it is tried after a BOM and before detection.
    Raises IngestError for binary data.
    """
    if not data.strip():
        raise IngestError(f"{name}: the file is empty")
    text: str | None = None
    encoding = ""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text, encoding = data.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise IngestError(
                    f"{name}: starts like {enc} text but is not ({exc.reason})"
                ) from exc
            break
    if text is None and b"\x00" in data[:4000]:
        enc16 = _looks_like_utf16(data)
        if enc16 is not None:
            try:
                text, encoding = data.decode(enc16), enc16
            except UnicodeDecodeError:
                text = None
        if text is None:
            raise IngestError(f"{name}: binary data, not text (NUL bytes)")
    candidates = [e for e in (declared, "utf-8") if e]
    for enc in candidates if text is None else ():
        try:
            text, encoding = data.decode(enc), enc
            break
        except (UnicodeDecodeError, LookupError):
            continue
    if text is None:
        text, encoding = _mostly_utf8(data)
    if text is None:
        best = from_bytes(data[:200_000]).best()
        if best is None or best.encoding is None:
            raise IngestError(f"{name}: binary data or an unknown text encoding")
        try:
            text, encoding = data.decode(best.encoding), best.encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise IngestError(f"{name}: cannot decode as {best.encoding} ({exc})") from exc
    if _control_ratio(text) > 0.05:
        raise IngestError(f"{name}: binary data, not text")
    return text, encoding


def _is_letter(ch: str) -> bool:
    return unicodedata.category(ch)[0] in ("L", "M")


class _CleanTable(dict[int, "str | int | None"]):
    """``str.translate`` table for :func:`clean_text`, filled in per code point
    on first sight: a 49 MB file is then cleaned at C speed and without a
    Python object per character (a character loop took 2 s and 50 bytes per
    character of input)."""

    def __missing__(self, cp: int) -> str | int | None:
        ch = chr(cp)
        value: str | int | None = cp
        if cp in _REMOVE:
            value = None
        elif cp in _LINE_SEPARATORS:
            value = _LINE_SEPARATORS[cp]
        elif 0xFB00 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFE:
            # Ligatures ("ﬁ") and Arabic presentation forms, which PDF text
            # layers are full of: the plain letters, or "Saﬁeddine" is not found.
            value = unicodedata.normalize("NFKC", ch)
        else:
            cat = unicodedata.category(ch)
            if (cat == "Cc" and ch not in _KEEP_CONTROLS) or cat in ("Cs", "Co"):
                value = None  # controls; surrogates; private-use icon glyphs
            elif cat == "Zs" or ch == "\t":
                value = " "
        self[cp] = value
        return value


_CLEAN = _CleanTable()
_JOINER = re.compile("[" + _JOINERS + "]")


def _keep_joiner(match: re.Match[str]) -> str:
    # Only between two letters (ZWNJ/ZWJ inside Persian, Urdu, Hindi words).
    text, i = match.string, match.start()
    if 0 < i < len(text) - 1 and _is_letter(text[i - 1]) and _is_letter(text[i + 1]):
        return match.group()
    return ""


def clean_text(text: str) -> str:
    """The body normalisation described in the module docstring."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    if any(j in text for j in _JOINERS):
        text = _JOINER.sub(_keep_joiner, text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.translate(_CLEAN).split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()
