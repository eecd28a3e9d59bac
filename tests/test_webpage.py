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
