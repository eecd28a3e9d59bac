"""Concepts and how text names them: the curated registry and the lexicon that finds mentions.

The lexicon matches normalised token sequences (case, plural and determiners ignored) and
expands coordinated lists around a match ("breast, lung and thyroid cancers" names three
cancers), always gated by the lexicon, so nothing unknown is invented.
"""

from __future__ import annotations

import collections
import csv
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from medkg.article import slugify

REGISTRY_COLUMNS = ("label", "types", "synonyms", "abbreviations")

#: The ontology's concept classes (local names in medkg:).
CONCEPT_TYPES = frozenset(
    {
        "Condition",
        "Cancer",
        "PrimaryCancer",
        "MetastaticDisease",
        "Complication",
        "Symptom",
        "PathologicalProcess",
        "DiagnosticProcedure",
        "ImagingProcedure",
        "LaboratoryTest",
        "Biopsy",
        "Therapy",
        "RadiationTherapy",
        "Chemotherapy",
        "HormoneTherapy",
        "Surgery",
        "SupportiveCare",
        "Drug",
        "DrugClass",
        "RiskFactor",
        "PrognosticFactor",
        "PreventiveMeasure",
        "AnatomicalStructure",
        "SpreadRoute",
        "TreatmentGoal",
    }
)

#: Superclasses, so rules can ask "is this a Condition?" without an OWL reasoner.
_PARENT = {
    "Cancer": "Condition",
    "PrimaryCancer": "Cancer",
    "MetastaticDisease": "Cancer",
    "Complication": "Condition",
    "ImagingProcedure": "DiagnosticProcedure",
    "LaboratoryTest": "DiagnosticProcedure",
    "Biopsy": "DiagnosticProcedure",
    "RadiationTherapy": "Therapy",
    "Chemotherapy": "Therapy",
    "HormoneTherapy": "Therapy",
    "Surgery": "Therapy",
    "SupportiveCare": "Therapy",
}

#: The type an article's own concept gets when the registry does not know its title.
KIND_TYPES = {"condition": "Condition", "symptom": "Symptom", "procedure": "DiagnosticProcedure"}

_SKIPPED = frozenset({"the", "an", "any"})
_IRREGULAR = {
    "metastases": "metastasis",
    "diagnoses": "diagnosis",
    "prognoses": "prognosis",
    "analyses": "analysis",
    "women": "women",
    "men": "men",
}
_TOKEN = re.compile(r"[A-Za-z0-9]+|[,;:()/.!?]")
_CONJUNCTIONS = frozenset({"and", "or"})
_MAX_CONJUNCT = 3
_MAX_MODIFIER = 4  # words of a phrase shared by a list ("in the legs")


class TerminologyError(ValueError):
    """A registry record that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Concept:
    """A medical concept: one node in the graph, named by its preferred label."""

    label: str
    types: tuple[str, ...]
    synonyms: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        return slugify(self.label)

    def is_a(self, *types: str) -> bool:
        """True if any of this concept's types is, or specialises, one of ``types``."""
        return any(ancestor in types for t in self.types for ancestor in lineage(t))


@dataclass(frozen=True)
class Mention:
    """A place in a text that names a concept."""

    concept: Concept
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _Token:
    norm: str
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        return self.norm[0].isalnum()


def lineage(concept_type: str) -> Iterator[str]:
    """The type itself, then its superclasses up to the root."""
    current: str | None = concept_type
    while current is not None:
        yield current
        current = _PARENT.get(current)


def singular(word: str) -> str:
    """A cheap, consistent singular form; the same function runs on keys and on text."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def _tokens(text: str) -> list[_Token]:
    return [_Token(singular(m.group().lower()), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def normalise(text: str) -> tuple[str, ...]:
    """The lookup key of a phrase: lower-case singular words, determiners dropped."""
    return tuple(t.norm for t in _tokens(text) if t.is_word and t.norm not in _SKIPPED)


def load_registry(*paths: Path) -> tuple[Concept, ...]:
    """Read curated registries, each one TSV file or every ``*.tsv`` in a folder.

    A later registry is a curation layer over the earlier ones: it adds concepts, a record of
    the same label replaces theirs, and a name it gives is no longer an earlier concept's.
    Columns: label, types, synonyms, abbreviations; lists inside a cell use '; '.

    Raises:
        TerminologyError: naming the file and line of a malformed record, or of one repeated
            within a registry.
    """
    concepts: dict[str, Concept] = {}
    for path in paths:
        layer = _read_registry(path)
        names = {normalise(name) for concept in layer.values() for name in _names(concept)}
        for label, concept in concepts.items():
            if label not in layer:
                concepts[label] = _without(concept, names)
        concepts.update(layer)
    return tuple(concepts.values())


def _read_registry(path: Path) -> dict[str, Concept]:
    files = sorted(path.glob("*.tsv")) if path.is_dir() else [path]
    concepts: dict[str, Concept] = {}
    places: dict[str, str] = {}
    for file in files:
        for line, concept in _read_registry_file(file):
            place = f"{file}:{line}"
            if concept.label.lower() in places:
                raise TerminologyError(
                    f"{place}: {concept.label!r} is already defined at "
                    f"{places[concept.label.lower()]}; keep one record per concept"
                )
            places[concept.label.lower()] = place
            concepts[concept.label.lower()] = concept
    return concepts


def _names(concept: Concept) -> tuple[str, ...]:
    return (concept.label, *concept.synonyms, *concept.abbreviations)


def _without(concept: Concept, names: set[tuple[str, ...]]) -> Concept:
    """``concept`` without the synonyms and abbreviations a later layer gives another one."""
    return Concept(
        concept.label,
        concept.types,
        tuple(n for n in concept.synonyms if normalise(n) not in names),
        tuple(n for n in concept.abbreviations if normalise(n) not in names),
    )


def _read_registry_file(path: Path) -> Iterator[tuple[int, Concept]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    if not rows or tuple(rows[0]) != REGISTRY_COLUMNS:
        raise TerminologyError(f"{path}:1: header must be {' / '.join(REGISTRY_COLUMNS)}")
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(REGISTRY_COLUMNS):
            raise TerminologyError(f"{path}:{line}: expected {len(REGISTRY_COLUMNS)} columns")
        label, types, synonyms, abbreviations = (cell.strip() for cell in row)
        type_list = _split(types)
        unknown = [t for t in type_list if t not in CONCEPT_TYPES]
        if not label or not type_list or unknown:
            raise TerminologyError(
                f"{path}:{line}: record {label!r} needs a label and known types (got {types!r})"
            )
        yield line, Concept(label, type_list, _split(synonyms), _split(abbreviations))


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(";") if part.strip())


class Lexicon:
    """Finds concept mentions in text; one lexicon serves every article of a build."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self.concepts = tuple(concepts)
        self._keys: dict[tuple[str, ...], Concept] = {}
        for concept in self.concepts:
            for name in (concept.label, *concept.synonyms, *concept.abbreviations):
                self._add(normalise(name), concept)
        # "lung cancer" is also "cancer of the lung": index the inverted form, never overriding.
        for concept in self.concepts:
            for name in (concept.label, *concept.synonyms):
                key = normalise(name)
                if len(key) >= 2 and "of" not in key:
                    self._keys.setdefault((key[-1], "of", *key[:-1]), concept)
        self._longest = max((len(k) for k in self._keys), default=0)

    def _add(self, key: tuple[str, ...], concept: Concept) -> None:
        if key and self._keys.setdefault(key, concept) != concept:
            raise TerminologyError(
                f"name {' '.join(key)!r} is claimed by both {self._keys[key].label!r} "
                f"and {concept.label!r}"
            )

    def extended(
        self, concepts: Iterable[Concept], names: Mapping[str, Concept] | None = None
    ) -> Lexicon:
        """This lexicon with ``concepts`` added, and ``names`` as more names of concepts (an
        article's own: see :mod:`medkg.extract.recognise`, and the abbreviations it defines):
        a child that shares this one's index, so it costs only what it adds. A name this
        lexicon knows keeps its concept."""
        concepts = tuple(concepts)
        child = Lexicon.__new__(Lexicon)
        child.concepts = (*self.concepts, *concepts)
        child._keys = collections.ChainMap({}, self._keys)  # type: ignore[assignment]
        pairs = [(n, c) for c in concepts for n in (c.label, *c.synonyms, *c.abbreviations)]
        for name, concept in (*pairs, *(names or {}).items()):
            key = normalise(name)
            if key and key not in child._keys:
                child._keys[key] = concept
        child._longest = max((len(k) for k in child._keys), default=0)
        return child

    def lookup(self, name: str) -> Concept | None:
        """The concept with this label, synonym or abbreviation (any case or number)."""
        return self._keys.get(normalise(name))

    def concept_for_title(self, title: str, kind: str) -> Concept:
        """The concept an article is about: a known one, or a new one typed by article kind."""
        return self.lookup(title) or Concept(title.strip().lower(), (KIND_TYPES[kind],))

    def find(self, text: str) -> list[Mention]:
        """Every mention in ``text``, in text order, longest match first, lists expanded."""
        tokens = _tokens(text)
        direct = self._direct_matches(tokens)
        expanded = [
            mention
            for first, last, concept in direct
            for mention in self._expand(tokens, first, last, concept, text)
        ]
        mentions = [
            Mention(concept, tokens[first].start, tokens[last].end, "")
            for first, last, concept in direct
            if not any(_overlaps(tokens[first].start, tokens[last].end, e) for e in expanded)
        ]
        unique = {(m.start, m.end, m.concept.label): m for m in [*mentions, *expanded]}
        return sorted(
            (Mention(m.concept, m.start, m.end, text[m.start : m.end]) for m in unique.values()),
            key=lambda m: (m.start, m.end),
        )

    def _direct_matches(self, tokens: list[_Token]) -> list[tuple[int, int, Concept]]:
        """Greedy longest matches over runs of words (a match never crosses punctuation)."""
        matches = []
        i = 0
        while i < len(tokens):
            found = self._match_at(tokens, i)
            if found is None:
                i += 1
                continue
            last, concept = found
            matches.append((i, last, concept))
            i = last + 1
        return matches

    def _match_at(self, tokens: list[_Token], i: int) -> tuple[int, Concept] | None:
        if not tokens[i].is_word or tokens[i].norm in _SKIPPED:
            return None
        key: list[str] = []
        best = None
        j = i
        while j < len(tokens) and tokens[j].is_word and len(key) < self._longest:
            if tokens[j].norm not in _SKIPPED:
                key.append(tokens[j].norm)
                if (concept := self._keys.get(tuple(key))) is not None:
                    best = (j, concept)
            j += 1
        return best

    def _expand(
        self, tokens: list[_Token], first: int, last: int, concept: Concept, text: str
    ) -> Iterator[Mention]:
        """Distribute a match's head over a coordinated list next to it.

        "breast, prostate, and thyroid cancers" → breast cancer, prostate cancer;
        "compression of nerves or spinal cord" → compression of spinal cord;
        "stage and aggressiveness of the primary cancer" → stage of primary cancer.
        """
        key = normalise(text[tokens[first].start : tokens[last].end])
        for words in _conjuncts_before(tokens, first):
            for suffix in _suffixes(words):
                hit = self._first_known(suffix, [key[k:] for k in range(1, len(key))])
                if hit:
                    yield Mention(hit, suffix[0].start, suffix[-1].end, "")
                    break
        for words in _conjuncts_after(tokens, last):
            for prefix in _prefixes(words):
                hit = self._first_known(prefix, [key[:-k] for k in range(1, len(key))])
                if hit:
                    yield Mention(hit, prefix[0].start, prefix[-1].end, "")
                    break
        yield from self._shared_modifier(tokens, first, last, concept)

    def _shared_modifier(
        self, tokens: list[_Token], first: int, last: int, concept: Concept
    ) -> Iterator[Mention]:
        """A phrase after the last conjunct qualifies each one: "weakness or numbness in the
        legs" names leg weakness ("weakness in the legs"), though "numbness in the legs" is no
        concept of its own. The conjuncts are of one kind ("lung cancer, and X-rays of bones"
        is no list)."""
        trailing: list[str] = []
        for token in tokens[last + 1 : last + 1 + _MAX_MODIFIER]:
            if not token.is_word or token.norm in _CONJUNCTIONS:
                break
            if token.norm not in _SKIPPED:
                trailing.append(token.norm)
        for words in _conjuncts_before(tokens, first):
            for suffix in _suffixes(words):
                hit = next(
                    (
                        found
                        for size in range(len(trailing), 0, -1)
                        if (found := self._keys.get((*_norms(suffix), *trailing[:size])))
                    ),
                    None,
                )
                if hit is not None and set(hit.types) & set(concept.types):
                    yield Mention(hit, suffix[0].start, suffix[-1].end, "")
                    break

    def _first_known(self, words: list[_Token], rests: Iterable[tuple[str, ...]]) -> Concept | None:
        conjunct = tuple(t.norm for t in words if t.norm not in _SKIPPED)
        for rest in rests:
            for candidate in ((*conjunct, *rest), (*rest, *conjunct)):
                if (hit := self._keys.get(candidate)) is not None:
                    return hit
        return None


def _overlaps(start: int, end: int, mention: Mention) -> bool:
    return start < mention.end and mention.start < end


def _conjuncts_before(tokens: list[_Token], first: int) -> Iterator[list[_Token]]:
    """Word runs of a list ending just before token ``first`` ("a, b, and [match]")."""
    i = first - 1
    if i < 0 or tokens[i].norm not in _CONJUNCTIONS:
        return
    i -= 1
    while i >= 0:
        if tokens[i].norm == ",":
            i -= 1
        run_end = i
        while i >= 0 and tokens[i].is_word and tokens[i].norm not in _CONJUNCTIONS:
            i -= 1
        run = tokens[i + 1 : run_end + 1]
        if not run:
            return
        yield run[-_MAX_CONJUNCT:]
        if i < 0 or tokens[i].norm != ",":
            return
        i -= 1


def _conjuncts_after(tokens: list[_Token], last: int) -> Iterator[list[_Token]]:
    """Word runs of a list starting just after token ``last`` ("[match], b, or c")."""
    i = last + 1
    while i < len(tokens) and tokens[i].norm in {",", *_CONJUNCTIONS}:
        closing = tokens[i].norm in _CONJUNCTIONS
        while i < len(tokens) and tokens[i].norm in {",", *_CONJUNCTIONS}:
            closing = closing or tokens[i].norm in _CONJUNCTIONS
            i += 1
        run_start = i
        while i < len(tokens) and tokens[i].is_word and tokens[i].norm not in _CONJUNCTIONS:
            i += 1
        run = tokens[run_start:i]
        if not run:
            return
        yield run[:_MAX_CONJUNCT]
        if closing:
            return


def _norms(words: list[_Token]) -> tuple[str, ...]:
    return tuple(t.norm for t in words if t.norm not in _SKIPPED)


def _suffixes(words: list[_Token]) -> Iterator[list[_Token]]:
    for k in range(len(words)):
        yield words[k:]


def _prefixes(words: list[_Token]) -> Iterator[list[_Token]]:
    for k in range(len(words), 0, -1):
        yield words[:k]
