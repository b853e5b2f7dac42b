"""E-mail messages (.eml) with the standard ``email`` package.

The message becomes one article: its plain-text body (or, when there is none,
its HTML body through the HTML extractor), titled with the subject (without
"Fwd:"/"Re:"), dated by a date in the text or else by the Date header. A
forwarded-message header block at the top of the body is removed and its
Subject and Date are preferred, since they belong to the forwarded article.

Attachments that are themselves readable (text, Markdown, HTML, PDF, Word, an
attached e-mail) are imported as articles of their own, not folded into the
message body: each keeps its own original bytes and hash (so the same PDF
received twice is recognised as a duplicate), and its ``source_path`` is
``message.eml#attachment-name``. When the message has no body text and only
attachments (a PDF sent with an empty message), only the attachments are
imported. Attachments that cannot be read are listed in ``extra``.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Callable, Iterator
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from pathlib import PurePath

from desktop.core.ingest import IngestError, RawArticle
from desktop.core.ingest.clean import decode
from desktop.core.ingest.metadata import find_date
from desktop.core.ingest.text import finish

_SUBJECT_PREFIX = re.compile(r"^(?:(?:re|fwd?|tr|wg|aw|rv|sv|vs)\s*(?:\[\d+\])?\s*:\s*)+", re.I)
_FORWARD_MARK = re.compile(r"^[-\s]*(?:forwarded message|original message|begin forwarded)", re.I)
_FORWARD_FIELD = re.compile(r"^(from|date|sent|subject|to|cc)\s*:\s*(.*)$", re.I)

Reader = Callable[[bytes, str, str], RawArticle]


def _part_text(part: Message, name: str) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or not payload.strip():
        return ""
    charset = part.get_content_charset()
    try:
        return decode(payload, name, charset)[0]
    except IngestError:
        return ""


def _leaf_parts(part: Message) -> Iterator[Message]:
    """The parts to look at, in order. Unlike ``Message.walk`` this does not
    descend into an attached message, which is read as an article of its own."""
    if part.get_content_type() == "message/rfc822" or not part.is_multipart():
        yield part
        return
    payload = part.get_payload()
    for sub in payload if isinstance(payload, list) else []:
        yield from _leaf_parts(sub)


def _header(msg: Message, field: str) -> str:
    """A header's value as text. The standard library parses address headers
    into objects, and on some malformed ones (a group where a mailbox should
    be) its parser fails with AttributeError or IndexError; the raw value is
    good enough for us then."""
    try:
        return str(msg.get(field, "") or "")
    except (AttributeError, IndexError, TypeError, ValueError):
        raw = next((v for k, v in msg.raw_items() if k.lower() == field.lower()), "")
        return " ".join(str(raw).split())


def _strip_forward_header(text: str) -> tuple[str, dict[str, str]]:
    lines = text.replace("\r\n", "\n").split("\n")
    fields: dict[str, str] = {}
    for i, line in enumerate(lines[:15]):
        if _FORWARD_MARK.match(line):
            j = i + 1
            while j < len(lines) and (_FORWARD_FIELD.match(lines[j]) or not lines[j].strip()):
                match = _FORWARD_FIELD.match(lines[j])
                if match:
                    fields[match.group(1).lower()] = match.group(2).strip()
                j += 1
                if not lines[j - 1].strip() and fields:
                    break
            return "\n".join(lines[:i] + lines[j:]), fields
    return text, fields


def read_eml(
    data: bytes,
    name: str,
    fmt: str = "eml",
    *,
    read_attachment: Callable[[bytes, str, str], RawArticle] | None = None,
    attachment_format: Callable[[str], str | None] | None = None,
) -> RawArticle:
    """``read_attachment(data, name, fmt)`` and ``attachment_format(filename)``
    come from the dispatcher, which knows every reader (and limits nesting)."""
    if not data.strip():
        raise IngestError(f"{name}: the file is empty")
    msg = BytesParser(policy=policy.default).parsebytes(data)
    if not any(_header(msg, h) for h in ("From", "Subject", "Date", "Message-ID", "To")):
        raise IngestError(f"{name}: not an e-mail message (no From, To, Subject or Date header)")
    assert isinstance(msg, EmailMessage)

    plain: list[str] = []
    html: list[str] = []
    attachments: list[RawArticle] = []
    skipped: list[str] = []
    errors: list[str] = []
    for part in _leaf_parts(msg):
        filename = part.get_filename() or ""
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            inner = part.get_payload()
            inner_msg = inner[0] if isinstance(inner, list) and inner else None
            if inner_msg is not None and read_attachment is not None:
                label = filename or "attached-message.eml"
                try:
                    attachments.append(
                        read_attachment(inner_msg.as_bytes(), f"{name}#{label}", "eml")
                    )
                except IngestError as exc:
                    errors.append(str(exc))
            continue
        if filename or part.get_content_disposition() == "attachment":
            label = filename or f"part-{len(skipped) + len(attachments) + 1}"
            att_fmt = attachment_format(label) if attachment_format else None
            payload = part.get_payload(decode=True)
            if att_fmt is None or read_attachment is None or not isinstance(payload, bytes):
                skipped.append(PurePath(label).name)
                continue
            try:
                attachments.append(
                    read_attachment(payload, f"{name}#{PurePath(label).name}", att_fmt)
                )
            except IngestError as exc:
                errors.append(str(exc))
            continue
        if ctype == "text/plain":
            plain.append(_part_text(part, name))
        elif ctype == "text/html":
            html.append(_part_text(part, name))

    subject = _SUBJECT_PREFIX.sub("", _header(msg, "Subject")).strip()
    header_date = None
    try:
        sent = email.utils.parsedate_to_datetime(_header(msg, "Date"))
        header_date = sent.date() if sent else None
    except (TypeError, ValueError, IndexError):
        header_date = None
    extra: dict[str, object] = {
        "email_from": _header(msg, "From"),
        "email_to": _header(msg, "To"),
        "email_subject": _header(msg, "Subject"),
        "email_date": _header(msg, "Date"),
        "message_id": _header(msg, "Message-ID"),
    }
    if attachments:
        extra["attachments"] = [a.source_path.rsplit("#", 1)[-1] for a in attachments]
    if skipped:
        extra["attachments_skipped"] = skipped
    if errors:
        extra["attachment_errors"] = errors
    for att in attachments:
        att.extra.setdefault("email_subject", extra["email_subject"])
        att.extra.setdefault("email_from", extra["email_from"])

    text = "\n\n".join(t for t in plain if t.strip())
    strip = True
    if len(text.split()) < 5 and any(h.strip() for h in html):
        from desktop.core.ingest.html import fallback_text, read_html

        page = "\n".join(h for h in html if h.strip())
        try:
            text = read_html(page.encode("utf-8"), name).body
            strip = False
        except IngestError:
            text = fallback_text(page)
    text, forwarded = _strip_forward_header(text)
    if forwarded.get("subject"):
        subject = _SUBJECT_PREFIX.sub("", forwarded["subject"]).strip()
        extra["forwarded"] = forwarded
    if not text.strip():
        if attachments:
            # Nothing to read in the message itself: it is only an envelope.
            return RawArticle(
                body="", original=data, format=fmt, title=subject, source_path=name,
                extra=extra, attachments=attachments,
            )  # fmt: skip
        raise IngestError(f"{name}: the message has no text and no readable attachment")
    article = finish(
        text,
        original=data,
        fmt=fmt,
        name=name,
        title=subject,
        extra=extra,
        strip=strip,
        title_from_body=not subject,
    )
    if article.published is None:
        article.published = find_date(forwarded.get("date", "")) or header_date
    article.attachments = attachments
    return article
