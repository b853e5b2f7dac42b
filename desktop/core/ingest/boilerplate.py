"""Page furniture in plain text: which lines of a pasted page are not the article.

Text copied from a browser (or saved as .txt) carries the page around the
article: menus, share buttons, "Subscribe", cookie notices, "Most popular"
lists, copyright lines. The rules here are general, so that they work on sites
we have never seen; none is tuned to one publication.

Each line is classified by its shape and wording:
- *furniture*: a known furniture phrase in English, French, German, Spanish,
  Urdu, Hindi or Arabic (alone on its line, or opening a short line, or, for
  the unmistakable ones such as "all rights reserved" and "we use cookies",
  anywhere in a line of up to 40 words, "sent to your inbox" among them;
  "privacy policy", "unsubscribe" and
  the like only in lines of up to 12 words, since stories use them too); a
  share bar (only names of social networks and "share", "print", "email"); a
  line that is only a URL or an e-mail address; a short line with a relative
  time stamp ("2 hours ago"); a line of symbols; a
  navigation bar (three or more short items between separators such as ``|``
  or ``•``); a short line repeated on the page;
- *prose*: eight words or more ending in sentence punctuation, or twenty words
  or more;
- otherwise *short* (a title, a byline, a dateline, a caption, a menu item).

How the article is then located, and which lines become metadata, is
:mod:`desktop.core.ingest.page`.

The original keeps everything; only the body is cleaned.
"""

from __future__ import annotations

import re
import unicodedata

from desktop.core.ingest.metadata import find_date

# Lines that are nothing but one of these (ignoring case, digits, punctuation
# and icons: "Comments (12)", "Share ›") are furniture.
_EXACT = {
    # English
    "share", "share this", "share this article", "share this story", "tweet", "email",
    "e-mail", "print", "copy link", "link copied", "facebook", "twitter", "x", "whatsapp",
    "telegram", "linkedin", "reddit", "pinterest", "messenger", "subscribe", "sign up",
    "sign in", "log in", "login", "log out", "register", "newsletter", "newsletters",
    "advertisement", "advertising", "sponsored", "sponsored content", "promoted", "ad",
    "related", "related stories", "related articles", "related news", "related content",
    "read more", "more", "see more", "show more", "load more", "most popular", "most read",
    "most viewed", "most shared", "trending", "trending now", "top stories", "latest",
    "latest news", "recommended", "recommended for you", "you may also like",
    "you might also like", "comments", "comment", "leave a comment", "show comments",
    "view comments", "add comment", "follow us", "follow", "menu", "home", "search", "close",
    "open", "listen", "listen to this article", "back to top", "next", "previous",
    "next article", "previous article", "next story", "tags", "topics", "cookies",
    "cookie settings", "accept", "accept all", "reject all", "manage cookies", "got it",
    "ok", "privacy policy", "terms of use", "terms of service", "terms and conditions",
    "contact us", "about us", "skip to content", "skip to main content", "skip navigation",
    "watch", "video", "photos", "gallery", "live", "opinion", "editorial", "epaper",
    "e-paper", "download app", "donate", "support us", "save", "bookmark", "gift article",
    "min read", "minute read", "minutes read",
    # French
    "partager", "imprimer", "commentaires", "commentaire", "publicité", "accueil",
    "rechercher", "s'abonner", "abonnez-vous", "se connecter", "connexion", "les plus lus",
    "à lire aussi", "lire aussi", "voir aussi", "sur le même sujet", "suivez-nous",
    "fermer", "tout accepter", "tout refuser", "en direct",
    # German
    "teilen", "drucken", "kommentare", "werbung", "anzeige", "menü", "startseite", "suche",
    "abonnieren", "anmelden", "abmelden", "meistgelesen", "meistgelesene artikel",
    "mehr zum thema", "lesen sie auch", "alle akzeptieren", "schließen", "impressum",
    "datenschutz",
    # Spanish
    "compartir", "imprimir", "comentarios", "publicidad", "menú", "inicio", "buscar",
    "suscríbete", "suscribirse", "iniciar sesión", "lo más leído", "lo más visto",
    "lee también", "lea también", "te puede interesar", "noticias relacionadas",
    "aceptar", "aceptar todo", "cerrar", "síguenos",
    # Urdu
    "شیئر کریں", "شیئر", "تبصرے", "اشتہار", "مزید پڑھیں", "یہ بھی پڑھیں",
    "سبسکرائب کریں", "مقبول خبریں", "تازہ ترین", "متعلقہ خبریں",
    # Hindi
    "शेयर करें", "शेयर", "विज्ञापन", "टिप्पणियाँ", "टिप्पणियां", "और पढ़ें", "ये भी पढ़ें",
    "यह भी पढ़ें", "सब्सक्राइब करें", "लोकप्रिय", "ट्रेंडिंग", "संबंधित खबरें",
    # Arabic
    "شارك", "مشاركة", "إعلان", "تعليقات", "اقرأ أيضا", "اقرأ أيضاً", "الأكثر قراءة", "اشترك",
    "أخبار ذات صلة",
}  # fmt: skip

# A short line (up to 15 words) opening with one of these is furniture:
# "Also read: Army chief visits Quetta", "Share on WhatsApp".
_PREFIXES = (
    "share this", "share on", "share via", "share to", "sign up for", "sign up to",
    "subscribe to", "subscribe for", "subscribe now", "also read", "read also", "read more",
    "see also", "more from", "more on this", "more stories", "follow us", "follow the",
    "you may also like", "you might also like", "story continues below", "continue reading",
    "click here", "skip to", "download our app", "download the app", "get the app",
    "listen to this", "advertisement", "sponsored by", "recommended by", "posted in",
    "filed under", "tags:", "topics:", "related:", "photo credit", "image credit",
    "lire aussi", "à lire aussi", "abonnez-vous", "partager sur", "suivez-nous",
    "les plus lus", "voir aussi", "sur le même sujet", "inscrivez-vous",
    "lesen sie auch", "mehr zum thema", "jetzt abonnieren", "teilen auf", "folgen sie uns",
    "das könnte sie auch interessieren", "meistgelesen",
    "lee también", "lea también", "te puede interesar", "le puede interesar",
    "síguenos en", "compartir en", "suscríbete a", "noticias relacionadas", "más noticias",
    "یہ بھی پڑھیں", "مزید پڑھیں", "ये भी पढ़ें", "यह भी पढ़ें", "और पढ़ें",
    "اقرأ أيضا", "اقرأ أيضاً", "تابعونا",
)  # fmt: skip

# Unmistakable furniture wherever it appears in a line of up to 40 words.
_STRONG = (
    "all rights reserved", "we use cookies", "this website uses cookies",
    "this site uses cookies", "uses cookies to", "support our journalism",
    "support independent journalism", "support quality journalism",
    "subscribe to our newsletter", "sign up for our newsletter", "sign up to our newsletter",
    "view this email in your browser", "you are receiving this email", "to your inbox",
    "in your inbox",
    "you are receiving this because", "you received this email",
    "tous droits réservés", "nous utilisons des cookies", "ce site utilise des cookies",
    "soutenez notre journalisme",
    "alle rechte vorbehalten", "wir verwenden cookies", "diese website verwendet cookies",
    "unterstützen sie unseren journalismus",
    "todos los derechos reservados", "utilizamos cookies", "usamos cookies",
    "este sitio web utiliza cookies", "apoya nuestro periodismo",
    "جملہ حقوق محفوظ", "सर्वाधिकार सुरक्षित", "جميع الحقوق محفوظة",
)  # fmt: skip
# Furniture in a short line, but words a news story may use in a sentence
# ("Meta changed its privacy policy..."): only in lines of up to 12 words.
_STRONG_SHORT = (
    "privacy policy", "terms of use", "terms of service", "cookie policy", "accept cookies",
    "unsubscribe", "view in browser", "download our app", "follow us on", "©", "copyright",
    "politique de confidentialité", "datenschutzerklärung", "política de privacidad",
)  # fmt: skip

# Headers of lists of other articles: the short lines after them go too.
_LIST_HEADERS = {
    "related", "related stories", "related articles", "related news", "related content",
    "most popular", "most read", "most viewed", "most shared", "trending", "trending now",
    "top stories", "latest", "latest news", "recommended", "recommended for you",
    "you may also like", "you might also like", "more from", "more stories", "read more",
    "more on this", "more on this story", "editor's picks", "popular",
    "les plus lus", "à lire aussi", "sur le même sujet", "meistgelesen",
    "meistgelesene artikel", "mehr zum thema", "das könnte sie auch interessieren",
    "lo más leído", "lo más visto", "noticias relacionadas", "te puede interesar",
    "مقبول خبریں", "متعلقہ خبریں", "الأكثر قراءة", "أخبار ذات صلة", "लोकप्रिय", "ट्रेंडिंग",
    "संबंधित खबरें",
    # Readers' comments.
    "comments", "comment", "readers' views", "reader comments", "readers' comments",
    "your views", "join the conversation", "leave a reply", "leave a comment",
    "what readers say", "commentaires", "réactions", "kommentare", "leserkommentare",
    "comentarios", "تبصرے", "टिप्पणियाँ", "تعليقات",
}  # fmt: skip

# A line made only of these words is a share bar ("Facebook X WhatsApp Email").
_SHARE_WORDS = {
    "share", "facebook", "twitter", "x", "whatsapp", "telegram", "linkedin", "email", "e-mail",
    "mail", "print", "reddit", "pinterest", "messenger", "copy", "link", "tweet", "f", "t",
    "in", "sms", "partager", "teilen", "compartir", "شیئر", "शेयर", "شارك",
}  # fmt: skip

_SENTENCE_END = tuple(".!?…:;\"”’')»]۔؟।")
# "2 hours ago", "il y a 3 heures", "vor 2 Stunden", "hace 5 minutos": the
# time stamps of teasers and comments.
_AGO = re.compile(
    r"\b\d+\s*(?:min(?:ute)?s?|hours?|hrs?|h|days?|weeks?)\s+ago\b"
    r"|\bil y a \d+\s*(?:minutes?|heures?|jours?)\b"
    r"|\bvor \d+\s*(?:minuten|stunden?|tagen?)\b"
    r"|\bhace \d+\s*(?:minutos?|horas?|días?)\b",
    re.I,
)
_URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$|^\S+@\S+\.\w+$", re.I)
_NAV_SPLIT = re.compile(r"\s+[|•·»›/>–—]\s+|\s*[|•·»›]\s*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})


class _NormTable(dict[int, int]):
    """``str.translate`` table for :func:`_norm`, one lookup per code point
    seen: letters, marks and `` '-:`` stay, anything else is a space."""

    def __missing__(self, cp: int) -> int:
        ch = chr(cp)
        keep = unicodedata.category(ch)[0] in ("L", "M") or ch in " '-:"
        self[cp] = cp if keep else 0x20
        return self[cp]


_NORM = _NormTable()


def _norm(line: str) -> str:
    """Casefolded words of ``line`` without digits, icons or edge punctuation."""
    line = line.translate(_APOSTROPHES).casefold().translate(_NORM)
    return " ".join(line.split()).strip(" -:'")


def _words(line: str) -> int:
    return len(line.split())


def is_furniture(line: str, repeated: bool = False) -> bool:
    """Whether one line, on its own, is page furniture."""
    stripped = line.strip()
    if not stripped:
        return False
    n = _words(stripped)
    norm = _norm(stripped)
    if norm in _EXACT or norm in _LIST_HEADERS or (not norm and not find_date(stripped)):
        # `not norm`: only symbols, digits and icons ("• • •", "12", "----").
        return True
    if n <= 15 and any(norm.startswith(p) for p in _PREFIXES):
        return True
    if n <= 8 and all(w in _SHARE_WORDS for w in norm.split()):
        return True
    lowered = stripped.translate(_APOSTROPHES).casefold()
    if n <= 40 and any(s in lowered for s in _STRONG):
        return True
    if n <= 12 and any(s in lowered for s in _STRONG_SHORT):
        return True
    if _URL_ONLY.match(stripped):
        return True
    if n <= 10 and _AGO.search(stripped):
        return True
    items = [i for i in _NAV_SPLIT.split(stripped) if i.strip()]
    if (
        len(items) >= 3
        and all(_words(i) <= 3 for i in items)
        and not find_date(stripped)
        # Scores and results ("Group F — Sweden 1 – 0 Korea Republic") are not menus.
        and not any(c.isdigit() for c in stripped)
    ):
        return True
    return repeated and n <= 8


def is_prose(line: str) -> bool:
    n = _words(line)
    return n >= 20 or (n >= 8 and line.rstrip().endswith(_SENTENCE_END))


def _is_list_header(line: str) -> bool:
    return _norm(line) in _LIST_HEADERS


def title_like(line: str) -> bool:
    n = _words(line)
    return 2 <= n <= 30 and not line.rstrip().endswith((".", ",", ";"))


def same_text(a: str, b: str) -> bool:
    """Equal ignoring case, punctuation and spacing (a title and its repeat)."""

    def key(s: str) -> str:
        return re.sub(r"\W+", " ", s.casefold()).strip()

    return bool(a.strip()) and key(a) == key(b)


def strip_furniture(text: str, title: str = "") -> tuple[str, int]:
    """The article part of ``text`` (already cleaned, ``\\n`` line ends) and the
    number of non-blank lines dropped; :func:`page.cut_page` does the work."""
    from desktop.core.ingest.page import cut_page  # page builds on this module

    cut = cut_page(text, title)
    return cut.body, cut.dropped
