"""The relations of the graph, each with the concept types its subject and object may have:
one table, read by the extractor, the evaluation, the build's counts and the shapes' test."""

from __future__ import annotations

from typing import Protocol

__all__ = ["CAUSAL", "CONDITION_OR_SYMPTOM", "RELATIONS", "TREATMENT", "allowed"]

CONDITION_OR_SYMPTOM = ("Condition", "Symptom")
CAUSAL = ("Condition", "Symptom", "PathologicalProcess")
TREATMENT = ("Therapy", "Drug", "DrugClass")

#: relation → (subject types, object types); the same table as the ontology's shapes.
RELATIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "hasSymptom": (("Condition",), ("Symptom",)),
    "diagnosedBy": (CONDITION_OR_SYMPTOM, ("DiagnosticProcedure",)),
    "treatedBy": (CONDITION_OR_SYMPTOM, TREATMENT),
    "hasRiskFactor": (("Condition",), ("RiskFactor",)),
    "hasComplication": (("Condition",), ("Condition",)),
    "metastasizesTo": (("Cancer",), ("AnatomicalStructure",)),
    "hasPrimaryCancer": (("MetastaticDisease",), ("PrimaryCancer",)),
    "spreadsVia": (("Condition",), ("SpreadRoute",)),
    "causes": (CAUSAL, CAUSAL),
    "affects": (("Condition",), ("AnatomicalStructure",)),
    "usedFor": ((*TREATMENT, "DiagnosticProcedure"), CONDITION_OR_SYMPTOM),
    "prevents": (TREATMENT, ("Condition",)),
    "hasGoal": (("Condition",), ("TreatmentGoal",)),
    "riskReducedBy": (("Condition",), ("PreventiveMeasure",)),
    "hasPrognosticFactor": (("Condition",), ("PrognosticFactor",)),
    "hasSideEffect": ((*TREATMENT, "DiagnosticProcedure"), CONDITION_OR_SYMPTOM),
    "bodySite": (("DiagnosticProcedure", "Therapy"), ("AnatomicalStructure",)),
}


class _Typed(Protocol):
    def is_a(self, *types: str) -> bool: ...


def allowed(subject: _Typed, relation: str, obj: _Typed) -> bool:
    """Whether ``subject`` and ``obj`` fit the relation's domain and range (and differ)."""
    domain, range_ = RELATIONS[relation]
    return subject is not obj and subject != obj and subject.is_a(*domain) and obj.is_a(*range_)
