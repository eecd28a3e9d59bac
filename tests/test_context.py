"""Negation scope (NegEx through negspacy, fitted to encyclopedia prose): what it denies and
what it leaves alone, on sentences of the kinds that went wrong."""

from __future__ import annotations

import pytest

from medkg.extract.context import negated


def verdicts(text: str, names: list[str]) -> dict[str, bool]:
    spans = [(text.index(name), text.index(name) + len(name)) for name in names]
    return dict(zip(names, negated(text, spans), strict=True))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # advice against a treatment or test denies it (these became positive edges)
        (
            "Opioids such as codeine are not recommended for migraine.",
            {"Opioids": True, "codeine": True},
        ),
        ("CT and MRI are not needed to diagnose tension headache.", {"CT": True, "MRI": True}),
        ("Use paracetamol instead of aspirin.", {"paracetamol": False, "aspirin": True}),
        # "does not cause" is a denial here, not the clinical pseudo-negation
        ("High blood pressure does not usually cause chest pain.", {"chest pain": True}),
        ("Preeclampsia is not caused by stress.", {"Preeclampsia": False, "stress": True}),
        # who cannot take a drug denies nothing ("cannot take NSAIDs" became NOT treatedBy)
        (
            "People who cannot take NSAIDs may use acetaminophen.",
            {"NSAIDs": False, "acetaminophen": False},
        ),
        # a scope ends at "but", at an opening clause's comma, and a few words away
        ("Antibiotics do not help a cold, but rest does.", {"Antibiotics": True, "rest": False}),
        ("When the heart cannot pump well, breathlessness develops.", {"breathlessness": False}),
        (
            "Biopsies also help diagnose problems that are not cancer, such as a bone infection.",
            {"cancer": True, "bone infection": False},
        ),
        # conditions and options, not denials
        ("Without treatment, gout can lead to joint damage.", {"joint damage": False}),
        ("Migraine with or without aura runs in families.", {"aura": False}),
        ("No fever, cough or rash was seen.", {"fever": True, "rash": True}),
        # advice against a drug, and a list that shares its verb's negation
        ("Naproxen must not be given to young children.", {"Naproxen": True}),
        ("Warfarin alone is no longer recommended after a stroke.", {"Warfarin": True}),
        ("Symptoms no longer appear after treatment with steroids.", {"steroids": False}),
        (
            "Medicines that contain tramadol or other opioids are best avoided.",
            {"tramadol": True, "opioids": True, "Medicines": False},
        ),
        (
            "Paracetamol or ibuprofen can ease pain, and aspirin is not recommended.",
            {"Paracetamol": False, "ibuprofen": False, "aspirin": True},
        ),
        # the whole list shares it, commas and all
        (
            "Supplements such as ginkgo biloba, zinc and melatonin are not recommended.",
            {"ginkgo biloba": True, "zinc": True, "melatonin": True},
        ),
        ("Beta blockers such as propranolol are not a treatment for GAD.", {"propranolol": True}),
    ],
)
def test_negation_scope(text: str, expected: dict[str, bool]) -> None:
    assert verdicts(text, list(expected)) == expected
