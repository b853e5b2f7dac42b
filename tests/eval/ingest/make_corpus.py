# ruff: noqa: E501  (page templates: HTML lines as sites write them)
"""Write the HTML evaluation corpus: each article of ``articles.py`` inside one of
six page layouts with the furniture real news sites carry (menus, share bars,
cookie banners, paywall notices, newsletter boxes, "Most popular" and
"Related" lists, comments, copyright footers, scripts and tracking images).

    .venv/bin/python tests/eval/ingest/make_corpus.py

Writes ``corpus/<slug>.html`` and ``corpus/<slug>.json`` (the known title,
author, date and body paragraphs). The files are committed; the evaluation
reads them, not this script.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

from articles import ARTICLES  # type: ignore[import-not-found]

CORPUS = Path(__file__).resolve().parent / "corpus"

TEASERS = [
    "Petrol price cut by Rs5 from tomorrow",
    "Rain forecast for Karachi this weekend",
    "Cricket board names new head coach",
    "Stocks close higher on IMF hopes",
    "Heatwave warning issued for Sindh",
]
SCRIPT = (
    '<script>window.dataLayer=window.dataLayer||[];dataLayer.push({"page":"article",'
    '"note":"TRACKER-SCRIPT"});</script>'
)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _date_words(iso: str) -> str:
    d = dt.date.fromisoformat(iso)
    return f"{d.strftime('%B')} {d.day}, {d.year}"


def _paras(body: list[str], every: int = 0, insert: str = "") -> str:
    out = []
    for i, p in enumerate(body, 1):
        out.append(f"<p>{_e(p)}</p>")
        if every and i % every == 0 and i < len(body):
            out.append(insert)
    return "\n".join(out)


def _teasers(n: int = 4) -> str:
    return "".join(f'<li><a href="/n/{i}">{_e(t)}</a></li>' for i, t in enumerate(TEASERS[:n]))


def semantic(a: dict) -> str:
    return f"""<!DOCTYPE html><html lang="{a["lang"]}"><head><meta charset="utf-8">
<title>{_e(a["title"])} | The Frontier Ledger</title>
<meta name="author" content="{_e(a["author"])}">
<meta property="og:site_name" content="The Frontier Ledger">
<meta property="article:published_time" content="{a["date"]}T08:00:00+05:00">
{SCRIPT}</head><body>
<header><a class="logo" href="/"><img src="https://cdn.ledger.example/logo.svg" alt="The Frontier Ledger"></a>
<nav><a href="/">Home</a> <a href="/pakistan">Pakistan</a> <a href="/world">World</a>
<a href="/business">Business</a> <a href="/sport">Sport</a> <a href="/subscribe">Subscribe</a></nav></header>
<main><article>
<h1>{_e(a["title"])}</h1>
<p class="byline">By {_e(a["author"] or "Our Correspondent")} | {_date_words(a["date"])}</p>
<div class="share"><a href="#">Facebook</a> <a href="#">X</a> <a href="#">WhatsApp</a> <a href="#">Email</a></div>
<figure><img src="https://cdn.ledger.example/p/1.jpg" alt=""><figcaption>File photo.</figcaption></figure>
{_paras(a["body"], 2, '<aside class="also"><b>Also read:</b> <a href="/x">' + _e(TEASERS[0]) + "</a></aside>")}
<div class="tags">Tags: <a href="/t/1">Security</a> <a href="/t/2">Militancy</a></div>
</article>
<section class="comments"><h3>Comments (8)</h3><p>Leave a comment</p>
<div class="comment"><p>These people must be brought to justice as soon as possible.</p></div>
<div class="comment"><p>I have followed this story for years and every government says the same thing,
that the case is being pursued, but nothing ever happens and the families are left waiting.</p></div></section>
</main>
<aside><h2>Most popular</h2><ol>{_teasers()}</ol></aside>
<footer><p>© 2024 The Frontier Ledger. All rights reserved.</p>
<p><a href="/privacy">Privacy policy</a> | <a href="/terms">Terms of use</a></p></footer>
<img src="https://pixel.example/t.gif" width="1" height="1"></body></html>"""


def div_soup(a: dict) -> str:
    inline = (
        '<div class="inline-related"><strong>ALSO READ:</strong> '
        f'<a href="/r">{_e(TEASERS[1])}</a></div>'
    )
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{_e(a["title"])} - Daily Meridian</title>{SCRIPT}
<script src="https://ads.example/gpt.js"></script></head>
<body><div id="wrapper"><div class="top-bar">Tuesday | ePaper | Login | Register</div>
<div class="menu"><a href="/">Home</a> | <a href="/national">National</a> | <a href="/world">World</a> |
<a href="/opinion">Opinion</a> | <a href="/videos">Videos</a></div>
<div class="breadcrumb"><a href="/">Home</a> &gt; <a href="/national">National</a></div>
<div class="story"><div class="headline"><h2>{_e(a["title"])}</h2></div>
<div class="meta">{_e(a["author"] or "Staff Report")} &middot; Published {a["date"]}</div>
<div class="social"><span>Share</span> <a href="#">f</a> <a href="#">t</a> <a href="#">in</a></div>
<div class="story-content">
{_paras(a["body"], 1, inline) if len(a["body"]) < 4 else _paras(a["body"], 2, inline)}
</div></div>
<div class="sidebar"><h4>Trending</h4><ul>{_teasers(5)}</ul>
<div class="ad">Advertisement</div></div>
<div class="bottom">Copyright © 2024 Daily Meridian Group. All rights reserved. |
<a href="/about">About us</a> | <a href="/contact">Contact us</a></div></div></body></html>"""


def paywall(a: dict) -> str:
    return f"""<!doctype html><html lang="{a["lang"]}"><head><meta charset="utf-8">
<title>{_e(a["title"])}</title>
<meta property="og:title" content="{_e(a["title"])}">
<meta property="og:site_name" content="Gulf Observer">
<meta name="author" content="{_e(a["author"])}">{SCRIPT}</head><body>
<div id="cookie-consent"><p>We use cookies to give you the best experience on our website.
By continuing you agree to our cookie policy.</p><button>Accept all</button><button>Reject all</button></div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/region">Region</a></li>
<li><a href="/world">World</a></li><li><a href="/subscribe">Subscribe</a></li><li><a href="/login">Sign in</a></li></ul></nav></header>
<main><div class="article-header"><span class="kicker">Security</span><h1>{_e(a["title"])}</h1>
<time datetime="{a["date"]}">{_date_words(a["date"])}</time></div>
<div class="article-body">{_paras(a["body"])}</div>
<div class="paywall"><p>Subscribe to continue reading. Get unlimited access to Gulf Observer journalism
for just $1 a week.</p><p>Already a subscriber? <a href="/login">Log in</a></p></div>
<div class="newsletter"><h3>Sign up for our newsletter</h3><p>The day's essential news from the Gulf,
in your inbox every morning.</p><input type="email"><button>Sign up</button></div>
<section class="recommended"><h2>Recommended for you</h2>
<article><h3><a href="/a">{_e(TEASERS[2])}</a></h3><p>The board named a new coach on Monday after a
poor run of results.</p></article>
<article><h3><a href="/b">{_e(TEASERS[3])}</a></h3><p>Shares rose for a third day as investors
waited for the lender's decision.</p></article></section></main>
<footer>© 2024 Gulf Observer. All rights reserved. <a href="/privacy">Privacy policy</a></footer>
</body></html>"""


def jsonld_cp1252(a: dict) -> str:
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a["title"],
        "datePublished": f"{a['date']}T06:30:00Z",
        "author": {"@type": "Person", "name": a["author"]} if a["author"] else None,
        "publisher": {"@type": "Organization", "name": "South Asia Monitor"},
    }
    advert = (
        '<div class="ad-container"><p class="ad-label">Story continues below advertisement</p>'
        '<div class="ad-slot"></div></div>'
    )
    related = f'<ul class="related-inline"><li><a href="/r1">{_e(TEASERS[4])}</a></li></ul>'
    return f"""<html><head><meta charset="windows-1252"><title>{_e(a["title"])}</title>
<script type="application/ld+json">{json.dumps(ld)}</script>{SCRIPT}</head><body>
<div class="masthead">South Asia Monitor</div>
<table class="nav"><tr><td><a href="/">Home</a></td><td><a href="/india">India</a></td>
<td><a href="/pakistan">Pakistan</a></td><td><a href="/afghanistan">Afghanistan</a></td></tr></table>
<h1 class="title">{_e(a["title"])}</h1>
<div itemprop="articleBody">
{_paras(a["body"][:2])}
{advert}
{related}
{_paras(a["body"][2:])}
</div>
<div class="share-tools">Share this article: <a href="#">Facebook</a> <a href="#">Twitter</a> <a href="#">Print</a></div>
<div class="footer">All rights reserved. Reproduction without permission is prohibited.</div>
</body></html>"""


def amp_like(a: dict) -> str:
    return f"""<!doctype html><html amp lang="{a["lang"]}"{' dir="rtl"' if a["lang"] == "ur" else ""}>
<head><meta charset="utf-8"><title>{_e(a["title"])}</title>
<link rel="canonical" href="https://news.example/{a["slug"]}">
<meta property="article:published_time" content="{a["date"]}"></head><body>
<amp-sidebar id="menu"><ul><li>Home</li><li>News</li><li>Sport</li></ul></amp-sidebar>
<div class="header"><button>Menu</button> <span class="brand">News Example</span></div>
<h1>{_e(a["title"])}</h1>
<div class="share"><amp-social-share type="facebook"></amp-social-share>
<amp-social-share type="twitter"></amp-social-share><amp-social-share type="whatsapp"></amp-social-share></div>
{_paras(a["body"])}
<div class="more"><h3>More stories</h3><ul>{_teasers(3)}</ul></div>
<div class="footer">© News Example 2024</div></body></html>"""


def wordpress(a: dict) -> str:
    return f"""<!DOCTYPE html><html lang="{a["lang"]}"><head><meta charset="UTF-8">
<title>{_e(a["title"])} &#8211; Conflict Watch Blog</title>
<meta property="article:published_time" content="{a["date"]}T10:00:00+00:00">
<link rel="stylesheet" href="https://blog.example/wp-content/style.css">{SCRIPT}</head>
<body class="single-post"><div id="page"><header id="masthead"><p class="site-title">Conflict Watch</p>
<p class="site-description">Notes on armed groups in South Asia and the Middle East</p>
<nav id="site-navigation"><ul><li><a href="/">Home</a></li><li><a href="/about">About</a></li>
<li><a href="/archive">Archive</a></li></ul></nav></header>
<div id="content"><article class="post">
<header class="entry-header"><h1 class="entry-title">{_e(a["title"])}</h1>
<div class="entry-meta">Posted on {_date_words(a["date"])} by {_e(a["author"] or "admin")}</div></header>
<div class="entry-content">{_paras(a["body"])}
<div class="sharedaddy"><h3>Share this:</h3><ul><li>Twitter</li><li>Facebook</li><li>Email</li></ul></div>
<div class="jp-relatedposts"><h3>Related</h3><p>{_e(TEASERS[0])}</p><p>{_e(TEASERS[2])}</p></div>
</div><footer class="entry-footer">Posted in Analysis. Tagged militancy, security.</footer></article>
<div id="comments"><h2>Leave a Reply</h2><p>Your email address will not be published.</p>
<form><textarea></textarea><input type="submit" value="Post Comment"></form></div></div>
<footer id="colophon">Proudly powered by WordPress</footer></div></body></html>"""


def teaser_prose(a: dict) -> str:
    """The hard case: the furniture around the story is itself prose (teasers
    with whole sentences, readers' comments, a promo paragraph mid-story)."""
    promo = (
        '<div class="promo"><p>Get our South Asia briefing: the main security stories of the day, '
        "sent to your inbox every morning at seven.</p></div>"
    )
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{_e(a["title"])} | Region Desk</title>
<meta name="byl" content="By {_e(a["author"])}">
<meta name="pubdate" content="{a["date"]}">{SCRIPT}</head><body>
<div class="masthead"><a href="/">Region Desk</a> <a href="/login">Log in</a></div>
<div class="content"><h1>{_e(a["title"])}</h1><div class="byline">By {_e(a["author"])}</div>
<div class="story-part">{_paras(a["body"][:2])}</div>
{promo}
<div class="story-part">{_paras(a["body"][2:])}</div></div>
<div class="more-section"><div class="teaser"><h3><a href="/t1">Floods cut off villages in Swat</a></h3>
<p>Rescue teams reached three villages on Sunday after a bridge collapsed, officials said, and more rain is expected this week.</p></div>
<div class="teaser"><h3><a href="/t2">Karachi port strike ends</a></h3>
<p>Dock workers returned to work after the port authority agreed to review their contracts, a union leader said on Monday.</p></div></div>
<div class="readers"><h4>Readers' views</h4>
<div class="view"><p>The government keeps announcing operations but the people in these districts see no change in their lives, and the young men have no work.</p><span>Posted by Aslam, 2 hours ago</span></div></div>
<div class="site-footer">Region Desk © 2024</div></body></html>"""


LAYOUTS = [semantic, div_soup, paywall, jsonld_cp1252, amp_like, wordpress]


def main() -> None:
    CORPUS.mkdir(exist_ok=True)
    for i, article in enumerate(ARTICLES):
        layout = LAYOUTS[i % len(LAYOUTS)] if i < 12 else teaser_prose
        page = layout(article)
        encoding = "cp1252" if layout is jsonld_cp1252 and article["lang"] == "en" else "utf-8"
        if encoding == "utf-8":
            page = page.replace('charset="windows-1252"', 'charset="utf-8"')
        slug = str(article["slug"])
        (CORPUS / f"{slug}.html").write_bytes(page.encode(encoding))
        gold = {
            "layout": layout.__name__,
            "title": article["title"],
            # What the page shows: the AMP layout prints no author at all.
            "author": "" if layout is amp_like else article["author"],
            "date": article["date"],
            "body": article["body"],
        }
        (CORPUS / f"{slug}.json").write_text(
            json.dumps(gold, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )


if __name__ == "__main__":
    main()
