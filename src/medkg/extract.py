"""From a parsed article to typed assertions, each with the sentence that states it.

Rules are about sentences and lists, never about particular articles:

* a section's meaning decides what its concepts are to the article's concept (a symptom in
  "Symptoms" is a symptom of the condition, a test in "Diagnosis" diagnoses it, …);
* a bullet "Term: description" is about its term; the description qualifies it, and a purpose
  in it ("to detect any fractures") says what the term diagnoses, treats or prevents;
* causal, risk and metastasis cues relate the concepts of one clause to each other;
* negation before a mention turns the assertion into a negated one (never a positive edge).

Every candidate passes the relation's domain and range (RELATIONS) or is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import pairwise

from medkg.article import Article, Span, sentences
from medkg.discourse import first_of_kind, object_pronoun_at, opens_with_pronoun
from medkg.terminology import Concept, Lexicon, Mention, normalise

_CONDITION_OR_SYMPTOM = ("Condition", "Symptom")
_CAUSAL = ("Condition", "Symptom", "PathologicalProcess")
_TREATMENT = ("Therapy", "Drug", "DrugClass")

#: relation → (subject types, object types); the same table as the ontology's shapes.
RELATIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "hasSymptom": (("Condition",), ("Symptom",)),
    "diagnosedBy": (_CONDITION_OR_SYMPTOM, ("DiagnosticProcedure",)),
    "treatedBy": (_CONDITION_OR_SYMPTOM, _TREATMENT),
    "hasRiskFactor": (("Condition",), ("RiskFactor",)),
    "hasComplication": (("Condition",), ("Condition",)),
    "metastasizesTo": (("Cancer",), ("AnatomicalStructure",)),
    "hasPrimaryCancer": (("MetastaticDisease",), ("PrimaryCancer",)),
    "spreadsVia": (("Condition",), ("SpreadRoute",)),
    "causes": (_CAUSAL, _CAUSAL),
    "affects": (("Condition",), ("AnatomicalStructure",)),
    "usedFor": ((*_TREATMENT, "DiagnosticProcedure"), _CONDITION_OR_SYMPTOM),
    "prevents": (_TREATMENT, ("Condition",)),
    "hasGoal": (("Condition",), ("TreatmentGoal",)),
    "riskReducedBy": (("Condition",), ("PreventiveMeasure",)),
    "hasPrognosticFactor": (("Condition",), ("PrognosticFactor",)),
    "hasSideEffect": ((*_TREATMENT, "DiagnosticProcedure"), _CONDITION_OR_SYMPTOM),
    "bodySite": (("DiagnosticProcedure", "Therapy"), ("AnatomicalStructure",)),
}


@dataclass(frozen=True)
class RoleRule:
    """In a section of this meaning, a mention of ``concept_type`` is related to the article's
    concept by ``relation``; ``reverse`` puts the mention first (condition causes symptom)."""

    concept_type: str
    relation: str
    reverse: bool = False


_TREATED = tuple(RoleRule(t, "treatedBy") for t in _TREATMENT)
_CONDITION_RISKS = (
    RoleRule("RiskFactor", "hasRiskFactor"),
    RoleRule("PrimaryCancer", "hasPrimaryCancer"),
    # Other conditions and processes listed as causes cause it; a treatment, as a side effect.
    RoleRule("Condition", "causes", reverse=True),
    RoleRule("PathologicalProcess", "causes", reverse=True),
    *(RoleRule(t, "hasSideEffect", reverse=True) for t in _TREATMENT),
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
        "risks": _CONDITION_RISKS,
        "prevention": (RoleRule("PreventiveMeasure", "riskReducedBy"),),
        "prognosis": (RoleRule("PrognosticFactor", "hasPrognosticFactor"),),
        "goals": (RoleRule("TreatmentGoal", "hasGoal"),),
        "*": (RoleRule("SpreadRoute", "spreadsVia"), RoleRule("TreatmentGoal", "hasGoal")),
    },
    "symptom": {
        "causes": (
            RoleRule("Condition", "causes", reverse=True),
            RoleRule("PathologicalProcess", "causes", reverse=True),
        ),
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
        "procedure": (RoleRule("AnatomicalStructure", "bodySite"),),
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


HEDGES = re.compile(
    r"\b(often|usually|typically|commonly|generally|frequently|sometimes|occasionally|rarely"
    r"|may|might|can|could|possibly|in some cases|not entirely)\b",
    re.IGNORECASE,
)
_NEGATION = re.compile(r"\b(not|no|never|without|neither|nor|cannot|\w+n't)\b", re.IGNORECASE)
_LIST_GLUE = re.compile(r"\)?[\s,]*(?:\b(?:and|or|and/or)\b)?[\s,]*", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(
    r";\s+|(?<=[a-z)])\.\s+(?=[A-Z])|,\s+(?=(?:while|whereas|but|although)\b)", re.IGNORECASE
)
_NEGATION_WINDOW = 6  # words between a negation cue and the list it negates
_COPULA = re.compile(r"\s+(?:is|are)\s+(?:(?:a|an)\s+(?:\w+\s+)?)?", re.IGNORECASE)
_GENERIC_KINDS = ("Condition", "Symptom", "DiagnosticProcedure", "Therapy")
_GENERIC_WORDS = 2  # "This cancer", "An ultrasound scan"; not "A low white blood cell count"
_DEFINITE = re.compile(r"\s*(?:(?:a|an|the|this|these)\s+(?:\w+\s+)?)?", re.IGNORECASE)
_CONCESSION = re.compile(r"^\s*(?:while|although|though|even though)\b[^,]*,\s*", re.IGNORECASE)
_QUALIFIER_BREAK = re.compile(r";\s+|,\s+(?=(?:and|while|whereas|but|even)\b)", re.IGNORECASE)
_LEADING_TALK = re.compile(r"^(?:and|it|they|this|these|which)\s+|^(?:is|are)\s+", re.IGNORECASE)
_CAUSE_CUE = re.compile(
    r"\b(?:cause[sd]?|causing|lead(?:s|ing)? to|led to|result(?:s|ing|ed)? in)\b(?! by)",
    re.IGNORECASE,
)
_COORDINATED = re.compile(r"\b(?:and|or)\s+(?:can\s+|may\s+|might\s+|often\s+)?\S*\s*$", re.I)
_PASSIVE_CAUSE_CUE = re.compile(
    r"\b(?:(?:is|are|be|was|were)\s+(?:\w+\s+)?)?(?:caused|triggered|brought on) by\b"
    r"|\bdue to\b|\bresults? from\b|\bbecause of\b|\bfrom\b",
    re.IGNORECASE,
)
_NEAR = re.compile(r"\s*(?:[\w-]+,?\s+){0,4}(?:[\w-]+,\s+(?:not|or|and)\s+(?:by\s+)?)?")
_AFFECT_CUE = re.compile(
    r"\b(?:(?:start|begin|arise)(?:s|ing)?\s+in|started in|began in|affects?|damag(?:e|es|ing)"
    r"|harm(?:s|ing)?|attack(?:s|ing)?|weaken(?:s|ing)?|narrow(?:s|ing)?|destroy(?:s|ing)?"
    r"|disturb(?:s|ing)?)\b"
    r"|\bpressure on\b",
    re.IGNORECASE,
)
_DEFINED_AS_SITE = re.compile(
    r"(?:,\s*|\b)(?:a|an)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:infection|inflammation|disease|condition|disorder)\s+(?:of|in)\b",
    re.IGNORECASE,
)
_AFFECTED_BY_CUE = re.compile(r"\b(?:weakened|damaged|affected|destroyed)\s+by\b", re.IGNORECASE)
_LOWERS_RISK = re.compile(
    r"\b(?:lower|reduce|cut|decrease)s?\s+the\s+(?:risk|chance)\b|\bhelps?\s+(?:to\s+)?prevent\b"
    r"|\bprevents?\b",
    re.IGNORECASE,
)
_SIGN_OF = re.compile(
    r"\b(?:(?:early|first|warning)\s+)?signs?\s+of\b|\bwarns?\s+of\b|\bsignal(?:s)?\b",
    re.IGNORECASE,
)
_SIGNS_INCLUDE = re.compile(
    r"\b(?:signs|symptoms)\s+include\b|\bfelt\s+as\b|\bcomes?\s+with\b", re.IGNORECASE
)
_SUSPECTED = re.compile(r"\s(?:is|are)\s+(?:still\s+|also\s+)?suspected\b", re.IGNORECASE)
_SITE_NEAR = re.compile(r"\s*(?:[\w-]+\s+){0,5}")  # "removes all or part of the …"
_SITE_OF = re.compile(r"\s+(?:of|to|on)\s+(?:the\s+|your\s+)?\w", re.IGNORECASE)
_SITE_CUE = re.compile(
    r"\b(?:remov(?:e|es|ing|al of)|spar(?:e|es|ing)|feels?|examin(?:e|es|ing)"
    r"|tak(?:e|es|ing) out|sampl(?:e|es|ing)|(?:pictures?|images?|views?) of"
    r"|stabili[sz](?:e|es|ing)|(?:passed|inserted|placed) (?:into|through|in)|aimed at)\b"
    # what a test shows is a finding ("show broken bones"), unless it is the part itself
    r"|\b(?:show(?:s|ing)?|reveals?)\s+(?:the|your)\s+(?=\w+(?:\s+of\b|\s*[,.;]|\s+and\b|\s+or\b|$))",
    re.IGNORECASE,
)
_PLURAL_PRONOUN = re.compile(r"\s*(?:these|they|those)\b", re.IGNORECASE)
_SITE_CHAIN = re.compile(r"\s*\b(?:of|in)\s+(?:the\s+)?", re.IGNORECASE)
#: ", most often in the lining of the milk ducts": a narrower place within the one before
_SITE_REFINED = re.compile(
    r",\s*(?:most\s+)?(?:often|usually|mainly|commonly|typically)\s+in\s+(?:the\s+)?"
    r"(?:(?:lining|cells|walls?)\s+of\s+(?:the\s+)?)?",
    re.IGNORECASE,
)
_SITE_AND_THE = re.compile(r",?\s+(?:and|or)\s+the\s+", re.IGNORECASE)  # "kidneys and the brain"
#: "many organs, especially the kidneys": a generic noun, then the parts it names
_SITE_ESPECIALLY = re.compile(
    r"\s*(?:many|several|other|some)\s+(?:organs|parts|tissues)(?:\s+of\s+the\s+body)?,?\s+"
    r"(?:especially|particularly|including|such\s+as)\s+(?:the\s+)?",
    re.IGNORECASE,
)
_ELIDED = re.compile(
    r"(?:[\W_]|\b(?:it|this|they|these|which|and|or|can|may|might|could|will|often|also"
    r"|usually|commonly|frequently|sometimes|rarely|mostly|mainly|then|both|well|generally"
    r"|easily)\b)*",
    re.IGNORECASE,
)
_COORDINATED_VERB = re.compile(r"(?:,\s*which|\b(?:and|or))\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_RELATIVE_CLAUSE = re.compile(
    r",\s*(?:which|who|found|seen|given|shown|known|taken|\w+ed)\b[^,;]*,", re.IGNORECASE
)
_DETERMINED = re.compile(r"\b(?:a|an|the|one|common|main|leading)\s+(?:[\w-]+\s+)?$", re.I)
_OF_AFTER = re.compile(r"s?\s+of\b", re.IGNORECASE)
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:\w+\s+)?$", re.IGNORECASE)
_NOUN_CAUSE = re.compile(r"causes?\s+(?:such as|include|including)\b", re.IGNORECASE)
_LIST_INTRO_BEFORE = re.compile(r",?\s*\b(?:including|such as)\s*$", re.IGNORECASE)
_RIGHT_AFTER = re.compile(r"\s*(?:(?:a|an|the)\s+)?")  # "pain from bone metastasis"
_AGENT_CUE = re.compile(r"\b(?:by|due to|caused by|because of)\b", re.IGNORECASE)
_RISK_CUE = re.compile(
    r"\b(?:more likely to (?:develop|get|have)|(?:at )?(?:an )?increased risk|risk of developing"
    r"|increases? the risk)\b",
    re.IGNORECASE,
)
_SPREAD_CUE = re.compile(
    r"\b(?:metastasi[sz]\w*|spread(?:s|ing)?|reach(?:es|ed)?|travel(?:s|led|ling)?)\b", re.I
)
_PURPOSE_CUE = re.compile(r"\bused (?:to|for)\b|\bhelps? (?:to )?", re.IGNORECASE)
_SYNONYM_CUE = re.compile(
    r"\b(?:also known as|also called|sometimes called|or simply)\s+([^,.;()]+)", re.IGNORECASE
)
_VERBS: dict[str, re.Pattern[str]] = {
    "detect": re.compile(
        r"\b(?:detect|identify|assess|evaluate|confirm|diagnose|find|show|visuali[sz]e"
        r"|measure|monitor|check|reveal|look(?:s|ing)? for|point(?:s|ing)? to)\w*",
        re.IGNORECASE,
    ),
    "treat": re.compile(
        r"\b(?:treat|reliev|alleviat|repair|control|manag|reduc|eas|stabili[sz]|shrink|slow"
        r"|remov|kill|destroy|fix|correct|drain|^for)\w*",
        re.IGNORECASE,
    ),
    "prevent": re.compile(r"\b(?:prevent|avoid)\w*", re.IGNORECASE),
}
_POPULATION = re.compile(
    r"\b(?:in|for|among)\s+(?:people|patients|those|adults|children|men|women)\b", re.I
)
_SIDE_EFFECT_CUE = re.compile(r"\bside effects?\b|\badverse effects?\b|\brisks? include", re.I)
_DENIED_AFTER = re.compile(
    # "is not always needed" hedges, it does not deny
    r"(?:\s+(?:on\s+its\s+own|alone|itself|usually|often|generally))*"
    r"\s*(?:(?:is|are|was|were|does|do|did)\s+not|isn't|aren't|doesn't|don't|cannot)\b"
    r"(?!\s+(?:always|fully|entirely|only|necessarily|yet|rule\s+out)\b)",
    re.IGNORECASE,
)
_CONDITIONAL = re.compile(r"\b(?:if|unless|when|whether)\W*$", re.IGNORECASE)  # "If MRI is not …"
_INDEFINITE = re.compile(r"\W*(?:a|an)\s", re.IGNORECASE)  # a definition's opening
_WITHOUT_BEFORE = re.compile(r"\bwithout\s+$", re.IGNORECASE)
_COMPARED = re.compile(r"\bthan\s+(?:in\s+)?$", re.IGNORECASE)
_SYMPTOM_BULLET_KINDS = {"diagnosis": ("DiagnosticProcedure",), "treatment": _TREATMENT}
_REMEDIES = re.compile(
    r"[^,;.]{0,40}?\b(?:help(?:s)? (?:to )?prevent|prevents?|treats?|relieves?|eases?|controls?"
    r"|may be given|are given|is given|(?:is|are) (?:\w+ )?needed)\b",
    re.IGNORECASE,
)
_REMEDY_BEFORE = re.compile(
    r"\b(?:eas|control|treat|manag|reliev)\w*\s[^,;.]{0,40}$", re.IGNORECASE
)
_APPOSITIVE = re.compile(
    r",\s*(?:(?:sometimes|often|usually|mostly)\s+)?(?:as\s+)?an?\s+(?:\w+\s+)?$", re.IGNORECASE
)
_USE_ROLES = frozenset({"overview", "purpose", "diagnosis", "treatment", "results"})
#: After a treatment: it causes, worsens or prevents something, so it does not treat the topic.
_HARMS = re.compile(
    r"[^;.]{0,80}?\b(cause[sd]?|lead(?:s)? to|worsens?|makes?\b[^,;.]{0,30}\bworse"
    r"|help(?:s)? (?:to )?prevent|prevents?)\b",
    re.IGNORECASE,
)
_WHO_HAVE = re.compile(
    r"\b(?:people|patients|those|adults|children|men|women|someone|anyone)\s+"
    r"(?:with|who ha(?:ve|s)(?: had)?)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
_NOT_A_USE = re.compile(
    r"\b(?:respond(?:s)?|responds|fit)\s+(?:for|to)\s+(?:\w+\s+){0,2}$"
    # "Whether to pause bisphosphonates …": stopping a drug is not a use
    r"|\b(?:pause|pausing|stop|stopping|withhold|withholding)\s+(?:the\s+)?$",
    re.I,
)
_PREVENTION_PURPOSE = re.compile(
    r"^\W*(?:(?:may|can|helps?|used)\s+(?:to\s+)?|to\s+)?(?:lower the risk of|prevent)", re.I
)
#: What a bullet named for a condition lists, by the section's meaning.
_TERM_RELATIONS = {
    "treatment": "treatedBy",
    "diagnosis": "diagnosedBy",
    "purpose": "treatedBy",
}
_PURPOSE_RELATION = {"detect": "diagnosedBy", "treat": "treatedBy", "prevent": "prevents"}

_MODAL = (
    r"(?:\b(?:is|are|be|was|were|can be|may be|often|usually|commonly|typically|mainly|mostly)\s+)*"
)
#: Verbs that relate the list before them to the list after them, in any section:
#: (pattern, relation, True when the list before the verb is the relation's subject).
VERB_RELATIONS: tuple[tuple[re.Pattern[str], str, bool], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), relation, left_is_subject)
    for pattern, relation, left_is_subject in (
        (
            _MODAL
            + r"\b(?:treated|managed|relieved|controlled|eased|corrected|brought down)"
            + r"\s+(?:with|by|using)\b",
            "treatedBy",
            True,
        ),
        (
            r"\b(?:treats?|relieves?|eases?|controls?|manages?|corrects?"
            r"|help(?:s)?\s+(?:to\s+)?(?:relieve|ease|control|reduce|manage)|help(?:s)?\s+with)\b",
            "treatedBy",
            False,
        ),
        # "A hip fracture usually needs surgery"
        (r"\b(?:needs?|requires?)\b", "treatedBy", True),
        # "Trastuzumab is used for HER2-positive breast cancer", "PET is widely used for lymphoma"
        (r"\b(?:is|are)\s+(?:\w+\s+){0,2}used\s+(?:for|in)\b", "treatedBy", False),
        (r"\b(?:is|are)\s+(?:\w+\s+){0,2}used\s+(?:for|in)\b", "diagnosedBy", False),
        # "A bone scan, MRI or CT is better at finding early bone metastases"
        (
            r"\b(?:better|best|good|useful)\s+(?:at|for|in)\s+"
            r"(?:finding|detecting|showing|diagnosing|staging)\b",
            "diagnosedBy",
            False,
        ),
        (
            _MODAL
            + r"\b(?:diagnosed|detected|confirmed|found|seen|identified|shown|show up)"
            + r"\s+(?:with|by|on|using)\b",
            "diagnosedBy",
            True,
        ),
        (
            r"\b(?:detects?|shows?|reveals?|confirms?|diagnoses|diagnose|identif(?:y|ies)|measures?|checks?\s+for|looks?\s+for)\b",
            "diagnosedBy",
            False,
        ),
        (r"\bside effects?\s+of\b", "hasSideEffect", False),
        # "SREs, the serious bone complications of bone metastases", "hypercalcemia, which can
        # be a complication of cancer", "Anemia is a common complication of chemotherapy"
        (
            r"(?:,\s*(?:which\s+)?(?:(?:can|may)\s+be\s+|is\s+|are\s+)?|\b(?:is|are)\s+)"
            r"(?:a|an|the)\s+(?:[\w-]+\s+){0,3}complications?\s+of\b",
            "hasComplication",
            False,
        ),
        (r"\bprevents?\b", "prevents", True),
        (r"\b(?:lower|reduce|cut|decrease)s?\s+the\s+risk\s+of\b", "prevents", True),
    )
)
#: Prepositions that relate two lists only when they touch: "fractures of the hip, spine and
#: wrist" (affects), "an MRI of the spine", "radiation to the spine" (bodySite).
ADJACENT_RELATIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\s*\b(?:of|in|affecting|involving)\s+(?:the\s+|your\s+)?", re.I), "affects"),
    (re.compile(r"\s*\b(?:of|to|on)\s+(?:the\s+|your\s+)?", re.I), "bodySite"),
)


@dataclass(frozen=True)
class Evidence:
    """Where an assertion comes from: the sentence, its place, and what the text adds."""

    section: str
    role: str
    sentence: str
    start: int
    end: int
    hedges: tuple[str, ...] = ()
    qualifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assertion:
    """subject —relation→ object, stated (or, if negated, denied) by its evidence."""

    subject: Concept
    relation: str
    object: Concept
    evidence: Evidence
    negated: bool = False


@dataclass(frozen=True)
class Synonym:
    """Another name the text gives a concept ("also known as …")."""

    concept: Concept
    label: str
    evidence: Evidence


@dataclass(frozen=True)
class Extraction:
    article: Article
    subject: Concept
    assertions: tuple[Assertion, ...]
    synonyms: tuple[Synonym, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Unit:
    """One sentence or bullet, with the section it sits in."""

    section: str
    role: str
    span: Span
    term: Span | None = None
    description: Span | None = None
    question: str = ""  # for an FAQ answer, the question it answers


#: An answer that affirms its yes/no question without restating it.
_AFFIRMED = re.compile(r"\s*(?:yes|it can(?: be)?|they can(?: be)?)\s*[.!]", re.IGNORECASE)

#: The section name recorded for the text between the title and the first heading.
INTRODUCTION = "Introduction"


def extract(article: Article, lexicon: Lexicon) -> Extraction:
    """Every assertion and synonym the article states about its concepts."""
    subject = lexicon.concept_for_title(article.title, article.kind)
    view = article_view(subject)
    warnings = []
    if view != article.kind:
        warnings.append(
            f"{article.source}: the article is filed as a {article.kind}, but {subject.label!r} "
            f"is a {', '.join(subject.types)} in the terminology; read as a {view} article"
        )
    found: dict[tuple[str, str, str, int, bool], Assertion] = {}
    synonyms: list[Synonym] = []
    for unit in _units(article):
        for found_assertion in _Reader(unit, subject, lexicon, view).assertions():
            assertion = _from_point_of_view(found_assertion, subject, view)
            if _allowed(assertion):
                key = (
                    assertion.subject.label,
                    assertion.relation,
                    assertion.object.label,
                    assertion.evidence.start,
                    assertion.negated,
                )
                found[key] = _merge(found.get(key), assertion)
        synonyms.extend(_synonyms(unit, subject))
    return Extraction(article, subject, tuple(found.values()), tuple(synonyms), tuple(warnings))


def _from_point_of_view(assertion: Assertion, subject: Concept, view: str) -> Assertion:
    """In a condition's article what the condition itself causes is one of its complications
    or symptoms ("hypothyroidism can lead to heart disease"); a denied symptom is a denied
    symptom ("does not usually cause weight loss"), but a denied condition stays a denial of
    cause, and a process it causes stays a cause."""
    if view != "condition" or assertion.relation != "causes" or assertion.subject != subject:
        return assertion
    if assertion.object.is_a("PathologicalProcess"):
        return assertion
    if assertion.negated and not assertion.object.is_a("Symptom"):
        return assertion
    relation = "hasSymptom" if assertion.object.is_a("Symptom") else "hasComplication"
    return replace(assertion, relation=relation)


def _allowed(assertion: Assertion) -> bool:
    domain, range_ = RELATIONS[assertion.relation]
    return (
        assertion.subject != assertion.object
        and assertion.subject.is_a(*domain)
        and assertion.object.is_a(*range_)
    )


def _merge(old: Assertion | None, new: Assertion) -> Assertion:
    if old is None:
        return new
    evidence = replace(
        old.evidence,
        hedges=_unique(old.evidence.hedges + new.evidence.hedges),
        qualifiers=_unique(old.evidence.qualifiers + new.evidence.qualifiers),
    )
    return replace(old, evidence=evidence)


def _unique(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _units(article: Article) -> Iterator[_Unit]:
    for section in article.sections:
        heading = section.heading or INTRODUCTION
        for paragraph in section.paragraphs:
            for sentence in sentences(paragraph):
                yield _Unit(heading, section.role, sentence)
        for bullet in section.bullets:
            yield _Unit(heading, section.role, bullet.span, bullet.term, bullet.description)
    for faq in article.faqs:
        if _AFFIRMED.match(faq.answer.text):
            # "Is numbness a sign of a stroke?" "It can be.": the answer asserts the question
            yield _Unit(article.faq_heading, faq.role, faq.question)
        for sentence in sentences(faq.answer):
            yield _Unit(article.faq_heading, faq.role, sentence, question=faq.question.text)


def _synonyms(unit: _Unit, subject: Concept) -> Iterator[Synonym]:
    if unit.role != "overview":
        return
    text = unit.span.text
    if normalise(subject.label) != normalise(text[: text.find(",")]) and not text.startswith(
        subject.label
    ):
        return
    for match in _SYNONYM_CUE.finditer(text):
        label = match.group(1).strip()
        if label and normalise(label) != normalise(subject.label):
            yield Synonym(subject, label, _evidence(unit, ()))


def _evidence(unit: _Unit, hedges: tuple[str, ...], qualifiers: tuple[str, ...] = ()) -> Evidence:
    return Evidence(
        section=unit.section,
        role=unit.role,
        sentence=unit.span.text,
        start=unit.span.start,
        end=unit.span.end,
        hedges=_unique(tuple(h.lower() for h in hedges)),
        qualifiers=qualifiers,
    )


@dataclass(frozen=True)
class _Clause:
    start: int  # offsets within the unit text
    end: int
    mentions: tuple[Mention, ...]


class _Reader:
    """Reads one unit: finds its mentions once, then applies each rule."""

    def __init__(
        self,
        unit: _Unit,
        subject: Concept,
        lexicon: Lexicon,
        view: str,
    ) -> None:
        self.unit = unit
        self.view = view
        self.rules = ROLE_RULES[view].get(unit.role, ()) + ROLE_RULES[view].get("*", ())
        self.subject = subject
        self.text = unit.span.text
        description = unit.description
        self.body_start = description.start - unit.span.start if description else 0
        self.term_mentions = self._term_mentions(lexicon)
        self.mentions = self._resolve_generic(tuple(lexicon.find(self.text)))
        self.question_mentions = tuple(lexicon.find(unit.question))
        self.clauses = self._clauses()
        self.consumed: set[Mention] = set()  # taken by a rule that names their subject
        self.causal: set[Mention] = set()  # effects and causes in a causal statement
        self.related: set[Mention] = set()  # related to each other by a verb
        self.causes: set[Mention] = set()  # the causes among them
        self.chained: set[Mention] = set()  # effects of the article's concept, or of those
        self.foreign: set[Mention] = set()  # effects of another concept

    def assertions(self) -> Iterator[Assertion]:
        yield from self._risk()
        yield from self._metastasis()
        yield from self._causes()
        yield from self._affects()
        yield from self._suspected()
        yield from self._signs()
        yield from self._risk_reduction()
        yield from self._body_sites()
        yield from self._verbs()
        yield from self._purposes()
        yield from self._term_condition()
        yield from self._treated_causes()
        yield from self._owned_side_effects()
        yield from self._by_role()

    # --- the unit's structure -------------------------------------------------------

    def _term_mentions(self, lexicon: Lexicon) -> tuple[Mention, ...]:
        """The bullet's topic: its term's concepts, made specific by the description.

        "Pain: Bone pain is often …" is about bone pain, not pain in general.
        """
        term = self.unit.term
        if term is None:
            return ()
        offset = term.start - self.unit.span.start
        body = lexicon.find(self.text[self.body_start :])
        resolved = []
        for mention in lexicon.find(term.text):
            words = normalise(mention.text)
            specific = next(
                (
                    m
                    for m in body
                    if len(normalise(m.text)) > len(words) and _contains(normalise(m.text), words)
                ),
                None,
            )
            chosen = specific or mention
            start = self.body_start if specific else offset
            resolved.append(
                Mention(chosen.concept, chosen.start + start, chosen.end + start, chosen.text)
            )
        return tuple(resolved)

    def _resolve_generic(self, mentions: tuple[Mention, ...]) -> tuple[Mention, ...]:
        """A generic name that stands for the topic is read as the topic.

        "pain" in an article on back pain, "the cancer" in one on kidney cancer; a bullet's
        description that opens by defining its term ("Multiple myeloma: This cancer of plasma
        cells …", "Mammography: An X-ray of the breast"); a copula definition ("Multiple
        myeloma is a cancer of plasma cells", "Orthopedic surgery is surgery on the bones")."""
        # the bullet's term as written, not as the description makes it specific
        terms = [m.concept for m in self.term_mentions if m.start < self.body_start]
        resolved = list(mentions)
        for index, mention in enumerate(mentions):
            kind = _kind(mention.concept)
            if kind is None:
                continue
            key = normalise(mention.concept.label)
            topic = self.subject if _is_generic_of(key, self.subject) else None
            if topic is None and kind == "Symptom":  # "Burning pain: Sharp, burning … pain"
                topic = next((t for t in terms if _is_generic_of(key, t)), None)
            if topic is None and index > 0:
                previous = resolved[index - 1]
                between = self.text[previous.end : mention.start]
                defines = _kind(previous.concept) == kind and _COPULA.fullmatch(between)
                topic = previous.concept if defines else None
            listed = index + 1 < len(mentions) and _LIST_GLUE.fullmatch(
                self.text, mention.end, mentions[index + 1].start
            )
            if topic is None and self.unit.description and not listed:
                opening = self.text[self.body_start : mention.start]
                # a shorter, more general name of the same kind: "Surgery" for a
                # prostatectomy, never the other way round
                term = next(
                    (
                        t
                        for t in terms
                        if _kind(t) == kind and len(mention.concept.label) <= len(t.label)
                    ),
                    None,
                )
                short = len(mention.text.split()) <= _GENERIC_WORDS
                topic = term if short and _DEFINITE.fullmatch(opening) else None
            if topic is not None and mention not in self.term_mentions:
                resolved[index] = replace(mention, concept=topic)
        return tuple(resolved)

    def _clauses(self) -> tuple[_Clause, ...]:
        """The term of a bullet is a clause of its own; the rest splits at clause breaks."""
        bounds = [0, self.body_start, self.body_start] if self.body_start else [0]
        for match in _CLAUSE_BREAK.finditer(self.text, self.body_start):
            bounds += [match.start(), match.end()]
        bounds.append(len(self.text))
        pairs = list(zip(bounds[::2], bounds[1::2], strict=True))
        return tuple(
            _Clause(s, e, tuple(m for m in self.mentions if s <= m.start < e)) for s, e in pairs
        )

    def _clause_of(self, mention: Mention) -> _Clause:
        return next(c for c in self.clauses if c.start <= mention.start < c.end)

    def _is_subject(self, mention: Mention) -> bool:
        return mention.concept == self.subject

    # --- hedges, negation, qualifiers -------------------------------------------------

    def _hedges_for(self, mention: Mention) -> tuple[str, ...]:
        """Hedges that scope over a mention's list ("can cause numbness, tingling, or
        weakness"): those before the clause's first list, those between the previous list
        and this one, and those after the clause's last list."""
        clause = self._clause_of(mention)
        groups = self._lists(clause)
        index = next((i for i, g in enumerate(groups) if mention in g), None)
        if index is None:  # the article's own concept, or a bullet term
            return ()
        windows = [(clause.start, groups[0][0].start), (groups[-1][-1].end, clause.end)]
        if index > 0:
            windows.append((groups[index - 1][-1].end, groups[index][0].start))
        return tuple(h.group() for s, e in windows for h in HEDGES.finditer(self.text, s, e))

    def _lists(self, clause: _Clause, with_subject: bool = False) -> list[list[Mention]]:
        """The clause's mentions grouped into lists: neighbours joined only by ", and or"."""
        groups: list[list[Mention]] = []
        for mention in clause.mentions:
            if self._is_subject(mention) and not with_subject:
                continue
            if groups and _LIST_GLUE.fullmatch(self.text, groups[-1][-1].end, mention.start):
                groups[-1].append(mention)
            else:
                groups.append([mention])
        return groups

    def _negated(self, mention: Mention) -> bool:
        """A negation cue shortly before the mention's list, in the same clause (NegEx-style:
        "does not usually cause numbness, tingling or weakness" negates all three)."""
        clause = self._clause_of(mention)
        group = next((g for g in self._lists(clause) if mention in g), [mention])
        before = self.text[clause.start : group[0].start]
        concession = _CONCESSION.match(before)
        if concession:
            before = " " * concession.end() + before[concession.end() :]
        # "Breast pain is not a common early symptom": the clause's subject, denied after it
        first = self._lists(clause)[:1] == [group] and not _CONDITIONAL.search(before)
        if first and _DENIED_AFTER.match(self.text, group[-1].end, clause.end):
            return True
        cues = list(_NEGATION.finditer(before))
        if not cues:
            return False
        between = before[cues[-1].end() :]
        return len(between.split()) <= _NEGATION_WINDOW and not re.search(r"[,;:]", between)

    def _qualifiers(self) -> tuple[str, ...]:
        """Phrases that qualify a bullet's term (the clauses of its description), or a
        sentence's leading concession ("While not entirely preventable")."""
        description = self.unit.description
        if description is None:
            concession = _CONCESSION.match(self.text)
            return (concession.group().strip(" ,"),) if concession else ()
        clauses = (c.strip(" .") for c in _QUALIFIER_BREAK.split(description.text))
        return tuple(q for q in (_strip_topic(c, self.term_mentions) for c in clauses) if q)

    def _emit(
        self,
        subject: Concept,
        relation: str,
        obj: Concept,
        mention: Mention,
        qualifiers: tuple[str, ...] = (),
        hedges: tuple[str, ...] | None = None,
    ) -> Assertion:
        return Assertion(
            subject,
            relation,
            obj,
            _evidence(
                self.unit, self._hedges_for(mention) if hedges is None else hedges, qualifiers
            ),
            negated=self._negated(mention),
        )

    def _description_hedges(self) -> tuple[str, ...]:
        description = self.unit.description
        text = description.text if description else ""
        return tuple(h.group() for h in HEDGES.finditer(text))

    # --- rules ----------------------------------------------------------------------

    def _risk(self) -> Iterator[Assertion]:
        """ "Men are more likely to develop prostate cancer" → prostate cancer hasRiskFactor men."""
        for clause in self.clauses:
            cue = _RISK_CUE.search(self.text, clause.start, clause.end)
            if cue is None:
                continue
            # "more common in men than in women": the comparison is not a risk factor
            factors = [
                m
                for m in clause.mentions
                if m.concept.is_a("RiskFactor")
                and not _COMPARED.search(self.text, clause.start, m.start)
            ]
            targets = [
                m
                for m in clause.mentions
                if m.start >= cue.end() and m.concept.is_a("Condition") and m not in factors
            ]
            target = targets[0].concept if targets else self.subject
            for factor in factors:
                self.consumed.add(factor)
                yield self._emit(target, "hasRiskFactor", factor.concept, factor)

    def _metastasis(self) -> Iterator[Assertion]:
        """A cancer in a clause that says it spreads to anatomical sites ("it can spread to
        the bones and liver"; the article's cancer when the clause names none); a metastatic
        disease named there has that cancer as a primary."""
        for clause in self.clauses:
            cue = next(
                iter(_cues_outside(self.text, clause.mentions, clause.start, clause.end)), None
            )
            if cue is not None and _WITHOUT_BEFORE.search(self.text, clause.start, cue.start()):
                continue  # "causes hypercalcemia even without spreading to bone": no spread
            asked = self._asked_spread()
            if cue is None and not asked:
                continue
            start, end = (cue.start(), cue.end()) if cue else (clause.start, clause.start)
            sites = [
                m
                for m in clause.mentions
                if m.start >= end and m.concept.is_a("AnatomicalStructure")
            ]
            # the cancers nearest before the cue spread ("… is rarer than cancer that has spread")
            before = [m for m in clause.mentions if m.concept.is_a("Cancer") and m.end <= start]
            nearest = next((g for g in self._lists(clause) if before and before[-1] in g), [])
            # … or, when that is cancer in general, those the clause lists ("include breast, …")
            cancers = [m for m in nearest if m.concept.is_a("PrimaryCancer")] or [
                m for m in clause.mentions if m.concept.is_a("PrimaryCancer") and m.start >= end
            ]
            if cue is None:  # "Where does kidney cancer spread?" "The lungs and bones …"
                cancers = [Mention(m.concept, clause.start, clause.start, "") for m in asked]
            if not cancers and self.subject.is_a("PrimaryCancer") and sites:
                cancers = [Mention(self.subject, sites[0].start, sites[0].start, "")]
            if cancers:
                self.consumed.update(sites)  # sites of a metastasis, not what the cancer affects
                spread = bool(sites) and not self._negated(sites[0])
                if spread and not self.subject.is_a("MetastaticDisease"):
                    # cancers that spread are primaries of a metastasis, not causes of the topic
                    self.consumed.update(cancers)
            for cancer in cancers:
                for site in sites:
                    yield self._emit(cancer.concept, "metastasizesTo", site.concept, site)
                for metastasis in clause.mentions:
                    if metastasis.concept.is_a("MetastaticDisease"):
                        yield self._emit(
                            metastasis.concept, "hasPrimaryCancer", cancer.concept, metastasis
                        )

    def _asked_spread(self) -> list[Mention]:
        """The cancers an FAQ question asks the spread of ("Where does lung cancer spread?")."""
        question = self.unit.question
        if not _cues_outside(question, self.question_mentions, 0, len(question)):
            return []
        return [m for m in self.question_mentions if m.concept.is_a("PrimaryCancer")]

    def _causes(self) -> Iterator[Assertion]:
        """Causal chains: "A can cause B, leading to C and D" → A→B, B→C (→D, see _effects)."""
        for clause in self.clauses:
            cues = [
                c
                for c in _CAUSE_CUE.finditer(self.text, clause.start, clause.end)
                if not self._cause_noun(c)
            ]
            if not cues:
                continue
            # "… causes of bone pain in people with cancer": who, not an effect
            population = _POPULATION.search(self.text, cues[-1].end(), clause.end)
            end = population.start() if population else clause.end
            bounds = [clause.start, *(x for c in cues for x in (c.start(), c.end())), end]
            # a treatment or test that causes something gives a side effect (see _effects)
            agents = (*_CAUSAL, *_TREATMENT, "DiagnosticProcedure")
            segments = [
                [m for m in clause.mentions if s <= m.start < e and m.concept.is_a(*agents)]
                for s, e in zip(bounds[::2], bounds[1::2], strict=True)
            ]
            segments[1:] = [[m for m in g if m.concept.is_a(*_CAUSAL)] for g in segments[1:]]
            if _NOUN_CAUSE.match(self.text, cues[0].start()):  # "tests look for causes such as"
                segments[0] = [m for m in segments[0] if m.concept.is_a(*_CAUSAL)]
            for segment in segments:
                yield from self._agents(segment)
            if self.unit.role in _USE_ROLES:  # an effect is not what a test or treatment is for
                for segment in segments[1:]:
                    self.causal.update(segment)
            for index, effect_segment in enumerate(segments[1:]):
                # "A can cause B, weaken C and lead to D": a coordinated verb shares A.
                shared = index > 0 and _COORDINATED.search(self.text, 0, cues[index].start())
                cause_segment = segments[0] if shared else segments[index]
                if index == 0 and _COORDINATED.search(self.text, clause.start, cues[0].start()):
                    # "Loss of appetite is common in depression and can lead to weight loss"
                    cause_segment = cause_segment[:1]
                cause_segment = self._subject_candidates(clause, cause_segment)
                if not cause_segment and index == 0:
                    # "…; it more often leads to weight gain": the previous clause's subject
                    cause_segment = [
                        Mention(c, clause.start, clause.start, "") for c in self._antecedent(clause)
                    ]
                if not cause_segment and (
                    self._elided_subject(clause, cues[0].start())
                    or self._describes_term(clause, cues[0].start())
                ):
                    # "Brain metastasis: May cause headaches", "Anemia: A low red blood cell
                    # count … can cause tiredness": the bullet's term causes them
                    cause_segment = self._causal_terms()
                if not cause_segment and self._procedure_talk(clause, cues[0].start()):
                    # "Some drugs can cause infertility", "The scan itself causes no pain"
                    cause_segment = [Mention(self.subject, clause.start, clause.start, "")]
                if cause_segment and effect_segment:
                    for cause in self._head_list(clause, cause_segment):
                        yield from self._effects(cause, effect_segment)
        yield from self._passive_causes()

    def _affects(self) -> Iterator[Assertion]:
        """ "It starts in the bone marrow", "This blood cancer damages the bones": the body part
        the condition before the verb (else the bullet's or the article's) harms; and "bones
        weakened by osteoporosis", where the condition comes after."""
        for clause in self.clauses:
            groups = self._lists(clause)
            for cue in _AFFECT_CUE.finditer(self.text, clause.start, clause.end):
                sites = self._sites_after(groups, cue.end())
                # the nearest concept before the verb, if it is a condition ("This cancer of
                # plasma cells in the bone marrow weakens the bones": body parts qualify it)
                before = [
                    m
                    for m in clause.mentions
                    if m.end <= cue.start() and not m.concept.is_a("AnatomicalStructure")
                ]
                if before:
                    group = next((g for g in groups if before[-1] in g), [before[-1]])
                    agents = [m.concept for m in group if m.concept.is_a("Condition")]
                elif _PLURAL_PRONOUN.match(self.text, clause.start):
                    agents = []  # "These most often affect the hip": not the article's concept
                else:
                    agents = self._antecedent(clause) or self._topic_conditions()
                for agent in agents:
                    for site in sites:
                        yield self._emit(agent, "affects", site.concept, site)
            for cue in _DEFINED_AS_SITE.finditer(self.text, clause.start, clause.end):
                # "Osteomyelitis: An infection of the bone", "NSF, a serious condition of the
                # skin and joints": the condition defined is the one that affects the parts
                defined = [g for g in groups if g[-1].end <= cue.start()]
                if cue.group().lstrip(" :").startswith(","):
                    named = [m.concept for m in defined[-1]] if defined else []
                elif cue.start() == self.body_start:
                    named = self._topic_conditions()
                else:
                    named = []
                for agent in (c for c in named if c.is_a("Condition")):
                    for site in self._sites_after(groups, cue.end()):
                        yield self._emit(agent, "affects", site.concept, site)
            for cue in _AFFECTED_BY_CUE.finditer(self.text, clause.start, clause.end):
                parts = [g for g in groups if g[-1].end <= cue.start()]
                causes = [g for g in groups if g[0].start >= cue.end()]
                if (
                    not parts
                    or not causes
                    or not _NEAR.fullmatch(self.text, cue.end(), causes[0][0].start)
                ):
                    continue
                for part in parts[-1]:
                    for cause in causes[0]:
                        if part.concept.is_a("AnatomicalStructure"):
                            yield self._emit(cause.concept, "affects", part.concept, part)

    def _body_sites(self) -> Iterator[Assertion]:
        """ "A thyroidectomy removes the thyroid gland", "Muscle biopsy: A small sample of
        muscle", "X-rays of the abdomen": the body part a procedure examines or treats."""
        acting = ("DiagnosticProcedure", "Therapy")
        for clause in self.clauses:
            groups = self._lists(clause)
            procedures = [m for m in clause.mentions if m.concept.is_a(*acting)]
            for procedure in procedures:  # "an MRI of the whole spine", the article's own too
                after = self.text[procedure.end :]
                if _SITE_OF.match(after):
                    for site in self._sites_after(groups, procedure.end):
                        yield self._emit(procedure.concept, "bodySite", site.concept, site)
            for cue in _SITE_CUE.finditer(self.text, clause.start, clause.end):
                before = [m for m in procedures if m.end <= cue.start()]
                if before:
                    actors = [before[-1].concept]
                else:  # the bullet's procedure, else the article's
                    actors = [m.concept for m in self.term_mentions if m.concept.is_a(*acting)]
                    if not self.term_mentions and self.subject.is_a(*acting):
                        actors = [self.subject]
                for actor in actors:
                    for site in self._sites_after(groups, cue.end()):
                        yield self._emit(actor, "bodySite", site.concept, site)

    def _risk_reduction(self) -> Iterator[Assertion]:
        """ "Good oral hygiene and regular dental check-ups lower the risk of ONJ", "an
        iron-rich diet helps prevent iron deficiency": the measures before the verb lower the
        risk of the condition after it (the article's, when the sentence names none)."""
        for clause in self.clauses:
            cue = _LOWERS_RISK.search(self.text, clause.start, clause.end)
            if cue is None:
                continue
            measures = [
                m
                for m in clause.mentions
                if m.end <= cue.start() and m.concept.is_a("PreventiveMeasure")
            ]
            after = [
                g
                for g in self._lists(clause, with_subject=True)
                if g[0].start >= cue.end() and g[0].concept.is_a("Condition")
            ]
            if after:
                targets = [m.concept for m in after[0] if m.concept.is_a("Condition")]
            elif object_pronoun_at(self.text, cue.end()):  # "… help prevent them"
                targets = [m.concept for m in self._pronoun_topic(cue.end())]
            else:
                targets = [self.subject] if self.view == "condition" else []
            for measure in measures:
                if targets:  # its role is said: it lowers a risk
                    self.consumed.add(measure)
                for target in targets:
                    # "While not entirely preventable, …" qualifies the measure
                    qualifiers = self._qualifiers()
                    yield self._emit(target, "riskReducedBy", measure.concept, measure, qualifiers)

    def _signs(self) -> Iterator[Assertion]:
        """ "Jaw pain or loose teeth, which can be early signs of ONJ", "Sudden back pain can
        signal a vertebral fracture" (the symptom comes first); "Warning signs include weakness",
        "felt as numbness" (the condition comes first, or is the bullet's term)."""
        for clause in self.clauses:
            groups = [g for g in self._lists(clause, with_subject=True) if not _is_site(g)]
            for cue in _SIGN_OF.finditer(self.text, clause.start, clause.end):
                before = [g for g in groups if g[-1].end <= cue.start()]
                after = [g for g in groups if g[0].start >= cue.end()]
                symptoms = before[-1] if before else self._causal_terms()
                if after:
                    yield from self._sign_pairs(after[0], symptoms)
            for cue in _SIGNS_INCLUDE.finditer(self.text, clause.start, clause.end):
                before = [g for g in groups if g[-1].end <= cue.start()]
                after = [g for g in groups if g[0].start >= cue.end()]
                # the nearest condition before: "An infection …, produces pain and tenderness
                # and often comes with fever" is the infection's fever, not the pain's
                named = [g for g in before if any(m.concept.is_a("Condition") for m in g)]
                conditions = named[-1] if named else self._causal_terms()
                if after:
                    yield from self._sign_pairs(conditions, after[0])

    def _sign_pairs(
        self, conditions: list[Mention], symptoms: list[Mention]
    ) -> Iterator[Assertion]:
        for condition in conditions:
            for symptom in symptoms:
                if condition.concept.is_a("Condition") and symptom.concept.is_a("Symptom"):
                    yield self._emit(condition.concept, "hasSymptom", symptom.concept, symptom)

    def _suspected(self) -> Iterator[Assertion]:
        """ "An MRI is used when a fracture or a tumor is suspected": the test (the clause's
        first, else the bullet's or the article's) looks for what is suspected."""
        tests = ("DiagnosticProcedure",)
        for clause in self.clauses:
            cue = _SUSPECTED.search(self.text, clause.start, clause.end)
            groups = [g for g in self._lists(clause) if cue and g[-1].end <= cue.start()]
            if cue is None or not groups:
                continue
            suspects = [m for m in groups[-1] if m.concept.is_a("Condition")]
            procedures = [m for m in clause.mentions if m.concept.is_a(*tests)]
            if procedures:
                actors = [procedures[0].concept]
            else:
                actors = [m.concept for m in self.term_mentions if m.concept.is_a(*tests)]
                if not self.term_mentions and self.subject.is_a(*tests):
                    actors = [self.subject]
            for actor in actors:
                for suspect in suspects:
                    yield self._emit(suspect.concept, "diagnosedBy", actor, suspect)

    def _sites_after(self, groups: list[list[Mention]], start: int) -> list[Mention]:
        """The body parts a few words after ``start``, with those chained to them by "of" or
        "in" ("plasma cells in the bone marrow", "the nerves of the hands and feet")."""
        later = [g for g in groups if g[0].start >= start]
        if not later or not (
            _SITE_NEAR.fullmatch(self.text, start, later[0][0].start)
            or _SITE_ESPECIALLY.fullmatch(self.text, start, later[0][0].start)
        ):
            return []
        sites: list[Mention] = []
        for index, group in enumerate(later):
            chained = index == 0 or any(
                link.fullmatch(self.text, later[index - 1][-1].end, group[0].start)
                for link in (_SITE_CHAIN, _SITE_REFINED, _SITE_AND_THE)
            )
            if not chained or not group[0].concept.is_a("AnatomicalStructure"):
                break
            sites += [m for m in group if m.concept.is_a("AnatomicalStructure")]
        return sites

    def _pronoun_topic(self, position: int) -> list[Mention]:
        """What an object pronoun at ``position`` stands for: the conditions the bullet is named
        for, else the article's condition."""
        terms = [
            m.concept
            for m in self.term_mentions
            if m.start < self.body_start and m.concept.is_a("Condition")
        ]
        if not terms and not self.term_mentions and self.view == "condition":
            terms = [self.subject]
        return [Mention(concept, position, position, "") for concept in terms]

    def _antecedent(self, clause: _Clause) -> list[Concept]:
        """For a clause opening with "it" ("…; it starts in the lining of the renal tubules"),
        the previous clause's first condition."""
        index = self.clauses.index(clause)
        if index == 0 or not opens_with_pronoun(self.text, clause.start):
            return []
        return first_of_kind(self.clauses[index - 1].mentions, "Condition")

    def _topic_conditions(self) -> list[Concept]:
        """The condition a clause without one speaks of: the bullet's, else the article's."""
        if self.term_mentions:
            return [m.concept for m in self.term_mentions if m.concept.is_a("Condition")]
        return [self.subject] if self.subject.is_a("Condition") else []

    def _verbs(self) -> Iterator[Assertion]:
        """ "Hypothyroidism is treated with levothyroxine", "MRI shows spinal cord compression",
        "fatigue is a side effect of chemotherapy": the lists on either side of the verb."""
        for clause in self.clauses:
            groups = self._lists(clause)
            # the article's own concept takes part too: "bisphosphonates lower the risk of …",
            # "MRI can show cancer deposits"
            sides = self._lists(clause, with_subject=True)
            for pattern, relation, left_is_subject in VERB_RELATIONS:
                for cue in pattern.finditer(self.text, clause.start, clause.end):
                    # body parts in between belong to a name ("thyroid hormone tablets")
                    # and "people with cancer" name who, not what
                    kept = [g for g in sides if not _is_site(g) and not self._is_population(g)]
                    # an agent ("caused by cancer") is not the subject of the next verb
                    left = [
                        g
                        for g in kept
                        if g[-1].end <= cue.start() and self._subject_candidates(clause, g)
                    ]
                    right = [g for g in kept if g[0].start >= cue.end()]
                    if not right and object_pronoun_at(self.text, cue.end()):
                        right = [self._pronoun_topic(cue.end())]  # "… given to prevent it"
                    terms = [m for m in self.term_mentions if m.start < self.body_start]
                    if not left and terms and self._elided_subject(clause, cue.start()):
                        left = [terms]  # "Nausea: Usually well controlled with antiemetics"
                    if terms and _APPOSITIVE.search(self.text, clause.start, cue.start()):
                        left = [terms]  # "Lymphedema: Swelling …, a side effect of surgery"
                    if not left or not right:
                        continue
                    for before in left[-1]:
                        for after in right[0]:
                            subject, obj = (before, after) if left_is_subject else (after, before)
                            assertion = self._emit(subject.concept, relation, obj.concept, after)
                            if _allowed(assertion):
                                self.related.update((before, after))
                                yield assertion
            heads: list[Mention] = []  # what a chain of body parts belongs to
            for before_group, after_group in pairwise(groups):
                between = self.text[before_group[-1].end : after_group[0].start]
                if not before_group[0].concept.is_a("AnatomicalStructure"):
                    heads = before_group
                for pattern, relation in ADJACENT_RELATIONS:
                    if pattern.fullmatch(between):
                        # "cancer of plasma cells in the bone marrow": both belong to the cancer
                        chain = heads if relation == "affects" else before_group
                        for before in chain:
                            for after in after_group:
                                assertion = self._emit(
                                    before.concept, relation, after.concept, after
                                )
                                if _allowed(assertion):
                                    yield assertion
                if not _SITE_CHAIN.fullmatch(between):
                    heads = []

    def _is_population(self, group: list[Mention]) -> bool:
        """ "In people with cancer, …": the list says who, not what."""
        return _WHO_HAVE.search(self.text, 0, group[0].start) is not None

    def _head_list(self, clause: _Clause, segment: list[Mention]) -> list[Mention]:
        """The causes in a segment: the list nearest the verb ("hypothyroidism and chronic
        kidney disease can cause …" has two; in "once breast cancer has reached the bones,
        bone metastasis may cause …" it is bone metastasis)."""
        groups = self._lists(clause)
        group = next((g for g in groups if segment[-1] in g), [segment[-1]])
        heads = [m for m in group if m in segment]
        # "Many cancers, including lung and stomach cancer, can cause …": the head named too
        intro = _LIST_INTRO_BEFORE.search(self.text, clause.start, group[0].start)
        if intro is not None:
            heads += [m for m in segment if m.end <= intro.start() and m not in heads][-1:]
        return heads

    def _cause_noun(self, cue: re.Match[str]) -> bool:
        """ "a well-known cause, and …", "a mechanical cause such as muscle strain": the noun
        with no object of its own relates nothing left to right ("the cause of" still does)."""
        if _NOUN_CAUSE.match(self.text, cue.start()):
            return True
        noun = _DETERMINED.search(self.text, 0, cue.start()) is not None
        return noun and not _OF_AFTER.match(self.text, cue.end())

    def _subject_candidates(self, clause: _Clause, segment: list[Mention]) -> list[Mention]:
        """Mentions before a verb that can be its subject: not an agent ("compression of
        nerves by tumor growth", "from bone metastasis"), not inside an aside (", found on the
        CBC,") and not the people it happens to ("In people with osteoporosis, …")."""
        asides = self._relative_clauses(clause)
        return [
            m
            for m in segment
            if not _AGENT_CUE.search(self.text, max(clause.start, m.start - 12), m.start)
            and not _FROM_BEFORE.search(self.text, max(clause.start, m.start - 6), m.start)
            and not any(s <= m.start < e for s, e in asides)
            and not self._is_population([m])
        ]

    def _relative_clauses(self, clause: _Clause) -> list[tuple[int, int]]:
        """ ", which can be a complication of cancer," spans: asides, not the subject."""
        return [
            (m.start(), m.end())
            for m in _RELATIVE_CLAUSE.finditer(self.text, clause.start, clause.end)
        ]

    def _procedure_talk(self, clause: _Clause, position: int) -> bool:
        """In a procedure's article, outside what it is used for, a verb whose subject the
        lexicon does not know ("some drugs", "the scan itself") speaks of the procedure."""
        return (
            self.view == "procedure"
            and self.unit.role not in _USE_ROLES
            and not self._named_before(clause, position)
        )

    def _elided_subject(self, clause: _Clause, position: int) -> bool:
        """Whether the verb at ``position`` has no subject of its own: "May cause …",
        "which causes …", "A tumor may block an airway or lead to …" (an unknown subject)."""
        if self._named_before(clause, position):
            return False
        before = self.text[clause.start : position]
        return bool(_ELIDED.fullmatch(before) or _COORDINATED_VERB.search(before))

    def _describes_term(self, clause: _Clause, position: int) -> bool:
        """Whether the verb at ``position`` follows a definition of the bullet's term in words
        the lexicon does not know ("Anemia: A low red blood cell count … can cause …"; but
        "Anemia: Crowding of the bone marrow leads to …" names its cause, not the term)."""
        return (
            self.unit.description is not None
            and clause.start == self.body_start
            and _INDEFINITE.match(self.text, clause.start) is not None
            and not self._named_before(clause, position)
        )

    def _named_before(self, clause: _Clause, position: int) -> bool:
        """Whether the clause names any concept before ``position`` (else its subject is
        elided, a pronoun or a word the lexicon does not know)."""
        asides = self._relative_clauses(clause)
        return any(
            m.end <= position
            and not m.concept.is_a("AnatomicalStructure")
            and not any(s <= m.start < e for s, e in asides)
            for m in clause.mentions
        )

    def _causal_terms(self) -> list[Mention]:
        return [
            m for m in self.term_mentions if m.start < self.body_start and m.concept.is_a(*_CAUSAL)
        ]

    def _passive_causes(self) -> Iterator[Assertion]:
        """ "Most bone pain is caused by injuries", "fatigue due to anemia": the list right
        after the cue causes the nearest mention before it."""
        for clause in self.clauses:
            for cue in _PASSIVE_CAUSE_CUE.finditer(self.text, clause.start, clause.end):
                causal = [m for m in clause.mentions if m.concept.is_a(*_CAUSAL)]
                before = [m for m in causal if m.end <= cue.start()]
                groups = [g for g in self._lists(clause) if g[0].start >= cue.end()]
                if not groups or not groups[0][0].concept.is_a(*_CAUSAL):
                    continue
                # the agent follows the cue ("caused by bacteria, produces pain": not pain)
                near = _RIGHT_AFTER if cue.group().lower() == "from" else _NEAR
                if not near.fullmatch(self.text, cue.end(), groups[0][0].start):
                    continue
                before = [m for m in before if not self._is_population([m])]
                if before:  # the list nearest before ("a weak stream or frequent urination")
                    group = next((g for g in self._lists(clause) if before[-1] in g), [])
                    effects = [m for m in group if m in before] or [before[-1]]
                elif not self._named_before(clause, cue.start()):
                    # "Tiredness: Mostly caused by anemia", "Pressure on the cord, from …"
                    effects = self._causal_terms()
                else:
                    effects = []
                for cause in groups[0]:
                    if cause.concept.is_a(*_CAUSAL):
                        for effect in effects:
                            self.causal.add(cause)
                            if effect.concept.is_a("MetastaticDisease"):
                                # "bone metastases from kidney cancer": where it started
                                yield self._emit(
                                    effect.concept, "hasPrimaryCancer", cause.concept, cause
                                )
                            else:
                                yield self._emit(cause.concept, "causes", effect.concept, cause)

    def _agents(self, segment: list[Mention]) -> Iterator[Assertion]:
        """ "compression of nerves by tumor growth" → tumor growth causes nerve compression."""
        for effect, agent in pairwise(segment):
            if _AGENT_CUE.search(self.text, effect.end, agent.start):
                yield self._emit(agent.concept, "causes", effect.concept, agent)

    def _effects(self, cause: Mention, effects: list[Mention]) -> Iterator[Assertion]:
        """A cause's effects; in "anemia and fatigue" the condition produces the symptom."""
        self.causal.update((cause, *effects))
        self.causes.add(cause)
        if self._is_subject(cause) or cause in self.chained:
            self.chained.update(effects)
        else:
            self.foreign.update(effects)
        if cause.concept.is_a(*_TREATMENT, "DiagnosticProcedure"):
            for effect in effects:  # "chemotherapy can cause nausea"
                yield self._emit(cause.concept, "hasSideEffect", effect.concept, effect)
            return
        conditions = [m for m in effects if not m.concept.is_a("Symptom")]
        symptoms = [m for m in effects if m.concept.is_a("Symptom")]
        # "anemia and fatigue": the condition comes first and produces the symptom; in
        # "bone pain, fractures and hypercalcemia" the cause produces them all
        chained = bool(conditions and symptoms) and conditions[-1].start < symptoms[0].start
        first_wave = conditions if chained else effects
        for effect in first_wave:
            yield self._emit(cause.concept, "causes", effect.concept, effect)
        if chained:
            for condition in conditions:
                for symptom in symptoms:
                    yield self._emit(condition.concept, "causes", symptom.concept, symptom)

    def _purposes(self) -> Iterator[Assertion]:
        """What a test or treatment is for: "MRI: To … detect any compression of nerves"."""
        actors, purpose_start = self._actors_and_purpose()
        if not actors:
            return
        purpose = self.text[purpose_start:].strip(" .")
        cues = sorted(
            (match.start(), match.end(), kind)
            for kind, pattern in _VERBS.items()
            for match in pattern.finditer(self.text[purpose_start:])
        )
        for index, (_, cue_end, kind) in enumerate(cues):
            stop = cues[index + 1][0] if index + 1 < len(cues) else len(self.text) - purpose_start
            # "prevent fractures in people with bone metastasis": who, not what
            population = _POPULATION.search(
                self.text, purpose_start + cue_end, purpose_start + stop
            )
            if population:
                stop = population.start() - purpose_start
            targets = [
                m
                for m in self.mentions
                if purpose_start + cue_end <= m.start < purpose_start + stop
                and m.concept.is_a(*_CONDITION_OR_SYMPTOM)
                and not self._is_subject(m)
            ]
            yield from self._purpose_assertions(kind, actors, targets, purpose)

    def _purpose_assertions(
        self, kind: str, actors: list[Mention], targets: list[Mention], purpose: str
    ) -> Iterator[Assertion]:
        for target in targets:
            relation = _PURPOSE_RELATION[kind]
            if self._after_side_effect_cue(target):
                relation = "hasSideEffect"
            for actor in actors:
                if relation in {"prevents", "hasSideEffect"}:
                    yield self._emit(actor.concept, relation, target.concept, target, (purpose,))
                else:
                    yield self._emit(target.concept, relation, actor.concept, target, (purpose,))
            # A complication a test detects or a treatment relieves is one of the condition's.
            if relation in {"diagnosedBy", "treatedBy"} and target.concept.is_a("Complication"):
                yield self._emit(self.subject, "hasComplication", target.concept, target)

    def _after_side_effect_cue(self, mention: Mention) -> bool:
        """ "possible side effects include urinary incontinence": a harm, not a use."""
        clause = self._clause_of(mention)
        return _SIDE_EFFECT_CUE.search(self.text, clause.start, mention.start) is not None

    def _actors_and_purpose(self) -> tuple[list[Mention], int]:
        """Bullets: the term acts, the description is its purpose; sentences: "X is used to …"."""
        if self.unit.role not in {"diagnosis", "treatment"}:
            return [], 0
        acting = ("DiagnosticProcedure", *_TREATMENT)
        if self.unit.description is not None:
            actors = [m for m in self.term_mentions if m.concept.is_a(*acting)]
            return actors, self.unit.description.start - self.unit.span.start
        cue = _PURPOSE_CUE.search(self.text)
        if cue is None:
            return [], 0
        return [
            m for m in self.mentions if m.end <= cue.start() and m.concept.is_a(*acting)
        ], cue.end()

    def _relation_in_context(self, relation: str, mention: Mention) -> str | None:
        """A section's relation, unless the wording says otherwise: a bullet whose purpose is
        to prevent ("Bisphosphonates: Help prevent further fractures") gives `prevents`; a
        treatment the subject "no longer responds to" is not one of its uses."""
        if relation == "hasSideEffect" and self._side_effect_owners():
            return None  # the effect is the named drug's (see _owned_side_effects)
        if relation != "treatedBy":
            return relation
        if self._treated_conditions():
            return None  # the symptom's cause is what is treated (see _treated_causes)
        clause = self._clause_of(mention)
        group = next((g for g in self._lists(clause) if mention in g), [mention])
        after = self.text[group[-1].end : clause.end]  # after the whole list it is in
        harm = _HARMS.match(after)
        # "exercises that relieve pain and help prevent …" still treat
        harms = harm is not None and not _VERBS["treat"].search(after, 0, harm.start(1))
        if mention not in self.term_mentions and (harms or self._after_side_effect_cue(mention)):
            return None  # "… thyroidectomy can lead to it", "side effects of chemotherapy"
        before = self.text[clause.start : mention.start]
        if _NOT_A_USE.search(before):
            return None
        description = self.unit.description
        prevention = description is not None and _PREVENTION_PURPOSE.search(description.text)
        return "prevents" if prevention and mention in self.term_mentions else relation

    def _about_term(self) -> bool:
        """Whether the bullet's term names a concept its description can be about; a body
        part ("Brain conditions: Such as brain tumors, stroke …") leaves the article's."""
        return any(not m.concept.is_a("AnatomicalStructure") for m in self.term_mentions)

    def _harm_causing_harm(self, mention: Mention) -> bool:
        """In a procedure's risks a harm may cause more ("neutropenia can lead to infections")."""
        return (
            self.view == "procedure"
            and self.unit.role in {"risks", "complications"}
            and mention in self.causes
            and mention.concept.is_a(*_CONDITION_OR_SYMPTOM)
        )

    def _counts_for_role(self, mention: Mention) -> bool:
        """Whether a mention outside a bullet's term speaks about the article's concept.

        In a symptom or procedure article a bullet is about its term ("Osteoporosis: bones
        weakened by …" names a cause; the other conditions in it are about osteoporosis).
        A concept caught in a causal statement is about its cause, except in a condition's
        symptoms or complications ("it can cause anemia and fatigue")."""
        if self._harm_causing_harm(mention):
            return True
        if _COMPARED.search(self.text, self._clause_of(mention).start, mention.start):
            return False  # "more common in men than in women": the comparison is no factor
        if self._about_term() and self.view != "condition":
            # … though the tests and treatments a symptom's bullet names are its own too
            # (unless the bullet is named for a condition: "Depression: Antidepressants")
            kinds = _SYMPTOM_BULLET_KINDS.get(self.unit.role, ()) if self.view == "symptom" else ()
            for_condition = any(m.concept.is_a("Condition") for m in self.term_mentions)
            if for_condition or not mention.concept.is_a(*kinds):
                return False
        if mention in self.foreign and mention not in self.chained:
            return False  # "bone metastasis may cause fractures": not the article's complication
        if mention in self.causal:
            return self.view == "condition" and self.unit.role in {"symptoms", "complications"}
        if mention.concept.is_a("AnatomicalStructure") and self.unit.role == "overview":
            return self._defines_site(mention)
        return mention not in self.related or self.view == "condition"

    def _defines_site(self, mention: Mention) -> bool:
        """In an introduction only the first body part of a sentence that names the article's
        concept says where it is ("starts in the thyroid gland, … at the front of the neck")."""
        if not any(self._is_subject(m) for m in self.mentions):
            return False
        sites = [m for m in self.mentions if m.concept.is_a("AnatomicalStructure")]
        clause = self._clause_of(sites[0])
        first = next((g for g in self._lists(clause) if sites[0] in g), [sites[0]])
        return mention in first

    def _term_condition(self) -> Iterator[Assertion]:
        """A bullet named for another condition gives its treatments or tests: "Depression:
        Antidepressants, talking therapy or both", "Lung cancer: Used alone or together with
        radiation therapy"."""
        terms = [
            m
            for m in self.term_mentions
            if m.start < self.body_start and m.concept.is_a("Condition") and not self._is_subject(m)
        ]
        relation = _TERM_RELATIONS.get(self.unit.role)
        if not terms or relation is None:
            return
        for mention in self.mentions:
            if (
                mention.start < self.body_start
                or self._is_subject(mention)
                or mention in self.causal
                or self._after_side_effect_cue(mention)
            ):
                continue
            for term in terms:
                assertion = self._emit(term.concept, relation, mention.concept, mention)
                if _allowed(assertion):
                    yield assertion

    def _treated_conditions(self) -> list[Mention]:
        """In a symptom article, a treatment named with one of the symptom's causes and not
        with the symptom treats the cause: "Antibiotics: To treat bacterial pneumonia",
        "Spinal cord compression needs urgent treatment, often with corticosteroids"."""
        if self.view != "symptom" or self.unit.role != "treatment":
            return []
        body = [m for m in self.mentions if m.start >= self.body_start]
        if any(self._is_subject(m) for m in body):
            return []
        return [
            m
            for m in body
            if m.concept.is_a("Condition")
            and m not in self.term_mentions
            and not self._is_population([m])
        ]

    def _side_effect_owners(self) -> list[Mention]:
        """In a procedure's risks, a bullet naming a harm whose description names a specific
        treatment gives that treatment's side effect: "Fatigue: Tiredness is common,
        especially with ADT" (but not "anticoagulants … help prevent them")."""
        if self.view != "procedure" or self.unit.role not in {"risks", "complications"}:
            return []
        if not any(m.concept.is_a(*_CONDITION_OR_SYMPTOM) for m in self._causal_terms()):
            return []
        return [
            m
            for m in self.mentions
            if m.start >= self.body_start
            and m.concept.is_a(*_TREATMENT)
            and not self._is_subject(m)
            and not self._remedy(m)
        ]

    def _remedy(self, mention: Mention) -> bool:
        """ "Usually well controlled with antiemetics", "a blood transfusion is sometimes
        needed", "anticoagulants … help prevent them": a remedy, not a cause."""
        clause = self._clause_of(mention)
        before = self.text[clause.start : mention.start]
        return bool(
            _REMEDIES.match(self.text, mention.end, clause.end) or _REMEDY_BEFORE.search(before)
        )

    def _owned_side_effects(self) -> Iterator[Assertion]:
        for owner in self._side_effect_owners():
            for effect in self._causal_terms():
                yield self._emit(owner.concept, "hasSideEffect", effect.concept, owner)

    def _treated_causes(self) -> Iterator[Assertion]:
        conditions = self._treated_conditions()
        for treatment in self.mentions:
            if not treatment.concept.is_a(*_TREATMENT) or treatment in self.related:
                continue  # a verb already said what it treats
            # a bullet's term treats what its description names; otherwise, its own clause
            clause = self._clause_of(treatment)
            for condition in conditions:
                if treatment in self.term_mentions or clause.start <= condition.start < clause.end:
                    yield self._emit(condition.concept, "treatedBy", treatment.concept, treatment)

    def _by_role(self) -> Iterator[Assertion]:
        """What each concept is to the article's concept, by the section's meaning."""
        # (qualifiers, hedges); hedges None means "the mention's own, from its clause"
        topic = (self._qualifiers(), self._description_hedges())
        sentence = (() if self.unit.description else self._qualifiers(), None)
        candidates: list[tuple[Mention, tuple[tuple[str, ...], tuple[str, ...] | None]]]
        candidates = [(m, topic) for m in self.term_mentions]
        candidates += [
            (m, sentence)
            for m in self.mentions
            if m.start >= self.body_start and m not in self.consumed and self._counts_for_role(m)
        ]
        for mention, (qualifiers, hedges) in candidates:
            if self._is_subject(mention):
                continue
            for rule in self.rules:  # the first rule that fits the relation's domain and range
                if mention.concept.is_a(rule.concept_type):
                    subject, obj = self.subject, mention.concept
                    relation = self._relation_in_context(rule.relation, mention)
                    if relation is None:
                        break
                    if rule.reverse or relation == "prevents":
                        subject, obj = obj, subject
                    assertion = self._emit(subject, relation, obj, mention, qualifiers, hedges)
                    if _allowed(assertion):
                        yield assertion
                        break


def _cues_outside(
    text: str, mentions: tuple[Mention, ...], start: int, end: int
) -> list[re.Match[str]]:
    """Spread cues that are not a word of a name ("bone metastasis" says nothing spreads)."""
    return [
        cue
        for cue in _SPREAD_CUE.finditer(text, start, end)
        if not any(m.start <= cue.start() < m.end for m in mentions)
    ]


def _contains(key: tuple[str, ...], words: tuple[str, ...]) -> bool:
    """Whether ``words`` head the name ``key``: "bone pain" is a pain, "family history of
    breast cancer" a family history (the head of "A of B" is A)."""
    n = len(words)
    return key[-n:] == words or (key[:n] == words and key[n : n + 1] == ("of",))


def _is_site(group: list[Mention]) -> bool:
    return all(m.concept.is_a("AnatomicalStructure") for m in group)


def _kind(concept: Concept) -> str | None:
    """What a generic name and its topic must share to be one concept."""
    return next((k for k in _GENERIC_KINDS if concept.is_a(k)), None)


def _is_generic_of(key: tuple[str, ...], topic: Concept) -> bool:
    """ "pain" of back pain, "cancer" of kidney cancer: the topic's name ends with the key."""
    name = normalise(topic.label)
    return 0 < len(key) < len(name) and name[-len(key) :] == key


def _strip_topic(clause: str, topic: tuple[Mention, ...]) -> str:
    """ "Bone pain is often the first symptom" → "often the first symptom" (for a bone-pain
    bullet); "it can be severe" → "can be severe"."""
    words = clause
    for mention in topic:
        label = mention.text or mention.concept.label
        if words.lower().startswith(label.lower()):
            words = words[len(label) :].lstrip()
    previous = None
    while previous != words:
        previous = words
        words = _LEADING_TALK.sub("", words)
    return words.strip(" ,.")


@dataclass(frozen=True)
class Unmatched:
    """A name in an article that no concept of the lexicon matches: work for a curator."""

    text: str
    section: str
    sentence: str


_LIST_INTRO = re.compile(r"\b(?:such as|including|includes?|like|e\.g\.,?)\s+", re.IGNORECASE)
_LIST_SPLIT = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", re.IGNORECASE)
_MAX_NAME_WORDS = 5


def unmatched_terms(article: Article, lexicon: Lexicon) -> list[Unmatched]:
    """Bullet terms and items of "such as …" lists that overlap no mention of a known concept."""
    found: list[Unmatched] = []
    for unit in _units(article):
        text = unit.span.text
        mentions = lexicon.find(text)
        places = []
        if unit.term is not None:
            start = unit.term.start - unit.span.start
            places.append((start, start + len(unit.term.text)))
        for intro in _LIST_INTRO.finditer(text):
            stop_mark = re.search(r"[.;:()]|$", text[intro.end() :])
            tail_end = intro.end() + (stop_mark.start() if stop_mark else 0)
            start = intro.end()
            for separator in [*_LIST_SPLIT.finditer(text, start, tail_end), None]:
                stop = separator.start() if separator else tail_end
                places.append((start, stop))
                start = separator.end() if separator else tail_end
        for start, stop in places:
            name = text[start:stop].strip(" ,.")
            covered = any(m.start < stop and start < m.end for m in mentions)
            if name and len(name.split()) <= _MAX_NAME_WORDS and not covered:
                found.append(Unmatched(name, unit.section, text))
    return found
