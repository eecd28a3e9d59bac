"""Tests for medkg.article: the real seed article, small fixtures, error files, properties."""

from __future__ import annotations

import codecs
import datetime
import hashlib
import os
import pickle
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medkg.article import (
    Article,
    ArticleError,
    Span,
    UnreadableFile,
    parse,
    read_article,
    read_bytes,
    sentences,
    slugify,
)

ROOT = Path(__file__).parents[1]
SEED = ROOT / "data/articles/conditions/bone-metastasis.txt"
FIXTURES = Path(__file__).parent / "fixtures/articles"
BOILERPLATE = ("Diagnosis Pad", "App Store", "Google Play", "Disclaimer", "physician", "feedback")


def all_spans(article: Article) -> Iterator[Span]:
    for section in article.sections:
        yield from section.paragraphs
        for bullet in section.bullets:
            yield bullet.span
            if bullet.term is not None:
                yield bullet.term
            if bullet.description is not None:
                yield bullet.description
    for faq in article.faqs:
        yield faq.question
        yield faq.answer


def assert_spans_exact(article: Article) -> None:
    for span in all_spans(article):
        assert article.text[span.start : span.end] == span.text
        assert span.text == span.text.strip() and span.text
        for sentence in sentences(span):
            assert article.text[sentence.start : sentence.end] == sentence.text
            assert span.start <= sentence.start < sentence.end <= span.end


def parsed_text(article: Article) -> str:
    return "\n".join(span.text for span in all_spans(article)) + "\n".join(
        section.heading for section in article.sections
    )


def roles(article: Article) -> list[str]:
    return [section.role for section in article.sections]


def article_with_heading(heading: str) -> Article:
    text = f"Bone Metastasis\n\nIntro text.\n\n{heading}\n\nSome text.\n"
    return parse(text, Path("x.txt"), "condition")


# --- the real seed article ------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> Article:
    return read_article(SEED)


def test_seed_header(seed: Article) -> None:
    assert seed.title == "Bone Metastasis"
    assert seed.kind == "condition"
    assert seed.slug == "bone-metastasis"
    assert seed.updated == datetime.date(2025, 10, 18)
    assert seed.source == SEED
    assert seed.sha256 == hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert seed.warnings == ()


def test_seed_sections(seed: Article) -> None:
    assert roles(seed) == ["overview", "causes", "symptoms", "diagnosis", "treatment", "prognosis"]
    assert [s.heading for s in seed.sections] == [
        "",
        "Causes and Risk Factors",
        "Symptoms",
        "Diagnosis",
        "Treatment Options",
        "Prognosis",
    ]
    assert [s.line for s in seed.sections] == [3, 5, 13, 22, 32, 43]
    assert [len(s.bullets) for s in seed.sections] == [0, 3, 4, 5, 6, 0]
    assert seed.sections[0].paragraphs[0].text.startswith("Bone metastasis, also known as")


def test_seed_bullets(seed: Article) -> None:
    diagnosis = seed.sections[3]
    terms = [b.term.text for b in diagnosis.bullets if b.term is not None]
    assert terms == [
        "X-rays",
        "Computed Tomography (CT) scans",
        "Magnetic Resonance Imaging (MRI)",
        "Bone scans",
        "Biopsy",
    ]
    ct = diagnosis.bullets[1]
    assert ct.description is not None
    assert ct.description.text == "To provide detailed images of the bones and surrounding tissues"
    assert ct.span.text.startswith("Computed Tomography (CT) scans: To provide")
    assert seed.sections[2].bullets[0].term is not None
    assert seed.sections[2].bullets[0].term.text == "Pain"


def test_seed_faqs(seed: Article) -> None:
    assert len(seed.faqs) == 10
    by_question = {faq.question.text: faq.role for faq in seed.faqs}
    assert by_question == {
        "What is bone metastasis?": "overview",
        "Which cancers are most likely to metastasize to bone?": "causes",
        "What are the symptoms of bone metastasis?": "symptoms",
        "How is bone metastasis diagnosed?": "diagnosis",
        "Can bone metastasis be treated?": "treatment",
        "What is the goal of treatment for bone metastasis?": "goals",
        "Are there any medications specifically used to treat bone metastasis?": "treatment",
        "Can bone metastasis be prevented?": "prevention",
        "What is the prognosis for patients with bone metastasis?": "prognosis",
        "Are there any supportive care options available for patients with bone metastasis?": (
            "treatment"
        ),
    }
    assert seed.faqs[0].answer.text == (
        "Bone metastasis occurs when cancer cells from another part of the body spread to the "
        "bones."
    )


def test_seed_spans_are_exact(seed: Article) -> None:
    assert_spans_exact(seed)


def test_seed_has_no_boilerplate(seed: Article) -> None:
    text = parsed_text(seed)
    for word in BOILERPLATE:
        assert word not in text
    assert all("updated" not in faq.answer.text for faq in seed.faqs)


def test_seed_sentences(seed: Article) -> None:
    prognosis = seed.sections[-1].paragraphs[0]
    assert [s.text[:20] for s in sentences(prognosis)] == [
        "The prognosis for pa",
        "In general, the pres",
        "However, with modern",
    ]


# --- fixtures -------------------------------------------------------------------------------


def test_heading_variants_and_bullet_styles() -> None:
    gout = read_article(FIXTURES / "conditions/gout.txt")
    assert roles(gout) == [
        "overview",
        "symptoms",
        "risks",  # "Risk Factors": what raises the risk, not what causes it
        "diagnosis",
        "treatment",
        "other",
        "prognosis",
    ]
    assert gout.updated == datetime.date(2025, 10, 18)
    symptoms, causes, diagnosis = gout.sections[1:4]
    assert [b.term.text if b.term else None for b in symptoms.bullets] == [
        "Pain",
        "Swelling",
        None,
    ]
    assert symptoms.bullets[2].description == symptoms.bullets[2].span
    assert [b.term.text if b.term else None for b in causes.bullets] == ["Diet", "Obesity", None]
    assert [b.term.text if b.term else None for b in diagnosis.bullets] == [
        "Joint fluid test",
        "Blood test",
    ]
    management = gout.sections[4].paragraphs[0]
    assert [s.text for s in sentences(management)] == [
        "Anti-inflammatory drugs treat attacks.",
        "Dr. Smith's team gives 0.5 mg colchicine.",
        "Long-term medicines lower uric acid.",
    ]
    assert_spans_exact(gout)


def test_unknown_heading_is_kept_with_a_warning() -> None:
    gout = read_article(FIXTURES / "conditions/gout.txt")
    living = gout.sections[5]
    assert living.heading == "Living With Gout"
    assert living.line == 28
    assert living.paragraphs[0].text == "Drink plenty of water and limit alcohol."
    assert gout.warnings == (
        "line 28: unknown heading 'Living With Gout' kept as section (role 'other')",
    )


def test_faq_with_multi_line_answer_and_boilerplate_after_date() -> None:
    gout = read_article(FIXTURES / "conditions/gout.txt")
    assert [(f.question.text, f.role) for f in gout.faqs] == [
        ("Is gout curable?", "treatment"),
        ("What causes gout?", "causes"),
    ]
    assert gout.faqs[1].answer.text == (
        "Too much uric acid in the blood.\nIt forms sharp crystals in a joint."
    )
    assert "physician" not in parsed_text(gout)


def test_markdown_headings_and_bold_terms() -> None:
    asthma = read_article(FIXTURES / "conditions/asthma.txt")
    assert asthma.title == "Asthma"
    assert asthma.updated == datetime.date(2025, 10, 18)
    assert [(s.heading, s.role) for s in asthma.sections] == [
        ("Overview", "overview"),
        ("Symptoms", "symptoms"),
        ("Treatment Options", "treatment"),
    ]
    terms = [b.term.text for b in asthma.sections[1].bullets if b.term is not None]
    assert terms == ["Wheezing", "Cough"]
    assert [(f.question.text, f.role) for f in asthma.faqs] == [
        ("Is asthma contagious?", "faq"),
        ("How is asthma diagnosed?", "diagnosis"),
    ]
    assert_spans_exact(asthma)


def test_no_date_still_cuts_boilerplate() -> None:
    chest = read_article(FIXTURES / "symptoms/chest-pain.txt")
    assert chest.kind == "symptom"
    assert chest.updated is None
    assert roles(chest) == ["overview", "causes", "when-to-see-doctor"]
    assert [b.term.text for b in chest.sections[1].bullets if b.term] == [
        "Heart",
        "Lungs",
        "Muscles and bones",
    ]
    assert chest.warnings == ("line 15: no update date before the site footer",)
    text = parsed_text(chest)
    for word in BOILERPLATE:
        assert word not in text


def test_no_headings_becomes_overview() -> None:
    hiccups = read_article(FIXTURES / "symptoms/hiccups.txt")
    assert len(hiccups.sections) == 1
    overview = hiccups.sections[0]
    assert (overview.heading, overview.role, overview.line) == ("", "overview", 3)
    assert len(overview.paragraphs) == 2
    assert hiccups.faqs == ()
    assert any("no section headings found" in w for w in hiccups.warnings)
    assert len(sentences(overview.paragraphs[0])) == 2


def test_procedure_headings() -> None:
    scan = read_article(FIXTURES / "procedures/bone-scan.txt")
    assert scan.kind == "procedure"
    assert scan.updated == datetime.date(2025, 10, 18)
    assert roles(scan) == [
        "overview",
        "purpose",
        "preparation",
        "procedure",
        "risks",
        "results",
        "recovery",
    ]
    assert scan.warnings == ()


@pytest.mark.parametrize(
    ("heading", "role"),
    [
        ("Overview", "overview"),
        ("Introduction", "overview"),
        ("What is Bone Metastasis", "overview"),
        ("About", "overview"),
        ("Definition", "overview"),
        ("Signs and Symptoms", "symptoms"),
        ("Signs & Symptoms", "symptoms"),
        ("Clinical Features", "symptoms"),
        ("Symptoms and Signs", "symptoms"),
        ("Symptoms of Bone Metastasis", "symptoms"),
        ("Tests and Diagnosis", "diagnosis"),
        ("Diagnostic Tests", "diagnosis"),
        ("How It Is Diagnosed", "diagnosis"),
        ("Diagnosis and Tests", "diagnosis"),
        ("Treatments", "treatment"),
        ("Management", "treatment"),
        ("Treatment and Management", "treatment"),
        ("Therapy", "treatment"),
        ("Causes", "causes"),
        ("Risk Factors", "risks"),
        ("Risk Factors and Causes", "causes"),
        ("Etiology", "causes"),
        ("Common Causes", "causes"),
        ("Complications", "complications"),
        ("Possible Complications", "complications"),
        ("Outlook", "prognosis"),
        ("Outlook and Prognosis", "prognosis"),
        ("Prevention", "prevention"),
        ("Preventing Bone Metastasis", "prevention"),
        ("Types", "types"),
        ("Types of Bone Metastasis", "types"),
        ("Classification", "types"),
        ("When to See a Doctor", "when-to-see-doctor"),
        ("When to Seek Medical Care", "when-to-see-doctor"),
        ("Purpose", "purpose"),
        ("Uses", "purpose"),
        ("Why It Is Done", "purpose"),
        ("Indications", "purpose"),
        ("Preparation", "preparation"),
        ("How to Prepare", "preparation"),
        ("What Happens During the Procedure", "procedure"),
        ("During the Procedure", "procedure"),
        ("Procedure", "procedure"),
        ("How It Is Done", "procedure"),
        ("Risks", "risks"),
        ("Risks and Side Effects", "risks"),
        ("Side Effects", "risks"),
        ("Results", "results"),
        ("Understanding the Results", "results"),
        ("Recovery", "recovery"),
        ("Aftercare", "recovery"),
        ("After the Procedure", "recovery"),
        ("## Living With Bone Metastasis", "other"),
        ("**SYMPTOMS**", "symptoms"),
        # how real pages name them (the unseen articles' headings fell to 'other')
        ("How Doctors Find It", "diagnosis"),
        ("How the Cause Is Found", "diagnosis"),
        ("Finding the Cause", "diagnosis"),
        ("Why Gout Happens", "causes"),
        ("Why It Develops", "causes"),
        ("Relieving the Itch", "treatment"),
        ("Easing Joint Pain at Home", "treatment"),
        ("Self-Care", "treatment"),
        ("Medicines", "treatment"),
        ("When to Get Emergency Help", "when-to-see-doctor"),
        ("What to Expect", "procedure"),
    ],
)
def test_heading_roles_by_meaning(heading: str, role: str) -> None:
    article = article_with_heading(heading)
    assert roles(article) == ["overview", role]
    assert article.sections[1].paragraphs[0].text == "Some text."


@pytest.mark.parametrize(
    "heading",
    [
        "Frequently Asked Questions",
        "Frequently Asked Questions (FAQs)",
        "FAQs",
        "FAQ",
        "Common Questions",
        "### Frequently asked questions",
    ],
)
def test_faq_headings(heading: str) -> None:
    text = f"Gout\n\nIntro.\n\n{heading}\n\nIs gout common?\nYes, very.\n"
    article = parse(text, Path("gout.txt"), "condition")
    assert roles(article) == ["overview"]
    assert [(f.question.text, f.answer.text) for f in article.faqs] == [
        ("Is gout common?", "Yes, very.")
    ]


def test_heading_naming_two_roles_warns() -> None:
    article = article_with_heading("Symptoms and Diagnosis")
    assert roles(article) == ["overview", "symptoms"]
    assert article.warnings == (
        "line 5: heading 'Symptoms and Diagnosis' also names diagnosis; kept as role 'symptoms'",
        "no 'Article last updated on: ...' line found",
    )


def test_lines_that_are_not_headings() -> None:
    text = (
        "Gout\n\nIntro.\n\nCommon symptoms include:\n\nIs it painful?\n\n"
        "Short line that\ncontinues in lowercase.\n"
    )
    article = parse(text, Path("gout.txt"), "condition")
    assert roles(article) == ["overview"]
    assert [p.text for p in article.sections[0].paragraphs] == [
        "Intro.",
        "Common symptoms include:",
        "Is it painful?",
        "Short line that\ncontinues in lowercase.",
    ]


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("What are the early signs?", "symptoms"),
        ("Which tests are used?", "diagnosis"),
        ("How is it managed?", "treatment"),
        ("What causes gout?", "causes"),
        ("Is there a risk for my children?", "risks"),
        ("Can gout be prevented?", "prevention"),
        ("What is the outlook?", "prognosis"),
        ("What is gout?", "overview"),
        ("Is gout contagious?", "faq"),
    ],
)
def test_faq_roles(question: str, role: str) -> None:
    text = f"Gout\n\nIntro.\n\nFAQs\n\n{question}\nAn answer.\n"
    article = parse(text, Path("gout.txt"), "condition")
    assert [f.role for f in article.faqs] == [role]


def test_faq_question_without_answer_warns() -> None:
    text = "Gout\n\nIntro.\n\nFAQs\n\nPreamble line.\n\nIs it rare?\n\nIs it common?\nYes.\n"
    article = parse(text, Path("gout.txt"), "condition")
    assert [f.question.text for f in article.faqs] == ["Is it common?"]
    assert article.warnings[:2] == (
        "line 7: text in the FAQ section before any question ignored",
        "line 9: FAQ question has no answer; ignored",
    )


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("Article last updated on: 18th October 2025.", datetime.date(2025, 10, 18)),
        ("Last updated: 18 October 2025", datetime.date(2025, 10, 18)),
        ("Updated on October 18, 2025", datetime.date(2025, 10, 18)),
        ("Last updated: 2025-10-18", datetime.date(2025, 10, 18)),
        ("Article last updated on: 1st Sept 2024.", datetime.date(2024, 9, 1)),
    ],
)
def test_update_date_formats(line: str, date: datetime.date) -> None:
    text = f"Gout\n\nIntro.\n\n{line}\nSee more\nMedical Disclaimer\n"
    article = parse(text, Path("gout.txt"), "condition")
    assert article.updated == date
    assert [p.text for p in article.sections[0].paragraphs] == ["Intro."]


# --- line endings and encodings -------------------------------------------------------------


@pytest.mark.parametrize("newline", [b"\r\n", b"\r"])
def test_crlf_and_cr_are_normalised(tmp_path: Path, newline: bytes) -> None:
    raw = SEED.read_bytes().replace(b"\n", newline)
    path = tmp_path / "conditions" / "bone-metastasis.txt"
    path.parent.mkdir()
    path.write_bytes(raw)
    article = read_article(path)
    expected = read_article(SEED)
    assert "\r" not in article.text
    assert article.text == expected.text
    assert article.sections == expected.sections
    assert article.faqs == expected.faqs
    assert article.sha256 == hashlib.sha256(raw).hexdigest() != expected.sha256
    assert_spans_exact(article)


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    path = tmp_path / "gout.txt"
    path.write_bytes(codecs.BOM_UTF8 + (FIXTURES / "conditions/gout.txt").read_bytes())
    article = read_article(path, kind="condition")
    assert article.title == "Gout"
    assert not article.text.startswith("\ufeff")
    assert_spans_exact(article)


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "is empty"),
        (b"  \n\t\r\n  ", "is empty"),
        (b"Gout\x00\x01\x02", "looks binary"),
        (
            b"Gout\n\nCaf\xe9 au lait spots.\n",
            "is not UTF-8 text: invalid byte 0xe9 at offset 9; re-save it as UTF-8",
        ),
        (b"Gout\n\nIntro.\n\nArticle last updated on: 31st February 2025.\n", "invalid update"),
        (b"Gout\n\nLast updated: 18 Octember 2025\n", "unknown month 'octember'"),
        (" ".join(["word"] * 16).encode() + b"\n\nText.\n", "does not look like a title"),
    ],
)
def test_bad_files_raise_article_error(tmp_path: Path, raw: bytes, message: str) -> None:
    path = tmp_path / "conditions" / "bad.txt"
    path.parent.mkdir()
    path.write_bytes(raw)
    with pytest.raises(ArticleError) as caught:
        read_article(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)
    assert caught.value.path == path


def test_bad_date_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "gout.txt"
    path.write_text("Gout\n\nIntro.\n\nArticle last updated on: 31st February 2025.\n")
    with pytest.raises(ArticleError) as caught:
        read_article(path, kind="condition")
    assert caught.value.line == 5
    assert str(caught.value).startswith(f"{path}, line 5: invalid update date")


def test_unknown_kind_folder(tmp_path: Path) -> None:
    path = tmp_path / "gout.txt"
    path.write_text("Gout\n\nIntro.\n")
    with pytest.raises(ArticleError, match="cannot tell whether it is about a condition"):
        read_article(path)
    with pytest.raises(ArticleError, match="unknown article kind"):
        parse("Gout\n", path, "disease")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match="cannot be read"):
        read_article(tmp_path / "conditions" / "missing.txt")


# --- reading only what is safe to read ----------------------------------------------------------


def test_read_bytes_refuses_a_fifo_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "conditions" / "pipe.txt"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    with pytest.raises(UnreadableFile, match="is a FIFO"):
        read_bytes(fifo)
    with pytest.raises(ArticleError, match="is a FIFO"):  # and so does read_article
        read_article(fifo)


def test_read_bytes_refuses_a_device_before_reading_it() -> None:
    with pytest.raises(UnreadableFile, match="is a character device, not a regular file"):
        read_bytes(Path("/dev/zero"))


def test_read_bytes_refuses_a_file_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 1001)
    with pytest.raises(UnreadableFile, match="holds 1,001 bytes, more than 1,000; skipped"):
        read_bytes(path, max_bytes=1000)
    assert read_bytes(path, max_bytes=1001) == b"x" * 1001


def test_read_bytes_stops_at_the_limit_when_a_file_holds_more_than_it_says() -> None:
    # a /proc file says it is empty and holds more, as a file growing while it is read does
    status = Path("/proc/self/status")
    assert status.stat().st_size == 0
    with pytest.raises(UnreadableFile, match="grew past 10 bytes while it was read"):
        read_bytes(status, max_bytes=10)


def test_read_bytes_checks_the_file_it_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file swapped for a FIFO between the check and the open is refused once open (read,
    it would give nothing, or wait for a writer)."""
    regular, fifo = tmp_path / "regular.txt", tmp_path / "pipe.txt"
    regular.write_text("Gout\n")
    os.mkfifo(fifo)
    real_stat = os.stat

    def stat_before_the_swap(path: Path, *args: Any, **kwargs: Any) -> os.stat_result:
        return real_stat(regular if path == fifo else path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat_before_the_swap)
    with pytest.raises(UnreadableFile, match="is a FIFO"):
        read_bytes(fifo)


def test_article_error_pickles() -> None:
    error = ArticleError(Path("a.txt"), "is empty", line=3)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.path, copy.message, copy.line, str(copy)) == (
        Path("a.txt"),
        "is empty",
        3,
        "a.txt, line 3: is empty",
    )


# --- sentences and slugs --------------------------------------------------------------------


def test_sentences_respect_abbreviations_and_decimals() -> None:
    text = "Take 0.5 mg daily, e.g. Colchicine. Dr. Smith agrees! Is it safe? Yes (i.e. Mostly)."
    span = Span(text, 100, 100 + len(text))
    assert [s.text for s in sentences(span)] == [
        "Take 0.5 mg daily, e.g. Colchicine.",
        "Dr. Smith agrees!",
        "Is it safe?",
        "Yes (i.e. Mostly).",
    ]
    for sentence in sentences(span):
        assert text[sentence.start - 100 : sentence.end - 100] == sentence.text


def test_sentences_split_on_blank_lines_and_keep_lowercase_continuations() -> None:
    span = Span("  One line\n\nAnother. and more.  ", 0, 32)
    assert [(s.text, s.start, s.end) for s in sentences(span)] == [
        ("One line", 2, 10),
        ("Another. and more.", 12, 30),
    ]
    assert sentences(Span("   ", 0, 3)) == []


@pytest.mark.parametrize(
    ("label", "slug"),
    [
        ("Bone Metastasis", "bone-metastasis"),
        ("Computed Tomography (CT) scans", "computed-tomography-ct-scans"),
        ("Sjögren's syndrome", "sjogren-s-syndrome"),
        ("../etc/passwd", "etc-passwd"),
        ("////", "article-" + hashlib.sha1(b"////").hexdigest()[:8]),
        ("日本語", "article-" + hashlib.sha1("日本語".encode()).hexdigest()[:8]),
    ],
)
def test_slugify_examples(label: str, slug: str) -> None:
    assert slugify(label) == slug


SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@given(st.text())
def test_slugify_is_always_a_safe_slug(label: str) -> None:
    slug = slugify(label)
    assert SLUG.fullmatch(slug)
    assert slugify(label) == slug


# --- properties of parse --------------------------------------------------------------------

# Any code point but surrogates (files are UTF-8) and a BOM (stripped at the start of a text):
# controls, line and paragraph separators and bidi controls are text like any other.
ANY_CHARACTER = st.characters(exclude_categories=("Cs",), exclude_characters="\ufeff")
LINE = st.one_of(
    st.text(ANY_CHARACTER, max_size=60),
    st.sampled_from(
        [
            "",
            "Symptoms",
            "## Treatment",
            "Frequently Asked Questions",
            "What is it?",
            "- Pain: it hurts",
            "* Term only:",
            "1. First: one. Two.",
            "Article last updated on: 18th October 2025.",
            "Updated on: 31st February 2025",
            "See more",
            "Diagnosis Pad",
        ]
    ),
)


@settings(max_examples=300, deadline=None)
@given(
    title=st.text(ANY_CHARACTER, min_size=1, max_size=40).filter(str.strip),
    lines=st.lists(LINE, max_size=30),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_parse_never_crashes_and_spans_are_exact(
    title: str, lines: list[str], newline: str
) -> None:
    text = newline.join([title, *lines])
    try:
        article = parse(text, Path("x.txt"), "condition")
    except ArticleError as error:
        assert "x.txt" in str(error)
        return
    assert article.title
    assert SLUG.fullmatch(article.slug)
    assert "\r" not in article.text
    assert_spans_exact(article)
    assert article.sections == () or article.sections[0].line >= 1


def test_a_sub_heading_of_no_known_role_takes_its_parents() -> None:
    """Under "Common Causes", "Skin conditions" and "Medicines" list causes: by Markdown
    levels, or in plain text after an empty heading; a heading of known role ends it."""
    markdown = (
        "# Itchy Skin\n\nItchy skin is common.\n\n## Common Causes\n\n### Skin conditions\n\n"
        "- Eczema\n\n### Medicines\n\n- Opioids\n\n## Diagnosis\n\nA skin test.\n\n"
        "## Medicines\n\n- Antihistamines\n"
    )
    article = parse(markdown, Path("itchy-skin.md"), "symptom")
    assert roles(article) == ["overview", "causes", "causes", "causes", "diagnosis", "treatment"]
    plain = (
        "Itchy Skin\n\nItchy skin is common.\n\nCommon Causes\n\nSkin Conditions\n\n"
        "  • Eczema\n\nOther Illnesses\n\n  • Kidney disease\n\nDiagnosis\n\nA skin test.\n"
    )
    article = parse(plain, Path("itchy-skin.txt"), "symptom")
    assert roles(article) == ["overview", "causes", "causes", "causes", "diagnosis"]
    assert not any("unknown heading" in w for w in article.warnings)


PROCEDURE_PAGE = (
    "Tympanometry\n\nTympanometry checks how the eardrum moves.\n\nWhy It Is Done\n\n"
    "It finds fluid behind the eardrum.\n\nWhat Happens During the Test\n\n"
    "A soft probe is placed in the ear.\n"
)
SYMPTOM_PAGE = (
    "Hiccups\n\nHiccups are sudden contractions of the diaphragm.\n\nCauses\n\n"
    "  • Eating quickly: Swallowing air\n\nWhen to See a Doctor\n\nIf they last two days.\n"
)
CONDITION_PAGE = (
    "Sinusitis\n\nSinusitis is inflammation of the sinuses.\n\nSymptoms\n\n"
    "  • Facial pain: Worse when bending forward\n"
)


@pytest.mark.parametrize(
    ("text", "kind"),
    [(PROCEDURE_PAGE, "procedure"), (SYMPTOM_PAGE, "symptom"), (CONDITION_PAGE, "condition")],
)
def test_the_kind_comes_from_the_headings_when_the_folder_says_nothing(
    tmp_path: Path, text: str, kind: str
) -> None:
    """A single article given by path failed unless its folder was conditions/, symptoms/
    or procedures/."""
    path = tmp_path / "downloads" / "page.txt"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    assert read_article(path).kind == kind
    assert read_article(path, "condition").kind == "condition"  # --kind forces it


def test_an_article_of_no_kind_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Notes\n\nSome text about nothing in particular.\n", encoding="utf-8")
    with pytest.raises(ArticleError, match=r"notes\.txt: cannot tell whether it is about a"):
        read_article(path)


def test_the_headings_tell_the_kind_of_every_shipped_article() -> None:
    from medkg.article import kind_of
    from medkg.build import discover

    articles = [read_article(path) for path in discover([ROOT / "data" / "articles"])]
    assert [a.kind for a in articles] == [kind_of(a.sections) for a in articles]


def test_a_bold_bullet_without_a_term_is_its_words_not_its_markup() -> None:
    article = parse(
        "Celiac Disease\n\n## Risk Factors\n\n"
        "- **Type 1 diabetes**\n- **Family history:** A parent\n",
        Path("conditions/celiac-disease.md"),
        "condition",
    )
    bare, termed = article.sections[0].bullets
    assert (bare.term, bare.span.text) == (None, "Type 1 diabetes")
    assert bare.span.text == article.text[bare.span.start : bare.span.end]
    assert termed.term is not None and termed.term.text == "Family history"
