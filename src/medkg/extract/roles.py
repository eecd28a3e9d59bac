"""What a concept a section lists is to the article's concept: the section's meaning, read
from the point of view of what the article is about (a condition, a symptom, a procedure)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from medkg.relations import TREATMENT
from medkg.terminology import Concept


@dataclass(frozen=True)
class RoleRule:
    """In a section of this meaning, a mention of ``concept_type`` is related to the article's
    concept by ``relation``; ``reverse`` puts the mention first (condition causes symptom);
    ``as_type`` is what the section makes the mention besides (a disease listed among risk
    factors is one)."""

    concept_type: str
    relation: str
    reverse: bool = False
    as_type: str | None = None

    def typed(self, concept: Concept) -> Concept:
        """``concept`` with the type this section gives it."""
        if self.as_type is None or concept.is_a(self.as_type):
            return concept
        return replace(concept, types=(*concept.types, self.as_type))


_TREATED = tuple(RoleRule(t, "treatedBy") for t in TREATMENT)
_CONDITION_RISKS = (
    RoleRule("RiskFactor", "hasRiskFactor"),
    RoleRule("PrimaryCancer", "hasPrimaryCancer"),
    # Other conditions and processes listed as causes cause it; a treatment, as a side effect.
    RoleRule("Condition", "causes", reverse=True),
    RoleRule("PathologicalProcess", "causes", reverse=True),
    *(RoleRule(t, "hasSideEffect", reverse=True) for t in TREATMENT),
)
# Whatever a section on risk factors lists raises the risk: a disease, a habit, a treatment.
_RISK_FACTORS = (
    RoleRule("RiskFactor", "hasRiskFactor"),
    RoleRule("PrimaryCancer", "hasPrimaryCancer"),
    *(
        RoleRule(t, "hasRiskFactor", as_type="RiskFactor")
        for t in ("Condition", "PathologicalProcess", *TREATMENT)
    ),
)
_SYMPTOM_CAUSES = (
    RoleRule("Condition", "causes", reverse=True),
    RoleRule("PathologicalProcess", "causes", reverse=True),
)
_PROCEDURE_USES = (
    RoleRule("Condition", "diagnosedBy", reverse=True),
    RoleRule("Symptom", "diagnosedBy", reverse=True),
    RoleRule("Condition", "treatedBy", reverse=True),
    RoleRule("Symptom", "treatedBy", reverse=True),
    RoleRule("AnatomicalStructure", "bodySite"),
)
_SIDE_EFFECTS = (RoleRule("Condition", "hasSideEffect"), RoleRule("Symptom", "hasSideEffect"))

#: What a mention is to the article's concept, by the section's meaning and by what the
#: article is about: a condition, a symptom, or a procedure or therapy.
ROLE_RULES: dict[str, dict[str, tuple[RoleRule, ...]]] = {
    "condition": {
        "overview": (
            RoleRule("AnatomicalStructure", "affects"),
            RoleRule("PrimaryCancer", "hasPrimaryCancer"),
        ),
        "symptoms": (
            RoleRule("Symptom", "hasSymptom"),
            RoleRule("Complication", "hasComplication"),
        ),
        "complications": (RoleRule("Condition", "hasComplication"),),
        "diagnosis": (RoleRule("DiagnosticProcedure", "diagnosedBy"),),
        "treatment": _TREATED,
        "causes": _CONDITION_RISKS,
        "risks": _RISK_FACTORS,
        "prevention": (
            RoleRule("PreventiveMeasure", "riskReducedBy"),
            *(RoleRule(t, "prevents", reverse=True) for t in TREATMENT),  # "propranolol"
        ),
        "prognosis": (RoleRule("PrognosticFactor", "hasPrognosticFactor"),),
        "goals": (RoleRule("TreatmentGoal", "hasGoal"),),
        "*": (RoleRule("SpreadRoute", "spreadsVia"), RoleRule("TreatmentGoal", "hasGoal")),
    },
    "symptom": {
        "causes": _SYMPTOM_CAUSES,
        "risks": _SYMPTOM_CAUSES,  # a symptom has no risk factors: what raises it causes it
        "diagnosis": (RoleRule("DiagnosticProcedure", "diagnosedBy"),),
        "treatment": _TREATED,
    },
    "procedure": {
        "overview": _PROCEDURE_USES,
        "purpose": _PROCEDURE_USES,
        "diagnosis": _PROCEDURE_USES,
        # the course of treatment ("During Treatment", "How long …?"), not what it treats
        "treatment": _PROCEDURE_USES[:2],
        "results": _PROCEDURE_USES[:2],
        "procedure": (),
        "risks": _SIDE_EFFECTS,
        "complications": _SIDE_EFFECTS,
    },
}


def article_view(subject: Concept) -> str:
    """Whether the article's concept is read as a condition, a symptom or a procedure."""
    if subject.is_a("Condition"):
        return "condition"
    if subject.is_a("Symptom"):
        return "symptom"
    return "procedure"
