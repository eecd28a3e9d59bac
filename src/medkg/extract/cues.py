"""Cue words, as data: what signals a hedge, a negation, a cause, a purpose, a site …
Each is a compiled pattern that the reader's rules apply to a sentence."""

from __future__ import annotations

import re

from medkg.relations import TREATMENT

HEDGES = re.compile(
    r"\b(often|usually|typically|commonly|generally|frequently|sometimes|occasionally|rarely"
    r"|may|might|can|could|possibly|in some cases|not entirely)\b",
    re.IGNORECASE,
)
NEGATION = re.compile(r"\b(not|no|never|without|neither|nor|cannot|\w+n't)\b", re.IGNORECASE)
LIST_GLUE = re.compile(r"\)?[\s,]*(?:\b(?:and|or|and/or)\b)?[\s,]*", re.IGNORECASE)
CLAUSE_BREAK = re.compile(
    r";\s+|(?<=[a-z)])\.\s+(?=[A-Z])|,\s+(?=(?:while|whereas|but|although)\b)", re.IGNORECASE
)
NEGATION_WINDOW = 6  # words between a negation cue and the list it negates
COPULA = re.compile(r"\s+(?:is|are)\s+(?:(?:a|an)\s+(?:\w+\s+)?)?", re.IGNORECASE)
GENERIC_KINDS = ("Condition", "Symptom", "DiagnosticProcedure", "Therapy")
GENERIC_WORDS = 2  # "This cancer", "An ultrasound scan"; not "A low white blood cell count"
DEFINITE = re.compile(r"\s*(?:(?:a|an|the|this|these)\s+(?:\w+\s+)?)?", re.IGNORECASE)
CONCESSION = re.compile(r"^\s*(?:while|although|though|even though)\b[^,]*,\s*", re.IGNORECASE)
QUALIFIER_BREAK = re.compile(r";\s+|,\s+(?=(?:and|while|whereas|but|even)\b)", re.IGNORECASE)
LEADING_TALK = re.compile(r"^(?:and|it|they|this|these|which)\s+|^(?:is|are)\s+", re.IGNORECASE)
CAUSE_CUE = re.compile(
    r"\b(?:cause[sd]?|causing|lead(?:s|ing)? to|led to|result(?:s|ing|ed)? in)\b(?! by)",
    re.IGNORECASE,
)
COORDINATED = re.compile(r"\b(?:and|or)\s+(?:can\s+|may\s+|might\s+|often\s+)?\S*\s*$", re.I)
PASSIVE_CAUSE_CUE = re.compile(
    r"\b(?:(?:is|are|be|was|were)\s+(?:\w+\s+)?)?(?:caused|triggered|brought on) by\b"
    r"|\bdue to\b|\bresults? from\b|\bbecause of\b|\bfrom\b",
    re.IGNORECASE,
)
NEAR = re.compile(r"\s*(?:[\w-]+,?\s+){0,4}(?:[\w-]+,\s+(?:not|or|and)\s+(?:by\s+)?)?")
AFFECT_CUE = re.compile(
    r"\b(?:(?:start|begin|arise)(?:s|ing)?\s+in|started in|began in|affects?|damag(?:e|es|ing)"
    r"|harm(?:s|ing)?|attack(?:s|ing)?|weaken(?:s|ing)?|narrow(?:s|ing)?|destroy(?:s|ing)?"
    r"|disturb(?:s|ing)?)\b"
    r"|\bpressure on\b",
    re.IGNORECASE,
)
DEFINED_AS_SITE = re.compile(
    r"(?:,\s*|\b)(?:a|an)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:infection|inflammation|disease|condition|disorder)\s+(?:of|in)\b",
    re.IGNORECASE,
)
AFFECTED_BY_CUE = re.compile(r"\b(?:weakened|damaged|affected|destroyed)\s+by\b", re.IGNORECASE)
LOWERS_RISK = re.compile(
    r"\b(?:lower|reduce|cut|decrease)s?\s+the\s+(?:risk|chance)\b|\bhelps?\s+(?:to\s+)?prevent\b"
    r"|\bprevents?\b",
    re.IGNORECASE,
)
SIGN_OF = re.compile(
    r"\b(?:(?:early|first|warning)\s+)?signs?\s+of\b|\bwarns?\s+of\b|\bsignal(?:s)?\b",
    re.IGNORECASE,
)
SIGNS_INCLUDE = re.compile(
    r"\b(?:signs|symptoms)\s+include\b|\bfelt\s+as\b|\bcomes?\s+with\b", re.IGNORECASE
)
SUSPECTED = re.compile(r"\s(?:is|are)\s+(?:still\s+|also\s+)?suspected\b", re.IGNORECASE)
SITE_NEAR = re.compile(r"\s*(?:[\w-]+\s+){0,5}")  # "removes all or part of the …"
SITE_OF = re.compile(r"\s+(?:of|to|on)\s+(?:the\s+|your\s+)?\w", re.IGNORECASE)
SITE_CUE = re.compile(
    r"\b(?:remov(?:e|es|ing|al of)|spar(?:e|es|ing)|feels?|examin(?:e|es|ing)"
    r"|tak(?:e|es|ing) out|sampl(?:e|es|ing)|(?:pictures?|images?|views?) of"
    r"|stabili[sz](?:e|es|ing)|(?:passed|inserted|placed) (?:into|through|in)|aimed at)\b"
    # what a test shows is a finding ("show broken bones"), unless it is the part itself
    r"|\b(?:show(?:s|ing)?|reveals?)\s+(?:the|your)\s+(?=\w+(?:\s+of\b|\s*[,.;]|\s+and\b|\s+or\b|$))",
    re.IGNORECASE,
)
PLURAL_PRONOUN = re.compile(r"\s*(?:these|they|those)\b", re.IGNORECASE)
SITE_CHAIN = re.compile(r"\s*\b(?:of|in)\s+(?:the\s+)?", re.IGNORECASE)
#: ", most often in the lining of the milk ducts": a narrower place within the one before
SITE_REFINED = re.compile(
    r",\s*(?:most\s+)?(?:often|usually|mainly|commonly|typically)\s+in\s+(?:the\s+)?"
    r"(?:(?:lining|cells|walls?)\s+of\s+(?:the\s+)?)?",
    re.IGNORECASE,
)
SITE_AND_THE = re.compile(r",?\s+(?:and|or)\s+the\s+", re.IGNORECASE)  # "kidneys and the brain"
#: "many organs, especially the kidneys": a generic noun, then the parts it names
SITE_ESPECIALLY = re.compile(
    r"\s*(?:many|several|other|some)\s+(?:organs|parts|tissues)(?:\s+of\s+the\s+body)?,?\s+"
    r"(?:especially|particularly|including|such\s+as)\s+(?:the\s+)?",
    re.IGNORECASE,
)
ELIDED = re.compile(
    r"(?:[\W_]|\b(?:it|this|they|these|which|and|or|can|may|might|could|will|often|also"
    r"|usually|commonly|frequently|sometimes|rarely|mostly|mainly|then|both|well|generally"
    r"|easily)\b)*",
    re.IGNORECASE,
)
COORDINATED_VERB = re.compile(r"(?:,\s*which|\b(?:and|or))\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
RELATIVE_CLAUSE = re.compile(
    r",\s*(?:which|who|found|seen|given|shown|known|taken|\w+ed)\b[^,;]*,", re.IGNORECASE
)
DETERMINED = re.compile(r"\b(?:a|an|the|one|common|main|leading)\s+(?:[\w-]+\s+)?$", re.I)
OF_AFTER = re.compile(r"s?\s+of\b", re.IGNORECASE)
FROM_BEFORE = re.compile(r"\bfrom\s+(?:\w+\s+)?$", re.IGNORECASE)
NOUN_CAUSE = re.compile(r"causes?\s+(?:such as|include|including)\b", re.IGNORECASE)
LIST_INTRO_BEFORE = re.compile(r",?\s*\b(?:including|such as)\s*$", re.IGNORECASE)
RIGHT_AFTER = re.compile(r"\s*(?:(?:a|an|the)\s+)?")  # "pain from bone metastasis"
AGENT_CUE = re.compile(r"\b(?:by|due to|caused by|because of)\b", re.IGNORECASE)
RISK_CUE = re.compile(
    r"\b(?:more likely to (?:develop|get|have)|(?:at )?(?:an )?increased risk|risk of developing"
    r"|increases? the risk)\b",
    re.IGNORECASE,
)
SPREAD_CUE = re.compile(
    r"\b(?:metastasi[sz]\w*|spread(?:s|ing)?|reach(?:es|ed)?|travel(?:s|led|ling)?)\b", re.I
)
PURPOSE_CUE = re.compile(r"\bused (?:to|for)\b|\bhelps? (?:to )?", re.IGNORECASE)
SYNONYM_CUE = re.compile(
    r"\b(?:also known as|also called|sometimes called|or simply)\s+([^,.;()]+)", re.IGNORECASE
)
VERBS: dict[str, re.Pattern[str]] = {
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
POPULATION = re.compile(
    r"\b(?:in|for|among)\s+(?:people|patients|those|adults|children|men|women)\b", re.I
)
SIDE_EFFECT_CUE = re.compile(r"\bside effects?\b|\badverse effects?\b|\brisks? include", re.I)
DENIED_AFTER = re.compile(
    # "is not always needed" hedges, it does not deny
    r"(?:\s+(?:on\s+its\s+own|alone|itself|usually|often|generally))*"
    r"\s*(?:(?:is|are|was|were|does|do|did)\s+not|isn't|aren't|doesn't|don't|cannot)\b"
    r"(?!\s+(?:always|fully|entirely|only|necessarily|yet|rule\s+out)\b)",
    re.IGNORECASE,
)
CONDITIONAL = re.compile(r"\b(?:if|unless|when|whether)\W*$", re.IGNORECASE)  # "If MRI is not …"
INDEFINITE = re.compile(r"\W*(?:a|an)\s", re.IGNORECASE)  # a definition's opening
WITHOUT_BEFORE = re.compile(r"\bwithout\s+$", re.IGNORECASE)
COMPARED = re.compile(r"\bthan\s+(?:in\s+)?$", re.IGNORECASE)
SYMPTOM_BULLET_KINDS = {"diagnosis": ("DiagnosticProcedure",), "treatment": TREATMENT}
REMEDIES = re.compile(
    r"[^,;.]{0,40}?\b(?:help(?:s)? (?:to )?prevent|prevents?|treats?|relieves?|eases?|controls?"
    r"|may be given|are given|is given|(?:is|are) (?:\w+ )?needed)\b",
    re.IGNORECASE,
)
REMEDY_BEFORE = re.compile(r"\b(?:eas|control|treat|manag|reliev)\w*\s[^,;.]{0,40}$", re.IGNORECASE)
APPOSITIVE = re.compile(
    r",\s*(?:(?:sometimes|often|usually|mostly)\s+)?(?:as\s+)?an?\s+(?:\w+\s+)?$", re.IGNORECASE
)
USE_ROLES = frozenset({"overview", "purpose", "diagnosis", "treatment", "results"})
#: After a treatment: it causes, worsens or prevents something, so it does not treat the topic.
HARMS = re.compile(
    r"[^;.]{0,80}?\b(cause[sd]?|lead(?:s)? to|worsens?|makes?\b[^,;.]{0,30}\bworse"
    r"|help(?:s)? (?:to )?prevent|prevents?)\b",
    re.IGNORECASE,
)
WHO_HAVE = re.compile(
    r"\b(?:people|patients|those|adults|children|men|women|someone|anyone)\s+"
    r"(?:with|who ha(?:ve|s)(?: had)?)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
NOT_A_USE = re.compile(
    r"\b(?:respond(?:s)?|responds|fit)\s+(?:for|to)\s+(?:\w+\s+){0,2}$"
    # "Whether to pause bisphosphonates …": stopping a drug is not a use
    r"|\b(?:pause|pausing|stop|stopping|withhold|withholding)\s+(?:the\s+)?$",
    re.I,
)
PREVENTION_PURPOSE = re.compile(
    r"^\W*(?:(?:may|can|helps?|used)\s+(?:to\s+)?|to\s+)?(?:lower the risk of|prevent)", re.I
)
#: What a bullet named for a condition lists, by the section's meaning.
TERM_RELATIONS = {
    "treatment": "treatedBy",
    "diagnosis": "diagnosedBy",
    "purpose": "treatedBy",
}
PURPOSE_RELATION = {"detect": "diagnosedBy", "treat": "treatedBy", "prevent": "prevents"}

MODAL = (
    r"(?:\b(?:is|are|be|was|were|can be|may be|often|usually|commonly|typically|mainly|mostly)\s+)*"
)
#: Verbs that relate the list before them to the list after them, in any section:
#: (pattern, relation, True when the list before the verb is the relation's subject).
VERB_RELATIONS: tuple[tuple[re.Pattern[str], str, bool], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), relation, left_is_subject)
    for pattern, relation, left_is_subject in (
        (
            MODAL
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
            MODAL
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
