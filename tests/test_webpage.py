"""Articles published as HTML pages: what is text, and what is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from medkg.article import read_article
from medkg.webpage import to_text

BODY = (
    "<h1>Gout</h1><p>Gout is a form of arthritis.</p><h2>Symptoms</h2><ul><li>Joint pain</li></ul>"
)
TEXT = "Gout\n\nGout is a form of arthritis.\n\nSymptoms\n\n  • Joint pain\n"


@pytest.mark.parametrize(
    "page",
    [
        f"<!doctype html><html><head><title>Site</title></head><body>{BODY}</body></html>",
        # HTML lets a page leave out </head>, and even <head> and <body>: it read as empty
        f"<!doctype html><html><head><title>Site</title><meta charset=utf-8><body>{BODY}",
        f"<html><head><meta charset=utf-8><link rel=stylesheet href=s.css>{BODY}",
        f"<title>Site</title>{BODY}",
    ],
)
def test_the_head_may_be_left_open(page: str) -> None:
    assert to_text(page) == TEXT


@pytest.mark.parametrize(
    "embedded",
    [
        "<iframe src='map.html'>Your browser cannot show frames.</iframe>",
        "<object data='leaflet.pdf'>Download the leaflet.</object>",
        "<video src='v.mp4'>Your browser does not support video.</video>",
        "<audio src='a.mp3'><p>No audio support.</p></audio>",
        "<canvas>A chart of uric acid levels.</canvas>",
        "<noscript>Turn on JavaScript.</noscript>",
    ],
)
def test_fallback_text_of_embedded_content_is_not_article_text(embedded: str) -> None:
    page = f"<html><body><h1>Gout</h1><p>Gout is a form of arthritis.</p>{embedded}</body></html>"
    assert to_text(page) == "Gout\n\nGout is a form of arthritis.\n"


def test_an_html_article_without_head_end_tag_builds_its_sections(tmp_path: Path) -> None:
    path = tmp_path / "conditions" / "gout.html"
    path.parent.mkdir()
    path.write_text(f"<html><head><title>Site</title><body>{BODY}", encoding="utf-8")
    article = read_article(path)
    assert article.title == "Gout"
    assert [s.role for s in article.sections] == ["overview", "symptoms"]


SITE = """<!doctype html><html><head><title>Gout | Diagnosis Pad</title>
<script>track("view")</script></head><body>
<header><div class="site">Diagnosis Pad</div>
<form role="search"><label>Search</label></form></header>
<nav><a href="/">Home</a> <a href="/conditions">Conditions</a></nav>
<div id="cookies">We use cookies. <button>Accept</button></div>
<main><article>
<h1>Gout</h1><p>Gout is a form of arthritis.</p>
<aside>Related: Arthritis</aside>
<h2>Symptoms</h2><ol><li>Joint pain</li><li>Swelling</li></ol>
<footer>Last reviewed 2025</footer>
</article></main>
<footer><p>Medical disclaimer</p><a href="/about">About</a></footer>
</body></html>"""


def test_the_site_around_the_article_is_not_content() -> None:
    """Both HTML pages of the unseen set got the title "Home" (or the site's name) from the
    menu, and every fact hung on that node."""
    text = to_text(SITE)
    assert text == TEXT.replace("Joint pain\n", "Joint pain\n  • Swelling\n")
    for boilerplate in ("Diagnosis Pad", "Home", "cookies", "Related", "disclaimer", "Search"):
        assert boilerplate not in text


def test_the_title_is_the_h1_else_the_page_title() -> None:
    assert to_text("<title>Gout</title><p>Gout is a form of arthritis.</p>").startswith("Gout\n")
    header = "<header><h1>Gout</h1><p>Updated 2025</p></header><p>Gout is a form of arthritis.</p>"
    assert to_text(f"<article>{header}</article>").startswith("Gout\n\nUpdated 2025\n")


def test_a_page_nested_ten_thousand_deep_reads_without_recursion() -> None:
    page = "<h1>Gout</h1>" + "<div>" * 10_000 + "Gout is a form of arthritis." + "</div>" * 10_000
    assert to_text(page) == "Gout\n\nGout is a form of arthritis.\n"
