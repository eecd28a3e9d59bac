"""Scoring extraction against gold files, every gold row counted.

A gold row names its concepts as the article does (``docs/annotation.md``), alternatives
separated by ``" | "``. An extracted fact names each of its concepts by every name medkg gives
it: its label, synonyms and abbreviations, and the names the article gave it. A gold fact is
found when an extracted fact has its relation and polarity and shares a name with each of its
two sides (names compared case-, plural- and determiner-blind); each extracted fact finds at
most one gold fact. Nothing is filtered by what any vocabulary knows: a gold fact about a
concept no node carries is a miss, and a gold file that names nothing medkg knows scores 0.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from medkg.extract import Extraction
from medkg.relations import RELATIONS
from medkg.terminology import Concept, normalise

GOLD_COLUMNS = ("subject", "relation", "object", "polarity")
POLARITIES = {"positive": True, "negative": False}
ALTERNATIVES = "|"  # gold names one concept several ways: "magnetic resonance imaging | MRI"

Names = frozenset[str]  # a concept's names, each normalised (see :func:`name_key`)


class GoldError(ValueError):
    """A gold file that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Fact:
    """subject —relation→ object, asserted or (``positive`` False) denied; each side is the
    set of names it goes by, ``shown`` the way to print it."""

    subject: Names
    relation: str
    object: Names
    positive: bool
    shown: str

    def matches(self, other: Fact) -> bool:
        return (
            self.relation == other.relation
            and self.positive == other.positive
            and not self.subject.isdisjoint(other.subject)
            and not self.object.isdisjoint(other.object)
        )


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
    """One article's gold facts, extracted facts, and which of them found each other."""

    article: str
    gold: tuple[Fact, ...]
    extracted: tuple[Fact, ...]
    found: tuple[tuple[int, int], ...]  # (gold index, extracted index) pairs

    @property
    def missed(self) -> tuple[Fact, ...]:
        hit = {g for g, _ in self.found}
        return tuple(fact for i, fact in enumerate(self.gold) if i not in hit)

    @property
    def spurious(self) -> tuple[Fact, ...]:
        hit = {e for _, e in self.found}
        return tuple(fact for i, fact in enumerate(self.extracted) if i not in hit)

    def scores(self) -> dict[str, Score]:
        """Per relation: found gold facts, spurious extracted ones, missed gold ones."""
        scores: dict[str, Score] = {}
        for fact, score in (
            *((self.gold[g], Score(true_positives=1)) for g, _ in self.found),
            *((fact, Score(false_positives=1)) for fact in self.spurious),
            *((fact, Score(false_negatives=1)) for fact in self.missed),
        ):
            scores[fact.relation] = scores.get(fact.relation, Score()) + score
        return scores


@dataclass(frozen=True)
class Evaluation:
    articles: tuple[ArticleResult, ...]
    without_gold: tuple[str, ...] = field(default=())

    def by_relation(self) -> dict[str, Score]:
        totals: dict[str, Score] = {}
        for result in self.articles:
            for relation, score in result.scores().items():
                totals[relation] = totals.get(relation, Score()) + score
        return dict(sorted(totals.items()))

    def overall(self) -> Score:
        return sum(self.by_relation().values(), Score())

    def negated_asserted(self) -> int:
        """Gold facts the text denies that were extracted as asserted: the worst error."""
        return sum(
            1
            for result in self.articles
            for fact in result.gold
            if not fact.positive
            and any(
                e.positive and e.relation == fact.relation and _same_pair(fact, e)
                for e in result.extracted
            )
        )


def _same_pair(a: Fact, b: Fact) -> bool:
    return not a.subject.isdisjoint(b.subject) and not a.object.isdisjoint(b.object)


def name_key(name: str) -> str:
    """A name as facts compare it: lower case, singular, without determiners or punctuation."""
    return " ".join(normalise(name))


def gold_path(extraction: Extraction, gold_dir: Path) -> Path:
    return gold_dir / f"{extraction.article.source.stem}.tsv"


def read_gold(path: Path) -> tuple[Fact, ...]:
    """The facts of a gold file, in file order, duplicates dropped.

    Raises:
        GoldError: naming the file and line of a malformed row.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or tuple(c.strip() for c in rows[0]) != GOLD_COLUMNS:
        raise GoldError(f"{path}:1: header must be {' / '.join(GOLD_COLUMNS)} (tab-separated)")
    facts: dict[tuple[Names, str, Names, bool], Fact] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not row or not "".join(row).strip() or row[0].startswith("#"):
            continue
        if len(row) != len(GOLD_COLUMNS):
            raise GoldError(f"{path}:{line}: expected 4 tab-separated columns, got {len(row)}")
        subject, relation, obj, polarity = (cell.strip() for cell in row)
        if relation not in RELATIONS:
            raise GoldError(f"{path}:{line}: unknown relation {relation!r}")
        if polarity not in POLARITIES:
            raise GoldError(f"{path}:{line}: polarity must be positive or negative")
        sides = [_gold_names(cell, path, line) for cell in (subject, obj)]
        shown = _shown(subject, relation, obj, POLARITIES[polarity])
        fact = Fact(sides[0], relation, sides[1], POLARITIES[polarity], shown)
        facts.setdefault((fact.subject, relation, fact.object, fact.positive), fact)
    return tuple(facts.values())


def _gold_names(cell: str, path: Path, line: int) -> Names:
    names = frozenset(key for key in map(name_key, cell.split(ALTERNATIVES)) if key)
    if not names:
        raise GoldError(f"{path}:{line}: {cell!r} names no concept")
    return names


def _shown(subject: str, relation: str, obj: str, positive: bool) -> str:
    return f"{subject} {relation} {obj}" + ("" if positive else " (negated)")


def extracted_facts(extraction: Extraction) -> tuple[Fact, ...]:
    """The extraction's facts, one per (subject, relation, object, polarity), each concept
    named by all its names."""
    given: dict[str, set[str]] = {}
    for synonym in extraction.synonyms:
        given.setdefault(synonym.concept.label, set()).add(synonym.label)

    def names(concept: Concept) -> Names:
        every = (concept.label, *concept.synonyms, *concept.abbreviations)
        return frozenset(map(name_key, (*every, *given.get(concept.label, ())))) - {""}

    facts: dict[tuple[str, str, str, bool], Fact] = {}
    for a in extraction.assertions:
        key = (a.subject.label, a.relation, a.object.label, not a.negated)
        if key not in facts:
            shown = _shown(a.subject.label, a.relation, a.object.label, not a.negated)
            facts[key] = Fact(names(a.subject), a.relation, names(a.object), not a.negated, shown)
    return tuple(facts[key] for key in sorted(facts))


def score_article(article: str, gold: Sequence[Fact], extracted: Sequence[Fact]) -> ArticleResult:
    """Pair gold and extracted facts, each at most once, in gold order."""
    used: set[int] = set()
    found = []
    for g, fact in enumerate(gold):
        match = next(
            (e for e, other in enumerate(extracted) if e not in used and fact.matches(other)),
            None,
        )
        if match is not None:
            used.add(match)
            found.append((g, match))
    return ArticleResult(article, tuple(gold), tuple(extracted), tuple(found))


def evaluate(extractions: Iterable[Extraction], gold_dir: Path) -> Evaluation:
    """Score every extraction that has a gold file; name the articles that have none."""
    results, without = [], []
    for extraction in extractions:
        path = gold_path(extraction, gold_dir)
        if not path.is_file():
            without.append(str(extraction.article.source))
            continue
        name = extraction.article.source.stem
        results.append(score_article(name, read_gold(path), extracted_facts(extraction)))
    return Evaluation(tuple(results), tuple(without))


def score_rows(evaluation: Evaluation) -> Sequence[tuple[str, Score]]:
    """Per-relation scores then the overall one, for printing."""
    return [*evaluation.by_relation().items(), ("overall", evaluation.overall())]
