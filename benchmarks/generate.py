"""Synthetic encyclopedia articles in the real format, for measuring medkg at scale.

    python benchmarks/generate.py --articles 1000 --out /tmp/bench-1000 [--seed 7]

writes ``articles/{conditions,symptoms,procedures}/*.txt`` and a registry ``terminology/``
(the shipped registry plus one record per generated concept) so the build recognises every
name. Condition titles are ICD-10-CM descriptions and symptoms are HPO labels, both read from
the releases medkg already links to; procedures and therapies come from the shipped registry.
The text follows the encyclopedia's layout (headings, bullet lists with descriptions, hedges,
negations, FAQs, the footer and its date) with lengths like the real pages. The same seed
always gives the same files. The text is filler for timing only: it is not medical content.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from medkg.resources import REGISTRY
from medkg.standards import load_hpo, load_icd10cm
from medkg.terminology import load_registry, normalise

SHARES = {"conditions": 0.6, "symptoms": 0.2, "procedures": 0.2}
HEDGES = ("often", "sometimes", "usually", "rarely", "commonly", "occasionally")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
_PLAIN = re.compile(r"[A-Za-z][A-Za-z' -]{2,40}")


@dataclass(frozen=True)
class Vocabulary:
    conditions: list[str]
    symptoms: list[str]
    procedures: list[str]
    treatments: list[str]
    risk_factors: list[str]


def vocabulary() -> Vocabulary:
    """Names from the HPO and ICD-10-CM releases and the shipped registry, plain ones only."""
    registry = load_registry(REGISTRY)
    # names the lexicon would read as one (case, plurals) must not name two concepts
    known = {normalise(n) for c in registry for n in (c.label, *c.synonyms, *c.abbreviations)}

    def plain(names: Sequence[str], words: int) -> list[str]:
        chosen = {
            n.lower()
            for n in names
            if _PLAIN.fullmatch(n) and len(n.split()) <= words and normalise(n) not in known
        }
        unique = {normalise(n): n for n in sorted(chosen)}  # one spelling per lexicon key
        return sorted(unique.values())

    icd = load_icd10cm()
    hpo = load_hpo()
    by_type: dict[str, list[str]] = {}
    for concept in registry:
        for concept_type in concept.types:
            by_type.setdefault(concept_type, []).append(concept.label)
    procedures = [*by_type["ImagingProcedure"], *by_type["LaboratoryTest"], *by_type["Biopsy"]]
    procedures += by_type["DiagnosticProcedure"]
    treatments = [*by_type["Drug"], *by_type["DrugClass"], *by_type["Therapy"]]
    treatments += by_type["Surgery"]
    return Vocabulary(
        conditions=plain([e.label for e in icd.entries.values()], 4),
        symptoms=plain([e.label for e in hpo.entries.values()], 3),
        procedures=sorted(procedures),
        treatments=sorted(treatments),
        risk_factors=sorted(by_type["RiskFactor"]),
    )


def _bullets(rng: random.Random, names: Sequence[str], lead: str) -> list[str]:
    lines = []
    for name in names:
        hedge = rng.choice(HEDGES)
        lines.append(f"* {name.capitalize()}: {hedge.capitalize()} {lead}")
    return lines


def _listed(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _footer(rng: random.Random) -> list[str]:
    day = rng.randint(1, 28)
    suffix = "th" if 4 <= day <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    date = f"{day}{suffix} {rng.choice(MONTHS)} {rng.randint(2022, 2025)}"
    return [
        "",
        f"Article last updated on: {date}.",
        "If you have any feedback, please get in touch.",
        "",
        "See more",
    ]


def condition(rng: random.Random, title: str, words: Vocabulary) -> str:
    symptoms = rng.sample(words.symptoms, rng.randint(4, 8))
    tests = rng.sample(words.procedures, rng.randint(2, 5))
    treatments = rng.sample(words.treatments, rng.randint(2, 6))
    risks = rng.sample(words.risk_factors, rng.randint(1, 3))
    complication = rng.choice(words.conditions)
    lines = [
        title.capitalize(),
        "",
        f"{title.capitalize()} is a condition that doctors diagnose and treat. "
        f"It {rng.choice(HEDGES)} develops slowly, and the outlook depends on the cause.",
        "",
        "Causes and Risk Factors",
        "",
        f"The risk of {title} is higher with {_listed(risks)}.",
        "",
        "Symptoms",
        "",
        f"Symptoms of {title} may include:",
        "",
        *_bullets(rng, symptoms[:-1], "reported by people with this condition"),
        "",
        f"{title.capitalize()} does not usually cause {symptoms[-1]}.",
        "",
        "Diagnosis",
        "",
        f"{title.capitalize()} is diagnosed with {tests[0]}. Other tests may include:",
        "",
        *(f"* {t.capitalize()}: To confirm the diagnosis" for t in tests[1:]),
        "",
        "Treatment",
        "",
        "Treatment depends on the cause and severity:",
        "",
        *(f"* {t.capitalize()}: {rng.choice(HEDGES).capitalize()} used" for t in treatments),
        "",
        "Complications",
        "",
        f"Without treatment, {title} can lead to {complication}.",
        "",
        "Frequently Asked Questions (FAQs)",
        "",
        f"What are the symptoms of {title}?",
        f"The most common symptom is {symptoms[0]}.",
        "",
        f"How is {title} treated?",
        f"{treatments[0].capitalize()} is one of the treatments for {title}.",
        *_footer(rng),
    ]  # fmt: skip
    return "\n".join(lines) + "\n"


def symptom(rng: random.Random, title: str, words: Vocabulary) -> str:
    causes = rng.sample(words.conditions, rng.randint(3, 7))
    lines = [
        title.capitalize(),
        "",
        f"{title.capitalize()} is a symptom with many possible causes.",
        "",
        "Causes",
        "",
        f"Conditions that {rng.choice(('can', 'often', 'may'))} cause {title} include:",
        "",
        *(f"* {c.capitalize()}: A frequent cause of {title}" for c in causes),
        "",
        "When to See a Doctor",
        "",
        f"See a doctor if {title} is severe, lasts more than a few days, or keeps coming back.",
        *_footer(rng),
    ]
    return "\n".join(lines) + "\n"


def procedure(rng: random.Random, title: str, base: str, words: Vocabulary) -> str:
    conditions = rng.sample(words.conditions, rng.randint(2, 5))
    effects = rng.sample(words.symptoms, rng.randint(1, 3))
    lines = [
        title,
        "",
        f"{title} is a procedure used to find and treat disease.",
        "",
        "Purpose",
        "",
        f"{base.capitalize()} is used to diagnose:",
        "",
        *(f"* {c.capitalize()}: To confirm it and plan treatment" for c in conditions),
        "",
        "Risks and Side Effects",
        "",
        f"{base.capitalize()} can cause {_listed(effects)}.",
        "",
        "Recovery",
        "",
        "Most people go home the same day.",
        *_footer(rng),
    ]
    return "\n".join(lines) + "\n"


def generate(count: int, out: Path, seed: int = 7) -> dict[str, int]:
    """Write ``count`` articles and their registry under ``out``; the counts by kind."""
    rng = random.Random(seed)
    words = vocabulary()
    sizes = {kind: round(count * share) for kind, share in SHARES.items()}
    sizes["conditions"] += count - sum(sizes.values())
    if sizes["conditions"] > len(words.conditions) or sizes["symptoms"] > len(words.symptoms):
        raise SystemExit(f"not enough distinct names for {count} articles")
    # pools a little larger than the titles, so articles also name concepts without a page
    conditions = rng.sample(
        words.conditions, min(len(words.conditions), sizes["conditions"] * 3 // 2 + 50)
    )
    taken = {normalise(name) for name in conditions}
    symptoms = rng.sample(
        sorted(name for name in words.symptoms if normalise(name) not in taken),
        min(len(words.symptoms), sizes["symptoms"] + 300),
    )
    words = Vocabulary(conditions, symptoms, words.procedures, words.treatments, words.risk_factors)
    titles = {
        "conditions": conditions[: sizes["conditions"]],
        "symptoms": symptoms[: sizes["symptoms"]],
    }
    shutil.rmtree(out, ignore_errors=True)
    registry = out / "terminology"
    shutil.copytree(REGISTRY, registry)
    records: dict[str, str] = {}
    for kind in SHARES:
        (out / "articles" / kind).mkdir(parents=True)
    for number, title in enumerate(titles["conditions"]):
        path = out / "articles" / "conditions" / f"c{number:05d}.txt"
        path.write_text(condition(rng, title, words), encoding="utf-8")
    for number, title in enumerate(titles["symptoms"]):
        path = out / "articles" / "symptoms" / f"s{number:05d}.txt"
        path.write_text(symptom(rng, title, words), encoding="utf-8")
    for number in range(sizes["procedures"]):
        base = words.procedures[number % len(words.procedures)]
        target = words.conditions[(number * 7919) % len(words.conditions)]
        title = f"{base.capitalize()} for {target}"
        records[title.lower()] = "DiagnosticProcedure"
        path = out / "articles" / "procedures" / f"p{number:05d}.txt"
        path.write_text(procedure(rng, title, base, words), encoding="utf-8")
    # every generated name is a registry concept, as a curator would add it
    for name in conditions:
        records.setdefault(name, "Condition")
    for name in symptoms:
        records.setdefault(name, "Symptom")
    with (registry / "generated.tsv").open("w", encoding="utf-8") as handle:
        handle.write("label\ttypes\tsynonyms\tabbreviations\n")
        for label, concept_type in sorted(records.items()):
            handle.write(f"{label}\t{concept_type}\t\t\n")
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()
    sizes = generate(arguments.articles, arguments.out, arguments.seed)
    print(f"wrote {sum(sizes.values())} articles to {arguments.out}: {sizes}")


if __name__ == "__main__":
    main()
