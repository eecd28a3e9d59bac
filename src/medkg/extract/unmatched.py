"""Names in an article's bullets and lists that no concept of the lexicon matches: work for
a curator (``medkg terms``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from medkg.article import Article
from medkg.extract.passages import units
from medkg.terminology import Lexicon


@dataclass(frozen=True)
class Unmatched:
    """A name in an article that no concept of the lexicon matches: work for a curator."""

    text: str
    section: str
    sentence: str


_LIST_INTRO = re.compile(r"\b(?:such as|including|includes?|like|e\.g\.,?)\s+", re.IGNORECASE)
_LIST_SPLIT = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", re.IGNORECASE)
_MAX_NAME_WORDS = 5


def unmatched_terms(article: Article, lexicon: Lexicon) -> list[Unmatched]:
    """Bullet terms and items of "such as …" lists that overlap no mention of a known concept."""
    found: list[Unmatched] = []
    for unit in units(article):
        text = unit.span.text
        mentions = lexicon.find(text)
        places = []
        if unit.term is not None:
            start = unit.term.start - unit.span.start
            places.append((start, start + len(unit.term.text)))
        for intro in _LIST_INTRO.finditer(text):
            stop_mark = re.search(r"[.;:()]|$", text[intro.end() :])
            tail_end = intro.end() + (stop_mark.start() if stop_mark else 0)
            start = intro.end()
            for separator in [*_LIST_SPLIT.finditer(text, start, tail_end), None]:
                stop = separator.start() if separator else tail_end
                places.append((start, stop))
                start = separator.end() if separator else tail_end
        for start, stop in places:
            name = text[start:stop].strip(" ,.")
            covered = any(m.start < stop and start < m.end for m in mentions)
            if name and len(name.split()) <= _MAX_NAME_WORDS and not covered:
                found.append(Unmatched(name, unit.section, text))
    return found
