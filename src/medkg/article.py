"""Parse medical-encyclopedia articles into sections, bullets and FAQs with exact offsets.

An article is a plain UTF-8 text file as the encyclopedia serves it: a title line, an
introduction, short headings over paragraphs and bullet lists, a "Frequently Asked Questions"
section, an "Article last updated on: ..." line and then site boilerplate (menus, app-store
links, a disclaimer), which is cut off.

:func:`parse` is pure: it turns text into an :class:`Article` whose every :class:`Span` points
back into :attr:`Article.text` (the text with CRLF and lone CR turned into LF), so later stages
can cite the exact sentence they read a fact from. :func:`read_article` adds the file handling
(encoding, BOM, binary and empty files) and takes the article kind from the folder name.

Example:
    >>> article = parse("Gout\\n\\nGout is arthritis.\\n\\nSymptoms\\n\\n- Pain: sudden\\n",
    ...                 Path("gout.txt"), "condition")
    >>> [section.role for section in article.sections]
    ['overview', 'symptoms']
    >>> article.sections[1].bullets[0].term.text
    'Pain'
"""

from __future__ import annotations

import codecs
import datetime
import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from medkg import webpage

__all__ = [
    "KINDS",
    "Article",
    "ArticleError",
    "Bullet",
    "Faq",
    "Section",
    "Span",
    "UnreadableFile",
    "kind_of",
    "parse",
    "read_article",
    "read_bytes",
    "sentences",
    "slugify",
]

#: Folder name -> article kind.
HTML_SUFFIXES = (".html", ".htm")

KINDS: dict[str, str] = {
    "conditions": "condition",
    "symptoms": "symptom",
    "procedures": "procedure",
}

MAX_TITLE_WORDS = 15
MAX_HEADING_WORDS = 8
MAX_TERM_WORDS = 6
MAX_DATE_LINE_WORDS = 10
#: The largest article file read, in bytes: hundreds of times the longest page (6 KB). The
#: build takes about 90 s and 1.4 GB a megabyte of text, so past this, reading is refused.
MAX_ARTICLE_BYTES = 2 * 1024 * 1024


class ArticleError(ValueError):
    """A file that cannot be read as an article.

    ``str()`` names the file, the place (line, or byte offset inside the message) and what to do.
    """

    def __init__(self, path: Path, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.message = message
        place = f"{path}" if line is None else f"{path}, line {line}"
        super().__init__(f"{place}: {message}")

    def __reduce__(self) -> tuple[type[ArticleError], tuple[Path, str, int | None]]:
        return (type(self), (self.path, self.message, self.line))


class UnreadableFile(ArticleError):
    """A path that is not read at all: not a regular file, too large, or not openable."""


@dataclass(frozen=True)
class Span:
    """A piece of the article text: ``Article.text[start:end] == text``."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Bullet:
    """One bullet: its whole content, and the ``Term: description`` split when there is one."""

    span: Span
    term: Span | None
    description: Span | None


@dataclass(frozen=True)
class Section:
    """A heading with its paragraphs and bullets; the introduction has heading ``""``."""

    heading: str
    role: str
    line: int
    paragraphs: tuple[Span, ...]
    bullets: tuple[Bullet, ...]


@dataclass(frozen=True)
class Faq:
    """A question of the FAQ section, its answer, and the role the question is about."""

    question: Span
    answer: Span
    role: str


@dataclass(frozen=True)
class Article:
    """A parsed article. Offsets of every span refer to :attr:`text`."""

    title: str
    kind: str
    slug: str
    sections: tuple[Section, ...]
    faqs: tuple[Faq, ...]
    updated: datetime.date | None
    source: Path
    sha256: str
    text: str
    warnings: tuple[str, ...]
    faq_heading: str = "Frequently Asked Questions"  # the FAQ heading as written


# --- slugs and sentences ------------------------------------------------------------------


def slugify(label: str) -> str:
    """Return a safe IRI slug for ``label``: ``[a-z0-9]`` runs joined by single ``-``.

    Accents are folded to ASCII. When nothing is left (``"////"``, ``"日本語"``) the slug is
    ``"article-"`` followed by the first 8 hex digits of the SHA-1 of the label.

    >>> slugify("Computed Tomography (CT) scans")
    'computed-tomography-ct-scans'
    """
    folded = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if slug:
        return slug
    digest = hashlib.sha1(label.encode("utf-8", "surrogatepass"), usedforsecurity=False)
    return "article-" + digest.hexdigest()[:8]


_ABBREVIATIONS = frozenset(
    {"e.g", "i.e", "dr", "vs", "etc", "mr", "mrs", "ms", "prof", "st", "no", "fig", "approx"}
    | {"cf", "al", "jr", "sr", "inc", "ltd", "eg", "ie", "viz", "resp"}
)
_CLOSERS = "\"')]}\u201d\u2019"
_OPENERS = "\"'([{\u201c\u2018"


def sentences(span: Span) -> list[Span]:
    """Split ``span`` into sentence spans with exact offsets, whitespace stripped.

    A sentence ends at ``.``, ``!`` or ``?`` followed by whitespace and a capital letter or a
    digit, except after common abbreviations (e.g., i.e., Dr., vs., etc.); decimals never
    split. Blank lines also end a sentence.
    """
    text = span.text
    cuts = sorted({*_sentence_ends(text), *_blank_line_ends(text), len(text)})
    pieces: list[Span] = []
    previous = 0
    for cut in cuts:
        piece = _trimmed(text, previous, cut, base=span.start)
        if piece is not None:
            pieces.append(piece)
        previous = cut
    return pieces


def _sentence_ends(text: str) -> Iterator[int]:
    for match in re.finditer(r"[.!?]+", text):
        end = match.end()
        while end < len(text) and text[end] in _CLOSERS:
            end += 1
        after = end
        while after < len(text) and text[after].isspace():
            after += 1
        if after == end:
            continue  # no whitespace: "2.5", "e.g", "U.S."
        while after < len(text) and text[after] in _OPENERS:
            after += 1
        if after == len(text) or not (text[after].isupper() or text[after].isdigit()):
            continue
        if match.group().endswith(".") and _word_before(text, match.start()) in _ABBREVIATIONS:
            continue
        yield end


def _word_before(text: str, stop: int) -> str:
    start = stop
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:stop].lstrip(_OPENERS).lower()


def _blank_line_ends(text: str) -> Iterator[int]:
    for match in re.finditer(r"\n[ \t]*(?=\n)", text):
        yield match.start()


def _trimmed(text: str, start: int, end: int, base: int = 0) -> Span | None:
    """The span ``text[start:end]`` without surrounding whitespace, or None if nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return None
    return Span(text[start:end], base + start, base + end)


# --- heading and question roles -------------------------------------------------------------

# Headings: the first rule whose pattern occurs claims those words; a heading naming two
# different roles ("Symptoms and Diagnosis") takes the one written first and gets a warning.
_HEADING_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(pattern))
    for role, pattern in (
        ("faq", r"\bfrequently asked\b|\bfaqs?\b|\bcommon questions\b|\bquestions and answers\b"),
        (
            "when-to-see-doctor",
            r"\bwhen to (?:see|seek|call|contact|visit|get|go)\b"
            r"|\bseek(?:ing)? (?:medical|emergency|immediate) (?:care|help|attention)\b",
        ),
        (
            "recovery",
            r"\bafter (?:the |your )?(?:procedure|surgery|operation|test|scan)\b"
            r"|\baftercare\b|\brecover(?:y|ing)\b",
        ),
        (
            "preparation",
            r"\b(?:how to )?prepar(?:e|ing|ation)\b"
            r"(?: for (?:the |a |an |your )?(?:procedure|surgery|operation|test|exam|scan))?"
            r"|\bbefore (?:the |your )?(?:procedure|surgery|operation|test|scan)\b",
        ),
        (
            "procedure",
            r"\b(?:what happens )?during (?:the |a |an |your )?"
            r"(?:procedure|surgery|operation|test|exam|scan)\b"
            r"|\bhow (?:it|the procedure|the test|this) is (?:done|performed)\b"
            r"|\bwhat happens\b|\bwhat to expect\b",
        ),
        ("results", r"\bresults?\b"),
        # "How Doctors Find It", "How the Cause Is Found": finding out, not the causes
        (
            "diagnosis",
            r"\bhow\b(?=.*\b(?:find|found|diagnos\w*|detect\w*|identif\w*|tested|checked)\b)"
            r"|\bfind(?:ing)? (?:it|out|the cause)\b",
        ),
        (
            "causes",
            r"\brisk factors?\b|\bcauses?\b|\bcausing\b|\ba?etiology\b|\btriggers?\b"
            r"|\bwhy\b(?=.*\b(?:happens?|occurs?|develops?|starts?)\b)",
        ),
        ("risks", r"\brisks?\b|\bside effects?\b|\badverse effects?\b"),
        ("complications", r"\bcomplications?\b"),
        ("symptoms", r"\bsymptoms?\b|\bsigns\b|\bclinical (?:features|presentation)\b"),
        ("diagnosis", r"\bdiagnos\w*|\btests?\b|\btesting\b|\bscreening\b"),
        (
            "treatment",
            r"\btreat\w*|\bmanag\w*|therap\w*|\bmedications?\b|\bremed(?:y|ies)\b"
            r"|\breliev\w*|\beas(?:e|es|ing)\b|\bself[- ]?care\b|\bhome care\b|\bcoping\b",
        ),
        ("prognosis", r"\bprognosis\b|\boutlook\b|\blife expectancy\b"),
        ("prevention", r"\bprevent\w*"),
        ("types", r"\btypes?\b|\bclassification\b|\bkinds\b"),
        (
            "purpose",
            r"\bpurpose\b|\buses\b|\bindications?\b|\breasons? for\b"
            r"|\bwhy (?:it|this|the \w+) is (?:done|performed|needed|used)\b",
        ),
        ("overview", r"\boverview\b|\bintroduction\b|\bdefinition\b|\bsummary\b"),
    )
)
# Used only when no rule above matched: weak hints such as "What Is ..." or a bare "Procedure".
_HEADING_FALLBACKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("procedure", re.compile(r"\bprocedure\b|\bhow it works\b")),
    ("treatment", re.compile(r"^(?:\w+ )?(?:medicines?|drugs)$")),
    ("overview", re.compile(r"^(?:what (?:is|are)|about|understanding)\b")),
)

# FAQ questions: first match wins ("What is the goal of treatment?" is about goals).
_FAQ_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(pattern))
    for role, pattern in (
        ("goals", r"\bgoals?\b|\baims?\b"),
        ("risks", r"\brisk factors?\b"),
        ("causes", r"\bwhat causes\b"),
        ("symptoms", r"\bsymptoms?\b|\bsigns\b"),
        (
            "risks",
            r"\bside effects?\b|\brisks?\b(?! of (?:developing|getting))|\bsafe\b|\bharm\w*"
            r"|\bhurt\b|\bpainful\b|\bdanger\w*",
        ),
        ("diagnosis", r"\bdiagnos\w*|\btest(?:s|ing|ed)?\b"),
        ("prevention", r"\bprevent\w*"),
        ("prognosis", r"\bprognosis\b|\boutlook\b|\blife expectancy\b"),
        (
            "treatment",
            r"\btreat\w*|\bmedications?\b|therap\w*|\bsupportive care\b|\bmanag\w*"
            r"|\bcur(?:e|ed|able)\b",
        ),
        ("purpose", r"\bused (?:for|to)\b|\bwhy (?:is|would|do)\b|\b(?:show|detect|find)\b"),
        ("causes", r"^(?=.*\bcancers?\b)(?=.*\bmetasta)|\bcause[sd]?\b|\brisks?\b"),
        ("overview", r"\bwhat (?:is|are)\b"),
    )
)


def _normalise(phrase: str) -> str:
    """Lowercase words only: accents folded, '&' read as 'and', parentheticals dropped."""
    folded = unicodedata.normalize("NFKD", phrase).encode("ascii", "ignore").decode("ascii")
    folded = re.sub(r"\([^()]*\)", " ", folded.lower().replace("&", " and "))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


def _heading_role(heading: str, title: str) -> tuple[str, list[str]]:
    """The role a heading means, and the roles it also names (empty unless ambiguous)."""
    words = _normalise(heading)
    topic = _normalise(title)
    if topic:
        words = f" {words} ".replace(f" {topic} ", " ").strip()
    if not words:
        return "overview", []  # the heading is the title itself
    first_seen: dict[str, int] = {}
    for role, pattern in _HEADING_RULES:
        matches = list(pattern.finditer(words))
        if matches:
            first_seen.setdefault(role, matches[0].start())
            words = pattern.sub(lambda match: " " * len(match.group()), words)
    if first_seen:
        ranked = sorted(first_seen, key=first_seen.__getitem__)
        if ranked[0] == "causes" and _ONLY_RISK_FACTORS.search(_normalise(heading)):
            ranked[0] = "risks"  # "Risk Factors", "Who Is at Risk": what raises the risk
        return ranked[0], ranked[1:]
    return "other", []


# a heading about risk factors that names no cause ("Causes and Risk Factors" is causes)
_ONLY_RISK_FACTORS = re.compile(r"^(?!.*\b(?:caus|trigger|a?etiolog))(?=.*\brisk factors?\b)")


def _fallback_role(heading: str) -> str:
    """What a heading no rule claims may still hint at ("Medicines", "What Is …")."""
    words = _normalise(heading)
    return next((role for role, pattern in _HEADING_FALLBACKS if pattern.search(words)), "other")


def _question_role(question: str) -> str:
    words = _normalise(question)
    for role, pattern in _FAQ_RULES:
        if pattern.search(words):
            return role
    return "faq"


# --- footer: update date and boilerplate ----------------------------------------------------

_DATE_LINE = re.compile(
    r"\s*(?:article\s+)?(?:last\s+updated|updated\s+on|updated\s*:)\s*(?:on\b)?\s*:?(?P<rest>.*)",
    re.IGNORECASE,
)
_MONTH_NAMES = (
    *("january", "february", "march", "april", "may", "june"),
    *("july", "august", "september", "october", "november", "december"),
)
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\.?,?\s+(\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_BOILERPLATE_STARTS = (
    "if you have any feedback",
    "download from app store",
    "download from google play",
    "download on the app store",
    "medical disclaimer",
    "diagnosis pad",
)
_BOILERPLATE_LINES = frozenset({"see more", "conditions symptoms procedures"})


def _date_text(line: str) -> str | None:
    """The date part of an "Article last updated on: ..." line, or None for any other line."""
    match = _DATE_LINE.match(line)
    if match is None or len(line.split()) > MAX_DATE_LINE_WORDS:
        return None
    rest = match.group("rest").strip().rstrip(".").strip()
    return rest if any(char.isdigit() for char in rest) else None


def _parse_date(text: str) -> datetime.date:
    """Parse "18th October 2025", "October 18, 2025" or "2025-10-18"; ValueError otherwise."""
    lowered = text.lower()
    if match := _ISO_DATE.fullmatch(lowered):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DAY_MONTH_YEAR.fullmatch(lowered):
        day, month, year = int(match[1]), _month(match[2]), int(match[3])
    elif match := _MONTH_DAY_YEAR.fullmatch(lowered):
        month, day, year = _month(match[1]), int(match[2]), int(match[3])
    else:
        raise ValueError("not a date")
    return datetime.date(year, month, day)


def _month(name: str) -> int:
    """1-12 for a month name or an abbreviation of at least three letters ("Oct", "Sept")."""
    for number, full in enumerate(_MONTH_NAMES, start=1):
        if len(name) >= 3 and full.startswith(name):
            return number
    raise ValueError(f"unknown month {name!r}")


def _is_boilerplate(line: str) -> bool:
    words = " ".join(line.split()).lower()
    return words in _BOILERPLATE_LINES or words.startswith(_BOILERPLATE_STARTS)


# --- lines ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based
    start: int  # offset of the first character in the article text
    text: str  # without the newline

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def _lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        lines.append(_Line(number, start, line))
        start += len(line) + 1
    return lines


# Bullet markers: bullet, middle dot, white bullet, squares, en dash, "*", "-", "1." or "1)".
_BULLET = re.compile(r"\s*(?:[\u2022\u00b7\u25e6\u25aa\u25cf\u2013*-]|\d{1,3}[.)])\s+(?=\S)")
_MARKDOWN_HEADING = re.compile(r" {0,3}#{1,6}\s+(?=\S)")
_TERM = re.compile(r"(?:\*\*|__)?(?P<term>[^:]{1,120}?)(?:\*\*|__)?:(?:\*\*|__)?\s")


def _unmark(text: str) -> str:
    """Strip Markdown emphasis wrapping a whole heading or question: "**Symptoms**"."""
    text = text.strip()
    for mark in ("**", "__"):
        if len(text) > 2 * len(mark) and text.startswith(mark) and text.endswith(mark):
            return text[len(mark) : -len(mark)].strip()
    return text


def _markdown_level(line: str) -> int | None:
    """How deep a Markdown heading is (1 for "#"), or None for any other line."""
    match = _MARKDOWN_HEADING.match(line)
    return line[: match.end()].count("#") if match else None


def _markdown_heading(line: str) -> str | None:
    match = _MARKDOWN_HEADING.match(line)
    if match is None:
        return None
    heading = line[match.end() :].rstrip()
    without_closing = heading.rstrip("#")
    if without_closing != heading and (not without_closing or without_closing[-1].isspace()):
        heading = without_closing.rstrip()
    return _unmark(heading) or None


def _plain_heading(lines: list[_Line], index: int) -> str | None:
    """A short line standing on its own, not a sentence, question, lead-in or bullet."""
    line = lines[index]
    heading = _unmark(line.text)
    starts_block = index == 0 or lines[index - 1].blank
    continued = index + 1 < len(lines) and lines[index + 1].text.lstrip()[:1].islower()
    if (
        not starts_block
        or continued
        or not heading
        or heading[0].islower()
        or heading.endswith((".", ":", "?", ",", ";", "!"))
        or len(heading.split()) > MAX_HEADING_WORDS
        or not any(char.isalpha() for char in heading)
        or _BULLET.match(line.text)
    ):
        return None
    return heading


def _bullet(text: str, line: _Line) -> Bullet | None:
    marker = _BULLET.match(line.text)
    if marker is None:
        return None
    span = _trimmed(text, line.start + marker.end(), line.end)
    if span is None:
        return None
    term_match = _TERM.match(span.text)
    if term_match is None or len(term_match["term"].split()) > MAX_TERM_WORDS:
        inner = _unmark(span.text)  # "- **Type 1 diabetes**": the words, not the markup
        if inner != span.text:
            at = span.start + span.text.find(inner)
            span = Span(inner, at, at + len(inner))
        return Bullet(span, None, span)
    term = _trimmed(
        text, span.start + term_match.start("term"), span.start + term_match.end("term")
    )
    description = _trimmed(text, span.start + term_match.end(), span.end)
    if term is None:
        return Bullet(span, None, span)
    return Bullet(span, term, description)


# --- sections and FAQs ----------------------------------------------------------------------


@dataclass
class _OpenSection:
    heading: str
    role: str
    line: int | None
    paragraphs: list[Span] = field(default_factory=list)
    bullets: list[Bullet] = field(default_factory=list)
    level: int | None = None  # a Markdown heading's depth
    parent: _OpenSection | None = None  # the section whose role a sub-heading took

    @property
    def empty(self) -> bool:
        return not self.paragraphs and not self.bullets

    def close(self) -> Section | None:
        if self.line is None:
            return None  # an introduction with no text
        return Section(
            self.heading, self.role, self.line, tuple(self.paragraphs), tuple(self.bullets)
        )


@dataclass
class _Body:
    """Reads the body lines in one pass, keeping what is open (section, paragraph, question)."""

    text: str
    title: str
    warnings: list[str]
    sections: list[Section] = field(default_factory=list)
    faqs: list[Faq] = field(default_factory=list)
    headings: int = 0
    section: _OpenSection | None = None  # None while in the FAQ section
    paragraph: list[_Line] = field(default_factory=list)
    question: Span | None = None
    question_line: int = 0
    answer: list[_Line] = field(default_factory=list)
    faq_heading: str | None = None
    outline: list[_OpenSection] = field(default_factory=list)  # sections opened so far

    def read(self, lines: list[_Line]) -> None:
        self.section = _OpenSection("", "overview", None)
        for index, line in enumerate(lines):
            if line.blank:
                self._end_paragraph()
            elif (heading := self._heading(lines, index)) is not None:
                self._start_section(heading, line, _markdown_level(line.text))
            elif self.section is None:
                self._faq_line(line)
            elif (bullet := _bullet(self.text, line)) is not None:
                self._end_paragraph()
                self._add_content_line(line)
                self.section.bullets.append(bullet)
            else:
                self._add_content_line(line)
                self.paragraph.append(line)
        self._close()
        if self.headings == 0:
            self.warnings.append("no section headings found; all text kept as the overview")

    def _heading(self, lines: list[_Line], index: int) -> str | None:
        markdown = _markdown_heading(lines[index].text)
        if self.section is not None:
            return markdown if markdown is not None else _plain_heading(lines, index)
        # In the FAQ section questions are not headings, and short lines of no known role
        # are answers ("Yes"), not the start of a new section.
        if markdown is not None:
            return None if markdown.endswith("?") else markdown
        plain = _plain_heading(lines, index)
        if plain is not None and _heading_role(plain, self.title)[0] != "other":
            return plain
        return None

    def _start_section(self, heading: str, line: _Line, level: int | None) -> None:
        self._close()
        self.headings += 1
        role, also = _heading_role(heading, self.title)
        parent = self._parent(level) if role == "other" else None
        role = parent.role if parent else role if role != "other" else _fallback_role(heading)
        if also:
            self.warnings.append(
                f"line {line.number}: heading {heading!r} also names {', '.join(also)}; "
                f"kept as role {role!r}"
            )
        if role == "faq":
            self.section = None
            self.faq_heading = heading
            return
        if role == "other":
            self.warnings.append(
                f"line {line.number}: unknown heading {heading!r} kept as section (role 'other')"
            )
        self.section = _OpenSection(heading, role, line.number, level=level, parent=parent)
        self.outline.append(self.section)

    def _parent(self, level: int | None) -> _OpenSection | None:
        """The section a sub-heading of no known role belongs to, whose role it takes: under
        "Common Causes", "Skin conditions" and "Medicines" list causes. In Markdown the
        heading levels say it; in plain text, a heading right after an empty one of known
        role is its first sub-heading, and its unknown siblings follow it."""
        if level is not None:
            above = (s for s in reversed(self.outline) if s.level is not None and s.level < level)
            parent = next(above, None)
            return parent if parent and parent.role not in ("other", "overview") else None
        previous = self.outline[-1] if self.outline else None
        if previous is None:
            return None
        if previous.parent is not None:
            return previous.parent
        return previous if previous.empty and previous.role not in ("other", "overview") else None

    def _add_content_line(self, line: _Line) -> None:
        if self.section is not None and self.section.line is None:
            self.section.line = line.number  # the introduction starts at its first text line

    def _end_paragraph(self) -> None:
        if self.paragraph and self.section is not None:
            span = _trimmed(self.text, self.paragraph[0].start, self.paragraph[-1].end)
            if span is not None:
                self.section.paragraphs.append(span)
        self.paragraph = []

    def _faq_line(self, line: _Line) -> None:
        question = _unmark(_markdown_heading(line.text) or line.text)
        if question.endswith("?"):
            self._end_faq()
            start = line.start + line.text.find(question)  # after any "###" or "**" markup
            self.question = _trimmed(self.text, start, start + len(question))
            self.question_line = line.number
        elif self.question is not None:
            self.answer.append(line)
        else:
            self.warnings.append(
                f"line {line.number}: text in the FAQ section before any question ignored"
            )

    def _end_faq(self) -> None:
        if self.question is not None:
            answer = (
                _trimmed(self.text, self.answer[0].start, self.answer[-1].end)
                if self.answer
                else None
            )
            if answer is None:
                self.warnings.append(
                    f"line {self.question_line}: FAQ question has no answer; ignored"
                )
            else:
                role = _question_role(self.question.text)
                self.faqs.append(Faq(self.question, answer, role))
        self.question = None
        self.answer = []

    def _close(self) -> None:
        self._end_paragraph()
        self._end_faq()
        if self.section is not None:
            closed = self.section.close()
            if closed is not None:
                if closed.heading and not closed.paragraphs and not closed.bullets:
                    self.warnings.append(f"line {closed.line}: section {closed.heading!r} is empty")
                self.sections.append(closed)
        self.section = None


# --- entry points ---------------------------------------------------------------------------


def parse(text: str, source: Path, kind: str) -> Article:
    """Parse article ``text`` read from ``source`` (used in messages and kept on the article).

    ``kind`` is "condition", "symptom" or "procedure" (the folder names "conditions", ... are
    accepted too). ``Article.sha256`` is the SHA-256 of ``text`` encoded as UTF-8; use
    :func:`read_article` to hash the file's own bytes.

    Raises:
        ArticleError: empty text, an implausible title line, an invalid update date or an
            unknown kind.
    """
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return _parse(text, source, kind, digest)


def read_article(
    path: Path,
    kind: str | None = None,
    raw: bytes | None = None,
    max_bytes: int = MAX_ARTICLE_BYTES,
) -> Article:
    """Read and parse the article file at ``path`` (or ``raw``, its bytes, already read by
    :func:`read_bytes`; else read by it, with ``max_bytes``).

    ``kind`` defaults to the parent folder's meaning (conditions/, symptoms/ or procedures/),
    else to what the sections say (:func:`kind_of`). A UTF-8 byte-order mark is accepted and
    stripped. An HTML page (.html, .htm) is read as its text (see :mod:`medkg.webpage`);
    spans then refer to that text.

    Raises:
        UnreadableFile: see :func:`read_bytes`.
        ArticleError: binary, non-UTF-8 or empty file, an article of no kind the folder or
            the sections tell, or any :func:`parse` error.
    """
    path = Path(path)
    kind = kind or KINDS.get(path.parent.name)
    raw = read_bytes(path, max_bytes) if raw is None else raw
    text = _decode(raw, path)
    if path.suffix.lower() in HTML_SUFFIXES:
        text = webpage.to_text(text)
    article = _parse(text, path, kind or "condition", hashlib.sha256(raw).hexdigest())
    if kind is not None:
        return article
    found = kind_of(article.sections)
    if found is None:
        raise ArticleError(
            path,
            "cannot tell whether it is about a condition, a symptom or a procedure: its "
            f"folder {path.parent.name!r} does not say, nor do its headings; put it under "
            "conditions/, symptoms/ or procedures/, or give --kind",
        )
    return replace(article, kind=found)


#: Section roles that only one kind of article has.
_KIND_ROLES = {
    "procedure": frozenset({"purpose", "preparation", "procedure", "recovery", "results"}),
    "condition": frozenset({"symptoms", "complications", "prognosis"}),
}


def kind_of(sections: Sequence[Section]) -> str | None:
    """The kind of article its sections tell: "Preparation", "What Happens During …", "Why
    It Is Done" make a procedure page; "When to See a Doctor" with no symptoms of its own a
    symptom page; symptoms, complications or an outlook a condition page; causes alone a
    symptom page. None when they tell nothing."""
    roles = {section.role for section in sections}
    if roles & _KIND_ROLES["procedure"]:
        return "procedure"
    if "when-to-see-doctor" in roles and "symptoms" not in roles:
        return "symptom"
    if roles & _KIND_ROLES["condition"]:
        return "condition"
    if "causes" in roles:
        return "symptom"  # causes but no symptoms: what they cause is the page's own topic
    return None


def read_bytes(path: Path, max_bytes: int = MAX_ARTICLE_BYTES) -> bytes:
    """The bytes of the regular file at ``path``, if it holds at most ``max_bytes``.

    The file is checked before it is read, and again once open (it may have been swapped
    meanwhile): a FIFO would block the read until a writer came, a device such as /dev/zero
    never ends. It is opened with O_NONBLOCK, so that opening a FIFO does not wait either, and
    at most ``max_bytes`` + 1 bytes are read, so a file growing meanwhile cannot fill memory.

    Raises:
        UnreadableFile: not a regular file, larger than ``max_bytes``, or not readable.
    """
    try:
        _check_readable(path, os.stat(path), max_bytes)
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC), "rb") as handle:
            _check_readable(path, os.fstat(handle.fileno()), max_bytes)
            raw = handle.read(max_bytes + 1)
    except OSError as err:
        raise UnreadableFile(path, f"cannot be read ({err.strerror or err})") from err
    if len(raw) > max_bytes:
        raise UnreadableFile(path, f"grew past {max_bytes:,} bytes while it was read; {_SKIPPED}")
    return raw


def _check_readable(path: Path, status: os.stat_result, max_bytes: int) -> None:
    if not stat.S_ISREG(status.st_mode):
        kind = next((name for test, name in _FILE_TYPES if test(status.st_mode)), "not a file")
        raise UnreadableFile(path, f"is {kind}, not a regular file; skipped")
    if status.st_size > max_bytes:
        raise UnreadableFile(
            path, f"holds {status.st_size:,} bytes, more than {max_bytes:,}; {_SKIPPED}"
        )


_FILE_TYPES = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


_SKIPPED = "skipped (an article may hold more with --max-article-bytes)"


def _decode(raw: bytes, path: Path) -> str:
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise ArticleError(
            path, f"looks binary (NUL byte at offset {nul}); articles must be UTF-8 text"
        )
    bom = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    try:
        return raw[bom:].decode("utf-8")
    except UnicodeDecodeError as err:
        offset = bom + err.start
        raise ArticleError(
            path,
            f"is not UTF-8 text: invalid byte 0x{raw[offset]:02x} at offset {offset}; "
            "re-save it as UTF-8",
        ) from err


def _parse(text: str, source: Path, kind: str, sha256: str) -> Article:
    kind = KINDS.get(kind, kind)
    if kind not in KINDS.values():
        raise ArticleError(
            source, f"unknown article kind {kind!r}; use condition, symptom or procedure"
        )
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = _lines(text)
    first = next((index for index, line in enumerate(lines) if not line.blank), None)
    if first is None:
        raise ArticleError(source, "is empty; expected a title line followed by the article")
    title = _title(lines[first], source)
    updated, end, footer_warning = _footer(lines, first + 1, source)
    body = _Body(text, title, [])
    body.read(lines[first + 1 : end])
    warnings = [*body.warnings, *([footer_warning] if footer_warning else [])]
    return Article(
        title=title,
        kind=kind,
        slug=slugify(title),
        sections=tuple(body.sections),
        faqs=tuple(body.faqs),
        updated=updated,
        source=source,
        sha256=sha256,
        text=text,
        warnings=tuple(warnings),
        **({"faq_heading": body.faq_heading} if body.faq_heading else {}),
    )


def _title(line: _Line, source: Path) -> str:
    title = _markdown_heading(line.text) or _unmark(line.text.strip().lstrip("#"))
    words = len(title.split())
    if words > MAX_TITLE_WORDS:
        raise ArticleError(
            source,
            f"the first line has {words} words and does not look like a title; "
            "put the article title alone on the first line",
            line.number,
        )
    if not title:
        raise ArticleError(
            source, "the title line is empty; write the title after '#'", line.number
        )
    return title


def _footer(
    lines: list[_Line], start: int, source: Path
) -> tuple[datetime.date | None, int, str | None]:
    """The update date, the index of the first line that is footer, and a warning if any."""
    for index in range(start, len(lines)):
        line = lines[index]
        date_text = _date_text(line.text)
        if date_text is not None:
            try:
                return _parse_date(date_text), index, None
            except ValueError as err:
                raise ArticleError(
                    source,
                    f"invalid update date {date_text!r} ({err}); "
                    "write it like '18th October 2025', 'October 18, 2025' or '2025-10-18'",
                    line.number,
                ) from err
        if _is_boilerplate(line.text):
            return None, index, f"line {line.number}: no update date before the site footer"
    return None, len(lines), "no 'Article last updated on: ...' line found"
