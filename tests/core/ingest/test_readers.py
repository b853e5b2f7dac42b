"""Each reader on files we made, and each kind of bad input the issue lists."""

from __future__ import annotations

import datetime as dt
import socket
from email.message import EmailMessage
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from desktop.core import ingest
from desktop.core.ingest import IngestError, TooLargeError, UnsupportedFormatError
from desktop.core.ingest.readers import read_bytes, read_file, read_pasted

BODY = (
    "ISLAMABAD: Police arrested two men linked to Jaish-e-Mohammed (JeM) on Friday, "
    "officials said.\n\nMasood Azhar, the founder of the group, was not among them. "
    "Azhar has not been seen in public for years, according to officials in Bahawalpur."
)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- plain text and encodings ------------------------------------------------


def test_plain_text_title_dateline_and_body(tmp_path):
    text = "JeM men held in Islamabad\n\n" + BODY + "\n"
    raw = read_file(_write(tmp_path, "a.txt", text.encode()))
    assert raw.title == "JeM men held in Islamabad"
    # The headline stays the body's first line: its names are the article's too.
    assert raw.body == "JeM men held in Islamabad\n\n" + BODY
    assert raw.format == "txt"
    assert raw.extra["dateline"] == "Islamabad"
    assert raw.language == "en"
    assert raw.original == text.encode()


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-16-le", b""),  # no BOM: recognised by its NUL pattern
    ],
)
def test_unicode_encodings(tmp_path, encoding, prefix):
    text = "Hafiz Saeed’s café\n\n" + BODY + " Lashkar-e-Ṭayyiba — لشکر طیبہ."
    raw = read_file(_write(tmp_path, "a.txt", prefix + text.encode(encoding)))
    assert raw.title == "Hafiz Saeed’s café"
    assert raw.body.endswith("Lashkar-e-Ṭayyiba — لشکر طیبہ.")
    assert "\ufeff" not in raw.body


def test_windows_1252_is_detected(tmp_path):
    text = (
        "Le procès de l’ancien chef\n\n"
        "PARIS: Le tribunal a entendu mercredi les témoins de l’accusation dans le procès "
        "d’un homme accusé d’avoir financé le Lashkar-e-Taïba. « Nous n’avions rien à "
        "cacher », a déclaré l’accusé, qui nie les faits. Le verdict est attendu en février."
    )
    raw = read_file(_write(tmp_path, "a.txt", text.encode("cp1252")))
    assert "Lashkar-e-Taïba" in raw.body
    assert "« Nous n’avions rien à cacher »" in raw.body
    assert raw.language == "fr"


def test_invalid_utf8_is_read_without_losing_the_text(tmp_path):
    data = ("Title line here\n\n" + BODY).encode() + b" stray \xff\xfe byte."
    raw = read_file(_write(tmp_path, "a.txt", data))
    assert "Jaish-e-Mohammed (JeM)" in raw.body
    assert raw.original == data


def test_urdu_utf8_with_one_broken_byte_stays_urdu(tmp_path):
    urdu = "لاہور: کالعدم لشکر طیبہ کے بانی حافظ محمد سعید کے خلاف مقدمے کی سماعت ہوئی۔"
    data = ("عنوان\n\n" + urdu).encode() + b" \xff"
    raw = read_file(_write(tmp_path, "u.txt", data))
    assert urdu in raw.body
    assert raw.extra["encoding"] == "utf-8 (with invalid bytes replaced)"
    assert raw.language == "ur"


def test_nfc_zero_width_controls_removed_rtl_kept(tmp_path):
    decomposed = "Cafe\u0301 owner"
    urdu = "لاہور: کالعدم لشکر طیبہ کے بانی حافظ محمد سعید کے خلاف مقدمے کی سماعت ہوئی۔"
    persian = "می\u200cخواهم"  # the ZWNJ is part of the spelling
    text = (
        f"Title line here\n\n{decomposed} said Jaish\u200b-e-Mohammed\u00ad "
        f"and \u202eevil\u202c and bell\x07 text.\n\n{urdu}\n\n"
        f"من {persian} این گزارش را امروز بخوانم و درباره آن بیشتر بدانم."
    )
    raw = read_file(_write(tmp_path, "a.txt", text.encode()))
    assert "Café owner" in raw.body
    assert "Jaish-e-Mohammed and evil and bell text." in raw.body
    assert urdu in raw.body
    assert "می\u200cخواهم" in raw.body
    for bad in ("\u200b", "\u00ad", "\u202e", "\x07"):
        assert bad not in raw.body


def test_pdf_ligatures_become_letters():
    raw = read_pasted("Hashem Saﬁeddine was killed, officials conﬁrmed on Friday evening.")
    assert "Safieddine" in raw.body
    assert "confirmed" in raw.body


def test_empty_file_is_refused(tmp_path):
    for data in (b"", b"  \n\n\t "):
        with pytest.raises(IngestError, match=r"a\.txt: the file is empty"):
            read_file(_write(tmp_path, "a.txt", data))


def test_binary_file_with_text_extension_is_refused(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20
    with pytest.raises(IngestError, match=r"a\.txt: binary data"):
        read_file(_write(tmp_path, "a.txt", png))


def test_unsupported_extension(tmp_path):
    with pytest.raises(UnsupportedFormatError, match=r"notes\.xlsx: unsupported file type"):
        read_file(_write(tmp_path, "notes.xlsx", b"PK\x03\x04"))


def test_oversize_file_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr("desktop.core.ingest.readers.MAX_FILE_BYTES", 1000)
    path = _write(tmp_path, "big.txt", b"word " * 400)
    with pytest.raises(TooLargeError, match=r"big\.txt: the file is too large .* limit is"):
        read_file(path)
    assert ingest.MAX_FILE_BYTES == 50 * 1024 * 1024  # the documented limit


def test_200_mb_file_is_refused_at_the_real_limit(tmp_path):
    path = tmp_path / "huge.pdf"
    with path.open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: 200 MB by size, nothing written
    with pytest.raises(TooLargeError, match=r"huge\.pdf: the file is too large \(200\.0 MB; "):
        read_file(path)


def test_docx_zip_bomb_is_refused(monkeypatch, make_docx):
    monkeypatch.setattr("desktop.core.ingest.word._MAX_UNPACKED", 1000)
    with pytest.raises(IngestError, match=r"a\.docx: the \.docx unpacks to"):
        read_bytes(make_docx(["Title", BODY]), "a.docx", "docx")


def test_news_prose_mentioning_privacy_policy_is_kept():
    last = (
        "The ministry said the app's privacy policy allowed it to share data with the police, "
        "and that the Terms of Use had been changed in March."
    )
    raw = read_pasted(f"Title of the piece\n\n{BODY}\n\n{last}\n\nShare\n© 2024 Example")
    assert raw.body == f"Title of the piece\n\n{BODY}\n\n{last}"


def test_markdown_front_matter_and_formatting(tmp_path):
    md = (
        "---\ntitle: Hizbul chief's assets\nauthor: Staff Reporter\ndate: 2023-08-14\n"
        "url: https://example.org/a\n---\n\n# Hizbul chief's assets\n\n"
        "**Srinagar:** Police attached land of *Syed Salahuddin*, chief of "
        "[Hizbul Mujahideen](https://example.org/hm) (HM), officials said on Monday.\n\n"
        "![photo](https://example.org/p.jpg)\n\n- Salahuddin lives in `Muzaffarabad`.\n"
    )
    raw = read_file(_write(tmp_path, "a.md", md.encode()))
    assert raw.title == "Hizbul chief's assets"
    assert raw.author == "Staff Reporter"
    assert raw.published == dt.date(2023, 8, 14)
    assert raw.url == "https://example.org/a"
    assert raw.body.startswith(
        "Hizbul chief's assets\nSrinagar: Police attached land of Syed Salahuddin, chief of "
    )
    assert "Hizbul Mujahideen (HM)" in raw.body
    assert "](" not in raw.body
    assert "Salahuddin lives in Muzaffarabad." in raw.body


# --- pasted text and page furniture ------------------------------------------

P1 = (
    "QUETTA: Army chief General Asim Munir visited Quetta on Sunday, a day after militants of "
    "the banned Tehreek-e-Taliban Pakistan (TTP) attacked a Frontier Corps post near Mastung."
)
P2 = (
    "Home Minister Mohsin Naqvi said the attackers had crossed from Afghanistan and that the "
    "TTP would be pursued."
)
PASTED = f"""Skip to content
Home
World
Pakistan
Subscribe

Army chief visits Quetta after attack on FC post
By Ali Raza Khan
Published March 3, 2024
Share
Tweet

{P1}

Advertisement

{P2}

Share this article
Related
Five soldiers killed in North Waziristan
Most popular
Who is Noor Wali Mehsud
© 2024 The Daily Example. All rights reserved.
We use cookies to improve your experience on our site. Accept all
"""


def test_pasted_page_loses_its_furniture_but_not_its_article():
    raw = read_pasted(PASTED)
    assert raw.title == "Army chief visits Quetta after attack on FC post"
    assert raw.author == "Ali Raza Khan"
    assert raw.published == dt.date(2024, 3, 3)
    assert raw.format == "paste"
    assert raw.source_path == "clipboard"
    body = raw.body
    # The headline opens the body; byline and date are metadata, not body.
    assert body.startswith("Army chief visits Quetta after attack on FC post\n\nQUETTA:")
    assert "Ali Raza Khan" not in body
    assert "March 3, 2024" not in body
    assert "Tehreek-e-Taliban Pakistan (TTP)" in body
    # "Home Minister ..." starts like the menu item "Home" but is prose.
    assert "Home Minister Mohsin Naqvi said" in body
    for furniture in ("Skip to content", "Subscribe", "Share", "Advertisement", "Related",
                      "Waziristan", "Most popular", "All rights reserved", "cookies"):  # fmt: skip
        assert furniture not in body, furniture
    assert raw.original == PASTED.encode()


@pytest.mark.parametrize(
    ("furniture", "language"),
    [
        ("Partager\nÀ lire aussi\nLes plus lus\nTous droits réservés © Le Quotidien 2024", "fr"),
        ("Teilen\nLesen Sie auch\nMeistgelesen\nAlle Rechte vorbehalten.", "de"),
        ("Compartir\nLee también\nLo más leído\nTodos los derechos reservados.", "es"),
        ("شیئر کریں\nیہ بھی پڑھیں\nمقبول خبریں\nجملہ حقوق محفوظ ہیں", "ur"),
        ("शेयर करें\nये भी पढ़ें\nलोकप्रिय\nसर्वाधिकार सुरक्षित", "hi"),
    ],
)
def test_furniture_phrases_in_other_languages(furniture, language):
    raw = read_pasted(f"{furniture}\n\nTitle of the piece\n\n{BODY}\n\n{furniture}")
    assert raw.body == "Title of the piece\n\n" + BODY, language
    assert raw.title == "Title of the piece"


def test_text_without_furniture_is_left_whole():
    text = "A short note\n\nJeM and LeT were discussed.\nNo paragraph here"
    raw = read_pasted(text)
    assert raw.title == "A short note"
    assert raw.body == "A short note\n\nJeM and LeT were discussed.\nNo paragraph here"


def test_given_title_keeps_byline_and_date_above_the_first_paragraph():
    text = f"Menu\nNews Example\nBy Rania Khoury\nBeirut, October 29, 2024\n\n{BODY}"
    raw = read_pasted(text, title="A title from metadata")
    # The site's name above the article goes; the byline becomes the author.
    assert raw.body.startswith("Beirut, October 29, 2024\n\nISLAMABAD:")
    assert raw.author == "Rania Khoury"
    assert raw.published == dt.date(2024, 10, 29)


def test_paste_with_a_given_title():
    raw = read_pasted(BODY, title="My title", source="clipboard")
    assert raw.title == "My title"
    assert raw.body == BODY


# --- HTML ----------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="windows-1252">
<title>JeM men held | The Example Times</title>
<meta name="author" content="Sana Mir">
<meta property="og:site_name" content="The Example Times">
<meta property="article:published_time" content="2024-05-06T10:00:00Z">
<link rel="canonical" href="https://times.example/jem-held">
<link rel="stylesheet" href="https://cdn.example/site.css">
<script src="https://ads.example/ad.js"></script>
<script>var secret = "SCRIPT-TEXT-MUST-NOT-APPEAR";</script>
<style>.x { color: red } /* STYLE-TEXT */</style>
</head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sub">Subscribe</a></nav>
<div class="cookies">We use cookies. <button>Accept all</button></div>
<article><h1>JeM men held in Islamabad</h1>
<img src="https://images.example/photo.jpg">
<p>ISLAMABAD: Police arrested two men linked to Jaish-e-Mohammed (JeM) on Friday, officials
said. The café owner who rented them a room was questioned.</p>
<script>document.write("<p>INLINE-SCRIPT-TEXT</p>")</script>
<p>Masood Azhar, the founder of the group, was not among them. Azhar has not been seen in
public for years, according to officials in Bahawalpur.</p>
<p>The men were produced before an anti-terrorism court, which remanded them in custody for
fourteen days while investigators examine their telephones.</p>
<iframe src="https://video.example/embed/1"></iframe>
</article>
<aside><h2>Most popular</h2><ul><li>Rains lash Karachi</li><li>Cricket board shake-up</li></ul>
</aside>
<footer>© 2024 The Example Times. All rights reserved.</footer>
<img src="https://tracker.example/pixel.gif">
</body></html>"""


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection or resolve a name fails the test."""
    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_html_main_text_and_metadata_without_scripts_or_network(tmp_path, no_network):
    raw = read_file(_write(tmp_path, "page.html", PAGE.encode("cp1252")))
    assert no_network == []
    assert raw.title == "JeM men held in Islamabad"
    assert raw.author == "Sana Mir"
    assert raw.publication == "The Example Times"
    assert raw.published == dt.date(2024, 5, 6)
    assert raw.url == "https://times.example/jem-held"
    assert raw.language == "en"
    assert raw.body.startswith(
        "JeM men held in Islamabad\n\nISLAMABAD: Police arrested two men linked to Jaish-e-Mohammed"
    )
    assert "The café owner" in raw.body  # decoded as the page declared
    assert "fourteen days" in raw.body
    for absent in ("SCRIPT-TEXT", "INLINE-SCRIPT", "STYLE-TEXT", "cookies", "Rains lash",
                   "All rights reserved", "Subscribe", "http"):  # fmt: skip
        assert absent not in raw.body, absent
    assert raw.original == PAGE.encode("cp1252")


def test_short_html_page_falls_back_to_visible_text(no_network):
    page = (
        "<html><head><script>alert('SCRIPT')</script></head><body><nav>Home | News | Sport"
        "</nav><p>JeM denies role in attack, statement says.</p>"
        "<footer>All rights reserved.</footer></body></html>"
    )
    raw = read_bytes(page.encode(), "short.htm", "html")
    assert "JeM denies role in attack" in (raw.title + raw.body)
    assert "SCRIPT" not in raw.body
    assert "rights" not in raw.body


def test_html_without_markup_is_refused():
    with pytest.raises(IngestError, match=r"x\.html: not an HTML page"):
        read_bytes(b"just some words", "x.html", "html")


# --- PDF -----------------------------------------------------------------------


def test_pdf_text_layer_and_info(tmp_path, article_pdf):
    raw = read_file(_write(tmp_path, "a.pdf", article_pdf))
    assert raw.title == "Court orders probe into LeT funding"
    assert raw.author == "Asad Ali"
    assert raw.published == dt.date(2024, 3, 3)
    assert raw.extra["dateline"] == "Lahore"
    assert "Lashkar-e-Taiba (LeT)" in raw.body
    # Lines of one paragraph are joined back together.
    assert "ordered police to investigate donations" in raw.body
    assert raw.body.endswith("earlier terror-financing cases.")


def test_pdf_running_headers_and_page_numbers_removed(make_pdf):
    places = ["Lahore", "Muridke", "Gujranwala", "Sheikhupura"]
    pages = [
        ["The Example Times - Tuesday", f"In {place}, the court heard Hafiz Saeed met JeM men.",
         str(i)]
        for i, place in enumerate(places, 1)
    ]  # fmt: skip
    raw = read_bytes(make_pdf(pages), "multi.pdf", "pdf")
    assert "Example Times" not in raw.body
    assert raw.body.count("Hafiz Saeed") == 4
    assert "\n4" not in raw.body


def test_truncated_pdf(article_pdf):
    with pytest.raises(IngestError, match=r"t\.pdf: the PDF is truncated"):
        read_bytes(article_pdf[: len(article_pdf) // 2], "t.pdf", "pdf")


def _encrypt(pdf: bytes, user: str, owner: str, algorithm: str = "RC4-128") -> bytes:

    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf)))
    writer.encrypt(user_password=user, owner_password=owner, algorithm=algorithm)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_encrypted_pdf_is_refused(article_pdf, algorithm):
    with pytest.raises(IngestError, match=r"e\.pdf: encrypted PDF \(password protected\)"):
        read_bytes(_encrypt(article_pdf, "secret", "owner", algorithm), "e.pdf", "pdf")


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256"])
def test_aes_pdf_with_an_empty_user_password_is_read(article_pdf, algorithm):
    # What every PDF reader opens without asking; AES needs `cryptography`.
    data = _encrypt(article_pdf, "", "owner", algorithm)
    assert PdfReader(BytesIO(data)).is_encrypted
    raw = read_bytes(data, "aes.pdf", "pdf")
    assert "Lashkar-e-Taiba (LeT)" in raw.body


def test_pdf_with_only_an_owner_password_is_read(article_pdf):
    raw = read_bytes(_encrypt(article_pdf, "", "owner"), "o.pdf", "pdf")
    assert "Lashkar-e-Taiba (LeT)" in raw.body


def test_pdf_without_text_layer(make_pdf):
    with pytest.raises(IngestError, match=r"scan\.pdf: the PDF has no text layer, OCR is not"):
        read_bytes(make_pdf([[], []]), "scan.pdf", "pdf")


def test_file_named_pdf_that_is_not_one():
    with pytest.raises(IngestError, match=r"x\.pdf: not a PDF file"):
        read_bytes(b"hello, this is text", "x.pdf", "pdf")


def test_damaged_pdf_body_is_reported(article_pdf):
    broken = article_pdf.replace(b"/Type /Pages", b"/Type /Xxxxx").replace(b"Kids", b"Kxds")
    with pytest.raises(IngestError, match=r"b\.pdf: "):
        read_bytes(broken, "b.pdf", "pdf")


# --- Word ----------------------------------------------------------------------


def test_docx_paragraphs_and_core_properties(tmp_path, make_docx):
    data = make_docx(
        ["Kabul, 7 March 2024", "KABUL: Taliban officials arrested three ISKP men, police said.",
         "Shahab al-Muhajir, also known as Sanaullah Ghafari, leads the group."],
        title="ISKP suspects held", author="Farid Ahmadzai",
    )  # fmt: skip
    raw = read_file(_write(tmp_path, "a.docx", data))
    assert raw.title == "ISKP suspects held"
    assert raw.author == "Farid Ahmadzai"
    assert raw.published == dt.date(2024, 3, 7)
    assert "Sanaullah Ghafari" in raw.body
    assert raw.extra["dateline"] == "Kabul"


def test_docx_template_author_is_ignored(make_docx):
    raw = read_bytes(make_docx(["Title here", BODY]), "a.docx", "docx")
    assert raw.author == ""
    assert raw.title == "Title here"


@pytest.mark.parametrize("data", [b"not a zip at all", b"PK\x03\x04" + b"\x00" * 100])
def test_damaged_docx(data):
    with pytest.raises(IngestError, match=r"a\.docx: (not a \.docx file|damaged|cannot read)"):
        read_bytes(data, "a.docx", "docx")


# --- e-mail --------------------------------------------------------------------


def _mail(body: str = BODY, subject: str = "Fwd: JeM men held", html: str | None = None):
    msg = EmailMessage()
    msg["From"] = "Alerts <alerts@example.org>"
    msg["To"] = "desk@example.org"
    msg["Subject"] = subject
    msg["Date"] = "Tue, 07 May 2024 08:00:00 +0000"
    msg["Message-ID"] = "<1@example.org>"
    if body:
        msg.set_content(body)
    if html:
        if body:
            msg.add_alternative(html, subtype="html")
        else:
            msg.set_content(html, subtype="html")
    return msg


def test_eml_body_and_headers(tmp_path):
    text = (
        BODY + "\n\nYou are receiving this because you subscribed.\nUnsubscribe | View in browser"
    )
    raw = read_file(_write(tmp_path, "m.eml", _mail(text).as_bytes()))
    assert raw.title == "JeM men held"
    assert raw.body == BODY
    assert raw.published == dt.date(2024, 5, 7)
    assert raw.extra["email_from"] == "Alerts <alerts@example.org>"
    assert raw.attachments == []


def test_eml_html_only_body(tmp_path, no_network):
    html = (
        "<html><body>"
        + "".join(f"<p>{p}</p>" for p in BODY.split("\n\n"))
        + ("<script>SCRIPT-TEXT</script><img src='https://x.example/t.gif'></body></html>")
    )
    raw = read_file(_write(tmp_path, "m.eml", _mail("", html=html).as_bytes()))
    assert "Jaish-e-Mohammed (JeM)" in raw.body
    assert "SCRIPT" not in raw.body
    assert no_network == []


def test_eml_readable_attachments_become_their_own_articles(tmp_path, article_pdf):
    msg = _mail()
    msg.add_attachment(article_pdf, maintype="application", subtype="pdf", filename="let.pdf")
    note = ("LeT charity case\n\n" + BODY).encode()
    msg.add_attachment(note, maintype="text", subtype="plain", filename="note.txt")
    msg.add_attachment(b"\x89PNG\r\n", maintype="image", subtype="png", filename="photo.png")
    raw = read_file(_write(tmp_path, "m.eml", msg.as_bytes()))
    assert raw.body == BODY
    assert [a.source_path for a in raw.attachments] == [
        f"{tmp_path / 'm.eml'}#let.pdf",
        f"{tmp_path / 'm.eml'}#note.txt",
    ]
    pdf = raw.attachments[0]
    assert pdf.format == "pdf"
    assert pdf.original == article_pdf
    assert "Lashkar-e-Taiba (LeT)" in pdf.body
    assert raw.extra["attachments_skipped"] == ["photo.png"]


def test_eml_attached_message_is_its_own_article():
    inner = _mail("Inner title line\n\n" + BODY.replace("Friday", "Sunday"), subject="Inner")
    outer = _mail("Outer note: see the attached message about the arrests, officials said today.")
    outer.add_attachment(inner)
    raw = read_bytes(outer.as_bytes(), "o.eml", "eml")
    assert "Sunday" not in raw.body
    (attached,) = raw.attachments
    assert attached.source_path == "o.eml#attached-message.eml"
    assert attached.title == "Inner"
    assert "on Sunday" in attached.body


def test_eml_that_is_not_an_email():
    with pytest.raises(IngestError, match=r"x\.eml: not an e-mail message"):
        read_bytes(b"Just a line of text\nand another\n", "x.eml", "eml")
