"""The shipped encyclopedia: size, kinds, format variety, gold coverage, extraction quality."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import PROV, RDF, SKOS

from medkg.article import read_article
from medkg.build import discover
from medkg.evaluate import (
    Evaluation,
    GoldError,
    evaluate,
    extracted_facts,
    read_gold,
    score_article,
)
from medkg.extract import extract
from medkg.resources import REGISTRY
from medkg.terminology import Lexicon, load_registry
from medkg.vocab import CONCEPT, MEDKG

ROOT = Path(__file__).resolve().parents[1]
ARTICLES_DIR = ROOT / "data" / "articles"
GOLD_DIR = ROOT / "tests" / "gold"

FILES = discover([ARTICLES_DIR])


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon(load_registry(REGISTRY))


@pytest.fixture(scope="module")
def evaluation(lexicon: Lexicon) -> Evaluation:
    return evaluate([extract(read_article(p), lexicon) for p in FILES], GOLD_DIR)


def test_the_corpus_has_enough_articles_of_each_kind() -> None:
    kinds = [read_article(p).kind for p in FILES]
    assert len(kinds) >= 30
    assert kinds.count("condition") >= 15
    assert kinds.count("symptom") >= 7
    assert kinds.count("procedure") >= 8


def test_the_corpus_varies_its_format_like_real_pages() -> None:
    raw = {p: p.read_bytes() for p in FILES}
    assert any(p.suffix == ".md" for p in FILES), "a Markdown article"
    assert any(p.suffix == ".html" for p in FILES), "an HTML page"
    assert any(b"\r\n" in data for data in raw.values()), "an article with CRLF line endings"
    articles = [read_article(p) for p in FILES]
    assert any(a.updated is None for a in articles), "an article without a date"
    assert any(b"Medical Disclaimer" not in data for data in raw.values()), "one without footer"
    for bullet in ("•", "-", "*"):
        assert any(
            f"\n  {bullet} ".encode() in data or f"\n{bullet} ".encode() in data
            for data in raw.values()
        ), bullet


def test_every_article_has_a_gold_file(evaluation: Evaluation) -> None:
    assert evaluation.without_gold == ()
    assert len(evaluation.articles) == len(FILES)


def test_gold_files_include_negated_facts(evaluation: Evaluation) -> None:
    negated = [f for result in evaluation.articles for f in result.gold if not f.positive]
    assert len(negated) >= 5


# Every gold row is scored, whatever the registry lists (medkg.evaluate). These floors are
# the scores last measured (P 0.745, R 0.847), rounded down, so any change that makes
# extraction worse on the corpus fails here; raise them as extraction improves. This gold was
# written against the closed registry: what open extraction adds (drugs named in passing,
# what a test looks for, advice named as a doing) is mostly absent from it, which its
# precision pays (0.766 before those rules, while the blind dev half's rose 0.55 -> 0.58).
# Names made as specific as the text gives them ("bacterial pneumonia") cost it 2 of 1,264
# facts, one where this gold names a broader concept than docs/annotation.md asks; a body
# part counting as a procedure's site only in a clause about the procedure cost it 4 more
# ("the chest, abdomen and pelvis are scanned most often"). The blind sets say more.
PRECISION_FLOOR, RECALL_FLOOR = 0.74, 0.84


def test_extraction_quality_does_not_regress(evaluation: Evaluation) -> None:
    overall = evaluation.overall()
    report = "\n".join(
        f"{name}: P={s.precision:.2f} R={s.recall:.2f}"
        for name, s in evaluation.by_relation().items()
    )
    assert overall.precision >= PRECISION_FLOOR, report
    assert overall.recall >= RECALL_FLOOR, report


def test_a_malformed_gold_row_is_named(tmp_path: Path) -> None:
    gold = tmp_path / "x.tsv"
    gold.write_text("subject\trelation\tobject\tpolarity\nfatigue\tcauses\n")
    with pytest.raises(GoldError, match=r"x\.tsv:2: expected 4"):
        read_gold(gold)
    gold.write_text("subject\trelation\tobject\tpolarity\nanemia\tcures\tfatigue\tpositive\n")
    with pytest.raises(GoldError, match=r"x\.tsv:2: unknown relation 'cures'"):
        read_gold(gold)
    gold.write_text("subject\trelation\tobject\tpolarity\nanemia\tcauses\t | \tpositive\n")
    with pytest.raises(GoldError, match=r"x\.tsv:2: '\|' names no concept"):
        read_gold(gold)


def test_a_gold_fact_about_a_concept_nobody_lists_is_a_miss(
    tmp_path: Path, lexicon: Lexicon
) -> None:
    """Gold is never filtered by what medkg knows: a name no vocabulary lists is read, and
    counts against recall when nothing extracted carries it."""
    gold = tmp_path / "fatigue.tsv"
    gold.write_text(
        "subject\trelation\tobject\tpolarity\n"
        "anemia\tcauses\tfatigue\tpositive\n"
        "zzyzx syndrome\tcauses\tfatigue\tpositive\n"
    )
    extraction = extract(read_article(ARTICLES_DIR / "symptoms" / "fatigue.txt"), lexicon)
    result = score_article("fatigue", read_gold(gold), extracted_facts(extraction))
    assert [fact.shown for fact in result.missed] == ["zzyzx syndrome causes fatigue"]
    assert len(result.found) == 1


def test_gold_alternatives_and_forms_of_a_name_all_match(tmp_path: Path, lexicon: Lexicon) -> None:
    gold = tmp_path / "fatigue.tsv"
    gold.write_text(
        "subject\trelation\tobject\tpolarity\n"
        "Anaemias | low red blood cells\tcauses\tthe fatigue\tpositive\n"
    )
    extraction = extract(read_article(ARTICLES_DIR / "symptoms" / "fatigue.txt"), lexicon)
    result = score_article("fatigue", read_gold(gold), extracted_facts(extraction))
    assert len(result.found) == 1


def test_a_concept_named_in_several_articles_is_one_node(graph: Graph) -> None:
    bone_pain = CONCEPT["bone-pain"]
    articles = {graph.value(s, PROV.wasDerivedFrom) for s in graph.subjects(RDF.object, bone_pain)}
    assert len(articles) >= 3
    assert (bone_pain, RDF.type, MEDKG.Symptom) in graph
    assert len(set(graph.objects(bone_pain, SKOS.prefLabel))) == 1
