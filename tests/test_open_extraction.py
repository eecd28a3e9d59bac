"""Open extraction: concepts no vocabulary or registry lists become nodes, from where the text
puts names (bullets, lists in a section, the arguments of a statement), typed by place, head
and the drug names."""

from __future__ import annotations

from pathlib import Path

import pytest

from medkg.article import Span, parse
from medkg.drugs import drug_names
from medkg.extract import extract
from medkg.extract.names import as_doing, items, last_name, shared_heads
from medkg.extract.statements import statements
from medkg.resources import REGISTRY
from medkg.terminology import Concept, Lexicon, load_registry

FIXTURES = Path(__file__).parent / "fixtures"

ARTICLE = """Lactose Intolerance

Lactose intolerance is a common digestive problem in which the body cannot fully digest
lactose, the sugar in milk.

Symptoms

  • Bloating: The belly feels full and stretched
  • Diarrhoea: Loose stools, often 30 minutes to 2 hours after dairy
  • Wind: Passing more gas than usual

Diagnosis

  • Hydrogen breath test: Measures hydrogen in the breath after a lactose drink

Treatment

Lactose intolerance is managed with a low-lactose diet and lactase supplements such as
lactase drops.
"""


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon(load_registry(REGISTRY))


def facts(text: str, lexicon: Lexicon, kind: str = "condition") -> set[tuple[str, str, str]]:
    extraction = extract(parse(text, Path("article.txt"), kind), lexicon)
    return {(a.subject.label, a.relation, a.object.label) for a in extraction.assertions}


def stated(passage: str, topic: Concept, lexicon: Lexicon) -> set[tuple[str, str, str, bool]]:
    """(subject, relation, object, negated) of each statement a passage makes."""
    return {
        (s.subject.label, s.relation, s.object.label, s.negated)
        for s in statements(Span(passage, 0, len(passage)), topic, lexicon.lookup)
    }


def test_names_no_vocabulary_lists_become_concepts_by_their_section(lexicon: Lexicon) -> None:
    found = facts(ARTICLE, lexicon)
    for symptom in ("bloating", "diarrhea", "wind"):  # diarrhoea: the registry's spelling
        assert ("lactose intolerance", "hasSymptom", symptom) in found
    assert ("lactose intolerance", "diagnosedBy", "hydrogen breath test") in found
    for treatment in ("low-lactose diet", "lactase supplements", "lactase drops"):
        assert ("lactose intolerance", "treatedBy", treatment) in found


def test_a_statement_relates_the_list_before_its_verb_to_the_list_after(
    lexicon: Lexicon,
) -> None:
    passage = "A hypo can cause shaking, sweating, hunger and confusion."
    topic = Concept("type 2 diabetes", ("Condition",))
    found = stated(passage, topic, lexicon)
    assert {("hypo", "causes", symptom, False) for symptom in ("shaking", "hunger")} <= found
    assert all(subject == "hypo" for subject, *_ in found)


def test_what_a_drug_causes_is_its_side_effect_and_a_denial_is_negated(
    lexicon: Lexicon,
) -> None:
    passage = "Metformin can cause diarrhoea and nausea, but it does not cause weight gain."
    topic = Concept("type 2 diabetes", ("Condition",))
    found = stated(passage, topic, lexicon)
    assert ("metformin", "hasSideEffect", "diarrhea", False) in found
    assert ("type 2 diabetes", "causes", "weight gain", True) in found  # "it": the topic


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "Red meat, organ meats such as liver, and some seafood",
            ["Red meat", "organ meats", "liver", "seafood"],
        ),
        ("Diuretics (water pills) such as furosemide", ["Diuretics (water pills)", "furosemide"]),
        ("sudden, severe headache and nausea", ["headache", "nausea"]),
        (
            "rest, heat and simple painkillers such as paracetamol",
            ["rest", "heat", "simple painkillers", "paracetamol"],
        ),
        # a vague place is no part of a name
        (
            "numbness, tingling or weakness in the affected area",
            ["numbness", "tingling", "weakness"],
        ),
        # a plural noun alone is a name, though the same word can be a verb
        ("rashes, cramps and smells", ["rashes", "cramps", "smells"]),
        # an eponym is a name, even when its word is a particle too
        (
            "Down syndrome (trisomy 21) and Patau syndrome",
            ["Down syndrome (trisomy 21)", "Patau syndrome"],
        ),
        # a past participle before a noun is an adjective
        (
            "Blurred vision, raised eye pressure and cracked skin",
            ["Blurred vision", "raised eye pressure", "cracked skin"],
        ),
        # a doing names a trouble or a treatment after a noun; "changes" of something too
        (
            "kidney scarring, difficulty sleeping, watchful waiting and nail changes",
            ["kidney scarring", "difficulty sleeping", "watchful waiting", "nail changes"],
        ),
        # a drug's name ends at the verb or the purpose after it; the list ends there too
        (
            "aspirin, ibuprofen and naproxen work best when taken early",
            ["aspirin", "ibuprofen", "naproxen"],
        ),
        ("Permethrin cream for scabies and clotrimazole", ["Permethrin cream"]),
        # … but a noun after it is part of the name
        (
            "vitamin B12 deficiency and iron deficiency",
            ["vitamin B12 deficiency", "iron deficiency"],
        ),
        (
            "vitamin B12 levels and ferritin",
            ["vitamin B12 levels", "ferritin"],
        ),
    ],
)
def test_the_items_of_a_list(text: str, names: list[str]) -> None:
    assert [span.text for span in items(Span(text, 0, len(text)), whole=True)] == names


@pytest.mark.parametrize(
    "text",
    [
        *("often", "worse", "raises calcium levels", "his mother", "it", "medicines"),
        *("side effects", "rubbed into the skin", "caused by smoking", "children it"),
        *("down the back of the throat", "over time", "over time RA", "chest x-ray cannot"),
        *("changes", "lifestyle changes", "help a cough"),
        "than 15 days each month",
    ],
)
def test_words_that_are_no_names_are_not_items(text: str) -> None:
    assert list(items(Span(text, 0, len(text)), whole=True)) == []


def test_the_longest_name_ending_a_clause() -> None:
    text = "amniocentesis is used to drain excess amniotic fluid (polyhydramnios)"
    found = last_name(text)
    assert found is not None and found.text == "excess amniotic fluid (polyhydramnios)"
    # a conjunction, a comparison or a time phrase is no part of the name before a verb
    assert last_name("Amiodarone works well but") is None
    found = last_name("Taking painkillers on more than 15 days each month")
    assert found is not None and "than" not in found.text
    found = last_name("Over time RA")
    assert found is not None and not found.text.startswith("Over")


def test_drug_names_brands_and_classes_come_from_the_vocabulary() -> None:
    drugs = drug_names()
    assert drugs.version == "2.0.9"
    imitrex = drugs.lookup("Imitrex")
    assert imitrex is not None and imitrex.name.lower() == "sumatriptan"
    assert drugs.kind("NSAIDs") == "DrugClass"
    assert drugs.kind("ibuprofen") == "Drug"
    assert drugs.kind("walking") is None


def test_an_abbreviation_the_article_defines_is_a_name_of_its_concept(lexicon: Lexicon) -> None:
    text = (
        "Heartburn\n\nHeartburn is a burning feeling behind the breastbone.\n\nCauses\n\n"
        "Most heartburn comes from gastroesophageal reflux disease (GERD). GERD can cause "
        "hoarseness and a sore throat.\n"
    )
    extraction = extract(parse(text, Path("heartburn.txt"), "symptom"), lexicon)
    names = {(s.concept.label, s.label) for s in extraction.synonyms}
    assert any(short == "GERD" for _, short in names)
    found = {(a.subject.label, a.relation, a.object.label) for a in extraction.assertions}
    gerd = next(label for label, short in names if short == "GERD")
    assert (gerd, "causes", "hoarseness") in found


def test_an_faq_answer_is_about_its_questions_concept(lexicon: Lexicon) -> None:
    text = (
        "Type 2 Diabetes\n\nType 2 diabetes is a long-term condition.\n\n"
        "Frequently Asked Questions\n\nWhat is a hypo?\n"
        "A hypo is a low blood sugar level. It can cause shaking and sweating.\n"
    )
    found = facts(text, lexicon)
    assert ("hypo", "causes", "shaking") in found
    assert ("type 2 diabetes", "causes", "shaking") not in found


def test_a_condition_nobody_wrote_rules_for_yields_its_facts_linked_where_known() -> None:
    """Kidney stones: no rule, registry record or gold was written for it. Its symptoms,
    tests, treatments (drugs by name, linked to DrugBank), risk factors and complications
    come out of the build."""
    from rdflib import URIRef
    from rdflib.namespace import SKOS

    from medkg.build import build_dataset
    from medkg.rdf import union
    from medkg.vocab import CONCEPT, MEDKG

    graph = union(build_dataset([FIXTURES / "unseen"]).dataset)
    stones = CONCEPT["kidney-stone"]

    def objects(relation: str) -> set[str]:
        return {str(o).removeprefix(str(CONCEPT)) for o in graph.objects(stones, MEDKG[relation])}

    assert {"flank-pain", "nausea", "vomiting"} <= objects("hasSymptom")
    assert {"computed-tomography", "urine-test"} <= objects("diagnosedBy")
    assert {"ibuprofen", "shock-wave-lithotripsy"} <= objects("treatedBy")
    assert {"dehydration", "animal-protein"} & (objects("hasRiskFactor") | objects("causes"))
    assert "urinary-tract-infection" in objects("hasComplication")
    drugbank = URIRef("https://bioregistry.io/drugbank:DB01050")
    assert (CONCEPT["ibuprofen"], SKOS.exactMatch, drugbank) in graph


def test_a_disease_under_risk_factors_is_a_risk_factor_and_under_causes_a_cause(
    lexicon: Lexicon,
) -> None:
    text = (
        "Gout\n\nRisk Factors\n\n  • Other conditions: Heart failure and diabetes\n\n"
        "Causes\n\nKidney disease can cause gout.\n"
    )
    found = facts(text, lexicon)
    assert ("gout", "hasRiskFactor", "heart failure") in found
    assert ("gout", "hasRiskFactor", "diabetes") in found
    assert ("heart failure", "causes", "gout") not in found
    assert ("kidney disease", "causes", "gout") in found


def test_a_name_is_as_specific_as_the_text_gives_it(lexicon: Lexicon) -> None:
    text = (
        "Psoriasis\n\nComplications\n\n"
        "People with psoriasis are more likely to develop psoriatic arthritis and type 2 "
        "diabetes.\n\nDiagnosis\n\nA skin biopsy is sometimes taken.\n\n"
        "Symptoms\n\nPsoriasis can cause sudden joint pain.\n"
    )
    found = facts(text, lexicon)
    assert ("psoriasis", "hasComplication", "psoriatic arthritis") in found
    assert ("psoriasis", "hasComplication", "type 2 diabetes") in found
    assert ("psoriasis", "diagnosedBy", "skin biopsy") in found
    assert ("psoriasis", "hasSymptom", "joint pain") in found  # "sudden" names nothing
    assert ("psoriasis", "hasComplication", "arthritis") not in found


def test_a_verb_before_a_name_is_not_part_of_it(lexicon: Lexicon) -> None:
    text = (
        "Cough\n\nTreatment\n\n  • Antibiotics: To treat bacterial pneumonia\n\n"
        "Causes\n\nSome people notice bone pain first.\n"
    )
    found = facts(text, lexicon, kind="symptom")
    assert ("bacterial pneumonia", "treatedBy", "antibiotic") in found
    assert not any("treat " in s or "notice" in o for s, _, o in found)


def test_a_drug_named_in_running_prose_treats_what_its_section_is_about(
    lexicon: Lexicon,
) -> None:
    text = (
        "Cellulitis\n\nTreatment\n\n"
        "Most people take antibiotic tablets, usually flucloxacillin. People who are "
        "allergic to it may be given clarithromycin (Klaricid) instead. A leukotriene "
        "receptor antagonist is sometimes added.\n"
    )
    found = facts(text, lexicon)
    assert ("cellulitis", "treatedBy", "flucloxacillin") in found
    assert ("cellulitis", "treatedBy", "clarithromycin") in found
    assert ("cellulitis", "treatedBy", "klaricid") not in found  # a brand of the drug before it
    assert ("cellulitis", "treatedBy", "leukotriene") not in found  # a word of a longer name


PROCEDURE_PAGE = """Carpal Tunnel Release

Carpal tunnel release is an operation that relieves pressure on the median nerve in the wrist.

Why It Is Done

Typical symptoms of carpal tunnel syndrome include:

  • Tingling: In the thumb and first fingers
  • Numbness: Often worse at night
  • Weak grip

How Carpal Tunnel Syndrome Is Diagnosed

  • Nerve conduction study: Measures how fast signals travel along the nerve
"""


def test_a_procedure_page_reads_what_it_says_of_its_condition_as_that_conditions_page(
    lexicon: Lexicon,
) -> None:
    found = facts(PROCEDURE_PAGE, lexicon, kind="procedure")
    for symptom in ("tingling", "numbness", "weak grip"):  # after a lead-in naming it
        assert ("carpal tunnel syndrome", "hasSymptom", symptom) in found
        assert (symptom, "diagnosedBy", "carpal tunnel release") not in found
    # under a heading naming it
    assert ("carpal tunnel syndrome", "diagnosedBy", "nerve conduction study") in found


def test_a_procedure_whose_name_says_it_treats_is_a_therapy(lexicon: Lexicon) -> None:
    text = (
        "Hysterectomy\n\nWhy It Is Done\n\n"
        "  • Fibroids: Non-cancerous growths in the womb that cause heavy periods\n"
    )
    found = facts(text, lexicon, kind="procedure")
    assert ("fibroids", "treatedBy", "hysterectomy") in found
    assert ("fibroids", "diagnosedBy", "hysterectomy") not in found


def test_a_cue_word_inside_a_name_is_no_cue(lexicon: Lexicon) -> None:
    text = "Osteoporosis\n\nDiagnosis\n\nOsteoporosis is diagnosed with a bone density scan.\n"
    found = facts(text, lexicon)
    assert ("osteoporosis", "diagnosedBy", "bone density scan") in found
    assert not any(s == "osteoporos" for s, _, _ in found)  # "…is diagnosed": not "is"


def test_what_lowers_the_risk_reduces_it_and_a_drug_that_does_prevents_it(
    lexicon: Lexicon,
) -> None:
    text = (
        "Gout\n\nPrevention\n\n"
        "Losing weight, cutting down on alcohol and eating fewer purine-rich foods lower the "
        "risk of further attacks. Allopurinol lowers the risk of kidney stones.\n"
    )
    found = facts(text, lexicon)
    for measure in ("losing weight", "cutting down on alcohol", "eating fewer purine-rich foods"):
        assert ("gout", "riskReducedBy", measure) in found  # "further attacks": of gout
    assert ("allopurinol", "prevents", "kidney stone") in found  # the registry's label


def test_goals_and_what_the_outlook_depends_on(lexicon: Lexicon) -> None:
    text = (
        "Lupus\n\nTreatment\n\n"
        "The main goals of treatment are to control flares, protect the kidneys and reduce "
        "the dose of steroids.\n\nOutlook\n\n"
        "The outlook depends on age, kidney involvement and how early treatment starts.\n"
    )
    found = facts(text, lexicon)
    for goal in ("control flares", "protect the kidneys", "reduce the dose of steroids"):
        assert ("lupus", "hasGoal", goal) in found
    for factor in ("age", "kidney involvement", "how early treatment starts"):
        assert ("lupus", "hasPrognosticFactor", factor) in found
    extraction = extract(parse(text, Path("article.txt"), "condition"), lexicon)
    [goal] = [a.object for a in extraction.assertions if a.object.label == "control flares"]
    assert goal.synonyms == ("controlling flares",)  # named as a doing too


def test_a_drug_under_prevention_prevents_the_condition(lexicon: Lexicon) -> None:
    text = (
        "Cluster Headache\n\nPreventing Attacks\n\n"
        "A daily medicine may be offered, usually verapamil. Keeping regular sleep hours helps.\n"
    )
    found = facts(text, lexicon)
    assert ("verapamil", "prevents", "cluster headache") in found
    assert ("cluster headache", "treatedBy", "verapamil") not in found


def test_what_a_test_looks_for_is_a_condition_named_or_not(lexicon: Lexicon) -> None:
    text = (
        "Palpitations\n\nFinding the Cause\n\n"
        "  • Holter monitor: Looks for heart rhythm problems over a day or two\n"
        "  • Blood tests: These help diagnose an overactive thyroid\n"
    )
    found = facts(text, lexicon, kind="symptom")
    assert ("heart rhythm problems", "diagnosedBy", "holter monitor") in found
    assert ("hyperthyroidism", "diagnosedBy", "blood test") in found  # "overactive thyroid"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "sensitivity to light, sound and smells",
            ["sensitivity to light", "sensitivity to sound", "sensitivity to smells"],
        ),
        ("swelling of the face and hands", ["swelling of the face", "swelling of the hands"]),
        ("thoughts of death or suicide", ["thoughts of death", "thoughts of suicide"]),
        # an item that is a concept of its own shares no head
        ("loss of appetite, nausea and vomiting", ["loss of appetite", "nausea", "vomiting"]),
        # body parts share the head that follows the last of them
        (
            "breast, lung and prostate cancer",
            ["breast cancer", "lung cancer", "prostate cancer"],
        ),
        ("fever, headache and neck pain", ["fever", "headache", "neck pain"]),
    ],
)
def test_the_items_of_a_list_share_the_head_of_the_first(
    text: str, names: list[str], lexicon: Lexicon
) -> None:
    listed = list(items(Span(text, 0, len(text)), whole=True))
    assert [span.text for span in shared_heads(listed, lexicon.lookup)] == names


def test_advice_is_named_as_the_doing_it_asks_for(lexicon: Lexicon) -> None:
    text = (
        "Heartburn\n\nManaging It at Home\n\n"
        "  • Eat smaller meals\n  • Cut down on alcohol\n  • Avoid trigger foods\n"
        "  • Heat packs\n"
    )
    found = facts(text, lexicon, kind="symptom")
    for doing in ("eating smaller meals", "cutting down on alcohol", "avoiding trigger foods"):
        assert ("heartburn", "treatedBy", doing) in found
    assert ("heartburn", "treatedBy", "heat packs") in found  # a thing, not advice
    assert as_doing("blood tests") is None


def test_a_purpose_infinitive_is_the_topics_doing(lexicon: Lexicon) -> None:
    text = (
        "Hip Fracture\n\nDiagnosis\n\n"
        "  • CT scan: To evaluate the extent of the break and detect other injuries\n"
    )
    found = facts(text, lexicon)
    assert not any(o == "extent of the break" for _, _, o in found)  # no test of its own


def test_a_bullet_names_a_class_and_the_members_its_description_lists(
    lexicon: Lexicon,
) -> None:
    text = (
        "Tremor Disorder\n\nTreatment\n\n"
        "  • Beta blockers: Such as bisoprolol and metoprolol\n"
        "  • Medicines: Primidone or topiramate\n"
    )
    treatments = {o for _, relation, o in facts(text, lexicon) if relation == "treatedBy"}
    # "Medicines" is a stand-in: it names no class of its own, only its members are concepts
    assert treatments == {"beta blockers", "bisoprolol", "metoprolol", "primidone", "topiramate"}


def test_the_foods_of_a_diet_are_no_treatments_but_what_it_asks_one_to_do_is(
    lexicon: Lexicon,
) -> None:
    text = (
        "Iron Deficiency\n\nTreatment\n\n"
        "  • High-iron diet: Red meat, beans, lentils and fortified cereals\n"
        "  • Diet changes: Cutting down on tea and limiting antacids\n"
    )
    treatments = {o for _, relation, o in facts(text, lexicon) if relation == "treatedBy"}
    assert {"high-iron diet", "cutting down on tea", "limiting antacids"} <= treatments
    assert not treatments & {"red meat", "beans", "lentils", "fortified cereals"}


def test_a_statement_denied_of_the_topic_by_its_abbreviation_is_negated(
    lexicon: Lexicon,
) -> None:
    passage = "Drinking extra water does not treat CKD."
    topic = Concept("chronic kidney disease", ("Condition",), abbreviations=("CKD",))
    found = stated(passage, topic, lexicon)
    assert found == {("chronic kidney disease", "treatedBy", "drinking extra water", True)}


def test_a_procedure_examines_the_body_parts_said_of_it_not_every_one_its_page_names(
    lexicon: Lexicon,
) -> None:
    text = (
        "Bone Scan\n\nA bone scan is a test that shows the bones of the whole skeleton.\n\n"
        "Why It Is Done\n\n"
        "People whose kidneys cannot clear the tracer well are given more time before imaging.\n"
    )
    sites = {o for _, relation, o in facts(text, lexicon, "procedure") if relation == "bodySite"}
    assert "bone" in sites
    assert "kidney" not in sites


@pytest.mark.parametrize(
    ("passage", "expected"),
    [
        (
            "Steroid tablets are generally not recommended.",
            {("pneumonia", "treatedBy", "steroid tablets", True)},
        ),
        (
            "Brain scans are not used to diagnose pneumonia.",
            {("pneumonia", "diagnosedBy", "brain scans", True)},
        ),
        # a relative clause between the list and its verb, and two verbs sharing a subject
        (
            "Beta blockers, which slow the heart, are not needed.",
            {("pneumonia", "treatedBy", "beta blockers", True)},
        ),
        (
            "Decongestants do not work against the virus and are not recommended for children.",
            {("pneumonia", "treatedBy", "decongestants", True)},
        ),
    ],
)
def test_advice_against_a_treatment_or_a_test_denies_it(
    passage: str, expected: set[tuple[str, str, str, bool]], lexicon: Lexicon
) -> None:
    topic = Concept("pneumonia", ("Condition",))
    found = stated(passage, topic, lexicon)
    assert expected <= found
    assert all(negated for *_, negated in found)


def test_a_description_that_opens_with_a_preposition_is_no_list_of_members(
    lexicon: Lexicon,
) -> None:
    text = (
        "Type 2 Diabetes\n\nComplications\n\n"
        "  • Foot ulcers: In older people, from damage to nerves and blood vessels\n"
    )
    complications = {o for _, relation, o in facts(text, lexicon) if relation == "hasComplication"}
    assert complications == {"foot ulcer"}  # the registry's concept


@pytest.mark.parametrize(
    ("passage", "expected"),
    [
        # a Markdown term ends the clause before the list
        (
            "**Injuries:** Sprains and dislocations can cause joint pain.",
            {("sprains", "causes", "joint pain"), ("dislocations", "causes", "joint pain")},
        ),
        # a kind of the topic's head is a concept of its own; a graded one is the topic
        (
            "Growing pains cause aching in the legs.",
            {("growing pains", "causes", "aching in the legs")},
        ),
        ("Severe joint pain is eased with rest.", {("joint pain", "treatedBy", "rest")}),
        # who has a condition is no concept: the condition is
        (
            "People with gout are treated with colchicine.",
            {("gout", "treatedBy", "colchicine")},
        ),
    ],
)
def test_the_subject_before_a_verb_is_the_name_it_ends_with(
    passage: str, expected: set[tuple[str, str, str]], lexicon: Lexicon
) -> None:
    topic = Concept("joint pain", ("Symptom",))
    found = {fact[:3] for fact in stated(passage, topic, lexicon)}
    assert found == expected


def test_the_side_effects_of_a_treatment_named_after_of_are_its_own(lexicon: Lexicon) -> None:
    from medkg.extract.statements import side_effects

    topic = Concept("acetazolamide", ("Drug",))
    passages = [
        "Common side effects of SSRIs include nausea, headache and sleep problems.",
        "The main side effect of all anticoagulants is bleeding.",
        "Side effects of the disease include tiredness.",  # a disease has none
    ]
    found = {
        (s.subject.label, s.relation, s.object.label)
        for text in passages
        for s in side_effects(Span(text, 0, len(text)), topic, lexicon.lookup)
    }
    ssri = next(label for label, *_ in found if "serotonin" in label or "ssri" in label.lower())
    assert {(ssri, "hasSideEffect", e) for e in ("nausea", "headache")} <= found
    assert ("anticoagulant", "hasSideEffect", "bleeding") in found
    assert not any(effect == "tiredness" for *_, effect in found)
    passage = "It lowers eye pressure for a few hours and has side effects such as drowsiness."
    said = {fact[:3] for fact in stated(passage, topic, lexicon)}
    assert ("acetazolamide", "hasSideEffect", "drowsiness") in said


def test_who_a_condition_is_more_common_in_names_its_risk_factors(lexicon: Lexicon) -> None:
    from medkg.extract.statements import more_common_in

    topic = Concept("migraine", ("Condition",))
    passages = [
        "Migraine is about three times more common in women than in men.",
        "It is most common in young children and older adults.",
    ]
    found = {
        s.object.label
        for text in passages
        for s in more_common_in(Span(text, 0, len(text)), topic, lexicon.lookup)
    }
    assert found == {"female sex", "young age", "older age"}  # not men: the comparison


def test_an_auxiliary_opens_no_advice() -> None:
    assert as_doing("is a medical emergency") is None
    assert as_doing("are a woman") is None
    assert as_doing("eat smaller meals") == "eating smaller meals"


def test_a_test_named_in_the_prose_of_diagnosis_is_a_concept_by_its_head(
    lexicon: Lexicon,
) -> None:
    text = (
        "Gallstones\n\nDiagnosis\n\n"
        "If a stone may be stuck in the bile duct, you may need magnetic resonance "
        "cholangiopancreatography (MRCP). A bone marrow test is not usually needed, and no "
        "single test is useful on its own.\n"
    )
    found = {(o, n) for _, r, o, n in negated_facts(text, lexicon) if r == "diagnosedBy"}
    assert ("magnetic resonance cholangiopancreatography", False) in found
    assert ("bone marrow test", True) in found
    assert not any("single" in o or "useful" in o for o, _ in found)


def negated_facts(text: str, lexicon: Lexicon) -> set[tuple[str, str, str, bool]]:
    extraction = extract(parse(text, Path("article.txt"), "condition"), lexicon)
    return {(a.subject.label, a.relation, a.object.label, a.negated) for a in extraction.assertions}


def test_a_yes_or_no_question_states_what_its_answer_confirms_or_denies(
    lexicon: Lexicon,
) -> None:
    text = (
        "Shingles\n\nFrequently Asked Questions\n\n"
        "Can shingles lead to a stroke?\n\nYes. In rare cases it can.\n\n"
        "Can shingles cause deafness?\n\nNo. That is a myth.\n"
    )
    found = negated_facts(text, lexicon)
    assert ("shingles", "hasComplication", "stroke", False) in found
    assert any(o == "deafness" and denied for _, _, o, denied in found)
    assert not any(o == "deafness" and not denied for _, _, o, denied in found)


def test_articles_nobody_tuned_on_build_into_a_graph_that_conforms(tmp_path: Path) -> None:
    """The blind dev half: one concept named in several places of an article (a body part
    in one sentence, a word of a test's name in another) is one node with every type its
    records give it, so no relation it takes part in breaks its shape."""
    from medkg.build import build

    result = build([Path(__file__).parent / "blind" / "dev" / "articles"], tmp_path / "build")
    assert result.ok, result.errors
    assert (tmp_path / "build" / "kg.nq").is_file()
