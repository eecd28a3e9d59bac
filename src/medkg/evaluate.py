"""Scoring extraction against hand-written gold files (tests/gold/<article>.tsv).

A fact is (subject, relation, object, polarity) with concepts named by their preferred
label; gold names may be any label, synonym or abbreviation of the registry.
See docs/annotation.md for what a gold row means.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from medkg.extract import RELATIONS, Extraction
from medkg.terminology import Concept, Lexicon

GOLD_COLUMNS = ("subject", "relation", "object", "polarity")
POLARITIES = {"positive": True, "negative": False}

Fact = tuple[str, str, str, bool]


class GoldError(ValueError):
    """A gold file that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Score:
    """Counts and the measures derived from them, for one relation or overall."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    def __add__(self, other: Score) -> Score:
        return Score(
            self.true_positives + other.true_positives,
            self.false_positives + other.false_positives,
            self.false_negatives + other.false_negatives,
        )

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class ArticleResult:
    article: str
    gold: frozenset[Fact]
    extracted: frozenset[Fact]

    @property
    def missed(self) -> frozenset[Fact]:
        return self.gold - self.extracted

    @property
    def spurious(self) -> frozenset[Fact]:
        return self.extracted - self.gold


@dataclass(frozen=True)
class Evaluation:
    articles: tuple[ArticleResult, ...]
    without_gold: tuple[str, ...] = field(default=())

    def by_relation(self) -> dict[str, Score]:
        scores: dict[str, Score] = {}
        for result in self.articles:
            for fact in result.gold | result.extracted:
                score = Score(
                    int(fact in result.gold and fact in result.extracted),
                    int(fact not in result.gold),
                    int(fact not in result.extracted),
                )
                scores[fact[1]] = scores.get(fact[1], Score()) + score
        return dict(sorted(scores.items()))

    def overall(self) -> Score:
        return sum(self.by_relation().values(), Score())


def gold_path(extraction: Extraction, gold_dir: Path) -> Path:
    return gold_dir / f"{extraction.article.source.stem}.tsv"


def read_gold(path: Path, lexicon: Lexicon, subject: Concept | None = None) -> frozenset[Fact]:
    """The facts of a gold file, names resolved to preferred labels.

    ``subject`` is the article's own concept, which a gold file may name even when the
    registry does not list it.

    Raises:
        GoldError: naming the file and line of a malformed row or an unknown name.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    if not rows or tuple(c.strip() for c in rows[0]) != GOLD_COLUMNS:
        raise GoldError(f"{path}:1: header must be {' / '.join(GOLD_COLUMNS)} (tab-separated)")
    facts = set()
    for line, row in enumerate(rows[1:], start=2):
        if not row or not "".join(row).strip() or row[0].startswith("#"):
            continue
        if len(row) != len(GOLD_COLUMNS):
            raise GoldError(f"{path}:{line}: expected 4 tab-separated columns, got {len(row)}")
        subject_name, relation, object_name, polarity = (cell.strip() for cell in row)
        if relation not in RELATIONS:
            raise GoldError(f"{path}:{line}: unknown relation {relation!r}")
        if polarity not in POLARITIES:
            raise GoldError(f"{path}:{line}: polarity must be positive or negative")
        names = [
            _resolve(name, lexicon, subject, path, line) for name in (subject_name, object_name)
        ]
        facts.add((names[0], relation, names[1], POLARITIES[polarity]))
    return frozenset(facts)


def _resolve(name: str, lexicon: Lexicon, subject: Concept | None, path: Path, line: int) -> str:
    concept = lexicon.lookup(name)
    if concept is None and subject is not None and name.strip().lower() == subject.label:
        return subject.label  # an article about a concept the registry does not list
    if concept is None:
        raise GoldError(f"{path}:{line}: {name!r} is not a concept of the registry")
    return concept.label


def facts_of(extraction: Extraction) -> frozenset[Fact]:
    return frozenset(
        (a.subject.label, a.relation, a.object.label, not a.negated) for a in extraction.assertions
    )


def evaluate(extractions: Iterable[Extraction], gold_dir: Path, lexicon: Lexicon) -> Evaluation:
    """Score every extraction that has a gold file; name the articles that have none."""
    results, without = [], []
    for extraction in extractions:
        path = gold_path(extraction, gold_dir)
        if not path.is_file():
            without.append(str(extraction.article.source))
            continue
        gold = read_gold(path, lexicon, extraction.subject)
        results.append(ArticleResult(extraction.article.source.stem, gold, facts_of(extraction)))
    return Evaluation(tuple(results), tuple(without))


def format_fact(fact: Fact) -> str:
    subject, relation, obj, positive = fact
    return f"{subject} {relation} {obj}" + ("" if positive else " (negated)")


def score_rows(evaluation: Evaluation) -> Sequence[tuple[str, Score]]:
    """Per-relation scores then the overall one, for printing."""
    return [*evaluation.by_relation().items(), ("overall", evaluation.overall())]
